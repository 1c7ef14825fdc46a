/**
 * Roll-out step: moves every function that uses this layer to the new version, in waves.
 *
 * Regions roll out one after another, in the order given; with `canary: N`, N functions of the first
 * region go first and everything else waits for them (and for `canary-wait`). One failure policy spans
 * every region: `stop` starts no later wave once a function failed or an alarm fired, `rollback` puts
 * back every function (and alias) this run moved in any region, `continue` moves everything and reports.
 * Within a wave, functions run `max-parallel` at a time; the Lambda client paces every call under the
 * account's quotas (src/aws/clients.ts). How one function moves: src/steps/function-update.ts.
 */
import * as core from '@actions/core';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import pLimit from 'p-limit';
import { parseLayerVersionArn } from '../aws/arn.js';
import { describeError } from '../aws/regions.js';
import type { Deps } from '../deps.js';
import type { Inputs } from '../inputs.js';
import { alarmGate, type AlarmGate, type AlarmState } from './alarms.js';
import { moveAliases, restoreAliases, type AliasMove } from './aliases.js';
import { findConsumers, versionIn, type Discovery } from './consumers.js';
import { replaceEntry } from './function-update.js';
import type { PublishedLayer } from './publish.js';

export type FunctionStatus =
  'updated' | 'unchanged' | 'planned' | 'skipped' | 'failed' | 'rolled-back' | 'not-started';

export interface FunctionOutcome {
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
}

export interface Wave {
  readonly number: number;
  readonly region: string;
  readonly label: string;
  readonly functions: number;
}

