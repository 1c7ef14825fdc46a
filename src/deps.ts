/**
 * Everything the action does to the outside world goes through this object, so tests can
 * replace any part of it. `defaultDeps()` is what the runner uses.
 */
import { getExecOutput } from '@actions/exec';
import type { STSClient } from '@aws-sdk/client-sts';
import { setTimeout as delay } from 'node:timers/promises';
import { abortable, awsClients, USER_AGENT, type AwsClients } from './aws/clients.js';
import { Cancellation, newRunId, RunContainers } from './cancel.js';
import type { Exec } from './docker.js';

export interface Deps extends AwsClients {
  /** STS, to learn the caller's account before anything is written (src/preflight/index.ts). */
  readonly sts: (region: string) => Promise<STSClient>;
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
  const stsClients = new Map<string, Promise<STSClient>>();
  const containers = new RunContainers(runId, getExecOutput, cancel);
  return {
    ...awsClients(process.env, cancel.inFlight),
    // Regional endpoints (the SDK's default): the call stays in the partition the run publishes to.
    sts: (region) => {
      if (!stsClients.has(region)) {
        const make = async (): Promise<STSClient> => {
          const { STSClient } = await import('@aws-sdk/client-sts'); // only runs that check ARNs
          const client = new STSClient({
            region,
            retryMode: 'standard',
            maxAttempts: 4,
            customUserAgent: [USER_AGENT],
          });
          return abortable(client, cancel.inFlight);
        };
        stsClients.set(region, make());
      }
      return stsClients.get(region)!;
    },
    exec: containers.exec,
    now: () => performance.now(),
    // A cancel ends a wait (a canary's bake) at once; the caller then sees deps.cancel and stops.
    sleep: (ms) => delay(ms, undefined, { signal: cancel.signal }).catch(() => undefined),
    cancel,
    containers,
  };
}
