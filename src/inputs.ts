/**
 * Every input of action.yml is read and validated here, once, before anything runs.
 * The rest of the action sees one readonly `Inputs` object and never calls core.getInput.
 */
import * as core from '@actions/core';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileFilter, compileGlob, GlobError } from './glob.js';
import { isArnProblem, parseLambdaArn } from './inputs/arns.js';
import { isInside } from './host-guard.js';
import { readBuildLimits } from './inputs/limits.js';
import { fileKind, InputReader, parseList, quote } from './inputs/reader.js';
import {
  bucketTemplateProblem,
  codePoints,
  imageReferenceProblem,
  partitionOf,
  ssmNameProblem,
} from './inputs/names.js';
import {
  ARCHITECTURES,
  RUNTIMES,
  defaultBuildImage,
  defaultRuntimeImage,
  familyOf,
  findRuntime,
  deprecatedSince,
  PUBLIC_IMAGE_REGISTRY,
  runnerArchitecture,
  type Architecture,
  type Runtime,
} from './runtimes/index.js';

export { parseList } from './inputs/reader.js';

export const STEP_NAMES = ['build', 'smoke-test', 'publish', 'roll-out', 'ssm', 'comment'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export type OnFailure = 'stop' | 'continue' | 'rollback';
export type FunctionSelection =
  | { readonly mode: 'auto' }
  | { readonly mode: 'none' }
  | { readonly mode: 'list'; readonly names: readonly string[] };

export interface SkippedStep {
  readonly step: StepName;
  readonly reason: string;
}

export interface Inputs {
  /** The steps that will run, in pipeline order. */
  readonly steps: readonly StepName[];
  /** Requested steps that will not run, and why (shown in the summary). */
  readonly skipped: readonly SkippedStep[];
  readonly layerName: string;
  /** The account of a layer ARN given as layer-name: must be the caller's (checked in src/preflight/index.ts). */
  readonly layerAccount: string | undefined;
  readonly runtime: Runtime;
  readonly architecture: Architecture;
  readonly workspace: string;
  /** Absolute path of the layer's source folder. */
  readonly workingDirectory: string;
  /** Manifest path relative to workingDirectory, with forward slashes. */
  readonly manifest: string;
  readonly buildCommand: string | undefined;
  readonly installArgs: readonly string[];
  /** Registry (and path) the default images come from: public.ecr.aws, or a mirror of it. */
  readonly imageRegistry: string;
  readonly buildImage: string;
  readonly smokeImage: string;
  /** Modules to import in the smoke test; undefined = discover them from the layer. */
  readonly smokeImports: readonly string[] | undefined;
  /** Trim the built layer (caches, tests, debug symbols); the smoke test then always runs. */
  readonly trim: boolean;
  /** Python: install the architecture's wheels by platform tag in the runner's own build image. */
  readonly crossInstall: boolean;
  /** A zip built elsewhere (absolute path); when set, the build step reads it instead of building. */
  readonly zipFile: string | undefined;
  readonly description: string | undefined;
  readonly licenseInfo: string | undefined;
  readonly compatibleRuntimes: readonly string[];
  readonly regions: readonly string[];
  readonly s3Bucket: string | undefined;
  readonly skipUnchanged: boolean;
  readonly shareWith: readonly string[];
  readonly keepVersions: number;
  readonly functions: FunctionSelection;
  readonly functionFilter: readonly string[];
  readonly maxParallel: number;
  /** Accounts to roll out in, in order (empty: the job's own account); see src/steps/accounts.ts. */
  readonly accounts: readonly string[];
  /** Role ARN template with `{account}`, assumed in each of `accounts` other than the layer's own. */
  readonly accountRole: string | undefined;
  readonly maxParallelAccounts: number;
  readonly onFailure: OnFailure;
  /** Functions per region updated first, alone; the others follow only if all of them succeed. */
  readonly canary: number;
  /** Seconds to wait after a successful canary. */
  readonly canaryWait: number;
  /** Also move aliases that point at a published version (see src/steps/aliases.ts). */
  readonly updateAliases: boolean;

  /** CloudWatch alarm names that gate the roll-out (src/steps/alarms.ts). */
  readonly alarms: readonly string[];
  readonly wait: boolean;
  readonly dryRun: boolean;
  /** Let pull_request and pull_request_target runs write to AWS (by default they only plan). */
  readonly allowPullRequests: boolean;
  readonly ssmParameter: string | undefined;
  readonly githubToken: string | undefined;
  /** minimal: the comment leaves out account ids, function names and AWS error text. */
  readonly commentDetails: 'full' | 'minimal';
  /** Scratch space for build trees and zips (RUNNER_TEMP on a runner). */
  readonly tempDir: string;
  /** Build even when the newest versions carry this run's build key (src/steps/build-key.ts). */
  readonly forceBuild: boolean;
  /**
   * The package managers' download caches between runs (src/steps/download-cache.ts); a pull request's
   * run only restores them (src/pipeline.ts).
   */
  readonly cache: 'off' | 'restore-and-save' | 'restore-only';
  /** Minutes each build container may run (src/inputs/limits.ts). */
  readonly buildTimeout: number;
  /** Bytes of memory each build container may use. */
  readonly buildMemory: number;
  /** The build container's network: bridge, none or a named network. */
  readonly buildNetwork: string;
}

/** Thrown when inputs are invalid; lists every problem found, not just the first. */
export class InputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      problems.length === 1
        ? `Invalid input: ${problems[0]}`
        : `Invalid inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'InputError';
  }
}

const LAYER_NAME = /^[a-zA-Z0-9_-]{1,140}$/;
const ACCOUNT_ID = /^\d{12}$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
// Docker's reference grammar: a domain (with an optional port), then optional lowercase path components.
const IMAGE_REGISTRY =
  /^(?=.{1,200}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
/** Whitespace, control and invisible (format) characters: never part of a token. */
const UNPRINTABLE = /[\s\p{Cc}\p{Cf}\p{Z}]/u;
export function getInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const reader = new InputReader(env, path.resolve(env.GITHUB_WORKSPACE || process.cwd()));
  const requestedSteps = readRequestedSteps(reader);
  const layer = readLayer(reader);
  const sources = readSources(reader, requestedSteps, layer);
  const limits = readBuildLimits(reader);
  const publish = readPublish(reader, layer);
  const rollOut = readRollOut(reader, publish.regions);
  const report = readSsmAndComment(reader, publish.regions, requestedSteps);
  const plan = decideSteps(reader, requestedSteps, { ...sources, ...publish, ...rollOut, ...report });

  if (reader.problems.length > 0) throw new InputError(reader.problems);

  return Object.freeze({
    ...plan,
    layerName: layer.layerName,
    layerAccount: layer.layerAccount,
    runtime: layer.runtime!,
    architecture: layer.architecture,
    workspace: reader.workspace,
    ...sources,
    ...limits,
    ...publish,
    ...rollOut,
    ...report,
    tempDir: path.resolve(env.RUNNER_TEMP || os.tmpdir()),
  });
}

// ---- steps -----------------------------------------------------------------------------------------

function readRequestedSteps(reader: InputReader): Set<StepName> {
  const requested = new Set<StepName>();
  for (const step of parseList(reader.input('steps') || STEP_NAMES.join(','), { words: true })) {
    if ((STEP_NAMES as readonly string[]).includes(step)) requested.add(step as StepName);
    else reader.problem(`steps: ${quote(step)} is not a step; use any of ${STEP_NAMES.join(', ')}`);
  }
  return requested;
}

// ---- layer, runtime --------------------------------------------------------------------------------

interface LayerPart {
  readonly layerName: string;
  /** The region and account of a layer ARN given as layer-name. */
  readonly layerRegion: string | undefined;
  readonly layerAccount: string | undefined;
  /** Undefined when the runtime input is invalid (a problem is then recorded). */
  readonly runtime: Runtime | undefined;
  /** The runtime, or a stand-in so later groups can still be checked and report their own problems. */
  readonly fallbackRuntime: Runtime;
  readonly architecture: Architecture;
}

function readLayer(reader: InputReader): LayerPart {
  const layerInput = reader.input('layer-name');
  let layerName = layerInput;
  let layerRegion: string | undefined;
  let layerAccount: string | undefined;
  if (layerInput === '') {
    reader.problem(
      'layer-name: is required; use a name such as data-science-deps (letters, digits, - and _)',
    );
  } else if (layerInput.startsWith('arn:')) {
    const arn = parseLambdaArn(layerInput, 'layer');
    if (isArnProblem(arn)) {
      reader.problem(`layer-name: ${quote(layerInput)} is not allowed; it ${arn.problem}`);
    } else {
      ({ region: layerRegion, account: layerAccount, name: layerName } = arn);
    }
  } else if (!LAYER_NAME.test(layerInput)) {
    reader.problem(
      `layer-name: ${quote(layerInput)} is not allowed; use 1 to 140 letters, digits, - and _, ` +
        'or a layer ARN such as arn:aws:lambda:us-east-1:123456789012:layer:my-layer',
    );
  }

  const runtimeInput = reader.input('runtime');
  const runtime = findRuntime(runtimeInput);
  if (!runtime) {
    const allowed = RUNTIMES.map((r) => r.id).join(', ');
    reader.problem(
      runtimeInput === ''
        ? `runtime: is required; use one of ${allowed}`
        : `runtime: ${quote(runtimeInput)} is not supported; use one of ${allowed}`,
    );
  } else {
    warnIfDeprecated(runtime);
  }
  const architecture = reader.oneOf('architecture', ARCHITECTURES, 'x86_64');
  return {
    layerName,
    layerRegion,
    layerAccount,
    runtime,
    fallbackRuntime: runtime ?? RUNTIMES[0]!,
    architecture,
  };
}

/** A deprecated runtime still works until Lambda blocks updates; say so, with the date, on every run. */
function warnIfDeprecated(runtime: Runtime): void {
  const since = deprecatedSince(runtime);
  if (since === undefined) return;
  const newer = RUNTIMES.filter((r) => r.family === runtime.family && deprecatedSince(r) === undefined);
  core.warning(
    `runtime: ${runtime.id} has been deprecated by Lambda since ${since}; functions on it get no more ` +
      `patches and soon cannot be created or updated` +
      (newer.length > 0 ? `. Move to ${newer.map((r) => r.id).join(', ')}` : ''),
  );
}

// ---- build sources ---------------------------------------------------------------------------------

type SourcesPart = Pick<
  Inputs,
  | 'workingDirectory'
  | 'manifest'
  | 'buildCommand'
  | 'installArgs'
  | 'imageRegistry'
  | 'forceBuild'
  | 'cache'
  | 'buildImage'
  | 'smokeImage'
  | 'smokeImports'
  | 'trim'
  | 'crossInstall'
  | 'zipFile'
>;

function readSources(reader: InputReader, requestedSteps: Set<StepName>, layer: LayerPart): SourcesPart {
  const { runtime, fallbackRuntime, architecture } = layer;
  const workingDirectory = reader.workspacePath(
    'working-directory',
    reader.input('working-directory') || '.',
    reader.workspace,
  );
  const manifestInput = reader.input('manifest') || familyOf(fallbackRuntime).defaultManifest;
  const manifestPath = reader.workspacePath('manifest', manifestInput, workingDirectory);
  const manifest = path.relative(workingDirectory, manifestPath).split(path.sep).join('/');
  const zipFile = readZipFile(reader);
  const buildCommand = reader.optional('build-command');
  const installArgs = parseList(reader.input('install-args'), { words: true });
  const crossInstall = reader.bool('cross-install', false);

  refuseIgnoredBuildInputs(reader, zipFile !== undefined, buildCommand !== undefined);
  const willBuild = requestedSteps.has('build') && zipFile === undefined;
  if (willBuild) {
    checkSourcePaths(reader, { workingDirectory, manifestPath, manifestInput, runtime, buildCommand });
  }
  if (crossInstall && runtime && !familyOf(runtime).crossInstall) {
    reader.problem(
      `cross-install: only Python layers can be installed for another architecture (pip's platform tags); ` +
        `${runtime.id} builds in the ${architecture} image`,
    );
  }
  const imageRegistry = reader.input('image-registry') || PUBLIC_IMAGE_REGISTRY;
  const port = /^[^/]*:(\d+)/.exec(imageRegistry)?.[1];
  if (!IMAGE_REGISTRY.test(imageRegistry)) {
    reader.problem(
      `image-registry: ${quote(imageRegistry)} is not a registry such as public.ecr.aws or ` +
        '123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public (a host, an optional port and lowercase path)',
    );
  } else if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) {
    reader.problem(
      `image-registry: ${quote(imageRegistry)} has the port ${port}; a port is a number from 1 to 65535`,
    );
  }
  // A cross-install runs in the runner's own build image, and only installs for `architecture`.
  const buildImage = readImage(
    reader,
    'build-image',
    defaultBuildImage(fallbackRuntime, crossInstall ? runnerArchitecture() : architecture, imageRegistry),
  );
  const smokeImage = readImage(
    reader,
    'smoke-image',
    defaultRuntimeImage(fallbackRuntime, architecture, imageRegistry),
  );
  const smokeImports = readSmokeImports(reader, fallbackRuntime);
  const trim = reader.bool('trim', false);
  if (trim && zipFile !== undefined) {
    reader.problem('trim: cannot be combined with zip-file; a given zip is published as it is');
  }
  return {
    workingDirectory,
    manifest,
    buildCommand,
    installArgs,
    imageRegistry,
    // Re-runs and caching (src/steps/build-key.ts, src/steps/download-cache.ts).
    forceBuild: reader.bool('force-build', false),
    cache: reader.bool('cache', false) ? 'restore-and-save' : 'off',
    buildImage,
    smokeImage,
    smokeImports,
    trim,
    crossInstall,
    zipFile,
  };
}

