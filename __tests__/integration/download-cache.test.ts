/**
 * `cache: true` against the local double of the Actions cache service (v2, real HTTP): pip's downloads
 * are saved by the post step after a build that downloaded something new, restored into a fresh
 * runner (or skipped when its ledger says downloading is faster), pruned to what the build read, and
 * used by pip inside the build container.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { saveDownloadCache } from '../../src/cache/store.js';
import { restoreDownloadCache } from '../../src/steps/download-cache.js';
import { findRuntime } from '../../src/runtimes/index.js';
import { startActionsCacheDouble, type ActionsCacheDouble } from '../support/actions-cache-double.js';
import { workspace } from '../support/release.js';
import { runPostAsync, startAction } from '../support/runner.js';
import { makeWheel, wheelServer } from '../support/wheels.js';

let service: ActionsCacheDouble;
beforeAll(async () => {
  service = await startActionsCacheDouble();
});
afterAll(() => service.close());

const python = findRuntime('python3.11')!;

describe('the download cache, without Docker', () => {
  const dir = workspace({ 'requirements.txt': 'greeting==1.0.0\n' });
  const temp = path.join(dir, '.runner-temp');
  const inputs = {
    cache: 'restore-and-save' as const,
    runtime: python,
    architecture: 'x86_64' as const,
    workingDirectory: dir,
    manifest: 'requirements.txt',
    manifestSource: { manifest: 'requirements.txt', packageManager: { name: 'pip' as const } },
    tempDir: temp,
    zipFile: undefined,
  };
  const stubEnv = (env: Record<string, string>): void => {
    vi.unstubAllEnvs();
    for (const [name, value] of Object.entries({ GITHUB_WORKSPACE: dir, RUNNER_TEMP: temp, ...env }))
      vi.stubEnv(name, value);
  };
  /** Cache entries (not ledgers) in the double. */
  const caches = (): string[] => service.entries.map((e) => e.key).filter((k) => !k.startsWith('ledger-'));
  const freshRunner = (): void => fs.rmSync(temp, { recursive: true, force: true });
  /** What the action logged (core.info writes to stdout) while `body` ran. */
  const logOf = async <T>(body: () => Promise<T>): Promise<[T, string]> => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      return [await body(), lines.join('')];
    } finally {
      spy.mockRestore();
    }
  };

  it('saves in the post step, restores the exact key, then falls back to the newest of the runtime', async () => {
    stubEnv(service.env());
    const first = (await restoreDownloadCache(inputs))!;
    expect(first.env).toEqual({ PIP_CACHE_DIR: first.container });
    fs.writeFileSync(path.join(first.host, 'downloaded.whl'), 'wheel bytes');
    const pending = (await first.keep(Date.now()))!;
    expect(service.entries).toHaveLength(0); // nothing is saved before the post step
    await saveDownloadCache(pending);
    expect(service.entries.every((e) => e.finalized)).toBe(true);
    expect(caches()).toEqual([
      expect.stringMatching(/^lambda-layer-release-python3\.11-x86_64-pip-[0-9a-f]{32}$/),
    ]);
    // Its ledger, for the next run to weigh the restore.
    expect(service.entries.map((e) => e.key)).toContain(`ledger-${caches()[0]}`);
    expect(pending.ledger).toMatchObject({ key: caches()[0], bytes: 11, download: { bytes: 11 } });

    freshRunner();
    const again = (await restoreDownloadCache(inputs))!;
    expect(fs.readFileSync(path.join(again.host, 'downloaded.whl'), 'utf8')).toBe('wheel bytes');
    expect(await again.keep(Date.now())).toBeUndefined(); // the same key: nothing new is written

    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'greeting==1.0.1\n');
    freshRunner();
    const changed = (await restoreDownloadCache(inputs))!;
    expect(fs.readFileSync(path.join(changed.host, 'downloaded.whl'), 'utf8')).toBe('wheel bytes');
    fs.readFileSync(path.join(changed.host, 'downloaded.whl')); // the build reads it
    fs.writeFileSync(path.join(changed.host, 'greeting-1.0.1.whl'), 'newer wheel');
    await saveDownloadCache((await changed.keep(Date.now()))!);
    expect(caches()).toHaveLength(2);
    expect(new Set(caches()).size).toBe(2);
  });

  it('does not save when the build downloaded nothing new, though the manifest changed', async () => {
    stubEnv(service.env());
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'greeting==1.0.1\n# a comment\n');
    freshRunner();
    const unchanged = (await restoreDownloadCache(inputs))!;
    expect(fs.existsSync(path.join(unchanged.host, 'greeting-1.0.1.whl'))).toBe(true);
    const before = service.entries.length;
    const [pending, log] = await logOf(() => unchanged.keep(Date.now()));
    expect(pending).toBeUndefined();
    expect(log).toContain('cache: not saved: the build downloaded nothing new worth keeping (0.0 MB).');
    expect(service.entries).toHaveLength(before);
  });

  it('keeps only what the build read: the next restore brings back no old versions', async () => {
    stubEnv(service.env());
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'greeting==1.0.2\n');
    freshRunner();
    const restored = (await restoreDownloadCache(inputs))!;
    expect(fs.readdirSync(restored.host).sort()).toEqual(['downloaded.whl', 'greeting-1.0.1.whl']);
    fs.readFileSync(path.join(restored.host, 'greeting-1.0.1.whl')); // read; downloaded.whl is not
    fs.writeFileSync(path.join(restored.host, 'greeting-1.0.2.whl'), 'newest wheel');
    const [pending, log] = await logOf(() => restored.keep(Date.now()));
    expect(log).toContain('without 1 file(s) this build did not read');
    await saveDownloadCache(pending!);

    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'greeting==1.0.3\n');
    freshRunner();
    const next = (await restoreDownloadCache(inputs))!;
    expect(fs.readdirSync(next.host).sort()).toEqual(['greeting-1.0.1.whl', 'greeting-1.0.2.whl']);
  });

  it('skips the restore, saying why, when the ledger says downloading again is faster', async () => {
    stubEnv(service.env());
    // A cache whose ledger says: restores ran at 1 MB/s, the index delivered at 100 MB/s.
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'slow-cache==1.0.0\n');
    freshRunner();
    const seeded = (await restoreDownloadCache(inputs))!;
    const folder = seeded.host;
    fs.rmSync(folder, { recursive: true, force: true });
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'big.whl'), Buffer.alloc(2_000_000, 1));
    const key = (await seeded.keep(Date.now()))!.ledger.key;
    await saveDownloadCache({
      path: folder,
      ledger: {
        key,
        bytes: 2_000_000,
        download: { bytes: 20_000_000, seconds: 0.2 },
        restore: { bytes: 2_000_000, seconds: 2 },
      },
    });

    freshRunner();
    const gets = (): number => service.requests.filter((r) => r.operation === 'blob:get').length;
    const before = gets();
    const [skipped, log] = await logOf(() => restoreDownloadCache(inputs));
    expect(log).toContain(
      'cache: not restored: restoring 2.0 MB would take about 2.0 s (the last restore ran at 1 MB/s), ' +
        'more than downloading all of it again (about 0.0 s at the 100 MB/s the last build downloaded at).',
    );
    expect(gets() - before).toBe(1); // the ledger only, not the cache
    expect(fs.readdirSync(skipped!.host)).toEqual([]); // the build downloads instead

    // A newer cache whose ledger has a restore faster than the index: restored.
    fs.writeFileSync(path.join(folder, 'big.whl'), Buffer.alloc(2_000_000, 1));
    await saveDownloadCache({
      path: folder,
      ledger: {
        key: `${key}-later`,
        bytes: 2_000_000,
        download: { bytes: 2_000_000, seconds: 2 },
        restore: { bytes: 20_000_000, seconds: 0.2 },
      },
    });
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'fast-cache==1.0.0\n');
    freshRunner();
    const [restored, restoredLog] = await logOf(() => restoreDownloadCache(inputs));
    expect(restoredLog).toMatch(/cache: restored pip's downloads \(2\.0 MB\) from \S+-later in [\d.]+ s\./);
    expect(fs.readdirSync(restored!.host)).toEqual(['big.whl']);
  });

  it('warns and builds without a cache when the service is not there, or refuses the token', async () => {
    stubEnv({});
    expect(await restoreDownloadCache(inputs)).toBeUndefined();
    stubEnv({ ...service.env(), ACTIONS_RUNTIME_TOKEN: 'wrong' });
    freshRunner();
    const refused = (await restoreDownloadCache(inputs))!;
    expect(fs.existsSync(refused.host)).toBe(true); // still mounted, empty, for this build
    const before = service.entries.length;
    fs.writeFileSync(path.join(refused.host, 'new.whl'), 'bytes');
    await saveDownloadCache((await refused.keep(Date.now()))!);
    expect(service.entries).toHaveLength(before);
    expect(service.requests.filter((r) => r.status === 401).length).toBeGreaterThan(0);
  });

  it("restores but never saves on a pull request's run (restore-only)", async () => {
    stubEnv(service.env());
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'greeting==2.0.0\n');
    freshRunner();
    const pr = (await restoreDownloadCache({ ...inputs, cache: 'restore-only' }))!;
    // The newest cache of the runtime came back: the pull request's build is as fast as any.
    expect(fs.readdirSync(pr.host).length).toBeGreaterThan(0);
    fs.writeFileSync(path.join(pr.host, 'poisoned.whl'), 'from the pull request');
    const before = service.entries.length;
    const requests = service.requests.length;
    expect(await pr.keep(Date.now())).toBeUndefined();
    expect(service.entries).toHaveLength(before);
    expect(service.requests.slice(requests).map((r) => r.operation)).toEqual([]);
  });

  it('is off by default and for a given zip', async () => {
    stubEnv(service.env());
    expect(await restoreDownloadCache({ ...inputs, cache: 'off' })).toBeUndefined();
    expect(await restoreDownloadCache({ ...inputs, zipFile: path.join(dir, 'x.zip') })).toBeUndefined();
  });
});

