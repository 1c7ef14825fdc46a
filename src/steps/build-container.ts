/**
 * The build container: what the host prepares from a lock before it runs (a Python lock's exported
 * requirements, the tool for a pnpm, Yarn or Bun lock), the container's mounts, environment and recipe,
 * and the guard every container that writes the layer runs through. src/steps/build.ts drives it.
 */
import * as core from '@actions/core';
import * as fsSync from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Deps } from '../deps.js';
import { BUILD_PIDS_LIMIT, currentUser, runLimited, type ContainerRun } from '../docker.js';
import { copyRepoFile, guardLayerTree, resolveRepoFile, workingRoot } from '../host-guard.js';
import type { Inputs } from '../inputs/index.js';
import { memoryText } from '../inputs/limits.js';
import { oneLine } from '../log.js';
import { readHead } from '../manifests/detect.js';
import {
  crossInstallProblem,
  LOCK_HEAD_BYTES,
  LOCK_TOOL_NAMES,
  planNodeTool,
  type LockTool,
} from '../manifests/node-tools.js';
import {
  exportPythonLock,
  isPythonLock,
  renderRequirements,
  type PythonExport,
} from '../manifests/python/index.js';
import type { DownloadCache } from './download-cache.js';
import { sourceView } from '../sandbox.js';
import {
  CONTAINER_LAYER,
  CONTAINER_SOURCE,
  CONTAINER_TOOLS,
  defaultBuild,
  familyOf,
  runnerArchitecture,
  type Architecture,
  type BuildRecipe,
  type LockInstall,
  type LockedRequirements,
  type ReuseInstall,
} from '../runtimes/index.js';

export type BuildInputs = Pick<
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
  | 'zipFile'
  | 'tempDir'
  | 'trim'
  | 'crossInstall'
  | 'steps'
  | 'smokeImage'
  | 'compatibleRuntimes'
  | 'imageRegistry'
  | 'cache'
  | 'buildTimeout'
  | 'buildMemory'
  | 'buildNetwork'
>;

/** The architecture the build container runs: the runner's own for a cross-install, else the layer's. */
export function buildArchitecture(inputs: Pick<Inputs, 'architecture' | 'crossInstall'>): Architecture {
  return inputs.crossInstall ? runnerArchitecture() : inputs.architecture;
}

/**
 * A Python lock, exported on the host: its list (which the layer cache reads too) and the pinned,
 * hashed requirements the build installs; undefined for any other build.
 */
export async function lockedRequirements(
  inputs: BuildInputs,
): Promise<{ exported: PythonExport; locked: LockedRequirements } | undefined> {
  if (inputs.buildCommand !== undefined || !isPythonLock(inputs.manifestSource)) return undefined;
  const exported = await exportPythonLock(inputs.manifestSource, workingRoot(inputs), {
    extras: inputs.extras,
    groups: inputs.groups,
  });
  for (const warning of exported.warnings) core.warning(oneLine(warning));
  const count = exported.requirements.length;
  core.info(
    `${inputs.manifestSource.lock!.path}: ${count} package${count === 1 ? '' : 's'} locked for this layer` +
      `${inputs.extras.length > 0 ? ` (extras ${inputs.extras.join(', ')})` : ''}` +
      `${inputs.groups.length > 0 ? ` (groups ${inputs.groups.join(', ')})` : ''}; dev groups left out.`,
  );
  return { exported, locked: renderRequirements(exported) };
}

/**
 * A pnpm, Yarn or Bun lock is installed by its own tool, at the version package.json's packageManager
 * names or else the one for the lock's format (src/manifests/node-tools.ts); undefined for every other
 * build. Throws, before any container runs, when the tool cannot install this lock as asked.
 */
