/**
 * `cache: true` for a build whose every version is pinned (a Python lock or a requirements file of
 * exact pins; npm's package-lock.json): the cache keeps the last build's layer itself — its zip and an
 * index of what the zip holds — rather than the tool's downloads. The next build with a changed pin
 * puts the unchanged packages back from that zip and installs only the rest (pip: the pins that
 * changed; npm: `npm install` over the last node_modules), then zips reusing the compressed bytes of
 * every file that did not change. The result is the layer a build from nothing makes, byte for byte;
 * when the reuse cannot promise that, the build installs everything, as without a cache.
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
import { keptPackages, lockMismatch, ownerOf } from '../cache/npm-reuse.js';
import { SAVE_STATE, type PendingSave } from '../cache/store.js';
import { readRepoFile, workingRoot } from '../host-guard.js';
import { extractIndexed, type ZipIndex } from '../layer/zip.js';
import { exportPythonLock, isPythonLock } from '../manifests/python/index.js';
import { findRuntime, type ReuseInstall } from '../runtimes/index.js';
import { BUILD_RECIPE_VERSION } from './build-key.js';
import type { BuildInputs } from './build-container.js';
import { manifestHash } from './download-cache.js';

/** What the cache folder holds: the last layer's zip and this index of it. */
const ZIP = 'layer.zip';
const INDEX = 'index.json';
/** Bumped when the index's shape or meaning changes: an older cache is then not reused. */
const INDEX_VERSION = 1;
const NODE_MODULES = 'nodejs/node_modules/';
const HIDDEN_LOCKFILE = `${NODE_MODULES}.package-lock.json`;

interface LayerIndex {
  readonly version: number;
  readonly zip: ZipIndex;
  /** Python: each installed package's pin and files. */
  readonly dists?: readonly CachedDist[];
}

/** The last layer, restored; what it lets this build skip; and the save of this build's layer. */
export interface LayerCache {
  /**
   * Puts the last build's unchanged packages into the layer and says what the tool still installs;
   * undefined when nothing can be reused (then the build installs everything).
   */
  prepare(layerDir: string): Promise<ReuseInstall | undefined>;
  /**
   * After the tool ran over the packages put back: why its result may not be the layer a build from
   * nothing makes (npm's tree against the lock), or undefined when it is.
   */
  check(layerDir: string): Promise<string | undefined>;
  /** The last zip, for the writer to take unchanged files' compressed bytes from. */
  readonly zipReuse?: { readonly zipFile: string; readonly index: ZipIndex };
  /** After the zip is written: leaves this layer for the post step to save. */
  keep(layerDir: string, zipFile: string, index: ZipIndex): Promise<void>;
}

type Eligible = { family: 'python'; list: PinnedList } | { family: 'nodejs'; lockText: string };