/**
 * zip-file: a regular file inside the workspace or RUNNER_TEMP (where actions/download-artifact or an
 * earlier step put it); a folder, FIFO or device is refused by its kind.
 */
function readZipFile(reader: InputReader): string | undefined {
  const zipInput = reader.optional('zip-file');
  if (zipInput === undefined) return undefined;
  // A zip from actions/download-artifact or an earlier step may also sit in the runner's temp folder.
  const roots = reader.runnerTemp ? [reader.workspace, reader.runnerTemp] : [reader.workspace];
  const zipFile = reader.workspacePath('zip-file', zipInput, reader.workspace, roots);
  const kind = fileKind(zipFile);
  if (kind === undefined) {
    reader.problem(
      `zip-file: ${quote(zipInput)} does not exist; give the path of a zip built by an earlier step`,
    );
  } else if (kind !== 'file') {
    reader.problem(`zip-file: ${quote(zipInput)} is a ${kind}, not a file; give the path of a .zip file`);
  }
  return zipFile;
}

/** Build inputs that a given zip or a build-command would silently ignore are mistakes: say so. */
function refuseIgnoredBuildInputs(reader: InputReader, hasZip: boolean, hasBuildCommand: boolean): void {
  if (hasZip) {
    const ignored = [
      hasBuildCommand && 'build-command',
      reader.given('install-args') && 'install-args',
      reader.given('cross-install', 'false') && 'cross-install',
      reader.given('manifest') && 'manifest',
      reader.given('working-directory', '.') && 'working-directory',
      reader.given('build-image') && 'build-image',
      reader.given('build-timeout', '30') && 'build-timeout',
      reader.given('build-memory') && 'build-memory',
      reader.given('build-network', 'bridge') && 'build-network',
    ].filter((name): name is string => name !== false);
    for (const name of ignored) {
      reader.problem(`${name}: cannot be combined with zip-file; a given zip is published as it is`);
    }
  } else if (hasBuildCommand && reader.given('install-args')) {
    reader.problem(
      'install-args: cannot be combined with build-command; your command does the installing (add the arguments to it)',
    );
  }
}

