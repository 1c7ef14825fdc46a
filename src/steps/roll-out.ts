/**
 * Roll-out step: moves every function that uses this layer to the new version, in waves.
 *
 * Regions roll out one after another, in the order given; with `canary: N`, N functions of the first
 * account's first region go first and everything else waits for them (and for `canary-wait`). Each
 * region's wave spans every account (src/look-ups/targets.ts): `max-parallel-accounts` accounts at a
 * time, and within each account `max-parallel` functions at a time; the Lambda client of each account
 * and region paces every call under that account's quotas (src/aws/clients.ts), so accounts add
 * throughput instead of sharing it. One failure policy spans every account and region: `stop` starts no
 * further account or wave once a function failed or an alarm fired, `rollback` puts back every function
 * (and alias) this run moved in any account and region, `continue` moves everything and reports. An
 * account that could not be reached fails before any update: `stop` and `rollback` then update nothing,
 * `continue` rolls out in the others.
 *
 * This file runs the step from discovery to the result; its parts decide the rest: the waves
 * (src/steps/wave-plan.ts), what follows each wave (src/steps/waves.ts), one function's update
 * (src/steps/move-function.ts, with the locking in src/steps/function-update.ts), the rollback
 * (src/steps/rollback.ts) and each function's outcome and log line (src/steps/function-outcomes.ts).
 */
import type { Deps } from '../deps.js';
import type { Inputs } from '../inputs/index.js';
import type { AlarmState } from '../look-ups/alarms.js';
import type { FunctionLookUps } from '../look-ups/functions.js';
import { rolloutTargets } from '../look-ups/targets.js';
import { discoverAccounts, layerAccount, type AccountFailure } from './accounts.js';
import { alarmGate } from './alarms.js';
import { seenInDiscovery, type Superseded } from './forward-only.js';
import { listedOutcomes, type FunctionOutcome, type FunctionStatus } from './function-outcomes.js';
import type { PublishedLayer } from './publish.js';
import { rollBack } from './rollback.js';
import { describeWave, logPlan, planWaves, type Wave } from './wave-plan.js';
import { WaveRunner } from './waves.js';

export type { FunctionOutcome, FunctionStatus } from './function-outcomes.js';
export type { Wave } from './wave-plan.js';

export interface RolloutResult {
  readonly functions: readonly FunctionOutcome[];
  /** How many functions each region scanned to find the consumers (summed over accounts). */
  readonly scanned: Readonly<Record<string, number>>;
  /** The accounts rolled out in, in order (one: the job's own). */
  readonly accounts?: readonly string[];
  /** Accounts that could not be reached (role not assumed, functions not listed), with AWS's error. */
  readonly accountFailures?: readonly AccountFailure[];
  readonly waves?: readonly Wave[];
  /** Alarms found in ALARM (before the roll-out, during the bake or after a wave). */
  readonly alarms?: readonly AlarmState[];
  /** Why later waves did not start, when they did not. */
  readonly stopped?: string;
  readonly rolledBack?: boolean;
  /** The signal that cancelled the run during the roll-out (no rollback follows a cancel). */
  readonly cancelled?: string;
  /** The newer version of this layer that superseded the run: no wave started after it was seen. */
  readonly superseded?: Superseded;
}

type RolloutInputs = Pick<
  Inputs,
  | 'functions'
  | 'functionFilter'
  | 'maxParallel'
  | 'onFailure'
  | 'wait'
  | 'dryRun'
  | 'compatibleRuntimes'
  | 'architecture'
  | 'canary'
  | 'canaryWait'
  | 'updateAliases'
> &
  Partial<Pick<Inputs, 'alarms' | 'accounts' | 'accountRole' | 'maxParallelAccounts'>>;

type RolloutDeps = Pick<Deps, 'lambda' | 'assumeRole' | 'now' | 'sleep'> &
  Partial<Pick<Deps, 'cloudwatch' | 'cancel'>>;

export class RolloutError extends Error {
  constructor(readonly result: RolloutResult) {
    super(RolloutError.message(result));
    this.name = 'RolloutError';
  }

  private static message(result: RolloutResult): string {
    if (result.cancelled)
      return `Roll-out cancelled (${result.cancelled}): ${cancelCounts(result.functions)}`;
    const failed = result.functions.filter((f) => f.status === 'failed');
    const accountFailures = result.accountFailures ?? [];
    const lines = [
      ...accountFailures.map((a) => `  account ${a.account}: ${a.reason}`),
      ...failed.map((f) => `  ${f.functionName} (${where(f, result)}): ${f.reason}`),
      ...(result.alarms ?? []).map(
        (a) => `  alarm ${a.name} (${a.region}) is in ALARM${a.reason ? `: ${a.reason}` : ''}`,
      ),
    ];
    const what = [
      accountFailures.length > 0 ? `in ${accountFailures.length} account(s)` : '',
      failed.length > 0 ? `for ${failed.length} function(s)` : '',
      (result.alarms ?? []).length > 0 ? `on ${result.alarms!.length} alarm(s) in ALARM` : '',
    ].filter(Boolean);
    const rolledBack = result.rolledBack ? ' (rolled back)' : '';
    return `Roll-out failed ${what.join(' and ')}${rolledBack}:\n${lines.join('\n')}`;
  }
}

