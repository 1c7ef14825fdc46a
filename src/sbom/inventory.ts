/**
 * What the layer tree holds, for the bill of materials: the packages each family's reader finds in
 * the module folders (one entry per package, wherever it is installed), the native files the native
 * check read, each inside the package that owns it, and the files that belong to no package.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { fileSha256 } from '../layer/zip.js';
import type { NativeFile } from '../layer/native.js';
import type { Family } from '../runtimes/index.js';
import { javaPackages } from './java.js';
import { nodePackages } from './node.js';
import { pythonPackages } from './python.js';
import { rubyPackages } from './ruby.js';
import { entries } from './tree.js';
import type { Found, FoundPackage, SkippedMetadata } from './types.js';

type Reader = (layerDir: string, modulePaths: readonly string[]) => Promise<Found>;

const READERS: Record<Family, Reader> = {
  python: pythonPackages,
  nodejs: nodePackages,
  java: javaPackages,
  ruby: rubyPackages,
  provided: async () => ({ packages: [], skipped: [] }),
};

/** A package of the layer: every place it is installed, and the native files in them. */
export interface LayerPackage extends FoundPackage {
  /** Every place it is installed (its `path` first), sorted. */
  readonly paths: readonly string[];
  readonly native: readonly NativeFile[];
}

/** A file that belongs to no package: a custom runtime's executable, a native library in lib/. */
export interface LooseFile {
  readonly path: string;
  readonly sha256: string;
  readonly native?: NativeFile;
}

export interface Inventory {
  readonly packages: readonly LayerPackage[];
  readonly files: readonly LooseFile[];
  readonly skipped: readonly SkippedMetadata[];
}

export async function takeInventory(
  family: Family,
  layerDir: string,
  modulePaths: readonly string[],
  nativeFiles: readonly NativeFile[],
): Promise<Inventory> {
  const found = await READERS[family](layerDir, modulePaths);
  const merged = mergeByIdentity(found.packages);
  const owners = new Owners(merged.map((entry) => entry.found));
  const native = new Map<FoundPackage, NativeFile[]>();
  const loose: { path: string; native?: NativeFile }[] = [];
  for (const file of nativeFiles) {
    const owner = owners.of(file.path);
    if (owner) native.set(owner, [...(native.get(owner) ?? []), file]);
    else loose.push({ path: file.path, native: file });
  }
  if (family === 'provided') {
    const elf = new Set(nativeFiles.map((f) => f.path));
    for (const file of await executables(layerDir)) if (!elf.has(file)) loose.push({ path: file });
  }
  const packages = merged.map(({ first, found: all }) => ({
    ...first,
    licences: [...new Set(all.flatMap((p) => p.licences))],
    paths: [...new Set(all.map((p) => p.path))].sort(),
    native: all.flatMap((p) => native.get(p) ?? []).sort((a, b) => (a.path < b.path ? -1 : 1)),
  }));
  const files = await Promise.all(
    loose
      .sort((a, b) => (a.path < b.path ? -1 : 1))
      .map(async (file) => ({ ...file, sha256: await fileSha256(path.join(layerDir, file.path), 'hex') })),
  );
  return { packages, files, skipped: found.skipped };
}

/** The identity of a package: what its package URL says (name compared as its ecosystem compares names). */
function identity(p: FoundPackage): string {
  const name = p.ecosystem === 'pypi' ? p.name.toLowerCase().replace(/[-_.]+/g, '-') : p.name;
  return JSON.stringify([p.ecosystem, p.group ?? '', name, p.version ?? '', p.qualifiers ?? {}]);
}

/** One entry per package identity (a package installed in several folders is one package), in found order. */
function mergeByIdentity(
  packages: readonly FoundPackage[],
): { first: FoundPackage; found: FoundPackage[] }[] {
  const byIdentity = new Map<string, { first: FoundPackage; found: FoundPackage[] }>();
  for (const p of packages) {
    const key = identity(p);
    const entry = byIdentity.get(key);
    if (entry) entry.found.push(p);
    else byIdentity.set(key, { first: p, found: [p] });
  }
  return [...byIdentity.values()];
}

/** Which package owns a layer path: one that lists the file, else the deepest folder that holds it. */
class Owners {
  private readonly files = new Map<string, FoundPackage>();
  private readonly folders: [string, FoundPackage][] = [];

  constructor(packages: readonly FoundPackage[][]) {
    for (const p of packages.flat()) {
      for (const owned of p.owns) {
        if (owned.endsWith('/')) this.folders.push([owned, p]);
        else if (!this.files.has(owned)) this.files.set(owned, p);
      }
    }
    this.folders.sort((a, b) => b[0].length - a[0].length);
  }

  of(file: string): FoundPackage | undefined {
    return this.files.get(file) ?? this.folders.find(([folder]) => file.startsWith(folder))?.[1];
  }
}

/** A custom runtime's executables: the bootstrap Lambda starts, and every file in bin/. */
async function executables(layerDir: string): Promise<string[]> {
  const isFile = (file: string): Promise<boolean> =>
    fs.lstat(path.join(layerDir, file)).then(
      (stat) => stat.isFile(),
      () => false,
    );
  const found: string[] = [];
  if (await isFile('bootstrap')) found.push('bootstrap');
  for (const name of await entries(path.join(layerDir, 'bin'))) {
    if (await isFile(`bin/${name}`)) found.push(`bin/${name}`);
  }
  return found;
}
