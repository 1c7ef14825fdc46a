/**
 * Which npm packages a build can take from the last build's layer instead of installing them again: a
 * package-lock.json entry (its path and every field: version, integrity, dependencies, flags) that the
 * last build installed. The packages left come as the tarballs the lock names, downloaded where npm would,
 * checked against the lock's integrity and unpacked where `npm ci` would put them
 * (src/smoke/npm-reuse.mjs). npm's own
 * record of the tree, node_modules/.package-lock.json, is written in the form the last build's npm
 * wrote it, which the last build showed this code reproduces byte for byte.
 *
 * Only what that covers exactly is fetched: a package with an install script, programs (`bin`), a
 * platform condition, bundled dependencies or an optional flag is installed by `npm ci` as always.
 */
import { isDeepStrictEqual } from 'node:util';
import { unsafePath } from '../layer/zip.js';
import type { CachedDist } from './python-reuse.js';

/** One `packages` entry of a package-lock.json (lockfileVersion 2 or 3). */
export interface LockEntry {
  readonly [field: string]: unknown;
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly name?: string;
  readonly dev?: boolean;
  readonly bin?: string | Readonly<Record<string, string>>;
}

export interface NpmLock {
  /** The lock's fields other than its package lists (name, version, lockfileVersion, requires). */
  readonly top: Readonly<Record<string, unknown>>;
  readonly packages: Readonly<Record<string, LockEntry>>;
}

/** How the last build's npm wrote node_modules/.package-lock.json from the lock's entries. */
export type HiddenForm = 'as-locked' | 'without-resolved';

/** What the layer cache keeps of an npm build, beside each package's files. */
export interface NpmCache {
  /** The lock entries the last build installed, by path. */
  readonly installed: Readonly<Record<string, LockEntry>>;
  /** The non-dev entries it did not install (npm skipped them for this platform). */
  readonly skipped: Readonly<Record<string, LockEntry>>;
  readonly hidden: HiddenForm;
  /** The empty folders of each installed package (a zip's index lists files only), by path. */
  readonly folders: Readonly<Record<string, readonly string[]>>;
}

/** A package to fetch: where it goes, the lock's URL of its tarball, and the lock's integrity of it. */
export interface NpmFetch {
  readonly path: string;
  readonly url: string;
  readonly integrity: string;
}

export const LAYER_ROOT = 'nodejs';
export const HIDDEN_LOCK = 'node_modules/.package-lock.json';

/** The lock, or why it is not one this reuse reads. */
export function readNpmLock(text: string): NpmLock | { readonly reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { reason: 'is not JSON' };
  }
  const { packages, ...fields } = (parsed ?? {}) as Record<string, unknown>;
  // lockfileVersion 2 also keeps npm 6's `dependencies` tree, which npm's record of node_modules does not.
  const top = without(fields, 'dependencies');
  if (typeof top.lockfileVersion !== 'number' || top.lockfileVersion < 2 || !packages) {
    return { reason: 'has no `packages` list (lockfileVersion 1)' };
  }
  return { top, packages: packages as Record<string, LockEntry> };
}

const without = <T extends Readonly<Record<string, unknown>>>(value: T, field: string): T =>
  Object.fromEntries(Object.entries(value).filter(([name]) => name !== field)) as T;

/** The fields of package.json that npm records in the lock's root entry, and whose change it checks. */
const ROOT_FIELDS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'bundleDependencies',
  'workspaces',
];

/**
 * Why `npm ci` might not take the lock as it is with this package.json (npm refuses a lock out of sync,
 * and reads overrides and workspaces its own way); undefined when package.json asks what the lock says.
 */
export function outOfSync(manifest: Readonly<Record<string, unknown>>, lock: NpmLock): string | undefined {
  if (manifest.overrides !== undefined) return 'package.json has overrides';
  const root = lock.packages[''] ?? {};
  const empty = (value: unknown) => value === undefined || isDeepStrictEqual(value, {});
  const changed = ROOT_FIELDS.find(
    (field) =>
      !(empty(manifest[field]) && empty(root[field])) && !isDeepStrictEqual(manifest[field], root[field]),
  );
  return changed && `package.json's ${changed} are not the lock's: npm ci decides`;
}

