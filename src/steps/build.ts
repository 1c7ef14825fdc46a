/**
 * Build step: installs the layer's dependencies inside the Lambda build image, checks the folder
 * layout, and writes a deterministic zip. With `zip-file`, reads and checks that zip instead.
 */
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Deps } from '../deps.js';
import {
  checkArchitecture,
  checkDockerEngine,
  currentUser,
  runArgs,
  tail,
  type DockerEngine,
} from '../docker.js';
import { guardLayerTree } from '../host-guard.js';
import { workDirOf, type Inputs } from '../inputs/index.js';
import { oneLine } from '../log.js';
import { describeSource } from '../manifests/detect.js';
import {
  buildArchitecture,
  lockedRequirements,
  lockInstallOf,
  refuseToolOffline,
  runBuildContainer,
  writesLayer,
  type BuildInputs,
  type PreparedLock,
} from './build-container.js';
import { restoreDownloadCache, type DownloadCache } from './download-cache.js';
import { alongside, restoreLayerCache, type LayerCache } from './layer-cache.js';
import { checkLayout, type LayoutSummary } from '../layer/layout.js';
import { checkNativeCode, hasNativeCode, type NativeFile } from '../layer/native.js';
import { listPackages, type LayerPackage } from '../layer/packages.js';
import { trimLayer, type TrimSummary } from '../layer/trim.js';
import type { SbomSummary } from '../sbom/types.js';
import { dropOtherPlatformPackages, type DroppedPackage } from '../layer/platform-packages.js';
import {
  extractZip,
  fileSha256,
  listTree,
  MAX_UNZIPPED_BYTES,
  summarizeTree,
  writeDeterministicZip,
  type TreeEntry,
  type ZipSummary,
} from '../layer/zip.js';
import {
  CONTAINER_LAYER,
  defaultBuildImage,
  defaultRuntimeImage,
  familyOf,
  findRuntime,
  type LockedRequirements,
  type Runtime,
} from '../runtimes/index.js';

export { MAX_UNZIPPED_BYTES };
/** Lambda's limit for a zip uploaded directly in the API request; larger ones go through S3. */
export const MAX_DIRECT_UPLOAD_BYTES = 50 * 1024 * 1024;

export interface LayerArtifact extends Omit<ZipSummary, 'file'> {
  readonly zipFile: string;
  /** The layer's files as they will appear under /opt. */
  readonly layerDir: string;
  readonly layout: LayoutSummary;
  readonly packages: readonly LayerPackage[];
  /** The ELF files the native check read (the SBOM lists them). */
  readonly nativeFiles: readonly NativeFile[];
  /** SHA-256 over the tree, runtime, architecture and build image: equal hashes, equal layers. */
  readonly contentHash: string;
  /** True when the zip came from the `zip-file` input. */
  readonly given: boolean;
  /** What `trim` removed, when it ran. */
  readonly trim?: TrimSummary;
  /** Node.js packages for another platform, dropped from the layer (src/layer/platform-packages.ts). */
  readonly dropped?: readonly DroppedPackage[];
  /** Set for a fully pinned manifest (src/steps/build-key.ts); kept in the description. */
  readonly buildKey?: string;
  /** The bill of materials written beside the zip (src/sbom/), unless it could not be. */
  readonly sbom?: SbomSummary;
}

