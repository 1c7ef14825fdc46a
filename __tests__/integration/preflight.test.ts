/**
 * Every refusal happens before the first write (src/preflight/index.ts): each case below runs the real
 * pipeline against the AWS double with every writing step asked for, and checks that the message names
 * the input and the value, that no step ran, that no write request reached the double, and that the
 * double's state (layer versions, function configurations, SSM parameters, S3 objects, in every
 * account) is exactly what it was. Then the values once refused by mistake, which must pass; then the
 * price: the preflight's look-ups are not asked again by the roll-out.
 */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import * as fs from 'node:fs';
import * as path from 'node:path';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/index.js';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { release, workspaceWithZip } from '../support/release.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const OTHER = '222222222222';
const ROLE = 'arn:aws:iam::{account}:role/layer-rollout';
let aws: AwsDouble;
let count = 0;

beforeAll(async () => {
  aws = await startAwsDouble({ controlPlaneRps: Infinity, getFunctionRps: Infinity });
  aws.account(OTHER).createRole('layer-rollout');
});
afterAll(() => aws.close());

const layerArn = (name: string, region: string): string =>
  `arn:aws:lambda:${region}:${aws.accountId}:layer:${name}`;

/** A layer with version 1 in both regions and one consumer in each. */
async function fleet(): Promise<{ name: string; fn: string }> {
  const name = `pre-${++count}`;
  for (const region of REGIONS) {
    const v1 = (await aws.seedLayerVersion({ region, name, content: Buffer.from('one') })).LayerVersionArn;
    aws.seedFunction({ region, name: `${name}-api`, runtime: 'python3.11', layers: [v1] });
  }
  return { name, fn: `${name}-api` };
}

const lastSeq = (): number => aws.requests.at(-1)?.seq ?? 0;

async function run(layerName: string, inputs: Record<string, string>, dir?: string): Promise<Report> {
  const workspace = dir ?? (await workspaceWithZip({ 'python/pre.py': `X = ${count}\n` }));
  return release(aws, workspace, {
    'layer-name': layerName,
    steps: 'build,publish,roll-out,ssm',
    regions: REGIONS.join(' '),
    'ssm-parameter': `/layers/${layerName}/arn`,
    ...inputs,
  });
}

/** Runs and expects a refusal before any step and any write; returns the message. */
async function refused(layerName: string, inputs: Record<string, string>, dir?: string): Promise<string> {
  const since = lastSeq();
  const before = aws.snapshot();
  const report = await run(layerName, inputs, dir);
  expect(report.error).toMatch(/^Invalid inputs?:/);
  expect(report.steps.filter((s) => s.status !== 'skipped')).toEqual([]);
  expect(aws.writes(since)).toEqual([]);
  expect(aws.snapshot()).toBe(before);
  return report.error!;
}