function checkSourcePaths(
  reader: InputReader,
  source: {
    workingDirectory: string;
    manifestPath: string;
    manifestInput: string;
    runtime: Runtime | undefined;
    buildCommand: string | undefined;
  },
): void {
  const { workingDirectory, manifestPath, manifestInput, runtime, buildCommand } = source;
  const workingKind = fileKind(workingDirectory);
  if (workingKind === undefined) {
    if (buildCommand === undefined && runtime) {
      reader.problem(`working-directory: ${quote(reader.input('working-directory'))} does not exist`);
    }
    return;
  }
  if (workingKind !== 'folder') {
    reader.problem(
      `working-directory: ${quote(reader.input('working-directory'))} is a ${workingKind}, not a folder; ` +
        'give the folder that holds the manifest',
    );
    return;
  }
  if (reader.given('manifest') && !isInside(workingDirectory, manifestPath)) {
    reader.problem(
      `manifest: ${quote(manifestInput)} is outside working-directory ${workingDirectory}; only that folder ` +
        'is mounted into the build, so give a manifest inside it (or move working-directory up)',
    );
    return;
  }
  const manifestKind = fileKind(manifestPath);
  if (manifestKind === undefined && buildCommand === undefined && runtime) {
    reader.problem(
      `manifest: ${quote(manifestInput)} does not exist in ${workingDirectory}; ` +
        `give the ${runtime.family} manifest (default ${familyOf(runtime).defaultManifest}) or a build-command`,
    );
  } else if (manifestKind !== undefined && manifestKind !== 'file') {
    reader.problem(
      `manifest: ${quote(manifestInput)} is a ${manifestKind}, not a file; give the manifest file`,
    );
  }
}

