/**
 * A run cancelled at several points (after publish, mid-roll-out with each failure policy, before the
 * SSM write), then run again with the same inputs against the AWS and GitHub doubles: the re-run
 * converges on what an uninterrupted run gives — no second layer version, every consumer on the new
 * version with its other layers in place, the SSM parameter written, one comment — and no function
 * ever held anything but its old or its new Layers list.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultDeps, type Deps } from '../../src/deps.js';
import { outputsOf, renderSummary, type Report } from '../../src/report/index.js';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js';
import { runInProcess, SIX, workspaceWithZip } from '../support/release.js';

const REGION = 'us-east-1';
const FUNCTIONS = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'];
let gh: GitHubDouble;
beforeAll(async () => {
  gh = await startGitHubDouble();
  // @actions/core writes its log to stdout: keep the test output readable.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await gh.close();
});

/** Cancels the run (as the SIGTERM handler does) once the `count`-th `operation` has been answered. */
function cancelAfter(
  deps: Deps,
  operation: string,
  count: number,
  matches: (input: { Layers?: string[] }) => boolean = () => true,
): void {
  let seen = 0;
  (deps.lambda(REGION) as LambdaClient).middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const input = args.input as { Layers?: string[] };
      if (context.commandName === `${operation}Command` && matches(input) && ++seen === count)
        deps.cancel.cancel('SIGTERM');
      return result;
    },
    { step: 'initialize', priority: 'low', name: 'testCancelAfter' },
  );
}

/**
 * Cancels when the ssm step asks for its client, before it writes anything. The preflight asks first
 * (one GetParameter in the one region), so the step's is the second request for a client.
 */
function cancelBeforeSsm(deps: Deps): Deps {
  let asked = 0;
  return {
    ...deps,
    ssm: (region) => {
      if (++asked === 2) deps.cancel.cancel('SIGTERM');
      return deps.ssm(region);
    },
  };
}

interface Case {
  readonly name: string;
  readonly onFailure: string;
  readonly arm: (deps: Deps, aws: AwsDouble) => Deps;
  readonly step: string;
  /** Statuses the cancelled run's functions must show (each at least once). */
  readonly shows?: readonly string[];
  /** Statuses allowed beside moved, in flight and not yet moved. */
  readonly alsoAllowed?: readonly string[];
}

const CASES: Case[] = [
  {
    name: 'after publish',
    onFailure: 'stop',
    arm: (deps) => (cancelAfter(deps, 'PublishLayerVersion', 1), deps),
    step: 'roll-out',
  },
  {
    name: 'mid-roll-out (on-failure: stop)',
    onFailure: 'stop',
    arm: (deps) => (cancelAfter(deps, 'UpdateFunctionConfiguration', 3), deps),
    step: 'roll-out',
    shows: ['updated', 'in-flight', 'not-started'],
  },
  {
    name: 'mid-roll-out (on-failure: rollback)',
    onFailure: 'rollback',
    arm: (deps) => (cancelAfter(deps, 'UpdateFunctionConfiguration', 2), deps),
    step: 'roll-out',
    shows: ['in-flight', 'not-started'],
  },
  {
    name: 'mid-roll-out, at its last update (on-failure: continue)',
    onFailure: 'continue',
    arm: (deps) => (cancelAfter(deps, 'UpdateFunctionConfiguration', FUNCTIONS.length), deps),
    step: 'roll-out',
    shows: ['updated', 'in-flight'],
  },
  {
    // f1's update fails: the rollback of f1 and f2 starts; the cancel comes at its first restore.
    name: 'during a rollback',
    onFailure: 'rollback',
    arm: (deps, aws) => {
      aws.faults.add({ kind: 'update-fails', functionName: 'f1', region: REGION, reason: 'bad layer' });
      // The first restore: an update back to version 1.
      cancelAfter(deps, 'UpdateFunctionConfiguration', 1, (input) =>
        (input.Layers ?? []).some((arn) => arn.endsWith(':layer:cancel-deps:1')),
      );
      return deps;
    },
    step: 'roll-out',
    shows: ['in-flight', 'not-started'],
    alsoAllowed: ['failed'],
  },
  { name: 'before the SSM write', onFailure: 'stop', arm: cancelBeforeSsm, step: 'ssm' },
];