export function lockInstallOf(inputs: BuildInputs): LockInstall | undefined {
  const { lock, packageManager } = inputs.manifestSource;
  const tool = packageManager.name;
  if (inputs.buildCommand !== undefined || lock === undefined || !(tool in LOCK_TOOL_NAMES)) return undefined;
  const lockFile = path.join(inputs.workingDirectory, lock.path);
  const head = readHead(workingRoot(inputs), lockFile, LOCK_HEAD_BYTES).toString('utf8');
  const plan = planNodeTool(
    { name: tool as LockTool, version: packageManager.version },
    lock.path,
    head,
    buildArchitecture(inputs),
  );
  if (inputs.crossInstall) {
    const problem = crossInstallProblem(plan);
    if (problem) throw new Error(`cross-install: ${problem}.`);
  }
  core.info(
    `${LOCK_TOOL_NAMES[plan.tool]} ${plan.version} (${plan.from === 'packageManager' ? 'packageManager in package.json' : `the version for ${lock.path}'s format`}) ` +
      `installs ${lock.path} in the build container: frozen, without devDependencies.`,
  );
  return { plan, lock: lock.path };
}

/** Without a network the tool must come from the download cache: say so before building. */
export function refuseToolOffline(
  inputs: BuildInputs,
  { plan }: LockInstall,
  downloads?: DownloadCache,
): void {
  if (inputs.buildNetwork !== 'none') return;
  if (downloads && fsSync.existsSync(path.join(downloads.host, 'tools', plan.file))) return;
  const tool = `${LOCK_TOOL_NAMES[plan.tool]} ${plan.version}`;
  throw new Error(
    `build-network: none: ${tool} is installed in the build container from the npm registry ` +
      `(${plan.package}), and ${downloads ? 'the download cache holds no copy of it' : 'without cache: true there is no download cache to hold it'}. ` +
      'Provide it with cache: true and one run with a network (build-network: bridge or a network that reaches ' +
      `your registry): the cache then keeps ${tool} for the runs without one. Or install with your own build-command.`,
  );
}