/** Restores the last layer when `cache` is on and this build can reuse one; undefined otherwise. */
export async function restoreLayerCache(inputs: BuildInputs): Promise<LayerCache | undefined> {
  if (inputs.cache === 'off' || inputs.zipFile !== undefined) return undefined;
  const eligible = await eligibility(inputs);
  if (!eligible) return undefined;
  const cache = await import('@actions/cache');
  if (!cache.isFeatureAvailable()) {
    core.warning('cache: the Actions cache service is not available to this step; building without it.');
    return undefined;
  }
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
    prepare: async (layerDir) => (index ? putBack(eligible, index, zipFile, layerDir) : undefined),
    check: async (layerDir) =>
      eligible.family === 'nodejs' ? checkNpmTree(eligible.lockText, layerDir) : undefined,
    keep: async (layerDir, builtZip, zipIndex) => {
      if (index && restoredKey === keys.key) return; // the same manifest: this layer is the one kept
      if (inputs.cache === 'restore-only') {
        core.info(
          `cache: not saved: this run builds a pull request's code, whose cache a release build would restore.`,
        );
        return;
      }
      await fs.rm(folder, { recursive: true, force: true });
      await fs.mkdir(folder, { recursive: true });
      await fs.copyFile(builtZip, path.join(folder, ZIP));
      const inZip = new Set(zipIndex.entries.map((entry) => entry.path));
      const dists =
        eligible.family === 'python'
          ? await installedDists(layerDir, inputs.runtime.installDir, eligible.list, inZip)
          : undefined;
      const saved: LayerIndex = { version: INDEX_VERSION, zip: zipIndex, ...(dists ? { dists } : {}) };
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

/** Which reuse fits this build, if any: exact pins for pip, package-lock.json for npm, one install folder. */
async function eligibility(inputs: BuildInputs): Promise<Eligible | undefined> {
  if (inputs.buildCommand !== undefined) return undefined;
  // A layer installed again per Python version (native code for several) is not one install to reuse.
  const installDirs = inputs.compatibleRuntimes.map((id) => findRuntime(id)?.installDir);
  if (installDirs.some((dir) => dir !== undefined && dir !== inputs.runtime.installDir)) return undefined;
  const source = inputs.manifestSource;
  if (inputs.runtime.family === 'nodejs') {
    if (source.packageManager.name !== 'npm' || source.lock === undefined) return undefined;
    const lock = await readRepoFile(
      workingRoot(inputs),
      path.join(inputs.workingDirectory, source.lock.path),
    );
    return lock ? { family: 'nodejs', lockText: lock.toString('utf8') } : undefined;
  }
  if (inputs.runtime.family !== 'python') return undefined;
  if (isPythonLock(source)) {
    const exported = await exportPythonLock(source, workingRoot(inputs), {
      extras: inputs.extras,
      groups: inputs.groups,
    });
    const list = pinnedLock(exported);
    return list ? { family: 'python', list } : undefined;
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
  return { family: 'python', list };
}

/** Puts the reusable part of the last layer into `layerDir`; the rest is the tool's. */
async function putBack(
  eligible: Eligible,
  index: LayerIndex,
  zipFile: string,
  layerDir: string,
): Promise<ReuseInstall | undefined> {
  const inZip = new Map(index.zip.entries.map((entry) => [entry.path, entry]));
  if (eligible.family === 'nodejs') return putBackNodeModules(eligible.lockText, index, zipFile, layerDir);
  const plan = planPythonReuse(eligible.list, index.dists ?? [], new Set(inZip.keys()));
  if (plan.reuse.length === 0) return undefined;
  await extractIndexed(
    zipFile,
    plan.files.map((file) => inZip.get(file)!),
    layerDir,
  );
  const names = (reqs: typeof plan.reuse): string => reqs.map((r) => `${r.name} ${r.version}`).join(', ');
  core.info(
    `cache: ${plan.reuse.length} of ${eligible.list.requirements.length} pinned packages are back from the last ` +
      `build (${names(plan.reuse)}); pip installs ${plan.install.length > 0 ? names(plan.install) : 'nothing'}.`,
  );
  const extras = Object.fromEntries(
    eligible.list.requirements.filter((r) => r.extras.length > 0).map((r) => [r.name, r.extras]),
  );
  return {
    family: 'python',
    requirements: missingRequirements(eligible.list, plan.install),
    plan: JSON.stringify({ resolves: eligible.list.resolves, extras }),
  };
}

/**
 * The last node_modules, without the packages this lock changed (and without .bin, which npm links
 * again), and npm's record of it trimmed to what is back: npm, trusting the record (dated after the
 * packages), installs only the rest.
 */
async function putBackNodeModules(
  lockText: string,
  index: LayerIndex,
  zipFile: string,
  layerDir: string,
): Promise<ReuseInstall | undefined> {
  const record = index.zip.entries.find((entry) => entry.path === HIDDEN_LOCKFILE);
  if (!record) return undefined;
  await extractIndexed(zipFile, [record], layerDir);
  const recordFile = path.join(layerDir, HIDDEN_LOCKFILE);
  const last = await fs.readFile(recordFile, 'utf8');
  const keep = keptPackages(lockText, last);
  if (!keep || keep.kept.size === 0) {
    await fs.rm(recordFile);
    return undefined;
  }
  const entries = index.zip.entries.filter((entry) => {
    if (!entry.path.startsWith(NODE_MODULES) || entry.path.includes('/.bin/')) return false;
    const owner = ownerOf(entry.path.slice('nodejs/'.length), keep.all);
    return owner !== undefined && keep.kept.has(owner);
  });
  await extractIndexed(zipFile, entries, layerDir);
  await fs.writeFile(recordFile, keep.hidden); // after the packages: npm trusts only a newer record
  core.info(
    `cache: ${keep.kept.size} of the last build's ${keep.all.size} npm packages are back ` +
      `(${entries.length} files); npm installs the rest, and what it leaves is checked against the lock.`,
  );
  return { family: 'nodejs' };
}

/** npm's record of what it installed, against the lock in the repository. */
async function checkNpmTree(lockText: string, layerDir: string): Promise<string | undefined> {
  const hidden = await fs.readFile(path.join(layerDir, HIDDEN_LOCKFILE), 'utf8').catch(() => undefined);
  const wrong = lockMismatch(lockText, hidden);
  return wrong && `npm's install over the last node_modules is not what the lock says: ${wrong}`;
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
    return index.version === INDEX_VERSION && Array.isArray(index.zip?.entries) ? index : undefined;
  } catch {
    return undefined;
  }
}
