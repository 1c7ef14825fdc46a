/**
 * One function's update in a wave: its entry of this layer replaced, forward only (the locking, the
 * retries and the wait for Lambda are src/steps/function-update.ts), the status that follows from what
 * Lambda answered, and with `update-aliases` the aliases that pointed at the old version moved too.
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { describeError } from '../aws/regions.js';
import type { Deps } from '../deps.js';
import type { Inputs } from '../inputs/index.js';
import type { Target } from '../look-ups/targets.js';
import { moveAliases, type AliasMove } from './aliases.js';
import { versionIn } from './consumers.js';
import { forwardOnly, versionOf } from './forward-only.js';
import { base, type FunctionOutcome, type FunctionStatus } from './function-outcomes.js';
import { replaceEntry, UpdateInterrupted } from './function-update.js';
import type { PlannedWave } from './wave-plan.js';

export type MoveInputs = Pick<Inputs, 'wait' | 'dryRun' | 'updateAliases'>;

export type MoveDeps = Pick<Deps, 'lambda' | 'now'> & Partial<Pick<Deps, 'cancel'>>;

export async function moveFunction(
  inputs: MoveInputs,
  wave: PlannedWave,
  target: Target,
  fn: FunctionConfiguration,
  deps: MoveDeps,
): Promise<FunctionOutcome> {
  const { layer } = wave;
  const lambda = deps.lambda(layer.region, target.role);
  const started = deps.now();
  const seconds = (): number => (deps.now() - started) / 1000;
  let outcome: FunctionOutcome = { ...base(wave, target, fn), status: 'failed' };
  try {
    const change = await replaceEntry(lambda, fn.FunctionName!, layer.layerArn, layer.layerVersionArn, fn, {
      ...inputs,
      signal: deps.cancel?.signal,
      guard: forwardOnly(layer.version),
    });
    const fromVersion = change.before
      .map((arn) => versionOf(arn, layer.layerArn))
      .find((v) => v !== undefined);
    if (change.left) {
      return { ...outcome, fromVersion, status: 'newer', reason: change.left.why, seconds: seconds() };
    }
    const status: FunctionStatus = !change.changed ? 'unchanged' : inputs.dryRun ? 'planned' : 'updated';
    const nowOn = versionIn(change.updated ?? {}, layer.layerArn);
    const movedOn = nowOn !== undefined && nowOn > layer.version;
    const notes = [
      ...change.notes,
      ...(movedOn ? [`then moved on to version ${nowOn} by a newer release`] : []),
    ];
    outcome = {
      ...outcome,
      fromVersion,
      status,
      layersBefore: change.before,
      layersAfter: change.after,
      ...(notes.length > 0 ? { reason: notes.join('; ') } : {}),
      ...(movedOn ? { nowOn } : {}),
    };
    if (!inputs.updateAliases || movedOn) return { ...outcome, seconds: seconds() };
    // $LATEST as our update left it (in a dry-run: as it would be).
    const latest = change.updated ?? { ...fn, Layers: change.after.map((Arn) => ({ Arn })) };
    const moves: AliasMove[] = [];
    try {
      await moveAliases(lambda, fn.FunctionName!, latest, layer, inputs.dryRun, moves);
      return { ...outcome, aliases: moves, seconds: seconds() };
    } catch (error) {
      const reason = `$LATEST updated, but moving its aliases failed: ${describeError(error)}`;
      return { ...outcome, aliases: moves, status: 'failed', seconds: seconds(), reason };
    }
  } catch (error) {
    if (error instanceof UpdateInterrupted) {
      const status = error.sent ? 'in-flight' : 'not-started';
      return { ...outcome, status, seconds: seconds(), reason: error.message };
    }
    return { ...outcome, status: 'failed', seconds: seconds(), reason: describeError(error) };
  }
}