describe('a cancelled run, re-run with the same inputs', () => {
  let sha = 0;
  it.each(CASES)(
    'converges after a cancel $name',
    async ({ onFailure, arm, step, shows = [], alsoAllowed = [] }) => {
      const aws: AwsDouble = await startAwsDouble({ updateLatencyMs: 300 });
      try {
        const layerName = 'cancel-deps';
        const other = await aws.seedLayerVersion({ region: REGION, name: 'other-lib' });
        const old = await aws.seedLayerVersion({ region: REGION, name: layerName });
        for (const name of FUNCTIONS)
          aws.seedFunction({
            region: REGION,
            name,
            runtime: 'python3.11',
            layers: [other.LayerVersionArn, old.LayerVersionArn],
          });
        const dir = await workspaceWithZip(SIX);
        const commit = `c0ffee${String(++sha).padStart(34, '0')}`;
        const inputs = {
          steps: 'build,publish,roll-out,ssm,comment',
          'zip-file': 'layer.zip',
          'layer-name': layerName,
          runtime: 'python3.11',
          regions: REGION,
          'ssm-parameter': `/layers/${layerName}`,
          'github-token': gh.token,
          'max-parallel': '2',
          'on-failure': onFailure,
        };
        const env = {
          ...aws.env(REGION),
          GITHUB_API_URL: gh.url,
          GITHUB_REPOSITORY: 'acme/layers',
          GITHUB_SHA: commit,
          GITHUB_EVENT_NAME: 'push',
        };

        const deps = defaultDeps();
        const cancelled: Report = await runInProcess(dir, inputs, arm(deps, aws), env);
        deps.cancel.dispose();
        expect(cancelled.cancelled, cancelled.error).toEqual({ signal: 'SIGTERM', step });
        const summary = renderSummary(cancelled);
        expect(summary).toContain(`Cancelled (SIGTERM) during ${step}.`);
        expect(summary).toContain('Re-running with the same inputs is safe: it reuses version 2');
        expect(summary).toMatch(new RegExp(`\\| ⏹️ ${step} \\| (not started: )?cancelled \\(SIGTERM\\) \\|`));
        const functions = cancelled.rollout?.functions ?? [];
        for (const status of shows)
          expect(
            functions.map((f) => f.status),
            `${cancelled.error} ${JSON.stringify(cancelled.steps)}`,
          ).toContain(status);
        if (shows.includes('in-flight')) expect(summary).toMatch(/in flight \(update sent, not confirmed\)/);
        if (step === 'roll-out' && cancelled.rollout) {
          // Every consumer is accounted for: moved, in flight or not yet moved; none rolled back.
          expect(functions.map((f) => f.functionName).sort()).toEqual(FUNCTIONS);
          if (onFailure === 'rollback' && alsoAllowed.length > 0) {
            // The cancel came during the rollback: a restore was in flight, and no rollback follows.
            expect(functions.map((f) => f.reason)).toContainEqual(
              expect.stringMatching(/rollback to version 1 in flight/),
            );
          }
          const allowed = ['updated', 'in-flight', 'not-started', ...alsoAllowed];
          for (const f of functions) expect(allowed).toContain(f.status);
          const outputs = outputsOf(cancelled);
          const inFlight = functions
            .filter((f) => f.status === 'in-flight' || f.status === 'failed')
            .map((f) => f.functionName);
          const failed = JSON.parse(outputs['failed-functions']!) as { function: string }[];
          expect(failed.map((f) => f.function).sort()).toEqual(inFlight.sort());
          const updated = JSON.parse(outputs['updated-functions']!) as { function: string }[];
          expect(updated).toHaveLength(functions.filter((f) => f.status === 'updated').length);
        }
        // The cancelled run posted its comment, saying so.
        const comments = () => gh.commitComments('acme/layers', commit);
        expect(comments()).toHaveLength(1);
        expect(comments()[0]!.body).toContain('run cancelled');

        const again = await runInProcess(dir, inputs, defaultDeps(), env);
        expect(again.error).toBeUndefined();
        expect(again.cancelled).toBeUndefined();
        const layer = aws.state.layer(REGION, layerName)!;
        expect([...layer.versions.keys()], 'nothing published twice').toEqual([1, 2]);
        const v2 = layer.versions.get(2)!.LayerVersionArn;
        const before = [other.LayerVersionArn, old.LayerVersionArn];
        const after = [other.LayerVersionArn, v2];
        for (const name of FUNCTIONS) {
          const fn = aws.state.fn(REGION, name)!;
          expect(
            fn.config.Layers?.map((l) => l.Arn),
            name,
          ).toEqual(after);
          // Never a half-written list: each state the function was in is the old or the new one.
          for (const event of fn.history) expect([before, after], name).toContainEqual(event.layers);
        }
        expect(aws.state.parameter(REGION, `/layers/${layerName}`)?.Value).toBe(v2);
        expect(comments(), 'one comment, updated').toHaveLength(1);
        expect(comments()[0]!.body).not.toContain('run cancelled');
      } finally {
        await aws.close();
      }
    },
  );
});
