/**
 * Python locks (issue 30): uv.lock, poetry.lock and Pipfile.lock are turned, on the host, into a pinned
 * requirements list with hashes that the build image's pip installs with `--require-hashes --no-deps`,
 * so no locking tool is needed in the image and `cross-install` works as with a requirements file.
 *
 * The lock is read as data from a repository that may be hostile: bounded in size and depth, every
 * name, version, hash, marker and URL checked against a strict pattern before it reaches the list, no
 * index option ever taken from it, and paths refused when they lead out of working-directory (through
 * the host guard's resolver). Messages name the file and line, never what the file holds.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { locate, readRepoFile, type RepoRoot } from '../host-guard.js';
import { CONTAINER_SOURCE } from '../runtimes/index.js';
import {
  ALWAYS,
  and,
  isAlways,
  MarkerError,
  markerText,
  NEVER,
  or,
  parseMarker,
  type Dnf,
} from './markers.js';
import type { ManifestSource } from './types.js';

/** The most bytes of a lock or project file the host reads. */
export const MAX_LOCK_BYTES = 32 * 1024 * 1024;
/** The deepest nesting of tables and arrays a lock may have (uv's and Poetry's go 4 deep). */
export const MAX_LOCK_DEPTH = 16;

/** A lock the action will not use: names the file (and line) and why, never its contents. */
export class LockError extends Error {
  override name = 'LockError';
}

/** One line of the exported list. */
export interface LockedRequirement {
  readonly name: string;
  readonly version?: string;
  readonly marker: Dnf;
  /** `sha256:<hex>`; empty for a git source or a path, which carry none. */
  readonly hashes: readonly string[];
  /** A URL source (`https://…` or `git+https://…@<commit>`). */
  readonly url?: string;
  /** A path source, relative to working-directory ('/'-separated). */
  readonly path?: string;
}

export interface PythonExport {
  readonly requirements: readonly LockedRequirement[];
  /** Said in the log: sources without hashes, packages left to pip's index. */
  readonly warnings: readonly string[];
}

export interface ExportOptions {
  /** Extras of the project to install too. */
  readonly extras: readonly string[];
  /** Dependency groups (uv, Poetry) or Pipfile categories to install too; dev groups are left out otherwise. */
  readonly groups: readonly string[];
}

/** PEP 503 normalized name. */
export const normalize = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,200}[A-Za-z0-9])?$/;
const VERSION = /^[A-Za-z0-9](?:[A-Za-z0-9.+!_-]{0,120})$/;
const HASH = /^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/;
const URL = /^(?:https?|git\+https?|git\+ssh|ssh):\/\/[A-Za-z0-9._~:/?#[\]@!$&()*+,;=%-]{1,2000}$/;

// ---- reading ----------------------------------------------------------------------------------------

/** The text of a repository file, bounded; undefined when it is not there. */
export async function readBounded(root: RepoRoot, file: string, shown: string): Promise<string | undefined> {
  const found = locate(file, [root]);
  if (found.status === 'found' && found.kind === 'file') {
    const { size } = await stat(found.real);
    if (size > MAX_LOCK_BYTES) {
      throw new LockError(
        `${shown} is ${size} bytes; the action reads at most ${MAX_LOCK_BYTES} bytes of a lock`,
      );
    }
  }
  const bytes = await readRepoFile(root, file);
  if (bytes === undefined) return undefined;
  if (bytes.length > MAX_LOCK_BYTES) {
    throw new LockError(
      `${shown} is ${bytes.length} bytes; the action reads at most ${MAX_LOCK_BYTES} bytes of a lock`,
    );
  }
  return bytes.toString('utf8');
}

type Table = Record<string, unknown>;

/** Refuses nesting deeper than MAX_LOCK_DEPTH (a lock's tables and arrays go a few levels deep). */
function checkDepth(value: unknown, shown: string, depth = 0): void {
  if (depth > MAX_LOCK_DEPTH) throw new LockError(`${shown} nests more than ${MAX_LOCK_DEPTH} levels deep`);
  if (Array.isArray(value)) for (const item of value) checkDepth(item, shown, depth + 1);
  else if (value !== null && typeof value === 'object' && !(value instanceof Date))
    for (const item of Object.values(value)) checkDepth(item, shown, depth + 1);
}

/** Bracket nesting of the raw text, checked before any parser sees it (a parser recurses on it). */
function checkRawDepth(text: string, shown: string): void {
  let depth = 0;
  let line = 1;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_LOCK_DEPTH * 2) {
        throw new LockError(`${shown} line ${line}: nested more than ${MAX_LOCK_DEPTH * 2} brackets deep`);
      }
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === '#' && !shown.endsWith('.json')) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    }
  }
}

export function parseTomlFile(text: string, shown: string): Table {
  checkRawDepth(text, shown);
  let data: Table;
  try {
    data = parseToml(text) as Table;
  } catch (error) {
    const line = (error as { line?: number }).line;
    throw new LockError(`${shown}${line ? ` line ${line}` : ''}: not valid TOML`);
  }
  checkDepth(data, shown);
  return data;
}

