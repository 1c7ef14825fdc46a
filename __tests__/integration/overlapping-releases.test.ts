/**
 * Two releases of one layer at once, each a real `node dist/index.js` against one AWS double: the
 * older run (the lower layer version) is paused by the double — between its canary and its next wave,
 * after its publish, before moving an alias — while the newer one releases. Whatever the order, every
 * function, alias and the SSM parameter end on the newer release; the older run says what it left
 * alone and why, and does not fail. As AWS answers (RevisionId: a stale update gets 412) and as
 * emulators do (no RevisionId: only a read right before each update can tell).
 */
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  PublishVersionCommand,
} from '@aws-sdk/client-lambda';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startAwsDouble, type AwsDouble, type Pause } from '../support/aws-double.js';
import { workspaceWithZip } from '../support/release.js';
import { startAction, type RunnerResult, type StartedAction } from '../support/runner.js';

const REGION = 'us-east-1';
const FUNCTIONS = ['race-1', 'race-2', 'race-3', 'race-4'];
const PARAMETER = '/race/arn';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-overlap-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let aws: AwsDouble | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

interface Setup {
  readonly aws: AwsDouble;
  readonly common: string;
  readonly race: (version: number) => string;
}

/** Four functions on `race:1` after `common:1` (a layer that must stay where it is). */
async function setup(flavour: 'aws' | 'emulator'): Promise<Setup> {
  aws = await startAwsDouble({ flavour, updateLatencyMs: flavour === 'aws' ? 200 : 0 });
  const seed = async (name: string, content: string) =>
    (await aws!.seedLayerVersion({ region: REGION, name, content: Buffer.from(content) })).LayerVersionArn;
  const common = await seed('common', 'common');
  const v1 = await seed('race', 'race 1');
  for (const name of FUNCTIONS)
    aws.seedFunction({ region: REGION, name, runtime: 'python3.11', layers: [common, v1] });
  return { aws, common, race: (version) => v1.replace(/:1$/, `:${version}`) };
}

/** A release of its own content (`node dist/index.js`), started now. */
async function start(double: AwsDouble, content: string, inputs: Record<string, string> = {}) {
  const dir = await workspaceWithZip({ 'python/race.py': `${content}\n` });
  return startAction(
    root,
    dir,
    {
      steps: 'build,publish,roll-out,ssm',
      'layer-name': 'race',
      runtime: 'python3.11',
      'zip-file': 'layer.zip',
      regions: REGION,
      'ssm-parameter': PARAMETER,
      ...inputs,
    },
    double.env(),
  );
}

/** Waits until the run is held by the pause (fails at once if the run ends without reaching it). */
async function held(pause: Pause, run: StartedAction, what: string): Promise<void> {
  await Promise.race([
    pause.reached,
    run.done.then((r) => {
      throw new Error(`the run ended before ${what} (exit ${r.status}):\n${r.stdout.slice(-4000)}`);
    }),
  ]);
}

async function succeeded(run: StartedAction): Promise<RunnerResult> {
  const result = await run.done;
  expect(result.status, result.stdout).toBe(0);
  return result;
}

const layersOf = (double: AwsDouble, name: string): string[] =>
  (double.state.fn(REGION, name)!.config.Layers ?? []).map((l) => l.Arn!);
const parameter = (double: AwsDouble): string | undefined =>
  double.state.region(REGION).parameters.get(PARAMETER)?.Value;
const names = (output: string | undefined): string[] =>
  (JSON.parse(output ?? '[]') as { function: string }[]).map((f) => f.function);

/** Every function on `common:1` and `race:3`, the parameter on `race:3`. */
function allOnNewer({ aws: double, common, race }: Setup): void {
  for (const name of FUNCTIONS) expect(layersOf(double, name), name).toEqual([common, race(3)]);
  expect(parameter(double)).toBe(race(3));
}

