/**
 * Roll-out safety against the AWS double: one failure policy across regions (waves), the canary and
 * the alarm gate across regions, aliases that never ship unreleased changes and are always put back,
 * busy functions (another writer's failed update, Pending, Inactive), functions Lambda cannot update,
 * and retention of shared versions. After every run, each function and alias is either where it was
 * or where the policy says it goes: nothing in between.
 */
import {
  CreateAliasCommand,
  GetAliasCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultDeps } from '../../src/deps.js';
import type { Report } from '../../src/report/index.js';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { release, workspaceWithZip } from '../support/release.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
let aws: AwsDouble;
let count = 0;

beforeAll(async () => {
  aws = await startAwsDouble({ controlPlaneRps: Infinity, getFunctionRps: Infinity, updateLatencyMs: 20 });
});
afterAll(() => aws.close());

const layerArn = (name: string, region: string): string =>
  `arn:aws:lambda:${region}:${aws.accountId}:layer:${name}`;
const layersOf = (region: string, fn: string): string[] =>
  (aws.state.fn(region, fn)!.config.Layers ?? []).map((l) => l.Arn!);

/** A layer with version 1 in each region, and `perRegion` consumers in each (named `<prefix>-<region>-<i>`). */
async function fleet(
  regions: readonly string[],
  perRegion = 2,
): Promise<{ name: string; fns: Map<string, string[]> }> {
  const name = `safety-${++count}`;
  const fns = new Map<string, string[]>();
  for (const region of regions) {
    const v1 = (await aws.seedLayerVersion({ region, name, content: Buffer.from('one') })).LayerVersionArn;
    const names: string[] = [];
    for (let i = 0; i < perRegion; i++) {
      const fn = `${name}-${region}-${i}`;
      aws.seedFunction({ region, name: fn, runtime: 'python3.11', layers: [v1] });
      names.push(fn);
    }
    fns.set(region, names);
  }
  return { name, fns };
}

function run(
  layerName: string,
  regions: readonly string[],
  inputs: Record<string, string> = {},
  deps = defaultDeps(),
): Promise<Report> {
  return workspaceWithZip({ 'python/lib/python3.11/site-packages/safety.py': `X = ${count}\n` }).then((dir) =>
    release(
      aws,
      dir,
      { 'layer-name': layerName, steps: 'build,publish,roll-out', regions: regions.join(' '), ...inputs },
      deps,
    ),
  );
}

const statusOf = (report: Report): Record<string, string> =>
  Object.fromEntries((report.rollout?.functions ?? []).map((f) => [f.functionName, f.status]));

/** Every function is on exactly version 1 or version 2 of the layer, nothing else. */
function expectOldOrNew(name: string, fns: Map<string, string[]>): void {
  for (const [region, names] of fns) {
    for (const fn of names) {
      expect([[`${layerArn(name, region)}:1`], [`${layerArn(name, region)}:2`]]).toContainEqual(
        layersOf(region, fn),
      );
    }
  }
}