export interface RolloutResult {
  readonly functions: readonly FunctionOutcome[];
  /** How many functions each region scanned to find the consumers. */
  readonly scanned: Readonly<Record<string, number>>;
  readonly waves?: readonly Wave[];
  /** Alarms found in ALARM (before the roll-out, during the bake or after a wave). */
  readonly alarms?: readonly AlarmState[];
  /** Why later waves did not start, when they did not. */
  readonly stopped?: string;
  readonly rolledBack?: boolean;
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
  Partial<Pick<Inputs, 'alarms'>>;

type RolloutDeps = Pick<Deps, 'lambda' | 'now' | 'sleep'> & Partial<Pick<Deps, 'cloudwatch'>>;

export class RolloutError extends Error {
  constructor(readonly result: RolloutResult) {
    const failed = result.functions.filter((f) => f.status === 'failed');
    const lines = [
      ...failed.map((f) => `  ${f.functionName} (${f.region}): ${f.reason}`),
      ...(result.alarms ?? []).map(
        (a) => `  alarm ${a.name} (${a.region}) is in ALARM${a.reason ? `: ${a.reason}` : ''}`,
      ),
    ];
    const what = [
      failed.length > 0 ? `for ${failed.length} function(s)` : '',
      (result.alarms ?? []).length > 0 ? `on ${result.alarms!.length} alarm(s) in ALARM` : '',
    ].filter(Boolean);
    const rolledBack = result.rolledBack ? ' (rolled back)' : '';
    super(`Roll-out failed ${what.join(' and ')}${rolledBack}:\n${lines.join('\n')}`);
    this.name = 'RolloutError';
  }
}

const NOT_FOUND = 'the function does not exist in this region';

export async function rollOut(
  inputs: RolloutInputs,
  layers: readonly PublishedLayer[],
  deps: RolloutDeps,
): Promise<RolloutResult> {
  const regions = layers.map((layer) => layer.region);
  const gate = alarmGate(inputs.alarms ?? [], (region) => {
    if (!deps.cloudwatch) throw new Error('internal: alarms given without a CloudWatch client');
    return deps.cloudwatch(region);
  });
  const discoveries = await Promise.all(
    layers.map((layer) => findConsumers(deps.lambda(layer.region), inputs, layer)),
  );
  const scanned = Object.fromEntries(discoveries.map((d) => [d.layer.region, d.scanned]));
  const listed = listedOutcomes(discoveries);
  const waves = planWaves(discoveries, inputs.canary);
  logPlan(discoveries, waves);

  // Before the first update: an alarm already firing refuses the whole roll-out.
  const firing = await gate.firing(regions);
  if (firing.length > 0) {
    const result = {
      functions: [...listed],
      scanned,
      waves: waves.map(describeWave),
      alarms: firing,
      stopped: 'an alarm was in ALARM before the roll-out: nothing was changed',
    };
    throw new RolloutError(result);
  }

  const run = new WaveRunner(inputs, deps, gate);
  for (const wave of waves) await run.wave(wave, waves.length);
  let functions = [...listed, ...run.outcomes];
  const failed = functions.some((f) => f.status === 'failed') || run.alarms.length > 0;
  let rolledBack = false;
  if (failed && inputs.onFailure === 'rollback' && !inputs.dryRun) {
    functions = [...listed, ...(await rollBack(run.outcomes, layers, inputs, deps))];
    rolledBack = true;
  }
  const result: RolloutResult = {
    functions,
    scanned,
    waves: waves.map(describeWave),
    ...(run.alarms.length > 0 ? { alarms: run.alarms } : {}),
    ...(run.stopped ? { stopped: run.stopped } : {}),
    ...(rolledBack ? { rolledBack } : {}),
  };
  if (failed) throw new RolloutError(result);
  return result;
}

// ---- plan -----------------------------------------------------------------------------------------

interface PlannedWave {
  readonly number: number;
  readonly label: string;
  readonly layer: PublishedLayer;
  readonly functions: readonly FunctionConfiguration[];
  /** Wait canary-wait after this wave (and watch the alarms). */
  readonly bake: boolean;
  /** The last wave of its region: check the alarms after it. */
  readonly endsRegion: boolean;
  /** A failed canary stops everything after it, whatever on-failure says: that is what it is for. */
  readonly canary: boolean;
}

/** The canary (first N consumers of the first region), then each region in the order given. */
function planWaves(discoveries: readonly Discovery[], canary: number): PlannedWave[] {
  const waves: PlannedWave[] = [];
  const add = (wave: Omit<PlannedWave, 'number'>): void =>
    void waves.push({ number: waves.length + 1, ...wave });
  discoveries.forEach((discovery, index) => {
    const { layer, consumers } = discovery;
    const head = index === 0 ? consumers.slice(0, canary) : [];
    const rest = consumers.slice(head.length);
    if (head.length > 0) {
      add({
        label: `canary in ${layer.region}`,
        layer,
        functions: head,
        bake: rest.length > 0 || discoveries.length > 1,
        endsRegion: rest.length === 0,
        canary: true,
      });
    }
    if (rest.length > 0 || head.length === 0) {
      add({ label: layer.region, layer, functions: rest, bake: false, endsRegion: true, canary: false });
    }
  });
  return waves;
}

function describeWave(wave: PlannedWave): Wave {
  return {
    number: wave.number,
    region: wave.layer.region,
    label: wave.label,
    functions: wave.functions.length,
  };
}

function logPlan(discoveries: readonly Discovery[], waves: readonly PlannedWave[]): void {
  for (const d of discoveries) {
    core.info(
      `${d.layer.region}: ${d.consumers.length} function(s) to move to version ${d.layer.version} ` +
        `(${d.scanned} scanned, ${d.skipped.length} skipped)`,
    );
  }
  core.info(`Waves: ${waves.map((w) => `${w.number}. ${w.label} (${w.functions.length})`).join(' → ')}`);
}

/** Listed functions that were skipped or that exist in no region. */
function listedOutcomes(discoveries: readonly Discovery[]): FunctionOutcome[] {
  const outcomes: FunctionOutcome[] = discoveries.flatMap((d) =>
    d.skipped.map((s) => ({ ...s, status: 'skipped' as const, toVersion: d.layer.version })),
  );
  const regions = discoveries.map((d) => d.layer.region);
  const missing = new Set(discoveries.flatMap((d) => d.notFound));
  for (const name of missing) {
    const somewhere = discoveries.some(
      (d) =>
        !d.notFound.includes(name) && (!name.startsWith('arn:') || name.split(':')[3] === d.layer.region),
    );
    const first = discoveries.find((d) => d.notFound.includes(name))!;
    outcomes.push({
      region: first.layer.region,
      functionName: name,
      toVersion: first.layer.version,
      status: somewhere ? 'skipped' : 'failed',
      reason: somewhere ? NOT_FOUND : `function not found in ${regions.join(', ')}`,
    });
  }
  return outcomes;
}

// ---- waves ----------------------------------------------------------------------------------------

class WaveRunner {
  readonly outcomes: FunctionOutcome[] = [];
  readonly alarms: AlarmState[] = [];
  stopped: string | undefined;
  /** Regions with at least one wave done: their alarms are watched from then on. */
  private readonly touched = new Set<string>();

  constructor(
    private readonly inputs: RolloutInputs,
    private readonly deps: RolloutDeps,
    private readonly gate: AlarmGate,
  ) {}

