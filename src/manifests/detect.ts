/**
 * Detection (issue 30): which file decides what the default build installs, and which tool installs
 * it. With no `manifest`, the working directory's lock decides; `manifest` may name a lock, or a
 * project file (pyproject.toml, Pipfile, package.json) whose lock beside it then decides. Two locks of
 * one family that nothing chooses between are refused, naming both. Synchronous: inputs are read here.
 *
 * Every file is looked at through the host guard's resolver (src/host-guard.ts): a lock that leads out
 * of the working directory, into .git or to anything but a file is refused, and messages name files,
 * never their contents.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { locate, type RepoRoot } from '../host-guard.js';
import type { Family } from '../runtimes/index.js';
import type { LockFormat, ManifestSource, PackageManager, PackageManagerName } from './types.js';

/** The most bytes the host reads of a lock or project file (a large monorepo's pnpm-lock is ~20 MB). */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** Yarn Berry writes `__metadata:` near the top of yarn.lock; v1 never does. */
const YARN_HEAD_BYTES = 64 * 1024;

/** A lock file of a family: its name, the project file beside it, the tool and the refresh command. */
export interface LockKind {
  readonly file: LockFormat;
  /** The project file the lock belongs to; a requirements file is its own. */
  readonly project: string;
  readonly tool: PackageManagerName;
  /** The command that rewrites the lock after the project file changed. */
  readonly refresh: string;
}

const REQUIREMENTS: LockKind = {
  file: 'requirements.txt',
  project: 'requirements.txt',
  tool: 'pip',
  refresh: 'pip-compile',
};

/** Each family's locks, in the order the log lists them. npm-shrinkwrap.json comes before package-lock.json: npm's own rule. */
export const LOCKS: Readonly<Record<Family, readonly LockKind[]>> = {
  python: [
    { file: 'uv.lock', project: 'pyproject.toml', tool: 'pip', refresh: 'uv lock' },
    { file: 'poetry.lock', project: 'pyproject.toml', tool: 'pip', refresh: 'poetry lock' },
    { file: 'Pipfile.lock', project: 'Pipfile', tool: 'pip', refresh: 'pipenv lock' },
    REQUIREMENTS,
  ],
  nodejs: [
    { file: 'npm-shrinkwrap.json', project: 'package.json', tool: 'npm', refresh: 'npm install' },
    { file: 'package-lock.json', project: 'package.json', tool: 'npm', refresh: 'npm install' },
    { file: 'pnpm-lock.yaml', project: 'package.json', tool: 'pnpm', refresh: 'pnpm install' },
    { file: 'yarn.lock', project: 'package.json', tool: 'yarn', refresh: 'yarn install' },
    { file: 'bun.lock', project: 'package.json', tool: 'bun', refresh: 'bun install' },
  ],
  ruby: [{ file: 'Gemfile.lock', project: 'Gemfile', tool: 'bundler', refresh: 'bundle lock' }],
  java: [],
  provided: [],
};

/** The tool of a family without locks, by manifest. */
function toolWithoutLock(family: Family, manifest: string): PackageManagerName {
  switch (family) {
    case 'python':
      return 'pip';
    case 'nodejs':
      return 'npm';
    case 'ruby':
      return 'bundler';
    case 'java':
      return /\.gradle(\.kts)?$/.test(manifest) ? 'gradle' : 'maven';
    case 'provided':
      return 'make';
  }
}

export interface Detection {
  readonly source: ManifestSource;
  /** Input problems, each naming `manifest:` or the files; empty when detection succeeded. */
  readonly problems: readonly string[];
}

export interface DetectRequest {
  readonly family: Family;
  /** Absolute working directory. */
  readonly workingDirectory: string;
  /** The `manifest` input resolved against the working directory, or undefined when not given. */
  readonly manifestPath: string | undefined;
  /** The family's default manifest (requirements.txt, package.json, …). */
  readonly defaultManifest: string;
  /** The runner's temp folder: kept from the build, so never read for it. */
  readonly tempDir?: string;
}

