/**
 * Everything the action does to the outside world goes through this object, so tests can
 * replace any part of it. `defaultDeps()` is what the runner uses.
 */
import { getExecOutput } from '@actions/exec';
import { setTimeout as delay } from 'node:timers/promises';
import { awsClients, type AwsClients } from './aws/clients.js';
import { Cancellation, newRunId, RunContainers } from './cancel.js';
import type { Exec } from './docker.js';

export interface Deps extends AwsClients {
  /** Runs a program with an argument array (never a shell string). */
  readonly exec: Exec;
  /** Milliseconds, for step timings. */
  readonly now: () => number;
  /** Waits (ends early once the run is cancelled); tests pass a clock that does not. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Set when the run is cancelled (src/cancel.ts): steps start nothing new and report where they stopped. */
  readonly cancel: Cancellation;
  /** The run's containers (labelled with the run id), to remove on cancel. */
  readonly containers: RunContainers;
}

export function defaultDeps(runId = newRunId(), cancel = new Cancellation()): Deps {
  const containers = new RunContainers(runId, getExecOutput, cancel);
  return {
    ...awsClients(process.env, cancel.inFlight),
    exec: containers.exec,
    now: () => performance.now(),
    // A cancel ends a wait (a canary's bake) at once; the caller then sees deps.cancel and stops.
    sleep: (ms) => delay(ms, undefined, { signal: cancel.signal }).catch(() => undefined),
    cancel,
    containers,
  };
}
