/**
 * One SDK client per service and region (and, for Lambda, per account), configured the same way
 * everywhere: the SDK's standard credential chain and endpoint variables (AWS_ENDPOINT_URL_LAMBDA,
 * AWS_ENDPOINT_URL_STS, …), adaptive retries with an explicit attempt budget, and a user agent that
 * names this action in CloudTrail. Another account is reached through a role assumed with the job's
 * credentials (src/aws/assume-role.ts). S3, CloudWatch and STS serve only some runs (`s3-bucket`,
 * `alarms`, `accounts`): their clients are imported when first asked for, so ncc puts them in chunks
 * that other runs never parse.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';
import pThrottle from 'p-throttle';
import { assumedRole, sessionName, type CredentialProvider } from './assume-role.js';

export const USER_AGENT: [string, string] = ['lambda-layer-release', '0.1.0'];

const common = {
  // Adaptive mode adds client-side rate limiting on throttles on top of the standard backoff.
  retryMode: 'adaptive',
  maxAttempts: 8,
  customUserAgent: [USER_AGENT],
};

/**
 * Lambda's default request quotas per account and region: GetFunction has its own bucket, every
 * other control-plane call (ListFunctions, UpdateFunctionConfiguration, PublishLayerVersion, …)
 * shares one. The action paces itself below them, so throttling is the exception, not the method.
 */
export const LAMBDA_QUOTAS = { getFunctionPerSecond: 90, controlPlanePerSecond: 15 } as const;

export interface AwsClients {
  /** Lambda in `region`: as the job's own account, or as `role` (a role ARN assumed for another account). */
  lambda(region: string, role?: string): LambdaClient;
  /** Assumes `role` now (STS in `region`), so that one that cannot be assumed fails with STS's error. */
  assumeRole(role: string, region: string): Promise<void>;
  /** STS as the job itself, made on first use: to learn the caller's account (src/preflight/index.ts). */
  sts(region: string): Promise<STSClient>;
  s3(region: string): Promise<S3Client>;
  ssm(region: string): SSMClient;
  cloudwatch(region: string): Promise<CloudWatchClient>;
}

/**
 * Clients are made on first use and reused, so retries and pacing are shared per account and region
 * (Lambda's quotas are per account and region); one credential provider per role serves every region.
 */
export function awsClients(env: NodeJS.ProcessEnv = process.env, inFlight?: AbortSignal): AwsClients {
  const cache = new Map<string, Client | Promise<Client>>();
  /** Makes the client on first use (abortable once the run is cancelled) and reuses it. */
  const get = <T extends Client | Promise<Client>>(key: string, make: () => T): T => {
    if (!cache.has(key)) {
      const made = make();
      cache.set(
        key,
        made instanceof Promise
          ? made.then((client) => abortable(client, inFlight))
          : abortable(made, inFlight),
      );
    }
    return cache.get(key) as T;
  };
  // Regional endpoints (the SDK's default): a call stays in the partition the run publishes to.
  const sts = (region: string): Promise<STSClient> =>
    get(
      `sts:${region}`,
      async () => new (await import('@aws-sdk/client-sts')).STSClient({ region, ...common }),
    );
  const roles = new Map<string, CredentialProvider>();
  const role = (arn: string, region: string): CredentialProvider => {
    if (!roles.has(arn))
      roles.set(
        arn,
        assumedRole(() => sts(region), arn, sessionName(env)),
      );
    return roles.get(arn)!;
  };
  return {
    lambda: (region, roleArn) =>
      get(`lambda:${roleArn ?? ''}:${region}`, () =>
        paced(
          new LambdaClient({
            region,
            ...common,
            // The middleware stack resolved once per command class, not once per request (nothing adds
            // middleware to one command): the roll-out's hot path. Other clients send a few requests.
            cacheMiddleware: true,
            ...(roleArn ? { credentials: role(roleArn, region) } : {}),
          }),
        ),
      ),
    assumeRole: async (roleArn, region) => void (await role(roleArn, region)()),
    sts,
    s3: (region) =>
      get(
        `s3:${region}`,
        async () => new (await import('@aws-sdk/client-s3')).S3Client({ region, ...common }),
      ),
    ssm: (region) => get(`ssm:${region}`, () => new SSMClient({ region, ...common })),
    cloudwatch: (region) =>
      get(
        `cloudwatch:${region}`,
        async () => new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient({ region, ...common }),
      ),
  };
}

type Client = LambdaClient | S3Client | SSMClient | CloudWatchClient | STSClient;

/**
 * Once `signal` aborts (a cancelled run, src/cancel.ts), every call of `client` — in flight, retrying,
 * waiting for a pacing slot, or not sent yet — rejects with the signal's reason, so a cancelled run
 * reports within seconds instead of waiting out backoffs. A request already on the wire may still
 * reach AWS: the caller reports it as in flight.
 */
export function abortable<T extends Client>(client: T, signal: AbortSignal | undefined): T {
  if (!signal) return client;
  // Every client's stack takes the same middleware; its generic types differ per service.
  (client as unknown as LambdaClient).middlewareStack.add(
    (next) => async (args) => {
      signal.throwIfAborted();
      let stop = (): void => undefined;
      const aborted = new Promise<never>((_, reject) => {
        stop = () => reject(signal.reason as Error);
        signal.addEventListener('abort', stop, { once: true });
      });
      try {
        return await Promise.race([next(args), aborted]);
      } finally {
        signal.removeEventListener('abort', stop);
      }
    },
    { step: 'initialize', priority: 'high', name: 'lambdaLayerReleaseCancel' },
  );
  return client;
}

/**
 * Every attempt (retries included: the middleware sits inside the retry loop) waits for a slot of
 * its quota. A strict sliding window never lets more than the quota through in any second.
 */
function paced(client: LambdaClient): LambdaClient {
  const slot = (perSecond: number): (() => Promise<void>) =>
    pThrottle({ limit: perSecond, interval: 1000, strict: true })(async () => undefined);
  const getFunctionSlot = slot(LAMBDA_QUOTAS.getFunctionPerSecond);
  const controlPlaneSlot = slot(LAMBDA_QUOTAS.controlPlanePerSecond);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      await (context.commandName === 'GetFunctionCommand' ? getFunctionSlot : controlPlaneSlot)();
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'lambdaLayerReleasePacing' },
  );
  return client;
}
