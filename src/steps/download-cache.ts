/**
 * `cache: true`: the package managers' download caches (pip, npm, Maven or Gradle, Bundler) are kept
 * between runs with the Actions cache and mounted into the build container where each tool looks.
 * A cache that cannot be restored or saved is a warning: it only makes a build slower.
 */
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
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
}

const TOOL_CACHES: Readonly<Record<Family, (manifest: string) => ToolCache | undefined>> = {
  python: () => ({ tool: 'pip', env: { PIP_CACHE_DIR: CONTAINER_CACHE } }),
  // npm's cache at the top (as before), the lock tools' tarballs, stores and caches in folders of their
  // own below it (src/smoke/node-install.mjs).
  nodejs: () => ({ tool: 'npm', env: { npm_config_cache: CONTAINER_CACHE, LLR_CACHE_DIR: CONTAINER_CACHE } }),
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

/** A cache folder to mount into the build container, and how to save it after a good build. */
export interface DownloadCache {
  readonly host: string;
  readonly container: string;
  readonly env: Readonly<Record<string, string>>;
  save(): Promise<void>;
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
  const { key, restoreKeys } = cacheKeys(inputs, toolCache.tool, await manifestHash(inputs));
  let restored: string | undefined;
  try {
    restored = await cache.restoreCache([host], key, restoreKeys);
    core.info(
      restored
        ? `cache: restored ${toolCache.tool}'s downloads from ${restored}.`
        : `cache: no ${toolCache.tool} cache yet for ${key}.`,
    );
  } catch (error) {
    core.warning(`cache: could not restore ${key}: ${(error as Error).message}`);
  }
  return {
    host,
    container: CONTAINER_CACHE,
    env: toolCache.env,
    save: async () => {
      if (restored === key) return; // the same manifest: nothing new to keep
      if (inputs.cache === 'restore-only') {
        core.info(
          `cache: not saved: this run builds a pull request's code, whose cache a release build would restore.`,
        );
        return;
      }
      try {
        const id = await cache.saveCache([host], key);
        if (id !== -1) core.info(`cache: saved ${toolCache.tool}'s downloads as ${key}.`);
      } catch (error) {
        core.warning(`cache: could not save ${key}: ${(error as Error).message}`);
      }
    },
  };
}

/** The manifest, the lock that decides it and the lock files beside it, as the cache key's last part. */
async function manifestHash(inputs: CacheInputs): Promise<string> {
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
