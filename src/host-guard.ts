/**
 * The host's one rule for files it did not write. The build runs code nobody here wrote (setup.py, npm
 * scripts, gem extensions) and the repository may come from a pull request, so whatever either leaves
 * behind is hostile to the host:
 * - guardLayerTree(): after every container that wrote the layer exits, and before the host moves,
 *   trims, inspects or zips it, the tree is walked without following links (lstat). A link that leads
 *   out of the layer, a FIFO, socket or device, or anything whose real path leaves the layer is refused.
 * - locate() / readRepoFile() / copyRepoFile(): every host read of a repository file (an input path,
 *   the manifest, its lock files, requirements includes) resolves the file's real path first and
 *   refuses one outside its root (the working directory: all the build sees), one the build is kept
 *   from (src/sandbox.ts: .git, credential files), and anything but a regular file.
 * Refusals name the file (and line), never a file's contents.
 */
import * as fs from 'node:fs';
import { copyFile, open, readdir, readlink, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { keptFromBuild } from './sandbox.js';

/** Why the host refuses a repository file: it leads outside its root, to what the build is kept from, or is no file. */
export type Refusal = 'outside' | 'kept' | 'not a file';

/** A repository file the host will not read; the message names it and says why, never what it holds. */
export class RefusedFileError extends Error {
  override name = 'RefusedFileError';
  constructor(
    /** How the file is shown: relative to its root (or "requirements.txt line 3"). */
    readonly file: string,
    /** Why, without the file's name: "is a FIFO (named pipe), not a file". */
    readonly reason: string,
    readonly why: Refusal,
  ) {
    super(
      `${file} ${reason}. The host reads a repository file only when it is a regular file inside ` +
        'working-directory that the build may read too (see docs/security.md).',
    );
  }
}

/** Whether `candidate` is `dir` or below it (both absolute, compared as written). */
export function isInside(dir: string, candidate: string): boolean {
  const relative = path.relative(dir, candidate);
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** What a path is, in words: 'file', 'folder', 'symlink', 'FIFO (named pipe)', 'socket' or 'device'. */
export function kindOf(entry: fs.Stats | fs.Dirent): string {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'folder';
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFIFO()) return 'FIFO (named pipe)';
  if (entry.isSocket()) return 'socket';
  return 'device';
}

// ---- repository files -------------------------------------------------------------------------------

/** The folder a repository path must stay in, with the runner's temp folder if the build is kept from it. */
export interface RepoRoot {
  readonly dir: string;
  /** "working-directory", "the workspace": how messages name `dir`. */
  readonly name: string;
  /** RUNNER_TEMP: covered in the build (src/sandbox.ts), so never read for it either. */
  readonly tempDir?: string;
}

/** The root of every repository file a build reads: the working directory, the only folder it sees. */
export function workingRoot(inputs: { workingDirectory: string; tempDir: string }): RepoRoot {
  return { dir: inputs.workingDirectory, name: 'working-directory', tempDir: inputs.tempDir };
}

export type Located =
  | { readonly status: 'missing' }
  /** `reason` says `why` in words. */
  | { readonly status: 'refused'; readonly why: Exclude<Refusal, 'not a file'>; readonly reason: string }
  | { readonly status: 'found'; readonly real: string; readonly kind: string };

/**
 * Where `file` really leads, checked against `roots` (the path and its real path must each lie in one of them);
 * nothing is opened. Synchronous: input checks use it too.
 */
export function locate(file: string, roots: readonly RepoRoot[]): Located {
  const resolved = path.resolve(file);
  const lexical = roots.filter((root) => isInside(path.resolve(root.dir), resolved));
  const outside = `is outside ${roots.map((root) => root.name).join(' and ')}`;
  if (lexical.length === 0) return { status: 'refused', why: 'outside', reason: outside };
  let real: string;
  try {
    real = fs.realpathSync(resolved);
  } catch {
    return { status: 'missing' };
  }
  // The real path may lie in another root: a workspace link to a zip under RUNNER_TEMP is fine.
  const root = roots.find((r) => isInside(realOf(r.dir), real));
  if (root === undefined) {
    const link = linkText(resolved);
    const reason = `${link ? `is a symlink to ${link}, which` : 'resolves to a path that'} ${outside}`;
    return { status: 'refused', why: 'outside', reason };
  }
  const rootReal = realOf(root.dir);
  const relative = path.relative(rootReal, real).split(path.sep).join('/');
  // RUNNER_TEMP counts only below the root, as in the build; a root inside it (a test's /tmp) is fine.
  const temp = root.tempDir === undefined ? undefined : realOf(root.tempDir);
  const inTemp = temp !== undefined && temp !== rootReal && isInside(rootReal, temp) && isInside(temp, real);
  if (keptFromBuild(relative) || inTemp) {
    return {
      status: 'refused',
      why: 'kept',
      reason: `leads to ${JSON.stringify(relative)}, which is kept from the build (credentials may be there)`,
    };
  }
  return { status: 'found', real, kind: kindOf(fs.statSync(real)) };
}

function realOf(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** The target a symlink names, quoted, when `file` itself is one. */
function linkText(file: string): string | undefined {
  try {
    return JSON.stringify(fs.readlinkSync(file));
  } catch {
    return undefined;
  }
}

/** The real path of a repository file the host may read; undefined when nothing is there. */
export function resolveRepoFile(root: RepoRoot, file: string): string | undefined {
  const shown = shownIn(root, file);
  const found = locate(file, [root]);
  if (found.status === 'missing') return undefined;
  if (found.status === 'refused') throw new RefusedFileError(shown, found.reason, found.why);
  if (found.kind !== 'file')
    throw new RefusedFileError(shown, `is a ${found.kind}, not a file`, 'not a file');
  return found.real;
}

/** A repository file as messages name it: relative to its root. */
export function shownIn(root: RepoRoot, file: string): string {
  return path.relative(root.dir, path.resolve(file)).split(path.sep).join('/') || '.';
}

/** The bytes of a repository file (see resolveRepoFile); never blocks on a FIFO swapped in meanwhile. */
export async function readRepoFile(root: RepoRoot, file: string): Promise<Buffer | undefined> {
  const real = resolveRepoFile(root, file);
  if (real === undefined) return undefined;
  const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK } = fs.constants;
  const handle = await open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) {
      throw new RefusedFileError(shownIn(root, file), 'is not a file', 'not a file');
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Copies a repository file (see resolveRepoFile) to `dest`; false when nothing is there. */
export async function copyRepoFile(root: RepoRoot, file: string, dest: string): Promise<boolean> {
  const real = resolveRepoFile(root, file);
  if (real === undefined) return false;
  await copyFile(real, dest);
  return true;
}

// ---- the layer tree ---------------------------------------------------------------------------------

/** Problems listed in a refusal, at most; the count says how many more. */
const SHOWN_PROBLEMS = 5;

/**
 * Walks `layerDir` without following links and throws when the tree holds a link that leads out of it
 * (or nowhere), a FIFO, socket or device: `after` says what wrote it ("the build in <image>").
 */
export async function guardLayerTree(layerDir: string, after: string): Promise<void> {
  const top = fs.lstatSync(layerDir);
  if (!top.isDirectory()) {
    throw new Error(`After ${after}, the layer folder ${layerDir} is a ${kindOf(top)}, not a folder.`);
  }
  const rootReal = await realpath(layerDir);
  const problems: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of await readdir(path.join(rootReal, dir), { withFileTypes: true })) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) pending.push(relative);
      else if (entry.isSymbolicLink()) {
        const why = await linkProblem(rootReal, path.join(rootReal, relative));
        if (why) problems.push(`${JSON.stringify(relative)} ${why}`);
      } else if (!entry.isFile()) problems.push(`${JSON.stringify(relative)} is a ${kindOf(entry)}`);
    }
  }
  if (problems.length === 0) return;
  problems.sort();
  const more = problems.length - SHOWN_PROBLEMS;
  throw new Error(
    `After ${after}, the layer holds what the host refuses to touch: ` +
      `${problems.slice(0, SHOWN_PROBLEMS).join('; ')}${more > 0 ? `; and ${more} more` : ''}. ` +
      'A layer may hold only files, folders and symlinks that stay inside it; nothing was moved, ' +
      'trimmed or zipped (see docs/security.md).',
  );
}

/** Why a link in the layer is refused, or undefined when it leads to something inside the layer. */
async function linkProblem(rootReal: string, link: string): Promise<string | undefined> {
  const target = await readlink(link);
  const shown = `is a symlink to ${JSON.stringify(target)}`;
  if (!isInside(rootReal, path.resolve(path.dirname(link), target))) return `${shown}, outside the layer`;
  let real: string;
  try {
    real = await realpath(link);
  } catch (error) {
    return `${shown}, which leads nowhere (${(error as NodeJS.ErrnoException).code ?? 'unresolved'})`;
  }
  return isInside(rootReal, real) ? undefined : `${shown}, which resolves outside the layer`;
}
