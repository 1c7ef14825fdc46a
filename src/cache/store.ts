/**
 * The download cache in the Actions cache service: its ledger (a tiny entry of its own, read before
 * the cache is restored) and the save, which the post step makes once the job's steps are done, so it
 * is never on the release's critical path. @actions/cache is imported only when used.
 */
import * as core from '@actions/core';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { parseLedger, type Ledger } from './ledger.js';

/** The state (core.saveState) that hands a pending save from the main step to the post step. */
export const SAVE_STATE = 'download-cache';

/** Said instead of a save on a pull request's run (`cache` is restore-only there: docs/security.md). */
export const NOT_SAVED_ON_A_PULL_REQUEST =
  "cache: not saved: this run builds a pull request's code, whose cache a release build would restore.";

/** A cache folder to save, and the ledger that goes with it (its key is the cache's key). */
export interface PendingSave {
  readonly path: string;
  readonly ledger: Ledger;
  /** What the folder holds, for the log: the downloads (the default) or the layer. */
  readonly what?: string;
}

/** Ledger keys live beside the cache keys, under a prefix no cache key starts with. */
const LEDGER_PREFIX = 'ledger-';
const ledgerFolder = (cacheFolder: string): string => `${cacheFolder}-ledger`;
const LEDGER_FILE = 'ledger.json';

/** The ledger of the newest cache these keys would restore; undefined when there is none. */
export async function restoreLedger(
  cacheFolder: string,
  keys: { key: string; restoreKeys: readonly string[] },
): Promise<Ledger | undefined> {
  const cache = await import('@actions/cache');
  const folder = ledgerFolder(cacheFolder);
  try {
    const restoreKeys = keys.restoreKeys.map((key) => LEDGER_PREFIX + key);
    const found = await cache.restoreCache([folder], LEDGER_PREFIX + keys.key, restoreKeys);
    if (!found) return undefined;
    return parseLedger(await fs.readFile(path.join(folder, LEDGER_FILE), 'utf8'));
  } catch (error) {
    core.debug(`cache: no ledger: ${(error as Error).message}`);
    return undefined;
  }
}

/** The post step's save: the cache folder under its key, then its ledger. A failure is a warning. */
export async function saveDownloadCache(pending: PendingSave): Promise<void> {
  const cache = await import('@actions/cache');
  const { key } = pending.ledger;
  const started = Date.now();
  try {
    const id = await cache.saveCache([pending.path], key);
    if (id === -1) return;
    // A ledger that measured nothing cannot weigh a restore (restoreCostsMore): not worth an entry.
    if (pending.ledger.download || pending.ledger.restore) {
      const folder = ledgerFolder(pending.path);
      await fs.mkdir(folder, { recursive: true });
      await fs.writeFile(path.join(folder, LEDGER_FILE), JSON.stringify(pending.ledger));
      await cache.saveCache([folder], LEDGER_PREFIX + key);
    }
    core.info(
      `cache: saved ${pending.what ?? 'the downloads'} as ${key} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
  } catch (error) {
    core.warning(`cache: could not save ${key}: ${(error as Error).message}`);
  }
}

/** The save the main step left for the post step, if any. */
export function pendingSave(): PendingSave | undefined {
  const text = core.getState(SAVE_STATE);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as PendingSave;
  } catch {
    return undefined;
  }
}
