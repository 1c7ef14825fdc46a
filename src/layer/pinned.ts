/**
 * Whether a manifest fixes every version the build installs, so that the same bytes build the same
 * layer: only then can a re-run trust a build key instead of building. Each ecosystem has its own rule;
 * anything not pinned is built every time, and `reason` says why, naming files and line numbers (never
 * quoting a line: an include may lead anywhere). Every file is read through src/host-guard.ts, which
 * refuses (throws RefusedFileError for) a file outside the working directory or a link out of it.
 */
import * as path from 'node:path';
import { readRepoFile, RefusedFileError, shownIn, type RepoRoot } from '../host-guard.js';
import type { Family } from '../runtimes/index.js';

export type Pinning =
  | {
      readonly pinned: true;
      /** Every file whose bytes decide what the build installs (manifest first), absolute paths. */
      readonly files: readonly string[];
    }
  | { readonly pinned: false; readonly reason: string };

type Checker = (manifestPath: string, root: RepoRoot) => Promise<Pinning>;

const CHECKERS: Record<Family, Checker> = {
  python: (manifest, root) => pythonPinning(manifest, root, new Set()),
  nodejs: nodePinning,
  ruby: (manifest, root) => withLockFile(manifest, root, ['Gemfile.lock']),
  java: (manifest, root) =>
    /\.gradle(\.kts)?$/.test(manifest) ? gradlePinning(manifest, root) : mavenPinning(manifest, root),
  provided: async () => ({
    pinned: false,
    reason: 'a custom runtime is built by its Makefile, which can fetch anything',
  }),
};

/**
 * `root`: the working directory, which every file read must stay in. `lockPath`: the lock that decides
 * (src/manifests/detect.ts); a lock file pins every version by itself (a requirements file is checked
 * line by line).
 */
export async function checkPinning(
  family: Family,
  manifestPath: string,
  root: RepoRoot,
  lock?: { readonly path: string; readonly format: string },
): Promise<Pinning> {
  if ((await readText(root, manifestPath)) === undefined) {
    return { pinned: false, reason: `${shownIn(root, manifestPath)} cannot be read` };
  }
  if (lock !== undefined && lock.format !== 'requirements.txt') {
    const lockPath = path.join(root.dir, lock.path);
    if ((await readText(root, lockPath)) === undefined) return notPinned(`${lock.path} cannot be read`);
    return { pinned: true, files: [manifestPath, lockPath] };
  }
  return CHECKERS[family](manifestPath, root);
}

/** The text of a file in `root`; undefined when there is none; throws when the host may not read it. */
async function readText(root: RepoRoot, file: string): Promise<string | undefined> {
  return (await readRepoFile(root, file))?.toString('utf8');
}

const notPinned = (reason: string): Pinning => ({ pinned: false, reason });

async function withLockFile(
  manifest: string,
  root: RepoRoot,
  lockFiles: readonly string[],
): Promise<Pinning> {
  const dir = path.dirname(manifest);
  const present: string[] = [];
  for (const name of lockFiles) {
    if ((await readText(root, path.join(dir, name))) !== undefined) present.push(path.join(dir, name));
  }
  if (present.length === 0)
    return notPinned(`no ${lockFiles.join(' or ')} beside ${path.basename(manifest)}`);
  return { pinned: true, files: [manifest, ...present] };
}

// ---- Node.js ------------------------------------------------------------------------------------------

/** Every Node.js lock: each fixes every version its tool installs (src/manifests/node-tools.ts). */
export const NODE_LOCKS = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lock',
];
/**
 * The tools' settings beside package.json that change what a frozen install puts in node_modules
 * (pnpm's overrides, patches and build allowances, hooks, Bun's settings): in the key with the lock.
 * Not .npmrc, .yarnrc or .yarnrc.yml: they may hold credentials, which the host never reads.
 */
export const NODE_SETTINGS = ['pnpm-workspace.yaml', '.pnpmfile.cjs', 'bunfig.toml'];

async function nodePinning(manifest: string, root: RepoRoot): Promise<Pinning> {
  const locked = await withLockFile(manifest, root, NODE_LOCKS);
  if (!locked.pinned) return locked;
  const dir = path.dirname(manifest);
  const settings: string[] = [];
  for (const name of NODE_SETTINGS) {
    if ((await readText(root, path.join(dir, name))) !== undefined) settings.push(path.join(dir, name));
  }
  return { pinned: true, files: [...locked.files, ...settings] };
}

