/**
 * A local double of the AWS APIs the action uses — Lambda (REST JSON), SSM (JSON 1.1), S3 (REST XML),
 * CloudWatch DescribeAlarms (JSON 1.0) and STS (awsQuery: form POST, XML answer) — for the real AWS SDK v3
 * clients, reached through `AWS_ENDPOINT_URL_LAMBDA|SSM|S3|CLOUDWATCH|STS` (see `env()`) or the
 * clients' `endpoint` option (see `clientConfig()`). One server serves every region: the region (and the
 * service) of a request come from its SigV4 credential scope; signatures are not verified.
 *
 * It models what the action depends on: layer versions (numbering, limits, permissions, pagination),
 * functions (Layers, RevisionId, LastUpdateStatus InProgress → Successful | Failed after a latency,
 * 409/412, the 5-layer and 250 MB limits), Lambda's per-region request quotas (429), SSM parameters and
 * S3 objects incl. multipart uploads — plus injectable faults. See `__tests__/integration/aws-double.test.ts`.
 *
 * `flavour: 'emulator'` answers the way LocalStack and moto do, in forms AWS documents as optional:
 * empty strings and lists instead of absent fields, no RevisionId, MaxItems ignored (one page, no
 * NextMarker), 200 `{}` instead of 204, updates Successful at once. See `AwsDoubleOptions.flavour`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { BlobStore, blobStream, readBlob } from './aws-double/blobs.js';
import { monotonicMs, realSleep, TokenBucket, wallMs } from './aws-double/clock.js';
import { type AlarmStateValue, CloudWatchService } from './aws-double/cloudwatch.js';
import {
  type FaultKind,
  type FaultSpec,
  Faults,
  type FunctionChange,
  lastName,
  Pause,
} from './aws-double/faults.js';
import { AwsError, readBody, type Reply, type Service, signingScope } from './aws-double/http.js';
import {
  LambdaService,
  routeLambda,
  type SeedFunctionOptions,
  type SeedLayerVersionOptions,
} from './aws-double/lambda.js';
import {
  conflict,
  LAMBDA_LIMITS,
  preconditionFailed,
  requestTooLarge,
  serviceException,
  tooManyRequests,
} from './aws-double/lambda-rules.js';
import {
  type BucketModel,
  DoubleState,
  type FunctionModel,
  type LayerVersionModel,
} from './aws-double/model.js';
import { routeS3, S3Service, s3Internal, s3SlowDown } from './aws-double/s3.js';
import { SsmService, ssmInternal, ssmThrottle } from './aws-double/ssm.js';
import { type RoleModel, StsService, stsError, stsErrorBody } from './aws-double/sts.js';

export type { Fault, FaultKind, FaultSpec, FunctionChange, Pause } from './aws-double/faults.js';
export type { SeedFunctionOptions, SeedLayerVersionOptions } from './aws-double/lambda.js';
export { LAMBDA_LIMITS } from './aws-double/lambda-rules.js';
export type {
  BucketModel,
  DoubleState,
  FunctionEvent,
  FunctionModel,
  LayerModel,
  LayerPolicyStatement,
  LayerVersionModel,
  ObjectModel,
  ParameterModel,
  RegionState,
} from './aws-double/model.js';
export { readBlob } from './aws-double/blobs.js';

export interface AwsDoubleOptions {
  /** Default `123456789012`. */
  accountId?: string;
  /** The account's AWS Organizations id, for layer permissions granted to an organization. */
  organizationId?: string;
  /** Lambda control-plane quota shared by every operation but GetFunction, per region. Default 15; `Infinity` disables. */
  controlPlaneRps?: number;
  /** GetFunction quota, per region. Default 100; `Infinity` disables. */
  getFunctionRps?: number;
  /** How long an update stays `InProgress` (and a new function `Pending`). Default 0 (ends right after the response). */
  updateLatencyMs?: number;
  /** Enabled regions (the first is `env()`'s default); requests to others fail like a disabled opt-in region. Default: all. */
  regions?: string[];
  /** Code storage per region (layer + function zips). Default 75 GB. */
  codeStorageLimitBytes?: number;
  /** Bodies larger than this are kept in a temp file rather than in memory. Default 4 MiB. */
  spillToDiskBytes?: number;
  /**
   * `aws` (default): answers as AWS does. `emulator`: as LocalStack and moto do (their Lambda
   * provider/models and SSM responses), still refusing whatever AWS refuses:
   * - layer versions: Description and LicenseInfo `""`, CompatibleRuntimes/Architectures `[]` when unset;
   *   CreatedDate as `2024-01-31 12:34:56`; listed oldest first, in their full GetLayerVersion form;
   * - no RevisionId on functions, versions, aliases and layer-version policies (one sent is still
   *   checked, so any the caller makes up gets 412);
   * - MaxItems ignored: every version, function, alias or layer in one page, never a NextMarker;
   * - deletes answer 200 `{}` instead of 204; GetAlias and UpdateAlias answer 201;
   * - CreateFunction is Active and UpdateFunctionConfiguration Successful (or Failed) in the answer
   *   itself, never Pending/InProgress; ListFunctions keeps the state fields;
   * - function configurations with `Layers: []`, `null` signing fields, LastModified as moto writes it;
   * - SSM PutParameter answers `{ Version }` without Tier.
   */
  flavour?: 'aws' | 'emulator';
  /**
   * `false`: functions and aliases carry no RevisionId, also in the aws flavour (its latency and quotas
   * otherwise unchanged): what the action does for emulators, measured against what it does for AWS
   * (bench/rollout.mjs). Default: AWS's RevisionIds (none in the emulator flavour).
   */
  revisionIds?: false;
  /** Lifetime of assumed-role credentials, overriding DurationSeconds (see aws-double/sts.ts). */
  stsCredentialSeconds?: number;
  /** Port on 127.0.0.1. Default 0 (any free port); scripts/aws-double.ts uses LocalStack's 4566. */
  port?: number;
}