export async function buildLayer(inputs: BuildInputs, deps: Deps): Promise<LayerArtifact> {
  const work = await freshDir(workDirOf(inputs));
  const layerDir = path.join(work, 'layer');
  await fs.mkdir(layerDir);
  const zipFile = path.join(work, `${inputs.layerName}.zip`);

  if (inputs.zipFile) {
    core.info(`Using the given zip ${inputs.zipFile}; nothing is built.`);
    const hashes = await extractZip(inputs.zipFile, layerDir);
    await guardLayerTree(layerDir, `extracting ${path.basename(inputs.zipFile)}`);
    const dropped = await dropOtherPlatforms(inputs, layerDir);
    const { layout, packages, nativeFiles } = await inspect(layerDir, inputs);
    const zip = await givenZip(inputs.zipFile, zipFile, layerDir, hashes, dropped.length > 0);
    return finish({
      ...zip,
      layerDir,
      layout,
      packages,
      nativeFiles,
      contentHash: contentHash(zip.treeHash, inputs, ''),
      given: true,
      ...(dropped.length > 0 ? { dropped } : {}),
    });
  }

  // Before any container: a Python lock is read (and a stale one refused); which tool installs a pnpm,
  // Yarn or Bun lock, and whether it can.
  const lock = await lockedRequirements(inputs);
  const locked = lock?.locked;
  const lockInstall = lockInstallOf(inputs);
  const engine = await checkDockerEngine(deps.exec);
  const architecture = buildArchitecture(inputs);
  core.info(
    `Docker engine ${engine.version} (${engine.architecture ?? 'unknown architecture'}); ` +
      `building in ${inputs.buildImage} (${architecture}` +
      `${architecture === inputs.architecture ? '' : `, installing for ${inputs.architecture}`}).`,
  );
  core.info(
    inputs.buildCommand === undefined
      ? describeSource(inputs.manifestSource)
      : `build-command installs (the manifest ${inputs.manifest} is only read for the build key).`,
  );
  await checkEmulation(inputs, deps, engine);
  // A pinned Python build keeps its last layer; any other keeps the tool's downloads.
  const layerCache = await restoreLayerCache(inputs, lock?.exported);
  const downloads = layerCache ? undefined : await restoreDownloadCache(inputs);
  if (lockInstall) refuseToolOffline(inputs, lockInstall, downloads);
  const buildStarted = Date.now();
  await install(inputs, deps, { work, layerDir, downloads, layerCache }, { locked, lockInstall });
  const buildImages = [
    inputs.buildImage,
    ...(await buildOtherVersions(inputs, deps, work, layerDir, downloads, locked)),
  ];
  await downloads?.keep(buildStarted); // the post step saves it, after the release
  const dropped = await dropOtherPlatforms(inputs, layerDir);
  const trim = inputs.trim ? await trimTree(inputs, deps, layerDir) : undefined;
  const { layout, packages, nativeFiles, tree } = await inspect(layerDir, inputs);
  const { index, reused, ...zip } = await writeDeterministicZip(layerDir, zipFile, {
    reuse: layerCache?.zipReuse,
  });
  if (reused.files > 0) {
    core.info(
      `Zip: ${reused.files} unchanged files (${mb(reused.bytes)}) keep their compressed bytes from the last build's zip.`,
    );
  } else if (reused.skipped) core.info(`Zip: nothing taken from the last build's zip: ${reused.skipped}.`);
  await layerCache?.keep(layerDir, zip.file, index, tree);
  return finish({
    ...zip,
    zipFile,
    layerDir,
    layout,
    packages,
    nativeFiles,
    contentHash: contentHash(zip.treeHash, inputs, buildImages.join(' ')),
    given: false,
    ...(trim ? { trim } : {}),
    ...(dropped.length > 0 ? { dropped } : {}),
  });
}

/**
 * The build container, with the last build's unchanged packages put back alongside when the layer
 * cache has them; when they cannot be reused after all, the layer is installed again from nothing.
 */
async function install(
  inputs: BuildInputs,
  deps: Deps,
  where: { work: string; layerDir: string; downloads?: DownloadCache; layerCache?: LayerCache },
  prepared: PreparedLock,
): Promise<void> {
  const { work, layerDir, downloads } = where;
  const reuse = await where.layerCache?.prepare(layerDir);
  const reused = { ...prepared, ...(reuse ? { reuse: reuse.install } : {}) };
  const outcome = await alongside(layerDir, reuse?.ready, () =>
    runBuildContainer(inputs, deps, work, layerDir, downloads, reused),
  );
  const unfinished = outcome === 'built' ? await reuse?.finish?.() : 'the line above says why';
  if (unfinished === undefined) return;
  core.info(`cache: the last build's packages cannot be reused here (${unfinished}); installing all.`);
  await freshDir(layerDir);
  await runBuildContainer(inputs, deps, work, layerDir, downloads, prepared);
}

/**
 * A given zip is published as the user's bytes, hashed as a rebuilt zip would be (from the hashes
 * taken while extracting); only when packages were dropped from it is it written anew.
 */
async function givenZip(
  given: string,
  zipFile: string,
  layerDir: string,
  hashes: ReadonlyMap<string, string>,
  changed: boolean,
): Promise<Omit<ZipSummary, 'file'> & { zipFile: string }> {
  if (changed) {
    const { file, ...zip } = await writeDeterministicZip(layerDir, zipFile);
    core.info(`The given zip is written anew without the dropped packages: ${file}`);
    return { ...zip, zipFile: file };
  }
  const tree = await summarizeTree(layerDir, hashes);
  await fs.copyFile(given, zipFile);
  return {
    ...tree,
    zipFile,
    zipSize: (await fs.stat(zipFile)).size,
    codeSha256: await fileSha256(zipFile, 'base64'),
  };
}

