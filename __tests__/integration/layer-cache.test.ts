/**
 * `cache: true` for pinned builds keeps the last layer (its zip and index) in the Actions cache double,
 * and the next build with a changed pin puts the unchanged packages back and installs only the rest,
 * in the real build containers: pip for a requirements file of exact pins, npm for a package-lock.json
 * (npm fetches from the npm registry).
 * Each warm layer is compared, byte for byte, with the layer a build without any cache makes.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startActionsCacheDouble, type ActionsCacheDouble } from '../support/actions-cache-double.js';
import { workspace } from '../support/release.js';
import { runPostAsync, startAction } from '../support/runner.js';
import { makeWheel, wheelServer } from '../support/wheels.js';

let service: ActionsCacheDouble;
beforeAll(async () => {
  service = await startActionsCacheDouble();
});
afterAll(() => service.close());

const root = workspace();
const runnerTemp = path.join(root, 'runner-temp');

interface Job {
  readonly main: string;
  readonly post: string;
  /** SHA-256 of the layer zip the build wrote. */
  readonly zipSha256: string;
  readonly contentHash: string;
}

/** `node dist/index.js` then its post step, on a fresh runner whose RUNNER_TEMP is every job's path. */
async function job(
  dir: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<Job> {
  fs.rmSync(runnerTemp, { recursive: true, force: true });
  fs.mkdirSync(runnerTemp);
  const env = { ...service.env(), RUNNER_TEMP: runnerTemp, ...extraEnv };
  const started = startAction(root, dir, { steps: 'build', ...inputs }, env);
  const result = await started.done;
  expect(result.status, result.stdout).toBe(0);
  const zipFile = result.outputs['zip-file']!;
  const zipSha256 = createHash('sha256').update(fs.readFileSync(zipFile)).digest('hex');
  const post = await runPostAsync(runnerTemp, started.state(), { ...env, GITHUB_WORKSPACE: dir });
  expect(post.status, post.stdout).toBe(0);
  return { main: result.stdout, post: post.stdout, zipSha256, contentHash: result.outputs['content-hash']! };
}

/** A python3.11 layer with the cache on, whose pip reads only `index`. */
const pinnedInputs = (name: string, index: { url: string; host: string }): Record<string, string> => ({
  'layer-name': name,
  runtime: 'python3.11',
  cache: 'true',
  'install-args': `--no-index --find-links ${index.url} --trusted-host ${index.host}`,
});

/** greeting 1.0.0 and 1.0.1, and salute 1.0.0, which needs greeting (and ships `files`). */
async function greetingWheels(dir: string, files: Record<string, string> = {}): Promise<void> {
  for (const version of ['1.0.0', '1.0.1']) {
    await makeWheel(dir, {
      name: 'greeting',
      version,
      files: { 'greeting/__init__.py': `VERSION = '${version}'\n` },
    });
  }
  await makeWheel(dir, {
    name: 'salute',
    version: '1.0.0',
    files: { 'salute/__init__.py': 'import greeting\n', ...files },
    metadata: 'Requires-Dist: greeting>=1.0\n',
  });
}

describe('the layer cache for pinned Python requirements', () => {
  it('installs only the changed pin, and zips the same bytes as a build without a cache', async () => {
    const dir = workspace({ 'requirements.txt': 'greeting==1.0.0\nsalute==1.0.0\n' });
    const wheels = path.join(dir, '.wheels');
    await greetingWheels(wheels, { 'salute/data/words.txt': 'hello\n'.repeat(5000) });
    const index = await wheelServer(wheels);
    try {
      const inputs = pinnedInputs('layer-cache-py', index);
      const first = await job(dir, inputs);
      expect(first.main).toContain('cache: no layer kept yet');
      expect(first.main).toMatch(
        /cache: this layer \([\d.]+ MB\) is saved as \S+-layer-\S+ after the job's steps/,
      );
      expect(first.post).toMatch(/cache: saved the layer as \S+ in [\d.]+ s\./);

      fs.writeFileSync(path.join(dir, 'requirements.txt'), 'greeting==1.0.1\nsalute==1.0.0\n');
      index.got.length = 0;
      const warm = await job(dir, inputs);
      expect(warm.main).toMatch(
        /cache: restored the last build's layer \([\d.]+ MB\) from \S+ in [\d.]+ s\./,
      );
      expect(warm.main).toContain(
        'cache: 1 of 2 pinned packages come back from the last build (salute 1.0.0); pip installs greeting 1.0.1 meanwhile.',
      );
      expect(index.got).toEqual(['greeting-1.0.1-py3-none-any.whl']); // salute came from the cache
      expect(warm.main).toMatch(/Zip: \d+ unchanged files \([\d.]+ MB\) keep their compressed bytes/);

      const cold = await job(dir, { ...inputs, cache: 'false' });
      expect(cold.main).not.toContain('cache:');
      expect(warm.zipSha256).toBe(cold.zipSha256);
      expect(warm.contentHash).toBe(cold.contentHash);
      expect(warm.zipSha256).not.toBe(first.zipSha256);
    } finally {
      await index.close();
    }
  });

  it('installs everything, as without a cache, when the pins leave out a dependency pip would add', async () => {
    const dir = workspace({ 'requirements.txt': 'greeting==1.0.0\nsalute==1.0.0\n' });
    const wheels = path.join(dir, '.wheels');
    await greetingWheels(wheels);
    const index = await wheelServer(wheels);
    try {
      const inputs = pinnedInputs('layer-cache-closure', index);
      await job(dir, inputs);
      // salute alone: pip would resolve greeting (now 1.0.1); the reused salute cannot stand alone.
      fs.writeFileSync(path.join(dir, 'requirements.txt'), 'salute==1.0.0\n');
      const warm = await job(dir, inputs);
      expect(warm.main).toContain(
        'cache: 1 of 1 pinned packages come back from the last build (salute 1.0.0)',
      );
      expect(warm.main).toContain(
        'LLR-REUSE the pins are not the whole set pip would install: salute needs greeting>=1.0, which is not pinned',
      );
      expect(warm.main).toContain("cache: the last build's packages cannot be reused here");
      const cold = await job(dir, { ...inputs, cache: 'false' });
      expect(warm.zipSha256).toBe(cold.zipSha256);
    } finally {
      await index.close();
    }
  });
});

/** A fixture project of __tests__/fixtures/npm-reuse: ms (2.1.2 before, 2.1.3 after) and semver (a program). */
const npmProject = (which: 'before' | 'after'): Record<string, string> => {
  const dir = path.join(import.meta.dirname, '..', 'fixtures', 'npm-reuse', which);
  return Object.fromEntries(
    ['package.json', 'package-lock.json'].map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
};

describe('the layer cache for an npm lock', () => {
  const inputs = { 'layer-name': 'layer-cache-npm', runtime: 'nodejs22.x', cache: 'true' };

  it('fetches only the changed package, and zips the same bytes as a build without a cache', async () => {
    const dir = workspace(npmProject('before'));
    const first = await job(dir, inputs);
    expect(first.main).toContain('cache: no layer kept yet');
    expect(first.post).toMatch(/cache: saved the layer as \S+ in [\d.]+ s\./);

    for (const [file, text] of Object.entries(npmProject('after')))
      fs.writeFileSync(path.join(dir, file), text);
    const warm = await job(dir, inputs);
    expect(warm.main).toContain(
      'cache: 1 of 2 npm packages come back from the last build; the build container downloads ms 2.1.3 meanwhile.',
    );
    expect(warm.main).toContain('Fetched 1 npm package(s); the others come from the last build.');
    expect(warm.main).not.toContain('added 2 packages'); // npm ci did not run
    expect(warm.main).toMatch(/Zip: \d+ unchanged files \([\d.]+ MB\) keep their compressed bytes/);

    // semver's program (.bin/semver) and npm's record of the tree come out as npm ci makes them.
    const cold = await job(dir, { ...inputs, cache: 'false' });
    expect(cold.main).not.toContain('cache:');
    expect(warm.zipSha256).toBe(cold.zipSha256);
    expect(warm.contentHash).toBe(cold.contentHash);
    expect(warm.zipSha256).not.toBe(first.zipSha256);
  });

  it('never installs a tarball that is not what the lock says: npm ci refuses it too', async () => {
    const dir = workspace(npmProject('before'));
    // npm retries a failed fetch for a minute by default; the refusal is the same at once.
    const refusing = {
      ...inputs,
      'layer-name': 'layer-cache-npm-integrity',
      'install-args': '--fetch-retries=0',
    };
    await job(dir, refusing);
    const after = npmProject('after');
    const lock = JSON.parse(after['package-lock.json']!) as {
      packages: Record<string, { integrity: string }>;
    };
    // ms 2.1.3's lock entry with the integrity of another tarball (ms 2.1.2's)
    lock.packages['node_modules/ms']!.integrity =
      'sha512-sGkPx+VjMtmA6MX27oA4FBFELFCZZ4S4XqeGOXCv68tT+jb3vk/RyaKWP0PTKyWtmLSM0b+adUTEvbs1PEaH2w==';
    fs.writeFileSync(path.join(dir, 'package.json'), after['package.json']!);
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
    fs.rmSync(runnerTemp, { recursive: true, force: true });
    fs.mkdirSync(runnerTemp);
    const env = { ...service.env(), RUNNER_TEMP: runnerTemp };
    const result = await startAction(root, dir, { steps: 'build', ...refusing }, env).done;
    expect(result.stdout).toContain("LLR-REUSE node_modules/ms: the tarball is not the lock's sha512-sGkPx");
    expect(result.stdout).toContain("cache: the last build's packages cannot be reused here");
    expect(result.stdout).toMatch(/EINTEGRITY|integrity checksum failed/);
    expect(result.status).not.toBe(0);
    expect(result.outputs['zip-file']).toBeUndefined();
  });
});

describe('the layer cache on a pull request', () => {
  it("restores but never saves a pull request's layer, so the next release build cannot reuse it", async () => {
    const dir = workspace({ 'requirements.txt': 'greeting==1.0.0\n' });
    const wheels = path.join(dir, '.wheels');
    await makeWheel(wheels, {
      name: 'greeting',
      version: '1.0.0',
      files: { 'greeting/__init__.py': 'X = 1\n' },
    });
    const index = await wheelServer(wheels);
    try {
      const inputs = pinnedInputs('layer-cache-pr', index);
      const keys = (): string[] => service.entries.map((e) => e.key);
      const before = keys();
      const pr = await job(dir, inputs, { GITHUB_EVENT_NAME: 'pull_request_target' });
      expect(pr.main).toContain("cache: not saved: this run builds a pull request's code");
      expect(pr.post).not.toContain('cache: saved');
      expect(keys()).toEqual(before);
    } finally {
      await index.close();
    }
  });
});
