import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dropOtherPlatformPackages } from '../../src/layer/platform-packages.js';
import { listTree } from '../../src/layer/zip.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-platform-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

function tree(packages: Record<string, object | string>): string {
  const dir = path.join(root, `t${++counter}`);
  for (const [folder, manifest] of Object.entries(packages)) {
    fs.mkdirSync(path.join(dir, folder), { recursive: true });
    const text = typeof manifest === 'string' ? manifest : JSON.stringify({ version: '1.0.0', ...manifest });
    fs.writeFileSync(path.join(dir, folder, 'package.json'), text);
    fs.writeFileSync(path.join(dir, folder, 'index.js'), '');
  }
  return dir;
}

const remaining = (dir: string): string[] =>
  fs
    .readdirSync(path.join(dir, 'nodejs/node_modules'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('package.json'))
    .map((file) => path.dirname(file))
    .sort();

describe('dropOtherPlatformPackages', () => {
  it("drops what npm's own rules say the target (linux, its cpu, glibc) is not, and keeps the rest", async () => {
    const dir = tree({
      'nodejs/node_modules/plain': { name: 'plain' },
      'nodejs/node_modules/@s/linux-x64-gnu': {
        name: '@s/linux-x64-gnu',
        os: 'linux',
        cpu: 'x64',
        libc: 'glibc',
      },
      'nodejs/node_modules/@s/linux-x64-musl': {
        name: '@s/linux-x64-musl',
        os: ['linux'],
        cpu: ['x64'],
        libc: ['musl'],
      },
      'nodejs/node_modules/@s/linux-arm64-gnu': { name: '@s/linux-arm64-gnu', os: ['linux'], cpu: ['arm64'] },
      'nodejs/node_modules/@s/darwin': { name: '@s/darwin', os: ['darwin'] },
      'nodejs/node_modules/not-windows': { name: 'not-windows', os: ['!win32'] },
      'nodejs/node_modules/not-linux': { name: 'not-linux', os: ['!linux'] },
      'nodejs/node_modules/anything': { name: 'anything', cpu: ['any'] },
      'nodejs/node_modules/broken': '{ not json',
      'nodejs/node_modules/odd-field': { name: 'odd-field', os: 5 },
    });
    const dropped = await dropOtherPlatformPackages(dir, await listTree(dir), 'x86_64');
    expect(dropped.map((d) => [d.name, d.folder, d.declares])).toEqual([
      ['@s/darwin@1.0.0', 'nodejs/node_modules/@s/darwin', 'os darwin'],
      ['@s/linux-arm64-gnu@1.0.0', 'nodejs/node_modules/@s/linux-arm64-gnu', 'cpu arm64'],
      ['@s/linux-x64-musl@1.0.0', 'nodejs/node_modules/@s/linux-x64-musl', 'libc musl'],
      ['not-linux@1.0.0', 'nodejs/node_modules/not-linux', 'os !linux'],
    ]);
    expect(remaining(dir)).toEqual([
      '@s/linux-x64-gnu',
      'anything',
      'broken',
      'not-windows',
      'odd-field',
      'plain',
    ]);
  });

  it('for arm64, keeps the arm64 packages and drops the x64 ones, nested ones with their parent', async () => {
    const dir = tree({
      'nodejs/node20/node_modules/@s/linux-x64': { name: '@s/linux-x64', cpu: ['x64'] },
      'nodejs/node20/node_modules/@s/linux-x64/node_modules/helper': { name: 'helper', cpu: ['x64'] },
      'nodejs/node20/node_modules/@s/linux-arm64': { name: '@s/linux-arm64', cpu: ['arm64'] },
    });
    const dropped = await dropOtherPlatformPackages(dir, await listTree(dir), 'arm64');
    expect(dropped.map((d) => d.folder)).toEqual(['nodejs/node20/node_modules/@s/linux-x64']);
    expect(fs.existsSync(path.join(dir, 'nodejs/node20/node_modules/@s/linux-arm64/index.js'))).toBe(true);
  });

  it('reads package.json only where a package is installed (node_modules/<name>/)', async () => {
    const dir = tree({ 'nodejs/node_modules/pkg/fixtures/darwin': { name: 'fixture', os: ['darwin'] } });
    expect(await dropOtherPlatformPackages(dir, await listTree(dir), 'x86_64')).toEqual([]);
  });
});