/** Node.js packages for another platform that an older package manager left: never loaded on Lambda. */
async function dropOtherPlatforms(inputs: BuildInputs, layerDir: string): Promise<DroppedPackage[]> {
  if (inputs.runtime.family !== 'nodejs') return [];
  const dropped = await dropOtherPlatformPackages(layerDir, await listTree(layerDir), inputs.architecture);
  for (const { name, folder, declares } of dropped) {
    core.info(
      oneLine(
        `Dropped ${name} (${folder}): it is for ${declares}, and Lambda (linux, ${inputs.architecture}, glibc) ` +
          "never loads it; a package manager that ignores package.json's os, cpu and libc installed it",
      ),
    );
  }
  return dropped;
}

/** Says before building, not halfway, when this runner cannot run an image the run needs. */
async function checkEmulation(inputs: BuildInputs, deps: Deps, engine: DockerEngine): Promise<void> {
  await checkArchitecture(deps.exec, engine, inputs.buildImage, buildArchitecture(inputs), 'the build');
  for (const other of otherVersions(inputs)) {
    const image = defaultBuildImage(other, buildArchitecture(inputs), inputs.imageRegistry);
    await checkArchitecture(deps.exec, engine, image, buildArchitecture(inputs), `the build for ${other.id}`);
  }
  if (inputs.steps.includes('smoke-test')) {
    for (const runtime of declaredRuntimes(inputs)) {
      const image = smokeImageFor(inputs, runtime);
      await checkArchitecture(
        deps.exec,
        engine,
        image,
        inputs.architecture,
        `the smoke test of ${runtime.id}`,
      );
    }
  }
}

/**
 * The declared runtimes that read packages from a folder of their own version (python/lib/pythonX.Y/
 * site-packages) and need the default build to install for them too; a build-command does its own.
 */
function otherVersions(inputs: BuildInputs): Runtime[] {
  if (inputs.buildCommand !== undefined || !familyOf(inputs.runtime).buildsPerVersion) return [];
  return declaredRuntimes(inputs).filter((runtime) => runtime.installDir !== inputs.runtime.installDir);
}

/**
 * After the build for `runtime`: when the layer also declares other versions, moves pure packages to
 * the folder every version reads, or installs again for each version in that version's build image
 * (native code is built for one interpreter). Returns the build images it used.
 */
async function buildOtherVersions(
  inputs: BuildInputs,
  deps: Deps,
  work: string,
  layerDir: string,
  downloads?: DownloadCache,
  locked?: LockedRequirements,
): Promise<string[]> {
  const others = otherVersions(inputs);
  if (others.length === 0) return [];
  const shared = familyOf(inputs.runtime).languageRoot!;
  if (await movePureInstall(layerDir, inputs.runtime.installDir, shared)) {
    core.info(
      `No native code: installed once into ${shared}/, which ${declaredRuntimes(inputs)
        .map((r) => r.id)
        .join(', ')} all read.`,
    );
    return [];
  }
  const images: string[] = [];
  for (const other of others) {
    const image = defaultBuildImage(other, buildArchitecture(inputs), inputs.imageRegistry);
    core.info(`Native code: installing again for ${other.id} in ${image}, into ${other.installDir}/.`);
    await runBuildContainer(
      { ...inputs, runtime: other, buildImage: image },
      deps,
      work,
      layerDir,
      downloads,
      { locked },
    );
    images.push(image);
  }
  return images;
}

/** Moves an install without ELF files from `installDir` to `shared`; false (and nothing moved) otherwise. */
async function movePureInstall(layerDir: string, installDir: string, shared: string): Promise<boolean> {
  const from = path.join(layerDir, installDir);
  const to = path.join(layerDir, shared);
  if (await hasNativeCode(from, await listTree(from))) return false;
  const names = await fs.readdir(from);
  // A top-level package named like a folder on the way (python/lib) cannot move beside it.
  const onTheWay = path.relative(to, from).split(path.sep)[0]!;
  if (names.includes(onTheWay)) return false;
  for (const name of names) await fs.rename(path.join(from, name), path.join(to, name));
  await fs.rm(path.join(to, onTheWay), { recursive: true });
  return true;
}

/** The smoke test's image for a declared runtime: `smoke-image` for the one built for, else its default. */
export function smokeImageFor(
  inputs: Pick<Inputs, 'runtime' | 'smokeImage' | 'architecture' | 'imageRegistry'>,
  runtime: Runtime,
): string {
  return runtime.id === inputs.runtime.id
    ? inputs.smokeImage
    : defaultRuntimeImage(runtime, inputs.architecture, inputs.imageRegistry);
}

