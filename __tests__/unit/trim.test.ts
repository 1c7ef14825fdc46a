import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trimLayer } from '../../src/layer/trim.js';
import { findRuntime } from '../../src/runtimes/index.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-trim-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
function layer(files: Record<string, number>): string {
  const dir = path.join(root, `layer-${++counter}`);
  for (const [file, size] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), 'x'.repeat(size));
  }
  return dir;
}

const remaining = (dir: string): string[] =>
  (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();

const noStrip = async (): Promise<undefined> => undefined;

describe('trimLayer', () => {
  it('removes bytecode caches, test folders inside packages and dist-info extras, keeping what importlib.metadata and licenses need', async () => {
    const sp = 'python/lib/python3.12/site-packages';
    const dir = layer({
      [`${sp}/pkg/__init__.py`]: 10,
      [`${sp}/pkg/__pycache__/__init__.cpython-312.pyc`]: 100,
      [`${sp}/pkg/tests/test_pkg.py`]: 200,
      [`${sp}/pkg/sub/test/data.bin`]: 300,
      [`${sp}/pkg/testing.py`]: 5,
      [`${sp}/tests/__init__.py`]: 7,
      [`${sp}/stray.pyc`]: 50,
      [`${sp}/pkg-1.0.dist-info/METADATA`]: 20,
      [`${sp}/pkg-1.0.dist-info/RECORD`]: 20,
      [`${sp}/pkg-1.0.dist-info/entry_points.txt`]: 20,
      [`${sp}/pkg-1.0.dist-info/top_level.txt`]: 3,
      [`${sp}/pkg-1.0.dist-info/LICENSE.txt`]: 30,
      [`${sp}/pkg-1.0.dist-info/licenses/NOTICE`]: 30,
      [`${sp}/pkg-1.0.dist-info/WHEEL`]: 40,
      [`${sp}/pkg-1.0.dist-info/INSTALLER`]: 4,
      [`${sp}/pkg-1.0.dist-info/direct_url.json`]: 60,
    });
    const summary = await trimLayer(dir, findRuntime('python3.12')!, 'x86_64', noStrip);
    expect(remaining(dir)).toEqual(
      [
        'pkg-1.0.dist-info/LICENSE.txt',
        'pkg-1.0.dist-info/METADATA',
        'pkg-1.0.dist-info/RECORD',
        'pkg-1.0.dist-info/entry_points.txt',
        'pkg-1.0.dist-info/licenses/NOTICE',
        'pkg-1.0.dist-info/top_level.txt',
        'pkg/__init__.py',
        'pkg/testing.py',
        // A top-level package named tests is what its distribution installed; it may be imported.
        'tests/__init__.py',
      ].map((file) => `${sp}/${file}`),
    );
    expect(summary).toMatchObject({
      bytesSaved: 754,
      removedFiles: 7,
      strippedFiles: 0,
      byRule: { 'bytecode caches': 150, 'test folders': 500, 'dist-info extras': 104 },
      notes: [],
    });
    expect(summary.bytesBefore - summary.bytesAfter).toBe(754);
  });

  it('keeps a scoped npm package named test, and removes test folders inside packages', async () => {
    const dir = layer({
      'nodejs/node_modules/@acme/test/index.js': 10,
      'nodejs/node_modules/@acme/lib/test/spec.js': 20,
      'nodejs/node_modules/left-pad/__tests__/a.js': 30,
      'nodejs/node_modules/left-pad/index.js': 40,
    });
    await trimLayer(dir, findRuntime('nodejs20.x')!, 'x86_64', noStrip);
    expect(remaining(dir)).toEqual([
      'nodejs/node_modules/@acme/test/index.js',
      'nodejs/node_modules/left-pad/index.js',
    ]);
  });

  it('removes the gem cache and docs of a Ruby layer, and its gems’ test folders', async () => {
    const gems = 'ruby/gems/3.3.0';
    const dir = layer({
      [`${gems}/cache/rack-3.1.8.gem`]: 900,
      [`${gems}/doc/rack-3.1.8/ri/x`]: 90,
      [`${gems}/gems/rack-3.1.8/lib/rack.rb`]: 9,
      [`${gems}/gems/rack-3.1.8/test/spec_rack.rb`]: 9,
      [`${gems}/specifications/rack-3.1.8.gemspec`]: 9,
    });
    const summary = await trimLayer(dir, findRuntime('ruby3.3')!, 'x86_64', noStrip);
    expect(remaining(dir)).toEqual([
      `${gems}/gems/rack-3.1.8/lib/rack.rb`,
      `${gems}/specifications/rack-3.1.8.gemspec`,
    ]);
    expect(summary.byRule).toEqual({ 'gem cache and docs': 990, 'test folders': 9 });
  });

  it('reports why shared objects were not stripped when strip fails', async () => {
    const dir = layer({});
    const lib = path.join(dir, 'python/lib/python3.12/site-packages/_native.cpython-312-x86_64-linux-gnu.so');
    fs.mkdirSync(path.dirname(lib), { recursive: true });
    const elf = Buffer.alloc(64);
    elf.write('\x7fELF', 0, 'latin1');
    elf[5] = 1;
    elf.writeUInt16LE(0x3e, 18);
    fs.writeFileSync(lib, elf);
    const summary = await trimLayer(dir, findRuntime('python3.12')!, 'x86_64', async (files) => {
      expect(files).toEqual(['python/lib/python3.12/site-packages/_native.cpython-312-x86_64-linux-gnu.so']);
      return 'strip --strip-debug failed: no strip in the image';
    });
    expect(summary).toMatchObject({
      strippedFiles: 0,
      notes: ['strip --strip-debug failed: no strip in the image'],
    });
  });
});