function parseJsonFile(text: string, shown: string): Table {
  checkRawDepth(text, shown);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    const line = at === undefined ? undefined : text.slice(0, Number(at)).split('\n').length;
    throw new LockError(`${shown}${line ? ` line ${line}` : ''}: not valid JSON`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new LockError(`${shown}: not a JSON object`);
  }
  checkDepth(data, shown);
  return data as Table;
}

const isTable = (value: unknown): value is Table =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
const tableOf = (value: unknown): Table => (isTable(value) ? value : {});
const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const stringOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Where things are in a lock's text, for messages: the line of the n-th `[[package]]`, of a JSON key. */
class Lines {
  private readonly packageLines: number[] = [];
  /** Offsets of every line break, for the line of a position (binary search). */
  private readonly breaks: number[] = [];
  constructor(
    private readonly text: string,
    readonly shown: string,
  ) {
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) this.breaks.push(at);
    for (const match of text.matchAll(/^[ \t]*\[\[package\]\][ \t]*\r?$/gm)) {
      this.packageLines.push(this.lineAt(match.index));
    }
  }
  private lineAt(position: number): number {
    let low = 0;
    let high = this.breaks.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.breaks[mid]! < position) low = mid + 1;
      else high = mid;
    }
    return low + 1;
  }
  ofPackage(index: number): string {
    const line = this.packageLines[index];
    return line === undefined ? this.shown : `${this.shown} line ${line}`;
  }
  private keyLines?: Map<string, number>;
  /** `file line N` of the first `"key": {` (one pass over the text, made when first asked). */
  ofKey(key: string): string {
    if (!this.keyLines) {
      this.keyLines = new Map();
      for (const match of this.text.matchAll(/"([^"\\\n]{1,300})"\s*:\s*\{/g)) {
        if (!this.keyLines.has(match[1]!)) this.keyLines.set(match[1]!, this.lineAt(match.index));
      }
    }
    const line = this.keyLines.get(key);
    return line === undefined ? this.shown : `${this.shown} line ${line}`;
  }
}

function checked(value: unknown, pattern: RegExp, where: string, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value))
    throw new LockError(`${where}: ${what} is not valid`);
  return value;
}

function markerOf(value: unknown, where: string): Dnf {
  if (value === undefined || value === '' || value === '*') return ALWAYS;
  if (typeof value !== 'string') throw new LockError(`${where}: a marker is not a string`);
  try {
    return parseMarker(value);
  } catch (error) {
    throw new LockError(
      `${where}: ${error instanceof MarkerError ? error.message : 'a marker that is not PEP 508'}`,
    );
  }
}

/** A path source inside working-directory, as a '/'-separated path relative to it; refused otherwise. */
function insidePath(root: RepoRoot, base: string, relative: string, where: string): string {
  if (relative.includes('\0') || /[\n\r]/.test(relative))
    throw new LockError(`${where}: a path source is not valid`);
  const absolute = path.resolve(base, relative);
  const found = locate(absolute, [root]);
  if (found.status === 'refused') {
    throw new LockError(
      `${where}: a path source ${found.reason}; only working-directory is mounted into the build`,
    );
  }
  if (found.status === 'missing') throw new LockError(`${where}: a path source does not exist`);
  const shown = path.relative(root.dir, absolute).split(path.sep).join('/');
  if (!/^[A-Za-z0-9._+/-]*$/.test(shown))
    throw new LockError(`${where}: a path source has characters pip cannot take`);
  return shown;
}

// ---- uv.lock --------------------------------------------------------------------------------------

interface UvDependency {
  readonly name: string;
  readonly version?: string;
  readonly source?: Table;
  readonly marker: Dnf;
  readonly extras: readonly string[];
}

interface UvPackage {
  readonly index: number;
  readonly name: string;
  readonly version?: string;
  readonly source: Table;
  readonly dependencies: readonly UvDependency[];
  readonly optional: ReadonlyMap<string, readonly UvDependency[]>;
  readonly groups: ReadonlyMap<string, readonly UvDependency[]>;
  readonly raw: Table;
}

function uvDependencies(list: unknown, where: string): UvDependency[] {
  return arrayOf(list).map((entry) => {
    const dep = tableOf(entry);
    return {
      name: normalize(checked(dep.name, NAME, where, 'a dependency name')),
      version: dep.version === undefined ? undefined : checked(dep.version, VERSION, where, 'a version'),
      source: isTable(dep.source) ? dep.source : undefined,
      marker: markerOf(dep.marker, where),
      extras: arrayOf(dep.extra).map((extra) => normalize(checked(extra, NAME, where, 'an extra'))),
    };
  });
}

function uvGroups(table: unknown, where: string): Map<string, UvDependency[]> {
  return new Map(
    Object.entries(tableOf(table)).map(([group, list]) => [normalize(group), uvDependencies(list, where)]),
  );
}