// ---- Python -------------------------------------------------------------------------------------------

// `name[extra]==1.2.3` or `===`, with an optional environment marker; no wildcard (`==1.*`).
const PYTHON_PIN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*===?\s*[^\s*,;]+\s*(;.*)?$/;
const INCLUDE = /^(?:-r|--requirement|-c|--constraint)(?:\s*=?\s*|\s+)(\S+)$/;
const EDITABLE = /^(?:-e|--editable)\b/;
// Options that change where packages come from, not which versions: the file's bytes are in the key.
const OPTION = /^-/;

export interface RequirementLine {
  readonly text: string;
  /** 1-based number of the line it starts on. */
  readonly number: number;
}

/** Logical lines of a requirements file: continuations joined, comments and blank lines dropped. */
export function requirementLines(text: string): RequirementLine[] {
  const lines: RequirementLine[] = [];
  let start = 0;
  let joined = '';
  text.split(/\r?\n/).forEach((raw, i) => {
    if (joined === '') start = i + 1;
    if (raw.endsWith('\\')) {
      joined += `${raw.slice(0, -1)} `;
      return;
    }
    const line = (joined + raw).replace(/(^|\s)#.*$/, '').trim();
    joined = '';
    if (line.length > 0) lines.push({ text: line, number: start });
  });
  return lines;
}

/** Why one requirement line is not pinned, or undefined when it is. */
export function unpinnedRequirement(line: string): string | undefined {
  if (EDITABLE.test(line)) return 'an editable install follows its source';
  if (OPTION.test(line)) return undefined;
  if (/\s--hash[=\s]/.test(` ${line}`)) return undefined;
  const requirement = line.replace(/\s+--\S+.*$/, '');
  if (/:\/\/|^\.{0,2}\/|^[A-Za-z]:\\/.test(requirement) || /\s@\s/.test(requirement)) {
    return 'a URL or path without --hash can change under the same name';
  }
  if (!PYTHON_PIN.test(requirement)) return 'not name==version';
  return undefined;
}

async function pythonPinning(file: string, root: RepoRoot, seen: Set<string>): Promise<Pinning> {
  seen.add(file);
  const text = await readText(root, file);
  if (text === undefined) return notPinned(`${shownIn(root, file)} cannot be read`);
  const files = [file];
  for (const { text: line, number } of requirementLines(text)) {
    const where = `${shownIn(root, file)} line ${number}`;
    const include = INCLUDE.exec(line);
    if (include) {
      const target = path.resolve(path.dirname(file), include[1]!);
      if (seen.has(target)) continue;
      const inner = await included(target, root, seen, where);
      if (!inner.pinned) return notPinned(`${where} → ${inner.reason}`);
      files.push(...inner.files);
      continue;
    }
    const reason = unpinnedRequirement(line);
    if (reason) return notPinned(`${where}: ${reason}`);
  }
  return { pinned: true, files };
}

/** A -r / -c include; a refusal names the including line, not the path it gives (which could be anything). */
async function included(target: string, root: RepoRoot, seen: Set<string>, where: string): Promise<Pinning> {
  try {
    return await pythonPinning(target, root, seen);
  } catch (error) {
    if (!(error instanceof RefusedFileError) || error.file !== shownIn(root, target)) throw error;
    const reason = {
      outside: `includes a file outside ${root.name}`,
      kept: 'includes a file the build is kept from (credentials may be there)',
      'not a file': `includes something that ${error.reason}`,
    }[error.why];
    throw new RefusedFileError(where, reason, error.why);
  }
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

async function mavenPinning(manifest: string, root: RepoRoot): Promise<Pinning> {
  const reason = unpinnedPom((await readText(root, manifest)) ?? '');
  return reason ? notPinned(`${path.basename(manifest)}: ${reason}`) : { pinned: true, files: [manifest] };
}

async function gradlePinning(manifest: string, root: RepoRoot): Promise<Pinning> {
  const locked = await withLockFile(manifest, root, ['gradle.lockfile']);
  if (!locked.pinned) return notPinned(`${locked.reason} (run gradle dependencies --write-locks)`);
  const settings = await withLockFile(manifest, root, ['settings.gradle', 'settings.gradle.kts']);
  return { pinned: true, files: [...locked.files, ...(settings.pinned ? settings.files.slice(1) : [])] };
}
