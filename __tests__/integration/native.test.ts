/**
 * The native-code check in the real pipeline: layers whose shared objects (compiled here with gcc,
 * __tests__/support/native.ts) need a newer glibc than the runtime's OS fail before publish, for a
 * given zip and for a tree built in the build image alike; layers that fit are published.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { compile, library, SOURCES, withMachine } from '../support/native.js';
import { release, runInProcess, workspace, workspaceWithZip } from '../support/release.js';

let aws: AwsDouble;
beforeAll(async () => {
  aws = await startAwsDouble({ controlPlaneRps: Infinity, getFunctionRps: Infinity });
});
afterAll(async () => {
  await aws.close();
});

const SITE_311 = 'python/lib/python3.11/site-packages';
const MTRAND_MESSAGE =
  'numpy/random/mtrand.so needs GLIBC_2.27; python3.11 runs on Amazon Linux 2 with glibc 2.26: ' +
  'build in the python3.11 build image, or use wheels tagged manylinux2014';

const publishedVersions = (name: string): number => aws.state.layer('us-east-1', name)?.versions.size ?? 0;

describe('zip-file', () => {
  it('refuses a zip whose .so needs GLIBC_2.27 for python3.11, before anything is published', async () => {
    const dir = await workspaceWithZip({
      [`${SITE_311}/numpy/__init__.py`]: '',
      [`${SITE_311}/numpy/random/mtrand.so`]: fs.readFileSync(compile(SOURCES.glibc227)),
    });
    const before = aws.requests.length;
    const report = await release(aws, dir, { 'layer-name': 'too-new-glibc' });
    expect(report.error).toContain(MTRAND_MESSAGE);
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([['build', 'failed']]);
    // Only this case's requests: in another order, an earlier case has published its own layer.
    expect(aws.requests.slice(before).filter((r) => r.operation === 'PublishLayerVersion')).toEqual([]);
    expect(publishedVersions('too-new-glibc')).toBe(0);
  });

  it('publishes the same zip for python3.12 (Amazon Linux 2023, glibc 2.34)', async () => {
    const dir = await workspaceWithZip({
      'python/lib/python3.12/site-packages/numpy/random/mtrand.so': fs.readFileSync(
        compile(SOURCES.glibc227),
      ),
    });
    const report = await release(aws, dir, { 'layer-name': 'fits-al2023', runtime: 'python3.12' });
    expect(report.error).toBeUndefined();
    expect(publishedVersions('fits-al2023')).toBe(1);
  });

  it('refuses a wrong-architecture .so and a missing DT_NEEDED library, listing both', async () => {
    const dir = await workspaceWithZip({
      'lib/libfast.so': withMachine(compile(SOURCES.plain), 183),
      'bin/tool': fs.readFileSync(compile(SOURCES.plain, { link: [library('libnotthere.so.1')] })),
    });
    const report = await release(aws, dir, { 'layer-name': 'bad-native', runtime: 'provided.al2' });
    expect(report.error).toMatch(/^2 problems with native code in the layer; Lambda could not load it:\n/);
    expect(report.error).toContain(
      'lib/libfast.so is built for arm64 (aarch64), but the layer is for x86_64',
    );
    expect(report.error).toContain(
      'bin/tool needs libnotthere.so.1, which is neither in the layer nor in the provided.al2 runtime (Amazon Linux 2)',
    );
    expect(publishedVersions('bad-native')).toBe(0);
  });

  it('checks against every compatible runtime: python3.12 fits, python3.11 does not', async () => {
    const dir = await workspaceWithZip({
      'python/fast.so': fs.readFileSync(compile(SOURCES.glibc227)),
    });
    const report = await release(aws, dir, {
      'layer-name': 'declares-older',
      runtime: 'python3.12',
      'compatible-runtimes': 'python3.11 python3.12',
    });
    expect(report.error).toContain(
      'fast.so needs GLIBC_2.27; python3.11 runs on Amazon Linux 2 with glibc 2.26',
    );
    expect(publishedVersions('declares-older')).toBe(0);
  });
});

describe('built tree', () => {
  it('refuses a .so that a build-command put into the layer in the build image, before the smoke test', async () => {
    const dir = workspace({ 'src/mtrand.so': fs.readFileSync(compile(SOURCES.glibc227)) });
    const report = await runInProcess(dir, {
      'layer-name': 'built-too-new',
      runtime: 'python3.11',
      'working-directory': 'src',
      'build-command':
        'mkdir -p "$LAYER_INSTALL_DIR/numpy/random" && cp mtrand.so "$LAYER_INSTALL_DIR/numpy/random/"',
    });
    expect(report.error).toContain(MTRAND_MESSAGE);
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([['build', 'failed']]);
    // The build ran: the tree is there, only the check refused it.
    const built = path.join(dir, '.runner-temp/lambda-layer-release/built-too-new-python3.11-x86_64/layer');
    expect(fs.existsSync(path.join(built, SITE_311, 'numpy/random/mtrand.so'))).toBe(true);
  });

  it('accepts one that needs only what Amazon Linux 2 has, and smoke-tests it', async () => {
    const dir = workspace({
      'src/fits.so': fs.readFileSync(compile(SOURCES.glibc226)),
      'src/fits_mod.py': 'VALUE = 1\n',
    });
    const report = await runInProcess(dir, {
      'layer-name': 'built-fits',
      runtime: 'python3.11',
      'working-directory': 'src',
      'build-command': 'mkdir -p "$LAYER_INSTALL_DIR" && cp fits.so fits_mod.py "$LAYER_INSTALL_DIR/"',
      'smoke-imports': 'fits_mod',
    });
    expect(report.error).toBeUndefined();
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([
      ['build', 'succeeded'],
      ['smoke-test', 'succeeded'],
    ]);
  });
});
