/**
 * Node.js lock files installed by their own tools (issue 30), with real Docker and the stand-in images:
 * pnpm, Yarn v1, Yarn Berry and Bun, each fetched at its exact version from the npm registry inside the
 * build container. The locks were made by the real tools (scripts/node-lock-fixtures.sh).
 */
import { getExecOutput } from '@actions/exec';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SAVE_STATE, saveDownloadCache, type PendingSave } from '../../src/cache/store.js';
import { defaultDeps, type Deps } from '../../src/deps.js';
import { startActionsCacheDouble } from '../support/actions-cache-double.js';
import { startAwsDouble } from '../support/aws-double.js';
import { fixtureFiles, installedPackages, lockClosure } from '../support/node-locks.js';
import { runInProcess as release, workspace } from '../support/release.js';
import { parseOutputFile } from '../support/runner.js';

const RUNTIME = 'nodejs20.x';
beforeEach(() => vi.unstubAllEnvs());

/** A workspace holding a fixture project, its package.json edited by `edit`. */
function project(fixture: string, edit?: (manifest: Record<string, unknown>) => void): string {
  const files = fixtureFiles(fixture);
  if (edit) {
    const manifest = JSON.parse(files['package.json']!) as Record<string, unknown>;
    edit(manifest);
    files['package.json'] = JSON.stringify(manifest, null, 2);
  }
  return workspace(files);
}

const LOCKS = [
  { fixture: 'pnpm', lock: 'pnpm-lock.yaml', tool: 'pnpm 10.34.9 (packageManager in package.json)' },
  { fixture: 'yarn-v1', lock: 'yarn.lock', tool: 'Yarn v1 1.22.22 (packageManager in package.json)' },
  { fixture: 'yarn-berry', lock: 'yarn.lock', tool: 'Yarn Berry 4.18.1 (packageManager in package.json)' },
  { fixture: 'bun', lock: 'bun.lock', tool: "Bun 1.4.5 (the version for bun.lock's format)" },
];

describe('a Node.js lock installs exactly its non-dev closure, with its own tool', () => {
  it.each(LOCKS)('$lock of $fixture: $tool', async ({ fixture, lock }) => {
    const dir = project(fixture);
    const report = await release(dir, { 'layer-name': `${fixture}-deps`, runtime: RUNTIME });
    expect(report.error).toBeUndefined();
    const modules = path.join(report.artifact!.layerDir, 'nodejs', 'node_modules');
    const installed = installedPackages(modules);
    expect(installed).toEqual(lockClosure(fixture, lock));
    // The dev-only package never reaches the layer.
    expect(installed.some((p) => p.startsWith('left-pad@'))).toBe(false);
    // Only what Lambda loads, and nothing that differs between two builds (pnpm's state files hold times).
    expect(fs.readdirSync(path.join(report.artifact!.layerDir, 'nodejs')).sort()).toEqual(
      [lock, 'node_modules', 'package.json'].sort(),
    );
    expect(fs.readdirSync(modules).filter((n) => n.startsWith('.') && n !== '.bin')).toEqual([]);
    expect(report.smoke!.imports.map((r) => [r.module, r.ok])).toEqual([
      ['debug', true],
      ['is-odd', true],
      ['ms', true],
    ]);
    expect(report.artifact!.packages.map((p) => `${p.name}@${p.version}`)).toEqual(
      fixture.startsWith('yarn')
        ? ['debug@4.3.4', 'is-odd@3.0.1', 'ms@2.1.3']
        : ['debug@4.3.4', 'is-odd@3.0.1', 'ms@2.1.2'],
    );
  });

  it('pnpm installs the locked ms 2.1.2 although ^2.1.0 allows 2.1.3, with the version for the lock format when packageManager names none', async () => {
    const dir = project('pnpm', (manifest) => delete manifest.packageManager);
    const report = await release(dir, { 'layer-name': 'pnpm-default', runtime: RUNTIME });
    expect(report.error).toBeUndefined();
    const installed = installedPackages(path.join(report.artifact!.layerDir, 'nodejs', 'node_modules'));
    expect(installed).toContain('ms@2.1.2');
    expect(installed).not.toContain('ms@2.1.3');
  });
});

describe('a lock that does not match package.json', () => {
  it.each([
    {
      fixture: 'pnpm',
      lock: 'pnpm-lock.yaml',
      message: /ERR_PNPM_OUTDATED_LOCKFILE/,
      refresh: 'pnpm install',
    },
    {
      fixture: 'yarn-v1',
      lock: 'yarn.lock',
      message: /Your lockfile needs to be updated/,
      refresh: 'yarn install',
    },
    { fixture: 'yarn-berry', lock: 'yarn.lock', message: /YN0028/, refresh: 'yarn install' },
    {
      fixture: 'bun',
      lock: 'bun.lock',
      message: /lockfile had changes, but lockfile is frozen/,
      refresh: 'bun install',
    },
  ])(
    'fails the frozen install of $lock with the tool’s message and the file named',
    async ({ fixture, lock, message, refresh }) => {
      const dir = project(fixture, (manifest) => {
        (manifest.dependencies as Record<string, string>)['is-even'] = '1.0.0';
      });
      const report = await release(dir, { 'layer-name': `${fixture}-stale`, runtime: RUNTIME });
      expect(report.error).toMatch(message);
      expect(report.error).toContain(
        `could not install ${lock} (exit code 1). When its message says the lock does not match package.json, run \`${refresh}\` and commit ${lock}`,
      );
    },
  );
});

