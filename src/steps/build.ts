/**
 * Build step: installs the layer's dependencies inside the Lambda build image, checks the folder
 * layout, and writes a deterministic zip. With `zip-file`, reads and checks that zip instead.
 */
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Deps } from '../deps.js';
import { checkDockerEngine, currentUser, docker, runArgs, type ContainerRun } from '../docker.js';
import type { Inputs } from '../inputs.js';
import { checkLayout, type LayoutSummary } from '../layer/layout.js';
import { listPackages, type LayerPackage } from '../layer/packages.js';
import { extractZip, listTree, writeDeterministicZip, type ZipSummary } from '../layer/zip.js';
import { CONTAINER_LAYER, CONTAINER_SOURCE, familyOf } from '../runtimes.js';

/** Lambda's limit for a function and all its layers, unzipped. */
export const MAX_UNZIPPED_BYTES = 262_144_000;
/** Lambda's limit for a zip uploaded directly in the API request; larger ones go through S3. */
export const MAX_DIRECT_UPLOAD_BYTES = 50 * 1024 * 1024;

export interface LayerArtifact extends Omit<ZipSummary, 'file'> {
  readonly zipFile: string;
  /** The layer's files as they will appear under /opt. */
  readonly layerDir: string;
  readonly layout: LayoutSummary;
  readonly packages: readonly LayerPackage[];
  /** SHA-256 over the tree, runtime, architecture and build image: equal hashes, equal layers. */
  readonly contentHash: string;
  /** True when the zip came from the `zip-file` input. */
  readonly given: boolean;
}

type BuildInputs = Pick<
  Inputs,
  | 'layerName'
  | 'runtime'
  | 'architecture'
  | 'workingDirectory'
  | 'manifest'
  | 'buildCommand'
  | 'installArgs'
  | 'buildImage'
  | 'zipFile'
  | 'tempDir'
>;

export async function buildLayer(inputs: BuildInputs, deps: Deps): Promise<LayerArtifact> {
  const work = await freshDir(
    path.join(
      inputs.tempDir,
      'lambda-layer-release',
      `${inputs.layerName}-${inputs.runtime.id}-${inputs.architecture}`,
    ),
  );
  const layerDir = path.join(work, 'layer');
  await fs.mkdir(layerDir);
  const zipFile = path.join(work, `${inputs.layerName}.zip`);

  if (inputs.zipFile) {
    core.info(`Using the given zip ${inputs.zipFile}; nothing is built.`);
    await extractZip(inputs.zipFile, layerDir);
    const { layout, packages } = await inspect(layerDir, inputs);
    // Hash the tree as a rebuilt zip would; publish the user's bytes unchanged.
    const tree = await writeDeterministicZip(layerDir, zipFile, { compressionLevel: 0 });
    await fs.copyFile(inputs.zipFile, zipFile);
    const bytes = await fs.readFile(zipFile);
    return finish({
      ...tree,
      zipFile,
      zipSize: bytes.length,
      codeSha256: createHash('sha256').update(bytes).digest('base64'),
      layerDir,
      layout,
      packages,
      contentHash: contentHash(tree.treeHash, inputs, ''),
      given: true,
    });
  }

  const engine = await checkDockerEngine(deps.exec);
  core.info(`Docker engine ${engine}; building in ${inputs.buildImage} (${inputs.architecture}).`);
  await runBuildContainer(inputs, deps, work, layerDir);
  const { layout, packages } = await inspect(layerDir, inputs);
  const zip = await writeDeterministicZip(layerDir, zipFile);
  return finish({
    ...zip,
    zipFile,
    layerDir,
    layout,
    packages,
    contentHash: contentHash(zip.treeHash, inputs, inputs.buildImage),
    given: false,
  });
}

async function runBuildContainer(
  inputs: BuildInputs,
  deps: Deps,
  work: string,
  layerDir: string,
): Promise<void> {
  const family = familyOf(inputs.runtime);
  const env: Record<string, string> = {
    // The container runs as the runner's user, which has no home folder in the image.
    HOME: '/tmp',
    LAYER_NAME: inputs.layerName,
    LAYER_RUNTIME: inputs.runtime.id,
    LAYER_ARCHITECTURE: inputs.architecture,
    LAYER_DIR: CONTAINER_LAYER,
    LAYER_INSTALL_DIR: `${CONTAINER_LAYER}/${inputs.runtime.installDir}`,
    LAYER_MANIFEST: `${CONTAINER_SOURCE}/${inputs.manifest}`,
  };
  const mounts: ContainerRun['mounts'][number][] = [{ host: layerDir, container: CONTAINER_LAYER }];
  let command: readonly string[];
  let workdir: string;

  if (inputs.buildCommand !== undefined) {
    // The user's build-command is their own script, like a `run:` step: it runs from a file, and
    // every value it needs arrives in the environment, never spliced into its text.
    const script = path.join(work, 'build.sh');
    await fs.writeFile(script, `${inputs.buildCommand}\n`, { mode: 0o644 });
    mounts.push(
      { host: inputs.workingDirectory, container: CONTAINER_SOURCE },
      { host: script, container: '/lambda-layer-release/build.sh', readonly: true },
    );
    command = ['bash', '-eo', 'pipefail', '/lambda-layer-release/build.sh'];
    workdir = CONTAINER_SOURCE;
  } else {
    const manifestPath = path.join(inputs.workingDirectory, inputs.manifest);
    const lockFiles = await existing(
      family.lockFiles.map((name) => path.join(path.dirname(manifestPath), name)),
    );
    const recipe = family.defaultBuild(
      inputs.runtime,
      inputs.manifest,
      inputs.installArgs,
      lockFiles.length > 0,
    );
    if (recipe.copyManifestTo) {
      const target = path.join(layerDir, recipe.copyManifestTo);
      await fs.mkdir(target, { recursive: true });
      await fs.copyFile(manifestPath, path.join(target, path.basename(family.defaultManifest)));
      for (const lockFile of lockFiles)
        await fs.copyFile(lockFile, path.join(target, path.basename(lockFile)));
    }
    // The default build only reads the sources.
    mounts.push({ host: inputs.workingDirectory, container: CONTAINER_SOURCE, readonly: true });
    command = recipe.command;
    workdir = recipe.workdir;
  }

  const args = runArgs({
    image: inputs.buildImage,
    architecture: inputs.architecture,
    mounts,
    env,
    workdir,
    user: currentUser(),
    command,
  });
  core.debug(`docker ${JSON.stringify(args)}`);
  await docker(deps.exec, args, { what: `Building the layer in ${inputs.buildImage}` });
}

async function inspect(
  layerDir: string,
  inputs: BuildInputs,
): Promise<{ layout: LayoutSummary; packages: LayerPackage[] }> {
  const layout = checkLayout(await listTree(layerDir), inputs.runtime);
  const packages = await listPackages(inputs.runtime.family, layerDir, layout.modulePaths);
  core.info(`Layout:\n${layout.outline.map((line) => `  ${line}`).join('\n')}`);
  return { layout, packages };
}

function finish(artifact: LayerArtifact): LayerArtifact {
  if (artifact.unzippedSize > MAX_UNZIPPED_BYTES) {
    throw new Error(
      `The layer is ${mb(artifact.unzippedSize)} unzipped; Lambda allows at most ${mb(MAX_UNZIPPED_BYTES)} ` +
        'for a function and all its layers together. Remove packages or split the layer.',
    );
  }
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

async function existing(files: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    if (
      await fs.stat(file).then(
        () => true,
        () => false,
      )
    )
      found.push(file);
  }
  return found;
}
