/**
 * scripts/stand-in-images.sh never replaces an image it did not make: a name that holds an image
 * without the llr.stand-in label stops the script before anything is built or tagged. The stand-ins
 * it made (docker-setup.ts) carry what their names promise: the language version of the runtime, and
 * for Node.js the npm major of the real Lambda image (the npm that Node.js release bundles).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { standInBuildImage, standInRuntimeImage } from '../support/images.js';

const script = path.resolve(import.meta.dirname, '../../scripts/stand-in-images.sh');
const registry = `llr-foreign-${process.pid}.invalid`;
const foreign = `${registry}/sam/build-python3.11:latest-x86_64`;
const runtime = `${registry}/lambda/python:3.11-x86_64`;

const imageId = (name: string): string | undefined => {
  const result = spawnSync('docker', ['image', 'inspect', '-f', '{{.Id}}', name], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
};

afterAll(() => {
  spawnSync('docker', ['image', 'rm', '--force', foreign, runtime], { stdio: 'ignore' });
});

it('leaves an image it did not make untouched, and names it', () => {
  // An image someone else made (say, the real one pulled from a registry), under a stand-in's name.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-foreign-'));
  fs.writeFileSync(path.join(dir, 'REAL'), 'not a stand-in\n');
  const tar = path.join(dir, '..', `${path.basename(dir)}.tar`);
  execFileSync('tar', ['-C', dir, '-cf', tar, '.']);
  execFileSync('docker', ['import', tar, foreign], { stdio: 'ignore' });
  fs.rmSync(dir, { recursive: true });
  fs.rmSync(tar);
  const before = imageId(foreign);
  expect(before).toBeDefined();

  const result = spawnSync('bash', [script, 'python3.11'], {
    encoding: 'utf8',
    env: { ...process.env, LLR_STAND_IN_REGISTRY: registry },
  });

  expect(result.status).not.toBe(0);
  expect(result.stderr).toContain(
    `${foreign} holds an image this script did not make (no llr.stand-in label); it was left untouched`,
  );
  expect(imageId(foreign)).toBe(before);
  expect(imageId(runtime)).toBeUndefined();
});

const inImage = (image: string, program: string, ...args: string[]): string => {
  const platform = image.endsWith('-arm64') ? 'linux/arm64' : 'linux/amd64';
  const run = ['run', '--rm', '--network', 'none', '--platform', platform, '--entrypoint', program, image];
  return execFileSync('docker', [...run, ...args], { encoding: 'utf8' }).trim();
};

describe('the stand-ins are what they are named for', () => {
  // Node.js 18.20 and 20.x bundle npm 10.8, 22.x npm 10.9, 24.x npm 11: what `npm` is in the real images.
  it.each([
    ['nodejs18.x', '18', '10', 'nodejs:18'],
    ['nodejs20.x', '20', '10', 'nodejs:20'],
    ['nodejs22.x', '22', '10', 'nodejs:22'],
    ['nodejs24.x', '24', '11', 'nodejs:24'],
  ])('%s: Node.js %s and npm %s in the build and the runtime image', (runtime, node, npm, repo) => {
    for (const image of [standInBuildImage(runtime), standInRuntimeImage(repo)]) {
      expect(inImage(image, 'node', '--version')).toMatch(new RegExp(`^v${node}\\.`));
      expect(inImage(image, 'npm', '--version')).toMatch(new RegExp(`^${npm}\\.`));
    }
  });

  it.each([
    ['python3.11', '3.11', 'python:3.11'],
    ['python3.13', '3.13', 'python:3.13'],
    ['python3.14', '3.14', 'python:3.14'],
  ])('%s: Python %s', (runtime, version, repo) => {
    const script = 'import sys; print("%d.%d" % sys.version_info[:2])';
    expect(inImage(standInBuildImage(runtime), 'python3', '-c', script)).toBe(version);
    expect(inImage(standInRuntimeImage(repo), 'python3', '-c', script)).toBe(version);
  });

  const emulation = fs.existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64');
  it.skipIf(!emulation)(
    'nodejs22.x for arm64 is an arm64 image (made without emulation, run under it)',
    () => {
      const image = standInRuntimeImage('nodejs:22', 'arm64');
      const arch = execFileSync('docker', ['image', 'inspect', '-f', '{{.Architecture}}', image], {
        encoding: 'utf8',
      });
      expect(arch.trim()).toBe('arm64');
      expect(inImage(image, 'node', '-p', 'process.arch + " " + process.version')).toMatch(/^arm64 v22\./);
    },
  );

  it.skipIf(!emulation)('python3.11 for arm64 runs pip, ssl and ctypes as aarch64', () => {
    const script = 'import platform, ssl, ctypes, pip; print(platform.machine())';
    expect(inImage(standInBuildImage('python3.11', 'arm64'), 'python3', '-c', script)).toBe('aarch64');
  });
});