function readUvPackages(data: Table, lines: Lines): UvPackage[] {
  return arrayOf(data.package).map((entry, index) => {
    const raw = tableOf(entry);
    const where = lines.ofPackage(index);
    return {
      index,
      name: normalize(checked(raw.name, NAME, where, 'the package name')),
      version: raw.version === undefined ? undefined : checked(raw.version, VERSION, where, 'the version'),
      source: tableOf(raw.source),
      dependencies: uvDependencies(raw.dependencies, where),
      optional: uvGroups(raw['optional-dependencies'], where),
      groups: uvGroups(raw['dev-dependencies'], where),
      raw,
    };
  });
}

const sameSource = (a: Table | undefined, b: Table): boolean =>
  a === undefined || JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * uv.lock → the list `uv export --frozen --no-dev --no-emit-project` prints: every package reached from
 * the project, with the OR over paths of the AND of the markers along each path.
 */
export function exportUv(
  text: string,
  shown: string,
  pyproject: Table,
  options: ExportOptions,
  root: RepoRoot,
  lockDir: string,
): PythonExport {
  const data = parseTomlFile(text, shown);
  const lines = new Lines(text, shown);
  const version = data.version;
  if (version !== 1)
    throw new LockError(`${shown}: lock version ${String(version)} is not one the action reads (1)`);
  const packages = readUvPackages(data, lines);
  const projectName = stringOf(tableOf(pyproject.project).name);
  const rootPackage =
    packages.find((p) => projectName !== undefined && p.name === normalize(projectName)) ??
    packages.find((p) => p.source.editable === '.' || p.source.virtual === '.');
  if (!rootPackage) throw new LockError(`${shown}: no package for the project of pyproject.toml`);
  checkUvFresh(rootPackage, pyproject, lines, shown);
  checkChoices(options, [...rootPackage.optional.keys()], [...rootPackage.groups.keys()], shown);

  const perPackage = walkUv(packages, rootPackage, options, lines);
  const warnings: string[] = [];
  const requirements: LockedRequirement[] = [];
  for (const pkg of packages) {
    // An `extra == 'x'` on an edge holds when x was chosen; pip, reading a list, sees no extra.
    const marker = settleExtras(perPackage.get(pkg.index) ?? NEVER, options.extras);
    if (marker.length === 0 || pkg === rootPackage) continue;
    const requirement = uvRequirement(pkg, marker, lines.ofPackage(pkg.index), root, lockDir, warnings);
    if (requirement) requirements.push(requirement);
  }
  return { requirements: sortRequirements(requirements), warnings };
}

/**
 * The marker of every package reached from the project (its dependencies, the chosen extras and
 * groups): nodes are (package, extra or ''), and each node's marker is the OR over the paths to it of
 * the AND of the edge markers along each; a package's marker is the OR over its nodes.
 */
function walkUv(
  packages: readonly UvPackage[],
  rootPackage: UvPackage,
  options: ExportOptions,
  lines: Lines,
): Map<number, Dnf> {
  const byName = new Map<string, UvPackage[]>();
  for (const pkg of packages) byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
  const find = (dep: UvDependency, where: string): UvPackage => {
    const matches = (byName.get(dep.name) ?? []).filter(
      (p) =>
        p.name === dep.name &&
        (dep.version === undefined || p.version === dep.version) &&
        sameSource(dep.source, p.source),
    );
    if (matches.length !== 1) {
      throw new LockError(`${where}: dependency ${dep.name} matches ${matches.length} packages of the lock`);
    }
    return matches[0]!;
  };
  // Nodes are (package, extra or ''); markers grow until nothing changes (cycles included).
  const markers = new Map<string, Dnf>();
  const byKey = new Map<string, UvPackage>();
  const queue: [UvPackage, string, Dnf][] = [];
  const reach = (pkg: UvPackage, extra: string, marker: Dnf): void => {
    const key = `${pkg.index}\0${extra}`;
    const before = markers.get(key) ?? NEVER;
    const after = or(before, marker);
    if (JSON.stringify(after) === JSON.stringify(before)) return;
    markers.set(key, after);
    byKey.set(key, pkg);
    queue.push([pkg, extra, after]);
  };
  const edges = (deps: readonly UvDependency[], from: UvPackage, marker: Dnf): void => {
    const where = lines.ofPackage(from.index);
    for (const dep of deps) {
      const target = find(dep, where);
      const along = and(marker, dep.marker);
      reach(target, '', along);
      for (const extra of dep.extras) reach(target, extra, along);
    }
  };
  edges(rootPackage.dependencies, rootPackage, ALWAYS);
  for (const extra of options.extras)
    edges(rootPackage.optional.get(normalize(extra)) ?? [], rootPackage, ALWAYS);
  for (const group of options.groups)
    edges(rootPackage.groups.get(normalize(group)) ?? [], rootPackage, ALWAYS);
  let steps = 0;
  for (let head = 0; head < queue.length; head++) {
    if (++steps > 200_000) throw new LockError(`${lines.shown}: the dependency graph does not settle`);
    const [pkg, extra, marker] = queue[head]!;
    // A node queued again with a wider marker is walked once, with the widest.
    if (markers.get(`${pkg.index}\0${extra}`) !== marker) continue;
    edges(extra === '' ? pkg.dependencies : (pkg.optional.get(extra) ?? []), pkg, marker);
  }
  const perPackage = new Map<number, Dnf>();
  for (const [key, marker] of markers) {
    const pkg = byKey.get(key)!;
    perPackage.set(pkg.index, or(perPackage.get(pkg.index) ?? NEVER, marker));
  }
  return perPackage;
}