function readImage(reader: InputReader, name: string, fallback: string): string {
  const value = reader.input(name) || fallback;
  const problem = imageReferenceProblem(value);
  if (problem !== undefined) {
    reader.problem(
      `${name}: ${quote(value)} is not a Docker image reference such as public.ecr.aws/sam/build-python3.12: it ${problem}`,
    );
  }
  return value;
}

function readSmokeImports(reader: InputReader, runtime: Runtime): string[] | undefined {
  const importsInput = reader.input('smoke-imports');
  if (importsInput === '') return undefined;
  const smokeImports = reader.unique('smoke-imports', parseList(importsInput, { words: true }));
  const { importPattern, importNoun } = familyOf(runtime);
  for (const name of smokeImports) {
    if (!importPattern.test(name)) {
      reader.problem(`smoke-imports: ${quote(name)} is not a ${runtime.family} ${importNoun}`);
    }
  }
  return smokeImports;
}

// ---- publish ---------------------------------------------------------------------------------------

type PublishPart = Pick<
  Inputs,
  | 'description'
  | 'licenseInfo'
  | 'compatibleRuntimes'
  | 'regions'
  | 's3Bucket'
  | 'skipUnchanged'
  | 'shareWith'
  | 'keepVersions'
>;

function readPublish(reader: InputReader, layer: LayerPart): PublishPart {
  const description = reader.maxLength('description', reader.optional('description'), 256);
  const licenseInfo = reader.maxLength('license-info', reader.optional('license-info'), 512);
  const compatibleRuntimes = readCompatibleRuntimes(reader, layer.runtime);
  const regions = readRegions(reader, layer.layerRegion);
  const s3Bucket = reader.optional('s3-bucket');
  const bucketProblem = s3Bucket === undefined ? undefined : bucketTemplateProblem(s3Bucket, regions);
  if (bucketProblem !== undefined) {
    reader.problem(`s3-bucket: ${quote(s3Bucket!)} is not an S3 bucket name: it ${bucketProblem}`);
  }
  const skipUnchanged = reader.bool('skip-unchanged', true);
  const shareWith = readShareWith(reader);
  const keepVersions = reader.integer('keep-versions', 0, 0, 10_000);
  return {
    description,
    licenseInfo,
    compatibleRuntimes,
    regions,
    s3Bucket,
    skipUnchanged,
    shareWith,
    keepVersions,
  };
}

