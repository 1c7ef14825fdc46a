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
 * `continue` rolls out in the others. How one function moves: src/steps/function-update.ts.
 */
import * as core from '@actions/core';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import pLimit from 'p-limit';
import { describeError } from '../aws/regions.js';
import type { Deps } from '../deps.js';
import type { Inputs } from '../inputs/index.js';
import { LineBatch } from '../log-batch.js';
import type { FunctionLookUps } from '../look-ups/functions.js';
import { rolloutTargets, type Target } from '../look-ups/targets.js';
import { discoverAccounts, layerAccount, type AccountDiscovery, type AccountFailure } from './accounts.js';
import type { AlarmState } from '../look-ups/alarms.js';
import { alarmGate, type AlarmGate } from './alarms.js';
import { moveAliases, restoreAliases, type AliasMove } from './aliases.js';
import { versionIn } from './consumers.js';
import {
  forwardOnly,
  notStarted,
  seenInDiscovery,
  sighting,
  stillOurs,
  Supersession,
  versionOf,
  type Superseded,
} from './forward-only.js';
import { replaceEntry, UpdateInterrupted } from './function-update.js';
import type { PublishedLayer } from './publish.js';

export type FunctionStatus =
  | 'updated'
  | 'unchanged'
  | 'planned'
  | 'skipped'
  | 'failed'
  | 'rolled-back'
  | 'not-started'
  /** The run was cancelled after the update was sent and before Lambda confirmed it. */
  | 'in-flight'
  /** Already on a newer version of this layer than the run's: left alone (src/steps/forward-only.ts). */
  | 'newer'
  /** Not started: a newer release of this layer supersedes the run and moves it. */
  | 'superseded';

export interface FunctionOutcome {
  /** The account the function is in. */
  readonly account?: string;
  readonly region: string;
  readonly functionName: string;
  readonly status: FunctionStatus;
  /** Version of this layer the function had before (undefined when it had none). */
  readonly fromVersion?: number;
  readonly toVersion: number;
  readonly layersBefore?: readonly string[];
  readonly layersAfter?: readonly string[];
  readonly seconds?: number;
  readonly reason?: string;
  /** update-aliases: what happened to the function's aliases. */
  readonly aliases?: readonly AliasMove[];
  /** The wave (1-based) the function was in. */
  readonly wave?: number;
  /** Moved, then moved on by a newer release before Lambda confirmed ours: the version it is on now. */
  readonly nowOn?: number;
}

export interface Wave {
  readonly number: number;
  readonly region: string;
  readonly label: string;
  readonly functions: number;
  /** Accounts with functions in this wave. */
  readonly accounts: number;
}

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

const NOT_FOUND = 'the function does not exist in this region';

/** "2 moved, 1 in flight, 3 not yet moved". */
function cancelCounts(functions: readonly FunctionOutcome[]): string {
  const n = (status: FunctionStatus): number => functions.filter((f) => f.status === status).length;
  return `${n('updated')} moved, ${n('in-flight')} in flight, ${n('not-started')} not yet moved`;
}

const cancelledBy = (deps: RolloutDeps): string | undefined => deps.cancel?.reason;

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
  const cancelled = cancelledBy(deps);
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
    ...(cancelledBy(deps) ? { cancelled: cancelledBy(deps) } : {}),
  };
  if (failed || result.cancelled) throw new RolloutError(result);
  return result;
}

// ---- plan -----------------------------------------------------------------------------------------

/** One account's functions in a wave. */
interface WavePart {
  readonly target: Target;
  readonly functions: readonly FunctionConfiguration[];
}

interface PlannedWave {
  readonly number: number;
  readonly label: string;
  readonly layer: PublishedLayer;
  readonly parts: readonly WavePart[];
  /** Wait canary-wait after this wave (and watch the alarms). */
  readonly bake: boolean;
  /** The last wave of its region: check the alarms after it. */
  readonly endsRegion: boolean;
  /** A failed canary stops everything after it, whatever on-failure says: that is what it is for. */
  readonly canary: boolean;
}

/**
 * The canary (the first N consumers of the first account's first region), then one wave per region in
 * the order given, each holding every account's consumers in that region.
 */
