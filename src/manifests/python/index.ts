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
import * as path from 'node:path';
import type { RepoRoot } from '../../host-guard.js';
import { CONTAINER_SOURCE } from '../../runtimes/index.js';
import { isAlways, markerText } from '../markers.js';
import type { ManifestSource } from '../types.js';
import {
  type ExportOptions,
  type LockedRequirement,
  LockError,
  parseTomlFile,
  type PythonExport,
  readBounded,
} from './read.js';
import { exportUv } from './uv.js';
import { exportPoetry } from './poetry.js';
import { exportPipfile } from './pipfile.js';

export {
  LockError,
  parseTomlFile,
  type ExportOptions,
  type LockedRequirement,
  type PythonExport,
} from './read.js';
export { poetryContentHash } from './poetry.js';
export { pipfileHash } from './pipfile.js';

/** One requirement as pip reads it, without its hashes: `name==1.0 ; marker`, or a path or URL source. */
export function requirementSpec(req: LockedRequirement): string {
  const marker = isAlways(req.marker) ? '' : ` ; ${markerText(req.marker)}`;
  const spec =
    req.path !== undefined
      ? `${req.name} @ file://${CONTAINER_SOURCE}/${req.path}`
      : req.url !== undefined
        ? `${req.name} @ ${req.url}`
        : `${req.name}==${req.version!}`;
  return `${spec}${marker}`;
}

/** Lines of the hashed list (`--require-hashes`), and of the unhashed one (paths, git) pip installs after it. */
export function renderRequirements(exported: PythonExport): { hashed: string; unhashed: string } {
  const hashed: string[] = [];
  const unhashed: string[] = [];
  for (const req of exported.requirements) {
    const spec = requirementSpec(req);
    if (req.hashes.length === 0) unhashed.push(spec);
    else hashed.push([spec, ...req.hashes.map((hash) => `    --hash=${hash}`)].join(' \\\n'));
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