/** Trims the built tree; strip runs in the build image, where binutils matches the build. */
async function trimTree(inputs: BuildInputs, deps: Deps, layerDir: string): Promise<TrimSummary> {
  const architecture = buildArchitecture(inputs);
  const summary = await trimLayer(layerDir, inputs.runtime, architecture, async (files) => {
    for (let start = 0; start < files.length; start += 200) {
      const args = runArgs({
        image: inputs.buildImage,
        architecture,
        mounts: [{ host: layerDir, container: CONTAINER_LAYER }],
        user: currentUser(),
        network: 'none',
        entrypoint: 'strip',
        command: ['--strip-debug', ...files.slice(start, start + 200).map((f) => `${CONTAINER_LAYER}/${f}`)],
      });
      const output = await writesLayer(layerDir, `strip in ${inputs.buildImage}`, () =>
        deps.exec('docker', args, { ignoreReturnCode: true, silent: true }),
      );
      if (output.exitCode !== 0) {
        return `strip --strip-debug failed in ${inputs.buildImage} (exit code ${output.exitCode}): ${tail(output.stderr, 3)}`;
      }
    }
    return undefined;
  });
  const rules = Object.entries(summary.byRule)
    .filter(([, bytes]) => bytes > 0)
    .map(([rule, bytes]) => `${rule} ${kb(bytes)}`);
  core.info(
    `Trimmed ${kb(summary.bytesSaved)} (${summary.bytesBefore} → ${summary.bytesAfter} bytes): ` +
      `${summary.removedFiles} files removed, ${summary.strippedFiles} shared objects stripped` +
      `${rules.length > 0 ? `; ${rules.join(', ')}` : ''}.`,
  );
  for (const note of summary.notes) core.warning(`Trim: ${note}`);
  return summary;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function inspect(
  layerDir: string,
  inputs: BuildInputs,
): Promise<{
  layout: LayoutSummary;
  packages: LayerPackage[];
  nativeFiles: readonly NativeFile[];
  tree: readonly TreeEntry[];
}> {
  const entries = await listTree(layerDir);
  // Before the tree is zipped (or a given zip hashed): an oversized build fails in seconds.
  refuseOversize(entries.reduce((sum, entry) => sum + entry.size, 0));
  const layout = checkLayout(entries, inputs.runtime, declaredRuntimes(inputs));
  const packages = await listPackages(inputs.runtime.family, layerDir, layout.modulePaths);
  core.info(`Layout:\n${layout.outline.map((line) => `  ${oneLine(line)}`).join('\n')}`);
  const runtimes = declaredRuntimes(inputs);
  const native = await checkNativeCode(
    layerDir,
    entries,
    runtimes,
    inputs.architecture,
    inputs.crossInstall ? buildArchitecture(inputs) : undefined,
  );
  for (const note of native.notes) core.info(oneLine(`Native code: ${note}`));
  if (native.elfFiles > 0) {
    core.info(
      `Native code: ${native.elfFiles} ELF file(s) fit ${inputs.architecture} and ` +
        `${runtimes.map((r) => r.id).join(', ')} (glibc, libstdc++ and libraries).`,
    );
  }
  return { layout, packages, nativeFiles: native.files, tree: entries };
}

/** The runtimes that will load the layer: the one it is built for and every compatible one. */
export function declaredRuntimes(inputs: Pick<Inputs, 'runtime' | 'compatibleRuntimes'>): Runtime[] {
  const ids = new Set([inputs.runtime.id, ...inputs.compatibleRuntimes]);
  return [...ids].map((id) => findRuntime(id)).filter((r): r is Runtime => r !== undefined);
}

function refuseOversize(unzippedSize: number): void {
  if (unzippedSize > MAX_UNZIPPED_BYTES) {
    throw new Error(
      `The layer is ${mb(unzippedSize)} unzipped; Lambda allows at most ${mb(MAX_UNZIPPED_BYTES)} ` +
        'for a function and all its layers together. Remove packages or split the layer.',
    );
  }
}

function finish(artifact: LayerArtifact): LayerArtifact {
  refuseOversize(artifact.unzippedSize);
  if (artifact.zipSize > MAX_DIRECT_UPLOAD_BYTES) {
    core.warning(
      `The layer zip is ${mb(artifact.zipSize)}, above the ${mb(MAX_DIRECT_UPLOAD_BYTES)} Lambda accepts in a ` +
        'direct upload: publishing it needs s3-bucket.',
    );
  }
  core.info(
    `Layer zip ${artifact.zipFile}: ${mb(artifact.zipSize)} (${mb(artifact.unzippedSize)} unzipped, ` +
      `${artifact.fileCount} files), CodeSha256 ${artifact.codeSha256}`,
  );
  return artifact;
}

function contentHash(treeHash: string, inputs: BuildInputs, buildImage: string): string {
  return createHash('sha256')
    .update(JSON.stringify([treeHash, inputs.runtime.id, inputs.architecture, buildImage]))
    .digest('hex');
}

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function freshDir(dir: string): Promise<string> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  return dir;
}