function planWaves(
  discoveries: readonly AccountDiscovery[],
  layers: readonly PublishedLayer[],
  canary: number,
  multi: boolean,
): PlannedWave[] {
  const waves: PlannedWave[] = [];
  const first = discoveries[0];
  const head = first ? first.consumers.slice(0, canary) : [];
  layers.forEach((layer) => {
    const parts = discoveries
      .filter((d) => d.layer.region === layer.region)
      .map((d) => ({
        target: d.target,
        functions: d === first ? d.consumers.slice(head.length) : d.consumers,
      }))
      .filter((part) => part.functions.length > 0);
    const inCanaryRegion = head.length > 0 && first!.layer.region === layer.region;
    if (inCanaryRegion) {
      waves.push({
        number: waves.length + 1,
        label: `canary in ${multi ? `${first!.target.account} ` : ''}${layer.region}`,
        layer,
        parts: [{ target: first!.target, functions: head }],
        bake: parts.length > 0 || layers.length > 1,
        endsRegion: parts.length === 0,
        canary: true,
      });
    }
    if (parts.length > 0 || !inCanaryRegion) {
      const label = multi ? `${layer.region}, ${parts.length} account(s)` : layer.region;
      waves.push({
        number: waves.length + 1,
        label,
        layer,
        parts,
        bake: false,
        endsRegion: true,
        canary: false,
      });
    }
  });
  return waves;
}

const sizeOf = (wave: PlannedWave): number => wave.parts.reduce((sum, p) => sum + p.functions.length, 0);

function describeWave(wave: PlannedWave): Wave {
  return {
    number: wave.number,
    region: wave.layer.region,
    label: wave.label,
    functions: sizeOf(wave),
    accounts: wave.parts.length,
  };
}

function logPlan(
  discoveries: readonly AccountDiscovery[],
  waves: readonly PlannedWave[],
  failures: readonly AccountFailure[],
  dryRun: boolean,
): void {
  const multi = new Set(discoveries.map((d) => d.target.account)).size + failures.length > 1;
  for (const d of discoveries) {
    const where = multi ? `${d.target.account} ${d.layer.region}` : d.layer.region;
    const names =
      dryRun && d.consumers.length > 0 ? `: ${d.consumers.map((fn) => fn.FunctionName).join(', ')}` : '';
    core.info(
      `${where}: ${d.consumers.length} function(s) to move to version ${d.layer.version} ` +
        `(${d.scanned} scanned, ${d.skipped.length} skipped)${names}`,
    );
  }
  for (const f of failures)
    core.error(`account ${f.account}: ${f.reason}`, { title: 'Roll-out account failed' });
  core.info(`Waves: ${waves.map((w) => `${w.number}. ${w.label} (${sizeOf(w)})`).join(' → ')}`);
}

/** Listed functions that were skipped or that exist in no region (of an account). */
function listedOutcomes(discoveries: readonly AccountDiscovery[], multi: boolean): FunctionOutcome[] {
  const outcomes: FunctionOutcome[] = discoveries.flatMap((d) =>
    d.skipped.map((s) => ({
      ...s,
      account: d.target.account,
      status: 'skipped' as const,
      toVersion: d.layer.version,
    })),
  );
  const regions = [...new Set(discoveries.map((d) => d.layer.region))];
  const accounts = [...new Set(discoveries.map((d) => d.target.account))];
  // A name is looked up in every account and region it applies to (findConsumers.notFound lists only those).
  const found = (name: string): boolean =>
    discoveries.some(
      (d) =>
        !d.notFound.includes(name) &&
        (!name.startsWith('arn:') ||
          (name.split(':')[3] === d.layer.region && name.split(':')[4] === d.target.account)),
    );
  const reported = new Set<string>();
  for (const account of accounts) {
    const mine = discoveries.filter((d) => d.target.account === account);
    for (const name of new Set(mine.flatMap((d) => d.notFound))) {
      const first = mine.find((d) => d.notFound.includes(name))!;
      const somewhere = found(name);
      // A name that exists nowhere is one failure, not one per account.
      if (!somewhere && reported.has(name)) continue;
      reported.add(name);
      const nowhere = `function not found in ${regions.join(', ')}${multi ? ` of any account` : ''}`;
      outcomes.push({
        account,
        region: first.layer.region,
        functionName: name,
        toVersion: first.layer.version,
        status: somewhere ? 'skipped' : 'failed',
        reason: somewhere ? NOT_FOUND : nowhere,
      });
    }
  }
  return outcomes;
}

// ---- waves ----------------------------------------------------------------------------------------

