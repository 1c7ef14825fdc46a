/**
 * The build key: a hash of everything that decides what a build of a fully pinned manifest puts in the
 * layer. It is kept in each layer version's description; when the newest version in every region
 * carries this run's key, the build and the smoke test are skipped and that version is used as it is.
 */
import * as core from '@actions/core';
import { ListLayerVersionsCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { inEachRegion } from '../aws/regions.js';
import type { Deps } from '../deps.js';
import { readRepoFile, workingRoot } from '../host-guard.js';
import type { Inputs } from '../inputs/index.js';
import { checkPinning } from '../layer/pinned.js';

/** Bumped whenever a default build command in src/runtimes/build-recipes.ts changes what it installs or how. */
export const BUILD_RECIPE_VERSION = 1;
/** Hex characters of the key kept in the description (128 bits): room is short there. */
const KEY_LENGTH = 32;
const MARKER = /(?:^|\s)build:([0-9a-f]+)(?:\s|$)/;

export type BuildKeyInputs = Pick<
  Inputs,
  | 'layerName'
  | 'runtime'
  | 'architecture'
  | 'workingDirectory'
  | 'manifest'
  | 'manifestSource'
  | 'extras'
  | 'groups'
  | 'buildCommand'
  | 'installArgs'
  | 'buildImage'
  | 'crossInstall'
  | 'trim'
  | 'zipFile'
  | 'steps'
  | 'regions'
  | 'skipUnchanged'
  | 'forceBuild'
  | 'compatibleRuntimes'
  | 'licenseInfo'
  | 'tempDir'
>;

/** A region's newest version that carries this run's build key. */
export interface UnchangedVersion {
  readonly region: string;
  readonly layerVersionArn: string;
  readonly version: number;
}

export type BuildPlan =
  | { readonly build: true; readonly buildKey?: string }
  | {
      readonly build: false;
      readonly buildKey: string;
      readonly versions: readonly UnchangedVersion[];
      /** "unchanged since version 7 (build key 1a2b3c4d5e6f…): nothing built" */
      readonly message: string;
    };

/** ` build:<key>`, the marker the description carries next to the content hash. */
export function buildKeyMarker(buildKey: string): string {
  return ` build:${buildKey}`;
}

/** The build key kept in a layer version's description, if any. */
export function buildKeyOf(description: string | undefined): string | undefined {
  return MARKER.exec(description ?? '')?.[1];
}

/** Decides whether this run builds; logs why when it must. */
export async function planBuild(inputs: BuildKeyInputs, deps: Deps): Promise<BuildPlan> {
  if (inputs.zipFile !== undefined) return { build: true };
  const pinning = await checkPinning(
    inputs.runtime.family,
    path.join(inputs.workingDirectory, inputs.manifest),
    workingRoot(inputs),
    inputs.manifestSource.lock,
  );
  if (!pinning.pinned) {
    core.info(
      `Building: the manifest is not fully pinned (${pinning.reason}), so only a build can tell what changed.`,
    );
    return { build: true };
  }
  const buildKey = await computeBuildKey(inputs, pinning.files, deps);
  core.info(`Build key ${buildKey} (${inputs.manifest} and its lock files, runtime, image, build settings).`);
  const why = inputs.forceBuild
    ? 'force-build is on'
    : !inputs.skipUnchanged
      ? 'skip-unchanged is off'
      : !inputs.steps.includes('publish')
        ? 'this run does not publish, so there is no version to reuse'
        : undefined;
  if (why) {
    core.info(`Building: ${why}.`);
    return { build: true, buildKey };
  }
  const { results, failures } = await inEachRegion(inputs.regions, (region) =>
    newestVersion(deps.lambda(region), inputs.layerName, region),
  );
  const mismatch =
    failures.map((f) => `${f.region}: the newest version could not be read (${f.error})`)[0] ??
    results.map((newest, i) => differs(newest, inputs, buildKey, inputs.regions[i]!)).find(Boolean);
  if (mismatch) {
    core.info(`Building: ${mismatch}.`);
    return { build: true, buildKey };
  }
  const versions = results.map((newest) => ({
    region: newest!.region,
    layerVersionArn: newest!.arn,
    version: newest!.version,
  }));
  const numbers = [...new Set(versions.map((v) => v.version))].join(', ');
  const message = `unchanged since version ${numbers} (build key ${buildKey.slice(0, 12)}…): nothing built`;
  return { build: false, buildKey, versions, message };
}

/** The key over everything that decides the layer's content; `files` are the manifest and lock files. */
export async function computeBuildKey(
  inputs: BuildKeyInputs,
  files: readonly string[],
  deps: Deps,
): Promise<string> {
  const contents: [string, string][] = [];
  for (const file of files) {
    const bytes = (await readRepoFile(workingRoot(inputs), file)) ?? Buffer.alloc(0);
    const name = path.relative(inputs.workingDirectory, file).split(path.sep).join('/');
    contents.push([name, createHash('sha256').update(bytes).digest('hex')]);
  }
  const facts = {
    recipe: BUILD_RECIPE_VERSION,
    runtime: inputs.runtime.id,
    architecture: inputs.architecture,
    buildImage: inputs.buildImage,
    buildImageId: await localImageId(inputs.buildImage, deps),
    installArgs: inputs.installArgs,
    buildCommand: inputs.buildCommand ?? null,
    crossInstall: inputs.crossInstall,
    trim: inputs.trim,
    files: contents,
    // What the lock installs of itself, and with which tool (src/manifests/).
    ...(inputs.manifestSource.lock && inputs.manifestSource.lock.format !== 'requirements.txt'
      ? {
          packageManager: inputs.manifestSource.packageManager,
          extras: inputs.extras,
          groups: inputs.groups,
        }
      : {}),
  };
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, KEY_LENGTH);
}