function uvRequirement(
  pkg: UvPackage,
  marker: Dnf,
  where: string,
  root: RepoRoot,
  lockDir: string,
  warnings: string[],
): LockedRequirement | undefined {
  const { source } = pkg;
  const hashes = [tableOf(pkg.raw.sdist), ...arrayOf(pkg.raw.wheels).map(tableOf)]
    .map((file) => file.hash)
    .filter((hash) => hash !== undefined)
    .map((hash) => checked(hash, HASH, where, 'a hash'))
    .sort();
  if (source.virtual !== undefined) return undefined; // a virtual member installs nothing itself
  const local = stringOf(source.editable) ?? stringOf(source.directory) ?? stringOf(source.path);
  if (local !== undefined) {
    return { name: pkg.name, marker, hashes: [], path: insidePath(root, lockDir, local, where) };
  }
  if (source.git !== undefined) {
    const url = gitUrl(checked(source.git, /^https?:\/\/\S+$|^ssh:\/\/\S+$/, where, 'a git source'), where);
    warnings.push(`${where}: ${pkg.name} comes from git (${url}); a git source carries no hash`);
    return { name: pkg.name, marker, hashes: [], url };
  }
  if (source.url !== undefined) {
    const url = checked(source.url, URL, where, 'a URL source');
    if (hashes.length === 0) warnings.push(`${where}: ${pkg.name} comes from ${url} without a hash`);
    return { name: pkg.name, marker, hashes, url };
  }
  const version = pkg.version;
  if (version === undefined) throw new LockError(`${where}: a registry package without a version`);
  if (hashes.length === 0) warnings.push(`${where}: ${pkg.name}==${version} has no hash in the lock`);
  return { name: pkg.name, version, marker, hashes };
}

/** uv's `https://host/repo?rev=x&subdirectory=y#<commit>` → pip's `git+https://host/repo@<commit>#subdirectory=y`. */
function gitUrl(source: string, where: string): string {
  const hash = source.indexOf('#');
  const commit = hash < 0 ? '' : source.slice(hash + 1);
  const base = (hash < 0 ? source : source.slice(0, hash)).split('?');
  const subdirectory = new URLSearchParams(base[1] ?? '').get('subdirectory');
  if (!/^[0-9a-f]{7,64}$/.test(commit)) throw new LockError(`${where}: a git source without a commit`);
  const url = `git+${base[0]}@${commit}${subdirectory ? `#subdirectory=${subdirectory}` : ''}`;
  return checked(url, URL, where, 'a git source');
}

/** A requirement as compared for staleness: name, extras and specifier (markers are uv's to normalize). */
function requirementKey(name: string, extras: readonly string[], specifier: string): string {
  const spec = specifier.replace(/\s+/g, '').split(',').filter(Boolean).sort().join(',');
  return `${normalize(name)}[${[...extras].map(normalize).sort().join(',')}]${spec}`;
}

const PEP508 =
  /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(\(?[^;@]*?\)?)?\s*(?:@\s*([^;]+?))?\s*(?:;\s*(.*))?$/;

