/**
 * Every input of action.yml is read and validated here, once, before anything runs.
 * The rest of the action sees one readonly `Inputs` object and never calls core.getInput.
 */
import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ARCHITECTURES,
  RUNTIMES,
  defaultBuildImage,
  defaultRuntimeImage,
  familyOf,
  PUBLIC_IMAGE_REGISTRY,
  findRuntime,
  runnerArchitecture,
  type Architecture,
  type Runtime,
} from './runtimes.js';

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
  readonly ssmParameter: string | undefined;
  readonly githubToken: string | undefined;
  /** Scratch space for build trees and zips (RUNNER_TEMP on a runner). */
  readonly tempDir: string;
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
const LAYER_ARN =
  /^arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):layer:([a-zA-Z0-9_-]{1,140})$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const ACCOUNT_ID = /^\d{12}$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const FUNCTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:function:[a-zA-Z0-9_-]{1,64}$/;
const FUNCTION_GLOB = /^[a-zA-Z0-9_*?[\]!-]{1,64}$/;
// Docker image references: registry/path:tag@digest. Never starts with '-' (it would read as a flag).
const IMAGE = /^[a-zA-Z0-9][a-zA-Z0-9._/:@-]{0,254}$/;
// Docker's reference grammar: a domain (with an optional port), then optional lowercase path components.
const IMAGE_REGISTRY =
  /^(?=.{1,200}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
// A bucket name, in which {region} stands for each region's name (buckets live in one region).
const S3_BUCKET = /^(?=.{3,63}$)[a-z0-9{][a-z0-9.{}-]*[a-z0-9}]$/;
const SSM_NAME = /^\/?[a-zA-Z0-9_.\-/]{1,2048}$/;
const BOOLEAN_VALUES = ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'];

const quote = (value: string): string => JSON.stringify(value);

/** Splits a list input on commas and newlines (and whitespace, with `words`), dropping empty items. */
export function parseList(value: string, { words = false } = {}): string[] {
  return value
    .split(words ? /[\s,]+/ : /[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export function getInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const problems: string[] = [];
  const problem = (message: string): void => void problems.push(message);
  const input = (name: string): string => core.getInput(name);
  const optional = (name: string): string | undefined => input(name) || undefined;

  const bool = (name: string, fallback: boolean): boolean => {
    const value = input(name);
    if (value === '') return fallback;
    if (!BOOLEAN_VALUES.includes(value)) {
      problem(`${name}: ${quote(value)} is not a boolean; use true or false`);
      return fallback;
    }
    return value.toLowerCase() === 'true';
  };

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = input(name);
    if (value === '') return fallback;
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
      problem(`${name}: ${quote(value)} is not allowed; use a whole number from ${min} to ${max}`);
      return fallback;
    }
    return parsed;
  };

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = input(name) || fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      problem(`${name}: ${quote(value)} is not allowed; use one of ${allowed.join(', ')}`);
      return fallback;
    }
    return value as T;
  };

  const maxLength = (name: string, value: string | undefined, max: number): string | undefined => {
    if (value !== undefined && value.length > max) {
      problem(`${name}: ${value.length} characters is too long; Lambda allows at most ${max}`);
    }
    return value;
  };

  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const runnerTemp = env.RUNNER_TEMP ? path.resolve(env.RUNNER_TEMP) : undefined;
  /**
   * Resolves a path input inside the workspace (or another of `roots`); refuses one that escapes them,
   * also through symlinks.
   */
  const workspacePath = (name: string, value: string, base: string, roots = [workspace]): string => {
    const resolved = path.resolve(base, value);
    const real = fs.existsSync(resolved) ? fs.realpathSync(resolved) : resolved;
    const inside = (candidate: string, root: string): boolean => {
      const relative = path.relative(root, candidate);
      return !relative.startsWith('..') && !path.isAbsolute(relative);
    };
    const realOf = (root: string): string => (fs.existsSync(root) ? fs.realpathSync(root) : root);
    if (!roots.some((root) => inside(resolved, root) && inside(real, realOf(root)))) {
      problem(
        roots.length === 1
          ? `${name}: ${quote(value)} resolves outside the workspace ${workspace}; use a path inside it`
          : `${name}: ${quote(value)} resolves outside the workspace ${workspace} and RUNNER_TEMP ` +
              `${runnerTemp}; use a path inside one of them`,
      );
    }
    return resolved;
  };

  // ---- steps ---------------------------------------------------------------------------------------
  const requestedSteps = new Set<StepName>();
  for (const step of parseList(input('steps') || STEP_NAMES.join(','), { words: true })) {
    if ((STEP_NAMES as readonly string[]).includes(step)) requestedSteps.add(step as StepName);
    else problem(`steps: ${quote(step)} is not a step; use any of ${STEP_NAMES.join(', ')}`);
  }

  // ---- layer ---------------------------------------------------------------------------------------
  const layerInput = input('layer-name');
  let layerName = layerInput;
  let layerRegion: string | undefined;
  if (layerInput === '') {
    problem('layer-name: is required; use a name such as data-science-deps (letters, digits, - and _)');
  } else {
    const arn = LAYER_ARN.exec(layerInput);
    if (arn) {
      layerRegion = arn[1];
      layerName = arn[3]!;
    } else if (!LAYER_NAME.test(layerInput)) {
      problem(
        `layer-name: ${quote(layerInput)} is not allowed; use 1 to 140 letters, digits, - and _, ` +
          'or a layer ARN such as arn:aws:lambda:us-east-1:123456789012:layer:my-layer',
      );
    }
  }

  const runtimeInput = input('runtime');
  const runtime = findRuntime(runtimeInput);
  if (!runtime) {
    problem(
      runtimeInput === ''
        ? `runtime: is required; use one of ${RUNTIMES.map((r) => r.id).join(', ')}`
        : `runtime: ${quote(runtimeInput)} is not supported; use one of ${RUNTIMES.map((r) => r.id).join(', ')}`,
    );
  }
  const fallbackRuntime = runtime ?? RUNTIMES[0]!;
  const architecture = oneOf('architecture', ARCHITECTURES, 'x86_64');

  // ---- sources ---------------------------------------------------------------------------------------
  const workingDirectory = workspacePath('working-directory', input('working-directory') || '.', workspace);
  const manifestInput = input('manifest') || familyOf(fallbackRuntime).defaultManifest;
  const manifestPath = workspacePath('manifest', manifestInput, workingDirectory);
  const manifest = path.relative(workingDirectory, manifestPath).split(path.sep).join('/');

  const zipInput = optional('zip-file');
  // A zip from actions/download-artifact or an earlier step may also sit in the runner's temp folder.
  const zipRoots = runnerTemp ? [workspace, runnerTemp] : [workspace];
  const zipFile =
    zipInput === undefined ? undefined : workspacePath('zip-file', zipInput, workspace, zipRoots);
  if (zipFile !== undefined && !fs.existsSync(zipFile)) {
    problem(`zip-file: ${quote(zipInput!)} does not exist; give the path of a zip built by an earlier step`);
  }
  const buildCommand = optional('build-command');
  if (zipFile !== undefined && buildCommand !== undefined) {
    problem('build-command: cannot be combined with zip-file; a given zip is published as it is');
  }
  const willBuild = requestedSteps.has('build') && zipFile === undefined;
  if (willBuild && buildCommand === undefined && runtime) {
    if (!fs.existsSync(workingDirectory)) {
      problem(`working-directory: ${quote(input('working-directory'))} does not exist`);
    } else if (!fs.existsSync(manifestPath)) {
      problem(
        `manifest: ${quote(manifestInput)} does not exist in ${workingDirectory}; ` +
          `give the ${runtime.family} manifest (default ${familyOf(runtime).defaultManifest}) or a build-command`,
      );
    }
  }

  const image = (name: string, fallback: string): string => {
    const value = input(name) || fallback;
    if (!IMAGE.test(value)) {
      problem(
        `${name}: ${quote(value)} is not a Docker image reference such as public.ecr.aws/sam/build-python3.12`,
      );
    }
    return value;
  };
  const crossInstall = bool('cross-install', false);
  if (crossInstall && runtime && !familyOf(runtime).crossInstall) {
    problem(
      `cross-install: only Python layers can be installed for another architecture (pip's platform tags); ` +
        `${runtime.id} builds in the ${architecture} image`,
    );
  }
  const imageRegistry = input('image-registry') || PUBLIC_IMAGE_REGISTRY;
  if (!IMAGE_REGISTRY.test(imageRegistry)) {
    problem(
      `image-registry: ${quote(imageRegistry)} is not a registry such as public.ecr.aws or ` +
        '123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public (a host, an optional port and lowercase path)',
    );
  }
  // A cross-install runs in the runner's own build image, and only installs for `architecture`.
  const buildImage = image(
    'build-image',
    defaultBuildImage(fallbackRuntime, crossInstall ? runnerArchitecture() : architecture, imageRegistry),
  );
  const smokeImage = image('smoke-image', defaultRuntimeImage(fallbackRuntime, architecture, imageRegistry));

  let smokeImports: string[] | undefined;
  const importsInput = input('smoke-imports');
  if (importsInput !== '') {
    smokeImports = parseList(importsInput, { words: true });
    const { importPattern, importNoun } = familyOf(fallbackRuntime);
    for (const name of smokeImports) {
      if (!importPattern.test(name)) {
        problem(`smoke-imports: ${quote(name)} is not a ${fallbackRuntime.family} ${importNoun}`);
      }
    }
  }
  const trim = bool('trim', false);
  if (trim && zipFile !== undefined) {
    problem('trim: cannot be combined with zip-file; a given zip is published as it is');
  }

  // ---- publish -------------------------------------------------------------------------------------
  const description = maxLength('description', optional('description'), 256);
  const licenseInfo = maxLength('license-info', optional('license-info'), 512);
  const compatibleRuntimes = parseList(input('compatible-runtimes'), { words: true });
  if (compatibleRuntimes.length === 0 && runtime) compatibleRuntimes.push(runtime.id);
  if (compatibleRuntimes.length > 15) {
    problem(`compatible-runtimes: ${compatibleRuntimes.length} runtimes given; Lambda allows at most 15`);
  }
  for (const id of compatibleRuntimes) {
    if (!findRuntime(id)) {
      problem(
        `compatible-runtimes: ${quote(id)} is not supported; use any of ${RUNTIMES.map((r) => r.id).join(', ')}`,
      );
    } else if (runtime && findRuntime(id)!.family !== runtime.family) {
      problem(
        `compatible-runtimes: ${quote(id)} cannot load a ${runtime.family} layer built for ${runtime.id}`,
      );
    }
  }

  const regionsInput = input('regions');
  const regions = parseList(regionsInput || layerRegion || env.AWS_REGION || env.AWS_DEFAULT_REGION || '', {
    words: true,
  });
  for (const region of regions) {
    if (!REGION.test(region))
      problem(`regions: ${quote(region)} is not an AWS region name such as eu-west-1`);
  }
  if (layerRegion && regionsInput && regions.some((r) => r !== layerRegion)) {
    problem(`regions: layer-name is an ARN in ${layerRegion}; regions must be ${layerRegion} or empty`);
  }

  const s3Bucket = optional('s3-bucket');
  if (s3Bucket !== undefined && !S3_BUCKET.test(s3Bucket)) {
    problem(
      `s3-bucket: ${quote(s3Bucket)} is not an S3 bucket name (3-63 lowercase letters, digits, . and -)`,
    );
  }
  const skipUnchanged = bool('skip-unchanged', true);
  const shareWith = parseList(input('share-with'), { words: true });
  for (const principal of shareWith) {
    if (!ACCOUNT_ID.test(principal) && !ORG_ID.test(principal) && principal !== '*') {
      problem(
        `share-with: ${quote(principal)} is not allowed; use 12-digit account ids, an organization id (o-...), or * for public`,
      );
    }
  }
  if (shareWith.filter((p) => ORG_ID.test(p)).length > 1) {
    problem('share-with: give at most one organization id');
  }
  const keepVersions = integer('keep-versions', 0, 0, 10_000);

  // ---- roll-out ------------------------------------------------------------------------------------
  const functionsInput = parseList(input('functions') || 'auto', { words: true });
  let functions: FunctionSelection;
  if (functionsInput.length === 1 && (functionsInput[0] === 'auto' || functionsInput[0] === 'none')) {
    functions = { mode: functionsInput[0] };
  } else {
    for (const name of functionsInput) {
      if (name === 'auto' || name === 'none') {
        problem(`functions: ${quote(name)} is not allowed in a list of functions; give it alone`);
      } else if (!FUNCTION_NAME.test(name) && !FUNCTION_ARN.test(name)) {
        problem(`functions: ${quote(name)} is not allowed; use auto, none, or function names or ARNs`);
      }
    }
    functions = { mode: 'list', names: functionsInput };
  }
  const functionFilter = parseList(input('function-filter'), { words: true });
  for (const glob of functionFilter) {
    if (!FUNCTION_GLOB.test(glob)) {
      problem(`function-filter: ${quote(glob)} is not a function name glob such as api-* or *-worker`);
    }
  }
  const maxParallel = integer('max-parallel', 25, 1, 50);
  const onFailure = oneOf<OnFailure>('on-failure', ['stop', 'continue', 'rollback'], 'stop');
  const wait = bool('wait', true);
  const canary = integer('canary', 0, 0, 1000);
  const canaryWait = integer('canary-wait', 0, 0, 3600);
  if (canaryWait > 0 && canary === 0)
    problem('canary-wait: is only used with canary; set canary to a number of functions');
  const updateAliases = bool('update-aliases', false);
  if (updateAliases && !wait) {
    problem('update-aliases: needs wait: true (a version can only be published once the update finished)');
  }
  // CloudWatch alarm names: 1-255 characters, no control characters.
  const alarms = [...new Set(parseList(input('alarms'), { words: true }))];
  for (const alarm of alarms) {
    if ([...alarm].length > 255 || /\p{Cc}/u.test(alarm)) {
      problem(`alarms: ${quote(alarm)} is not a CloudWatch alarm name (1 to 255 characters)`);
    }
  }
  if (alarms.length > 0 && !wait) {
    problem('alarms: needs wait: true (an alarm says something only about updates Lambda has applied)');
  }
  const dryRun = bool('dry-run', false);

  // ---- ssm, comment --------------------------------------------------------------------------------
  const ssmParameter = optional('ssm-parameter');
  if (ssmParameter !== undefined && (!SSM_NAME.test(ssmParameter) || /^\/?(aws|ssm)/i.test(ssmParameter))) {
    problem(
      `ssm-parameter: ${quote(ssmParameter)} is not allowed; use letters, digits and _ . - /, ` +
        'not starting with aws or ssm, e.g. /layers/data-science/arn',
    );
  }
  const githubToken = optional('github-token');
  if (githubToken) core.setSecret(githubToken);

  // ---- which steps run -----------------------------------------------------------------------------
  const skipped: SkippedStep[] = [];
  // With zip-file, the build step reads and checks that zip instead of building.
  if (zipFile !== undefined) requestedSteps.add('build');
  const conditions: Partial<Record<StepName, string | false>> = {
    'roll-out': functions.mode === 'none' && 'functions is none',
    ssm: ssmParameter === undefined && 'no ssm-parameter',
    comment: githubToken === undefined && 'no github-token',
  };
  const steps = STEP_NAMES.filter((step) => {
    if (!requestedSteps.has(step)) return false;
    const reason = conditions[step];
    if (reason) skipped.push({ step, reason });
    return !reason;
  });
  if (steps.length === 0 && problems.length === 0) {
    problem(`steps: nothing to run; use any of ${STEP_NAMES.join(', ')}`);
  }
  const needsLayer = steps.some((step) => step === 'smoke-test' || step === 'publish');
  if (needsLayer && !steps.includes('build')) {
    problem('steps: smoke-test and publish need a layer; add build or give zip-file');
  }
  if (trim && !steps.includes('smoke-test')) {
    problem(
      'trim: needs the smoke-test step, so that a trim that breaks an import fails the run; add smoke-test',
    );
  }
  const needsRegion = steps.some((step) => step === 'publish' || step === 'roll-out' || step === 'ssm');
  if (needsRegion && regions.length === 0) {
    problem(
      'regions: no region given and AWS_REGION is not set; use e.g. us-east-1 (or run configure-aws-credentials first)',
    );
  }
  for (const step of ['roll-out', 'ssm'] as const) {
    if (steps.includes(step) && !steps.includes('publish')) {
      problem(
        `steps: ${step} needs publish (it uses the layer version that publish makes or finds unchanged)`,
      );
    }
  }

  if (problems.length > 0) throw new InputError(problems);

  return Object.freeze({
    steps,
    skipped,
    layerName,
    runtime: runtime!,
    architecture,
    workspace,
    workingDirectory,
    manifest,
    buildCommand,
    installArgs: parseList(input('install-args'), { words: true }),
    imageRegistry,
    buildImage,
    smokeImage,
    smokeImports,
    trim,
    crossInstall,
    zipFile,
    description,
    licenseInfo,
    compatibleRuntimes,
    regions,
    s3Bucket,
    skipUnchanged,
    shareWith,
    keepVersions,
    functions,
    functionFilter,
    maxParallel,
    onFailure,
    canary,
    canaryWait,
    updateAliases,
    alarms,
    wait,
    dryRun,
    ssmParameter,
    githubToken,
    tempDir: path.resolve(env.RUNNER_TEMP || os.tmpdir()),
  });
}
