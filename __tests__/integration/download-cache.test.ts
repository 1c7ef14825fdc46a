/**
 * `cache: true` against the local double of the Actions cache service (v2, real HTTP): pip's downloads
 * are saved after a build, restored into a fresh runner, and used by pip inside the build container.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { restoreDownloadCache } from '../../src/steps/download-cache.js';
import { findRuntime } from '../../src/runtimes/index.js';
import { startActionsCacheDouble, type ActionsCacheDouble } from '../support/actions-cache-double.js';
import { runInProcess, workspace } from '../support/release.js';
import { makeWheel } from '../support/wheels.js';

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

  it('saves after a build, restores the exact key, then falls back to the newest of the runtime', async () => {
    stubEnv(service.env());
    const first = (await restoreDownloadCache(inputs))!;
    expect(first.env).toEqual({ PIP_CACHE_DIR: first.container });
    fs.writeFileSync(path.join(first.host, 'downloaded.whl'), 'wheel bytes');
    await first.save();
    expect(service.entries).toHaveLength(1);
    expect(service.entries[0]).toMatchObject({ finalized: true });
    expect(service.entries[0]!.key).toMatch(/^lambda-layer-release-python3\.11-x86_64-pip-[0-9a-f]{32}$/);

    fs.rmSync(temp, { recursive: true });
    const again = (await restoreDownloadCache(inputs))!;
    expect(fs.readFileSync(path.join(again.host, 'downloaded.whl'), 'utf8')).toBe('wheel bytes');
    await again.save(); // the same key: nothing new is written
    expect(service.entries).toHaveLength(1);

    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'greeting==1.0.1\n');
    fs.rmSync(temp, { recursive: true });
    const changed = (await restoreDownloadCache(inputs))!;
    expect(fs.readFileSync(path.join(changed.host, 'downloaded.whl'), 'utf8')).toBe('wheel bytes');
    await changed.save();
    expect(service.entries.map((e) => e.key)).toEqual([
      service.entries[0]!.key,
      expect.stringMatching(/^lambda-layer-release-python3\.11-x86_64-pip-/),
    ]);
    expect(new Set(service.entries.map((e) => e.key)).size).toBe(2);
  });

  it('warns and builds without a cache when the service is not there, or refuses the token', async () => {
    stubEnv({});
    expect(await restoreDownloadCache(inputs)).toBeUndefined();
    stubEnv({ ...service.env(), ACTIONS_RUNTIME_TOKEN: 'wrong' });
    const refused = (await restoreDownloadCache(inputs))!;
    expect(fs.existsSync(refused.host)).toBe(true); // still mounted, empty, for this build
    const before = service.entries.length;
    await refused.save();
    expect(service.entries).toHaveLength(before);
    expect(service.requests.filter((r) => r.status === 401).length).toBeGreaterThan(0);
  });

  it("restores but never saves on a pull request's run (restore-only)", async () => {
    stubEnv(service.env());
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'greeting==2.0.0\n');
    fs.rmSync(temp, { recursive: true, force: true });
    const pr = (await restoreDownloadCache({ ...inputs, cache: 'restore-only' }))!;
    // The newest cache of the runtime came back: the pull request's build is as fast as any.
    expect(fs.readFileSync(path.join(pr.host, 'downloaded.whl'), 'utf8')).toBe('wheel bytes');
    fs.writeFileSync(path.join(pr.host, 'poisoned.whl'), 'from the pull request');
    const before = service.entries.length;
    const requests = service.requests.length;
    await pr.save();
    expect(service.entries).toHaveLength(before);
    expect(service.requests.slice(requests).map((r) => r.operation)).toEqual([]);
  });

  it('is off by default and for a given zip', async () => {
    stubEnv(service.env());
    expect(await restoreDownloadCache({ ...inputs, cache: 'off' })).toBeUndefined();
    expect(await restoreDownloadCache({ ...inputs, zipFile: path.join(dir, 'x.zip') })).toBeUndefined();
  });
});

/** A find-links page and wheels over HTTP, reachable from containers; counts wheel downloads. */
async function wheelServer(
  dir: string,
): Promise<{ url: string; downloads: () => number; close(): Promise<void> }> {
  let downloads = 0;
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    if (name === '') {
      const links = fs.readdirSync(dir).map((f) => `<a href="/${f}">${f}</a>`);
      res.writeHead(200, { 'content-type': 'text/html' }).end(links.join('\n'));
      return;
    }
    if (!fs.existsSync(path.join(dir, name))) return void res.writeHead(404).end();
    downloads++;
    // As PyPI serves files: immutable, so pip keeps them in its HTTP cache.
    res
      .writeHead(200, {
        'content-type': 'application/octet-stream',
        'cache-control': 'max-age=365000000, immutable, public',
      })
      .end(fs.readFileSync(path.join(dir, name)));
  });
  const bridge = os.networkInterfaces()['docker0']?.find((a) => a.family === 'IPv4')?.address ?? '172.17.0.1';
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  return {
    url: `http://${bridge}:${(server.address() as AddressInfo).port}/`,
    downloads: () => downloads,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the download cache in the build container', () => {
  it('lets pip on a fresh runner install from the restored cache, with files owned by the runner', async () => {
    const dir = workspace({ 'requirements.txt': 'greeting==1.0.0\n' });
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
        cache: 'true',
        'install-args': `--no-index --find-links ${index.url} --trusted-host ${bridgeHost}`,
      };
      const env = { ...service.env(), RUNNER_TEMP: path.join(dir, '.runner-temp'), GITHUB_WORKSPACE: dir };
      const before = service.entries.length;
      const first = await runInProcess(dir, inputs, undefined, env);
      expect(first.error).toBeUndefined();
      expect(index.downloads()).toBe(1);
      const cacheDir = path.join(dir, '.runner-temp', 'lambda-layer-release-cache', 'pip');
      const files = fs
        .readdirSync(cacheDir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile());
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(fs.statSync(path.join(file.parentPath, file.name)).uid).toBe(process.getuid!());
      }
      expect(service.entries.length).toBe(before + 1);

      fs.rmSync(path.join(dir, '.runner-temp'), { recursive: true }); // a fresh runner
      const second = await runInProcess(dir, inputs, undefined, env);
      expect(second.error).toBeUndefined();
      expect(second.artifact!.packages.map((p) => p.name)).toEqual(['greeting']);
      expect(index.downloads()).toBe(1); // the wheel came from the restored cache
      expect(service.entries.length).toBe(before + 1);
    } finally {
      await index.close();
    }
  });

  it('is not saved by a pull_request_target run, so the push build after it does not restore its files', async () => {
    const dir = workspace({ 'requirements.txt': 'salutation==1.0.0\n' });
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
        cache: 'true',
        'install-args': `--no-index --find-links ${index.url} --trusted-host ${new URL(index.url).hostname}`,
      };
      const env = { ...service.env(), RUNNER_TEMP: path.join(dir, '.runner-temp'), GITHUB_WORKSPACE: dir };
      const keys = (): string[] => service.entries.map((e) => e.key);
      const before = keys();
      const pr = await runInProcess(dir, inputs, undefined, {
        ...env,
        GITHUB_EVENT_NAME: 'pull_request_target',
      });
      expect(pr.error).toBeUndefined();
      expect(index.downloads()).toBe(1);
      expect(keys()).toEqual(before);

      fs.rmSync(path.join(dir, '.runner-temp'), { recursive: true }); // the push build, on a fresh runner
      const push = await runInProcess(dir, inputs, undefined, { ...env, GITHUB_EVENT_NAME: 'push' });
      expect(push.error).toBeUndefined();
      expect(index.downloads()).toBe(2); // nothing of the pull request's run was restored
      expect(keys()).toHaveLength(before.length + 1);
    } finally {
      await index.close();
    }
  });
});
