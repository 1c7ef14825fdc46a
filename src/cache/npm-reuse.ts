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
