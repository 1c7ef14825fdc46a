/** Small helpers the readers share: listing a folder of the layer, and recording a skipped metadata file. */
import pLimit from 'p-limit';
import * as fs from 'node:fs/promises';
import { oneLine } from '../log.js';
import { MetadataError } from './metadata.js';
import type { Found, SkippedMetadata } from './types.js';

/** The names in a folder, sorted; none when it is not there (or not a folder). */
export async function entries(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** The names of the sub-folders (not links) of a folder, sorted. */
export async function folders(dir: string): Promise<string[]> {
  try {
    const found = await fs.readdir(dir, { withFileTypes: true });
    return found
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/** Why a package folder's metadata was skipped: a MetadataError says it in words; anything else is "unreadable". */
export function skip(folder: string, error: unknown): SkippedMetadata {
  const reason = error instanceof MetadataError ? error.message : 'its metadata cannot be read';
  return { folder: oneLine(folder), reason };
}

/** `{ key: value }`, or `{}` when the value is undefined: optional fields stay absent. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Reads can overlap: package folders are many small files, and a build may hold thousands. */
const limit = pLimit(16);

/** `read` for each item, up to 16 at a time; what they found joined in the items' order. */
export async function readEach<T>(items: readonly T[], read: (item: T) => Promise<Found>): Promise<Found> {
  const results = await Promise.all(items.map((item) => limit(() => read(item))));
  return {
    packages: results.flatMap((r) => r.packages),
    skipped: results.flatMap((r) => r.skipped),
  };
}
