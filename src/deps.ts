/**
 * Everything the action does to the outside world goes through this object, so tests can
 * replace any part of it. `defaultDeps()` is what the runner uses.
 */
import { getExecOutput } from '@actions/exec';
import { awsClients, type AwsClients } from './aws/clients.js';
import type { Exec } from './docker.js';

export interface Deps extends AwsClients {
  /** Runs a program with an argument array (never a shell string). */
  readonly exec: Exec;
  /** Milliseconds, for step timings. */
  readonly now: () => number;
  /** Waits; tests pass a clock that does not. */
  readonly sleep: (ms: number) => Promise<void>;
}

export function defaultDeps(): Deps {
  return {
    ...awsClients(),
    exec: getExecOutput,
    now: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