// A requirements file of exact pins keeps its last layer instead (layer-cache.test.ts): these builds
// have a range, so pip's downloads are what the cache keeps.
describe('the download cache in the build container', () => {
  /**
   * Runs `node dist/index.js` and then its post step, as the runner does for a job: on a fresh runner,
   * whose RUNNER_TEMP is the same path as every other job's (the cache is restored to the path it was
   * saved from) and empty.
   */
  const root = workspace();
  const runnerTemp = path.join(root, 'runner-temp');
  const job = async (
    dir: string,
    inputs: Record<string, string>,
    env: Record<string, string>,
  ): Promise<{ main: string; post: string; savedByMain: number }> => {
    fs.rmSync(runnerTemp, { recursive: true, force: true });
    fs.mkdirSync(runnerTemp);
    const entries = service.entries.length;
    const jobEnv = { ...service.env(), ...env, RUNNER_TEMP: runnerTemp };
    const started = startAction(root, dir, inputs, jobEnv);
    const result = await started.done;
    expect(result.status, result.stdout).toBe(0);
    const savedByMain = service.entries.length - entries;
    const post = await runPostAsync(runnerTemp, started.state(), { ...jobEnv, GITHUB_WORKSPACE: dir });
    expect(post.status, post.stdout).toBe(0);
    return { main: result.stdout, post: post.stdout, savedByMain };
  };

  it('lets pip on a fresh runner install from the restored cache, saved by the post step only when new', async () => {
    const dir = workspace({ 'requirements.txt': 'greeting>=1.0\n' });
    const wheels = path.join(dir, '.wheels');
    await makeWheel(wheels, {
      name: 'greeting',
      version: '1.0.0',
      files: { 'greeting/__init__.py': 'X = 1\n' },
    });
    const index = await wheelServer(wheels);
    try {
      const bridgeHost = new URL(index.url).hostname;
      const inputs = {
        'layer-name': 'cached-deps',
        runtime: 'python3.11',
        steps: 'build',
        cache: 'true',
        'install-args': `--no-index --find-links ${index.url} --trusted-host ${bridgeHost}`,
      };
      const before = service.entries.length;
      const first = await job(dir, inputs, {});
      expect(index.downloads()).toBe(1);
      const cacheDir = path.join(runnerTemp, 'lambda-layer-release-cache', 'pip');
      const files = fs
        .readdirSync(cacheDir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile());
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(fs.statSync(path.join(file.parentPath, file.name)).uid).toBe(process.getuid!());
      }
      // Saved after the job's steps, by the post step: the cache and its ledger.
      expect(first.savedByMain).toBe(0);
      expect(first.main).toMatch(/cache: pip downloaded [\d.]+ MB new; saved as \S+ after the job's steps/);
      expect(first.post).toMatch(/cache: saved the downloads as \S+ in [\d.]+ s\./);
      expect(service.entries.length).toBe(before + 2);

      // A fresh runner, the manifest changed by a comment only.
      fs.writeFileSync(path.join(dir, 'requirements.txt'), 'greeting>=1.0 # the same wheel\n');
      const second = await job(dir, inputs, {});
      expect(second.main).toMatch(/cache: restored pip's downloads \([\d.]+ MB\) from \S+ in [\d.]+ s\./);
      expect(index.downloads()).toBe(1); // the wheel came from the restored cache
      expect(second.main).toContain('cache: not saved: the build downloaded nothing new worth keeping');
      expect(second.post).not.toContain('cache: saved');
      expect(service.entries.length).toBe(before + 2);
    } finally {
      await index.close();
    }
  });

  it('is not saved by a pull_request_target run, so the push build after it does not restore its files', async () => {
    const dir = workspace({ 'requirements.txt': 'salutation>=1.0\n' });
    const wheels = path.join(dir, '.wheels');
    await makeWheel(wheels, {
      // A package no other test downloads: only this test's runs can have it in a cache.
      name: 'salutation',
      version: '1.0.0',
      files: { 'salutation/__init__.py': 'X = 1\n' },
    });
    const index = await wheelServer(wheels);
    try {
      const inputs = {
        'layer-name': 'cached-pr',
        runtime: 'python3.11',
        steps: 'build',
        cache: 'true',
        'install-args': `--no-index --find-links ${index.url} --trusted-host ${new URL(index.url).hostname}`,
      };
      const keys = (): string[] => service.entries.map((e) => e.key);
      const before = keys();
      const pr = await job(dir, inputs, { GITHUB_EVENT_NAME: 'pull_request_target' });
      expect(index.downloads()).toBe(1);
      expect(pr.main).toContain("cache: not saved: this run builds a pull request's code");
      expect(keys()).toEqual(before);

      await job(dir, inputs, { GITHUB_EVENT_NAME: 'push' }); // on a fresh runner
      expect(index.downloads()).toBe(2); // nothing of the pull request's run was restored
      expect(keys()).toHaveLength(before.length + 2); // the cache and its ledger
    } finally {
      await index.close();
    }
  });
});