class WaveRunner {
  readonly outcomes: FunctionOutcome[] = [];
  readonly alarms: AlarmState[] = [];
  stopped: string | undefined;
  /** Newer releases of this layer seen so far: once one is, nothing more starts. */
  readonly newer: Supersession;
  /** Regions with at least one wave done: their alarms are watched from then on. */
  private readonly touched = new Set<string>();
  /** One line per function, written in batches (thousands of functions: one write each is CPU). */
  private readonly log = new LineBatch();

  constructor(
    private readonly inputs: RolloutInputs,
    private readonly deps: RolloutDeps,
    private readonly gate: AlarmGate,
    layers: readonly PublishedLayer[],
    /** The roll-out spans accounts: name them beside functions. */
    private readonly multi: boolean,
  ) {
    this.newer = new Supersession(layers, deps.lambda, () => this.log.flush());
  }

  async wave(wave: PlannedWave, total: number): Promise<void> {
    const cancelled = cancelledBy(this.deps);
    if (cancelled && !this.stopped) this.stopped = `the run was cancelled (${cancelled})`;
    if (this.stopped) {
      for (const { target, functions } of wave.parts) {
        for (const fn of functions) {
          this.outcomes.push({ ...base(wave, target, fn), status: 'not-started', reason: this.stopped });
        }
      }
      return;
    }
    // Between waves: a newer release may have been published meanwhile (e.g. during the bake).
    if (wave.number > 1 && !this.inputs.dryRun) await this.newer.listed([...this.touched, wave.layer.region]);
    if (this.newer.by) {
      for (const { target, functions } of wave.parts)
        for (const fn of functions) this.outcomes.push(this.leftToNewer(wave, target, fn));
      this.log.flush();
      return;
    }
    core.info(`Wave ${wave.number}/${total}: ${wave.label}, ${sizeOf(wave)} function(s)`);
    this.touched.add(wave.layer.region);
    const outcomes = await this.update(wave);
    this.outcomes.push(...outcomes);
    const failed = outcomes
      .filter((o) => o.status === 'failed')
      .map((f) => (this.multi ? `${f.functionName} (${f.account})` : f.functionName));
    if (failed.length > 0 && wave.canary) {
      this.stopped = `the canary failed (${failed.join(', ')})`;
      return;
    }
    if (failed.length > 0 && this.inputs.onFailure !== 'continue') {
      this.stopped = `wave ${wave.number} (${wave.label}) failed: ${failed.join(', ')} (on-failure: ${this.inputs.onFailure})`;
      return;
    }
    if (this.inputs.dryRun) return;
    if (wave.bake && this.inputs.canaryWait > 0) await this.bake(wave);
    else if (wave.endsRegion || wave.bake) await this.checkAlarms(wave);
  }

  /**
   * `max-parallel-accounts` accounts at a time, each with its own `max-parallel` functions at a time
   * (each account and region has its own quota). A stop reaches every account of the wave: none starts
   * another function, and an account not started yet starts none.
   */
  private async update(wave: PlannedWave): Promise<FunctionOutcome[]> {
    const accounts = pLimit(this.inputs.maxParallelAccounts ?? 10);
    let stop: string | undefined;
    try {
      const perAccount = await Promise.all(
        wave.parts.map(({ target, functions }) =>
          accounts(() => {
            const limit = pLimit(this.inputs.maxParallel);
            return Promise.all(
              functions.map((fn) =>
                limit(async (): Promise<FunctionOutcome> => {
                  const cancelled = cancelledBy(this.deps);
                  if (stop || cancelled) {
                    const reason = stop ?? `the run was cancelled (${cancelled})`;
                    return { ...base(wave, target, fn), status: 'not-started', reason };
                  }
                  if (this.newer.by) return this.leftToNewer(wave, target, fn);
                  const outcome = await updateOne(this.inputs, wave, target, fn, this.deps);
                  this.newer.see(
                    sighting(wave.layer, outcome.nowOn ?? newerOf(outcome), outcome.functionName),
                  );
                  if (outcome.status === 'failed' && (this.inputs.onFailure !== 'continue' || wave.canary)) {
                    stop = `an earlier update failed (on-failure: ${this.inputs.onFailure})`;
                  }
                  logOutcome(outcome, this.multi, this.log);
                  return outcome;
                }),
              ),
            );
          }),
        ),
      );
      return perAccount.flat();
    } finally {
      this.log.flush(); // also when a wave throws: no line is left behind
    }
  }

