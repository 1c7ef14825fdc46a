import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  hiddenFormOf,
  outOfSync,
  ownersOf,
  planNpmReuse,
  readNpmLock,
  renderHidden,
  type LockEntry,
  type NpmCache,
  type NpmLock,
  type NpmPlan,
} from '../../src/cache/npm-reuse.js';

const sha = (n: number): string => `sha512-${String(n).repeat(4)}==`;
const entry = (version: string, n: number, extra: Partial<LockEntry> = {}): LockEntry => ({
  version,
  resolved: `https://registry.npmjs.org/x/-/x-${version}.tgz`,
  integrity: sha(n),
  ...extra,
});

const lockOf = (packages: Record<string, LockEntry>): NpmLock => ({
  top: { name: 'layer', version: '1.0.0', lockfileVersion: 3, requires: true },
  packages: { '': { name: 'layer', version: '1.0.0' }, ...packages },
});

const BASE = {
  'node_modules/a': entry('1.0.0', 1),
  'node_modules/@s/b': entry('2.0.0', 2, { bin: { bee: 'cli.js' } }),
  'node_modules/@s/b/node_modules/a': entry('0.9.0', 3),
  'node_modules/dev-only': entry('1.0.0', 4, { dev: true }),
};
const installedBase = ['node_modules/a', 'node_modules/@s/b', 'node_modules/@s/b/node_modules/a'];

const cacheOf = (lock: NpmLock, installed: string[], extra: Partial<NpmCache> = {}): NpmCache => ({
  installed: Object.fromEntries(installed.map((key) => [key, lock.packages[key]!])),
  skipped: {},
  hidden: 'as-locked',
  folders: {},
  ...extra,
});
const distsOf = (installed: string[]) =>
  installed.map((key) => ({ name: key, version: '', hashes: [], files: [`nodejs/${key}/package.json`] }));
const zipOf = (installed: string[]) => new Set(installed.map((key) => `nodejs/${key}/package.json`));

describe('reading an npm lock', () => {
  it('reads lockfileVersion 2 and 3, without npm 6’s dependency tree', () => {
    const lock = readNpmLock(
      JSON.stringify({
        name: 'l',
        lockfileVersion: 2,
        requires: true,
        packages: { '': {} },
        dependencies: {},
      }),
    );
    expect(lock).toEqual({ top: { name: 'l', lockfileVersion: 2, requires: true }, packages: { '': {} } });
  });

  it('says why it cannot read lockfileVersion 1 or something else', () => {
    expect(readNpmLock(JSON.stringify({ lockfileVersion: 1, dependencies: {} }))).toEqual({
      reason: 'has no `packages` list (lockfileVersion 1)',
    });
    expect(readNpmLock('{')).toEqual({ reason: 'is not JSON' });
  });
});

describe('a lock in sync with package.json', () => {
  const lock = lockOf({});
  const withRoot = (root: LockEntry): NpmLock => ({ ...lock, packages: { ...lock.packages, '': root } });

  it('is one whose root entry records the same dependencies (an empty list as none)', () => {
    const root = { name: 'layer', dependencies: { a: '^1.0.0' }, devDependencies: {} };
    expect(outOfSync({ name: 'other', dependencies: { a: '^1.0.0' } }, withRoot(root))).toBeUndefined();
  });

  it('is left to npm ci when package.json asks something else, or has overrides', () => {
    const root = { dependencies: { a: '^1.0.0' } };
    expect(outOfSync({ dependencies: { a: '^1.1.0' } }, withRoot(root))).toBe(
      "package.json's dependencies are not the lock's: npm ci decides",
    );
    expect(
      outOfSync({ dependencies: { a: '^1.0.0' }, optionalDependencies: { b: '1' } }, withRoot(root)),
    ).toBe("package.json's optionalDependencies are not the lock's: npm ci decides");
    expect(outOfSync({ dependencies: { a: '^1.0.0' }, overrides: { a: '1.0.1' } }, withRoot(root))).toBe(
      'package.json has overrides',
    );
  });
});

