/**
 * The Node.js lock fixtures (made by the real tools: scripts/node-lock-fixtures.sh) and, for the tests,
 * what each lock says: its non-dev closure as `name@version` strings, read with the `yaml` package and
 * small readers here (test code only; the action itself never parses a lock on the host), and what a
 * built layer holds, read from every package.json under node_modules.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const NODE_LOCK_FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'node-locks');

/** The files of a fixture folder, for workspace(). */
export function fixtureFiles(name: string, prefix = ''): Record<string, string> {
  const dir = path.join(NODE_LOCK_FIXTURES, name);
  return Object.fromEntries(
    fs.readdirSync(dir).map((file) => [`${prefix}${file}`, fs.readFileSync(path.join(dir, file), 'utf8')]),
  );
}

type Deps = Record<string, string>;
interface PackageJson {
  dependencies?: Deps;
  optionalDependencies?: Deps;
}

/** Every package a layer holds, at any depth of node_modules, as sorted unique `name@version`. */
export function installedPackages(modulesDir: string): string[] {
  const found = new Set<string>();
  const visit = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir)) {
      if (entry.startsWith('.')) continue;
      const names = entry.startsWith('@')
        ? fs.readdirSync(path.join(dir, entry)).map((n) => `${entry}/${n}`)
        : [entry];
      for (const name of names) {
        const manifest = path.join(dir, name, 'package.json');
        if (!fs.existsSync(manifest)) continue;
        const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string };
        found.add(`${name}@${version}`);
        visit(path.join(dir, name, 'node_modules'));
      }
    }
  };
  visit(modulesDir);
  return [...found].sort();
}

/** The non-dev closure of a lock fixture, as sorted unique `name@version`. */
export function lockClosure(fixture: string, lock: string): string[] {
  const dir = path.join(NODE_LOCK_FIXTURES, fixture);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  const text = fs.readFileSync(path.join(dir, lock), 'utf8');
  const roots = { ...manifest.dependencies, ...manifest.optionalDependencies };
  const found = new Set<string>();
  const walk = (key: string | undefined, resolve: (key: string) => [string, string, Deps]): void => {
    if (key === undefined) return;
    const [name, version, deps] = resolve(key);
    if (found.has(`${name}@${version}`)) return;
    found.add(`${name}@${version}`);
    for (const [dep, range] of Object.entries(deps)) walk(childKey(key, dep, range), resolve);
  };
  let childKey: (parent: string, dep: string, range: string) => string | undefined;
  if (lock === 'pnpm-lock.yaml') {
    const doc = parse(text) as {
      importers: Record<string, { dependencies?: Record<string, { version: string }> }>;
      snapshots: Record<string, { dependencies?: Deps; optionalDependencies?: Deps }>;
    };
    childKey = (_parent, dep, version) => `${dep}@${version}`;
    const resolve = (key: string): [string, string, Deps] => {
      const at = key.lastIndexOf('@');
      const snapshot = doc.snapshots[key] ?? {};
      return [
        key.slice(0, at),
        key.slice(at + 1),
        { ...snapshot.dependencies, ...snapshot.optionalDependencies },
      ];
    };
    for (const [name, { version }] of Object.entries(doc.importers['.']!.dependencies ?? {})) {
      walk(`${name}@${version}`, resolve);
    }
  } else if (lock === 'yarn.lock' && text.includes('__metadata:')) {
    const doc = parse(text) as Record<string, { version: string; dependencies?: Deps }>;
    const entries = new Map<string, { version: string; dependencies?: Deps; name: string }>();
    for (const [keys, entry] of Object.entries(doc)) {
      for (const descriptor of keys.split(/,\s*/)) {
        entries.set(descriptor, { ...entry, name: descriptor.slice(0, descriptor.indexOf('@', 1)) });
      }
    }
    childKey = (_parent, dep, range) => `${dep}@${range}`;
    const resolve = (key: string): [string, string, Deps] => {
      const entry = entries.get(key)!;
      return [entry.name, entry.version, entry.dependencies ?? {}];
    };
    for (const [name, range] of Object.entries(roots)) walk(`${name}@npm:${range}`, resolve);
  } else if (lock === 'yarn.lock') {
    const entries = yarnV1Entries(text);
    childKey = (_parent, dep, range) => `${dep}@${range}`;
    const resolve = (key: string): [string, string, Deps] => {
      const entry = entries.get(key)!;
      return [key.slice(0, key.indexOf('@', 1)), entry.version, entry.dependencies];
    };
    for (const [name, range] of Object.entries(roots)) walk(`${name}@${range}`, resolve);
  } else {
    // bun.lock: JSON with trailing commas; `packages` by install path ("debug", "debug/ms" for a nested copy).
    const doc = JSON.parse(text.replace(/,(\s*[}\]])/g, '$1')) as {
      packages: Record<string, [string, string, { dependencies?: Deps; optionalDependencies?: Deps }]>;
    };
    childKey = (parent, dep) => {
      const parts = parent.split('/');
      for (let i = parts.length; i >= 0; i--) {
        const candidate = [...parts.slice(0, i), dep].join('/');
        if (doc.packages[candidate]) return candidate;
      }
      return undefined;
    };
    const resolve = (key: string): [string, string, Deps] => {
      const [id, , meta] = doc.packages[key]!;
      const at = id.lastIndexOf('@');
      return [id.slice(0, at), id.slice(at + 1), { ...meta.dependencies, ...meta.optionalDependencies }];
    };
    for (const name of Object.keys(roots)) walk(name, resolve);
  }
  return [...found].sort();
}

/** Yarn v1's own format: `a@^1, a@^1.2:` blocks with `version "x"` and a `dependencies:` list. */
function yarnV1Entries(text: string): Map<string, { version: string; dependencies: Deps }> {
  const entries = new Map<string, { version: string; dependencies: Deps }>();
  let current: { version: string; dependencies: Deps } | undefined;
  let inDependencies = false;
  const unquote = (s: string): string => s.replace(/^"|"$/g, '');
  for (const line of text.split('\n')) {
    if (/^\S.*:$/.test(line) && !line.startsWith('#')) {
      current = { version: '', dependencies: {} };
      for (const key of line.slice(0, -1).split(/,\s*/)) entries.set(unquote(key), current);
      inDependencies = false;
    } else if (current && /^ {2}version /.test(line)) {
      current.version = unquote(line.trim().split(/\s+/)[1]!);
    } else if (current && /^ {2}(dependencies|optionalDependencies):$/.test(line)) {
      inDependencies = true;
    } else if (current && inDependencies && /^ {4}\S/.test(line)) {
      const [name, range] = line.trim().split(/\s+/);
      current.dependencies[unquote(name!)] = unquote(range!);
    } else if (/^ {2}\S/.test(line)) {
      inDependencies = false;
    }
  }
  return entries;
}
