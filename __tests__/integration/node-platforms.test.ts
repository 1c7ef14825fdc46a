/**
 * Node.js layers and their per-platform packages, with real Docker in the stand-ins (which carry the
 * Node.js and npm of the real Lambda images): sharp from the npm registry, whose optional packages
 * npm picks per os, cpu and libc; a package for another platform left in a layer by an older package
 * manager, dropped with one log line; layers for nodejs22.x and nodejs24.x; the arm64 runtime stand-in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderSummary } from '../../src/report/index.js';
import { standInRuntimeImage } from '../support/images.js';
import { compile, library } from '../support/native.js';
import { runInProcess as release, workspace, workspaceWithZip } from '../support/release.js';

const SHARP = '0.35.6';
/**
 * What sharp needs on Lambda x86_64, and sharp-wasm32: npm keeps that dependency of the skipped
 * FreeBSD and WebContainers packages; it declares no platform (WebAssembly runs anywhere).
 */
const LINUX_X64_GLIBC = ['sharp-libvips-linux-x64', 'sharp-linux-x64', 'sharp-wasm32'];

let log: string[] = [];
beforeEach(() => {
  vi.unstubAllEnvs();
  log = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    log.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

const runs = (report: Awaited<ReturnType<typeof release>>) =>
  report.smoke!.runs.map((run) => [run.runtime, run.image, run.imports.map((r) => [r.module, r.ok])]);

const packageJson = (dependencies: Record<string, string>): string =>
  JSON.stringify({ name: 'layer', private: true, dependencies });

describe('sharp (per-platform optional packages from the npm registry)', () => {
  it('nodejs22.x on x86_64, default build: only the linux glibc x64 packages, nothing dropped, sharp loads', async () => {
    const dir = workspace({ 'package.json': packageJson({ sharp: SHARP }) });
    const report = await release(dir, { 'layer-name': 'sharp', runtime: 'nodejs22.x' });
    expect(report.error).toBeUndefined();
    const img = path.join(report.artifact!.layerDir, 'nodejs/node_modules/@img');
    expect(fs.readdirSync(img).filter((name) => name.startsWith('sharp-'))).toEqual(LINUX_X64_GLIBC);
    expect(report.artifact!.dropped).toBeUndefined();
    expect(log.join('')).not.toMatch(/Dropped /);
    expect(log.join('')).toMatch(/Native code: \d+ ELF file\(s\) fit x86_64 and nodejs22\.x/);
    // Importing sharp loads its addon and libvips: the runtime stand-in really runs them.
    expect(runs(report)).toContainEqual([
      'nodejs22.x',
      standInRuntimeImage('nodejs:22'),
      expect.arrayContaining([['sharp', true]]),
    ]);
  });

  it('a build with npm 9 (which ignores libc) leaves the musl packages: they are dropped, each named', async () => {
    const dir = workspace({ 'package.json': packageJson({ sharp: SHARP }) });
    const report = await release(dir, {
      'layer-name': 'sharp-npm9',
      runtime: 'nodejs22.x',
      // An older package manager, as Debian's npm 9.2 and the build scripts that pin one.
      'build-command':
        'mkdir -p "$LAYER_DIR/nodejs" && cp package.json "$LAYER_DIR/nodejs/" && cd "$LAYER_DIR/nodejs" && ' +
        'npx --yes npm@9.2.0 install --omit=dev --no-audit --no-fund',
    });
    expect(report.error).toBeUndefined();
    const dropped = report.artifact!.dropped!.map((d) => d.name).sort();
    expect(dropped).toEqual([`@img/sharp-libvips-linuxmusl-x64@1.3.5`, `@img/sharp-linuxmusl-x64@${SHARP}`]);
    const lines = log
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('Dropped '));
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual(
      `Dropped @img/sharp-linuxmusl-x64@${SHARP} (nodejs/node_modules/@img/sharp-linuxmusl-x64): it is for libc musl, ` +
        "and Lambda (linux, x86_64, glibc) never loads it; a package manager that ignores package.json's os, cpu and libc installed it",
    );
    const img = path.join(report.artifact!.layerDir, 'nodejs/node_modules/@img');
    expect(fs.readdirSync(img).filter((name) => name.startsWith('sharp-'))).toEqual(LINUX_X64_GLIBC);
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([
      ['build', 'succeeded'],
      ['smoke-test', 'succeeded'],
    ]);
    expect(runs(report)[0]![2]).toContainEqual(['sharp', true]);
  });
});

describe('a package for another platform in a given zip', () => {
  /** A layer as a Mac or Alpine build leaves it: the glibc package, and a musl one with its addon. */
  const leftovers = (): Record<string, string | Buffer> => {
    const glibc = fs.readFileSync(compile('int f(int x) { return x + 1; }\n'));
    const musl = fs.readFileSync(
      compile('int f(int x) { return x + 2; }\n', { link: [library('libc.musl-x86_64.so.1')] }),
    );
    const pkg = (name: string, fields: object) => JSON.stringify({ name, version: '1.0.0', ...fields });
    return {
      'nodejs/node_modules/addon/package.json': pkg('addon', { main: 'index.js' }),
      'nodejs/node_modules/addon/index.js': 'module.exports = 42;\n',
      'nodejs/node_modules/@x/addon-linux-x64-gnu/package.json': pkg('@x/addon-linux-x64-gnu', {
        os: ['linux'],
        cpu: ['x64'],
        libc: ['glibc'],
      }),
      'nodejs/node_modules/@x/addon-linux-x64-gnu/addon.node': glibc,
      'nodejs/node_modules/@x/addon-linux-x64-gnu/index.js': 'module.exports = 1;\n',
      'nodejs/node_modules/@x/addon-linux-x64-musl/package.json': pkg('@x/addon-linux-x64-musl', {
        os: ['linux'],
        cpu: ['x64'],
        libc: ['musl'],
      }),
      'nodejs/node_modules/@x/addon-linux-x64-musl/addon.node': musl,
      'nodejs/node_modules/@x/addon-linux-x64-musl/index.js': 'module.exports = 1;\n',
      'nodejs/node_modules/@x/addon-darwin-arm64/package.json': pkg('@x/addon-darwin-arm64', {
        os: ['darwin'],
        cpu: ['arm64'],
      }),
      'nodejs/node_modules/@x/addon-darwin-arm64/addon.node': 'not ELF: a Mach-O stand-in\n'.repeat(4),
    };
  };

  it('drops them with one line each, counts them in the summary, and writes the zip anew', async () => {
    const dir = await workspaceWithZip(leftovers());
    const given = fs.readFileSync(path.join(dir, 'layer.zip'));
    const report = await release(dir, {
      'layer-name': 'leftovers',
      runtime: 'nodejs22.x',
      'zip-file': 'layer.zip',
      steps: 'build,smoke-test',
    });
    expect(report.error).toBeUndefined();
    expect(report.artifact!.dropped!.map((d) => [d.name, d.declares])).toEqual([
      ['@x/addon-darwin-arm64@1.0.0', 'os darwin; cpu arm64'],
      ['@x/addon-linux-x64-musl@1.0.0', 'libc musl'],
    ]);
    expect(renderSummary(report)).toContain('2 packages for another platform dropped');
    expect(
      log
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('Dropped ')),
    ).toHaveLength(2);
    expect(fs.readdirSync(path.join(report.artifact!.layerDir, 'nodejs/node_modules/@x'))).toEqual([
      'addon-linux-x64-gnu',
    ]);
    expect(fs.readFileSync(report.artifact!.zipFile).equals(given)).toBe(false);
    expect(report.artifact!.fileCount).toBe(5);
    expect(report.smoke!.runs[0]!.imports.map((i) => [i.module, i.ok])).toEqual([
      ['@x/addon-linux-x64-gnu', true],
      ['addon', true],
    ]);
  });

  it('still refuses a native file the target loads, naming the package that brought it', async () => {
    const musl = fs.readFileSync(
      compile('int f(int x) { return x + 3; }\n', { link: [library('libc.musl-x86_64.so.1')] }),
    );
    const dir = await workspaceWithZip({
      // No os, cpu or libc: npm installs it everywhere, and Lambda would load its musl addon.
      'nodejs/node_modules/outer/package.json': JSON.stringify({ name: 'outer', version: '2.0.0' }),
      'nodejs/node_modules/outer/node_modules/inner/package.json': JSON.stringify({
        name: 'inner',
        version: '1.0.0',
      }),
      'nodejs/node_modules/outer/node_modules/inner/build/Release/inner.node': musl,
    });
    const report = await release(dir, {
      'layer-name': 'musl-needed',
      runtime: 'nodejs22.x',
      'zip-file': 'layer.zip',
      steps: 'build',
    });
    expect(report.error).toMatch(
      /outer\/node_modules\/inner\/build\/Release\/inner\.node \(package inner\) is built for musl libc/,
    );
  });
});

