/** uv.lock: the list exported from uv's lock, checked fresh against pyproject.toml. */
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
  settleExtras,
  sortRequirements,
  stringOf,
  type Table,
  tableOf,
  URL,
  VERSION,
} from './read.js';

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
