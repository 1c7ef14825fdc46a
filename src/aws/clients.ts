/**
 * One SDK client per service and region, configured the same way everywhere: the SDK's standard
 * credential chain and endpoint variables (AWS_ENDPOINT_URL_LAMBDA, …), adaptive retries with an
 * explicit attempt budget, and a user agent that names this action in CloudTrail.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import pThrottle from 'p-throttle';

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
  lambda(region: string): LambdaClient;
  s3(region: string): S3Client;
  ssm(region: string): SSMClient;
  cloudwatch(region: string): CloudWatchClient;
}

/** Clients are made on first use and reused, so retries and pacing are shared per region. */
export function awsClients(): AwsClients {
  type Client = LambdaClient | S3Client | SSMClient | CloudWatchClient;
  const cache = new Map<string, Client>();
  const get = <T extends Client>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  return {
    lambda: (region) => get(`lambda:${region}`, () => paced(new LambdaClient({ region, ...common }))),
    s3: (region) => get(`s3:${region}`, () => new S3Client({ region, ...common })),
    ssm: (region) => get(`ssm:${region}`, () => new SSMClient({ region, ...common })),
    cloudwatch: (region) => get(`cloudwatch:${region}`, () => new CloudWatchClient({ region, ...common })),
  };
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
