/**
 * `cache: true`: the package managers' download caches (pip, npm, Maven or Gradle, Bundler) are kept
 * between runs with the Actions cache and mounted into the build container where each tool looks.
 * The cache must pay for itself: it is restored only when the last measurements say that is faster
 * than downloading again, keeps only what the last build read, and is saved by the post step, after
 * the release, only when the build downloaded something new. A cache that cannot be restored or saved
 * is a warning: it only makes a build slower.
 */
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import {
  listContents,
  markUnread,
  newFiles,
  removeFiles,
  totalBytes,
  unreadFiles,
} from '../cache/contents.js';
import { megabytes, restoreCostsMore, type Ledger, type Transfer } from '../cache/ledger.js';
import { NOT_SAVED_ON_A_PULL_REQUEST, restoreLedger, SAVE_STATE, type PendingSave } from '../cache/store.js';
import { readRepoFile, workingRoot } from '../host-guard.js';
import type { Inputs } from '../inputs/index.js';
import { NODE_LOCKS } from '../layer/pinned.js';
import type { Family } from '../runtimes/index.js';

/** Where the cache is mounted in the build container. */
const CONTAINER_CACHE = '/lambda-layer-release-cache';

interface ToolCache {
  /** The tool, for the cache key and the log. */
  readonly tool: string;
  /** Environment that points the tool at CONTAINER_CACHE. */
  readonly env: Readonly<Record<string, string>>;
  /** Top-level names the tool writes on every run that are not downloads (logs, time stamps). */
  readonly ignore?: readonly string[];
}

const TOOL_CACHES: Readonly<Record<Family, (manifest: string) => ToolCache | undefined>> = {
  python: () => ({ tool: 'pip', env: { PIP_CACHE_DIR: CONTAINER_CACHE }, ignore: ['selfcheck'] }),
  // npm's cache at the top (as before), the lock tools' tarballs, stores and caches in folders of their
  // own below it (src/smoke/node-install.mjs).
  nodejs: () => ({
    tool: 'npm',
    env: { npm_config_cache: CONTAINER_CACHE, LLR_CACHE_DIR: CONTAINER_CACHE },
    ignore: ['_logs', '_update-notifier-last-checked'],
  }),
  java: (manifest): ToolCache =>
    /\.gradle(\.kts)?$/.test(manifest)
      ? { tool: 'gradle', env: { GRADLE_USER_HOME: CONTAINER_CACHE } }
      : // The local repository is Maven's download cache; a system property in MAVEN_OPTS moves it in every version.
        { tool: 'maven', env: { MAVEN_OPTS: `-Dmaven.repo.local=${CONTAINER_CACHE}` } },
  ruby: () => ({
    tool: 'bundler',
    env: { BUNDLE_USER_CACHE: CONTAINER_CACHE, BUNDLE_GLOBAL_GEM_CACHE: 'true' },
  }),
  // A Makefile's downloads are its own business.
  provided: () => undefined,
};

/** A cache folder to mount into the build container, and what to keep of it after a good build. */
export interface DownloadCache {
  readonly host: string;
  readonly container: string;
  readonly env: Readonly<Record<string, string>>;
  /**
   * After a good build (its containers started at `buildStarted`, epoch ms): drops what the build did
   * not read, and leaves the save to the post step when it downloaded something worth keeping.
   */
  keep(buildStarted: number): Promise<PendingSave | undefined>;
}

type CacheInputs = Pick<
  Inputs,
  | 'cache'
  | 'runtime'
  | 'architecture'
  | 'workingDirectory'
  | 'manifest'
  | 'manifestSource'
  | 'tempDir'
  | 'zipFile'
>;

/** The cache keys: exact per runtime, architecture, tool and manifest; any earlier one as a fallback. */
export function cacheKeys(
  inputs: Pick<Inputs, 'runtime' | 'architecture'>,
  tool: string,
  manifestHash: string,
): { key: string; restoreKeys: string[] } {
  const prefix = `lambda-layer-release-${inputs.runtime.id}-${inputs.architecture}-${tool}-`;
  return { key: `${prefix}${manifestHash}`, restoreKeys: [prefix] };
}

