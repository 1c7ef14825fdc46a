/**
 * The opt-in trim (`trim: true`): removes what a layer carries but no function loads, before the zip
 * is written. Every rule is conservative; the smoke test always runs after it, so a trim that breaks
 * an import fails the run instead of a function.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { elfMachine, trimFolders, type Architecture, type Runtime } from '../runtimes/index.js';

export interface TrimSummary {
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  readonly bytesSaved: number;
  readonly removedFiles: number;
  readonly strippedFiles: number;
  /** Bytes saved by each rule, for the log. */
  readonly byRule: Readonly<Record<string, number>>;
  /** Rules that could not run, and why (e.g. no strip in the build image). */
  readonly notes: readonly string[];
}

/** Strips debug sections from these files (paths relative to the layer); returns a note when it could not. */
export type Strip = (files: readonly string[]) => Promise<string | undefined>;

// Test suites inside a package: never imported by the package itself.
const TEST_FOLDERS = new Set(['test', 'tests', '__tests__']);
// What importlib.metadata reads (METADATA, RECORD, entry_points.txt, top_level.txt), what
// pkg_resources still reads for old namespace packages, and license texts, which redistribution of
// the packages (a published layer is one) must keep.
const DIST_INFO_KEEP =
  /^(METADATA|RECORD|entry_points\.txt|top_level\.txt|namespace_packages\.txt|licenses|(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*)$/i;
const SHARED_OBJECT = /\.so(\.\d+)*$/;

export async function trimLayer(
  layerDir: string,
  runtime: Runtime,
  buildArchitecture: Architecture,
  strip: Strip,
): Promise<TrimSummary> {
  const bytesBefore = await treeSize(layerDir);
  const byRule: Record<string, number> = {};
  const notes: string[] = [];
  let removedFiles = 0;
  const removed: string[] = [];
  const remove = async (relative: string, rule: string): Promise<void> => {
    removed.push(relative);
    const target = path.join(layerDir, relative);
    const { bytes, files } = await measure(target);
    await fs.rm(target, { recursive: true, force: true });
    byRule[rule] = (byRule[rule] ?? 0) + bytes;
    removedFiles += files;
  };

  for (const folder of trimFolders(runtime)) await remove(folder, 'gem cache and docs');

  const sharedObjects: string[] = [];
  for (const entry of await walk(layerDir)) {
    if (removed.some((folder) => entry.path.startsWith(`${folder}/`))) continue;
    const name = path.posix.basename(entry.path);
    const parent = path.posix.basename(path.posix.dirname(entry.path));
    if (entry.dir && name === '__pycache__') await remove(entry.path, 'bytecode caches');
    else if (!entry.dir && name.endsWith('.pyc')) await remove(entry.path, 'bytecode caches');
    else if (entry.dir && TEST_FOLDERS.has(name) && insidePackage(entry.path, runtime))
      await remove(entry.path, 'test folders');
    else if (parent.endsWith('.dist-info') && !DIST_INFO_KEEP.test(name))
      await remove(entry.path, 'dist-info extras');
    else if (!entry.dir && SHARED_OBJECT.test(name)) sharedObjects.push(entry.path);
  }

  // Only ELF files for the build image's own architecture: its strip knows no other.
  const strippable: string[] = [];
  let foreign = 0;
  for (const file of sharedObjects) {
    const machine = await elfMachineOf(path.join(layerDir, file));
    if (machine === elfMachine(buildArchitecture)) strippable.push(file);
    else if (machine !== undefined) foreign++;
  }
  if (foreign > 0) {
    notes.push(
      `${foreign} shared object(s) for another architecture than the build image's were not stripped`,
    );
  }
  let strippedFiles = 0;
  if (strippable.length > 0) {
    const before = await sizes(layerDir, strippable);
    const failure = await strip(strippable);
    if (failure) notes.push(failure);
    else strippedFiles = strippable.length;
    byRule['debug symbols'] = before - (await sizes(layerDir, strippable));
  }

  const bytesAfter = await treeSize(layerDir);
  return {
    bytesBefore,
    bytesAfter,
    bytesSaved: bytesBefore - bytesAfter,
    removedFiles,
    strippedFiles,
    byRule,
    notes,
  };
}

/** `pkg/tests` is inside a package; `tests` right in a module path is a top-level package of that name. */
function insidePackage(relative: string, runtime: Runtime): boolean {
  const modulePath = runtime.modulePaths.find((dir) => relative.startsWith(`${dir}/`));
  if (modulePath === undefined) return false;
  const parts = relative.slice(modulePath.length + 1).split('/');
  // A scoped npm package (@scope/name) is one level deeper.
  const depth = parts[0]!.startsWith('@') ? parts.length - 1 : parts.length;
  return depth >= 2;
}

interface WalkEntry {
  readonly path: string;
  readonly dir: boolean;
}

/** Every entry below `root`, parents before children; links are not followed. */
async function walk(root: string, relative = ''): Promise<WalkEntry[]> {
  const found: WalkEntry[] = [];
  const dirents = await fs.readdir(path.join(root, relative), { withFileTypes: true });
  for (const dirent of dirents.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const entryPath = relative ? `${relative}/${dirent.name}` : dirent.name;
    found.push({ path: entryPath, dir: dirent.isDirectory() });
    if (dirent.isDirectory()) found.push(...(await walk(root, entryPath)));
  }
  return found;
}

async function measure(target: string): Promise<{ bytes: number; files: number }> {
  const stat = await fs.lstat(target).catch(() => undefined);
  if (!stat) return { bytes: 0, files: 0 };
  if (!stat.isDirectory()) return { bytes: stat.size, files: 1 };
  let bytes = 0;
  let files = 0;
  for (const entry of await walk(target)) {
    if (entry.dir) continue;
    bytes += (await fs.lstat(path.join(target, entry.path))).size;
    files++;
  }
  return { bytes, files };
}

async function treeSize(root: string): Promise<number> {
  return (await measure(root)).bytes;
}

async function sizes(root: string, files: readonly string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += (await fs.stat(path.join(root, file))).size;
  return total;
}

/** e_machine of an ELF file, or undefined for anything else. */
async function elfMachineOf(file: string): Promise<number | undefined> {
  const handle = await fs.open(file, 'r');
  try {
    const header = Buffer.alloc(20);
    const { bytesRead } = await handle.read(header, 0, 20, 0);
    if (bytesRead < 20 || header.readUInt32BE(0) !== 0x7f454c46) return undefined;
    // EI_DATA 1 is little-endian, as on every architecture Lambda has.
    return header[5] === 1 ? header.readUInt16LE(18) : header.readUInt16BE(18);
  } finally {
    await handle.close();
  }
}
