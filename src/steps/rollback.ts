/**
 * on-failure: rollback. After a failed roll-out, every function this run moved goes back to the version
 * it had, with its aliases, in every account and region; a function that is no longer on this run's
 * version (a newer release moved it meanwhile) is left as it is (src/steps/forward-only.ts).
 */
import * as core from '@actions/core';
import pLimit from 'p-limit';
import { describeError } from '../aws/regions.js';
import type { Deps } from '../deps.js';
import type { Inputs } from '../inputs/index.js';
import type { Target } from '../look-ups/targets.js';
import { restoreAliases } from './aliases.js';
import { stillOurs } from './forward-only.js';
import type { FunctionOutcome } from './function-outcomes.js';
import { replaceEntry, UpdateInterrupted } from './function-update.js';
import type { PublishedLayer } from './publish.js';

type RollbackInputs = Pick<Inputs, 'maxParallel'> & Partial<Pick<Inputs, 'maxParallelAccounts'>>;

type RollbackDeps = Pick<Deps, 'lambda' | 'now'> & Partial<Pick<Deps, 'cancel'>>;

/**
 * on-failure: rollback, across every region. Puts this layer's entry back to the version each function
 * had, in every function this run changed (including one whose update failed but was applied), and
 * points its moved aliases back. Only that entry is touched, with the same locking, so changes others
 * made meanwhile survive; when nobody else changed the function this restores its exact previous Layers.
 */
export async function rollBack(
  outcomes: readonly FunctionOutcome[],
  layers: readonly PublishedLayer[],
  targets: readonly Target[],
  inputs: RollbackInputs,
  deps: RollbackDeps,
): Promise<FunctionOutcome[]> {
  core.warning(
    'The roll-out failed; rolling back every function this run changed, in every account and region.',
  );
  // Each account and region has its own quota: as many at once as the roll-out itself used.
  const accountsAtOnce = Math.min(targets.length, inputs.maxParallelAccounts ?? 10);
  const limit = pLimit(inputs.maxParallel * Math.max(1, accountsAtOnce));
  const layerOf = new Map(layers.map((layer) => [layer.region, layer]));
  const roleOf = new Map(targets.map((target) => [target.account, target.role]));
  return Promise.all(
    outcomes.map((outcome) =>
      limit(async (): Promise<FunctionOutcome> => {
        if (outcome.status !== 'updated' && outcome.status !== 'failed') return outcome;
        if (outcome.fromVersion === undefined) return outcome;
        const cancelled = deps.cancel?.reason;
        if (cancelled)
          return { ...outcome, reason: `${outcome.reason ?? 'moved'}; not rolled back: cancelled` };
        const role = outcome.account === undefined ? undefined : roleOf.get(outcome.account);
        return restore(outcome, layerOf.get(outcome.region)!, role, deps);
      }),
    ),
  );
}

async function restore(
  outcome: FunctionOutcome,
  layer: PublishedLayer,
  role: string | undefined,
  deps: RollbackDeps,
): Promise<FunctionOutcome> {
  const lambda = deps.lambda(layer.region, role);
  const previous = `${layer.layerArn}:${outcome.fromVersion}`;
  const started = deps.now();
  try {
    const { changed, left } = await replaceEntry(
      lambda,
      outcome.functionName,
      layer.layerArn,
      previous,
      undefined,
      { wait: true, dryRun: false, signal: deps.cancel?.signal, guard: stillOurs(layer.layerVersionArn) },
    );
    // Moved on by someone else since (a newer release): theirs to keep, aliases included.
    if (left) return { ...outcome, reason: [outcome.reason, left.why].filter(Boolean).join('; ') };
    const aliases = outcome.aliases && (await restoreAliases(lambda, outcome.functionName, outcome.aliases));
    const restoredAliases = aliases?.some((a) => a.status === 'restored') ?? false;
    if (!changed && !restoredAliases) return outcome; // a failed update that Lambda did not apply
    const where = outcome.account ? `${outcome.account} ${outcome.region}` : outcome.region;
    core.info(`  ↩ ${outcome.functionName} (${where}): back on version ${outcome.fromVersion}`);
    return outcome.status === 'failed'
      ? { ...outcome, aliases, reason: `${outcome.reason}; rolled back` }
      : { ...outcome, aliases, status: 'rolled-back', reason: 'rolled back after a failure' };
  } catch (error) {
    if (error instanceof UpdateInterrupted) {
      const verb = error.sent ? 'in flight' : 'not started';
      const status = error.sent ? 'in-flight' : outcome.status;
      return { ...outcome, status, reason: `rollback to version ${outcome.fromVersion} ${verb}: cancelled` };
    }
    return {
      ...outcome,
      status: 'failed',
      seconds: (outcome.seconds ?? 0) + (deps.now() - started) / 1000,
      reason: `rollback failed: ${describeError(error)}${outcome.reason ? ` (after: ${outcome.reason})` : ''}`,
    };
  }
}
