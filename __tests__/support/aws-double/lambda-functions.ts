import { randomUUID } from 'node:crypto';
import type { AliasConfiguration, FunctionConfiguration, Layer } from '@aws-sdk/client-lambda';
import { cancelTimeout, lambdaDate, realTimeout, wallMs } from './clock.js';
import type { FunctionChange } from './faults.js';
import type { Reply } from './http.js';
import type { LayerStore } from './lambda-layers.js';
import {
  accessDenied,
  ALIAS_PATTERN,
  ARCHITECTURES,
  compact,
  conflict,
  Constraints,
  decodeMarker,
  deleted,
  encodeMarker,
  FUNCTION_NAME_PARTS,
  FUNCTION_NAME_PATTERN,
  invalidParameter,
  LAMBDA_LIMITS,
  type LambdaOptions,
  type LambdaRequest,
  LAYER_VERSION_ARN_PATTERN,
  maxItems,
  motoDate,
  notFound,
  num,
  preconditionFailed,
  ROLE_PATTERN,
  RUNTIMES,
  STALE_REVISION,
  stableJson,
  str,
  strList,
  VERSION_PATTERN,
} from './lambda-rules.js';
import { type DoubleState, type FunctionEvent, type FunctionModel, functionArn, layerArn } from './model.js';

export interface SeedFunctionOptions {
  region: string;
  name: string;
  runtime?: string;
  architectures?: string[];
  /** Layer version ARNs, in order. */
  layers?: string[];
  handler?: string;
  memorySize?: number;
  timeout?: number;
  description?: string;
  environment?: Record<string, string>;
  role?: string;
  /** Size of the function's own code when unzipped (counts against the 250 MB limit with its layers). */
  unzippedCodeSize?: number;
  codeSize?: number;
  tags?: Record<string, string>;
  /** Overrides the double's update latency for this function. */
  updateLatencyMs?: number;
  /** Extra configuration fields, merged last. */
  config?: Partial<FunctionConfiguration>;
}

/** Lambda functions: configuration with RevisionId and LastUpdateStatus, versions and aliases. */
export class FunctionStore {
  constructor(
    private readonly state: DoubleState,
    private readonly options: LambdaOptions,
    private readonly layers: LayerStore,
  ) {}

  /** Resolves a FunctionName label (name, partial ARN or ARN, maybe qualified) in the request's region. */
  private functionRef(
    region: string,
    raw: string,
    queryQualifier?: string | null,
  ): { fn: FunctionModel; qualifier?: string } {
    new Constraints()
      .minLength(raw, 'functionName', 1)
      .maxLength(raw, 'functionName', 170)
      .pattern(raw, 'functionName', FUNCTION_NAME_PATTERN)
      .check();
    const m = FUNCTION_NAME_PARTS.exec(raw)?.groups ?? {};
    const regionPart = m['region'];
    const accountPart = m['account'];
    const name = m['name'] ?? raw;
    const nameQualifier = m['qualifier'];
    if (nameQualifier !== undefined && queryQualifier && nameQualifier !== queryQualifier)
      throw invalidParameter(
        'The derived qualifier from the function name does not match the specified qualifier.',
      );
    const qualifier = nameQualifier ?? (queryQualifier || undefined);
    const fn =
      (regionPart === undefined || regionPart === region) &&
      (accountPart === undefined || accountPart === this.options.accountId)
        ? this.state.region(region).functions.get(name)
        : undefined;
    if (!fn) {
      const arn = functionArn(regionPart ?? region, accountPart ?? this.options.accountId, name);
      throw notFound(`Function not found: ${qualifier ? `${arn}:${qualifier}` : arn}`);
    }
    return qualifier === undefined ? { fn } : { fn, qualifier };
  }

  private versionOf(fn: FunctionModel, qualifier: string | undefined): FunctionConfiguration {
    if (qualifier === undefined || qualifier === '$LATEST') return fn.config;
    if (/^[0-9]+$/.test(qualifier)) {
      const v = fn.versions.get(qualifier);
      if (!v) throw notFound(`Function not found: ${fn.arn}:${qualifier}`);
      return v;
    }
    const alias = fn.aliases.get(qualifier);
    if (!alias) throw notFound(`Cannot find alias arn: ${fn.arn}:${qualifier}`);
    return this.versionOf(fn, alias.FunctionVersion);
  }