function readCompatibleRuntimes(reader: InputReader, runtime: Runtime | undefined): string[] {
  const compatibleRuntimes = reader.unique(
    'compatible-runtimes',
    parseList(reader.input('compatible-runtimes'), { words: true }),
  );
  if (compatibleRuntimes.length === 0 && runtime) compatibleRuntimes.push(runtime.id);
  if (compatibleRuntimes.length > 15) {
    reader.problem(
      `compatible-runtimes: ${compatibleRuntimes.length} runtimes given; Lambda allows at most 15`,
    );
  }
  for (const id of compatibleRuntimes) {
    if (!findRuntime(id)) {
      reader.problem(
        `compatible-runtimes: ${quote(id)} is not supported; use any of ${RUNTIMES.map((r) => r.id).join(', ')}`,
      );
    } else if (runtime && findRuntime(id)!.family !== runtime.family) {
      reader.problem(
        `compatible-runtimes: ${quote(id)} cannot load a ${runtime.family} layer built for ${runtime.id}`,
      );
    }
  }
  return compatibleRuntimes;
}

/** Regions the SDK's partition data knows, all of one partition (one set of credentials reaches them). */
function readRegions(reader: InputReader, layerRegion: string | undefined): string[] {
  const { env } = reader;
  const regionsInput = reader.input('regions');
  const regions = reader.unique(
    'regions',
    parseList(regionsInput || layerRegion || env.AWS_REGION || env.AWS_DEFAULT_REGION || '', { words: true }),
  );
  const byPartition = new Map<string, string[]>();
  for (const region of regions) {
    const partition = partitionOf(region);
    if (partition === undefined) {
      reader.problem(
        `regions: ${quote(region)} is not an AWS region name such as eu-west-1 (no AWS partition has this region)`,
      );
    } else {
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), region]);
    }
  }
  if (byPartition.size > 1) {
    const groups = [...byPartition].map(([partition, names]) => `${partition}: ${names.join(', ')}`);
    reader.problem(
      `regions: ${groups.join('; ')} are in different AWS partitions; one run's credentials reach one partition, so release to each in its own run`,
    );
  }
  if (layerRegion && regionsInput && regions.some((r) => r !== layerRegion)) {
    reader.problem(
      `regions: layer-name is an ARN in ${layerRegion}; regions must be ${layerRegion} or empty`,
    );
  }
  return regions;
}

function readShareWith(reader: InputReader): string[] {
  const shareWith = reader.unique('share-with', parseList(reader.input('share-with'), { words: true }));
  for (const principal of shareWith) {
    if (!ACCOUNT_ID.test(principal) && !ORG_ID.test(principal) && principal !== '*') {
      reader.problem(
        `share-with: ${quote(principal)} is not allowed; use 12-digit account ids, an organization id (o-...), or * for public`,
      );
    }
  }
  if (shareWith.filter((p) => ORG_ID.test(p)).length > 1) {
    reader.problem('share-with: give at most one organization id');
  }
  return shareWith;
}

// ---- roll-out --------------------------------------------------------------------------------------

type RollOutPart = Pick<
  Inputs,
  | 'functions'
  | 'functionFilter'
  | 'maxParallel'
  | 'accounts'
  | 'accountRole'
  | 'maxParallelAccounts'
  | 'onFailure'
  | 'wait'
  | 'canary'
  | 'canaryWait'
  | 'updateAliases'
  | 'alarms'
  | 'dryRun'
  | 'allowPullRequests'
>;

function readRollOut(reader: InputReader, regions: readonly string[]): RollOutPart {
  const functions = readFunctions(reader, regions);
  const functionFilter = readFunctionFilter(reader, functions);
  const maxParallel = reader.integer('max-parallel', 25, 1, 50);
  const { accounts, accountRole, maxParallelAccounts } = readAccounts(reader, functions, regions);
  const onFailure = reader.oneOf<OnFailure>('on-failure', ['stop', 'continue', 'rollback'], 'stop');
  const wait = reader.bool('wait', true);
  const canary = reader.integer('canary', 0, 0, 1000);
  const canaryWait = reader.integer('canary-wait', 0, 0, 3600);
  if (canaryWait > 0 && canary === 0) {
    reader.problem('canary-wait: is only used with canary; set canary to a number of functions');
  }
  if (canary > 0 && functions.mode === 'list' && canary >= functions.names.length) {
    reader.problem(
      `canary: ${canary} is not fewer than the ${functions.names.length} function(s) listed in functions; ` +
        'the canary would be the whole roll-out, so use a smaller number (or 0 for no canary)',
    );
  }
  const updateAliases = reader.bool('update-aliases', false);
  const alarms = readAlarms(reader);
  const dryRun = reader.bool('dry-run', false);
  const allowPullRequests = reader.bool('allow-pull-requests', false);
  if (!wait) refuseWithoutWait(reader, { canary, onFailure, updateAliases, alarms });
  return {
    functions,
    functionFilter,
    maxParallel,
    accounts,
    accountRole,
    maxParallelAccounts,
    onFailure,
    wait,
    canary,
    canaryWait,
    updateAliases,
    alarms,
    dryRun,
    allowPullRequests,
  };
}

