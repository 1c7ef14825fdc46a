/**
 * Which Python packages a build can take from the last build's layer instead of installing them again:
 * a package pinned by name, version (and hashes, when given) that the last build installed with the
 * same runtime, image and settings (the cache key holds those). Only an exact pin is reused; anything
 * else is installed by pip as always.
 *
 * What each installed package owns comes from pip's own record of it (`*.dist-info/RECORD`).
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { readText } from '../layer/packages.js';
import { requirementLines } from '../layer/pinned.js';
import { requirementSpec, type PythonExport } from '../manifests/python/index.js';

/** One exact pin, as pip reads it. */
export interface PinnedRequirement {
  /** PEP 503 normalised name. */
  readonly name: string;
  readonly version: string;
  readonly extras: readonly string[];
  /** `sha256:…`, sorted; empty when the pin has none. */
  readonly hashes: readonly string[];
  /** The line pip reads (continuations joined, comment dropped). */
  readonly text: string;
}

/** A requirements list every requirement of which is an exact pin: what the reuse can work with. */
export interface PinnedList {
  readonly requirements: readonly PinnedRequirement[];
  /** Option lines of a requirements file (`--index-url …`), kept for the packages still to install. */
  readonly options: readonly string[];
  /**
   * True for a requirements file: pip resolves its dependencies, so the reused and the new packages
   * are checked to need nothing else (src/smoke/pip-reuse.py). A lock's list is its closure already.
   */
  readonly resolves: boolean;
}

/** A package of the last build's layer: its pin and the layer paths it owns. */
export interface CachedDist {
  readonly name: string;
  readonly version: string;
  readonly hashes: readonly string[];
  readonly files: readonly string[];
}

export const normalizeName = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

const PIN = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*===?\s*([^\s*,;]+)\s*(?:;.*)?$/;
const HASH = /\s--hash[=\s]\s*(\S+)/g;
/** Options a requirements file may hold that only say where packages come from. */
const SOURCE_OPTION =
  /^(?:-i|--index-url|--extra-index-url|--no-index|-f|--find-links|--trusted-host|--prefer-binary|--only-binary|--no-binary|--require-hashes)(?:[=\s]|$)/;

/**
 * The pins of a requirements file, or why it has something else (an include, an editable, a URL, an
 * unpinned requirement, a per-requirement option other than --hash).
 */
export function pinnedRequirements(text: string): PinnedList | { readonly reason: string } {
  const requirements: PinnedRequirement[] = [];
  const options: string[] = [];
  for (const { text: line, number } of requirementLines(text)) {
    if (line.startsWith('-')) {
      if (!SOURCE_OPTION.test(line)) return { reason: `line ${number} holds an option other than an index` };
      options.push(line);
      continue;
    }
    const hashes = [...line.matchAll(HASH)].map((m) => m[1]!).sort();
    const spec = line.replace(HASH, '').trim();
    const pin = PIN.exec(spec);
    if (!pin || /\s--/.test(` ${spec}`)) return { reason: `line ${number} is not name==version` };
    const extras = (pin[2] ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    requirements.push({ name: normalizeName(pin[1]!), version: pin[3]!, extras, hashes, text: line });
  }
  return { requirements, options, resolves: true };
}

/** The pins of a lock's export; undefined when it has path or git sources (installed without hashes). */
export function pinnedLock(exported: PythonExport): PinnedList | undefined {
  const requirements: PinnedRequirement[] = [];
  for (const req of exported.requirements) {
    const pinned = req.version !== undefined && req.path === undefined && req.url === undefined;
    if (!pinned || req.hashes.length === 0) return undefined;
    const hashes = [...req.hashes].sort();
    requirements.push({
      name: normalizeName(req.name),
      version: req.version,
      extras: [],
      hashes,
      text: `${requirementSpec(req)} ${hashes.map((h) => `--hash=${h}`).join(' ')}`,
    });
  }
  return { requirements, options: [], resolves: false };
}

/** The pins to reuse and those left to install, given the last build's packages and zip entries. */
export function planPythonReuse(
  list: PinnedList,
  cached: readonly CachedDist[],
  inZip: ReadonlySet<string>,
): { reuse: PinnedRequirement[]; install: PinnedRequirement[]; files: string[] } {
  const byPin = new Map(cached.map((dist) => [pinKey(dist), dist]));
  const reuse: PinnedRequirement[] = [];
  const install: PinnedRequirement[] = [];
  const files = new Set<string>();
  for (const req of list.requirements) {
    const dist = byPin.get(pinKey(req));
    if (dist && dist.files.length > 0 && dist.files.every((file) => inZip.has(file))) {
      reuse.push(req);
      for (const file of dist.files) files.add(file);
    } else install.push(req);
  }
  return { reuse, install, files: [...files].sort() };
}

const pinKey = (pin: { name: string; version: string; hashes: readonly string[] }): string =>
  JSON.stringify([normalizeName(pin.name), pin.version.toLowerCase(), [...pin.hashes].sort()]);

/** The requirements file for the packages left to install: the options, then their lines. */
export function missingRequirements(list: PinnedList, install: readonly PinnedRequirement[]): string {
  return [...list.options, ...install.map((req) => req.text)].map((line) => `${line}\n`).join('');
}

/**
 * The packages installed in `installDir` of the layer, each with the layer paths it owns (from its
 * RECORD, as pip's --target lays them out), matched to this build's pins for their hashes. A package
 * whose record is missing, or leads out of the install folder, is left out.
 */
export async function installedDists(
  layerDir: string,
  installDir: string,
  list: PinnedList,
  inZip: ReadonlySet<string>,
): Promise<CachedDist[]> {
  const root = path.join(layerDir, installDir);
  const pins = new Map(list.requirements.map((req) => [`${req.name} ${req.version.toLowerCase()}`, req]));
  const dists: CachedDist[] = [];
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch {
    return [];
  }
  for (const folder of names.filter((name) => name.endsWith('.dist-info'))) {
    const metadata = (await readText(path.join(root, folder, 'METADATA'))) ?? '';
    const record = await readText(path.join(root, folder, 'RECORD'));
    const name = /^Name:\s*(.+)$/m.exec(metadata)?.[1]?.trim();
    const version = /^Version:\s*(.+)$/m.exec(metadata)?.[1]?.trim();
    if (!name || !version || !record) continue;
    const files = recordFiles(record, installDir);
    if (!files) continue;
    const pin = pins.get(`${normalizeName(name)} ${version.toLowerCase()}`);
    dists.push({
      name: normalizeName(name),
      version: pin?.version ?? version,
      hashes: pin?.hashes ?? [],
      files: files.filter((file) => inZip.has(file)),
    });
  }
  return dists;
}

/**
 * The layer paths a RECORD lists. pip writes them relative to the package folder of a `--home` install
 * (`lib/python/`), whose home becomes the target: `../../bin/f2py` is `bin/f2py` of the target.
 */
export function recordFiles(record: string, installDir: string): string[] | undefined {
  const files: string[] = [];
  for (const line of record.split(/\r?\n/)) {
    if (line === '') continue;
    const entry = line.startsWith('"')
      ? /^"((?:[^"]|"")*)"/.exec(line)?.[1]?.replaceAll('""', '"')
      : line.split(',')[0];
    if (!entry) return undefined;
    const inHome = path.posix.normalize(`lib/python/${entry}`);
    if (inHome.startsWith('../') || path.posix.isAbsolute(entry)) return undefined;
    const inTarget = inHome.startsWith('lib/python/') ? inHome.slice('lib/python/'.length) : inHome;
    files.push(`${installDir}/${inTarget}`);
  }
  return files;
}
