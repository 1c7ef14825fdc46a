/**
 * Re-runs: a fully pinned manifest whose build key is already on the newest version in every region
 * builds nothing and runs no container; any change to what the key covers builds again.
 */
import { getExecOutput } from '@actions/exec';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDeps, type Deps } from '../../src/deps.js';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { standInBuildImage } from '../support/images.js';
import { runInProcess, workspace } from '../support/release.js';
import { dockerShim, runAction } from '../support/runner.js';
import { makeWheel } from '../support/wheels.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-rerun-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function wheels(dir: string): Promise<void> {
  for (const version of ['1.0.0', '1.0.1']) {
    await makeWheel(path.join(dir, 'wheels'), {
      name: 'greeting',
      version,
      files: { 'greeting/__init__.py': `VERSION = ${JSON.stringify(version)}\n` },
    });
  }
}

const isRun = (args: readonly string[]): boolean =>
  args[0] === 'run' || args.join(' ').startsWith('container run');

describe('node dist/index.js, re-run of a pinned layer', () => {
  it('builds and publishes first; the re-run runs no container, publishes nothing and still rolls out', async () => {
    const aws = await startAwsDouble({ updateLatencyMs: 100 });
    try {
      const dir = path.join(root, 'ws-dist');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'requirements.txt'), 'greeting==1.0.0\n');
      await wheels(dir);
      const old = await aws.seedLayerVersion({ region: 'eu-west-1', name: 'pinned-deps' });
      aws.seedFunction({
        region: 'eu-west-1',
        name: 'api',
        runtime: 'python3.11',
        layers: [old.LayerVersionArn],
      });
      const shim = dockerShim(root);
      const env = { ...aws.env('eu-west-1'), PATH: shim.path };
      const inputs = {
        steps: 'build,smoke-test,publish,roll-out',
        'layer-name': 'pinned-deps',
        runtime: 'python3.11',
        'install-args': '--no-index --find-links wheels',
      };

      const first = await runAction(root, dir, inputs, env);
      expect(first.status, first.stdout).toBe(0);
      expect(first.outputs).toMatchObject({ 'layer-version': '2', published: 'true' });
      expect(shim.calls().filter(isRun).length).toBeGreaterThanOrEqual(2); // build and smoke test
      const published = aws.state.layer('eu-west-1', 'pinned-deps')!.versions.get(2)!;
      expect(published.Description).toMatch(/^greeting==1\.0\.0 build:[0-9a-f]{32} sha256:[0-9a-f]{64}$/);

      // Another function picks up the old version between the runs: the re-run still rolls out to it.
      aws.seedFunction({
        region: 'eu-west-1',
        name: 'worker',
        runtime: 'python3.11',
        layers: [old.LayerVersionArn],
      });
      shim.clear();
      aws.requests.length = 0;
      const second = await runAction(root, dir, inputs, env);
      expect(second.status, second.stdout).toBe(0);
      expect(shim.calls().filter(isRun)).toEqual([]);
      expect(shim.calls().map((args) => args.slice(0, 2).join(' '))).toEqual(['image inspect']);
      expect(second.outputs).toMatchObject({
        'layer-version-arn': published.LayerVersionArn,
        published: 'false',
      });
      expect(JSON.parse(second.outputs['updated-functions']!)).toEqual([
        {
          function: 'worker',
          arn: `arn:aws:lambda:eu-west-1:${aws.accountId}:function:worker`,
          account: aws.accountId,
          region: 'eu-west-1',
          from: 1,
          to: 2,
        },
      ]);
      const writes = aws.requests.filter((r) => /^(Publish|Add|Delete)/.test(r.operation));
      expect(writes).toEqual([]);
      expect(second.stdout).toMatch(/unchanged since version 2 \(build key [0-9a-f]{12}…\): nothing built/);
      expect(second.summary).toMatch(
        /\| ✅ build \| unchanged since version 2 \(build key [0-9a-f]{12}…\): nothing built \|/,
      );
      expect(second.summary).toMatch(
        /\| ⏭️ smoke-test \| unchanged since version 2 .*tested when it was built \|/,
      );
    } finally {
      await aws.close();
    }
  });
});

describe('what the build key covers', () => {
  let aws: AwsDouble;
  let dir: string;
  const calls: string[][] = [];
  const deps: Deps = {
    ...defaultDeps(),
    exec: (command, args, options) => {
      calls.push([command, ...args]);
      return getExecOutput(command, args, options);
    },
  };
  const base = {
    steps: 'build,smoke-test,publish',
    'layer-name': 'key-deps',
    runtime: 'python3.11',
    regions: 'us-east-1,eu-west-1',
    'install-args': '--no-index --find-links wheels',
  };
  /** Runs in-process; true when it built (a `docker run` happened and no version was reused by key). */
  const built = async (inputs: Record<string, string> = {}): Promise<boolean> => {
    calls.length = 0;
    const report = await runInProcess(dir, { ...base, ...inputs }, deps, aws.env());
    expect(report.error).toBeUndefined();
    const ran = calls.some(([command, ...args]) => command === 'docker' && isRun(args));
    expect(ran, 'a docker run exactly when not unchanged').toBe(report.unchanged === undefined);
    return ran;
  };
  const otherImage = `${standInBuildImage('python3.11')}-rerun-${process.pid}`;

  beforeAll(async () => {
    aws = await startAwsDouble();
    dir = workspace({ 'requirements.txt': 'greeting==1.0.0\n' });
    await wheels(dir);
    execFileSync('docker', ['tag', standInBuildImage('python3.11'), otherImage]);
    expect(await built()).toBe(true); // version 1 in both regions, with the key
  });
  afterAll(async () => {
    execFileSync('docker', ['rmi', otherImage]);
    await aws.close();
  });

  it('is unchanged when nothing changed, in every region', async () => {
    expect(await built()).toBe(false);
    expect(await built({ 'dry-run': 'true' })).toBe(false);
  });

  it.each([
    ['a pin', {}, 'greeting==1.0.1\n'],
    ['install-args', { 'install-args': '--no-index --find-links wheels --no-deps' }, undefined],
    ['the build image', { 'build-image': otherImage }, undefined],
    ['trim', { trim: 'true' }, undefined],
    ['force-build', { 'force-build': 'true' }, undefined],
  ])('builds again when %s changes', async (_, inputs, requirements) => {
    const file = path.join(dir, 'requirements.txt');
    const before = fs.readFileSync(file, 'utf8');
    if (requirements) fs.writeFileSync(file, requirements);
    try {
      // dry-run: nothing is published, so version 1 keeps the original key for the next case.
      expect(await built({ ...inputs, 'dry-run': 'true' })).toBe(true);
    } finally {
      fs.writeFileSync(file, before);
    }
    expect(await built({ 'dry-run': 'true' })).toBe(false);
  });

  it('builds when one region’s newest version has another key', async () => {
    await aws.seedLayerVersion({ region: 'eu-west-1', name: 'key-deps', description: 'by hand' });
    expect(await built({ 'dry-run': 'true' })).toBe(true);
  });

  it('always builds an unpinned manifest', async () => {
    const unpinned = workspace({ 'requirements.txt': 'greeting>=1.0\n' });
    await wheels(unpinned);
    const previous = dir;
    dir = unpinned;
    try {
      expect(await built({ 'layer-name': 'unpinned-deps' })).toBe(true);
      expect(await built({ 'layer-name': 'unpinned-deps' })).toBe(true);
    } finally {
      dir = previous;
    }
  });
});
