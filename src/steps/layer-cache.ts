/**
 * `cache: true` for a build whose every version is pinned (a Python lock or requirements file of exact
 * pins; an npm package-lock.json): the cache keeps the last build's layer itself — its zip and an
 * index of what the zip holds — rather than the tool's downloads. The next build with a changed pin
 * puts the unchanged packages back from that zip while pip installs, or npm fetches, only the changed
 * ones, then zips reusing the compressed bytes of every file that did not change. The result is the
 * layer a build from nothing makes, byte for byte; when the reuse cannot promise that, the build
 * installs everything, as without a cache.
 */
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { megabytes } from '../cache/ledger.js';
import {
  installedDists,
  missingRequirements,
  pinnedLock,
  pinnedRequirements,
  planPythonReuse,
  type CachedDist,
  type PinnedList,
} from '../cache/python-reuse.js';
import {
  HIDDEN_LOCK,
  hiddenFormOf,
  LAYER_ROOT,
  nameAt,
  outOfSync,
  ownersOf,
  planNpmReuse,
  readNpmLock,
  renderHidden,
  wanted,
  type NpmCache,
  type NpmLock,
} from '../cache/npm-reuse.js';
import { NOT_SAVED_ON_A_PULL_REQUEST, SAVE_STATE, type PendingSave } from '../cache/store.js';
import { readRepoFile, workingRoot } from '../host-guard.js';
import { readText } from '../layer/packages.js';
import { extractIndexed, type TreeEntry, type ZipIndex, type ZipIndexEntry } from '../layer/zip.js';
import type { PythonExport } from '../manifests/python/index.js';
import { findRuntime, REUSE_READY, type ReuseInstall } from '../runtimes/index.js';
import { BUILD_RECIPE_VERSION } from './build-key.js';
import type { BuildInputs } from './build-container.js';
import { manifestHash } from './download-cache.js';

/** What the cache folder holds: the last layer's zip and this index of it. */
const ZIP = 'layer.zip';
const INDEX = 'index.json';
/** Bumped when the index's shape or meaning changes: an older cache is then not reused. */
const INDEX_VERSION = 2;

interface LayerIndex {
  readonly version: number;
  readonly zip: ZipIndex;
  /** Each installed package's pin and files (for npm: its lock path, version, integrity and files). */
  readonly dists: readonly CachedDist[];
  /** What an npm build's reuse needs besides (src/cache/npm-reuse.ts). */
  readonly npm?: NpmCache;
}

/** What a build installs, when it can be reused: pip's exact pins, or an npm lock. */
type Pins =
  { readonly tool: 'pip'; readonly list: PinnedList } | { readonly tool: 'npm'; readonly lock: NpmLock };

/** The last layer, restored; what it lets this build skip; and the save of this build's layer. */
export interface LayerCache {
  /**
   * Starts putting the last build's unchanged packages into the layer and says what pip still
   * installs; undefined when nothing can be reused (then the build installs everything).
   */
  prepare(layerDir: string): Promise<Reuse | undefined>;
  /** The last zip, for the writer to take unchanged files' compressed bytes from. */
  readonly zipReuse?: { readonly zipFile: string; readonly index: ZipIndex };
  /** After the zip is written: leaves this layer (`tree`: what was zipped) for the post step to save. */
  keep(layerDir: string, zipFile: string, index: ZipIndex, tree: readonly TreeEntry[]): Promise<void>;
}

/** What the tool installs besides the packages put back; `ready` once they are back (see alongside). */
export interface Reuse {
  readonly install: ReuseInstall;
  readonly ready: Promise<void>;
  /** After the container: completes the layer, or says why it cannot (then all is installed again). */
  readonly finish?: () => Promise<string | undefined>;
}

/**
 * Restores the last layer when `cache` is on and this build can reuse one; undefined otherwise.
 * `exported`: the build's Python lock, as the build step exported it.
 */
