/**
 * What a built layer contains, read from the package metadata the installer left behind:
 * the pinned package list (for the layer description) and the module names to import in the smoke test.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { text } from 'node:stream/consumers';
import { openZip } from './zip.js';
import type { Family } from '../runtimes/index.js';

export interface LayerPackage {
  readonly name: string;
  readonly version: string;
  /** Names to import (Python top-level modules; the package name for Node.js). */
  readonly imports: readonly string[];
}

type Reader = (layerDir: string, modulePaths: readonly string[]) => Promise<LayerPackage[]>;

const readers: Record<Family, Reader> = {
  python: pythonPackages,
  nodejs: nodePackages,
  java: javaPackages,
  ruby: rubyPackages,
  provided: executables,
};

/** How each ecosystem writes a pinned package: `numpy==2.1.3`, `axios@1.7.9`, `commons-text:1.13.1`, `rack-3.1.8`. */
const PIN_SEPARATORS: Record<Family, string> = {
  python: '==',
  nodejs: '@',
  java: ':',
  ruby: '-',
  provided: '',
};

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
  const separator = PIN_SEPARATORS[family];
  return packages.map((p) => (p.version ? `${p.name}${separator}${p.version}` : p.name)).join(' ');
}

/** A file's text, or undefined when it cannot be read. */
export async function readText(file: string): Promise<string | undefined> {
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

/** The jars in java/lib, named and versioned by their Maven metadata, else by their file names. */
async function javaPackages(layerDir: string, modulePaths: readonly string[]): Promise<LayerPackage[]> {
  const packages: LayerPackage[] = [];
  for (const modulePath of modulePaths) {
    for (const jar of (await entries(path.join(layerDir, modulePath))).filter((n) => n.endsWith('.jar'))) {
      const coordinates = await mavenCoordinates(path.join(layerDir, modulePath, jar));
      const match = /^(.+?)-(\d[^-]*(?:-[A-Za-z][\w.]*)?)\.jar$/.exec(jar);
      packages.push({
        name: coordinates?.name ?? match?.[1] ?? jar.replace(/\.jar$/, ''),
        version: coordinates?.version ?? match?.[2] ?? '?',
        imports: [jar],
      });
    }
  }
  return packages;
}

/**
 * artifactId and version from a jar's META-INF/maven/<group>/<artifact>/pom.properties (a shaded jar
 * has several: the one its file name starts with). Undefined for a jar without them, or no zip at all,
 * which the smoke test then reports.
 */
async function mavenCoordinates(jar: string): Promise<{ name: string; version: string } | undefined> {
  const found: { name: string; version: string }[] = [];
  try {
    const zip = await openZip(jar, { lazyEntries: true });
    for await (const entry of zip.eachEntry()) {
      if (!/^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(entry.fileName)) continue;
      const properties = await text(await zip.openReadStreamPromise(entry));
      const name = /^artifactId=(.+)$/m.exec(properties)?.[1]?.trim();
      const version = /^version=(.+)$/m.exec(properties)?.[1]?.trim();
      if (name && version) found.push({ name, version });
    }
  } catch {
    return undefined;
  }
  const file = path.basename(jar);
  return found.find((c) => file.startsWith(`${c.name}-`)) ?? (found.length === 1 ? found[0] : undefined);
}

/**
 * The gems in the layer's gem folder (from specifications/*.gemspec); the ones the Gemfile names
 * (ruby/Gemfile.lock's DEPENDENCIES, written by the default build) are the ones to require.
 */
async function rubyPackages(layerDir: string, modulePaths: readonly string[]): Promise<LayerPackage[]> {
  const lock = (await readText(path.join(layerDir, 'ruby', 'Gemfile.lock'))) ?? '';
  const dependencies = /^DEPENDENCIES\n((?: {2}.*\n?)*)/m.exec(lock)?.[1] ?? '';
  const direct = new Set(
    dependencies
      .split('\n')
      .map((line) => /^ {2}([^\s!(]+)/.exec(line)?.[1])
      .filter((name): name is string => !!name),
  );
  const packages: LayerPackage[] = [];
  for (const modulePath of modulePaths) {
    const specifications = path.join(layerDir, modulePath, 'specifications');
    for (const file of (await entries(specifications)).filter((n) => n.endsWith('.gemspec'))) {
      const spec = (await readText(path.join(specifications, file))) ?? '';
      const name = /\.name = "([^"]+)"/.exec(spec)?.[1] ?? file.replace(/\.gemspec$/, '');
      const version = /\.version = "([^"]+)"/.exec(spec)?.[1] ?? '?';
      packages.push({ name, version, imports: direct.has(name) ? [name] : [] });
    }
  }
  return packages;
}

/** A custom runtime's executables: the bootstrap Lambda starts, and every file in bin/. */
async function executables(layerDir: string): Promise<LayerPackage[]> {
  const found: string[] = [];
  const isFile = (file: string): Promise<boolean> =>
    fs.stat(path.join(layerDir, file)).then(
      (stat) => stat.isFile(),
      () => false,
    );
  if (await isFile('bootstrap')) found.push('bootstrap');
  for (const name of await entries(path.join(layerDir, 'bin'))) {
    if (await isFile(`bin/${name}`)) found.push(`bin/${name}`);
  }
  return found.map((file) => ({ name: file, version: '', imports: [file] }));
}
