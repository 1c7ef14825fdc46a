/** What the Python lock readers share: bounded reading and parsing, the checked patterns, Lines, LockError and the types. */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { locate, readRepoFile, type RepoRoot } from '../../host-guard.js';
import { ALWAYS, type Dnf, MarkerError, NEVER, or, parseMarker } from '../markers.js';

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

export const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,200}[A-Za-z0-9])?$/;
export const VERSION = /^[A-Za-z0-9](?:[A-Za-z0-9.+!_-]{0,120})$/;
export const HASH = /^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/;
export const URL = /^(?:https?|git\+https?|git\+ssh|ssh):\/\/[A-Za-z0-9._~:/?#[\]@!$&()*+,;=%-]{1,2000}$/;

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

export type Table = Record<string, unknown>;

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

export function parseJsonFile(text: string, shown: string): Table {
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

export const isTable = (value: unknown): value is Table =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
export const tableOf = (value: unknown): Table => (isTable(value) ? value : {});
export const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** Where things are in a lock's text, for messages: the line of the n-th `[[package]]`, of a JSON key. */
export class Lines {
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

export function checked(value: unknown, pattern: RegExp, where: string, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value))
    throw new LockError(`${where}: ${what} is not valid`);
  return value;
}

export function markerOf(value: unknown, where: string): Dnf {
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
export function insidePath(root: RepoRoot, base: string, relative: string, where: string): string {
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

// ---- shared by the formats ---------------------------------------------------------------------------

export const PEP508 =
  /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(\(?[^;@]*?\)?)?\s*(?:@\s*([^;]+?))?\s*(?:;\s*(.*))?$/;

export function checkChoices(
  options: ExportOptions,
  extras: string[],
  groups: string[],
  shown: string,
): void {
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

export function sortRequirements(list: LockedRequirement[]): LockedRequirement[] {
  return list.sort(
    (a, b) => a.name.localeCompare(b.name) || (a.version ?? '').localeCompare(b.version ?? ''),
  );
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

/** Replaces `extra == 'x'` comparisons by what the chosen extras make them (pip sees no extra). */
export function settleExtras(marker: Dnf, extras: readonly string[]): Dnf {
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