/**
 * Another account of the double (or the main one): its own functions and quotas; layers are shared by
 * ARN, and a function uses another account's layer version only once that version grants it.
 */
export interface AccountDouble {
  readonly accountId: string;
  readonly state: DoubleState;
  seedFunction(options: SeedFunctionOptions): FunctionModel;
  /** A role that the given accounts (default: the double's main account) may assume. */
  createRole(name: string, options?: { trust?: string[]; maxSessionSeconds?: number }): RoleModel;
}

/** One request the double answered (or dropped), in the order the responses were sent. */
export interface RequestRecord {
  seq: number;
  /** Arrival, epoch milliseconds. */
  time: number;
  /** Arrival, milliseconds since the double started (monotonic). */
  at: number;
  durationMs: number;
  region: string;
  /** The account the request acted as (from its access key). */
  account?: string;
  service: Service | 'unknown';
  operation: string;
  /** HTTP status; 0 when the connection was dropped. */
  status: number;
  throttled: boolean;
  errorType?: string;
  fault?: FaultKind;
  functionName?: string;
  layerName?: string;
  /** Path labels, query and body fields (big blobs elided). */
  params: Record<string, unknown>;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface AwsDouble {
  readonly url: string;
  readonly accountId: string;
  readonly defaultRegion: string;
  readonly flavour: 'aws' | 'emulator';
  readonly credentials: AwsCredentials;
  /** Environment for a child process (`node dist/index.js`) so that its SDK clients talk to the double. */
  env(region?: string): Record<string, string>;
  /** Options for `new LambdaClient(…)` / `SSMClient` / `S3Client` in-process. */
  clientConfig(region?: string): { region: string; endpoint: string; credentials: AwsCredentials };
  readonly state: DoubleState;
  readonly requests: RequestRecord[];
  /**
   * The write journal: every request after the `since`-th (default all) that asks to change something
   * (any operation but Get*, List*, Head*, Describe* and STS), answered or refused: a run that must
   * change nothing sends none.
   */
  writes(since?: number): RequestRecord[];
  /**
   * Everything a write could change, in every account, as one comparable string: layer versions and
   * their policies, function configurations, versions and aliases, SSM parameters, S3 objects and uploads.
   */
  snapshot(): string;
  /** Downloads of layer and function code through `Location` links: the bytes each one sent. */
  readonly downloads: { path: string; bytes: number }[];
  readonly faults: Faults;
  /**
   * Holds the first request that matches (by default Lambda's; `afterApplying`: its answer, the operation
   * done) until `release()`: pauses a run there, e.g. between its waves or in its bake, while another
   * `node dist/index.js` releases. `reached` says when (and which request) it holds.
   */
  pause(spec: Omit<FaultSpec, 'kind' | 'pause'>): Pause;
  /** An account of the double by id (made on first use; the main account's id gives the main account). */
  account(accountId: string): AccountDouble;
  readonly sts: StsService;
  /** Creates a function directly (Active, Successful), bypassing quotas and validation. */
  seedFunction(options: SeedFunctionOptions): FunctionModel;
  /** Publishes a layer version directly (any content; optionally in another account, optionally shared). */
  seedLayerVersion(options: SeedLayerVersionOptions): Promise<LayerVersionModel>;
  /** Another actor changes a function now (default: MemorySize + 64 and env CONCURRENT_CHANGE). */
  changeFunction(
    region: string,
    name: string,
    change?: FunctionChange,
    options?: { inProgressMs?: number; fails?: { reason?: string; reasonCode?: string } },
  ): FunctionModel;
  createBucket(region: string, name: string): BucketModel;
  /** The bytes of an S3 object, or undefined. */
  readObject(bucket: string, key: string): Buffer | undefined;
  /** Creates a CloudWatch alarm, or flips its state (at any moment, e.g. during a canary's bake). */
  setAlarm(
    region: string,
    name: string,
    state: AlarmStateValue,
    options?: { reason?: string; composite?: boolean },
  ): void;
  /** Puts a function in State Pending or Inactive; it turns Active after `activeAfterMs`. */
  setFunctionState(region: string, name: string, state: 'Pending' | 'Inactive', activeAfterMs: number): void;
  close(): Promise<void>;
}

const JSON_CONTENT = {
  lambda: 'application/json',
  ssm: 'application/x-amz-json-1.1',
  monitoring: 'application/x-amz-json-1.0',
} as const;

export async function startAwsDouble(options: AwsDoubleOptions = {}): Promise<AwsDouble> {
  const accountId = options.accountId ?? '123456789012';
  const flavour = options.flavour ?? 'aws';
  const regions = options.regions;
  const defaultRegion = regions?.[0] ?? 'us-east-1';
  const credentials: AwsCredentials = {
    accessKeyId: 'AKIAAWSDOUBLE0000000',
    secretAccessKey: 'aws-double-secret-access-key',
  };
  const state = new DoubleState(accountId);
  const blobs = new BlobStore(options.spillToDiskBytes ?? 4 * 1024 * 1024);
  const faults = new Faults();
  const requests: RequestRecord[] = [];
  const downloads: { path: string; bytes: number }[] = [];
  const startedAt = monotonicMs();
  let seq = 0;
  let url = '';

  const lambdaOptions = {
    accountId,
    updateLatencyMs: options.updateLatencyMs ?? 0,
    codeStorageLimitBytes: options.codeStorageLimitBytes ?? LAMBDA_LIMITS.defaultCodeStorageBytes,
    emulator: flavour === 'emulator',
    ...(options.revisionIds === false ? { revisionIds: false } : {}),
    get url() {
      return url;
    },
    ...(options.organizationId ? { organizationId: options.organizationId } : {}),
  };
  const lambda = new LambdaService(state, blobs, lambdaOptions);
  const ssm = new SsmService(state, accountId, flavour === 'emulator');
  const s3 = new S3Service(state, blobs);
  const cloudwatch = new CloudWatchService(accountId);
  const sts = new StsService(
    options.stsCredentialSeconds === undefined ? {} : { credentialSeconds: options.stsCredentialSeconds },
  );

  interface Account {
    double: AccountDouble;
    lambda: LambdaService;
  }
  const accounts = new Map<string, Account>();
  const makeAccount = (id: string, accountState: DoubleState, service: LambdaService): Account => ({
    lambda: service,
    double: {
      accountId: id,
      state: accountState,
      seedFunction: (o) => service.seedFunction(o),
      createRole: (name, o = {}) => sts.createRole(id, name, o.trust ?? [accountId], o.maxSessionSeconds),
    },
  });
  accounts.set(accountId, makeAccount(accountId, state, lambda));
  const account = (id: string): Account => {
    let found = accounts.get(id);
    if (!found) {
      const accountState = new DoubleState(id, state);
      found = makeAccount(
        id,
        accountState,
        new LambdaService(accountState, blobs, { ...lambdaOptions, accountId: id }),
      );
      accounts.set(id, found);
    }
    return found;
  };

  // Lambda's quotas are per account and region.
  const quotas = new Map<string, TokenBucket>();
  const quota = (account: string, region: string, operation: string): TokenBucket => {
    const kind = operation === 'GetFunction' ? 'get' : 'control';
    const key = `${account} ${region} ${kind}`;
    let bucket = quotas.get(key);
    if (!bucket) {
      bucket = new TokenBucket(
        kind === 'get' ? (options.getFunctionRps ?? 100) : (options.controlPlaneRps ?? 15),
      );
      quotas.set(key, bucket);
    }
    return bucket;
  };

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      // Only reached when even the error response failed (e.g. the client went away).
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', 'http://aws-double');
    if (requestUrl.pathname.startsWith('/__double/')) return download(requestUrl, req, res);
    const record: RequestRecord = {
      seq: 0,
      time: wallMs(),
      at: monotonicMs() - startedAt,
      durationMs: 0,
      region: '',
      service: 'unknown',
      operation: 'Unknown',
      status: 0,
      throttled: false,
      params: {},
    };
    const scope = signingScope(req, requestUrl);
    const service: Service | undefined =
      scope && (['lambda', 'ssm', 's3', 'monitoring', 'sts'] as const).find((s) => s === scope.service);
    const log = (status: number, errorType?: string) => {
      record.status = status;
      if (errorType) record.errorType = errorType;
      record.seq = ++seq;
      record.durationMs = monotonicMs() - startedAt - record.at;
      requests.push(record);
    };
    try {
      if (!scope)
        throw new AwsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      record.region = scope.region;
      if (!service)
        throw new AwsError(400, 'UnknownServiceException', `The aws double does not serve ${scope.service}`);
      record.service = service;
      if (regions && !regions.includes(scope.region))
        throw new AwsError(
          403,
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
      const token = req.headers['x-amz-security-token'];
      const actingAs = sts.accountOf(scope.accessKeyId, typeof token === 'string' ? token : undefined, {
        key: credentials.accessKeyId,
        account: accountId,
      });
      record.account = actingAs;

      if (service === 'sts') await handleSts(req, res, actingAs, record, log);
      else if (service === 'lambda')
        await handleLambda(req, res, requestUrl, scope.region, account(actingAs).lambda, record, log);
      else if (actingAs !== accountId)
        throw new AwsError(
          403,
          'AccessDeniedException',
          `The double serves ${service} for account ${accountId} only`,
        );
      else if (service === 'ssm') await handleSsm(req, res, scope.region, record, log);
      else if (service === 'monitoring') await handleCloudWatch(req, res, scope.region, record, log);
      else await handleS3(req, res, requestUrl, scope.region, record, log);
    } catch (error) {
      await drain(req);
      const e = error instanceof AwsError ? error : internalError(service, error);
      if (e.status === 429 || (service === 's3' && e.type === 'SlowDown')) record.throttled = true;
      log(e.status, e.type);
      sendError(res, service, e, req.method === 'HEAD');
    }
  }

  /** Runs the request's faults before the operation; returns what remains to do after it. */
  async function applyFaults(
    req: IncomingMessage,
    target: {
      service: Service;
      operation: string;
      region: string;
      account?: string;
      functionName?: string;
      layerName?: string;
    },
    record: RequestRecord,
    log: (status: number) => void,
  ): Promise<{
    dropAfter: boolean;
    failUpdate?: { reason?: string; reasonCode?: string };
    dropped: boolean;
    /** Held before the answer is sent (a `pause` with afterApplying). */
    holdAnswer?: () => Promise<void>;
  }> {
    let dropAfter = false;
    let failUpdate: { reason?: string; reasonCode?: string } | undefined;
    let holdAnswer: (() => Promise<void>) | undefined;
    for (const f of faults.take(target)) {
      record.fault = f.kind;
      switch (f.kind) {
        case 'pause':
          if (f.afterApplying) holdAnswer = () => f.pause!.hold(target);
          else await f.pause!.hold(target);
          break;
        case 'delay':
          await (f.until ?? realSleep(f.delayMs ?? 100)).catch(() => undefined);
          break;
        case 'drop-connection':
          if (f.afterApplying) dropAfter = true;
          else {
            log(0);
            req.socket.destroy();
            return { dropAfter, dropped: true };
          }
          break;
        case 'http500':
          throw target.service === 'lambda'
            ? serviceException()
            : target.service === 'ssm'
              ? ssmInternal()
              : s3Internal();
        case 'throttle':
          if (target.service === 'lambda') throw tooManyRequests(f.retryAfterSeconds ?? 1);
          throw target.service === 'ssm' ? ssmThrottle() : s3SlowDown();
        case 'access-denied': {
          const action = `${target.service === 'ssm' ? 'ssm' : target.service}:${target.operation}`;
          const resource =
            target.layerName !== undefined
              ? `arn:aws:lambda:${target.region}:${accountId}:layer:${target.layerName}`
              : target.functionName !== undefined
                ? `arn:aws:lambda:${target.region}:${accountId}:function:${target.functionName}`
                : '*';
          throw new AwsError(
            403,
            'AccessDeniedException',
            `User: arn:aws:sts::${accountId}:assumed-role/double-role/double-session is not authorized to ` +
              `perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
          );
        }
        case 'conflict':
          throw conflict(
            `The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:${target.region}:${target.account ?? accountId}:function:${target.functionName ?? ''}`,
          );
        case 'precondition-failed':
          throw preconditionFailed(
            'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
          );
        case 'concurrent-change': {
          const owner = account(target.account ?? accountId);
          if (target.functionName && owner.double.state.fn(target.region, target.functionName))
            owner.lambda.changeFunction(target.region, target.functionName, f.change, f.inProgressMs ?? 0);
          break;
        }
        case 'update-fails':
          failUpdate = {
            ...(f.reason ? { reason: f.reason } : {}),
            ...(f.reasonCode ? { reasonCode: f.reasonCode } : {}),
          };
          break;
      }
    }
    return {
      dropAfter,
      dropped: false,
      ...(failUpdate ? { failUpdate } : {}),
      ...(holdAnswer ? { holdAnswer } : {}),
    };
  }

  async function handleLambda(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    region: string,
    lambda: LambdaService,
    record: RequestRecord,
    log: (status: number, errorType?: string) => void,
  ): Promise<void> {
    const route = routeLambda(req.method ?? 'GET', url.pathname, url.searchParams);
    if (!route)
      throw new AwsError(
        404,
        'UnknownOperationException',
        `No Lambda operation for ${req.method} ${url.pathname}`,
        { Type: 'User' },
      );
    record.operation = route.operation;
    const functionName =
      route.params['FunctionName'] === undefined
        ? undefined
        : lastName(route.params['FunctionName'], 'function');
    const layerName =
      route.params['LayerName'] === undefined ? undefined : lastName(route.params['LayerName'], 'layer');
    if (functionName !== undefined) record.functionName = functionName;
    if (layerName !== undefined) record.layerName = layerName;
    record.params = { ...route.params, ...Object.fromEntries(url.searchParams) };

    const token = quota(record.account ?? accountId, region, route.operation).take();
    if (!token.ok) throw tooManyRequests(token.retryAfterSeconds);

    const target = {
      service: 'lambda' as const,
      operation: route.operation,
      region,
      account: record.account ?? accountId,
      ...(functionName ? { functionName } : {}),
      ...(layerName ? { layerName } : {}),
    };
    const plan = await applyFaults(req, target, record, log);
    if (plan.dropped) return;

    const { body: raw, tooLarge } = await readBody(req, LAMBDA_LIMITS.requestBytes);
    if (tooLarge) throw requestTooLarge(route.operation);
    let body: Record<string, unknown> = {};
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch (e) {
        throw new AwsError(
          400,
          'InvalidRequestContentException',
          `Could not parse request body into json: ${(e as Error).message}`,
          { Type: 'User' },
        );
      }
    }
    if (record.operation === 'CreateFunction' && typeof body['FunctionName'] === 'string')
      record.functionName = body['FunctionName'];
    record.params = { ...record.params, ...summarize(body) };
    const reply = await lambda.handle({
      operation: route.operation,
      region,
      params: route.params,
      query: url.searchParams,
      body,
      ...(plan.failUpdate ? { failUpdate: plan.failUpdate } : {}),
    });
    await plan.holdAnswer?.();
    if (plan.dropAfter) {
      log(0);
      req.socket.destroy();
      return;
    }
    log(reply.status);
    sendJson(res, reply, JSON_CONTENT.lambda);
  }

  async function handleSts(
    req: IncomingMessage,
    res: ServerResponse,
    caller: string,
    record: RequestRecord,
    log: (status: number, errorType?: string) => void,
  ): Promise<void> {
    const { body: raw } = await readBody(req, 64 * 1024);
    // STS finds no operation in anything but a form-encoded POST (awsQuery).
    const form = new URLSearchParams(raw.toString('utf8'));
    record.operation = form.get('Action') ?? 'Unknown';
    if (
      req.method !== 'POST' ||
      !String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
    )
      throw stsError(400, 'InvalidAction', 'Could not find operation for this request');
    record.params = Object.fromEntries([...form].filter(([name]) => name !== 'Action' && name !== 'Version'));
    const plan = await applyFaults(
      req,
      { service: 'sts', operation: record.operation, region: record.region },
      record,
      log,
    );
    if (plan.dropped) return;
    const payload = sts.handle(caller, form);
    if (plan.dropAfter) {
      log(0);
      req.socket.destroy();
      return;
    }
    log(200);
    res.writeHead(200, {
      'content-type': 'text/xml',
      'content-length': String(Buffer.byteLength(payload)),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(payload);
  }

  async function handleSsm(
    req: IncomingMessage,
    res: ServerResponse,
    region: string,
    record: RequestRecord,
    log: (status: number, errorType?: string) => void,
  ): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AmazonSSM.') ? target.slice('AmazonSSM.'.length) : 'Unknown';
    record.operation = operation;
    const plan = await applyFaults(req, { service: 'ssm', operation, region }, record, log);
    if (plan.dropped) return;
    const { body: raw } = await readBody(req);
    let body: Record<string, unknown>;
    try {
      body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      throw new AwsError(400, 'SerializationException', 'Invalid JSON');
    }
    record.params = summarize(body);
    const reply = ssm.handle({ operation, region, body });
    await plan.holdAnswer?.();
    if (plan.dropAfter) {
      log(0);
      req.socket.destroy();
      return;
    }
    log(reply.status);
    sendJson(res, reply, JSON_CONTENT.ssm);
  }

  async function handleCloudWatch(
    req: IncomingMessage,
    res: ServerResponse,
    region: string,
    record: RequestRecord,
    log: (status: number, errorType?: string) => void,
  ): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const prefix = 'GraniteServiceVersion20100801.';
    const operation = target.startsWith(prefix) ? target.slice(prefix.length) : 'Unknown';
    record.operation = operation;
    const { body: raw } = await readBody(req);
    const body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    record.params = body;
    const reply = cloudwatch.handle({ operation, region, body });
    log(reply.status);
    sendJson(res, reply, JSON_CONTENT.monitoring);
  }

  async function handleS3(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    region: string,
    record: RequestRecord,
    log: (status: number, errorType?: string) => void,
  ): Promise<void> {
    const route = routeS3(req.method ?? 'GET', req.headers.host, url.pathname, url.searchParams, req.headers);
    record.operation = route.operation;
    record.params = {
      ...(route.bucket !== undefined ? { Bucket: route.bucket } : {}),
      ...(route.key !== undefined ? { Key: route.key } : {}),
      ...Object.fromEntries([...url.searchParams].filter(([k]) => k !== 'x-id')),
      ...(req.headers['content-length'] ? { ContentLength: Number(req.headers['content-length']) } : {}),
    };
    const plan = await applyFaults(req, { service: 's3', operation: route.operation, region }, record, log);
    if (plan.dropped) return;
    const reply = await s3.handle({ route, region, req, query: url.searchParams });
    await drain(req);
    if (plan.dropAfter) {
      log(0);
      req.socket.destroy();
      return;
    }
    log(reply.status);
    const headers = { 'x-amz-request-id': requestId(), 'x-amz-id-2': randomUUID(), ...reply.headers };
    if (reply.body instanceof Readable) {
      res.writeHead(reply.status, headers);
      if (req.method === 'HEAD') {
        reply.body.destroy();
        res.end();
      } else reply.body.pipe(res);
      return;
    }
    const payload = reply.body === undefined ? '' : String(reply.body);
    res.writeHead(reply.status, {
      ...(req.method === 'HEAD' ? {} : { 'Content-Length': String(Buffer.byteLength(payload)) }),
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : payload);
  }

  /** Download links used as `Location` for layer and function code (presigned S3 URLs in Lambda). */
  function download(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const arn = url.searchParams.get('arn') ?? '';
    const parts = arn.split(':');
    const region = parts[3] ?? '';
    let blob;
    if (url.pathname === '/__double/layer') {
      blob = state
        .region(region)
        .layers.get(parts.slice(0, 7).join(':'))
        ?.versions.get(Number(parts[7]))?.content;
    } else if (url.pathname === '/__double/function') {
      blob = accounts.get(parts[4] ?? '')?.double.state.fn(region, parts[6] ?? '')?.code;
    }
    if (!blob) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    // Presigned S3 links answer range requests (`bytes=a-b`, `bytes=a-`, `bytes=-n`) with 206.
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (range && (range[1] || range[2])) {
      const start = range[1] ? Number(range[1]) : Math.max(0, blob.size - Number(range[2]));
      const end = range[1] && range[2] ? Math.min(Number(range[2]), blob.size - 1) : blob.size - 1;
      if (start > end || start >= blob.size) {
        res.writeHead(416, { 'content-range': `bytes */${blob.size}` });
        res.end();
        return;
      }
      downloads.push({ path: url.pathname, bytes: end - start + 1 });
      res.writeHead(206, {
        'content-type': 'application/zip',
        'content-length': String(end - start + 1),
        'content-range': `bytes ${start}-${end}/${blob.size}`,
      });
      blobStream(blob, { start, end }).pipe(res);
      return;
    }
    downloads.push({ path: url.pathname, bytes: blob.size });
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(blob.size) });
    blobStream(blob).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    accountId,
    defaultRegion,
    flavour,
    credentials,
    env: (region = defaultRegion) => ({
      AWS_ENDPOINT_URL_LAMBDA: url,
      AWS_ENDPOINT_URL_SSM: url,
      AWS_ENDPOINT_URL_S3: url,
      AWS_ENDPOINT_URL_STS: url,
      AWS_ENDPOINT_URL_CLOUDWATCH: url,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: region,
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
    clientConfig: (region = defaultRegion) => ({ region, endpoint: url, credentials: { ...credentials } }),
    state,
    requests,
    writes: (since = 0) =>
      requests.filter(
        (r) => r.seq > since && r.service !== 'sts' && !/^(Get|List|Head|Describe)/.test(r.operation),
      ),
    snapshot: () => snapshotOf([...accounts.values()].map((a) => a.double.state)),
    downloads,
    faults,
    pause: (spec) => {
      const pause = new Pause();
      faults.add({ service: 'lambda', ...spec, kind: 'pause', pause });
      return pause;
    },
    account: (id) => account(id).double,
    sts,
    seedFunction: (o) => lambda.seedFunction(o),
    seedLayerVersion: (o) => lambda.seedLayerVersion(o),
    changeFunction: (region, name, change, o) =>
      lambda.changeFunction(region, name, change, o?.inProgressMs ?? 0, o?.fails),
    createBucket: (region, name) => s3.createBucket(region, name),
    setAlarm: (region, name, alarmState, o) => cloudwatch.setAlarm(region, name, alarmState, o),
    setFunctionState: (region, name, fnState, ms) => lambda.setFunctionState(region, name, fnState, ms),
    readObject: (bucket, key) => {
      const object = state.object(bucket, key);
      return object && readBlob(object.blob);
    },
    close: async () => {
      for (const each of accounts.values()) each.lambda.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      blobs.close();
    },
  };
}

function requestId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
}

async function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return;
  req.resume();
  await new Promise<void>((resolve) => {
    req.once('end', resolve);
    req.once('close', resolve);
    req.once('error', resolve);
  });
}

function internalError(service: Service | undefined, error: unknown): AwsError {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  const type =
    service === 's3' ? 'InternalError' : service === 'ssm' ? 'InternalServerError' : 'ServiceException';
  return new AwsError(
    500,
    type,
    `aws-double internal error: ${detail}`,
    service === 'lambda' ? { Type: 'Service' } : {},
  );
}

function sendJson(res: ServerResponse, reply: Reply, contentType: string): void {
  const payload = reply.body === undefined || reply.status === 204 ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(payload)),
    'x-amzn-requestid': randomUUID(),
    ...reply.headers,
  });
  res.end(payload);
}

function sendError(res: ServerResponse, service: Service | undefined, e: AwsError, head: boolean): void {
  if (res.headersSent || res.destroyed) return;
  if (service === 'sts') {
    const payload = stsErrorBody(e);
    res.writeHead(e.status, {
      'content-type': 'text/xml',
      'content-length': String(Buffer.byteLength(payload)),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(payload);
    return;
  }
  if (service === 's3') {
    const fields = Object.entries(e.extra)
      .map(([k, v]) => `<${k}>${xmlText(String(v))}</${k}>`)
      .join('');
    const id = requestId();
    const payload = head
      ? ''
      : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.type}</Code><Message>${xmlText(e.message)}</Message>${fields}<RequestId>${id}</RequestId><HostId>${randomUUID()}</HostId></Error>`;
    res.writeHead(e.status, {
      'content-type': 'application/xml',
      'content-length': String(Buffer.byteLength(payload)),
      'x-amz-request-id': id,
      ...e.headers,
    });
    res.end(payload);
    return;
  }
  if (service === 'ssm' || service === 'monitoring') {
    const body = { __type: e.type, ...(e.message ? { message: e.message } : {}), ...e.extra };
    const payload = JSON.stringify(body);
    res.writeHead(e.status, {
      'content-type': JSON_CONTENT.ssm,
      'content-length': String(Buffer.byteLength(payload)),
      'x-amzn-requestid': randomUUID(),
      ...e.headers,
    });
    res.end(payload);
    return;
  }
  // Lambda (and requests the double could not attribute to a service): REST JSON with x-amzn-errortype.
  const body = {
    ...e.extra,
    message: e.message,
    ...(e.type === 'ValidationException' ? {} : { Message: e.message }),
  };
  const payload = JSON.stringify(body);
  res.writeHead(e.status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(payload)),
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': e.type,
    ...e.headers,
  });
  res.end(payload);
}

function xmlText(s: string): string {
  return s.replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));
}

/** Request fields for the log, with zip payloads replaced by their size. */
function summarize(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if ((k === 'Content' || k === 'Code') && v && typeof v === 'object') {
      const inner: Record<string, unknown> = { ...(v as Record<string, unknown>) };
      if (typeof inner['ZipFile'] === 'string')
        inner['ZipFile'] = `<${Math.floor(((inner['ZipFile'] as string).length * 3) / 4)} bytes>`;
      out[k] = inner;
    } else out[k] = v;
  }
  return out;
}

/** See AwsDouble.snapshot. */
function snapshotOf(states: readonly DoubleState[]): string {
  const sorted = <T>(map: Map<string, T>): [string, T][] => [...map].sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(
    states.map((state) => ({
      account: state.accountId,
      regions: sorted(state.regions).map(([name, region]) => ({
        name,
        layers: sorted(region.layers).map(([arn, layer]) => ({
          arn,
          versions: [...layer.versions].map(([n, v]) => [n, v.CodeSha256, v.policy.statements.length]),
        })),
        functions: sorted(region.functions).map(([fn, model]) => ({
          fn,
          revision: model.config.RevisionId,
          layers: (model.config.Layers ?? []).map((l) => l.Arn),
          versions: [...model.versions.keys()],
          aliases: sorted(model.aliases).map(([alias, a]) => [alias, a.FunctionVersion, a.RoutingConfig]),
        })),
        parameters: sorted(region.parameters).map(([name, p]) => [name, p.history.length]),
      })),
      buckets: sorted(state.buckets).map(([name, b]) => [name, [...b.objects.keys()].sort(), b.uploads.size]),
    })),
  );
}