export async function runBuildContainer(
  inputs: BuildInputs,
  deps: Deps,
  work: string,
  layerDir: string,
  downloads?: DownloadCache,
  prepared: PreparedLock = {},
): Promise<'built' | 'reuse refused'> {
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
  // Files the action writes for the container (a script, a Gradle init script), mounted read-only.
  const tools = path.join(work, 'tools');
  const writeTools = async (files: Readonly<Record<string, string>>): Promise<void> => {
    await fs.mkdir(tools, { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      await fs.writeFile(path.join(tools, name), content, { mode: 0o644 });
    }
    mounts.push({ host: tools, container: CONTAINER_TOOLS, readonly: true });
  };
  let command: readonly string[];
  let workdir: string;

  if (inputs.buildCommand !== undefined) {
    // The user's build-command is their own script, like a `run:` step: it runs from a file, and
    // every value it needs arrives in the environment, never spliced into its text.
    await writeTools({ 'build.sh': `${inputs.buildCommand}\n` });
    mounts.push(...(await sources(inputs, work, false)));
    command = ['bash', '-eo', 'pipefail', `${CONTAINER_TOOLS}/build.sh`];
    workdir = CONTAINER_SOURCE;
  } else {
    const lockFiles = lockFilesOf(inputs);
    const recipe = recipeOf(inputs, lockFiles.length > 0, prepared);
    Object.assign(env, recipe.env);
    if (recipe.files) await writeTools(recipe.files);
    if (recipe.copyManifestTo)
      await copyManifest(inputs, lockFiles, path.join(layerDir, recipe.copyManifestTo));
    // The default build only reads the sources.
    mounts.push(...(await sources(inputs, work, true)));
    command = recipe.command;
    workdir = recipe.workdir;
  }

  if (downloads) mountDownloadCache(downloads, mounts, env);
  const run: ContainerRun = {
    image: inputs.buildImage,
    architecture: buildArchitecture(inputs),
    mounts,
    env,
    workdir,
    user: currentUser(),
    pidsLimit: BUILD_PIDS_LIMIT,
    network: inputs.buildNetwork,
    memoryBytes: inputs.buildMemory,
    command,
  };
  const exitCode = await writesLayer(layerDir, `the build in ${inputs.buildImage}`, () =>
    runLimited(deps.exec, run, `Building the layer in ${inputs.buildImage}`, {
      timeoutMs: inputs.buildTimeout * 60_000,
      timeoutInput: String(inputs.buildTimeout),
      memoryInput: memoryText(inputs.buildMemory),
      ...(prepared.reuse ? { answerExitCode: REUSE_REFUSED } : {}),
    }),
  );
  return exitCode === 0 ? 'built' : 'reuse refused';
}

/** src/smoke/pip-reuse.py's and npm-reuse.mjs's exit code when the last build's packages cannot be reused after all. */
const REUSE_REFUSED = 3;

/** What the host prepared from a lock before any container: Python's exported list, or a Node.js tool. */
export interface PreparedLock {
  readonly locked?: LockedRequirements;
  readonly lockInstall?: LockInstall;
  /** The last build's packages, put back in the layer: the tool installs the rest (src/steps/layer-cache.ts). */
  readonly reuse?: ReuseInstall;
}

function recipeOf(inputs: BuildInputs, hasLock: boolean, prepared: PreparedLock): BuildRecipe {
  const crossArchitecture = inputs.crossInstall ? inputs.architecture : undefined;
  const { installArgs, manifest, runtime } = inputs;
  return defaultBuild(
    runtime,
    manifest,
    installArgs,
    hasLock,
    crossArchitecture,
    prepared.locked,
    prepared.lockInstall,
    prepared.reuse,
  );
}

// The host reads the manifest and its lock files for the build: through the resolver, which refuses a
// link out of working-directory, into .git, or to anything but a file (src/host-guard.ts).

/** The family's lock files that lie beside the manifest. */
function lockFilesOf(inputs: BuildInputs): string[] {
  const dir = path.dirname(path.join(inputs.workingDirectory, inputs.manifest));
  return familyOf(inputs.runtime)
    .lockFiles.map((name) => path.join(dir, name))
    .filter((file) => resolveRepoFile(workingRoot(inputs), file) !== undefined);
}

/** Copies the manifest (under the family's default name) and its lock files into `target`. */
async function copyManifest(
  inputs: BuildInputs,
  lockFiles: readonly string[],
  target: string,
): Promise<void> {
  const root = workingRoot(inputs);
  await fs.mkdir(target, { recursive: true });
  const manifest = path.join(inputs.workingDirectory, inputs.manifest);
  const name = path.basename(familyOf(inputs.runtime).defaultManifest);
  if (!(await copyRepoFile(root, manifest, path.join(target, name)))) {
    throw new Error(`The manifest ${inputs.manifest} does not exist in ${inputs.workingDirectory}.`);
  }
  for (const file of lockFiles) await copyRepoFile(root, file, path.join(target, path.basename(file)));
}

/**
 * Every container that writes the layer runs through here: once it exits, and before the host moves,
 * trims, inspects or zips anything, the tree must hold nothing that leads out of it (src/host-guard.ts).
 */
export async function writesLayer<T>(
  layerDir: string,
  what: string,
  container: () => Promise<T>,
): Promise<T> {
  const result = await container();
  await guardLayerTree(layerDir, what);
  return result;
}

/** The source folder's mounts, with the credentials in it covered (see src/sandbox.ts). */
async function sources(
  inputs: BuildInputs,
  work: string,
  readonly: boolean,
): Promise<ContainerRun['mounts']> {
  const view = await sourceView({
    source: inputs.workingDirectory,
    container: CONTAINER_SOURCE,
    readonly,
    scratch: path.join(work, 'sandbox'),
    tempDir: inputs.tempDir,
  });
  if (view.hidden.length > 0) {
    core.info(
      oneLine(`Hidden from the build: ${view.hidden.map((h) => `${h.path} (${h.how})`).join(', ')}.`),
    );
  }
  return view.mounts;
}

/** The package manager's download cache (src/steps/download-cache.ts), where the tool looks for it. */
function mountDownloadCache(
  downloads: DownloadCache,
  mounts: ContainerRun['mounts'][number][],
  env: Record<string, string>,
): void {
  mounts.push({ host: downloads.host, container: downloads.container });
  Object.assign(env, downloads.env);
}
