/**
 * Whether a manifest fixes every version the build installs, so that the same bytes build the same
 * layer: only then can a re-run trust a build key instead of building. Each ecosystem has its own rule;
 * anything not pinned is built every time, and `reason` says why.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Family } from '../runtimes/index.js';

export type Pinning =
  | {
      readonly pinned: true;
      /** Every file whose bytes decide what the build installs (manifest first), absolute paths. */
      readonly files: readonly string[];
    }
  | { readonly pinned: false; readonly reason: string };

type Checker = (manifestPath: string) => Promise<Pinning>;

const CHECKERS: Record<Family, Checker> = {
  python: (manifest) => pythonPinning(manifest, new Set()),
  nodejs: (manifest) => withLockFile(manifest, ['package-lock.json', 'npm-shrinkwrap.json']),
  ruby: (manifest) => withLockFile(manifest, ['Gemfile.lock']),
  java: (manifest) => (/\.gradle(\.kts)?$/.test(manifest) ? gradlePinning(manifest) : mavenPinning(manifest)),
  provided: async () => ({
    pinned: false,
    reason: 'a custom runtime is built by its Makefile, which can fetch anything',
  }),
};

export async function checkPinning(family: Family, manifestPath: string): Promise<Pinning> {
  if ((await readText(manifestPath)) === undefined) {
    return { pinned: false, reason: `${path.basename(manifestPath)} cannot be read` };
  }
  return CHECKERS[family](manifestPath);
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

const notPinned = (reason: string): Pinning => ({ pinned: false, reason });

async function withLockFile(manifest: string, lockFiles: readonly string[]): Promise<Pinning> {
  const dir = path.dirname(manifest);
  const present: string[] = [];
  for (const name of lockFiles) {
    if ((await readText(path.join(dir, name))) !== undefined) present.push(path.join(dir, name));
  }
  if (present.length === 0)
    return notPinned(`no ${lockFiles.join(' or ')} beside ${path.basename(manifest)}`);
  return { pinned: true, files: [manifest, ...present] };
}

// ---- Python -------------------------------------------------------------------------------------------

// `name[extra]==1.2.3` or `===`, with an optional environment marker; no wildcard (`==1.*`).
const PYTHON_PIN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*===?\s*[^\s*,;]+\s*(;.*)?$/;
const INCLUDE = /^(?:-r|--requirement|-c|--constraint)(?:\s*=?\s*|\s+)(\S+)$/;
const EDITABLE = /^(?:-e|--editable)\b/;
// Options that change where packages come from, not which versions: the file's bytes are in the key.
const OPTION = /^-/;

/** Logical lines of a requirements file: continuations joined, comments and blank lines dropped. */
export function requirementLines(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line.length > 0);
}

/** Why one requirement line is not pinned, or undefined when it is. */
export function unpinnedRequirement(line: string): string | undefined {
  if (EDITABLE.test(line)) return `${line}: an editable install follows its source`;
  if (OPTION.test(line)) return undefined;
  if (/\s--hash[=\s]/.test(` ${line}`)) return undefined;
  const requirement = line.replace(/\s+--\S+.*$/, '');
  if (/:\/\/|^\.{0,2}\/|^[A-Za-z]:\\/.test(requirement) || /\s@\s/.test(requirement)) {
    return `${line}: a URL or path without --hash can change under the same name`;
  }
  if (!PYTHON_PIN.test(requirement)) return `${line}: not name==version`;
  return undefined;
}

async function pythonPinning(file: string, seen: Set<string>): Promise<Pinning> {
  seen.add(file);
  const text = await readText(file);
  if (text === undefined) return notPinned(`${path.basename(file)} cannot be read`);
  const files = [file];
  for (const line of requirementLines(text)) {
    const include = INCLUDE.exec(line);
    if (include) {
      const target = path.resolve(path.dirname(file), include[1]!);
      if (seen.has(target)) continue;
      const inner = await pythonPinning(target, seen);
      if (!inner.pinned) return notPinned(`${line} → ${inner.reason}`);
      files.push(...inner.files);
      continue;
    }
    const reason = unpinnedRequirement(line);
    if (reason) return notPinned(`${path.basename(file)}: ${reason}`);
  }
  return { pinned: true, files };
}

// ---- Java -------------------------------------------------------------------------------------------

/** Why a pom.xml's versions can move, or undefined when every one is fixed. */
export function unpinnedPom(pom: string): string | undefined {
  const withoutComments = pom.replace(/<!--[\s\S]*?-->/g, '');
  const properties = new Map<string, string>();
  const block = /<properties>([\s\S]*?)<\/properties>/.exec(withoutComments)?.[1] ?? '';
  for (const [, name, value] of block.matchAll(/<([\w.-]+)>([^<]*)<\/\1>/g))
    properties.set(name!, value!.trim());
  // The project's own version: the first <version> outside the parent and the nested sections.
  const ownVersion = /<version>([^<]*)<\/version>/.exec(
    withoutComments.replace(
      /<(parent|dependencies|dependencyManagement|build|profiles|reporting)>[\s\S]*?<\/\1>/g,
      '',
    ),
  )?.[1];
  if (ownVersion) properties.set('project.version', ownVersion.trim());
  // The versions that choose what is downloaded; the project's own (often x-SNAPSHOT) does not.
  const chosen = /<(dependency|plugin|parent|extension)>([\s\S]*?)<\/\1>/g;
  for (const [, , body] of withoutComments.matchAll(chosen)) {
    const raw = /<version>([^<]*)<\/version>/.exec(body!)?.[1];
    if (raw === undefined) continue;
    const version = raw!
      .trim()
      .replace(/\$\{([^}]+)\}/g, (whole, name: string) => properties.get(name) ?? whole);
    if (/\$\{/.test(version)) return `version ${raw!.trim()} is defined outside pom.xml`;
    if (/^[[(]|[\])]$|,/.test(version)) return `version range ${version}`;
    if (/SNAPSHOT$/i.test(version)) return `snapshot version ${version}`;
    if (version === 'LATEST' || version === 'RELEASE') return `version ${version}`;
  }
  return undefined;
}

async function mavenPinning(manifest: string): Promise<Pinning> {
  const reason = unpinnedPom((await readText(manifest)) ?? '');
  return reason ? notPinned(`${path.basename(manifest)}: ${reason}`) : { pinned: true, files: [manifest] };
}

async function gradlePinning(manifest: string): Promise<Pinning> {
  const locked = await withLockFile(manifest, ['gradle.lockfile']);
  if (!locked.pinned) return notPinned(`${locked.reason} (run gradle dependencies --write-locks)`);
  const settings = await withLockFile(manifest, ['settings.gradle', 'settings.gradle.kts']);
  return { pinned: true, files: [...locked.files, ...(settings.pinned ? settings.files.slice(1) : [])] };
}
