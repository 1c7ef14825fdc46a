/**
 * scripts/stand-in-images.sh never replaces an image it did not make: a name that holds an image
 * without the llr.stand-in label stops the script before anything is built or tagged.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';

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