/** The entries `npm ci --omit=dev` installs, unless npm skips them for the platform. */
export const wanted = (lock: NpmLock): string[] =>
  Object.keys(lock.packages).filter((key) => key !== '' && !lock.packages[key]!.dev);

/** npm's order of lock paths (`localeCompare` in English, as @isaacs/string-locale-compare). */
const npmOrder = (a: string, b: string): number => a.localeCompare(b, 'en');

/** node_modules/.package-lock.json as npm writes it for `installed`, in `form`. */
export function renderHidden(lock: NpmLock, installed: readonly string[], form: HiddenForm): string {
  const packages: Record<string, LockEntry> = {};
  for (const key of [...installed].sort(npmOrder)) {
    const entry = lock.packages[key]!;
    packages[key] = form === 'as-locked' ? entry : without(entry, 'resolved');
  }
  return `${JSON.stringify({ ...lock.top, packages }, null, 2)}\n`;
}

/** The form npm wrote `text` in for this lock and tree; undefined when neither reproduces it exactly. */
export function hiddenFormOf(
  text: string,
  lock: NpmLock,
  installed: readonly string[],
): HiddenForm | undefined {
  const forms: HiddenForm[] = ['as-locked', 'without-resolved'];
  return forms.find((form) => renderHidden(lock, installed, form) === text);
}

/** The name a lock path installs (`node_modules/@s/x/node_modules/y` → `y`). */
export const nameAt = (key: string): string =>
  key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

/** The node_modules folder a lock path is in (`node_modules/@s/x/node_modules/y` → `node_modules/@s/x/node_modules/`). */
const folderOf = (key: string): string => key.slice(0, key.length - nameAt(key).length);