  /**
   * A configuration (or alias) as it goes on the wire. In emulator mode as moto sends it
   * (`LambdaFunction.get_configuration`): no RevisionId at all, LastModified without `T` or zone,
   * `Layers: []` rather than absent, and `null` for the signing fields it does not model.
   */
  private out<T extends FunctionConfiguration | AliasConfiguration>(config: T): T {
    const copy = structuredClone(config);
    if (this.options.revisionIds === false) delete copy.RevisionId;
    if (!this.options.emulator) return copy;
    delete copy.RevisionId;
    if (!('FunctionArn' in copy)) return copy; // an alias
    if (copy.LastModified) copy.LastModified = motoDate(copy.LastModified);
    return Object.assign(copy, {
      Layers: copy.Layers ?? [],
      SigningProfileVersionArn: copy.SigningProfileVersionArn ?? null,
      SigningJobArn: copy.SigningJobArn ?? null,
    });
  }

  /** Lambda pages list answers (MaxItems, default 50); LocalStack/moto send everything in one page. */
  private pageSize(query: URLSearchParams): number {
    // Validated all the same: a MaxItems Lambda refuses is refused in both modes.
    const size = maxItems(query, LAMBDA_LIMITS.listFunctionsPage, 10_000);
    return this.options.emulator ? Infinity : size;
  }

  private latencyOf(fn: FunctionModel): number {
    return fn.updateLatencyMs ?? this.options.updateLatencyMs;
  }

  private record(
    fn: FunctionModel,
    actor: FunctionEvent['actor'],
    operation: string,
    changed: string[],
  ): void {
    fn.history.push({
      time: wallMs(),
      actor,
      operation,
      revisionId: fn.config.RevisionId ?? '',
      ...(fn.config.LastUpdateStatus ? { lastUpdateStatus: fn.config.LastUpdateStatus } : {}),
      layers: (fn.config.Layers ?? []).map((l) => l.Arn ?? ''),
      changed,
    });
  }

  /** After `ms`, an `InProgress` update ends (Successful, or Failed) — with a new RevisionId, as in Lambda. */
  private scheduleUpdateEnd(
    fn: FunctionModel,
    ms: number,
    failure?: { reason?: string; reasonCode?: string },
  ): void {
    cancelTimeout(fn.pending);
    fn.pending = realTimeout(ms, () => {
      fn.pending = undefined;
      this.endUpdate(fn, failure);
    });
  }

  private endUpdate(fn: FunctionModel, failure?: { reason?: string; reasonCode?: string }): void {
    if (failure) {
      fn.config.LastUpdateStatus = 'Failed';
      fn.config.LastUpdateStatusReason =
        failure.reason ?? 'The function could not be updated because of an internal error.';
      fn.config.LastUpdateStatusReasonCode = (failure.reasonCode ??
        'InternalError') as FunctionConfiguration['LastUpdateStatusReasonCode'];
    } else {
      fn.config.LastUpdateStatus = 'Successful';
      delete fn.config.LastUpdateStatusReason;
      delete fn.config.LastUpdateStatusReasonCode;
    }
    fn.config.RevisionId = randomUUID();
    this.record(fn, 'lambda', 'UpdateComplete', ['LastUpdateStatus']);
  }

  private scheduleActive(fn: FunctionModel, ms: number): void {
    cancelTimeout(fn.pending);
    fn.pending = realTimeout(ms, () => {
      fn.pending = undefined;
      fn.config.State = 'Active';
      delete fn.config.StateReason;
      delete fn.config.StateReasonCode;
      fn.config.RevisionId = randomUUID();
      this.record(fn, 'lambda', 'CreateComplete', ['State']);
    });
  }

  private ensureIdle(fn: FunctionModel): void {
    if (fn.config.State === 'Pending' || fn.config.State === 'Inactive')
      throw conflict(
        `The operation cannot be performed at this time. The function is currently in the following state: ${fn.config.State}`,
      );
    if (fn.config.LastUpdateStatus === 'InProgress')
      throw conflict(
        `The operation cannot be performed at this time. An update is in progress for resource: ${fn.arn}`,
      );
  }

