/**
 * After `npm install` over the last build's node_modules (src/steps/layer-cache.ts): is the installed
 * tree exactly what `npm ci` would install from the lock? npm's record of what it installed
 * (node_modules/.package-lock.json) must hold every non-dev package of the lock, at the same path,
 * version and integrity, and nothing else. A lock out of step with package.json, which `npm ci` refuses,
 * fails this too: the build then runs `npm ci` from nothing, which says so in its own words.
 */

interface LockPackage {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly link?: boolean;
  readonly dev?: boolean;
  readonly optional?: boolean;
  readonly devOptional?: boolean;
}

type Packages = Readonly<Record<string, LockPackage>>;

function packagesOf(text: string, what: string): Packages | string {
  try {
    const parsed = JSON.parse(text) as { packages?: unknown };
    if (typeof parsed.packages !== 'object' || parsed.packages === null) {
      return `${what} has no "packages" (lockfileVersion 1)`;
    }
    return parsed.packages as Packages;
  } catch {
    return `${what} is not JSON`;
  }
}

const installed = (name: string): boolean =>
  name.startsWith('node_modules/') || name.includes('/node_modules/');

/** Why the tree npm recorded differs from the lock's non-dev packages; undefined when it is the same. */
export function lockMismatch(lockText: string, hiddenText: string | undefined): string | undefined {
  if (hiddenText === undefined) return 'npm left no node_modules/.package-lock.json';
  const lock = packagesOf(lockText, 'the lock');
  if (typeof lock === 'string') return lock;
  const hidden = packagesOf(hiddenText, 'node_modules/.package-lock.json');
  if (typeof hidden === 'string') return hidden;
  for (const [name, got] of Object.entries(hidden)) {
    if (!installed(name)) continue;
    const want = lock[name];
    if (!want || want.dev) return `${name} is installed, and the lock has no such package for production`;
    const same =
      want.version === got.version &&
      (want.integrity === undefined || got.integrity === undefined || want.integrity === got.integrity) &&
      (!want.link || want.resolved === got.resolved);
    if (!same)
      return `${name} is ${got.version ?? got.resolved}, and the lock says ${want.version ?? want.resolved}`;
  }
  for (const [name, want] of Object.entries(lock)) {
    // Optional packages may be left out (another platform's); dev ones must be.
    if (!installed(name) || want.dev || want.optional || want.devOptional) continue;
    if (!hidden[name]) return `${name} is in the lock, and npm did not install it`;
  }
  return undefined;
}

/**
 * What of the last node_modules this lock can keep: every package npm installed last time (its record,
 * node_modules/.package-lock.json) that this lock has at the same path, version and integrity. The
 * record is answered again with only those, so that npm, trusting it, installs the rest.
 */
export function keptPackages(
  lockText: string,
  hiddenText: string,
): { kept: ReadonlySet<string>; all: ReadonlySet<string>; hidden: string } | undefined {
  const lock = packagesOf(lockText, 'the lock');
  let record: { packages?: Packages };
  try {
    record = JSON.parse(hiddenText) as { packages?: Packages };
  } catch {
    return undefined;
  }
  if (typeof lock === 'string' || typeof record.packages !== 'object' || record.packages === null)
    return undefined;
  const kept = new Set<string>();
  const all = new Set(Object.keys(record.packages).filter(installed));
  const packages: Record<string, LockPackage> = {};
  for (const [name, got] of Object.entries(record.packages)) {
    const want = lock[name];
    const same =
      !installed(name) ||
      (want !== undefined &&
        !want.dev &&
        want.version === got.version &&
        want.integrity === got.integrity &&
        want.resolved === got.resolved);
    if (!same) continue;
    packages[name] = got;
    if (installed(name)) kept.add(name);
  }
  return { kept, all, hidden: JSON.stringify({ ...record, packages }, null, 2) };
}

/** The package folder (`node_modules/a/node_modules/b`) a path under node_modules belongs to, if any. */
export function ownerOf(file: string, packages: ReadonlySet<string>): string | undefined {
  const parts = file.split('/');
  for (let end = parts.length - 1; end > 0; end--) {
    const folder = parts.slice(0, end).join('/');
    if (packages.has(folder)) return folder;
  }
  return undefined;
}