describe("npm's record of the tree (node_modules/.package-lock.json)", () => {
  const lock = lockOf(BASE);

  it('is written as npm 10 writes it: the installed entries as locked, in npm’s order', () => {
    const text = renderHidden(lock, [...installedBase].reverse(), 'as-locked');
    const parsed = JSON.parse(text) as { packages: Record<string, LockEntry> };
    expect(Object.keys(parsed.packages)).toEqual([
      'node_modules/@s/b',
      'node_modules/@s/b/node_modules/a',
      'node_modules/a',
    ]);
    expect(parsed).toMatchObject({ name: 'layer', version: '1.0.0', lockfileVersion: 3, requires: true });
    expect(parsed.packages['node_modules/a']).toEqual(BASE['node_modules/a']);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('learns the form the last npm wrote, and none when neither reproduces it byte for byte', () => {
    const without = renderHidden(lock, installedBase, 'without-resolved');
    expect(without).not.toContain('resolved');
    expect(hiddenFormOf(without, lock, installedBase)).toBe('without-resolved');
    expect(hiddenFormOf(renderHidden(lock, installedBase, 'as-locked'), lock, installedBase)).toBe(
      'as-locked',
    );
    expect(hiddenFormOf(without.replace(/\n/g, '\r\n'), lock, installedBase)).toBeUndefined();
    expect(hiddenFormOf(without, lock, ['node_modules/a'])).toBeUndefined();
  });

  it('is checked against the record npm 10 wrote for the benchmark’s layer', () => {
    const dir = path.join(import.meta.dirname, '..', '..', 'bench', 'fixtures', 'node-layer', 'after');
    const real = readNpmLock(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as NpmLock;
    const keys = Object.keys(real.packages).filter((k) => k !== '' && !real.packages[k]!.dev);
    const text = renderHidden(real, keys, 'as-locked');
    expect(JSON.parse(text).packages['node_modules/date-fns'].version).toBe('4.1.0');
    expect(Object.keys(JSON.parse(text).packages)).toEqual(
      [...keys].sort((a, b) => a.localeCompare(b, 'en')),
    );
  });
});

describe('who owns a file of the layer', () => {
  const lock = lockOf(BASE);
  const installed = new Set(installedBase);

  it('gives nested, scoped packages and .bin programs their owner; manifest copies and the record nobody', () => {
    const owners = ownersOf(
      [
        'nodejs/package.json',
        'nodejs/package-lock.json',
        'nodejs/node_modules/.package-lock.json',
        'nodejs/node_modules/a/index.js',
        'nodejs/node_modules/@s/b/cli.js',
        'nodejs/node_modules/@s/b/node_modules/a/index.js',
        'nodejs/node_modules/.bin/bee',
      ],
      lock,
      installed,
    );
    expect(owners).toEqual(
      new Map([
        ['node_modules/a', ['nodejs/node_modules/a/index.js']],
        ['node_modules/@s/b', ['nodejs/node_modules/@s/b/cli.js', 'nodejs/node_modules/.bin/bee']],
        ['node_modules/@s/b/node_modules/a', ['nodejs/node_modules/@s/b/node_modules/a/index.js']],
      ]),
    );
  });

  it('refuses a file no installed package owns, and a program two packages declare', () => {
    expect(ownersOf(['nodejs/node_modules/gone/index.js'], lock, installed)).toEqual({
      reason: 'node_modules/gone/index.js belongs to no package the lock installs',
    });
    expect(ownersOf(['nodejs/node_modules/.bin/other'], lock, installed)).toEqual({
      reason: 'node_modules/.bin/other is not the program of exactly one package',
    });
    expect(ownersOf(['nodejs/extra/file'], lock, installed)).toEqual({
      reason: 'extra/file belongs to no package the lock installs',
    });
    expect(ownersOf(['nodejs/node_modules/a/empty'], lock, installed, true)).toEqual(
      new Map([
        ['node_modules/a', ['nodejs/node_modules/a/empty']],
        ['node_modules/@s/b', []],
        ['node_modules/@s/b/node_modules/a', []],
      ]),
    );
  });
});

describe('planning the reuse of the last npm layer', () => {
  const before = lockOf(BASE);

  it('reuses every entry equal in all fields, fetches the rest by its resolved URL, and skips dev', () => {
    const after = lockOf({ ...BASE, 'node_modules/a': entry('1.1.0', 9) });
    const plan = planNpmReuse(
      after,
      cacheOf(before, installedBase),
      distsOf(installedBase),
      zipOf(installedBase),
    );
    expect(plan).toEqual({
      reuse: ['node_modules/@s/b', 'node_modules/@s/b/node_modules/a'],
      files: [
        'nodejs/node_modules/@s/b/node_modules/a/package.json',
        'nodejs/node_modules/@s/b/package.json',
      ],
      folders: [],
      fetch: [
        { path: 'node_modules/a', url: 'https://registry.npmjs.org/x/-/x-1.1.0.tgz', integrity: sha(9) },
      ],
      installed: ['node_modules/@s/b', 'node_modules/@s/b/node_modules/a', 'node_modules/a'],
    });
  });

  it('fetches a changed parent with its nested packages', () => {
    const after = lockOf({ ...BASE, 'node_modules/@s/b': entry('2.1.0', 8) });
    const plan = planNpmReuse(
      after,
      cacheOf(before, installedBase),
      distsOf(installedBase),
      zipOf(installedBase),
    );
    expect(plan).toMatchObject({
      reuse: ['node_modules/a'],
      fetch: [
        { path: 'node_modules/@s/b', url: 'https://registry.npmjs.org/x/-/x-2.1.0.tgz' },
        { path: 'node_modules/@s/b/node_modules/a', url: 'https://registry.npmjs.org/x/-/x-0.9.0.tgz' },
      ],
    });
  });

  it('counts a field other than the version as a change (a flag, a dependency range)', () => {
    const after = lockOf({
      ...BASE,
      'node_modules/a': { ...BASE['node_modules/a'], dependencies: { c: '^1' } },
    });
    const plan = planNpmReuse(
      after,
      cacheOf(before, installedBase),
      distsOf(installedBase),
      zipOf(installedBase),
    );
    expect(plan).toMatchObject({ fetch: [{ path: 'node_modules/a' }] });
  });

  it('skips again what npm skipped for this platform, and puts back the empty folders of reused packages', () => {
    const optional = entry('1.0.0', 5, { optional: true, os: ['darwin'] });
    const lock = lockOf({ ...BASE, 'node_modules/fsevents': optional });
    const cache = cacheOf(lock, installedBase, {
      skipped: { 'node_modules/fsevents': optional },
      folders: { 'node_modules/a': ['nodejs/node_modules/a/empty'] },
    });
    const plan = planNpmReuse(lock, cache, distsOf(installedBase), zipOf(installedBase));
    expect(plan).toMatchObject({ fetch: [], folders: ['nodejs/node_modules/a/empty'] });
    expect((plan as NpmPlan).installed).not.toContain('node_modules/fsevents');
  });

  it('says why when a package to fetch is more than its tarball', () => {
    const cases: [Partial<LockEntry>, string][] = [
      [{ hasInstallScript: true }, 'has an install script'],
      [{ bin: { x: 'x.js' } }, 'links programs (bin)'],
      [{ cpu: ['arm64'] }, 'is for some platforms only'],
      [{ optional: true }, 'is optional (npm may skip it)'],
      [{ bundleDependencies: ['q'] }, 'bundles dependencies'],
      [{ link: true }, 'is a link to a folder'],
      [{ integrity: 'sha1-abc=' }, 'has no sha512 integrity'],
      [{ resolved: 'git+ssh://git@github.com/x/y.git#abc' }, 'does not come from a registry'],
      [{ resolved: undefined }, 'has no resolved URL'],
    ];
    for (const [extra, why] of cases) {
      const after = lockOf({ ...BASE, 'node_modules/new': entry('1.0.0', 7, extra) });
      const plan = planNpmReuse(
        after,
        cacheOf(before, installedBase),
        distsOf(installedBase),
        zipOf(installedBase),
      );
      expect(plan).toEqual({ reason: `node_modules/new ${why}` });
    }
  });

  it('refuses two packages of one folder that link the same program', () => {
    const after = lockOf({ ...BASE, 'node_modules/c': entry('1.0.0', 6, { bin: { bee: 'x.js' } }) });
    const installed = [...installedBase, 'node_modules/c'];
    const plan = planNpmReuse(after, cacheOf(after, installed), distsOf(installed), zipOf(installed));
    expect(plan).toEqual({ reason: 'node_modules/c and node_modules/@s/b both link the program bee' });
  });

  it('refuses a lock path outside node_modules, and an index folder outside its package', () => {
    const odd = lockOf({ ...BASE, 'node_modules/../../etc': entry('1.0.0', 7) });
    expect(
      planNpmReuse(odd, cacheOf(before, installedBase), distsOf(installedBase), zipOf(installedBase)),
    ).toEqual({ reason: 'node_modules/../../etc is not a node_modules folder' });
    const cache = cacheOf(before, installedBase, {
      folders: { 'node_modules/a': ['nodejs/node_modules/a/../../x'] },
    });
    expect(planNpmReuse(before, cache, distsOf(installedBase), zipOf(installedBase))).toEqual({
      reason:
        "the last build's index gives node_modules/a the folder nodejs/node_modules/a/../../x (corrupt cache?)",
    });
  });

  it('fetches a package whose files the last zip lacks', () => {
    const zip = zipOf(installedBase);
    zip.delete('nodejs/node_modules/a/package.json');
    const plan = planNpmReuse(before, cacheOf(before, installedBase), distsOf(installedBase), zip);
    expect(plan).toMatchObject({ fetch: [{ path: 'node_modules/a' }] });
  });
});