describe('refused before the first write', () => {
  it.each([
    [
      'a function that does not exist',
      'fz-missing',
      /functions: "fz-missing" does not exist in us-east-1, eu-west-1; check the name/,
    ],
    [
      'auto in upper case',
      'AUTO',
      /functions: "AUTO" does not exist in us-east-1, eu-west-1; write auto in lower case/,
    ],
  ])('functions: %s', async (_, listed, message) => {
    const { name, fn } = await fleet();
    expect(await refused(name, { functions: `${fn} ${listed}` })).toMatch(message);
  });

  it('functions: an ARN of a function that does not exist', async () => {
    const { name } = await fleet();
    const arn = `arn:aws:lambda:eu-west-1:${aws.accountId}:function:${name}-gone`;
    expect(await refused(name, { functions: arn })).toContain(
      `functions: ${JSON.stringify(arn)} does not exist in eu-west-1`,
    );
  });

  it('alarms: a name that is no alarm, and one already in ALARM', async () => {
    const { name } = await fleet();
    for (const region of REGIONS) aws.setAlarm(region, `${name}-errors`, 'OK');
    aws.setAlarm('eu-west-1', `${name}-errors`, 'ALARM', { reason: 'Errors > 5' });
    const message = await refused(name, { alarms: `${name}-errors ${name}-typo` });
    expect(message).toContain(`alarms: "${name}-typo" is not an alarm in us-east-1`);
    expect(message).toContain(`alarms: "${name}-errors" is in ALARM in eu-west-1 (Errors > 5)`);
  });

  it('ssm-parameter: a SecureString in one region', async () => {
    const { name } = await fleet();
    const parameter = `/layers/${name}/arn`;
    const ssm = new SSMClient(aws.clientConfig('eu-west-1'));
    await ssm.send(new PutParameterCommand({ Name: parameter, Value: 'secret', Type: 'SecureString' }));
    expect(await refused(name, {})).toMatch(
      new RegExp(
        `ssm-parameter: "${parameter}" in eu-west-1 is a SecureString; the layer ARN goes in a String`,
      ),
    );
    expect(aws.state.parameter('eu-west-1', parameter)!.Value).toBe('secret');
  });

  it('s3-bucket: a bucket that does not exist, and one in another region', async () => {
    const { name } = await fleet();
    aws.createBucket('us-east-1', `${name}-eu-west-1`);
    const message = await refused(name, { 's3-bucket': `${name}-{region}` });
    expect(message).toContain(`s3-bucket: "${name}-us-east-1" does not exist`);
    expect(message).toContain(`s3-bucket: "${name}-eu-west-1" is in us-east-1, but Lambda in eu-west-1`);
  });

  it('account-role: another partition than the regions', async () => {
    const { name } = await fleet();
    const role = 'arn:aws-cn:iam::{account}:role/layer-rollout';
    expect(await refused(name, { accounts: OTHER, 'account-role': role })).toContain(
      `account-role: "${role}" is in the partition aws-cn, but regions (us-east-1, eu-west-1) are in aws`,
    );
  });

  it('account-role: a role that cannot be assumed in one of the accounts', async () => {
    const { name } = await fleet();
    const message = await refused(name, { accounts: `${OTHER} 444444444444`, 'account-role': ROLE });
    expect(message).toMatch(
      /account-role: "arn:aws:iam::444444444444:role\/layer-rollout" could not be assumed for account 444444444444: AccessDenied/,
    );
  });

  it('accounts: another account without account-role', async () => {
    const { name } = await fleet();
    expect(await refused(name, { accounts: `${aws.accountId} ${OTHER}` })).toContain(
      `account-role: needed for accounts ${OTHER}: the job's credentials are for ${aws.accountId}`,
    );
  });

  it('zip-file: an empty zip names the input, not a build', async () => {
    const { name } = await fleet();
    const dir = await workspaceWithZip({ 'python/x.py': '' });
    const empty = new yazl.ZipFile();
    empty.addEmptyDirectory('python/');
    empty.end();
    await new Promise<void>((resolve) =>
      empty.outputStream.pipe(fs.createWriteStream(path.join(dir, 'empty.zip'))).on('close', resolve),
    );
    expect(await refused(name, { 'zip-file': 'empty.zip' }, dir)).toContain(
      'zip-file: "empty.zip" holds no files',
    );
  });

  it('lists every problem at once', async () => {
    const { name } = await fleet();
    const message = await refused(name, { functions: 'nope', alarms: 'nope', 's3-bucket': `${name}-none` });
    expect(message.split('\n').filter((line) => line.startsWith('  - ')).length).toBeGreaterThanOrEqual(4);
  });
});

describe('no false refusals', () => {
  it("accounts: the job's own account, even twice, needs no account-role", async () => {
    const { name, fn } = await fleet();
    const report = await run(name, { accounts: `${aws.accountId} ${aws.accountId}`, functions: fn });
    expect(report.error).toBeUndefined();
    expect(report.rollout!.accounts).toEqual([aws.accountId]);
    for (const region of REGIONS) {
      expect(aws.state.fn(region, fn)!.config.Layers!.map((l) => l.Arn)).toEqual([
        `${layerArn(name, region)}:2`,
      ]);
    }
  });

  it('a zip-file whose name starts with .. inside the workspace', async () => {
    const { name } = await fleet();
    const dir = await workspaceWithZip({ 'python/dots.py': 'X = 1\n' });
    fs.mkdirSync(path.join(dir, '..sub'));
    fs.renameSync(path.join(dir, 'layer.zip'), path.join(dir, '..sub', '..layer.zip'));
    const report = await run(name, { 'zip-file': '..sub/..layer.zip', steps: 'build,publish' }, dir);
    expect(report.error).toBeUndefined();
    expect(report.publish!.layers.map((l) => l.version)).toEqual([2, 2]);
  });
});

describe('what the preflight costs', () => {
  it('the roll-out reuses the look-ups: one GetFunction per listed name and region in all', async () => {
    const { name, fn } = await fleet();
    for (const region of REGIONS) {
      aws.seedFunction({
        region,
        name: `${name}-worker`,
        runtime: 'python3.11',
        layers: [`${layerArn(name, region)}:1`],
      });
    }
    const since = lastSeq();
    const report = await run(name, { functions: `${fn} ${name}-worker`, 'dry-run': 'true' });
    expect(report.error).toBeUndefined();
    expect(report.rollout!.functions.map((f) => f.status)).toEqual([
      'planned',
      'planned',
      'planned',
      'planned',
    ]);
    const reads = aws.requests.filter((r) => r.seq > since && r.operation === 'GetFunction');
    expect(reads.length).toBe(2 * REGIONS.length);
    // Names alone: the caller's account is not asked.
    expect(aws.requests.filter((r) => r.seq > since && r.operation === 'GetCallerIdentity')).toEqual([]);
  });

  it('a role is assumed once, by the preflight, and its credentials serve the roll-out', async () => {
    const { name } = await fleet();
    const since = lastSeq();
    const report = await run(name, { accounts: OTHER, 'account-role': ROLE, 'dry-run': 'true' });
    expect(report.error).toBeUndefined();
    expect(aws.requests.filter((r) => r.seq > since && r.operation === 'AssumeRole').length).toBe(1);
  });
});
