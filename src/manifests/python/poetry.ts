/** poetry.lock: the list exported from Poetry's lock, checked fresh by its content-hash. */
import { createHash } from 'node:crypto';
import type { RepoRoot } from '../../host-guard.js';
import { ALWAYS, and, type Dnf, NEVER, or } from '../markers.js';
import {
  arrayOf,
  checkChoices,
  checked,
  type ExportOptions,
  HASH,
  insidePath,
  isTable,
  Lines,
  type LockedRequirement,
  LockError,
  markerOf,
  NAME,
  normalize,
  parseTomlFile,
  PEP508,
  type PythonExport,
  pythonJson,
  settleExtras,
  sortRequirements,
  stringOf,
  type Table,
  tableOf,
  URL,
  VERSION,
} from './read.js';

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