describe('one failure policy across regions', () => {
  const cases = (['stop', 'continue', 'rollback'] as const).flatMap((policy) =>
    [0, 1, 2].map((failing) => [policy, failing] as const),
  );

  it.each(cases)('on-failure %s, a failure in region #%i of three', async (policy, failing) => {
    const { name, fns } = await fleet(REGIONS);
    const failingRegion = REGIONS[failing]!;
    const bad = fns.get(failingRegion)![0]!;
    aws.faults.add({ kind: 'update-fails', functionName: bad, region: failingRegion, reason: 'bad layer' });

    const report = await run(name, REGIONS, { 'on-failure': policy, 'max-parallel': '1' });

    expect(report.error).toMatch(/Roll-out failed for 1 function\(s\)/);
    const status = statusOf(report);
    expect(status[bad]).toBe('failed');
    expectOldOrNew(name, fns);
    REGIONS.forEach((region, index) => {
      for (const fn of fns.get(region)!) {
        if (fn === bad) continue;
        // max-parallel 1: the failing function goes first in its region, so its neighbour never starts.
        const before = policy === 'rollback' ? 'rolled-back' : 'updated';
        const expected = policy === 'continue' ? 'updated' : index < failing ? before : 'not-started';
        expect(status[fn], `${fn} in ${region}`).toBe(expected);
        const version = expected === 'updated' ? 2 : 1;
        expect(layersOf(region, fn)).toEqual([`${layerArn(name, region)}:${version}`]);
      }
    });
    if (policy === 'rollback') {
      expect(report.rollout!.rolledBack).toBe(true);
      expect(layersOf(failingRegion, bad)).toEqual([`${layerArn(name, failingRegion)}:1`]);
    }
    if (policy !== 'continue' && failing < 2) {
      expect(report.rollout!.stopped).toMatch(
        new RegExp(`wave ${failing + 1} \\(${failingRegion}\\) failed: ${bad}`),
      );
    }
    expect(report.rollout!.waves!.map((w) => w.label)).toEqual(REGIONS);
  });

  it('a failed canary in the first region holds back every other region, whatever on-failure says', async () => {
    const { name, fns } = await fleet(REGIONS.slice(0, 2));
    const canary = fns.get(REGIONS[0]!)![0]!;
    aws.faults.add({ kind: 'update-fails', functionName: canary, region: REGIONS[0]!, reason: 'crashes' });
    const report = await run(name, REGIONS.slice(0, 2), { canary: '1', 'on-failure': 'continue' });
    expect(statusOf(report)).toEqual({
      [canary]: 'failed',
      [fns.get(REGIONS[0]!)![1]!]: 'not-started',
      [fns.get(REGIONS[1]!)![0]!]: 'not-started',
      [fns.get(REGIONS[1]!)![1]!]: 'not-started',
    });
    expect(report.rollout!.waves!.map((w) => [w.label, w.functions])).toEqual([
      [`canary in ${REGIONS[0]}`, 1],
      [REGIONS[0], 1],
      [REGIONS[1], 2],
    ]);
  });
});

describe('alarm gate', () => {
  it('refuses the roll-out when an alarm fired after the preflight, before anything changes', async () => {
    const { name, fns } = await fleet(REGIONS.slice(0, 2));
    for (const region of REGIONS.slice(0, 2)) aws.setAlarm(region, `${name}-errors`, 'OK');
    // The preflight reads each region's alarms once (OK, so it publishes); the alarm fires before the
    // roll-out reads them again. (One already firing is refused before publishing: preflight.test.ts.)
    const deps = defaultDeps();
    let clients = 0;
    const cloudwatch = (region: string) => {
      if (++clients === 3) {
        aws.setAlarm(REGIONS[1]!, `${name}-errors`, 'ALARM', { reason: 'Errors > 5 for 3 datapoints' });
      }
      return deps.cloudwatch(region);
    };
    const writes = (): number =>
      aws.requests.filter((r) => r.operation === 'UpdateFunctionConfiguration').length;
    const before = writes();
    const report = await run(
      name,
      REGIONS.slice(0, 2),
      { alarms: `${name}-errors` },
      { ...deps, cloudwatch },
    );
    expect(clients).toBe(4);
    expect(report.error).toMatch(
      new RegExp(`alarm ${name}-errors \\(${REGIONS[1]}\\) is in ALARM: Errors > 5`),
    );
    expect(writes()).toBe(before);
    expect(report.rollout!.stopped).toMatch(/before the roll-out: nothing was changed/);
    for (const [region, names] of fns)
      for (const fn of names) expect(layersOf(region, fn)).toEqual([`${layerArn(name, region)}:1`]);
  });

  it('an alarm that fires during the canary bake counts as a failure: rollback puts the canary back', async () => {
    const { name, fns } = await fleet(REGIONS.slice(0, 2));
    const alarm = `${name}-p99`;
    for (const region of REGIONS.slice(0, 2)) aws.setAlarm(region, alarm, 'OK');
    // The bake's clock: the alarm fires 20 s into a 60 s bake.
    let baked = 0;
    const sleep = vi.fn(async (ms: number) => {
      baked += ms;
      if (baked >= 20_000) aws.setAlarm(REGIONS[0]!, alarm, 'ALARM', { reason: 'p99 > 800 ms' });
    });
    const report = await run(
      name,
      REGIONS.slice(0, 2),
      { canary: '1', 'canary-wait': '60', alarms: alarm, 'on-failure': 'rollback' },
      { ...defaultDeps(), sleep },
    );
    const canary = fns.get(REGIONS[0]!)![0]!;
    expect(report.error).toMatch(/Roll-out failed on 1 alarm\(s\) in ALARM \(rolled back\)/);
    expect(baked).toBe(20_000); // stopped watching as soon as it fired
    expect(statusOf(report)[canary]).toBe('rolled-back');
    expect(report.rollout!.alarms).toEqual([
      expect.objectContaining({ name: alarm, region: REGIONS[0], state: 'ALARM' }),
    ]);
    for (const [region, names] of fns)
      for (const fn of names) expect(layersOf(region, fn)).toEqual([`${layerArn(name, region)}:1`]);
  });

  it('an alarm name that exists in no alarm of a region is an error, not a silent pass', async () => {
    const { name } = await fleet([REGIONS[0]!]);
    const report = await run(name, [REGIONS[0]!], { alarms: 'no-such-alarm' });
    expect(report.error).toMatch(/alarms: "no-such-alarm" is not an alarm in us-east-1/);
    expect(report.publish).toBeUndefined(); // refused by the preflight, before publishing
  });

  it('needs wait: true', async () => {
    const report = await run('any-layer', [REGIONS[0]!], { alarms: 'x', wait: 'false' });
    expect(report.error).toMatch(/wait: false cannot be combined with alarms/);
  });
});

