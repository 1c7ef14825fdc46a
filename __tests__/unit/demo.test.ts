/**
 * What `npm run demo` promises without running it (it needs Docker; docs/development.md, "The demo"):
 * a runtime Lambda has not deprecated, with a stand-in image, and a version 1 whose packages the report
 * can read, so the run shows a package diff instead of a warning.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffPackages } from '../../src/report/changes.js';
import { packagesInZipFile } from '../../src/layer/zip-packages.js';
import { deprecatedSince, findRuntime } from '../../src/runtimes/index.js';
import { version1Zip, VERSION_1_PACKAGES } from '../../scripts/demo-seed.js';
import { makeWheel } from '../support/wheels.js';

const repo = path.resolve(import.meta.dirname, '../..');
const read = (file: string): string => fs.readFileSync(path.join(repo, file), 'utf8');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-demo-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the demo', () => {
  it('runs on one runtime, not deprecated, that has a stand-in image', () => {
    const runtime = /const runtime = '([^']+)'/.exec(read('scripts/demo.ts'))![1]!;
    expect(deprecatedSince(findRuntime(runtime)!)).toBeUndefined();
    expect(read('scripts/demo.sh')).toContain(`stand-in-images.sh" ${runtime}\n`);
    expect(read('scripts/demo.sh')).toContain(`/.wheels" ${runtime.replace('python', '')}\n`);
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

describe('scripts/demo-wheels.sh, the demo wheels', () => {
  /** Runs the script with only this pip configuration: none of the machine's PIP_* variables. */
  function fetchWheels(
    config: string,
    dest: string,
  ): { status: number | null; stdout: string; stderr: string } {
    const env: NodeJS.ProcessEnv = { PIP_CONFIG_FILE: config };
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('PIP_')) env[name] = value;
    const requirements = path.join(dir, 'requirements.txt');
    const result = spawnSync(
      'bash',
      [path.join(repo, 'scripts/demo-wheels.sh'), requirements, dest, '3.13'],
      {
        env,
        encoding: 'utf8',
      },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  it('takes wheels from the sources on this disk without asking the network index pip is configured with', async () => {
    const mirror = path.join(dir, 'mirror');
    fs.mkdirSync(mirror);
    await makeWheel(mirror, { name: 'demo-dep', version: '1.0.0', files: { 'demo_dep.py': 'X = 1\n' } });
    fs.writeFileSync(path.join(dir, 'requirements.txt'), 'demo-dep==1.0.0\n');
    // A network index that never answers (.invalid): asking it would mean retries and warnings.
    const config = path.join(dir, 'pip.conf');
    fs.writeFileSync(config, `[global]\nindex-url = https://pypi.invalid/simple\nfind-links = ${mirror}\n`);
    const dest = path.join(dir, 'wheels');

    const first = fetchWheels(config, dest);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('fetched from the package sources on this disk (no network index)');
    expect(first.stderr).not.toMatch(/Retrying|pypi\.invalid|WARNING/);
    expect(fs.readdirSync(dest)).toEqual(['demo_dep-1.0.0-py3-none-any.whl']);

    const second = fetchWheels(config, dest);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain(`every wheel was in ${dest} already`);
    // Eight pip starts: about 5 s in all on an idle machine, 40 s on a loaded one.
  }, 180_000);
});
