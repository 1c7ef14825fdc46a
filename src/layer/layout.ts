/**
 * Checks that a built layer tree has the folder layout Lambda expects under /opt for its runtime,
 * before anything is zipped or published. A wrong layout is the classic silent failure: the zip
 * publishes fine and every import fails at run time.
 */
import type { TreeEntry } from './zip.js';
import { familyOf, type Runtime } from '../runtimes/index.js';

export class LayoutError extends Error {
  constructor(problem: string, found: readonly string[], expected: readonly string[]) {
    super(
      `${problem}\nFound layout:\n${found.map((line) => `  ${line}`).join('\n') || '  (nothing)'}\n` +
        `Expected for this runtime:\n${expected.map((line) => `  ${line}`).join('\n')}`,
    );
    this.name = 'LayoutError';
  }
}

/** Folder outline of a tree, two levels deep below each root folder, with file counts. */
export function describeLayout(entries: readonly TreeEntry[], depth = 4): string[] {
  const counts = new Map<string, number>();
  for (const entry of entries) {
    if (entry.type !== 'file') continue;
    const parts = entry.path.split('/');
    const key =
      parts.length > depth
        ? `${parts.slice(0, depth).join('/')}/`
        : parts.length === 1
          ? parts[0]!
          : `${parts.slice(0, -1).join('/')}/`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .slice(0, 40)
    .map(([key, count]) => (key.endsWith('/') ? `${key} (${count} file${count === 1 ? '' : 's'})` : key));
}

/** The layouts this runtime reads, as a reader would write them. */
export function expectedLayout(runtime: Runtime): string[] {
  const family = familyOf(runtime);
  const lines = runtime.modulePaths.map((modulePath) => `${modulePath}/`);
  for (const root of family.roots) {
    if (!lines.some((line) => line.startsWith(`${root}/`))) lines.push(`${root}/`);
  }
  return lines;
}

export interface LayoutSummary {
  /** The module path(s) under /opt that hold packages, e.g. `python/lib/python3.12/site-packages`. */
  readonly modulePaths: readonly string[];
  readonly outline: readonly string[];
}

/** The runtime's module paths that hold files no more specific module path (listed first) holds. */
export function modulePathsIn(entries: readonly TreeEntry[], runtime: Runtime): string[] {
  // Another version's folder (python/lib/python3.13/ inside python/) is not this runtime's.
  const pattern = familyOf(runtime).versionedFolder;
  const files = entries.filter(
    (entry) =>
      entry.type === 'file' && (pattern?.exec(entry.path)?.[2] ?? runtime.version) === runtime.version,
  );
  return runtime.modulePaths.filter((dir, index) =>
    files.some(
      (file) =>
        file.path.startsWith(`${dir}/`) &&
        !runtime.modulePaths.slice(0, index).some((specific) => file.path.startsWith(`${specific}/`)),
    ),
  );
}

/**
 * Throws LayoutError when the tree cannot work as a layer for `runtime` and every runtime it declares
 * (`declared`, of the same family): each must find its packages.
 */
export function checkLayout(
  entries: readonly TreeEntry[],
  runtime: Runtime,
  declared: readonly Runtime[] = [runtime],
): LayoutSummary {
  const outline = describeLayout(entries);
  const expected = expectedLayout(runtime);
  const fail = (problem: string): never => {
    throw new LayoutError(problem, outline, expected);
  };
  const files = entries.filter((entry) => entry.type === 'file');
  if (files.length === 0) fail('The layer is empty: the build produced no files.');

  const roots = familyOf(runtime).roots;
  const strays = [...new Set(files.map((file) => file.path.split('/')[0]!))].filter(
    (top) => !roots.includes(top),
  );
  if (strays.length > 0) {
    fail(
      `The layer has content outside the folders ${runtime.id} reads (${roots.map((r) => `${r}/`).join(', ')}): ` +
        `${strays.join(', ')}. Lambda extracts a layer to /opt; files elsewhere are never loaded.`,
    );
  }
  for (const root of roots) {
    if (files.some((file) => file.path.startsWith(`${root}/${root}/`))) {
      fail(`The layer nests ${root}/${root}/: zip the contents of the build folder, not the folder itself.`);
    }
  }

  const under = (dir: string): boolean => files.some((file) => file.path.startsWith(`${dir}/`));
  const modulePaths = modulePathsIn(entries, runtime);
  const family = familyOf(runtime);
  const runtimes = [runtime, ...declared.filter((other) => other.id !== runtime.id)];
  const wrongVersion = [
    ...new Set(files.map((file) => versionedDir(file.path, runtimes)).filter(Boolean)),
  ] as string[];
  if (wrongVersion.length > 0) {
    const ids = runtimes.map((r) => r.id).join(', ');
    fail(
      `The layer installs into ${wrongVersion.join(', ')}, which ${ids} ${runtimes.length === 1 ? 'does' : 'do'} not read. ` +
        `Build with the ${runtime.id} image or set runtime to the version the packages were built for.`,
    );
  }
  for (const other of runtimes) {
    const missing = missingVersionFolder(files, other);
    if (missing) {
      fail(
        `The layer declares ${other.id} but has no ${missing}/ and nothing under the folders every version ` +
          `reads: ${other.id} would not find its packages. Build for each version (the default build does, ` +
          `in each version's build image), or remove ${other.id} from compatible-runtimes.`,
      );
    }
  }
  const languageRoot = family.languageRoot;
  if (
    languageRoot !== undefined &&
    family.withoutModulePath &&
    under(languageRoot) &&
    modulePaths.length === 0
  ) {
    fail(`The layer has a ${languageRoot}/ folder ${family.withoutModulePath}.`);
  }
  if (!family.roots.some((root) => under(root) || files.some((file) => file.path === root))) {
    fail(`The layer has no ${family.roots.map((root) => `${root}/`).join(', ')}.`);
  }
  return { modulePaths, outline };
}

/** A versioned folder of the family for none of the runtimes' versions (python3.12 vs python3.11). */
function versionedDir(filePath: string, runtimes: readonly Runtime[]): string | undefined {
  const match = familyOf(runtimes[0]!).versionedFolder?.exec(filePath);
  return match && !runtimes.some((runtime) => runtime.version === match[2]) ? `${match[1]}/` : undefined;
}

/**
 * The runtime's own version folder, when the layer has version folders but not this one, and nothing in
 * the folders every version reads (`python/` for a pure-Python layer): the runtime would find nothing.
 */
function missingVersionFolder(files: readonly TreeEntry[], runtime: Runtime): string | undefined {
  const pattern = familyOf(runtime).versionedFolder;
  if (!pattern) return undefined;
  const versioned = runtime.modulePaths.filter((dir) => pattern.test(`${dir}/`));
  const shared = runtime.modulePaths.filter((dir) => !pattern.test(`${dir}/`));
  // python/ holds every version's folder too: only what is outside them is shared.
  const holds = (dir: string): boolean =>
    files.some((file) => file.path.startsWith(`${dir}/`) && !pattern.test(file.path));
  const anyVersionFolder = files.some((file) => pattern.test(file.path));
  if (!anyVersionFolder || versioned.some((dir) => files.some((f) => f.path.startsWith(`${dir}/`)))) {
    return undefined;
  }
  if (shared.some(holds)) return undefined;
  return versioned[0];
}
