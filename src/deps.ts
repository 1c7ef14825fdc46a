/**
 * Everything the action does to the outside world goes through this object, so tests can
 * replace any part of it. `defaultDeps()` is what the runner uses.
 */
import { getExecOutput } from '@actions/exec';
import type { STSClient } from '@aws-sdk/client-sts';
import { awsClients, USER_AGENT, type AwsClients } from './aws/clients.js';
import type { Exec } from './docker.js';

export interface Deps extends AwsClients {
  /** STS, to learn the caller's account before anything is written (src/preflight.ts). */
  readonly sts: (region: string) => Promise<STSClient>;
  /** Runs a program with an argument array (never a shell string). */
  readonly exec: Exec;
  /** Milliseconds, for step timings. */
  readonly now: () => number;
  /** Waits; tests pass a clock that does not. */
  readonly sleep: (ms: number) => Promise<void>;
}

export function defaultDeps(): Deps {
  const stsClients = new Map<string, Promise<STSClient>>();
  return {
    ...awsClients(),
    // Regional endpoints (the SDK's default): the call stays in the partition the run publishes to.
    sts: (region) => {
      if (!stsClients.has(region)) {
        const make = async (): Promise<STSClient> => {
          const { STSClient } = await import('@aws-sdk/client-sts'); // only runs that check ARNs
          return new STSClient({
            region,
            retryMode: 'standard',
            maxAttempts: 4,
            customUserAgent: [USER_AGENT],
          });
        };
        stsClients.set(region, make());
      }
      return stsClients.get(region)!;
    },
    exec: getExecOutput,
    now: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