describe('aliases', () => {
  let lambda: LambdaClient;
  beforeAll(() => {
    lambda = new LambdaClient(aws.clientConfig(REGIONS[0]));
  });
  const region = REGIONS[0]!;

  async function aliasedFunction(name: string, layers: string[], aliases: string[]): Promise<string> {
    aws.seedFunction({ region, name, runtime: 'python3.11', layers });
    const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    for (const alias of aliases) {
      await lambda.send(
        new CreateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: Version }),
      );
    }
    return Version!;
  }
  const aliasVersion = async (fn: string, alias: string): Promise<string> =>
    (await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: alias }))).FunctionVersion!;

  async function drift(fn: string, change: Record<string, unknown>): Promise<void> {
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn, ...change }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: fn });
  }

  it('skips an alias whose version differs from $LATEST in another layer, VPC or environment, naming the field', async () => {
    const { name } = await fleet([region], 0);
    const v1 = `${layerArn(name, region)}:1`;
    const logging = (await aws.seedLayerVersion({ region, name: `${name}-logging` })).LayerVersionArn;
    const logging2 = (await aws.seedLayerVersion({ region, name: `${name}-logging` })).LayerVersionArn;
    await aliasedFunction(`${name}-layers`, [logging, v1], ['live']);
    await drift(`${name}-layers`, { Layers: [logging2, v1] });
    await aliasedFunction(`${name}-vpc`, [v1], ['live']);
    await drift(`${name}-vpc`, { VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] } });
    await aliasedFunction(`${name}-env`, [v1], ['live']);
    await drift(`${name}-env`, { Environment: { Variables: { FEATURE: 'on' } } });

    const report = await run(name, [region], { 'update-aliases': 'true' });
    expect(report.error).toBeUndefined();
    const reasonOf = (fn: string): string | undefined =>
      report.rollout!.functions.find((f) => f.functionName === fn)!.aliases![0]!.reason;
    expect(reasonOf(`${name}-layers`)).toMatch(/differs from \$LATEST in other layers/);
    expect(reasonOf(`${name}-vpc`)).toMatch(/differs from \$LATEST in VPC/);
    expect(reasonOf(`${name}-env`)).toMatch(/differs from \$LATEST in environment/);
    for (const fn of ['layers', 'vpc', 'env']) expect(await aliasVersion(`${name}-${fn}`, 'live')).toBe('1');
  });

  it('an error between two alias moves: rollback puts back the alias already moved', async () => {
    const { name } = await fleet([region], 0);
    const fn = `${name}-two-aliases`;
    const before = await aliasedFunction(fn, [`${layerArn(name, region)}:1`], ['blue', 'green']);
    aws.faults.add({ kind: 'conflict', operation: 'UpdateAlias', functionName: fn, nth: 2 });

    const report = await run(name, [region], { 'update-aliases': 'true', 'on-failure': 'rollback' });
    const outcome = report.rollout!.functions.find((f) => f.functionName === fn)!;
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toMatch(/moving its aliases failed: ResourceConflictException.*; rolled back/);
    expect(outcome.aliases).toEqual([
      expect.objectContaining({ alias: 'blue', status: 'restored', fromVersion: before }),
    ]);
    expect(await aliasVersion(fn, 'blue')).toBe(before);
    expect(await aliasVersion(fn, 'green')).toBe(before);
    expect(layersOf(region, fn)).toEqual([`${layerArn(name, region)}:1`]);
  });
});

