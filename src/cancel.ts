/**
 * Cancelling a run. When a workflow run is cancelled (or times out) the runner sends SIGINT, then
 * SIGTERM about 7.5 s later, then SIGKILL 2.5 s after that. At the first signal the run starts nothing
 * new (`signal`), its containers are removed (RunContainers, below), and the calls already sent
 * to AWS get a few seconds to answer (`inFlight` aborts them after DRAIN_MS, or at once on a second
 * signal), so the job summary can say where the run stopped before the runner kills the process.
 * See docs/cancel.md.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Exec } from './docker.js';

/** How long calls already sent to AWS may still take after the first signal. */
export const DRAIN_MS = 3000;
/** After the first signal, the run reports and exits within this, whatever is still pending. */
export const DEADLINE_MS = 5000;

/** What a step throws when it stops because the run was cancelled. */
export class CancelledError extends Error {
  constructor(readonly signalName: string) {
    super(`the run was cancelled (${signalName})`);
    this.name = 'CancelledError';
  }
}

export class Cancellation {
  readonly #stop = new AbortController();
  readonly #drain = new AbortController();
  readonly #deadline = new AbortController();
  #timers: NodeJS.Timeout[] = [];

  /** Aborted at the first signal: start nothing new (no container, no update, no next wave). */
  readonly signal = this.#stop.signal;
  /** Aborted DRAIN_MS after the first signal (at once on a second): calls in flight give up. */
  readonly inFlight = this.#drain.signal;
  /** Aborted DEADLINE_MS after the first signal (at once on a second): report now and exit. */
  readonly deadline = this.#deadline.signal;

  /** The name of the signal that cancelled the run, once cancelled. */
  get reason(): string | undefined {
    return this.signal.aborted ? (this.signal.reason as CancelledError).signalName : undefined;
  }

  cancel(signalName: string, drainMs = DRAIN_MS, deadlineMs = DEADLINE_MS): void {
    if (this.signal.aborted) {
      // The runner's second signal: little time is left before SIGKILL.
      this.#drain.abort(this.signal.reason);
      this.#deadline.abort(this.signal.reason);
      return;
    }
    const error = new CancelledError(signalName);
    this.#stop.abort(error);
    this.#timers = [
      setTimeout(() => this.#drain.abort(error), drainMs),
      setTimeout(() => this.#deadline.abort(error), deadlineMs),
    ];
  }

  /** Throws CancelledError once cancelled: call before starting anything. */
  throwIfCancelled(): void {
    if (this.signal.aborted) throw this.signal.reason as CancelledError;
  }

  dispose(): void {
    for (const timer of this.#timers) clearTimeout(timer);
  }
}

/** True for what an aborted call or a CancelledError throws. */
export function isCancellation(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  return name === 'CancelledError' || name === 'AbortError';
}

/**
 * Resolves when `signal` aborts (never rejects), for racing work against a deadline.
 */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * An id unique to this run of this step: `<run id>-<attempt>-<random>`. Every container the run
 * starts carries it as a label, so the post step (and nothing else) removes exactly those.
 */
export function newRunId(env: NodeJS.ProcessEnv = process.env): string {
  const run = (env['GITHUB_RUN_ID'] ?? '').replace(/[^0-9]/g, '') || 'local';
  const attempt = (env['GITHUB_RUN_ATTEMPT'] ?? '').replace(/[^0-9]/g, '') || '1';
  return `${run}-${attempt}-${randomBytes(4).toString('hex')}`;
}

/** The label every container of a run carries: `lambda-layer-release.run=<run id>`. */
export const RUN_LABEL = 'lambda-layer-release.run';

/** Names of the state the post step reads (core.saveState / core.getState). */
export const STATE = { runId: 'run-id', tempTree: 'temp-tree' } as const;

/** `docker rm -f` of every container, running or not, that carries the run's label; their ids. */
export async function removeLabelled(exec: Exec, runId: string): Promise<string[]> {
  const silent = { ignoreReturnCode: true, silent: true };
  const listed = await exec('docker', ['ps', '-aq', '--filter', `label=${RUN_LABEL}=${runId}`], silent);
  const ids = listed.stdout.split(/\s+/).filter(Boolean);
  if (ids.length > 0) await exec('docker', ['rm', '-f', ...ids], silent);
  return ids;
}

/**
 * The containers of one run. Its `exec` gives every `docker run` the run's label and a name of its
 * own, and starts none once the run is cancelled; `removeAll` removes every container with the label
 * (and nothing else: the engine may be shared). The post step does the same from the saved run id.
 */
export class RunContainers {
  #running = 0;
  #started = 0;

  constructor(
    readonly runId: string,
    private readonly inner: Exec,
    private readonly cancel?: Cancellation,
  ) {}

  readonly exec: Exec = async (command, args, options) => {
    if (command !== 'docker' || args[0] !== 'run') return this.inner(command, args, options);
    this.cancel?.throwIfCancelled();
    // A container that runLimited named keeps its name: that is how its timeout finds it.
    const named = args.includes('--name')
      ? []
      : ['--name', `lambda-layer-release-${this.runId}-${++this.#started}`];
    const labelled = ['run', '--label', `${RUN_LABEL}=${this.runId}`, ...named, ...args.slice(1)];
    this.#running++;
    try {
      return await this.inner(command, labelled, options);
    } finally {
      this.#running--;
    }
  };

  /**
   * Removes the run's containers; while a `docker run` of this run is still attached (its container
   * may be being created right now), again every quarter second until it ends or `until` aborts.
   */
  async removeAll(until: AbortSignal): Promise<void> {
    for (;;) {
      await removeLabelled(this.inner, this.runId);
      if (this.#running === 0 || until.aborted) return;
      await sleep(250);
    }
  }
}