describe('refusals before any container runs', () => {
  it('build-network: none without a cached copy of the tool names the tool and how to provide it', async () => {
    const dir = project('pnpm');
    const report = await release(dir, {
      'layer-name': 'pnpm-offline',
      runtime: RUNTIME,
      'build-network': 'none',
    });
    expect(report.error).toBe(
      'build-network: none: pnpm 10.34.9 is installed in the build container from the npm registry (pnpm@10.34.9), ' +
        'and without cache: true there is no download cache to hold it. Provide it with cache: true and one run ' +
        'with a network (build-network: bridge or a network that reaches your registry): the cache then keeps ' +
        'pnpm 10.34.9 for the runs without one. Or install with your own build-command.',
    );
  });

  it('Yarn v1 cannot cross-install: refused naming the tool', async () => {
    const dir = project('yarn-v1');
    const report = await release(dir, {
      'layer-name': 'yarn-cross',
      runtime: RUNTIME,
      architecture: process.arch === 'arm64' ? 'x86_64' : 'arm64',
      'cross-install': 'true',
    });
    expect(report.error).toMatch(
      /^cross-install: Yarn v1 1\.22\.22 cannot install another architecture's packages \(it only checks the machine it runs on\); build under emulation instead \(cross-install: false\)/,
    );
  });
});

describe('a pnpm lock is fully pinned', () => {
  it('an unchanged re-run builds nothing and starts no container; a changed lock builds again', async () => {
    const aws = await startAwsDouble();
    const runs: string[][] = [];
    const deps: Deps = {
      ...defaultDeps(),
      exec: (command, args, options) => {
        if (command === 'docker' && args[0] === 'run') runs.push(args);
        return getExecOutput(command, args, options);
      },
    };
    try {
      const dir = project('pnpm');
      const inputs = {
        steps: 'build,smoke-test,publish',
        'layer-name': 'pnpm-pinned',
        runtime: RUNTIME,
        regions: 'us-east-1',
      };
      const first = await release(dir, inputs, deps, aws.env());
      expect(first.error).toBeUndefined();
      expect(runs.length).toBeGreaterThanOrEqual(2);
      runs.length = 0;
      const second = await release(dir, inputs, deps, aws.env());
      expect(second.error).toBeUndefined();
      expect(second.unchanged).toBeDefined();
      expect(runs).toEqual([]);
      // The lock's bytes are in the key: another lock builds again.
      fs.appendFileSync(path.join(dir, 'pnpm-lock.yaml'), '\n');
      const third = await release(dir, { ...inputs, 'dry-run': 'true' }, deps, aws.env());
      expect(third.error).toBeUndefined();
      expect(third.unchanged).toBeUndefined();
      expect(runs.length).toBeGreaterThanOrEqual(1);
    } finally {
      await aws.close();
    }
  });
});

describe('the tool in the download cache', () => {
  it('is kept with cache: true, so a later run with build-network: none installs from the cache alone', async () => {
    const service = await startActionsCacheDouble();
    try {
      const dir = project('pnpm');
      const env = { ...service.env(), RUNNER_TEMP: path.join(dir, '.runner-temp'), GITHUB_WORKSPACE: dir };
      const inputs = { 'layer-name': 'pnpm-cached', runtime: RUNTIME, cache: 'true' };
      const stateFile = path.join(dir, 'state');
      fs.writeFileSync(stateFile, '');
      const first = await release(dir, inputs, undefined, { ...env, GITHUB_STATE: stateFile });
      expect(first.error).toBeUndefined();
      const cache = path.join(dir, '.runner-temp', 'lambda-layer-release-cache', 'npm');
      expect(fs.readdirSync(path.join(cache, 'tools'))).toEqual(['pnpm-10.34.9.tgz']);
      expect(fs.existsSync(path.join(cache, 'pnpm-store'))).toBe(true);
      // The post step saves the cache after the job's steps (src/post.ts), from the state the build left.
      const pending = parseOutputFile(fs.readFileSync(stateFile, 'utf8'))[SAVE_STATE];
      expect(pending).toBeDefined();
      await saveDownloadCache(JSON.parse(pending!) as PendingSave);

      fs.rmSync(path.join(dir, '.runner-temp'), { recursive: true }); // a fresh runner, no network
      const offline = await release(dir, { ...inputs, 'build-network': 'none' }, undefined, env);
      expect(offline.error).toBeUndefined();
      expect(installedPackages(path.join(offline.artifact!.layerDir, 'nodejs', 'node_modules'))).toEqual(
        lockClosure('pnpm', 'pnpm-lock.yaml'),
      );
    } finally {
      await service.close();
    }
  });
});
