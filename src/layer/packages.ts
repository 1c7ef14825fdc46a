/**
 * What a built layer contains, read from the package metadata the installer left behind:
 * the pinned package list (for the layer description) and the module names to import in the smoke test.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Family } from '../runtimes.js';

export interface LayerPackage {
  readonly name: string;
  readonly version: string;
  /** Names to import (Python top-level modules; the package name for Node.js). */
  readonly imports: readonly string[];
}

type Reader = (layerDir: string, modulePaths: readonly string[]) => Promise<LayerPackage[]>;

const readers: Record<Family, Reader> = { python: pythonPackages, nodejs: nodePackages };

/** Packages installed in the layer's module folders, sorted by name. */
export async function listPackages(
  family: Family,
  layerDir: string,
  modulePaths: readonly string[],
): Promise<LayerPackage[]> {
  const packages = await readers[family](layerDir, modulePaths);
  return packages.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
}

/** `numpy==2.1.3 pandas==2.2.3` or `axios@1.7.9`: the pinned list people recognise. */
export function pinnedList(family: Family, packages: readonly LayerPackage[]): string {
  const separator = family === 'python' ? '==' : '@';
  return packages.map((p) => `${p.name}${separator}${p.version}`).join(' ');
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function entries(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch {
    return [];
  }
}

/** From each `*.dist-info`: name and version from METADATA, modules from top_level.txt or RECORD. */
async function pythonPackages(layerDir: string, modulePaths: readonly string[]): Promise<LayerPackage[]> {
  const packages: LayerPackage[] = [];
  for (const modulePath of modulePaths) {
    const dir = path.join(layerDir, modulePath);
    const names = await entries(dir);
    const present = new Set(names.map((name) => importableName(name)).filter(Boolean));
    for (const distInfo of names.filter((name) => name.endsWith('.dist-info'))) {
      const metadata = (await readText(path.join(dir, distInfo, 'METADATA'))) ?? '';
      const [fallbackName = distInfo, fallbackVersion = '?'] = distInfo
        .replace(/\.dist-info$/, '')
        .split('-');
      const name = /^Name: (.+)$/m.exec(metadata)?.[1]?.trim() ?? fallbackName;
      const version = /^Version: (.+)$/m.exec(metadata)?.[1]?.trim() ?? fallbackVersion;
      const topLevel = await readText(path.join(dir, distInfo, 'top_level.txt'));
      const record = topLevel === undefined ? await readText(path.join(dir, distInfo, 'RECORD')) : undefined;
      const candidates = (topLevel ?? record ?? '')
        .split('\n')
        .map((line) => line.split(',')[0]!.split('/')[0]!.trim())
        .map((first) => importableName(first))
        .filter((module): module is string => !!module && present.has(module));
      packages.push({ name, version, imports: [...new Set(candidates)].sort() });
    }
  }
  return packages;
}

/** The module a site-packages entry provides (`yaml/` → yaml, `six.py` → six, `_foo.cpython-311-x86_64-linux-gnu.so` → _foo). */
function importableName(entry: string): string | undefined {
  if (entry.endsWith('.dist-info') || entry.endsWith('.data') || entry === '__pycache__' || entry === 'bin') {
    return undefined;
  }
  const module = entry
    .replace(/\.py$/, '')
    .replace(/\.(cpython|abi3|cp)[^/]*\.(so|pyd)$/, '')
    .replace(/\.so$/, '');
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(module) ? module : undefined;
}

/** The dependencies of nodejs/package.json (or every top-level package when there is none). */
async function nodePackages(layerDir: string, modulePaths: readonly string[]): Promise<LayerPackage[]> {
  const packages: LayerPackage[] = [];
  for (const modulePath of modulePaths) {
    const modulesDir = path.join(layerDir, modulePath);
    const manifest = await readText(path.join(modulesDir, '..', 'package.json'));
    let names: string[];
    if (manifest !== undefined) {
      names = Object.keys(
        (JSON.parse(manifest) as { dependencies?: Record<string, string> }).dependencies ?? {},
      );
    } else {
      names = [];
      for (const entry of await entries(modulesDir)) {
        if (entry.startsWith('.')) continue;
        if (entry.startsWith('@'))
          names.push(...(await entries(path.join(modulesDir, entry))).map((n) => `${entry}/${n}`));
        else names.push(entry);
      }
    }
    for (const name of names) {
      const installed = await readText(path.join(modulesDir, name, 'package.json'));
      const version =
        installed === undefined
          ? 'missing'
          : ((JSON.parse(installed) as { version?: string }).version ?? '?');
      packages.push({ name, version, imports: [name] });
    }
  }
  return packages;
}