/** Decides the ManifestSource of a build; reads only lock and project files, through the host guard. */
export function detectManifest(request: DetectRequest): Detection {
  const { family, workingDirectory } = request;
  const root: RepoRoot = { dir: workingDirectory, name: 'working-directory', tempDir: request.tempDir };
  const problems: string[] = [];
  const rel = (file: string): string => path.relative(workingDirectory, file).split(path.sep).join('/');
  const exists = (file: string): boolean => present(root, file);
  const given = request.manifestPath;
  const locks = LOCKS[family];

  // `manifest` names a lock (by its file name): it decides, with its project file beside it.
  const namedLock =
    given && locks.find((kind) => kind !== REQUIREMENTS && kind.file === path.basename(given));
  if (given && namedLock) {
    return finish(family, root, given, namedLock, problems, rel);
  }
  // `manifest` names a project file, or nothing: the locks beside it (or in working-directory) decide.
  const manifestPath = given ?? path.join(workingDirectory, request.defaultManifest);
  const projectName = path.basename(manifestPath);
  const candidates = locks.filter(
    (kind) =>
      kind !== REQUIREMENTS &&
      (given === undefined || kind.project === projectName) &&
      exists(path.join(path.dirname(manifestPath), kind.file)),
  );
  // npm reads npm-shrinkwrap.json and ignores package-lock.json beside it: one tool, its own rule.
  const deciding = candidates.filter(
    (kind, _i, all) =>
      !(kind.file === 'package-lock.json' && all.some((k) => k.file === 'npm-shrinkwrap.json')),
  );
  // A requirements file is its own lock: named, or the default one when nothing else is there.
  if (family === 'python' && (given === undefined ? exists(manifestPath) : !isPythonProject(projectName))) {
    if (given !== undefined) return { source: requirementsSource(rel(manifestPath)), problems };
    deciding.push(REQUIREMENTS);
  }
  if (deciding.length > 1) {
    const dir = rel(path.dirname(manifestPath));
    const names = deciding.map((kind) => (dir === '' ? kind.file : `${dir}/${kind.file}`));
    problems.push(
      `manifest: ${names.join(' and ')} are both in ${dir === '' ? 'working-directory' : dir}; ` +
        `set manifest to the one that decides (e.g. manifest: ${names[0]})`,
    );
    return { source: plainSource(family, rel(manifestPath)), problems };
  }
  const kind = deciding[0];
  if (kind === undefined) {
    if (given !== undefined && isPythonProject(projectName)) {
      const beside = locks.filter((k) => k.project === projectName).map((k) => k.file);
      problems.push(
        `manifest: ${rel(manifestPath)} has no ${beside.join(' or ')} beside it; the build installs from a lock ` +
          `(run ${locks
            .filter((k) => k.project === projectName)
            .map((k) => k.refresh)
            .join(' or ')}) or a requirements file`,
      );
    }
    return { source: plainSource(family, rel(manifestPath)), problems };
  }
  if (kind === REQUIREMENTS) return { source: requirementsSource(rel(manifestPath)), problems };
  return finish(family, root, path.join(path.dirname(manifestPath), kind.file), kind, problems, rel);
}

const isPythonProject = (name: string): boolean => name === 'pyproject.toml' || name === 'Pipfile';

function requirementsSource(manifest: string): ManifestSource {
  return { manifest, lock: { path: manifest, format: 'requirements.txt' }, packageManager: { name: 'pip' } };
}

/** A manifest without a lock, installed by its family's tool. */
export function plainSource(family: Family, manifest: string): ManifestSource {
  return { manifest, packageManager: { name: toolWithoutLock(family, manifest) } };
}

/** The source of a lock: its project file must lie beside it; a Node.js lock's tool may be refined. */
function finish(
  family: Family,
  root: RepoRoot,
  lockPath: string,
  kind: LockKind,
  problems: string[],
  rel: (file: string) => string,
): Detection {
  const projectPath = path.join(path.dirname(lockPath), kind.project);
  const lock = { path: rel(lockPath), format: kind.file };
  if (!present(root, projectPath)) {
    if (present(root, lockPath)) {
      problems.push(
        `manifest: ${lock.path} needs the ${kind.project} beside it (${rel(projectPath)} does not exist); ` +
          'the lock records what that file asks for',
      );
    }
    return { source: { manifest: rel(projectPath), lock, packageManager: { name: kind.tool } }, problems };
  }
  let packageManager: PackageManager = { name: kind.tool };
  if (family === 'nodejs') {
    const tool = kind.file === 'yarn.lock' && isYarnBerry(root, lockPath) ? 'yarn-berry' : kind.tool;
    packageManager = nodePackageManager(root, projectPath, rel(projectPath), tool, lock.path, problems);
  }
  return { source: { manifest: rel(projectPath), lock, packageManager }, problems };
}