  async wave(wave: PlannedWave, total: number): Promise<void> {
    if (this.stopped) {
      for (const fn of wave.functions) {
        this.outcomes.push({ ...base(wave, fn), status: 'not-started', reason: this.stopped });
      }
      return;
    }
    core.info(`Wave ${wave.number}/${total}: ${wave.label}, ${wave.functions.length} function(s)`);
    this.touched.add(wave.layer.region);
    const outcomes = await this.update(wave);
    this.outcomes.push(...outcomes);
    const failed = outcomes.filter((o) => o.status === 'failed').map((f) => f.functionName);
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

  private async update(wave: PlannedWave): Promise<FunctionOutcome[]> {
    const limit = pLimit(this.inputs.maxParallel);
    let stop: string | undefined;
    return Promise.all(
      wave.functions.map((fn) =>
        limit(async (): Promise<FunctionOutcome> => {
          if (stop) return { ...base(wave, fn), status: 'not-started', reason: stop };
          const outcome = await updateOne(this.inputs, wave, fn, this.deps);
          if (outcome.status === 'failed' && (this.inputs.onFailure !== 'continue' || wave.canary)) {
            stop = `an earlier update failed (on-failure: ${this.inputs.onFailure})`;
          }
          logOutcome(outcome);
          return outcome;
        }),
      ),
    );
  }

  /** canary-wait: watches the alarms of every region while the canary bakes. */
  private async bake(wave: PlannedWave): Promise<void> {
    core.info(`Canary succeeded; baking ${this.inputs.canaryWait} s before the next wave`);
    const step = this.gate.configured ? Math.min(this.inputs.canaryWait, 10) : this.inputs.canaryWait;
    for (let waited = 0; waited < this.inputs.canaryWait; waited += step) {
      await this.deps.sleep(Math.min(step, this.inputs.canaryWait - waited) * 1000);
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

function base(
  wave: Pick<PlannedWave, 'layer' | 'number'>,
  fn: FunctionConfiguration,
): Pick<FunctionOutcome, 'region' | 'functionName' | 'toVersion' | 'fromVersion' | 'wave'> {
  return {
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
  fn: FunctionConfiguration,
  deps: RolloutDeps,
): Promise<FunctionOutcome> {
  const { layer } = wave;
  const lambda = deps.lambda(layer.region);
  const started = deps.now();
  const seconds = (): number => (deps.now() - started) / 1000;
  let outcome: FunctionOutcome = { ...base(wave, fn), status: 'failed' };
  try {
    const change = await replaceEntry(
      lambda,
      fn.FunctionName!,
      layer.layerArn,
      layer.layerVersionArn,
      fn,
      inputs,
    );
    const status: FunctionStatus = !change.changed ? 'unchanged' : inputs.dryRun ? 'planned' : 'updated';
    const note = change.notes.length > 0 ? { reason: change.notes.join('; ') } : {};
    outcome = {
      ...outcome,
      fromVersion: parseLayerVersionArn(change.before.find((arn) => arn.startsWith(`${layer.layerArn}:`))!)
        ?.version,
      status,
      layersBefore: change.before,
      layersAfter: change.after,
      ...note,
    };
    if (!inputs.updateAliases) return { ...outcome, seconds: seconds() };
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
  inputs: RolloutInputs,
  deps: RolloutDeps,
): Promise<FunctionOutcome[]> {
  core.warning('The roll-out failed; rolling back every function this run changed, in every region.');
  const limit = pLimit(inputs.maxParallel);
  const layerOf = new Map(layers.map((layer) => [layer.region, layer]));
  return Promise.all(
    outcomes.map((outcome) =>
      limit(async (): Promise<FunctionOutcome> => {
        if (outcome.status !== 'updated' && outcome.status !== 'failed') return outcome;
        if (outcome.fromVersion === undefined) return outcome;
        return restore(outcome, layerOf.get(outcome.region)!, deps);
      }),
    ),
  );
}

async function restore(
  outcome: FunctionOutcome,
  layer: PublishedLayer,
  deps: RolloutDeps,
): Promise<FunctionOutcome> {
  const lambda = deps.lambda(layer.region);
  const previous = `${layer.layerArn}:${outcome.fromVersion}`;
  const started = deps.now();
  try {
    const { changed } = await replaceEntry(
      lambda,
      outcome.functionName,
      layer.layerArn,
      previous,
      undefined,
      {
        wait: true,
        dryRun: false,
      },
    );
    const aliases = outcome.aliases && (await restoreAliases(lambda, outcome.functionName, outcome.aliases));
    const restoredAliases = aliases?.some((a) => a.status === 'restored') ?? false;
    if (!changed && !restoredAliases) return outcome; // a failed update that Lambda did not apply
    core.info(`  ↩ ${outcome.functionName} (${outcome.region}): back on version ${outcome.fromVersion}`);
    return outcome.status === 'failed'
      ? { ...outcome, aliases, reason: `${outcome.reason}; rolled back` }
      : { ...outcome, aliases, status: 'rolled-back', reason: 'rolled back after a failure' };
  } catch (error) {
    return {
      ...outcome,
      status: 'failed',
      seconds: (outcome.seconds ?? 0) + (deps.now() - started) / 1000,
      reason: `rollback failed: ${describeError(error)}${outcome.reason ? ` (after: ${outcome.reason})` : ''}`,
    };
  }
}

function logOutcome(outcome: FunctionOutcome): void {
  const move = `${outcome.fromVersion ?? '?'} → ${outcome.toVersion}`;
  if (outcome.status === 'failed') {
    core.error(`${outcome.functionName} (${outcome.region}): ${outcome.reason}`, {
      title: 'Roll-out failed',
    });
  } else {
    core.info(
      `  ${outcome.status.padEnd(9)} ${outcome.functionName} ${move} (${outcome.seconds?.toFixed(1)} s)`,
    );
  }
}