/** name, extras, specifier (or `@url`) and marker of a PEP 508 requirement; undefined when it is none. */
function pep508(
  text: unknown,
): { name: string; extras: string[]; specifier: string; marker: string } | undefined {
  const match = typeof text === 'string' ? PEP508.exec(text) : null;
  if (!match) return undefined;
  const extras = (match[2] ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const specifier = match[4] ? `@${match[4].trim()}` : (match[3] ?? '').trim().replace(/^\(|\)$/g, '');
  return { name: match[1]!, extras, specifier, marker: match[5] ?? '' };
}

/**
 * uv records the project's requirements in the lock (`requires-dist`); a pyproject.toml that asks for
 * others makes it stale. Compared by name, extras and version specifier; a requirement with a
 * `[tool.uv.sources]` entry by name only (uv records the source instead).
 */
function checkUvFresh(rootPackage: UvPackage, pyproject: Table, lines: Lines, shown: string): void {
  const metadata = tableOf(rootPackage.raw.metadata);
  if (metadata['requires-dist'] === undefined) return; // a lock from before uv recorded it
  const project = tableOf(pyproject.project);
  const sources = new Set(Object.keys(tableOf(tableOf(tableOf(pyproject.tool).uv).sources)).map(normalize));
  const key = (name: string, extras: readonly string[], specifier: string): string =>
    sources.has(normalize(name)) ? normalize(name) : requirementKey(name, extras, specifier);
  const wanted: string[] = [];
  const lists = [project.dependencies, ...Object.values(tableOf(project['optional-dependencies']))];
  for (const list of lists) {
    for (const text of arrayOf(list)) {
      const requirement = pep508(text);
      if (requirement) wanted.push(key(requirement.name, requirement.extras, requirement.specifier));
    }
  }
  const recorded = arrayOf(metadata['requires-dist']).map((entry) => {
    const dep = tableOf(entry);
    const url = stringOf(dep.url) ?? stringOf(dep.git);
    const specifier = stringOf(dep.specifier) ?? (url ? `@${url}` : '');
    return key(stringOf(dep.name) ?? '', arrayOf(dep.extras).map(String), specifier);
  });
  const same =
    wanted.length === recorded.length && [...wanted].sort().join('\n') === [...recorded].sort().join('\n');
  if (!same) {
    throw new LockError(
      `${lines.ofPackage(rootPackage.index)}: ${shown} is stale: pyproject.toml asks for other requirements than ` +
        'the lock records. Run `uv lock` and commit uv.lock (the action never re-locks)',
    );
  }
}

function checkChoices(options: ExportOptions, extras: string[], groups: string[], shown: string): void {
  const unknown = (asked: readonly string[], known: string[], what: string): void => {
    const missing = asked.filter((name) => !known.includes(normalize(name)));
    if (missing.length > 0) {
      throw new LockError(
        `${what}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in ${shown}; ` +
          `it has ${known.length > 0 ? known.join(', ') : 'none'}`,
      );
    }
  };
  unknown(options.extras, extras, 'extras');
  unknown(options.groups, groups, 'groups');
}

function sortRequirements(list: LockedRequirement[]): LockedRequirement[] {
  return list.sort(
    (a, b) => a.name.localeCompare(b.name) || (a.version ?? '').localeCompare(b.version ?? ''),
  );
}

// ---- poetry.lock ----------------------------------------------------------------------------------

/** Poetry's content-hash of pyproject.toml (Locker._get_content_hash, Poetry 1.x and 2.x). */
export function poetryContentHash(pyproject: Table): string {
  const project = tableOf(pyproject.project);
  const poetry = tableOf(tableOf(pyproject.tool).poetry);
  const relevantProject: Table = {};
  for (const key of ['requires-python', 'dependencies', 'optional-dependencies']) {
    if (project[key] !== undefined) relevantProject[key] = project[key];
  }
  const legacy = ['dependencies', 'source', 'extras', 'dev-dependencies'];
  const relevantPoetry: Table = {};
  const hasProject = Object.keys(relevantProject).length > 0;
  for (const key of [...legacy, 'group']) {
    const data = poetry[key];
    if (data === undefined && (!legacy.includes(key) || hasProject)) continue;
    relevantPoetry[key] = data ?? null;
  }
  const content = hasProject
    ? { project: relevantProject, tool: { poetry: relevantPoetry } }
    : relevantPoetry;
  return createHash('sha256')
    .update(pythonJson(content, ', ', ': '))
    .digest('hex');
}

/** Python's `json.dumps(value, sort_keys=True, separators=…)` with its default ensure_ascii. */
export function pythonJson(value: unknown, itemSeparator: string, keySeparator: string): string {
  const text = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number' || typeof v === 'bigint') return String(v);
    if (typeof v === 'string') {
      return JSON.stringify(v).replace(
        /[\u007f-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
    }
    if (v instanceof Date) return text(v.toISOString());
    if (Array.isArray(v)) return `[${v.map(text).join(itemSeparator)}]`;
    const entries = Object.entries(v as Table).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, item]) => `${text(k)}${keySeparator}${text(item)}`).join(itemSeparator)}}`;
  };
  return text(value);
}

interface PoetryDependency {
  readonly name: string;
  readonly marker: Dnf;
  readonly optional: boolean;
  readonly extras: readonly string[];
}

function poetryDependencies(table: unknown, where: string): PoetryDependency[] {
  const list: PoetryDependency[] = [];
  for (const [name, spec] of Object.entries(tableOf(table))) {
    for (const one of Array.isArray(spec) ? spec : [spec]) {
      const constraint = tableOf(one);
      list.push({
        name: normalize(checked(name, NAME, where, 'a dependency name')),
        marker: markerOf(constraint.markers, where),
        optional: constraint.optional === true,
        extras: arrayOf(constraint.extras).map((e) => normalize(String(e))),
      });
    }
  }
  return list;
}

/** The root requirements of a Poetry project: main (and chosen groups), and the extras' names. */
function poetryRoots(
  pyproject: Table,
  options: ExportOptions,
  shown: string,
): { deps: PoetryDependency[]; groups: string[] } {
  const project = tableOf(pyproject.project);
  const poetry = tableOf(tableOf(pyproject.tool).poetry);
  const deps: PoetryDependency[] = [];
  const fromPep508 = (list: unknown, marker: Dnf): void => {
    for (const requirement of arrayOf(list)) {
      const match = typeof requirement === 'string' ? PEP508.exec(requirement) : null;
      if (!match) continue;
      const extras = (match[2] ?? '')
        .split(',')
        .map((e) => normalize(e.trim()))
        .filter(Boolean);
      deps.push({
        name: normalize(match[1]!),
        marker: and(marker, markerOf(match[5] ?? '', shown)),
        optional: false,
        extras,
      });
    }
  };
  fromPep508(project.dependencies, ALWAYS);
  const optional = tableOf(project['optional-dependencies']);
  const poetryExtras = tableOf(poetry.extras);
  for (const extra of options.extras) {
    fromPep508(optional[extra], ALWAYS);
    for (const name of arrayOf(poetryExtras[extra]))
      deps.push({ name: normalize(String(name)), marker: ALWAYS, optional: false, extras: [] });
  }
  deps.push(
    ...poetryDependencies(poetry.dependencies, shown).filter((d) => d.name !== 'python' && !d.optional),
  );
  const groupTable = tableOf(poetry.group);
  const groups = Object.keys(groupTable).map(normalize);
  if (poetry['dev-dependencies'] !== undefined) groups.push('dev');
  for (const group of options.groups) {
    const table =
      normalize(group) === 'dev' && poetry['dev-dependencies'] !== undefined
        ? poetry['dev-dependencies']
        : tableOf(groupTable[group]).dependencies;
    deps.push(...poetryDependencies(table, shown));
  }
  const extraNames = [...Object.keys(optional), ...Object.keys(poetryExtras)].map(normalize);
  checkChoices(options, extraNames, groups, shown);
  return { deps, groups };
}

/** Replaces `extra == 'x'` comparisons by what the chosen extras make them (pip sees no extra). */
function settleExtras(marker: Dnf, extras: readonly string[]): Dnf {
  const chosen = new Set(extras.map(normalize));
  const terms: string[][] = [];
  for (const term of marker) {
    let keep = true;
    const rest: string[] = [];
    for (const atom of term) {
      const match = /^extra (==|!=) '([^']*)'$/.exec(atom);
      if (!match) rest.push(atom);
      else if ((match[1] === '==') !== chosen.has(normalize(match[2]!))) keep = false;
    }
    if (keep) terms.push(rest);
  }
  return or(NEVER, terms);
}

export function exportPoetry(
  text: string,
  shown: string,
  pyproject: Table,
  options: ExportOptions,
  root: RepoRoot,
  lockDir: string,
): PythonExport {
  const data = parseTomlFile(text, shown);
  const lines = new Lines(text, shown);
  const metadata = tableOf(data.metadata);
  if (metadata['content-hash'] !== poetryContentHash(pyproject)) {
    throw new LockError(
      `${shown} is stale: its content-hash does not match pyproject.toml. Run \`poetry lock\` and commit ` +
        'poetry.lock (the action never re-locks)',
    );
  }
  const packages = arrayOf(data.package).map(tableOf);
  const { deps: roots } = poetryRoots(pyproject, options, shown);
  const perPackage = packages.some((pkg) => pkg.groups !== undefined)
    ? poetryGroupMarkers(packages, options, lines)
    : walkPoetry(packages, roots, lines);
  const warnings: string[] = [];
  const requirements = [...perPackage].map(([index, marker]) =>
    poetryRequirement(packages[index]!, marker, lines.ofPackage(index), { root, lockDir, warnings }),
  );
  return { requirements: sortRequirements(requirements), warnings };
}

