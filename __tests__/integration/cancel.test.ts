/**
 * Cancelling `node dist/index.js` as the runner does (SIGTERM; SIGKILL when it does not end), with the
 * real Docker engine: no container of the run is left, the run fails and its summary says where it
 * stopped; after a SIGKILL the post step removes what was left. Only containers with the run's own
 * label are looked at or removed: the engine is shared.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_LABEL } from '../../src/cancel.js';
import { startAwsDouble } from '../support/aws-double.js';
import { SIX, workspaceWithZip } from '../support/release.js';
import { runAction, runPost, startAction, type StartedAction } from '../support/runner.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-cancel-'));
const runIds: string[] = [];
afterAll(() => {
  // Whatever a failed assertion left behind, and only that.
  for (const id of runIds) for (const c of containers(id)) execFileSync('docker', ['rm', '-f', c]);
  fs.rmSync(root, { recursive: true, force: true });
});

function containers(runId: string): string[] {
  const out = execFileSync('docker', ['ps', '-aq', '--filter', `label=${RUN_LABEL}=${runId}`], {
    encoding: 'utf8',
  });
  return out.split(/\s+/).filter(Boolean);
}

/** Polls until `check` gives a value; the test's own timeout bounds the wait, however busy the machine. */
async function until<T>(check: () => T | undefined): Promise<T> {
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    await sleep(100);
  }
}

/** Starts a build that runs for minutes, and waits until its container runs; its run id. */
async function startLongBuild(name: string): Promise<{ run: StartedAction; runId: string }> {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'requirements.txt'), '');
  const run = startAction(root, dir, {
    'layer-name': name,
    runtime: 'python3.11',
    'build-command': 'sleep 600',
  });
  const runId = await until(() => run.state()['run-id']);
  runIds.push(runId);
  await until(() => (containers(runId).length > 0 ? true : undefined));
  return { run, runId };
}

describe('node dist/index.js, cancelled', () => {
  // Checked by order, not by time (the times are printed): when the process has exited by itself, no
  // container of the run is left. The runner's SIGKILL, which would come 2.5 s later, is not sent here.
  it('on SIGTERM mid-build: removes the run’s containers before it exits non-zero, summary says where', async () => {
    const { run, runId } = await startLongBuild('cancel-build');
    const signalled = Date.now();
    run.child.kill('SIGTERM');
    const result = await run.done;
    const left = containers(runId);
    console.log(`cancel: process exited ${Date.now() - signalled} ms after SIGTERM`);
    expect(left, 'containers of the run left when the process exited').toEqual([]);
    expect(run.child.signalCode, 'ended by itself, not by the signal').toBeNull();
    expect(result.status, result.stdout).not.toBe(0);
    expect(result.stdout).toMatch(/::error::Cancelled \(SIGTERM\) during build\./);
    expect(result.summary).toContain('run cancelled');
    expect(result.summary).toMatch(/Cancelled \(SIGTERM\) during build\. Nothing was published\./);
    expect(result.summary).toMatch(/\| ⏹️ build \| cancelled \(SIGTERM\) \|/);
    // The post step finds nothing left, and removes the run's temporary tree.
    const state = run.state();
    expect(fs.existsSync(state['temp-tree']!)).toBe(true);
    expect(runPost(run.runnerTemp, state).status).toBe(0);
    expect(fs.existsSync(state['temp-tree']!)).toBe(false);
  });

  it('after a SIGKILL of the main step, the post step alone removes the container it left running', async () => {
    const { run, runId } = await startLongBuild('kill-build');
    run.child.kill('SIGKILL');
    await run.done;
    await sleep(1000);
    expect(containers(runId), 'a killed docker client leaves its container running').toHaveLength(1);
    // Another run's container with another id is not touched (the engine is shared).
    const other = `${runId}-other`;
    runIds.push(other);
    const image = 'llr-stand-in.invalid/sam/build-python3.11:latest-x86_64';
    execFileSync('docker', [
      'run',
      '-d',
      '--label',
      `${RUN_LABEL}=${other}`,
      '--entrypoint',
      'sleep',
      image,
      '60',
    ]);
    const state = run.state();
    const post = runPost(run.runnerTemp, state);
    expect(post.status, post.stdout).toBe(0);
    expect(post.stdout).toContain('Removed 1 container(s) of this run left running.');
    expect(containers(runId)).toEqual([]);
    expect(containers(other)).toHaveLength(1);
    expect(fs.existsSync(state['temp-tree']!)).toBe(false);
    expect(fs.existsSync(run.runnerTemp)).toBe(true);
  });
});

describe('node dist/index.js, cancelled mid-roll-out (AWS double)', () => {
  it('on SIGTERM reports each function moved, in flight or not yet moved, writes no SSM; a re-run converges', async () => {
    const aws = await startAwsDouble({ updateLatencyMs: 1500 });
    try {
      const region = 'us-east-1';
      const old = await aws.seedLayerVersion({ region, name: 'signal-deps' });
      const names = ['s1', 's2', 's3', 's4'];
      for (const name of names)
        aws.seedFunction({ region, name, runtime: 'python3.11', layers: [old.LayerVersionArn] });
      const dir = await workspaceWithZip(SIX);
      const inputs = {
        steps: 'build,publish,roll-out,ssm',
        'zip-file': 'layer.zip',
        'layer-name': 'signal-deps',
        runtime: 'python3.11',
        regions: region,
        'ssm-parameter': '/layers/signal-deps',
        'max-parallel': '1',
      };
      const env = aws.env(region);
      const run = startAction(root, dir, inputs, env);
      await until(() =>
        aws.requests.some((r) => r.operation === 'UpdateFunctionConfiguration') ? true : undefined,
      );
      run.child.kill('SIGTERM');
      const result = await run.done;
      expect(run.child.signalCode, 'ended by itself, not by the signal').toBeNull();
      expect(result.status, result.stdout).not.toBe(0);
      expect(result.summary).toMatch(
        /Cancelled \(SIGTERM\) during roll-out\. us-east-1 serves .*1 function in flight \(update sent, not confirmed\), 3 functions not yet moved\./,
      );
      const failed = JSON.parse(result.outputs['failed-functions']!) as {
        function: string;
        reason: string;
      }[];
      expect(failed).toMatchObject([
        { function: 's1', reason: expect.stringMatching(/^in flight/) as string },
      ]);
      expect(aws.state.parameter(region, '/layers/signal-deps')).toBeUndefined();

      const again = await runAction(root, dir, inputs, env);
      expect(again.status, again.stdout).toBe(0);
      const layer = aws.state.layer(region, 'signal-deps')!;
      expect([...layer.versions.keys()]).toEqual([1, 2]);
      const v2 = layer.versions.get(2)!.LayerVersionArn;
      for (const name of names)
        expect(aws.state.fn(region, name)!.config.Layers?.map((l) => l.Arn)).toEqual([v2]);
      expect(aws.state.parameter(region, '/layers/signal-deps')?.Value).toBe(v2);
    } finally {
      await aws.close();
    }
  });
});
