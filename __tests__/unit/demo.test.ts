/**
 * What `npm run demo` promises without running it (it needs Docker; docs/development.md, "The demo"):
 * a runtime Lambda has not deprecated, with a stand-in image, and a version 1 whose packages the report
 * can read, so the run shows a package diff instead of a warning.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffPackages } from '../../src/report/changes.js';
import { packagesInZipFile } from '../../src/layer/zip-packages.js';
import { deprecatedSince, findRuntime } from '../../src/runtimes.js';
import { version1Zip, VERSION_1_PACKAGES } from '../../scripts/demo-seed.js';

const repo = path.resolve(import.meta.dirname, '../..');
const read = (file: string): string => fs.readFileSync(path.join(repo, file), 'utf8');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-demo-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the demo', () => {
  it('runs on one runtime, not deprecated, that has a stand-in image', () => {
    const runtime = /const runtime = '([^']+)'/.exec(read('scripts/demo.ts'))![1]!;
    expect(deprecatedSince(findRuntime(runtime)!)).toBeUndefined();
    expect(read('scripts/demo.sh')).toContain(`stand-in-images.sh" ${runtime}\n`);
    expect(read('scripts/demo.sh')).toContain(`--python-version ${runtime.replace('python', '')} `);
    expect(read('scripts/stand-in-images.sh')).toMatch(
      new RegExp(`^${runtime.replace('.', '\\.')}\\s+x86_64`, 'm'),
    );
    // One runtime everywhere in the driver: the functions it seeds and the action's input.
    expect(read('scripts/demo.ts').match(/'python3\.\d+'/g)).toEqual([`'${runtime}'`]);
  });

  it('seeds a version 1 whose packages the report reads, so the run shows a package diff', async () => {
    const zip = path.join(dir, 'version-1.zip');
    fs.writeFileSync(zip, await version1Zip(dir));
    const before = await packagesInZipFile(zip, 'python');
    expect(before).toEqual(
      VERSION_1_PACKAGES.map(([, name, version]) => ({ name, version })).sort((a, b) =>
        a.name.localeCompare(b.name, 'en'),
      ),
    );
    const pins = read('examples/python-layer/requirements.txt').trim().split('\n');
    const after = pins.map((pin) => {
      const [name, version] = pin.split('==') as [string, string];
      return { name, version };
    });
    const { changes } = diffPackages(before, after);
    expect(changes).toContainEqual({ name: 'httpx', kind: 'upgraded', before: '0.27.2', after: '0.28.1' });
    expect(changes).toContainEqual({ name: 'psutil', kind: 'added', after: '7.2.2' });
  });
});