/**
 * The image's ID when it is on this runner; otherwise none (a fresh hosted runner has no image before
 * the build pulls it, on every run alike, so the key stays comparable between such runs).
 */
async function localImageId(image: string, deps: Deps): Promise<string | null> {
  try {
    const output = await deps.exec('docker', ['image', 'inspect', '--format', '{{.Id}}', image], {
      ignoreReturnCode: true,
      silent: true,
    });
    return output.exitCode === 0 ? output.stdout.trim() : null;
  } catch {
    return null; // no Docker here: the build will say so
  }
}

interface Newest {
  readonly region: string;
  readonly arn: string;
  readonly version: number;
  readonly description: string;
  readonly compatibleRuntimes: readonly string[];
  readonly compatibleArchitectures: readonly string[];
  readonly licenseInfo: string | undefined;
}

/**
 * The newest version by number. One page is enough on AWS (newest first); emulators ignore MaxItems and
 * the order, so the page is searched rather than its first item trusted.
 */
async function newestVersion(
  lambda: LambdaClient,
  layerName: string,
  region: string,
): Promise<Newest | undefined> {
  let listed;
  try {
    listed = await lambda.send(new ListLayerVersionsCommand({ LayerName: layerName, MaxItems: 1 }));
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
  const newest = (listed.LayerVersions ?? [])
    .filter((v) => v.Version !== undefined && v.LayerVersionArn)
    .reduce<(typeof listed.LayerVersions & object)[number] | undefined>(
      (best, v) => (best === undefined || v.Version! > best.Version! ? v : best),
      undefined,
    );
  return (
    newest && {
      region,
      arn: newest.LayerVersionArn!,
      version: newest.Version!,
      description: newest.Description ?? '',
      compatibleRuntimes: newest.CompatibleRuntimes ?? [],
      compatibleArchitectures: newest.CompatibleArchitectures ?? [],
      // Emulators answer an absent license as "".
      licenseInfo: newest.LicenseInfo || undefined,
    }
  );
}

/** Why a region's newest version cannot stand for this run's build, or undefined when it can. */
function differs(
  newest: Newest | undefined,
  inputs: BuildKeyInputs,
  buildKey: string,
  region: string,
): string | undefined {
  if (!newest) return `${region} has no version of ${inputs.layerName} yet`;
  const found = buildKeyOf(newest.description);
  if (found !== buildKey) {
    return `${region}: version ${newest.version} has ${found ? `build key ${found.slice(0, 12)}…` : 'no build key'}`;
  }
  const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
    a.length === b.length && a.every((item) => b.includes(item));
  if (
    !sameSet(newest.compatibleRuntimes, inputs.compatibleRuntimes) ||
    !sameSet(newest.compatibleArchitectures, [inputs.architecture]) ||
    newest.licenseInfo !== inputs.licenseInfo
  ) {
    return `${region}: version ${newest.version} declares other compatible runtimes, architectures or license`;
  }
  return undefined;
}
