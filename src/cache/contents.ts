/**
 * What a download cache folder holds, and what a build did with it: which files it added (its new
 * downloads) and which restored files it read (what the manifest needs). Reads are seen through the
 * files' access times: set to the epoch after a restore, a read moves them forward (relatime and
 * strictatime mounts do; a noatime mount does not, and then nothing is pruned).
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** A file of the cache folder, by its path inside the folder. */
export interface CacheFile {
  readonly size: number;
  readonly mtimeMs: number;
  readonly atimeMs: number;
}

export type Contents = ReadonlyMap<string, CacheFile>;

/** Every file under `root` (none when it does not exist), except those under a top-level `ignore` name. */
export async function listContents(root: string, ignore: readonly string[] = []): Promise<Contents> {
  const files = new Map<string, CacheFile>();
  let entries;
  try {
    entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  } catch {
    return files;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(root, file);
    if (ignore.includes(relative.split(path.sep)[0]!)) continue;
    const stat = await fs.stat(file);
    files.set(relative, { size: stat.size, mtimeMs: stat.mtimeMs, atimeMs: stat.atimeMs });
  }
  return files;
}

export const totalBytes = (files: Iterable<CacheFile>): number =>
  [...files].reduce((sum, file) => sum + file.size, 0);

/** The files a build added or rewrote: its downloads. */
export function newFiles(before: Contents, after: Contents): Map<string, CacheFile> {
  const added = new Map<string, CacheFile>();
  for (const [name, file] of after) {
    const old = before.get(name);
    if (!old || old.size !== file.size || old.mtimeMs !== file.mtimeMs) added.set(name, file);
  }
  return added;
}

/**
 * Marks every restored file unread (access time: the epoch; the modification time stays), then reads
 * one to learn whether this file system records reads. True when it does.
 */
export async function markUnread(root: string, contents: Contents): Promise<boolean> {
  for (const [name, file] of contents) {
    await fs.utimes(path.join(root, name), 0, new Date(file.mtimeMs));
  }
  const probe = [...contents.keys()][0];
  if (probe === undefined) return false;
  const handle = await fs.open(path.join(root, probe));
  try {
    await handle.read(Buffer.alloc(1), 0, 1, 0);
  } finally {
    await handle.close();
  }
  const seen = (await fs.stat(path.join(root, probe))).atimeMs > 0;
  await fs.utimes(path.join(root, probe), 0, new Date(contents.get(probe)!.mtimeMs));
  return seen;
}

/** Restored files that the build neither read nor rewrote: what the manifest no longer needs. */
export function unreadFiles(restored: Contents, after: Contents): string[] {
  return [...restored.keys()].filter((name) => {
    const now = after.get(name);
    return now !== undefined && now.atimeMs === 0 && now.mtimeMs === restored.get(name)!.mtimeMs;
  });
}

/** Deletes these files of the cache folder. */
export async function removeFiles(root: string, names: readonly string[]): Promise<void> {
  for (const name of names) await fs.rm(path.join(root, name), { force: true });
}