// A role ARN template: the account id is the {account} placeholder, the rest is IAM's role path and name.
const ROLE_TEMPLATE = /^arn:aws[a-zA-Z-]*:iam::\{account\}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** accounts, account-role, max-parallel-accounts: the roll-out across accounts. */
function readAccounts(
  reader: InputReader,
  functions: FunctionSelection,
  regions: readonly string[],
): Pick<Inputs, 'accounts' | 'accountRole' | 'maxParallelAccounts'> {
  const problem = (message: string): void => reader.problem(message);
  const accounts = reader.unique('accounts', parseList(reader.input('accounts'), { words: true }));
  for (const account of accounts) {
    if (!ACCOUNT_ID.test(account)) {
      problem(`accounts: ${quote(account)} is not an AWS account id; use 12-digit ids, e.g. 123456789012`);
    }
  }
  const accountRole = reader.optional('account-role');
  if (accountRole !== undefined && !ROLE_TEMPLATE.test(accountRole)) {
    problem(
      `account-role: ${quote(accountRole)} is not allowed; use a role ARN with {account} as its account id, ` +
        'e.g. arn:aws:iam::{account}:role/layer-rollout',
    );
  }
  const rolePartition = accountRole?.split(':')[1];
  const regionPartition = regions.length > 0 ? partitionOf(regions[0]!) : undefined;
  if (ROLE_TEMPLATE.test(accountRole ?? '') && regionPartition && rolePartition !== regionPartition) {
    problem(
      `account-role: ${quote(accountRole!)} is in the partition ${rolePartition}, but regions ` +
        `(${regions.join(', ')}) are in ${regionPartition}; use arn:${regionPartition}:iam::{account}:role/…`,
    );
  }
  // Whether accounts other than the job's own are listed (and so need account-role) is known only
  // from STS: src/preflight/index.ts checks it before anything is written.
  if (accountRole !== undefined && accounts.length === 0) {
    problem('account-role: is only used with accounts; list the account ids to roll out in');
  }
  const maxParallelAccounts = reader.integer('max-parallel-accounts', 10, 1, 100);
  if (accounts.length > 0 && functions.mode === 'list') {
    for (const name of functions.names) {
      const account = name.startsWith('arn:') ? name.split(':')[4]! : undefined;
      if (account !== undefined && !accounts.includes(account)) {
        problem(`functions: ${quote(name)} is in account ${account}, which is not among accounts`);
      }
    }
  }
  return { accounts, accountRole, maxParallelAccounts };
}

/** CloudWatch alarm names: 1-255 characters, no control characters. */
function readAlarms(reader: InputReader): string[] {
  const alarms = reader.unique('alarms', parseList(reader.input('alarms'), { words: true }));
  for (const alarm of alarms) {
    if (codePoints(alarm) > 255 || /\p{Cc}/u.test(alarm)) {
      reader.problem(`alarms: ${quote(alarm)} is not a CloudWatch alarm name (1 to 255 characters)`);
    }
  }
  return alarms;
}

/**
 * `wait: false` returns before Lambda applied an update, so nothing that acts on an update's outcome can
 * work with it: a canary would "succeed" at once, a rollback would miss failed updates, an alias would
 * be moved onto a version published before the update finished.
 */
function refuseWithoutWait(
  reader: InputReader,
  settings: { canary: number; onFailure: OnFailure; updateAliases: boolean; alarms: readonly string[] },
): void {
  const needWaiting = [
    settings.canary > 0 && 'canary',
    settings.onFailure === 'rollback' && 'on-failure: rollback',
    settings.updateAliases && 'update-aliases',
    settings.alarms.length > 0 && 'alarms',
  ].filter((name): name is string => name !== false);
  if (needWaiting.length > 0) {
    reader.problem(
      `wait: false cannot be combined with ${needWaiting.join(', ')}; they act on the outcome of each update, ` +
        'which only waiting sees (set wait: true)',
    );
  }
}

