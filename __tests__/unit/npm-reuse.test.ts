import { describe, expect, it } from 'vitest';
import { keptPackages, lockMismatch, ownerOf } from '../../src/cache/npm-reuse.js';

const lock = JSON.stringify({
  lockfileVersion: 3,
  packages: {
    '': { name: 'app', dependencies: { ms: '2.1.3' } },
    'node_modules/ms': { version: '2.1.3', integrity: 'sha512-ms' },
    'node_modules/a/node_modules/b': { version: '1.0.0', integrity: 'sha512-b' },
    'node_modules/a': { version: '1.0.0', integrity: 'sha512-a' },
    'node_modules/dev-only': { version: '1.0.0', dev: true },
    'node_modules/fsevents': { version: '2.3.3', optional: true },
    'node_modules/both': { version: '1.0.0', devOptional: true },
  },
});
const hidden = (packages: Record<string, object>): string => JSON.stringify({ lockfileVersion: 3, packages });
const exact = {
  'node_modules/ms': { version: '2.1.3', integrity: 'sha512-ms' },
  'node_modules/a': { version: '1.0.0', integrity: 'sha512-a' },
  'node_modules/a/node_modules/b': { version: '1.0.0', integrity: 'sha512-b' },
};

describe("npm's installed tree against the lock", () => {
  it('accepts exactly the non-dev packages, optional ones left out or not', () => {
    expect(lockMismatch(lock, hidden(exact))).toBeUndefined();
    expect(
      lockMismatch(lock, hidden({ ...exact, 'node_modules/fsevents': { version: '2.3.3' } })),
    ).toBeUndefined();
  });

  it.each([
    [
      { ...exact, 'node_modules/ms': { version: '2.1.2', integrity: 'sha512-ms' } },
      'node_modules/ms is 2.1.2, and the lock says 2.1.3',
    ],
    [
      { ...exact, 'node_modules/ms': { version: '2.1.3', integrity: 'sha512-other' } },
      'node_modules/ms is 2.1.3, and the lock says 2.1.3',
    ],
    [
      { ...exact, 'node_modules/extra': { version: '1.0.0' } },
      'node_modules/extra is installed, and the lock has no such package for production',
    ],
    [
      { ...exact, 'node_modules/dev-only': { version: '1.0.0' } },
      'node_modules/dev-only is installed, and the lock has no such package for production',
    ],
    [
      { 'node_modules/ms': exact['node_modules/ms'], 'node_modules/a': exact['node_modules/a'] },
      'node_modules/a/node_modules/b is in the lock, and npm did not install it',
    ],
  ])('refuses a tree that differs (%#)', (packages, reason) => {
    expect(lockMismatch(lock, hidden(packages))).toBe(reason);
  });

  it('refuses what it cannot compare', () => {
    expect(lockMismatch(lock, undefined)).toBe('npm left no node_modules/.package-lock.json');
    expect(lockMismatch(JSON.stringify({ lockfileVersion: 1, dependencies: {} }), hidden(exact))).toBe(
      'the lock has no "packages" (lockfileVersion 1)',
    );
    expect(lockMismatch(lock, '{')).toBe('node_modules/.package-lock.json is not JSON');
  });
});

describe('what of the last node_modules a lock keeps', () => {
  it("keeps the packages at the same path, version and integrity, and trims npm's record to them", () => {
    const last = hidden({
      '': { name: 'app' },
      'node_modules/ms': { version: '2.1.2', integrity: 'sha512-old' },
      'node_modules/a': { version: '1.0.0', integrity: 'sha512-a' },
      'node_modules/a/node_modules/b': { version: '1.0.0', integrity: 'sha512-b' },
    });
    const kept = keptPackages(lock, last)!;
    expect([...kept.kept].sort()).toEqual(['node_modules/a', 'node_modules/a/node_modules/b']);
    expect(Object.keys(JSON.parse(kept.hidden).packages)).toEqual([
      '',
      'node_modules/a',
      'node_modules/a/node_modules/b',
    ]);
    expect(keptPackages(lock, '{')).toBeUndefined();
  });

  it('finds the deepest package a file belongs to', () => {
    const packages = new Set(['node_modules/a', 'node_modules/a/node_modules/b', 'node_modules/@s/c']);
    expect(ownerOf('node_modules/a/index.js', packages)).toBe('node_modules/a');
    expect(ownerOf('node_modules/a/node_modules/b/lib/x.js', packages)).toBe('node_modules/a/node_modules/b');
    expect(ownerOf('node_modules/@s/c/package.json', packages)).toBe('node_modules/@s/c');
    expect(ownerOf('node_modules/.bin/x', packages)).toBeUndefined();
  });
});
