/**
 * Runs the planned waves one after another and decides what follows each: a failed canary stops
 * everything after it; a failed function or an alarm in ALARM stops the later waves unless on-failure
 * is `continue`; a cancel, or a newer release of the layer (src/steps/forward-only.ts), starts nothing
 * more. Within a wave, `max-parallel-accounts` accounts at a time, each `max-parallel` functions at a
 * time; with `canary-wait`, the canary bakes while the alarms are watched.
 */
import * as core from '@actions/core';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import pLimit from 'p-limit';
import { describeError } from '../aws/regions.js';
import type { Deps } from '../deps.js';
import type { Inputs } from '../inputs/index.js';
import { LineBatch } from '../log-batch.js';
import type { AlarmState } from '../look-ups/alarms.js';
import type { Target } from '../look-ups/targets.js';
import type { AlarmGate } from './alarms.js';
import { notStarted, sighting, Supersession } from './forward-only.js';
import { base, logOutcome, type FunctionOutcome } from './function-outcomes.js';
import { moveFunction, type MoveDeps, type MoveInputs } from './move-function.js';
import type { PublishedLayer } from './publish.js';
import { sizeOf, type PlannedWave } from './wave-plan.js';

type WaveInputs = MoveInputs &
  Pick<Inputs, 'maxParallel' | 'onFailure' | 'canaryWait'> &
  Partial<Pick<Inputs, 'maxParallelAccounts'>>;

type WaveDeps = MoveDeps & Pick<Deps, 'sleep'>;

export class WaveRunner {
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
    private readonly inputs: WaveInputs,
    private readonly deps: WaveDeps,
    private readonly gate: AlarmGate,
    layers: readonly PublishedLayer[],
    /** The roll-out spans accounts: name them beside functions. */
    private readonly multi: boolean,
  ) {
    this.newer = new Supersession(layers, deps.lambda, () => this.log.flush());
  }

  async wave(wave: PlannedWave, total: number): Promise<void> {
    const cancelled = this.deps.cancel?.reason;
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
                  const cancelled = this.deps.cancel?.reason;
                  if (stop || cancelled) {
                    const reason = stop ?? `the run was cancelled (${cancelled})`;
                    return { ...base(wave, target, fn), status: 'not-started', reason };
                  }
                  if (this.newer.by) return this.leftToNewer(wave, target, fn);
                  const outcome = await moveFunction(this.inputs, wave, target, fn, this.deps);
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
      if (this.deps.cancel?.reason) return;
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