function readFunctions(reader: InputReader, regions: readonly string[]): FunctionSelection {
  const names = reader.unique('functions', parseList(reader.input('functions') || 'auto', { words: true }));
  if (names.length === 1 && (names[0] === 'auto' || names[0] === 'none')) return { mode: names[0] };
  for (const name of names) {
    if (name === 'auto' || name === 'none') {
      reader.problem(`functions: ${quote(name)} is not allowed in a list of functions; give it alone`);
    } else if (name.startsWith('arn:')) {
      const arn = parseLambdaArn(name, 'function');
      if (isArnProblem(arn)) {
        reader.problem(`functions: ${quote(name)} is not allowed; it ${arn.problem}`);
      } else if (regions.length > 0 && !regions.includes(arn.region)) {
        reader.problem(
          `functions: ${quote(name)} is in ${arn.region}, which is not among regions (${regions.join(', ')}); ` +
            'add the region or remove the ARN',
        );
      }
    } else if (!FUNCTION_NAME.test(name)) {
      reader.problem(`functions: ${quote(name)} is not allowed; use auto, none, or function names or ARNs`);
    }
  }
  return { mode: 'list', names };
}

function readFunctionFilter(reader: InputReader, functions: FunctionSelection): string[] {
  const globs = reader.unique('function-filter', parseList(reader.input('function-filter'), { words: true }));
  let valid = true;
  for (const glob of globs) {
    try {
      compileGlob(glob);
    } catch (error) {
      if (!(error instanceof GlobError)) throw error;
      valid = false;
      reader.problem(
        `function-filter: ${quote(glob)} is not a function name glob: it ${error.message}; ` +
          'use shell globs such as api-*, *-worker, [!x]* or !legacy-*',
      );
    }
  }
  if (valid && globs.length > 0 && functions.mode === 'list') {
    const filter = compileFilter(globs);
    const names = functions.names.map((name) => name.slice(name.lastIndexOf(':') + 1));
    if (!names.some((name) => filter.matches(name))) {
      reader.problem(
        `function-filter: ${globs.join(' ')} matches none of the functions listed (${names.join(', ')}); ` +
          'the roll-out would do nothing',
      );
    }
  }
  return globs;
}

// ---- ssm, comment ----------------------------------------------------------------------------------

type ReportPart = Pick<Inputs, 'ssmParameter' | 'githubToken' | 'commentDetails'>;

function readSsmAndComment(
  reader: InputReader,
  regions: readonly string[],
  requestedSteps: ReadonlySet<StepName>,
): ReportPart {
  const ssmParameter = reader.optional('ssm-parameter');
  const ssmProblem = ssmParameter === undefined ? undefined : ssmNameProblem(ssmParameter, regions);
  if (ssmProblem !== undefined) {
    reader.problem(
      `ssm-parameter: ${quote(ssmParameter!)} is not allowed; it ${ssmProblem}. Systems Manager names use ` +
        'letters, digits and _ . - with / between levels, not starting with aws or ssm, e.g. /layers/data-science/arn',
    );
  }
  const commentDetails = reader.oneOf<'full' | 'minimal'>('comment-details', ['full', 'minimal'], 'full');
  // Steps the workflow named itself (not the default "all"): decideSteps refuses a named comment without a token.
  const comment: CommentRequest = !requestedSteps.has('comment')
    ? 'not requested'
    : requestedSteps.size < STEP_NAMES.length
      ? 'named'
      : 'default';
  const githubToken = readGitHubToken(reader, comment);
  return { ssmParameter, githubToken, commentDetails };
}

type CommentRequest = 'not requested' | 'named' | 'default';

/** The token is masked at once; a problem with it never quotes it. */
function readGitHubToken(reader: InputReader, comment: CommentRequest): string | undefined {
  const githubToken = reader.optional('github-token');
  if (githubToken === undefined) return undefined;
  for (const line of githubToken.split(/\r?\n/)) if (line) core.setSecret(line);
  if (githubToken.includes('${{')) return expressionToken(reader, comment);
  const at = [...githubToken].findIndex((char) => UNPRINTABLE.test(char));
  // An HTTP header carries bytes: a character past ASCII could never be sent (nor is it in a token).
  const nonAscii = [...githubToken].findIndex((char) => char.codePointAt(0)! > 0x7e);
  if (at >= 0) {
    reader.problem(
      `github-token: has a space, line break, control or invisible character (character ${at + 1} of ` +
        `${codePoints(githubToken)}); a token never does, so check how the secret was pasted`,
    );
  } else if (nonAscii >= 0) {
    reader.problem(
      `github-token: has a character that is not ASCII (character ${nonAscii + 1} of ` +
        `${codePoints(githubToken)}); a token is ASCII letters, digits and _, so check how the secret was pasted`,
    );
  }
  return githubToken;
}

/**
 * The text of an expression reaches the action where nothing evaluates it: a quoted value in a workflow,
 * or any run off a runner (local-action passes action.yml's default `${{ github.token }}` as text).
 * Only the comment step uses the token, so without that step the text does no harm. Off a runner the
 * comment step of the default list is skipped with a warning (a named one is refused by decideSteps);
 * on a runner, where the workflow asked for the comment and wrote the token wrongly, it is a problem.
 */
