/**
 * build-timeout, build-memory and build-network: their defaults, the forms they accept, and the
 * message for every refused value (naming the input, the value and what is allowed).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runArgs } from '../../src/docker.js';
import { getInputs, InputError, type Inputs } from '../../src/inputs.js';
import { defaultBuildMemory, memoryText } from '../../src/inputs/limits.js';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-limits-'));
fs.writeFileSync(path.join(workspace, 'requirements.txt'), 'six==1.16.0\n');
fs.writeFileSync(path.join(workspace, 'layer.zip'), 'PK');
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

beforeEach(() => {
  vi.unstubAllEnvs();
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) vi.stubEnv(name, '');
});

function read(values: Record<string, string>): Inputs | string[] {
  const all = {
    steps: 'build,smoke-test',
    'layer-name': 'my-layer',
    runtime: 'python3.11',
    'zip-file': '',
    'build-timeout': '',
    'build-memory': '',
    'build-network': '',
    ...values,
  };
  for (const [name, value] of Object.entries(all)) vi.stubEnv(`INPUT_${name.toUpperCase()}`, value);
  try {
    return getInputs({ GITHUB_WORKSPACE: workspace, RUNNER_TEMP: os.tmpdir() });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return [...(error as InputError).problems];
  }
}

const MIB = 1024 ** 2;

describe('build limits', () => {
  it('default to 30 minutes, three quarters of the runner’s memory and the bridge network', () => {
    const inputs = read({}) as Inputs;
    expect(inputs.buildTimeout).toBe(30);
    expect(inputs.buildMemory).toBe(defaultBuildMemory());
    expect(inputs.buildMemory).toBeLessThan(os.totalmem());
    expect(inputs.buildMemory).toBeGreaterThanOrEqual(Math.floor((os.totalmem() * 0.75) / MIB - 1) * MIB);
    expect(inputs.buildNetwork).toBe('bridge');
    expect(defaultBuildMemory(16 * 1024 ** 3)).toBe(12 * 1024 ** 3);
  });

  it('accept minutes with fractions, sizes with b, k, m or g, and named networks', () => {
    const cases: [Record<string, string>, Partial<Inputs>][] = [
      [{ 'build-timeout': '0.5' }, { buildTimeout: 0.5 }],
      [{ 'build-timeout': '360' }, { buildTimeout: 360 }],
      [{ 'build-memory': '512m' }, { buildMemory: 512 * MIB }],
      [{ 'build-memory': '8G' }, { buildMemory: 8 * 1024 * MIB }],
      [{ 'build-memory': '6291456' }, { buildMemory: 6 * MIB }],
      [{ 'build-memory': '6144k' }, { buildMemory: 6 * MIB }],
      [{ 'build-network': 'none' }, { buildNetwork: 'none' }],
      [{ 'build-network': 'egress-proxy_net.1' }, { buildNetwork: 'egress-proxy_net.1' }],
    ];
    for (const [values, expected] of cases)
      expect(read(values), JSON.stringify(values)).toMatchObject(expected);
  });

  it('refuse other values with a message naming the input, the value and what is allowed', () => {
    const timeout = (v: string): string =>
      `build-timeout: "${v}" is not allowed; use minutes, a number above 0 and at most 360 (e.g. 30, or 0.5 for 30 seconds)`;
    const memory = (v: string): string =>
      `build-memory: "${v}" is not allowed; use a whole number with a unit, b, k, m or g (powers of 1024), of at least 6m (e.g. 512m or 8g)`;
    const network = (v: string): string =>
      `build-network: "${v}" is not allowed; use bridge, none or the name of a Docker network an earlier step created (letters, digits, _, . and -)`;
    const cases: [Record<string, string>, string][] = [
      [{ 'build-timeout': '0' }, timeout('0')],
      [{ 'build-timeout': '-1' }, timeout('-1')],
      [{ 'build-timeout': '30s' }, timeout('30s')],
      [{ 'build-timeout': '361' }, timeout('361')],
      [{ 'build-timeout': '1e3' }, timeout('1e3')],
      [{ 'build-memory': '5m' }, memory('5m')],
      [{ 'build-memory': '1.5g' }, memory('1.5g')],
      [{ 'build-memory': '8 GB' }, memory('8 GB')],
      [{ 'build-memory': '99999999999999999999g' }, memory('99999999999999999999g')],
      [{ 'build-network': 'container:abc' }, network('container:abc')],
      [{ 'build-network': '--privileged' }, network('--privileged')],
      [
        { 'build-network': 'host' },
        'build-network: "host" is not allowed; it would give the build the runner\'s own network (its ' +
          'localhost services and the cloud metadata endpoint); use bridge, none or a network you created',
      ],
      [
        { 'zip-file': 'layer.zip', 'build-timeout': '10' },
        'build-timeout: cannot be combined with zip-file; a given zip is published as it is',
      ],
      [
        { 'zip-file': 'layer.zip', 'build-memory': '1g' },
        'build-memory: cannot be combined with zip-file; a given zip is published as it is',
      ],
    ];
    for (const [values, problem] of cases) expect(read(values), JSON.stringify(values)).toEqual([problem]);
  });

  it('reach docker run as --memory (and as much --memory-swap: no swap on top), --network and --name', () => {
    const args = runArgs({
      image: 'img',
      architecture: 'x86_64',
      mounts: [],
      name: 'lambda-layer-release-1',
      memoryBytes: 64 * MIB,
      network: 'none',
      command: ['true'],
    });
    expect(args.slice(0, 3)).toEqual(['run', '--name', 'lambda-layer-release-1']);
    expect(args).not.toContain('--rm');
    expect(args.join(' ')).toContain(`--memory ${64 * MIB} --memory-swap ${64 * MIB}`);
    expect(args.join(' ')).toContain('--network none');
    expect(memoryText(64 * MIB)).toBe('64m');
    expect(memoryText(12 * 1024 * MIB)).toBe('12g');
  });
});