/** Restores the download cache (when `cache` is on and the service is there); undefined otherwise. */
export async function restoreDownloadCache(inputs: CacheInputs): Promise<DownloadCache | undefined> {
  if (inputs.cache === 'off' || inputs.zipFile !== undefined) return undefined;
  const toolCache = TOOL_CACHES[inputs.runtime.family](inputs.manifest);
  if (!toolCache) {
    core.info('cache: a custom runtime has no package manager cache to keep.');
    return undefined;
  }
  // @actions/cache (with Azure's storage client) is a fifth of the bundle: parsed only by a run that
  // uses the cache (ncc puts it in a chunk of its own).
  const cache = await import('@actions/cache');
  if (!cache.isFeatureAvailable()) {
    core.warning('cache: the Actions cache service is not available to this step; building without it.');
    return undefined;
  }
  // A fixed folder: @actions/cache restores to the path it saved, relative to the workspace.
  const host = path.join(inputs.tempDir, 'lambda-layer-release-cache', toolCache.tool);
  await fs.mkdir(host, { recursive: true });
  const keys = cacheKeys(inputs, toolCache.tool, await manifestHash(inputs));
  const restore = await restoreWeighed(host, toolCache.tool, keys);
  // Only a file system that records reads tells what the build used; elsewhere nothing is dropped.
  const tracksReads = await markUnread(host, await listContents(host, toolCache.ignore));
  const restored = await listContents(host, toolCache.ignore);
  return {
    host,
    container: CONTAINER_CACHE,
    env: toolCache.env,
    keep: async (buildStarted) => {
      if (restore.key === keys.key) return undefined; // the same manifest: nothing new to keep
      const after = await listContents(host, toolCache.ignore);
      const added = newFiles(restored, after);
      const addedBytes = totalBytes(added.values());
      const unread = tracksReads ? unreadFiles(restored, after) : [];
      const worth = addedBytes >= WORTH_SAVING_BYTES || addedBytes >= totalBytes(after.values()) / 10;
      if (added.size === 0 || !worth) {
        core.info(
          `cache: not saved: the build downloaded nothing new worth keeping (${megabytes(addedBytes)}).`,
        );
        return undefined;
      }
      if (inputs.cache === 'restore-only') {
        core.info(NOT_SAVED_ON_A_PULL_REQUEST);
        return undefined;
      }
      // What this manifest no longer reads stays out of the next restore.
      await removeFiles(host, unread);
      const lastDownload = Math.max(...[...added.values()].map((file) => file.mtimeMs));
      const ledger: Ledger = {
        key: keys.key,
        bytes: totalBytes(after.values()) - unread.reduce((sum, name) => sum + after.get(name)!.size, 0),
        download: { bytes: addedBytes, seconds: Math.max(0, (lastDownload - buildStarted) / 1000) },
        ...(restore.transfer ? { restore: restore.transfer } : {}),
      };
      const dropped = unread.length > 0 ? `, without ${unread.length} file(s) this build did not read` : '';
      core.info(
        `cache: ${toolCache.tool} downloaded ${megabytes(addedBytes)} new; saved as ${keys.key} after the ` +
          `job's steps (post step)${dropped}.`,
      );
      const pending: PendingSave = { path: host, ledger };
      core.saveState(SAVE_STATE, JSON.stringify(pending));
      return pending;
    },
  };
}

/** A new cache is saved when the build downloaded at least this much, or a tenth of the cache. */
const WORTH_SAVING_BYTES = 1_000_000;

interface Restore {
  /** The key restored, if any. */
  readonly key?: string;
  /** The restore measured, when it brought files back. */
  readonly transfer?: Transfer;
}

/**
 * Reads the ledger of the newest cache first, and restores the cache only when that pays: when the
 * last measurements say the cache service is slower than the package index, it says so and skips.
 */
async function restoreWeighed(
  host: string,
  tool: string,
  keys: { key: string; restoreKeys: string[] },
): Promise<Restore> {
  const cache = await import('@actions/cache');
  const ledger = await restoreLedger(host, keys);
  const costlier = ledger && restoreCostsMore(ledger);
  if (costlier) {
    core.info(`cache: not restored: ${costlier}.`);
    return {};
  }
  const started = Date.now();
  try {
    const restoreKeys = ledger ? [ledger.key, ...keys.restoreKeys] : keys.restoreKeys;
    const key = await cache.restoreCache([host], keys.key, restoreKeys);
    if (!key) {
      core.info(`cache: no ${tool} cache yet for ${keys.key}.`);
      return {};
    }
    const seconds = (Date.now() - started) / 1000;
    const bytes = totalBytes((await listContents(host)).values());
    core.info(
      `cache: restored ${tool}'s downloads (${megabytes(bytes)}) from ${key} in ${seconds.toFixed(1)} s.`,
    );
    return { key, transfer: { bytes, seconds } };
  } catch (error) {
    core.warning(`cache: could not restore ${keys.key}: ${(error as Error).message}`);
    return {};
  }
}

/** The manifest, the lock that decides it and the lock files beside it, as the cache key's last part. */
export async function manifestHash(inputs: CacheInputs): Promise<string> {
  const manifest = path.join(inputs.workingDirectory, inputs.manifest);
  const hash = createHash('sha256');
  const lock = inputs.manifestSource.lock?.path;
  const names = [
    path.basename(manifest),
    ...(lock ? [path.relative(path.dirname(manifest), path.join(inputs.workingDirectory, lock))] : []),
    ...NODE_LOCKS,
    'Gemfile.lock',
    'gradle.lockfile',
  ];
  for (const name of [...new Set(names)]) {
    const bytes = await readRepoFile(workingRoot(inputs), path.join(path.dirname(manifest), name));
    if (bytes) hash.update(name).update('\0').update(bytes).update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}