  /** Lambda's checks of a Layers list for a function in `region`; returns the Layers field to store. */
  private resolveLayers(region: string, arns: string[], unzippedCodeSize: number): Layer[] {
    if (arns.length > LAMBDA_LIMITS.layersPerFunction)
      throw invalidParameter(`Cannot reference more than ${LAMBDA_LIMITS.layersPerFunction} layers.`);
    const seen = new Map<string, string>();
    const out: Layer[] = [];
    let total = unzippedCodeSize;
    for (const arn of arns) {
      const parts = arn.split(':');
      const [layerRegion = '', account = '', name = '', versionNumber = ''] = [
        parts[3],
        parts[4],
        parts[6],
        parts[7],
      ];
      if (layerRegion !== region)
        throw invalidParameter(
          `Layers are not in the same region as the function. Layers are expected to be in region ${region}.`,
        );
      const base = layerArn(layerRegion, account, name);
      const version = this.state.region(region).layers.get(base)?.versions.get(Number(versionNumber));
      if (account === this.options.accountId) {
        if (!version) throw invalidParameter(`Layer version ${arn} does not exist.`);
      } else if (!version || !this.layers.mayUse(version)) {
        throw accessDenied(
          `User: arn:aws:iam::${this.options.accountId}:user/double is not authorized to perform: lambda:GetLayerVersion on resource: ${arn} because no resource-based policy allows the lambda:GetLayerVersion action`,
        );
      }
      const earlier = seen.get(base);
      if (earlier !== undefined)
        throw invalidParameter(
          `Two different versions of the same layer are not allowed to be referenced in the same function. ${earlier} and ${arn} are versions of the same layer.`,
        );
      seen.set(base, arn);
      total += version.UnzippedSize;
      out.push({ Arn: arn, CodeSize: version.CodeSize });
    }
    if (total > LAMBDA_LIMITS.unzippedBytes)
      throw invalidParameter(
        `Function code combined with layers exceeds the maximum allowed size of ${LAMBDA_LIMITS.unzippedBytes} bytes. The actual size is ${total} bytes.`,
      );
    return out;
  }

  private layerRefsFor(region: string, arns: readonly string[]): Layer[] {
    return arns.map((arn) => {
      const parts = arn.split(':');
      const v = this.state
        .region(region)
        .layers.get(layerArn(parts[3] ?? '', parts[4] ?? '', parts[6] ?? ''))
        ?.versions.get(Number(parts[7]));
      return { Arn: arn, CodeSize: v?.CodeSize ?? 0 };
    });
  }

  private newFunction(
    region: string,
    name: string,
    config: FunctionConfiguration,
    unzippedCodeSize: number,
  ): FunctionModel {
    const fn: FunctionModel = {
      region,
      name,
      arn: functionArn(region, this.options.accountId, name),
      config,
      unzippedCodeSize,
      versions: new Map(),
      latestVersionNumber: 0,
      aliases: new Map(),
      tags: {},
      history: [],
    };
    this.state.region(region).functions.set(name, fn);
    return fn;
  }

