import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sourceView, withoutCredentials } from '../../src/sandbox.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-sandbox-unit-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

function tree(files: Record<string, string>): string {
  const dir = path.join(root, `ws-${++counter}`);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const TOKEN = 'ghs_FAKEtoken0123456789';

describe('sourceView', () => {
  it('covers .git, credential files, RUNNER_TEMP and the credential lines of package manager configs', async () => {
    const source = tree({
      '.git/config': `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${TOKEN}\n`,
      '.git-credentials': `https://x-access-token:${TOKEN}@github.com\n`,
      '.npmrc': `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${TOKEN}\n`,
      '.pypirc': `[pypi]\npassword = ${TOKEN}\n`,
      'gha-creds-0123abcd.json': '{}',
      'requirements.txt': 'six\n',
      'vendor/lib/.git': 'gitdir: ../../.git/modules/lib\n',
      'vendor/lib/.netrc': `machine github.com password ${TOKEN}\n`,
      'web/.npmrc': 'engine-strict=true\n',
      'node_modules/pkg/.npmrc': `_authToken=${TOKEN}\n`,
      'runner-temp/_github_workflow/event.json': '{}',
    });
    const scratch = path.join(root, `scratch-${counter}`);
    const view = await sourceView({
      source,
      container: '/src',
      readonly: true,
      scratch,
      tempDir: path.join(source, 'runner-temp'),
    });
    const emptyDir = path.join(scratch, 'empty');
    const emptyFile = path.join(scratch, 'empty-file');
    const byTarget = Object.fromEntries(view.mounts.map((m) => [m.container, m]));
    expect(view.mounts[0]).toEqual({ host: source, container: '/src', readonly: true });
    expect(Object.keys(byTarget).sort()).toEqual([
      '/src',
      '/src/.git',
      '/src/.git-credentials',
      '/src/.npmrc',
      '/src/.pypirc',
      '/src/gha-creds-0123abcd.json',
      '/src/runner-temp',
      '/src/vendor/lib/.git',
      '/src/vendor/lib/.netrc',
    ]);
    for (const target of ['/src/.git', '/src/runner-temp']) {
      expect(byTarget[target]).toEqual({ host: emptyDir, container: target, readonly: true });
    }
    for (const target of ['/src/.git-credentials', '/src/.pypirc', '/src/vendor/lib/.git']) {
      expect(byTarget[target]).toEqual({ host: emptyFile, container: target, readonly: true });
    }
    expect(fs.readdirSync(emptyDir)).toEqual([]);
    expect(fs.readFileSync(emptyFile, 'utf8')).toBe('');
    // The registry setting stays, the token goes.
    expect(fs.readFileSync(byTarget['/src/.npmrc']!.host, 'utf8')).toBe(
      'registry=https://registry.npmjs.org/\n',
    );
    expect(view.hidden).toContainEqual({ path: '.npmrc', how: 'credentials removed' });
    expect(view.hidden).toContainEqual({ path: '.git', how: 'emptied' });
    // Nothing with the token is left among the mount sources.
    for (const mount of view.mounts.slice(1)) {
      if (fs.statSync(mount.host).isFile()) expect(fs.readFileSync(mount.host, 'utf8')).not.toContain(TOKEN);
    }
  });

  it('adds nothing to a clean source folder, and keeps it writable for a build-command', async () => {
    const source = tree({ 'package.json': '{}', '.npmrc': 'save-exact=true\n' });
    const view = await sourceView({
      source,
      container: '/src',
      readonly: false,
      scratch: path.join(root, `scratch-${counter}`),
      tempDir: path.join(root, 'elsewhere'),
    });
    expect(view).toEqual({ mounts: [{ host: source, container: '/src', readonly: false }], hidden: [] });
  });
});

describe('withoutCredentials', () => {
  it('removes tokens, passwords, client keys and URLs with a user in every npm and yarn syntax', () => {
    const text = [
      'registry=https://npm.example.com/',
      `//npm.example.com/:_authToken=${TOKEN}`,
      '//npm.example.com/:_authToken=${NPM_TOKEN}',
      `_auth=${TOKEN}`,
      '//npm.example.com/:username=ci',
      `//npm.example.com/:_password=${TOKEN}`,
      '//npm.example.com/:keyfile=/home/runner/key.pem',
      `@corp:registry=https://ci:${TOKEN}@npm.corp.example/`,
      `"//registry.yarnpkg.com/:_authToken" "${TOKEN}"`,
      'npmScopes:',
      '  corp:',
      `    npmAuthToken: "${TOKEN}"`,
      '    npmRegistryServer: "https://npm.corp.example"',
      'always-auth=true',
      'strict-ssl=false',
    ].join('\n');
    expect(withoutCredentials(text)).toBe(
      [
        'registry=https://npm.example.com/',
        'npmScopes:',
        '  corp:',
        '    npmRegistryServer: "https://npm.corp.example"',
        'always-auth=true',
        'strict-ssl=false',
      ].join('\n'),
    );
    expect(withoutCredentials('registry=https://registry.npmjs.org/\nfund=false\n')).toBeUndefined();
  });
});