  /** A function of a wave that starts nothing more: left on its newer version, or to the newer release. */
  private leftToNewer(wave: PlannedWave, target: Target, fn: FunctionConfiguration): FunctionOutcome {
    const known = base(wave, target, fn);
    const outcome = { ...known, ...notStarted(known.fromVersion, wave.layer.version, this.newer.by!) };
    if (outcome.status === 'newer') logOutcome(outcome, this.multi, this.log);
    return outcome;
  }

  /** canary-wait: watches the alarms of every region while the canary bakes. */
  private async bake(wave: PlannedWave): Promise<void> {
    core.info(`Canary succeeded; baking ${this.inputs.canaryWait} s before the next wave`);
    const step = this.gate.configured ? Math.min(this.inputs.canaryWait, 10) : this.inputs.canaryWait;
    for (let waited = 0; waited < this.inputs.canaryWait; waited += step) {
      await this.deps.sleep(Math.min(step, this.inputs.canaryWait - waited) * 1000);
      if (cancelledBy(this.deps)) return;
      if (await this.checkAlarms(wave)) return;
    }
  }

  /** True when an alarm fired (recorded as a failure; on-failure decides what follows). */
  private async checkAlarms(wave: PlannedWave): Promise<boolean> {
    // An alarm that cannot be read is not a green light.
    const firing = await this.gate.firing([...this.touched]).catch((error: unknown) => [
      {
        region: wave.layer.region,
        name: '(DescribeAlarms)',
        state: 'UNKNOWN',
        reason: describeError(error),
      },
    ]);
    if (firing.length === 0) return false;
    this.alarms.push(...firing);
    for (const alarm of firing) {
      core.error(
        `${alarm.name} (${alarm.region}) is in ALARM after wave ${wave.number}: ${alarm.reason ?? ''}`,
        {
          title: 'Roll-out alarm',
        },
      );
    }
    if (this.inputs.onFailure !== 'continue') {
      this.stopped = `alarm ${firing.map((a) => a.name).join(', ')} fired after wave ${wave.number} (on-failure: ${this.inputs.onFailure})`;
    }
    return true;
  }
}

/** The newer version a function was found on (status `newer`). */
const newerOf = (outcome: FunctionOutcome): number | undefined =>
  outcome.status === 'newer' ? outcome.fromVersion : undefined;

function base(
  wave: Pick<PlannedWave, 'layer' | 'number'>,
  target: Target,
  fn: FunctionConfiguration,
): Pick<FunctionOutcome, 'account' | 'region' | 'functionName' | 'toVersion' | 'fromVersion' | 'wave'> {
  return {
    account: target.account,
    region: wave.layer.region,
    functionName: fn.FunctionName!,
    toVersion: wave.layer.version,
    fromVersion: versionIn(fn, wave.layer.layerArn),
    wave: wave.number,
  };
}

async function updateOne(
  inputs: RolloutInputs,
  wave: PlannedWave,
  target: Target,
  fn: FunctionConfiguration,
  deps: RolloutDeps,
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

// ---- rollback -------------------------------------------------------------------------------------

/**
 * on-failure: rollback, across every region. Puts this layer's entry back to the version each function
 * had, in every function this run changed (including one whose update failed but was applied), and
 * points its moved aliases back. Only that entry is touched, with the same locking, so changes others
 * made meanwhile survive; when nobody else changed the function this restores its exact previous Layers.
 */
async function rollBack(
  outcomes: readonly FunctionOutcome[],
  layers: readonly PublishedLayer[],
  targets: readonly Target[],
  inputs: RolloutInputs,
  deps: RolloutDeps,
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
        const cancelled = cancelledBy(deps);
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
  deps: RolloutDeps,
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

function logOutcome(outcome: FunctionOutcome, multi: boolean, log: LineBatch): void {
  const move = `${outcome.fromVersion ?? '?'} → ${outcome.toVersion}`;
  const where = multi ? `${outcome.account} ${outcome.region}` : outcome.region;
  if (outcome.status === 'newer') {
    const account = multi ? ` (${outcome.account}, ${outcome.region})` : '';
    log.add(`  ${outcome.functionName}${account} ${outcome.reason}`);
  } else if (outcome.status === 'failed') {
    log.flush(); // the lines before it first: the log stays in order
    core.error(`${outcome.functionName} (${where}): ${outcome.reason}`, {
      title: 'Roll-out failed',
    });
  } else {
    const account = multi ? ` (${outcome.account})` : '';
    log.add(
      `  ${outcome.status.padEnd(9)} ${outcome.functionName}${account} ${move} (${outcome.seconds?.toFixed(1)} s)`,
    );
  }
}
