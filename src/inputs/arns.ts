/**
 * Function and layer ARNs given as inputs, parsed field by field and checked against the partition data
 * of the SDK: a partition that does not exist, or a region of another partition, is refused here. The
 * account is checked later, against the caller's (src/preflight/index.ts), because that needs STS.
 */
import { partitionOf } from './names.js';

export interface LambdaArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly kind: 'function' | 'layer';
  readonly name: string;
}

const ARN = /^arn:([^:]*):lambda:([^:]*):([^:]*):(function|layer):([^:]*)$/;
const NAME = { function: /^[a-zA-Z0-9_-]{1,64}$/, layer: /^[a-zA-Z0-9_-]{1,140}$/ } as const;
const EXAMPLE = {
  function: 'arn:aws:lambda:us-east-1:123456789012:function:my-function',
  layer: 'arn:aws:lambda:us-east-1:123456789012:layer:my-layer',
} as const;

/** Parses an unqualified function or layer ARN; returns the ARN or the reason it is refused. */
export function parseLambdaArn(value: string, kind: LambdaArn['kind']): LambdaArn | { problem: string } {
  const match = ARN.exec(value);
  if (!match || match[4] !== kind) {
    return { problem: `is not a ${kind} ARN such as ${EXAMPLE[kind]} (without a version or alias)` };
  }
  const [, partition = '', region = '', account = '', , name = ''] = match;
  const regionPartition = partitionOf(region);
  if (regionPartition === undefined)
    return { problem: `names the region ${JSON.stringify(region)}, which no AWS partition has` };
  if (partition !== regionPartition) {
    return {
      problem: `names the partition ${JSON.stringify(partition)}, but ${region} is in ${regionPartition}`,
    };
  }
  if (!/^\d{12}$/.test(account))
    return { problem: `names the account ${JSON.stringify(account)}; an account id is 12 digits` };
  if (!NAME[kind].test(name))
    return { problem: `names the ${kind} ${JSON.stringify(name)}, which is not a valid ${kind} name` };
  return { partition, region, account, kind, name };
}

export const isArnProblem = (value: LambdaArn | { problem: string }): value is { problem: string } =>
  'problem' in value;