describe('busy functions and functions Lambda cannot update', () => {
  const region = REGIONS[0]!;

  it('after a 409, waits for the other writer; their Failed update is a note, ours decides', async () => {
    const { name, fns } = await fleet([region], 1);
    const fn = fns.get(region)![0]!;
    aws.changeFunction(
      region,
      fn,
      { MemorySize: 512 },
      { inProgressMs: 300, fails: { reason: 'their bad change' } },
    );
    const report = await run(name, [region], { 'on-failure': 'stop' });
    expect(report.error).toBeUndefined();
    const outcome = report.rollout!.functions.find((f) => f.functionName === fn)!;
    expect(outcome.status).toBe('updated');
    expect(outcome.reason).toMatch(/another update of this function failed meanwhile \(.*their bad change\)/);
    expect(layersOf(region, fn)).toEqual([`${layerArn(name, region)}:2`]);
  });

  it.each(['Pending', 'Inactive'] as const)(
    'waits until a %s function is Active, then updates it',
    async (state) => {
      const { name, fns } = await fleet([region], 1);
      const fn = fns.get(region)![0]!;
      aws.setFunctionState(region, fn, state, 1500);
      const report = await run(name, [region]);
      expect(report.error).toBeUndefined();
      expect(statusOf(report)[fn]).toBe('updated');
      expect(layersOf(region, fn)).toEqual([`${layerArn(name, region)}:2`]);
    },
  );

  it('reports a container-image function and a function in State Failed as skipped, with the reason', async () => {
    const { name, fns } = await fleet([region], 1);
    const v1 = `${layerArn(name, region)}:1`;
    aws.seedFunction({ region, name: `${name}-image`, config: { PackageType: 'Image', Runtime: undefined } });
    aws.seedFunction({
      region,
      name: `${name}-broken`,
      runtime: 'python3.11',
      layers: [v1],
      config: { State: 'Failed', StateReasonCode: 'SubnetOutOfIPAddresses', StateReason: 'no IPs left' },
    });
    const listed = [fns.get(region)![0]!, `${name}-image`, `${name}-broken`].join(' ');
    const report = await run(name, [region], { functions: listed });
    expect(report.error).toBeUndefined();
    const reasonOf = (fn: string): string | undefined =>
      report.rollout!.functions.find((f) => f.functionName === fn)?.reason;
    expect(statusOf(report)[`${name}-image`]).toBe('skipped');
    expect(reasonOf(`${name}-image`)).toBe('a container-image function cannot use layers');
    expect(reasonOf(`${name}-broken`)).toMatch(/State Failed \(SubnetOutOfIPAddresses: no IPs left\)/);
    expect(layersOf(region, `${name}-broken`)).toEqual([v1]);
  });
});

describe('keep-versions', () => {
  it('never deletes a version shared with another account, an organization or the public', async () => {
    const region = REGIONS[0]!;
    const name = `retained-${++count}`;
    await aws.seedLayerVersion({ region, name, permissions: [{ principal: '210987654321' }] });
    await aws.seedLayerVersion({
      region,
      name,
      permissions: [{ principal: '*', organizationId: 'o-abcdefghij' }],
    });
    await aws.seedLayerVersion({ region, name });
    const dir = await workspaceWithZip({ 'python/lib/python3.11/site-packages/kept.py': 'X = 1\n' });
    const report = await release(aws, dir, { 'layer-name': name, 'keep-versions': '1', regions: region });
    expect(report.error).toBeUndefined();
    expect(report.retention).toEqual([
      {
        region,
        deleted: [3],
        keptInUse: {},
        keptShared: { 1: ['210987654321'], 2: ['o-abcdefghij'] },
        planned: false,
      },
    ]);
    // On the double, not only in the report: the shared versions and their grants are still there.
    const layer = aws.state.layer(region, name)!;
    expect([...layer.versions.keys()].sort()).toEqual([1, 2, 4]);
    const deletes = aws.requests.filter((r) => r.operation === 'DeleteLayerVersion' && r.layerName === name);
    expect(deletes.map((r) => String(r.params['VersionNumber']))).toEqual(['3']);
  });
});
