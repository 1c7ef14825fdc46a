/**
 * What a build container sees of the workspace: the source folder, minus the credentials that the
 * runner, actions/checkout and earlier workflow steps leave in it. The build runs code nobody here wrote
 * (setup.py, npm lifecycle scripts, gem extensions, Maven plugins) with the network on, so anything it
 * can read it can send away: a persisted checkout token is the job's GITHUB_TOKEN.
 *
 * The source folder is mounted as it is (a manifest may reference any file beside it: `-e ./pkg`,
 * `file:../lib`, a Gradle include), and each credential found in it is covered by a read-only mount: an
 * empty folder over `.git` and over RUNNER_TEMP, an empty file over a credential file, and a copy without
 * its credential lines over a package manager's config file (its registry settings stay).
 */
import { mkdir, readFile, readdir, realpath, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ContainerRun } from './docker.js';

type Mount = ContainerRun['mounts'][number];

/** Why a path is covered, for the log. */
export interface HiddenPath {
  /** Posix path relative to the source folder. */
  readonly path: string;
  readonly how: 'emptied' | 'credentials removed';
}

/** Files that hold nothing but credentials: covered by an empty file. */
const CREDENTIAL_FILES = [
  /^\.git-credentials$/,
  /^\.netrc$/,
  /^_netrc$/,
  /^\.pypirc$/,
  /^gha-creds-.*\.json$/,
];
/** Package manager configs: their credential lines are removed, the rest (registry, options) kept. */
const CONFIG_FILES = new Set(['.npmrc', '.yarnrc', '.yarnrc.yml']);
/** A token, password or client key in npm / yarn config syntax (`key=value`, `key: value`, `"key" value`). */
const CREDENTIAL_LINE =
  /(?:^|[\s"'/:])(?:_authToken|_auth|_password|_authIdent|npmAuthToken|npmAuthIdent|username|password|certfile|keyfile)["']?\s*[=:\s]/i;
/** A URL with a user or password in it: https://user:token@host/. */
const URL_WITH_USERINFO = /[a-z][a-z0-9+.-]*:\/\/[^/\s@]+@/i;
/** Folders not searched: installed packages bring their own dotfiles, which no workflow wrote. */
const NOT_SEARCHED = new Set(['node_modules']);

/** How the build sees an entry of this name: covered by an empty one, as a cleaned copy, or as it is. */
function covering(name: string, isDirectory: boolean): HiddenPath['how'] | undefined {
  // A `.git` file (a submodule or worktree) points at a git folder: covered all the same.
  if (name === '.git') return 'emptied';
  if (isDirectory) return undefined;
  if (CREDENTIAL_FILES.some((pattern) => pattern.test(name))) return 'emptied';
  return CONFIG_FILES.has(name) ? 'credentials removed' : undefined;
}

/**
 * Whether the build is kept from this path (posix, relative to the source folder), in whole or in part:
 * the host never reads such a file on the build's behalf either (src/host-guard.ts).
 */
export function keptFromBuild(relPath: string): boolean {
  const names = relPath.split('/');
  return names.some((name, i) => covering(name, i < names.length - 1) !== undefined);
}

export interface SourceView {
  /** The source mount first, then the mounts that cover credentials inside it. */
  readonly mounts: Mount[];
  readonly hidden: readonly HiddenPath[];
}

/**
 * The mounts that show `source` at `container` without its credentials. `scratch` is a fresh folder of
 * ours for the empty folder, empty file and cleaned copies; `tempDir` is RUNNER_TEMP.
 */
export async function sourceView(options: {
  source: string;
  container: string;
  readonly: boolean;
  scratch: string;
  tempDir: string;
}): Promise<SourceView> {
  const { source, container, scratch } = options;
  await mkdir(scratch, { recursive: true });
  const emptyDir = path.join(scratch, 'empty');
  const emptyFile = path.join(scratch, 'empty-file');
  await mkdir(emptyDir, { recursive: true, mode: 0o555 });
  await writeFile(emptyFile, '', { mode: 0o444 });
  const tempDir = await realpath(options.tempDir).catch(() => path.resolve(options.tempDir));

  const mounts: Mount[] = [{ host: source, container, readonly: options.readonly }];
  const hidden: HiddenPath[] = [];
  const cover = (relPath: string, host: string, how: HiddenPath['how']): void => {
    mounts.push({ host, container: `${container}/${relPath}`, readonly: true });
    hidden.push({ path: relPath, how });
  };

  const visit = async (dir: string, relDir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    // Sorted, so that the mounts and the log are the same on every run.
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const relPath = relDir ? `${relDir}/${entry.name}` : entry.name;
      const full = path.join(dir, entry.name);
      const how =
        entry.isDirectory() || entry.isFile() ? covering(entry.name, entry.isDirectory()) : undefined;
      if (how === 'emptied') cover(relPath, entry.isDirectory() ? emptyDir : emptyFile, how);
      else if (entry.isDirectory()) {
        if (full === tempDir) cover(relPath, emptyDir, 'emptied');
        else if (!NOT_SEARCHED.has(entry.name)) await visit(full, relPath);
      } else if (how === 'credentials removed') {
        const cleaned = withoutCredentials(await readFile(full, 'utf8'));
        if (cleaned !== undefined) {
          const copy = path.join(scratch, `cleaned-${hidden.length}-${entry.name}`);
          await writeFile(copy, cleaned, { mode: 0o444 });
          cover(relPath, copy, how);
        }
      }
    }
  };
  await visit(await realpath(source), '');
  return { mounts, hidden };
}

/** The config text without its credential lines; undefined when it has none. */
export function withoutCredentials(text: string): string | undefined {
  const lines = text.split('\n');
  const kept = lines.filter((line) => !CREDENTIAL_LINE.test(line) && !URL_WITH_USERINFO.test(line));
  return kept.length === lines.length ? undefined : kept.join('\n');
}