/**
 * Whether something is there under that name. A lock the host may not read (a link out of
 * working-directory or into .git, a FIFO, a folder) still counts: it decides, and the step that reads
 * it refuses it with the host guard's message (src/host-guard.ts), naming the file and why.
 */
function present(root: RepoRoot, file: string): boolean {
  return locate(file, [root]).status !== 'missing';
}

/** Reads at most `limit` bytes of a file located by present(); never blocks on a FIFO swapped in. */
export function readHead(root: RepoRoot, file: string, limit: number): Buffer {
  const found = locate(file, [root]);
  if (found.status !== 'found' || found.kind !== 'file') return Buffer.alloc(0);
  const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
  const fd = fs.openSync(found.real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    if (!fs.fstatSync(fd).isFile()) return Buffer.alloc(0);
    const buffer = Buffer.alloc(Math.min(limit, fs.fstatSync(fd).size));
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

function isYarnBerry(root: RepoRoot, lockPath: string): boolean {
  return /^__metadata:/m.test(readHead(root, lockPath, YARN_HEAD_BYTES).toString('utf8'));
}

// `pnpm@9.15.0`, `yarn@4.5.3+sha512.…` (Corepack's format): a tool and an exact version.
const PACKAGE_MANAGER = /^(npm|pnpm|yarn|bun)@(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * The tool of a Node.js lock, at the exact version package.json's `packageManager` names when it names
 * this tool; undefined otherwise (the install picks one by the lock's major). A `packageManager` that
 * names another tool than the lock's contradicts it: refused.
 */
function nodePackageManager(
  root: RepoRoot,
  packageJson: string,
  shown: string,
  tool: PackageManagerName,
  lock: string,
  problems: string[],
): PackageManager {
  const bytes = readHead(root, packageJson, MAX_MANIFEST_BYTES);
  let field: unknown;
  try {
    field = (JSON.parse(bytes.toString('utf8')) as { packageManager?: unknown } | null)?.packageManager;
  } catch {
    return { name: tool }; // npm (or the tool) reports a broken package.json with its own message
  }
  if (field === undefined) return { name: tool };
  const match = typeof field === 'string' ? PACKAGE_MANAGER.exec(field) : null;
  if (!match) {
    problems.push(
      `manifest: ${shown}'s packageManager is not <tool>@<x.y.z> (npm, pnpm, yarn or bun, as Corepack reads it)`,
    );
    return { name: tool };
  }
  const [, name, version] = match as unknown as [string, string, string];
  const named: PackageManagerName =
    name === 'yarn'
      ? Number(version.split('.')[0]) >= 2
        ? 'yarn-berry'
        : 'yarn'
      : (name as PackageManagerName);
  if (named !== tool) {
    problems.push(
      `manifest: ${shown}'s packageManager names ${name}@${version}, but ${lock} is ${describeTool(tool)}'s lock; ` +
        'make them agree (or set manifest to the lock that decides)',
    );
    return { name: tool };
  }
  // npm comes with the image's Node.js: its version is not chosen here.
  return tool === 'npm' ? { name: tool } : { name: tool, version };
}

const TOOL_NAMES: Readonly<Record<PackageManagerName, string>> = {
  pip: 'pip',
  npm: 'npm',
  pnpm: 'pnpm',
  yarn: 'Yarn v1',
  'yarn-berry': 'Yarn Berry',
  bun: 'Bun',
  bundler: 'Bundler',
  maven: 'Maven',
  gradle: 'Gradle',
  make: 'make',
};

export function describeTool(tool: PackageManagerName): string {
  return TOOL_NAMES[tool];
}

/** One log line: which file decides the versions, and which tool installs them. */
export function describeSource(source: ManifestSource): string {
  const { lock, packageManager } = source;
  const tool = `${describeTool(packageManager.name)}${packageManager.version ? ` ${packageManager.version}` : ''}`;
  if (lock === undefined)
    return `${source.manifest} decides what is installed (no lock file); ${tool} installs it.`;
  if (lock.format === 'requirements.txt')
    return `${lock.path} decides what is installed; ${tool} installs it.`;
  const how =
    packageManager.name === 'pip'
      ? `the action turns it into a pinned requirements list with hashes, which ${tool} installs`
      : `${tool} installs it`;
  return `${lock.path} decides every version (with ${source.manifest}); ${how}.`;
}
