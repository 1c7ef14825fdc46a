/** Pipfile.lock: the list exported from Pipenv's lock, checked fresh by the Pipfile's hash. */
import { createHash } from 'node:crypto';
import type { RepoRoot } from '../../host-guard.js';
import { or } from '../markers.js';
import {
  arrayOf,
  checkChoices,
  checked,
  type ExportOptions,
  HASH,
  insidePath,
  Lines,
  type LockedRequirement,
  LockError,
  markerOf,
  NAME,
  normalize,
  parseJsonFile,
  type PythonExport,
  pythonJson,
  sortRequirements,
  type Table,
  tableOf,
  URL,
  VERSION,
} from './read.js';

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