export async function restoreLayerCache(
  inputs: BuildInputs,
  exported?: PythonExport,
): Promise<LayerCache | undefined> {
  if (inputs.cache === 'off' || inputs.zipFile !== undefined) return undefined;
  const pins = await pinsOf(inputs, exported);
  if (!pins) return undefined;
  const cache = await import('@actions/cache');
  if (!cache.isFeatureAvailable()) return undefined; // the download cache says so
  const folder = path.join(inputs.tempDir, 'lambda-layer-release-cache', 'layer');
  await fs.mkdir(folder, { recursive: true });
  const keys = await layerKeys(inputs);
  const started = Date.now();
  let restoredKey: string | undefined;
  try {
    restoredKey = await cache.restoreCache([folder], keys.key, keys.restoreKeys);
  } catch (error) {
    core.warning(`cache: could not restore ${keys.key}: ${(error as Error).message}`);
  }
  const index = restoredKey ? await readIndex(folder) : undefined;
  if (restoredKey && index) {
    const bytes = (await fs.stat(path.join(folder, ZIP))).size;
    core.info(
      `cache: restored the last build's layer (${megabytes(bytes)}) from ${restoredKey} in ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  } else core.info(`cache: no layer kept yet for ${keys.key}; this build's layer will be.`);
  const zipFile = path.join(folder, ZIP);
  return {
    ...(index ? { zipReuse: { zipFile, index: index.zip } } : {}),
    // Putting back runs alongside the container; a failure there is answered by alongside.
    prepare: async (layerDir) => {
      if (!index) return undefined;
      const last: LastLayer = { index, zipFile, inZip: new Map(index.zip.entries.map((e) => [e.path, e])) };
      return pins.tool === 'pip' ? putBack(pins.list, last, layerDir) : putBackNpm(pins.lock, last, layerDir);
    },
    keep: async (layerDir, builtZip, zipIndex, tree) => {
      if (index && restoredKey === keys.key) return; // the same manifest: this layer is the one kept
      if (inputs.cache === 'restore-only') {
        core.info(NOT_SAVED_ON_A_PULL_REQUEST);
        return;
      }
      await fs.rm(folder, { recursive: true, force: true });
      await fs.mkdir(folder, { recursive: true });
      await fs.copyFile(builtZip, path.join(folder, ZIP));
      const inZip = new Set(zipIndex.entries.map((entry) => entry.path));
      const saved: LayerIndex = {
        version: INDEX_VERSION,
        zip: zipIndex,
        ...(pins.tool === 'pip'
          ? { dists: await installedDists(layerDir, inputs.runtime.installDir, pins.list, inZip) }
          : await npmIndex(layerDir, pins.lock, inZip, tree)),
      };
      await fs.writeFile(path.join(folder, INDEX), JSON.stringify(saved));
      const bytes = (await fs.stat(builtZip)).size;
      const pending: PendingSave = { path: folder, ledger: { key: keys.key, bytes }, what: 'the layer' };
      core.saveState(SAVE_STATE, JSON.stringify(pending));
      core.info(
        `cache: this layer (${megabytes(bytes)}) is saved as ${keys.key} after the job's steps (post step).`,
      );
    },
  };
}

/** This build's pins, when they can be reused: a Python lock or exact pins, or an npm lock. */
async function pinsOf(inputs: BuildInputs, exported?: PythonExport): Promise<Pins | undefined> {
  if (inputs.buildCommand !== undefined) return undefined;
  if (inputs.runtime.family === 'nodejs') return npmLockOf(inputs);
  if (inputs.runtime.family !== 'python') return undefined;
  // A layer installed again per Python version (native code for several) is not one install to reuse.
  const installDirs = inputs.compatibleRuntimes.map((id) => findRuntime(id)?.installDir);
  if (installDirs.some((dir) => dir !== undefined && dir !== inputs.runtime.installDir)) return undefined;
  if (exported) {
    const list = pinnedLock(exported);
    return list && { tool: 'pip', list };
  }
  // pip resolves a requirements file in the container: for another architecture it cannot check the pins.
  if (inputs.crossInstall) return undefined;
  const text = await readRepoFile(workingRoot(inputs), path.join(inputs.workingDirectory, inputs.manifest));
  if (!text) return undefined;
  const list = pinnedRequirements(text.toString('utf8'));
  if ('reason' in list) {
    core.info(`cache: the download cache is kept instead of the layer: ${inputs.manifest} ${list.reason}.`);
    return undefined;
  }
  return { tool: 'pip', list };
}

/** The npm lock `npm ci` installs; undefined for pnpm, Yarn, Bun and a package.json without a lock. */
async function npmLockOf(inputs: BuildInputs): Promise<Pins | undefined> {
  const { lock, packageManager } = inputs.manifestSource;
  if (!lock || packageManager.name !== 'npm') return undefined;
  const text = await readRepoFile(workingRoot(inputs), path.join(inputs.workingDirectory, lock.path));
  if (!text) return undefined;
  const read = readNpmLock(text.toString('utf8'));
  const manifest = await readRepoFile(
    workingRoot(inputs),
    path.join(inputs.workingDirectory, inputs.manifest),
  );
  const fields = parsed(manifest?.toString('utf8'));
  const why =
    'reason' in read
      ? `${lock.path} ${read.reason}`
      : fields
        ? outOfSync(fields, read)
        : `${inputs.manifest} is not JSON`;
  if (why || 'reason' in read) {
    core.info(`cache: the download cache is kept instead of the layer: ${why}.`);
    return undefined;
  }
  return { tool: 'npm', lock: read };
}

/** The last build's layer as restored: its index, its zip, and the zip's entries by path. */
interface LastLayer {
  readonly index: LayerIndex;
  readonly zipFile: string;
  readonly inZip: ReadonlyMap<string, ZipIndexEntry>;
}

/**
 * Starts writing `files` of the last zip (and the empty `folders`) into the layer; the build container
 * runs meanwhile, and a failure is answered by alongside.
 */
function startPutBack(
  last: LastLayer,
  layerDir: string,
  files: readonly string[],
  folders: readonly string[] = [],
): Promise<void> {
  const ready = (async () => {
    await extractIndexed(
      last.zipFile,
      files.map((file) => last.inZip.get(file)!),
      layerDir,
    );
    for (const folder of folders) await fs.mkdir(path.join(layerDir, folder), { recursive: true });
  })();
  ready.catch(() => undefined); // answered by alongside
  return ready;
}

/** Puts the reusable part of the last layer into `layerDir`; the rest is the tool's. */
async function putBack(list: PinnedList, last: LastLayer, layerDir: string): Promise<Reuse | undefined> {
  const plan = planPythonReuse(list, last.index.dists, new Set(last.inZip.keys()));
  if (plan.reuse.length === 0) return undefined;
  const names = (reqs: typeof plan.reuse): string => reqs.map((r) => `${r.name} ${r.version}`).join(', ');
  core.info(
    `cache: ${plan.reuse.length} of ${list.requirements.length} pinned packages come back from the last ` +
      `build (${names(plan.reuse)}); pip installs ${plan.install.length > 0 ? names(plan.install) : 'nothing'} meanwhile.`,
  );
  const extras = Object.fromEntries(
    list.requirements.filter((r) => r.extras.length > 0).map((r) => [r.name, r.extras]),
  );
  return {
    install: {
      tool: 'pip',
      requirements: missingRequirements(list, plan.install),
      plan: JSON.stringify({ resolves: list.resolves, extras }),
    },
    ready: startPutBack(last, layerDir, plan.files),
  };
}

/**
 * Puts the last layer's unchanged npm packages back while npm fetches the others
 * (src/smoke/npm-reuse.mjs); once both are done, checks each package's version and writes npm's
 * record of the tree as the last build's npm wrote it.
 */
async function putBackNpm(lock: NpmLock, last: LastLayer, layerDir: string): Promise<Reuse | undefined> {
  const npm = last.index.npm;
  if (!npm) return undefined;
  const plan = planNpmReuse(lock, npm, last.index.dists, new Set(last.inZip.keys()));
  if ('reason' in plan) {
    core.info(`cache: npm installs every package: ${plan.reason}.`);
    return undefined;
  }
  if (plan.reuse.length === 0) return undefined;
  const fetched = plan.fetch.map((f) => `${nameAt(f.path)} ${lock.packages[f.path]!.version}`);
  core.info(
    `cache: ${plan.reuse.length} of ${plan.installed.length} npm packages come back from the last build; ` +
      `the build container downloads ${fetched.length > 0 ? fetched.join(', ') : 'nothing'} meanwhile.`,
  );
  const root = path.join(layerDir, LAYER_ROOT);
  return {
    install: { tool: 'npm', fetch: JSON.stringify(plan.fetch) },
    ready: startPutBack(last, layerDir, plan.files, plan.folders),
    finish: async () => {
      for (const key of plan.installed) {
        const want = lock.packages[key]!.version;
        const have = parsed(await readText(path.join(root, key, 'package.json')))?.version;
        if (have !== want) return `${key} holds ${have ?? 'no package.json'}, not ${want}`;
      }
      await fs.writeFile(path.join(root, HIDDEN_LOCK), renderHidden(lock, plan.installed, npm.hidden));
      return undefined;
    },
  };
}

/** A JSON object's fields; undefined when the text is not one (npm ci then says what is wrong). */
function parsed(text: string | undefined): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * What the next build needs to reuse this npm layer: each installed package's files and empty folders,
 * the entries npm skipped, and the form of npm's record; nothing to reuse when a file has no single
 * owner or the record is in a form this action does not write.
 */
async function npmIndex(
  layerDir: string,
  lock: NpmLock,
  inZip: ReadonlySet<string>,
  tree: readonly TreeEntry[],
): Promise<{ dists: CachedDist[]; npm?: NpmCache }> {
  const installed = wanted(lock).filter((key) => inZip.has(`${LAYER_ROOT}/${key}/package.json`));
  const keys = new Set(installed);
  const parents = new Set(tree.map((entry) => path.posix.dirname(entry.path)));
  const empty = tree.filter((entry) => entry.type === 'dir' && !parents.has(entry.path)).map((e) => e.path);
  const files = ownersOf([...inZip], lock, keys);
  const folders = ownersOf(empty, lock, keys, true);
  const record = await readText(path.join(layerDir, LAYER_ROOT, HIDDEN_LOCK));
  const hidden = record === undefined ? undefined : hiddenFormOf(record, lock, installed);
  if ('reason' in files || 'reason' in folders || !hidden) {
    const why = 'reason' in files ? files.reason : 'reason' in folders ? folders.reason : undefined;
    core.info(
      `cache: the next build installs every npm package again: ` +
        `${why ?? `npm's record of the tree (${HIDDEN_LOCK}) is not in a form this action writes`}.`,
    );
    return { dists: [] };
  }
  const pick = (from: readonly string[]) => Object.fromEntries(from.map((key) => [key, lock.packages[key]!]));
  const dists = installed.map((key) => ({
    name: key,
    version: lock.packages[key]!.version ?? '',
    hashes: [lock.packages[key]!.integrity ?? ''],
    files: files.get(key)!,
  }));
  const folderOf = Object.fromEntries([...folders].filter(([, list]) => list.length > 0));
  const skipped = wanted(lock).filter((key) => !keys.has(key));
  return { dists, npm: { installed: pick(installed), skipped: pick(skipped), hidden, folders: folderOf } };
}

/**
 * Runs the build container while the reused packages are still being put back: once they are (or
 * could not be), the file the container waits for is moved into the layer folder; it is gone again
 * when the container is done.
 */
export async function alongside<T>(
  layerDir: string,
  ready: Promise<void> | undefined,
  container: () => Promise<T>,
): Promise<T> {
  if (!ready) return container();
  const running = container();
  running.catch(() => undefined); // answered below, after the marker
  let state = 'ready';
  try {
    await ready;
  } catch (error) {
    core.warning(`cache: the last build's layer cannot be used: ${(error as Error).message}`);
    state = 'failed';
  }
  const marker = path.join(layerDir, REUSE_READY);
  await fs.writeFile(`${marker}.part`, state);
  await fs.rename(`${marker}.part`, marker);
  try {
    return await running;
  } finally {
    await fs.rm(marker, { force: true });
  }
}

/** Exact per build settings and manifest; any earlier layer of the same settings as a fallback. */
async function layerKeys(inputs: BuildInputs): Promise<{ key: string; restoreKeys: string[] }> {
  const settings = createHash('sha256')
    .update(
      JSON.stringify([
        INDEX_VERSION,
        BUILD_RECIPE_VERSION,
        inputs.buildImage,
        inputs.installArgs,
        inputs.crossInstall,
        inputs.trim,
        inputs.manifest,
        inputs.extras,
        inputs.groups,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  const prefix = `lambda-layer-release-${inputs.runtime.id}-${inputs.architecture}-layer-${settings}-`;
  return { key: `${prefix}${await manifestHash(inputs)}`, restoreKeys: [prefix] };
}

async function readIndex(folder: string): Promise<LayerIndex | undefined> {
  try {
    const index = JSON.parse(await fs.readFile(path.join(folder, INDEX), 'utf8')) as LayerIndex;
    await fs.access(path.join(folder, ZIP));
    return index.version === INDEX_VERSION && Array.isArray(index.zip?.entries) && Array.isArray(index.dists)
      ? index
      : undefined;
  } catch {
    return undefined;
  }
}