  private baseConfig(
    region: string,
    name: string,
    fields: Partial<FunctionConfiguration>,
  ): FunctionConfiguration {
    return {
      FunctionName: name,
      FunctionArn: functionArn(region, this.options.accountId, name),
      Runtime: 'python3.12',
      Role: `arn:aws:iam::${this.options.accountId}:role/lambda-role`,
      Handler: 'index.handler',
      CodeSize: 0,
      Description: '',
      Timeout: 3,
      MemorySize: 128,
      LastModified: lambdaDate(),
      CodeSha256: '',
      Version: '$LATEST',
      TracingConfig: { Mode: 'PassThrough' },
      RevisionId: randomUUID(),
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      RuntimeVersionConfig: {
        RuntimeVersionArn: `arn:aws:lambda:${region}::runtime:0000000000000000000000000000000000000000000000000000000000000000`,
      },
      LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` },
      ...fields,
    };
  }

  /** Applies the UpdateFunctionConfiguration fields the double models to `config`; returns the changed ones. */
  private applyConfiguration(
    config: FunctionConfiguration,
    body: Record<string, unknown>,
    layers: Layer[] | undefined,
  ): string[] {
    const changed: string[] = [];
    const set = <K extends keyof FunctionConfiguration>(
      key: K,
      value: FunctionConfiguration[K] | undefined,
    ) => {
      if (value === undefined) return;
      config[key] = value;
      changed.push(key);
    };
    set('Role', str(body['Role']));
    set('Handler', str(body['Handler']));
    set('Description', str(body['Description']));
    set('Timeout', num(body['Timeout']));
    set('MemorySize', num(body['MemorySize']));
    set('Runtime', str(body['Runtime']) as FunctionConfiguration['Runtime']);
    set('KMSKeyArn', str(body['KMSKeyArn']));
    const env = body['Environment'] as { Variables?: Record<string, string> } | undefined;
    if (env) set('Environment', { Variables: { ...(env.Variables ?? {}) } });
    const ephemeral = body['EphemeralStorage'] as { Size?: number } | undefined;
    if (ephemeral?.Size !== undefined) set('EphemeralStorage', { Size: ephemeral.Size });
    const tracing = body['TracingConfig'] as { Mode?: string } | undefined;
    if (tracing?.Mode) set('TracingConfig', { Mode: tracing.Mode as 'Active' | 'PassThrough' });
    const logging = body['LoggingConfig'] as FunctionConfiguration['LoggingConfig'] | undefined;
    if (logging) set('LoggingConfig', { ...config.LoggingConfig, ...logging });
    const dlq = body['DeadLetterConfig'] as FunctionConfiguration['DeadLetterConfig'] | undefined;
    if (dlq) set('DeadLetterConfig', dlq);
    // Lambda answers VpcConfig with the VPC id it derives from the subnets.
    const vpc = body['VpcConfig'] as { SubnetIds?: string[]; SecurityGroupIds?: string[] } | undefined;
    if (vpc) {
      const subnets = vpc.SubnetIds ?? [];
      set('VpcConfig', {
        SubnetIds: [...subnets],
        SecurityGroupIds: [...(vpc.SecurityGroupIds ?? [])],
        VpcId: subnets.length > 0 ? 'vpc-0aws0double0' : '',
      });
    }
    if (layers) {
      if (layers.length) set('Layers', layers);
      else {
        delete config.Layers;
        changed.push('Layers');
      }
    }
    return changed;
  }

  private validateConfigurationFields(body: Record<string, unknown>): void {
    new Constraints()
      .range(body['MemorySize'], 'memorySize', 128, 10240)
      .range(body['Timeout'], 'timeout', 1, 900)
      .maxLength(body['Description'], 'description', LAMBDA_LIMITS.descriptionLength)
      .pattern(body['Role'], 'role', ROLE_PATTERN)
      .eachPattern(body['Layers'], 'layers', LAYER_VERSION_ARN_PATTERN)
      .check();
    const runtime = str(body['Runtime']);
    if (runtime !== undefined && !RUNTIMES.has(runtime))
      new Constraints().members([runtime], 'runtime', RUNTIMES).check();
  }

  seedFunction(o: SeedFunctionOptions): FunctionModel {
    const config = this.baseConfig(o.region, o.name, {
      ...(o.runtime !== undefined ? { Runtime: o.runtime as FunctionConfiguration['Runtime'] } : {}),
      ...(o.architectures
        ? { Architectures: o.architectures as FunctionConfiguration['Architectures'] }
        : {}),
      ...(o.handler !== undefined ? { Handler: o.handler } : {}),
      ...(o.memorySize !== undefined ? { MemorySize: o.memorySize } : {}),
      ...(o.timeout !== undefined ? { Timeout: o.timeout } : {}),
      ...(o.description !== undefined ? { Description: o.description } : {}),
      ...(o.role !== undefined ? { Role: o.role } : {}),
      ...(o.environment ? { Environment: { Variables: { ...o.environment } } } : {}),
      ...(o.layers?.length ? { Layers: this.layerRefsFor(o.region, o.layers) } : {}),
      CodeSize: o.codeSize ?? 1024,
      CodeSha256: Buffer.from(`code ${o.name}`).toString('base64'),
      ...o.config,
    });
    const fn = this.newFunction(o.region, o.name, config, o.unzippedCodeSize ?? 4096);
    if (o.updateLatencyMs !== undefined) fn.updateLatencyMs = o.updateLatencyMs;
    if (o.tags) fn.tags = { ...o.tags };
    this.record(fn, 'seed', 'Seed', Object.keys(config));
    return fn;
  }

  /**
   * Another actor (a console user, another pipeline) changes a function: new RevisionId and LastModified;
   * with `inProgressMs`, the function stays `InProgress` that long.
   */
  changeFunction(
    region: string,
    name: string,
    change: FunctionChange | undefined,
    inProgressMs = 0,
    failure?: { reason?: string; reasonCode?: string },
  ): FunctionModel {
    const fn = this.state.fn(region, name);
    if (!fn) throw new Error(`aws-double: no function ${name} in ${region}`);
    const before = JSON.stringify(fn.config);
    const beforeFields = JSON.parse(before) as Record<string, unknown>;
    if (change === undefined) {
      fn.config.MemorySize = (fn.config.MemorySize ?? 128) + 64;
      const variables = { ...(fn.config.Environment?.Variables ?? {}) };
      variables['CONCURRENT_CHANGE'] = String(Number(variables['CONCURRENT_CHANGE'] ?? 0) + 1);
      fn.config.Environment = { Variables: variables };
    } else if (typeof change === 'function') change(fn.config);
    else Object.assign(fn.config, change);
    const after = fn.config as Record<string, unknown>;
    const changed = [...new Set([...Object.keys(beforeFields), ...Object.keys(after)])].filter(
      (k) => JSON.stringify(beforeFields[k]) !== JSON.stringify(after[k]),
    );
    fn.config.RevisionId = randomUUID();
    fn.config.LastModified = lambdaDate();
    if (inProgressMs > 0) {
      fn.config.LastUpdateStatus = 'InProgress';
      this.record(fn, 'concurrent', 'ExternalChange', changed);
      this.scheduleUpdateEnd(fn, inProgressMs, failure);
    } else {
      this.record(fn, 'concurrent', 'ExternalChange', changed);
    }
    return fn;
  }

  /** State Pending (just created) or Inactive (idle for weeks): Lambda refuses updates until Active. */
  setFunctionState(region: string, name: string, state: 'Pending' | 'Inactive', activeAfterMs: number): void {
    const fn = this.state.fn(region, name);
    if (!fn) throw new Error(`aws-double: no function ${name} in ${region}`);
    fn.config.State = state;
    fn.config.StateReasonCode = state === 'Pending' ? 'Creating' : 'Idle';
    fn.config.StateReason =
      state === 'Pending'
        ? 'The function is being created.'
        : 'The function has been inactive for a long time.';
    this.scheduleActive(fn, activeAfterMs);
  }

  close(): void {
    for (const region of this.state.regions.values())
      for (const fn of region.functions.values()) cancelTimeout(fn.pending);
  }

  async CreateFunction(r: LambdaRequest): Promise<Reply> {
    const b = r.body;
    const name = str(b['FunctionName']);
    new Constraints()
      .required(name, 'functionName')
      .required(b['Role'], 'role')
      .required(b['Code'], 'code')
      .maxLength(name, 'functionName', 64)
      .pattern(name, 'functionName', '[a-zA-Z0-9-_]+')
      .maxLength(b['Architectures'], 'architectures', 1)
      .members(b['Architectures'], 'architectures', ARCHITECTURES)
      .check();
    this.validateConfigurationFields(b);
    const fnName = name ?? '';
    if (this.state.region(r.region).functions.has(fnName))
      throw conflict(`Function already exist: ${fnName}`);
    if ((b['PackageType'] ?? 'Zip') === 'Zip' && (b['Runtime'] === undefined || b['Handler'] === undefined))
      throw invalidParameter(
        'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
      );
    const { stored, unzipped } = await this.layers.codeFrom(
      r.region,
      b['Code'] as Record<string, unknown>,
      'function',
    );
    const layers =
      b['Layers'] === undefined
        ? undefined
        : this.resolveLayers(r.region, strList(b['Layers']) ?? [], unzipped);
    this.layers.ensureCodeStorage(r.region, stored.blob.size);
    // Emulators create a function Active at once.
    const pending = this.options.emulator
      ? {}
      : {
          State: 'Pending' as const,
          StateReason: 'The function is being created.',
          StateReasonCode: 'Creating' as const,
        };
    const config = this.baseConfig(r.region, fnName, {
      CodeSize: stored.blob.size,
      CodeSha256: stored.sha256Base64,
      ...pending,
      ...(Array.isArray(b['Architectures'])
        ? { Architectures: strList(b['Architectures']) as FunctionConfiguration['Architectures'] }
        : {}),
    });
    this.applyConfiguration(config, b, layers);
    const fn = this.newFunction(r.region, fnName, config, unzipped);
    fn.code = stored.blob;
    if (b['Tags'] && typeof b['Tags'] === 'object') fn.tags = { ...(b['Tags'] as Record<string, string>) };
    this.record(fn, 'caller', 'CreateFunction', Object.keys(config));
    if (!this.options.emulator) this.scheduleActive(fn, this.latencyOf(fn));
    return { status: 201, body: this.out(fn.config) };
  }

  DeleteFunction(r: LambdaRequest): Reply {
    const { fn, qualifier } = this.functionRef(
      r.region,
      r.params['FunctionName'] ?? '',
      r.query.get('Qualifier'),
    );
    if (qualifier && qualifier !== '$LATEST') {
      fn.versions.delete(qualifier);
    } else {
      cancelTimeout(fn.pending);
      this.state.region(r.region).functions.delete(fn.name);
    }
    return deleted(this.options);
  }

  ListFunctions(r: LambdaRequest): Reply {
    const functionVersion = r.query.get('FunctionVersion');
    new Constraints()
      .members(functionVersion === null ? undefined : [functionVersion], 'functionVersion', new Set(['ALL']))
      .check();
    const pageSize = this.pageSize(r.query);
    const after = decodeMarker(r.query.get('Marker'));
    const entries: { key: string; config: FunctionConfiguration }[] = [];
    for (const fn of this.state.region(r.region).functions.values()) {
      entries.push({ key: `${fn.name}\u0000`, config: fn.config });
      if (functionVersion === 'ALL')
        for (const [n, v] of fn.versions)
          entries.push({ key: `${fn.name}\u0000${n.padStart(10, '0')}`, config: v });
    }
    entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const rest = entries.filter((e) => after === undefined || e.key > String(after));
    const page = rest.slice(0, pageSize);
    const last = page.at(-1);
    return {
      status: 200,
      body: compact({
        // ListFunctions leaves out the state fields: "To get the additional fields (State, StateReasonCode,
        // StateReason, LastUpdateStatus, LastUpdateStatusReason, LastUpdateStatusReasonCode) … use GetFunction."
        // moto lists each function in its GetFunctionConfiguration form, state fields included.
        Functions: page.map((e) => this.out(this.options.emulator ? e.config : listView(e.config))),
        NextMarker: rest.length > pageSize && last ? encodeMarker(last.key) : undefined,
      }),
    };
  }

  GetFunction(r: LambdaRequest): Reply {
    const { fn, qualifier } = this.functionRef(
      r.region,
      r.params['FunctionName'] ?? '',
      r.query.get('Qualifier'),
    );
    const config = this.versionOf(fn, qualifier);
    return {
      status: 200,
      body: compact({
        Configuration: this.out(config),
        Code: {
          RepositoryType: 'S3',
          Location: `${this.options.url}/__double/function?arn=${encodeURIComponent(fn.arn)}`,
        },
        Tags: Object.keys(fn.tags).length && !qualifier ? { ...fn.tags } : undefined,
      }),
    };
  }

  GetFunctionConfiguration(r: LambdaRequest): Reply {
    const { fn, qualifier } = this.functionRef(
      r.region,
      r.params['FunctionName'] ?? '',
      r.query.get('Qualifier'),
    );
    return { status: 200, body: this.out(this.versionOf(fn, qualifier)) };
  }

  UpdateFunctionConfiguration(r: LambdaRequest): Reply {
    const { fn } = this.functionRef(r.region, r.params['FunctionName'] ?? '');
    const b = r.body;
    this.validateConfigurationFields(b);
    const revisionId = str(b['RevisionId']);
    if (revisionId !== undefined && revisionId !== fn.config.RevisionId)
      throw preconditionFailed(STALE_REVISION);
    this.ensureIdle(fn);
    const layers =
      b['Layers'] === undefined
        ? undefined
        : this.resolveLayers(r.region, strList(b['Layers']) ?? [], fn.unzippedCodeSize);
    const changed = this.applyConfiguration(fn.config, b, layers);
    fn.config.RevisionId = randomUUID();
    fn.config.LastModified = lambdaDate();
    fn.config.LastUpdateStatus = 'InProgress';
    delete fn.config.LastUpdateStatusReason;
    delete fn.config.LastUpdateStatusReasonCode;
    this.record(fn, 'caller', 'UpdateFunctionConfiguration', changed);
    if (this.options.emulator) {
      // Emulators apply an update at once: the answer already says how it ended.
      this.endUpdate(fn, r.failUpdate);
    } else this.scheduleUpdateEnd(fn, this.latencyOf(fn), r.failUpdate);
    return { status: 200, body: this.out(fn.config) };
  }

  PublishVersion(r: LambdaRequest): Reply {
    const { fn } = this.functionRef(r.region, r.params['FunctionName'] ?? '');
    const b = r.body;
    new Constraints().maxLength(b['Description'], 'description', LAMBDA_LIMITS.descriptionLength).check();
    const revisionId = str(b['RevisionId']);
    if (revisionId !== undefined && revisionId !== fn.config.RevisionId)
      throw preconditionFailed(STALE_REVISION);
    this.ensureIdle(fn);
    const codeSha256 = str(b['CodeSha256']);
    if (codeSha256 !== undefined && codeSha256 !== fn.config.CodeSha256)
      throw invalidParameter(
        `CodeSHA256 (${codeSha256}) is different from current CodeSHA256 in $LATEST (${fn.config.CodeSha256 ?? ''}). Please try again with the CodeSHA256 in $LATEST.`,
      );
    const latest = fn.versions.get(String(fn.latestVersionNumber));
    if (latest && sameCode(latest, fn.config)) return { status: 201, body: this.out(latest) };
    fn.latestVersionNumber += 1;
    const n = String(fn.latestVersionNumber);
    const version: FunctionConfiguration = {
      ...structuredClone(fn.config),
      Version: n,
      FunctionArn: `${fn.arn}:${n}`,
      RevisionId: randomUUID(),
      Description: str(b['Description']) ?? fn.config.Description ?? '',
    };
    fn.versions.set(n, version);
    this.record(fn, 'caller', 'PublishVersion', ['Version']);
    return { status: 201, body: this.out(version) };
  }

  ListVersionsByFunction(r: LambdaRequest): Reply {
    const { fn } = this.functionRef(r.region, r.params['FunctionName'] ?? '');
    const pageSize = this.pageSize(r.query);
    const after = decodeMarker(r.query.get('Marker'));
    const all = [
      fn.config,
      ...[...fn.versions.values()].sort((a, b) => Number(a.Version) - Number(b.Version)),
    ];
    const start = after === undefined ? 0 : Number(after);
    const page = all.slice(start, start + pageSize);
    return {
      status: 200,
      body: compact({
        Versions: page.map((v) => (this.options.emulator ? this.out(v) : listView(v))),
        NextMarker: start + pageSize < all.length ? encodeMarker(start + pageSize) : undefined,
      }),
    };
  }

  private aliasArn(fn: FunctionModel, name: string): string {
    return `${fn.arn}:${name}`;
  }

  private checkAliasTarget(fn: FunctionModel, version: string | undefined): void {
    if (version === undefined || version === '$LATEST') return;
    if (!fn.versions.has(version)) throw notFound(`Function not found: ${fn.arn}:${version}`);
  }

  CreateAlias(r: LambdaRequest): Reply {
    const { fn } = this.functionRef(r.region, r.params['FunctionName'] ?? '');
    const b = r.body;
    new Constraints()
      .required(b['Name'], 'name')
      .required(b['FunctionVersion'], 'functionVersion')
      .maxLength(b['Name'], 'name', 128)
      .pattern(b['Name'], 'name', ALIAS_PATTERN)
      .pattern(b['FunctionVersion'], 'functionVersion', VERSION_PATTERN)
      .maxLength(b['Description'], 'description', LAMBDA_LIMITS.descriptionLength)
      .check();
    const name = String(b['Name']);
    if (fn.aliases.has(name)) throw conflict(`Alias already exists: ${this.aliasArn(fn, name)}`);
    this.checkAliasTarget(fn, str(b['FunctionVersion']));
    const alias: AliasConfiguration = {
      AliasArn: this.aliasArn(fn, name),
      Name: name,
      FunctionVersion: str(b['FunctionVersion']) ?? '$LATEST',
      Description: str(b['Description']) ?? '',
      RevisionId: randomUUID(),
      ...(b['RoutingConfig']
        ? { RoutingConfig: b['RoutingConfig'] as AliasConfiguration['RoutingConfig'] }
        : {}),
    };
    fn.aliases.set(name, alias);
    return { status: 201, body: this.out(alias) };
  }

  private alias(fn: FunctionModel, name: string): AliasConfiguration {
    const alias = fn.aliases.get(name);
    if (!alias) throw notFound(`Cannot find alias arn: ${this.aliasArn(fn, name)}`);
    return alias;
  }

  private aliasStatus(): number {
    return this.options.emulator ? 201 : 200;
  }

  GetAlias(r: LambdaRequest): Reply {
    const { fn } = this.functionRef(r.region, r.params['FunctionName'] ?? '');
    // moto answers GetAlias and UpdateAlias with 201 (responses.py `_get_alias`, `_update_alias`).
    return { status: this.aliasStatus(), body: this.out(this.alias(fn, r.params['Name'] ?? '')) };
  }

  UpdateAlias(r: LambdaRequest): Reply {
    const { fn } = this.functionRef(r.region, r.params['FunctionName'] ?? '');
    const b = r.body;
    new Constraints()
      .pattern(b['FunctionVersion'], 'functionVersion', VERSION_PATTERN)
      .maxLength(b['Description'], 'description', LAMBDA_LIMITS.descriptionLength)
      .check();
    const alias = this.alias(fn, r.params['Name'] ?? '');
    const revisionId = str(b['RevisionId']);
    if (revisionId !== undefined && revisionId !== alias.RevisionId) throw preconditionFailed(STALE_REVISION);
    this.checkAliasTarget(fn, str(b['FunctionVersion']));
    if (b['FunctionVersion'] !== undefined) alias.FunctionVersion = String(b['FunctionVersion']);
    if (b['Description'] !== undefined) alias.Description = String(b['Description']);
    if (b['RoutingConfig'] !== undefined)
      alias.RoutingConfig = b['RoutingConfig'] as AliasConfiguration['RoutingConfig'];
    alias.RevisionId = randomUUID();
    return { status: this.aliasStatus(), body: this.out(alias) };
  }

  DeleteAlias(r: LambdaRequest): Reply {
    const { fn } = this.functionRef(r.region, r.params['FunctionName'] ?? '');
    fn.aliases.delete(r.params['Name'] ?? '');
    return deleted(this.options);
  }

  ListAliases(r: LambdaRequest): Reply {
    const { fn } = this.functionRef(r.region, r.params['FunctionName'] ?? '');
    const version = r.query.get('FunctionVersion');
    const pageSize = this.pageSize(r.query);
    const after = decodeMarker(r.query.get('Marker'));
    const all = [...fn.aliases.values()]
      .filter((a) => version === null || a.FunctionVersion === version)
      .sort((a, b) => ((a.Name ?? '') < (b.Name ?? '') ? -1 : 1))
      .filter((a) => after === undefined || (a.Name ?? '') > String(after));
    const page = all.slice(0, pageSize);
    const last = page.at(-1);
    return {
      status: 200,
      body: compact({
        Aliases: page.map((a) => this.out(a)),
        NextMarker: all.length > pageSize && last ? encodeMarker(last.Name ?? '') : undefined,
      }),
    };
  }
}

function listView(config: FunctionConfiguration): FunctionConfiguration {
  const copy = structuredClone(config);
  delete copy.State;
  delete copy.StateReason;
  delete copy.StateReasonCode;
  delete copy.LastUpdateStatus;
  delete copy.LastUpdateStatusReason;
  delete copy.LastUpdateStatusReasonCode;
  return copy;
}

/** Whether $LATEST still matches a published version (PublishVersion then returns that version). */
function sameCode(version: FunctionConfiguration, latest: FunctionConfiguration): boolean {
  const strip = (c: FunctionConfiguration) => {
    const rest: Record<string, unknown> = { ...c };
    for (const k of [
      'Version',
      'FunctionArn',
      'RevisionId',
      'LastModified',
      'Description',
      'LastUpdateStatus',
    ])
      delete rest[k];
    return stableJson(rest);
  };
  return strip(version) === strip(latest);
}
