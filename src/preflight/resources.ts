/**
 * The AWS resources the writing steps depend on, read once per region before anything is written:
 * the CloudWatch alarms of the gate (each must exist, none may be in ALARM), the SSM parameter (absent,
 * or a String the ssm step may overwrite) and the S3 bucket publish uploads through (it must exist, in
 * the region it serves). Every problem names the input and the value.
 */
import * as core from '@actions/core';
import { describeError } from '../aws/regions.js';
import type { Deps } from '../deps.js';
import type { Inputs } from '../inputs/index.js';
import { describeAlarms } from '../look-ups/alarms.js';
import { currentParameter } from '../look-ups/parameter.js';

export type ResourceInputs = Pick<Inputs, 'steps' | 'regions' | 'alarms' | 'ssmParameter' | 's3Bucket'>;

type ResourceDeps = Pick<Deps, 'cloudwatch' | 'ssm' | 's3'>;

export async function resourceProblems(inputs: ResourceInputs, deps: ResourceDeps): Promise<string[]> {
  const perRegion = await Promise.all(
    inputs.regions.map(async (region) => [
      ...(await alarmProblems(inputs, deps, region)),
      ...(await parameterProblems(inputs, deps, region)),
      ...(await bucketProblems(inputs, deps, region)),
    ]),
  );
  return perRegion.flat();
}

async function alarmProblems(inputs: ResourceInputs, deps: ResourceDeps, region: string): Promise<string[]> {
  if (!inputs.steps.includes('roll-out') || inputs.alarms.length === 0) return [];
  try {
    const { states, missing } = await describeAlarms(await deps.cloudwatch(region), region, inputs.alarms);
    return [
      ...missing.map(
        (name) =>
          `alarms: ${JSON.stringify(name)} is not an alarm in ${region}; check the name (CloudWatch alarms ` +
          'are per region: each must exist in every region of regions)',
      ),
      ...states
        .filter((alarm) => alarm.state === 'ALARM')
        .map(
          (alarm) =>
            `alarms: ${JSON.stringify(alarm.name)} is in ALARM in ${region}` +
            `${alarm.reason ? ` (${alarm.reason})` : ''}; nothing is published or rolled out while it fires`,
        ),
    ];
  } catch (error) {
    return [
      `alarms: could not read ${inputs.alarms.join(', ')} in ${region}: ${describeError(error)} ` +
        '(the role needs cloudwatch:DescribeAlarms)',
    ];
  }
}

async function parameterProblems(
  inputs: ResourceInputs,
  deps: ResourceDeps,
  region: string,
): Promise<string[]> {
  const name = inputs.ssmParameter;
  if (name === undefined || !inputs.steps.includes('ssm')) return [];
  const shown = JSON.stringify(name);
  try {
    const existing = await currentParameter(deps.ssm(region), name);
    if (!existing || existing.type === 'String') return [];
    // A SecureString may hold a secret someone else put there: the ssm step never overwrites it.
    return [
      `ssm-parameter: ${shown} in ${region} is a ${existing.type}; the layer ARN goes in a String ` +
        'parameter, so choose another name (or delete that parameter)',
    ];
  } catch (error) {
    return [
      `ssm-parameter: could not read ${shown} in ${region}: ${describeError(error)} ` +
        '(the role needs ssm:GetParameter)',
    ];
  }
}

/** HeadBucket: 404 is a bucket that does not exist; 403 (no s3:ListBucket) cannot tell, and passes. */
async function bucketProblems(inputs: ResourceInputs, deps: ResourceDeps, region: string): Promise<string[]> {
  if (inputs.s3Bucket === undefined || !inputs.steps.includes('publish')) return [];
  const bucket = inputs.s3Bucket.replaceAll('{region}', region);
  const shown = `s3-bucket: ${JSON.stringify(bucket)}`;
  let found: string | undefined;
  try {
    const { HeadBucketCommand } = await import('@aws-sdk/client-s3'); // S3 only for `s3-bucket`
    found = (await (await deps.s3(region)).send(new HeadBucketCommand({ Bucket: bucket }))).BucketRegion;
  } catch (error) {
    const e = error as Error & {
      $metadata?: { httpStatusCode?: number };
      $response?: { headers?: Record<string, string> };
    };
    const status = e.$metadata?.httpStatusCode;
    found = e.$response?.headers?.['x-amz-bucket-region'];
    if (status === 404) {
      return [
        `${shown} does not exist (publishing in ${region} uploads to it); create it in ${region} or fix the name`,
      ];
    }
    if (!found) {
      core.info(`${shown}: could not check it in ${region} (${describeError(error)}); publish will tell.`);
      return [];
    }
  }
  if (found && found !== region) {
    return [
      `${shown} is in ${found}, but Lambda in ${region} reads layer zips only from a bucket in ${region}; ` +
        'use one bucket per region, e.g. my-artifacts-{region}',
    ];
  }
  return [];
}