function expressionToken(reader: InputReader, comment: CommentRequest): undefined {
  if (comment === 'not requested') return undefined;
  if (reader.env.GITHUB_ACTIONS === 'true') {
    reader.problem(
      'github-token: is the text of an expression (${{ … }}), not a token; write it unquoted in the ' +
        'workflow, e.g. github-token: ${{ secrets.GITHUB_TOKEN }}',
    );
  } else if (comment === 'default') {
    core.warning(
      'github-token: is the text of an expression (${{ … }}), which nothing evaluates off a runner; ' +
        'there is no token, so the comment step does not run. To post the comment, set ' +
        'INPUT_GITHUB-TOKEN to a token.',
      { title: 'No comment' },
    );
  }
  return undefined;
}

// ---- which steps run -------------------------------------------------------------------------------

type StepsPart = Pick<Inputs, 'steps' | 'skipped'>;

/** Inputs only one step reads; given while that step does not run, they would be silently ignored. */
const INPUTS_OF_STEP: Partial<Record<StepName, readonly [string, string][]>> = {
  'smoke-test': [
    ['smoke-image', ''],
    ['smoke-imports', ''],
  ],
  publish: [
    ['description', ''],
    ['license-info', ''],
    ['compatible-runtimes', ''],
    ['s3-bucket', ''],
    ['share-with', ''],
    ['keep-versions', '0'],
    ['skip-unchanged', 'true'],
  ],
  'roll-out': [
    ['function-filter', ''],
    ['max-parallel', '25'],
    ['on-failure', 'stop'],
    ['canary', '0'],
    ['canary-wait', '0'],
    ['update-aliases', 'false'],
    ['alarms', ''],
    ['wait', 'true'],
  ],
};

function decideSteps(
  reader: InputReader,
  requestedSteps: Set<StepName>,
  parts: SourcesPart & PublishPart & RollOutPart & ReportPart,
): StepsPart {
  const { zipFile, functions, ssmParameter, githubToken, trim, regions } = parts;
  const skipped: SkippedStep[] = [];
  // Steps the workflow named itself (not the default "all"): one that cannot run is a mistake.
  const namedSteps = requestedSteps.size < STEP_NAMES.length;
  // With zip-file, the build step reads and checks that zip instead of building.
  if (zipFile !== undefined) requestedSteps.add('build');
  const conditions: Partial<Record<StepName, [reason: string, missing: string] | false>> = {
    'roll-out': functions.mode === 'none' && ['functions is none', 'functions (it is none)'],
    ssm: ssmParameter === undefined && ['no ssm-parameter', 'ssm-parameter'],
    comment: githubToken === undefined && ['no github-token', 'github-token'],
  };
  const steps = STEP_NAMES.filter((step) => {
    if (!requestedSteps.has(step)) return false;
    const condition = conditions[step];
    if (!condition) return true;
    if (namedSteps)
      reader.problem(`steps: ${step} is asked for, but it needs ${condition[1]}; give it or drop the step`);
    skipped.push({ step, reason: condition[0] });
    return false;
  });
  if (steps.length === 0 && reader.problems.length === 0) {
    reader.problem(`steps: nothing to run; use any of ${STEP_NAMES.join(', ')}`);
  }
  const needsLayer = steps.some((step) => step === 'smoke-test' || step === 'publish');
  if (needsLayer && !steps.includes('build')) {
    reader.problem('steps: smoke-test and publish need a layer; add build or give zip-file');
  }
  if (trim && !steps.includes('smoke-test')) {
    reader.problem(
      'trim: needs the smoke-test step, so that a trim that breaks an import fails the run; add smoke-test',
    );
  }
  const needsRegion = steps.some((step) => step === 'publish' || step === 'roll-out' || step === 'ssm');
  if (needsRegion && regions.length === 0) {
    reader.problem(
      'regions: no region given and AWS_REGION is not set; use e.g. us-east-1 (or run configure-aws-credentials first)',
    );
  }
  for (const step of ['roll-out', 'ssm'] as const) {
    if (steps.includes(step) && !steps.includes('publish')) {
      reader.problem(
        `steps: ${step} needs publish (it uses the layer version that publish makes or finds unchanged)`,
      );
    }
  }
  warnAboutUnusedInputs(reader, steps);
  return { steps, skipped };
}

/**
 * A workflow may keep one `with:` block for a plan job and a release job that run different steps (the
 * README's pull-request example), so inputs of a step that does not run are a warning, not an error.
 */
function warnAboutUnusedInputs(reader: InputReader, steps: readonly StepName[]): void {
  for (const [step, inputs] of Object.entries(INPUTS_OF_STEP) as [StepName, [string, string][]][]) {
    if (steps.includes(step)) continue;
    const unused = inputs.filter(([name, fallback]) => reader.given(name, fallback)).map(([name]) => name);
    if (unused.length > 0) {
      core.warning(
        `${unused.join(', ')}: only used by the ${step} step, which this run does not run; ignored`,
      );
    }
  }
}