describe('nodejs22.x and nodejs24.x', () => {
  it('installs once with nodejs22.x npm and imports in both runtime images', async () => {
    const dir = workspace({ 'package.json': packageJson({ 'is-number': '7.0.0' }) });
    const report = await release(dir, {
      'layer-name': 'node-current',
      runtime: 'nodejs22.x',
      'compatible-runtimes': 'nodejs22.x nodejs24.x',
    });
    expect(report.error).toBeUndefined();
    expect(runs(report)).toEqual([
      ['nodejs22.x', standInRuntimeImage('nodejs:22'), [['is-number', true]]],
      ['nodejs24.x', standInRuntimeImage('nodejs:24'), [['is-number', true]]],
    ]);
  });

  it('builds with nodejs24.x npm 11 (lock file) and imports', async () => {
    const dir = workspace({ 'package.json': packageJson({ 'is-number': '7.0.0' }) });
    const report = await release(dir, { 'layer-name': 'node24', runtime: 'nodejs24.x' });
    expect(report.error).toBeUndefined();
    expect(runs(report)).toEqual([['nodejs24.x', standInRuntimeImage('nodejs:24'), [['is-number', true]]]]);
  });

  // Running arm64 needs qemu-user-static (registered by scripts/stand-in-images.sh where it can be).
  it.skipIf(!fs.existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64'))(
    'smoke-tests an arm64 layer in the arm64 nodejs22.x runtime stand-in',
    async () => {
      const dir = await workspaceWithZip({
        'nodejs/node_modules/arch/package.json': JSON.stringify({ name: 'arch', version: '1.0.0' }),
        'nodejs/node_modules/arch/index.js': "if (process.arch !== 'arm64') throw new Error(process.arch);\n",
      });
      const report = await release(dir, {
        'layer-name': 'node-arm64',
        runtime: 'nodejs22.x',
        architecture: 'arm64',
        'zip-file': 'layer.zip',
        steps: 'build,smoke-test',
      });
      expect(report.error).toBeUndefined();
      expect(runs(report)).toEqual([
        ['nodejs22.x', standInRuntimeImage('nodejs:22', 'arm64'), [['arch', true]]],
      ]);
    },
  );
});