/** "2 moved, 1 in flight, 3 not yet moved". */
function cancelCounts(functions: readonly FunctionOutcome[]): string {
  const n = (status: FunctionStatus): number => functions.filter((f) => f.status === status).length;
  return `${n('updated')} moved, ${n('in-flight')} in flight, ${n('not-started')} not yet moved`;
}

/** `us-east-1`, or `111111111111 us-east-1` when the roll-out spans accounts. */
function where(
  f: Pick<FunctionOutcome, 'account' | 'region'>,
  result: Pick<RolloutResult, 'accounts'>,
): string {
  return (result.accounts ?? []).length > 1 && f.account ? `${f.account} ${f.region}` : f.region;
}

export async function rollOut(
  inputs: RolloutInputs,
  layers: readonly PublishedLayer[],
  deps: RolloutDeps,
  /** The listed functions as the preflight found them (src/preflight/reach.ts). */
  lookUps?: FunctionLookUps,
): Promise<RolloutResult> {
  const regions = layers.map((layer) => layer.region);
  const gate = alarmGate(inputs.alarms ?? [], (region) => {
    if (!deps.cloudwatch) throw new Error('internal: alarms given without a CloudWatch client');
    return deps.cloudwatch(region);
  });
  const targets = rolloutTargets(inputs, layerAccount(layers));
  const accounts = targets.map((t) => t.account);
  const { discoveries, failures } = await discoverAccounts(inputs, targets, layers, deps, lookUps);
  const scanned: Record<string, number> = {};
  for (const d of discoveries) scanned[d.layer.region] = (scanned[d.layer.region] ?? 0) + d.scanned;
  const listed = listedOutcomes(discoveries, accounts.length > 1);
  const waves = planWaves(discoveries, layers, inputs.canary, accounts.length > 1);
  logPlan(discoveries, waves, failures, inputs.dryRun);
  const reach = {
    ...(accounts.length > 1 || inputs.accounts?.length ? { accounts } : {}),
    ...(failures.length > 0 ? { accountFailures: failures } : {}),
  };

  // Before the first update: an alarm already firing refuses the whole roll-out.
  const firing = await gate.firing(regions);
  if (firing.length > 0) {
    const result = {
      functions: [...listed],
      scanned,
      ...reach,
      waves: waves.map(describeWave),
      alarms: firing,
      stopped: 'an alarm was in ALARM before the roll-out: nothing was changed',
    };
    throw new RolloutError(result);
  }

  const run = new WaveRunner(inputs, deps, gate, layers, accounts.length > 1);
  run.newer.see(seenInDiscovery(discoveries));
  if (failures.length > 0 && inputs.onFailure !== 'continue') {
    run.stopped =
      `account ${failures.map((f) => f.account).join(', ')} could not be reached before the roll-out ` +
      `(on-failure: ${inputs.onFailure}): nothing was changed`;
  }
  for (const wave of waves) await run.wave(wave, waves.length);
  let functions = [...listed, ...run.outcomes];
  const failed = functions.some((f) => f.status === 'failed') || run.alarms.length > 0 || failures.length > 0;
  let rolledBack = false;
  // A cancel does not roll back: the runner kills the process within seconds, and every function is
  // whole on its old or new entry; a re-run with the same inputs moves the rest (docs/cancel.md).
  const cancelled = deps.cancel?.reason;
  if (failed && inputs.onFailure === 'rollback' && !inputs.dryRun && !cancelled) {
    functions = [...listed, ...(await rollBack(run.outcomes, layers, targets, inputs, deps))];
    rolledBack = true;
  }
  const result: RolloutResult = {
    functions,
    scanned,
    ...reach,
    waves: waves.map(describeWave),
    ...(run.alarms.length > 0 ? { alarms: run.alarms } : {}),
    ...(run.stopped ? { stopped: run.stopped } : {}),
    ...(run.newer.by ? { superseded: run.newer.by } : {}),
    ...(rolledBack ? { rolledBack } : {}),
    ...(deps.cancel?.reason ? { cancelled: deps.cancel.reason } : {}),
  };
  if (failed || result.cancelled) throw new RolloutError(result);
  return result;
}