/** The programs an entry links into its folder's .bin, by name (npm's rule for a string `bin`). */
function binNames(key: string, entry: LockEntry): string[] {
  if (typeof entry.bin === 'string') return [(entry.name ?? nameAt(key)).replace(/^@[^/]+\//, '')];
  return Object.keys(entry.bin ?? {});
}

/**
 * Which installed entry owns each file (or empty folder) of the layer (a package's files; a program in
 * a .bin folder, by the package that declares it), or why one has no single owner. npm's own record
 * and the manifest copies the build writes beside node_modules are nobody's.
 */
export function ownersOf(
  paths: readonly string[],
  lock: NpmLock,
  installed: ReadonlySet<string>,
  folders = false,
): Map<string, string[]> | { readonly reason: string } {
  const owned = new Map<string, string[]>([...installed].map((key) => [key, []]));
  const bins = new Map<string, string[]>();
  for (const key of installed) {
    for (const bin of binNames(key, lock.packages[key]!)) {
      const at = `${folderOf(key)}.bin/${bin}`;
      bins.set(at, [...(bins.get(at) ?? []), key]);
    }
  }
  for (const file of paths) {
    if (!file.startsWith(`${LAYER_ROOT}/`)) return { reason: `${file} is outside ${LAYER_ROOT}/` };
    const rel = file.slice(LAYER_ROOT.length + 1);
    if (!folders && (!rel.includes('/') || rel === HIDDEN_LOCK)) continue; // manifest copies, npm's record
    const owner = ownerOf(rel, installed, bins);
    if (typeof owner !== 'string') return owner;
    owned.get(owner)!.push(file);
  }
  return owned;
}

function ownerOf(
  rel: string,
  installed: ReadonlySet<string>,
  bins: ReadonlyMap<string, string[]>,
): string | { readonly reason: string } {
  const parts = rel.split('/');
  let owner: string | undefined;
  let at = 0;
  while (parts[at] === 'node_modules' && at + 2 < parts.length) {
    if (parts[at + 1] === '.bin') {
      const providers = bins.get(parts.slice(0, at + 3).join('/')) ?? [];
      if (providers.length !== 1 || at + 3 !== parts.length) {
        return { reason: `${rel} is not the program of exactly one package` };
      }
      return providers[0]!;
    }
    const length = parts[at + 1]!.startsWith('@') ? 2 : 1;
    const key = parts.slice(0, at + 1 + length).join('/');
    if (!installed.has(key)) break;
    owner = key;
    at += 1 + length;
  }
  return owner ?? { reason: `${rel} belongs to no package the lock installs` };
}

export interface NpmPlan {
  /** The packages that come back from the last build's layer, and their files and empty folders. */
  readonly reuse: readonly string[];
  readonly files: readonly string[];
  readonly folders: readonly string[];
  readonly fetch: readonly NpmFetch[];
  /** Every package the layer holds: the reused and the fetched. */
  readonly installed: readonly string[];
}

/** A lock path npm installs into: node_modules/<name> (scoped or not), nested any number of times. */
const PACKAGE_PATH =
  /^node_modules\/(?:@[^/.][^/]*\/)?[^/.@][^/]*(?:\/node_modules\/(?:@[^/.][^/]*\/)?[^/.@][^/]*)*$/;

/** What the last build's layer gives this build, and what npm still fetches; or why it cannot. */
export function planNpmReuse(
  lock: NpmLock,
  cache: NpmCache,
  dists: readonly CachedDist[],
  inZip: ReadonlySet<string>,
): NpmPlan | { reason: string } {
  const filesOf = new Map(dists.map((dist) => [dist.name, dist.files]));
  const reuse = new Set<string>();
  const toFetch: string[] = [];
  for (const key of wanted(lock)) {
    if (!PACKAGE_PATH.test(key)) return { reason: `${key} is not a node_modules folder` };
    const entry = lock.packages[key]!;
    if (isDeepStrictEqual(cache.skipped[key], entry)) continue; // skipped again, as npm would
    const files = filesOf.get(key);
    const same = isDeepStrictEqual(cache.installed[key], entry);
    if (same && files && files.length > 0 && files.every((file) => inZip.has(file))) reuse.add(key);
    else toFetch.push(key);
  }
  // A package fetched anew is unpacked as one folder: what the last build had inside it comes anew too.
  for (const key of [...reuse]) {
    if (toFetch.some((parent) => key.startsWith(`${parent}/`))) {
      reuse.delete(key);
      toFetch.push(key);
    }
  }
  const fetch: NpmFetch[] = [];
  for (const key of toFetch.sort(npmOrder)) {
    const entry = lock.packages[key]!;
    const why = cannotFetch(entry);
    if (why) return { reason: `${key} ${why}` };
    fetch.push({ path: key, url: entry.resolved!, integrity: entry.integrity! });
  }
  const installed = [...reuse, ...toFetch];
  const programs = new Map<string, string>();
  for (const key of installed) {
    for (const bin of binNames(key, lock.packages[key]!)) {
      const at = `${folderOf(key)}${bin}`;
      const other = programs.get(at);
      if (other) return { reason: `${key} and ${other} both link the program ${bin}` };
      programs.set(at, key);
    }
  }
  const files = [...reuse].flatMap((key) => filesOf.get(key)!).sort();
  const folders: string[] = [];
  for (const key of reuse) {
    for (const folder of cache.folders[key] ?? []) {
      if (unsafePath(folder) !== undefined || !folder.startsWith(`${LAYER_ROOT}/${key}/`)) {
        return { reason: `the last build's index gives ${key} the folder ${folder} (corrupt cache?)` };
      }
      folders.push(folder);
    }
  }
  return { reuse: [...reuse].sort(npmOrder), files, folders, fetch, installed };
}

/** Why npm's tarball alone is not the package `npm ci` installs; undefined when it is. */
function cannotFetch(entry: LockEntry): string | undefined {
  if (entry.link) return 'is a link to a folder';
  if (entry.hasInstallScript) return 'has an install script';
  if (entry.bin) return 'links programs (bin)';
  if (entry.os || entry.cpu || entry.libc) return 'is for some platforms only';
  if (entry.optional || entry.devOptional) return 'is optional (npm may skip it)';
  if (entry.inBundle || entry.bundleDependencies) return 'bundles dependencies';
  if (typeof entry.version !== 'string') return 'has no version';
  if (typeof entry.integrity !== 'string' || !/(^|\s)sha512-/.test(entry.integrity)) {
    return 'has no sha512 integrity';
  }
  // A lock written with omit-lockfile-registry-resolved leaves the URL to the registry's metadata.
  if (entry.resolved === undefined) return 'has no resolved URL';
  if (!/^https?:\/\/\S+\.tgz$/.test(entry.resolved)) return 'does not come from a registry';
  return undefined;
}