/** Lock 2.1 (Poetry 2): each package lists its groups and its marker per group. */
function poetryGroupMarkers(
  packages: readonly Table[],
  options: ExportOptions,
  lines: Lines,
): Map<number, Dnf> {
  const chosen = ['main', ...options.groups.map(normalize)];
  const perPackage = new Map<number, Dnf>();
  packages.forEach((pkg, index) => {
    const where = lines.ofPackage(index);
    let marker = NEVER;
    for (const group of arrayOf(pkg.groups).map(String)) {
      if (!chosen.includes(normalize(group))) continue;
      const raw = isTable(pkg.markers) ? pkg.markers[group] : pkg.markers;
      marker = or(marker, markerOf(raw, where));
    }
    marker = settleExtras(marker, options.extras);
    if (marker.length > 0) perPackage.set(index, marker);
  });
  return perPackage;
}

/** Lock 2.0 and older: walks from the project's requirements, markers along every path. */
function walkPoetry(
  packages: readonly Table[],
  roots: readonly PoetryDependency[],
  lines: Lines,
): Map<number, Dnf> {
  const byName = new Map<string, number[]>();
  packages.forEach((pkg, index) => {
    const name = normalize(checked(pkg.name, NAME, lines.ofPackage(index), 'the package name'));
    byName.set(name, [...(byName.get(name) ?? []), index]);
  });
  const perPackage = new Map<number, Dnf>();
  const parsed = new Map<number, PoetryDependency[]>();
  const seen = new Map<string, Dnf>();
  const queue: [number, Dnf, readonly string[]][] = [];
  const keyOf = (index: number, extras: readonly string[]): string =>
    `${index}\0${[...extras].sort().join(',')}`;
  const reach = (dep: PoetryDependency, marker: Dnf): void => {
    for (const index of byName.get(dep.name) ?? []) {
      const key = keyOf(index, dep.extras);
      const next = or(seen.get(key) ?? NEVER, and(marker, dep.marker));
      if (JSON.stringify(next) === JSON.stringify(seen.get(key))) continue;
      seen.set(key, next);
      perPackage.set(index, or(perPackage.get(index) ?? NEVER, next));
      queue.push([index, next, dep.extras]);
    }
  };
  for (const dep of roots) reach(dep, ALWAYS);
  for (let head = 0; head < queue.length; head++) {
    if (head > 200_000) throw new LockError(`${lines.shown}: the dependency graph does not settle`);
    const [index, marker, extras] = queue[head]!;
    // A node queued again with a wider marker is walked once, with the widest.
    if (seen.get(keyOf(index, extras)) !== marker) continue;
    const pkg = packages[index]!;
    if (!parsed.has(index)) parsed.set(index, poetryDependencies(pkg.dependencies, lines.ofPackage(index)));
    const wanted = new Set(
      extras.flatMap((extra) =>
        arrayOf(tableOf(pkg.extras)[extra]).map((e) => normalize(String(e).split(/[\s([;]/)[0]!)),
      ),
    );
    for (const dep of parsed.get(index)!) if (!dep.optional || wanted.has(dep.name)) reach(dep, marker);
  }
  return perPackage;
}

/** One package of poetry.lock as a line of the list: a path, git or URL source, or a registry pin. */
function poetryRequirement(
  pkg: Table,
  marker: Dnf,
  where: string,
  at: { root: RepoRoot; lockDir: string; warnings: string[] },
): LockedRequirement {
  const name = normalize(checked(pkg.name, NAME, where, 'the package name'));
  const source = tableOf(pkg.source);
  const hashes = arrayOf(pkg.files).map((file) => checked(tableOf(file).hash, HASH, where, 'a hash'));
  const type = stringOf(source.type);
  if (type === 'directory' || type === 'file') {
    return { name, marker, hashes: [], path: insidePath(at.root, at.lockDir, String(source.url), where) };
  }
  if (type === 'git') {
    const commit = checked(source.resolved_reference, /^[0-9a-f]{7,64}$/, where, 'a git commit');
    const sub = stringOf(source.subdirectory);
    const git = `git+${String(source.url)}@${commit}${sub ? `#subdirectory=${sub}` : ''}`;
    const url = checked(git, URL, where, 'a git source');
    at.warnings.push(`${where}: ${name} comes from git (${url}); a git source carries no hash`);
    return { name, marker, hashes: [], url };
  }
  if (type === 'url') return { name, marker, hashes, url: checked(source.url, URL, where, 'a URL source') };
  // A registry package (PyPI or a source the lock names: its URL is never used; pip's index options are the user's).
  const version = checked(pkg.version, VERSION, where, 'the version');
  if (hashes.length === 0) at.warnings.push(`${where}: ${name}==${version} has no hash in the lock`);
  return { name, version, marker, hashes };
}

// ---- Pipfile.lock ---------------------------------------------------------------------------------

/** Pipenv's hash of a Pipfile (plette's Pipfile.get_hash): the sources, requires and every category. */
export function pipfileHash(pipfile: Table): string {
  const sources = pipfile.source ?? [{ name: 'pypi', url: 'https://pypi.org/simple', verify_ssl: true }];
  const data: Table = {
    _meta: { sources, requires: pipfile.requires ?? {} },
    default: pipfile.packages ?? {},
    develop: pipfile['dev-packages'] ?? {},
  };
  const sections = [
    'source',
    'packages',
    'dev-packages',
    'requires',
    'scripts',
    'pipfile',
    'pipenv',
    'default',
    'develop',
  ];
  for (const [category, values] of Object.entries(pipfile)) {
    if (!sections.includes(category)) data[category] = values;
  }
  return createHash('sha256')
    .update(pythonJson(data, ',', ':'))
    .digest('hex');
}

export function exportPipfile(
  text: string,
  shown: string,
  pipfile: Table,
  options: ExportOptions,
  root: RepoRoot,
  lockDir: string,
): PythonExport {
  const data = parseJsonFile(text, shown);
  const lines = new Lines(text, shown);
  const recorded = tableOf(tableOf(tableOf(data._meta).hash)).sha256;
  if (recorded !== pipfileHash(pipfile)) {
    throw new LockError(
      `${shown} is stale: its hash does not match Pipfile. Run \`pipenv lock\` and commit Pipfile.lock ` +
        '(the action never re-locks)',
    );
  }
  const categories = Object.keys(data).filter((key) => key !== '_meta' && key !== 'default');
  checkChoices({ extras: [], groups: options.groups }, [], categories.map(normalize), shown);
  if (options.extras.length > 0) {
    throw new LockError(
      `extras: ${shown} has no extras of its own; name the packages in Pipfile's [packages]`,
    );
  }
  const chosen = [
    'default',
    ...categories.filter((c) => options.groups.map(normalize).includes(normalize(c))),
  ];
  const merged = new Map<string, LockedRequirement>();
  const warnings: string[] = [];
  for (const category of chosen) {
    for (const [rawName, value] of Object.entries(tableOf(data[category]))) {
      const where = lines.ofKey(rawName);
      const entry = tableOf(value);
      const name = normalize(checked(rawName, NAME, where, 'a package name'));
      const marker = markerOf(entry.markers, where);
      const hashes = arrayOf(entry.hashes).map((hash) => checked(hash, HASH, where, 'a hash'));
      let requirement: LockedRequirement;
      if (
        entry.path !== undefined ||
        (entry.file !== undefined && !/^[a-z+]+:\/\//.test(String(entry.file)))
      ) {
        requirement = {
          name,
          marker,
          hashes: [],
          path: insidePath(root, lockDir, String(entry.path ?? entry.file), where),
        };
      } else if (entry.git !== undefined) {
        const ref = checked(entry.ref, /^[0-9a-f]{7,64}$/, where, 'a git commit');
        const url = checked(
          `git+${String(entry.git).replace(/^git\+/, '')}@${ref}`,
          URL,
          where,
          'a git source',
        );
        warnings.push(`${where}: ${name} comes from git (${url}); a git source carries no hash`);
        requirement = { name, marker, hashes: [], url };
      } else if (entry.file !== undefined) {
        requirement = { name, marker, hashes, url: checked(entry.file, URL, where, 'a URL source') };
      } else {
        const version = checked(
          String(entry.version ?? '').replace(/^==/, ''),
          VERSION,
          where,
          'the version',
        );
        if (hashes.length === 0) warnings.push(`${where}: ${name}==${version} has no hash in the lock`);
        requirement = { name, version, marker, hashes };
      }
      const before = merged.get(name);
      merged.set(name, before ? { ...before, marker: or(before.marker, requirement.marker) } : requirement);
    }
  }
  return { requirements: sortRequirements([...merged.values()]), warnings };
}

// ---- the list pip installs ------------------------------------------------------------------------

/** Lines of the hashed list (`--require-hashes`), and of the unhashed one (paths, git) pip installs after it. */
export function renderRequirements(exported: PythonExport): { hashed: string; unhashed: string } {
  const hashed: string[] = [];
  const unhashed: string[] = [];
  for (const req of exported.requirements) {
    const marker = isAlways(req.marker) ? '' : ` ; ${markerText(req.marker)}`;
    const spec =
      req.path !== undefined
        ? `${req.name} @ file://${CONTAINER_SOURCE}/${req.path}`
        : req.url !== undefined
          ? `${req.name} @ ${req.url}`
          : `${req.name}==${req.version!}`;
    if (req.hashes.length === 0) unhashed.push(`${spec}${marker}`);
    else hashed.push([`${spec}${marker}`, ...req.hashes.map((hash) => `    --hash=${hash}`)].join(' \\\n'));
  }
  const text = (lines: string[]): string => (lines.length > 0 ? `${lines.join('\n')}\n` : '');
  return { hashed: text(hashed), unhashed: text(unhashed) };
}

const PYTHON_LOCKS = new Set(['uv.lock', 'poetry.lock', 'Pipfile.lock']);

export function isPythonLock(source: ManifestSource): boolean {
  return source.lock !== undefined && PYTHON_LOCKS.has(source.lock.format);
}

/** Reads the lock of `source` and its project file (both through the host guard) and exports the list. */
export async function exportPythonLock(
  source: ManifestSource,
  root: RepoRoot,
  options: ExportOptions,
): Promise<PythonExport> {
  const lock = source.lock!;
  const lockPath = path.join(root.dir, lock.path);
  const projectPath = path.join(root.dir, source.manifest);
  const text = await readBounded(root, lockPath, lock.path);
  if (text === undefined) throw new LockError(`${lock.path} does not exist`);
  const projectText = await readBounded(root, projectPath, source.manifest);
  if (projectText === undefined) throw new LockError(`${source.manifest} does not exist`);
  const project = parseTomlFile(projectText, source.manifest);
  const lockDir = path.dirname(lockPath);
  switch (lock.format) {
    case 'uv.lock':
      return exportUv(text, lock.path, project, options, root, lockDir);
    case 'poetry.lock':
      return exportPoetry(text, lock.path, project, options, root, lockDir);
    default:
      return exportPipfile(text, lock.path, project, options, root, lockDir);
  }
}