describe.each(['aws', 'emulator'] as const)('overlapping releases (%s)', (flavour) => {
  it('the older run finishes last: paused after its canary, it moves nothing back and says so', async () => {
    const s = await setup(flavour);
    // The first request about race-2 is the older run's, in its second wave (after its canary).
    const pause = s.aws.pause({ functionName: 'race-2' });
    const older = await start(s.aws, 'A', { canary: '1', 'max-parallel': '1' });
    await held(pause, older, 'its second wave');
    expect(layersOf(s.aws, 'race-1')).toEqual([s.common, s.race(2)]); // the older run's canary
    await succeeded(await start(s.aws, 'B'));
    allOnNewer(s);
    pause.release();
    const result = await succeeded(older);

    allOnNewer(s);
    expect(result.stdout).toContain("race-2 is on version 3, newer than this run's 2: left alone");
    expect(result.stdout).toMatch(/superseded by version 3 \(seen on race-2 in us-east-1\)/);
    expect(result.stdout).toContain(`${PARAMETER} is on version 3, newer than this run's 2: left alone`);
    expect(names(result.outputs['updated-functions'])).toEqual(['race-1']);
    expect(result.outputs['failed-functions']).toBe('[]');
    // race-3 and race-4 were never started: the newer release moved them.
    const updates = s.aws.requests.filter(
      (r) => r.operation === 'UpdateFunctionConfiguration' && r.status === 200,
    );
    expect(updates.filter((r) => JSON.stringify(r.params['Layers']).includes(':race:2')).length).toBe(1);
    expect(result.summary).toContain('superseded by a newer release');
    expect(result.summary).toMatch(/Superseded by `race:3` in us-east-1, published after this run/);
    expect(result.summary).toMatch(/race-2.*\| 3, newer than 2 \| ⏩ on a newer version, left alone/);
    expect(result.summary).toMatch(/race-3.*⏭️ left to the newer release/);
    expect(result.summary).toMatch(/holds the newer `race:3`: left alone/);
  });

  it('the older run finishes first: it finds the newer canary and starts nothing', async () => {
    const s = await setup(flavour);
    // The older run publishes race:2 and waits for its answer while the newer one publishes race:3…
    const afterPublish = s.aws.pause({ operation: 'PublishLayerVersion', afterApplying: true });
    const older = await start(s.aws, 'A');
    await held(afterPublish, older, 'its publish');
    // … whose canary moves race-1 to 3; it then waits before its second wave.
    const beforeWave2 = s.aws.pause({ functionName: 'race-2' });
    const newer = await start(s.aws, 'B', { canary: '1', 'max-parallel': '1' });
    await held(beforeWave2, newer, 'its second wave');
    afterPublish.release();
    const result = await succeeded(older);

    expect(layersOf(s.aws, 'race-1')).toEqual([s.common, s.race(3)]);
    for (const name of ['race-2', 'race-3', 'race-4'])
      expect(layersOf(s.aws, name)).toEqual([s.common, s.race(1)]);
    expect(result.stdout).toContain("race-1 is on version 3, newer than this run's 2: left alone");
    expect(names(result.outputs['updated-functions'])).toEqual([]);
    expect(result.outputs['failed-functions']).toBe('[]');
    expect(result.summary).toMatch(/Superseded by `race:3` in us-east-1/);
    // The parameter held nothing newer yet: the older run wrote its own; the newer one overwrites it.
    expect(parameter(s.aws)).toBe(s.race(2));

    beforeWave2.release();
    await succeeded(newer);
    allOnNewer(s);
  });

  it('a newer version published during the bake stops the next wave (ListLayerVersions)', async () => {
    const s = await setup(flavour);
    // The canary's update is applied; its answer waits while another run only publishes race:3.
    const canary = s.aws.pause({
      operation: 'UpdateFunctionConfiguration',
      functionName: 'race-1',
      afterApplying: true,
    });
    const older = await start(s.aws, 'A', { canary: '1' });
    await held(canary, older, 'its canary');
    await succeeded(await start(s.aws, 'B', { steps: 'build,publish' }));
    canary.release();
    const result = await succeeded(older);

    expect(layersOf(s.aws, 'race-1')).toEqual([s.common, s.race(2)]);
    // Left to the newer release (which did not roll out): nothing moved them back or forth.
    for (const name of ['race-2', 'race-3', 'race-4'])
      expect(layersOf(s.aws, name)).toEqual([s.common, s.race(1)]);
    expect(result.stdout).toMatch(/superseded by version 3 \(listed in us-east-1 between waves\)/);
    expect(result.outputs['failed-functions']).toBe('[]');
    expect(result.summary).toMatch(/3 functions left to the newer release/);
  });

  it('update-aliases: an alias the newer release moved stays where it put it', async () => {
    const s = await setup(flavour);
    const lambda = new LambdaClient(s.aws.clientConfig());
    for (const name of FUNCTIONS) {
      const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
      await lambda.send(
        new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: Version }),
      );
    }
    const aliasLayers = async (name: string): Promise<string[]> => {
      const alias = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }));
      const version = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: alias.FunctionVersion }),
      );
      return (version.Layers ?? []).map((l) => l.Arn!);
    };
    // The older run moved race-1's $LATEST and published it as version 2 (its answer waits); before it
    // moves race-1's alias there, the newer release moves it to its own version 3.
    const published = s.aws.pause({
      operation: 'PublishVersion',
      functionName: 'race-1',
      afterApplying: true,
    });
    const older = await start(s.aws, 'A', { canary: '1', 'update-aliases': 'true' });
    await held(published, older, 'moving its aliases');
    await succeeded(await start(s.aws, 'B', { 'update-aliases': 'true' }));
    published.release();
    const result = await succeeded(older);

    for (const name of FUNCTIONS) expect(await aliasLayers(name), name).toEqual([s.common, s.race(3)]);
    allOnNewer(s);
    expect(result.outputs['failed-functions']).toBe('[]');
    expect(result.summary).toMatch(/alias live: skipped/);
    lambda.destroy();
  });

  it("ssm: a newer ARN written between the older run's read and its write is put back", async () => {
    const s = await setup(flavour);
    // The older run has read the parameter (absent) and sent its write, which waits …
    const write = s.aws.pause({ service: 'ssm', operation: 'PutParameter' });
    const older = await start(s.aws, 'A', { steps: 'build,publish,ssm' });
    await held(write, older, 'its SSM write');
    // … while the newer release writes race:3; then the older write lands on top of it.
    await succeeded(await start(s.aws, 'B', { steps: 'build,publish,ssm' }));
    expect(parameter(s.aws)).toBe(s.race(3));
    write.release();
    const result = await succeeded(older);

    expect(parameter(s.aws)).toBe(s.race(3));
    expect(result.stdout).toContain(
      `a newer release wrote version 3 of the layer to ${PARAMETER} meanwhile; putting it back`,
    );
    expect(result.summary).toMatch(/another run wrote the newer `race:3` meanwhile: put back/);
  });

  it('on-failure: rollback puts back only what is still on its version', async () => {
    const s = await setup(flavour);
    // One at a time, no canary: race-1 and race-2 move to 2, then the run waits at race-3 …
    const pause = s.aws.pause({ functionName: 'race-3' });
    s.aws.faults.add({ kind: 'update-fails', functionName: 'race-3', reason: 'bad layer' });
    const older = await start(s.aws, 'A', { 'max-parallel': '1', 'on-failure': 'rollback' });
    await held(pause, older, 'race-3');
    // … while a newer release moves race-1 (only) to 3; then race-3's update fails.
    await succeeded(
      await start(s.aws, 'B', { 'function-filter': 'race-1', steps: 'build,publish,roll-out' }),
    );
    pause.release();
    const result = await older.done;

    expect(result.status, result.stdout).not.toBe(0);
    expect(layersOf(s.aws, 'race-1')).toEqual([s.common, s.race(3)]); // the newer release's: kept
    expect(layersOf(s.aws, 'race-2')).toEqual([s.common, s.race(1)]); // this run's: rolled back
    expect(result.stdout).toMatch(/race-2 \(\d+ us-east-1\): back on version 1/);
    expect(result.stdout).not.toMatch(/race-1 \(\d+ us-east-1\): back on version 1/);
    expect(result.summary).toMatch(/race-1.*not rolled back: now on version 3/);
  });
});
