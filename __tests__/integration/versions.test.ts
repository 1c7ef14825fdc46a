/**
 * Layers declaring several runtimes of one family: built once per Python version in each version's
 * build image (or once into python/ when pure), smoke-tested in every declared runtime's image, and
 * refused when a declared version has no folder. Stand-ins: python3.11 (Debian 12), python3.13
 * (Debian 13) and python3.14 (Debian 14; no Debian has 3.12), nodejs18.x and nodejs20.x (the official
 * Node.js builds with the npm they bundle).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { standInRuntimeImage } from '../support/images.js';
import { compile } from '../support/native.js';
import { runInProcess as release, workspace, workspaceWithZip } from '../support/release.js';
import { makeWheel, type WheelSpec } from '../support/wheels.js';

beforeEach(() => vi.unstubAllEnvs());

const BOTH = { 'compatible-runtimes': 'python3.11 python3.13' };
const pythonInputs = {
  'layer-name': 'multi',
  runtime: 'python3.11',
  'working-directory': 'layer',
  'install-args': '--no-index --find-links wheels',
};
const GREETING: WheelSpec = {
  name: 'greeting',
  version: '1.0.0',
  files: { 'greeting/__init__.py': 'def hello():\n    return "hello"\n' },
};

/** A native package for one CPython version: a C library loaded through ctypes, as many packages do. */
function fastlib(pythonTag: string): WheelSpec {
  return {
    name: 'fastlib',
    version: '1.0',
    tag: `${pythonTag}-${pythonTag}-manylinux2014_x86_64`,
    files: {
      'fastlib/__init__.py': [
        'import ctypes, os, sys',
        '_lib = ctypes.CDLL(os.path.join(os.path.dirname(__file__), "libfast.so"))',
        'assert _lib.f(41) == 42',
        `BUILT_FOR = "${pythonTag}"`,
        'assert sys.version_info[:2] == (3, int(BUILT_FOR[3:])), (sys.version, BUILT_FOR)',
        '',
      ].join('\n'),
      'fastlib/libfast.so': fs.readFileSync(compile('int f(int x) { return x + 1; }\n')),
    },
  };
}

async function pythonWorkspace(wheels: WheelSpec[], requirements: string): Promise<string> {
  const dir = workspace({ 'layer/requirements.txt': requirements });
  for (const wheel of wheels) await makeWheel(path.join(dir, 'layer', 'wheels'), wheel);
  return dir;
}

const runs = (report: Awaited<ReturnType<typeof release>>) =>
  report.smoke!.runs.map((run) => [run.runtime, run.image, run.imports.map((r) => [r.module, r.ok])]);

describe('Python layer for python3.11 and python3.13', () => {
  it('installs a native package once per version, in each build image, and imports it in each runtime image', async () => {
    const dir = await pythonWorkspace(
      [GREETING, fastlib('cp311'), fastlib('cp313')],
      'greeting==1.0.0\nfastlib==1.0\n',
    );
    const report = await release(dir, { ...pythonInputs, ...BOTH });
    expect(report.error).toBeUndefined();
    const layer = report.artifact!.layerDir;
    for (const version of ['3.11', '3.13']) {
      const init = path.join(layer, `python/lib/python${version}/site-packages/fastlib/__init__.py`);
      expect(fs.readFileSync(init, 'utf8')).toContain(`BUILT_FOR = "cp${version.replace('.', '')}"`);
    }
    expect(runs(report)).toEqual([
      [
        'python3.11',
        standInRuntimeImage('python:3.11'),
        [
          ['fastlib', true],
          ['greeting', true],
        ],
      ],
      [
        'python3.13',
        standInRuntimeImage('python:3.13'),
        [
          ['fastlib', true],
          ['greeting', true],
        ],
      ],
    ]);
    // The size check and the zip count the whole layer: both folders.
    expect(report.artifact!.fileCount).toBeGreaterThanOrEqual(2 * 3);
  });

  it('installs pure-Python packages once, into python/, and imports them in both images', async () => {
    const report = await release(await pythonWorkspace([GREETING], 'greeting==1.0.0\n'), {
      ...pythonInputs,
      ...BOTH,
    });
    expect(report.error).toBeUndefined();
    expect(fs.readdirSync(path.join(report.artifact!.layerDir, 'python')).sort()).toEqual([
      'greeting',
      'greeting-1.0.0.dist-info',
    ]);
    expect(runs(report).map(([runtime, , imports]) => [runtime, imports])).toEqual([
      ['python3.11', [['greeting', true]]],
      ['python3.13', [['greeting', true]]],
    ]);
  });

  it('fails the smoke test in the one runtime that cannot import, naming its image', async () => {
    // A build-command installs for python3.11 only, under python/ that both read, code only 3.11 runs.
    const dir = workspace({ 'src/only311.py': 'import sys\nassert sys.version_info[:2] == (3, 11)\n' });
    const report = await release(dir, {
      'layer-name': 'only-311',
      runtime: 'python3.11',
      ...BOTH,
      'working-directory': 'src',
      'build-command': 'mkdir -p "$LAYER_DIR/python" && cp only311.py "$LAYER_DIR/python/"',
      'smoke-imports': 'only311',
    });
    expect(report.error).toMatch(
      new RegExp(
        `^Smoke test failed in ${standInRuntimeImage('python:3.13').replaceAll('.', '\\.')}: 1 of 1 imports failed:\n {2}only311: AssertionError`,
      ),
    );
  });

  it('refuses a layer that declares python3.12 but holds only python3.11 packages, before publishing', async () => {
    const dir = await workspaceWithZip({ 'python/lib/python3.11/site-packages/six.py': 'X = 6\n' });
    const report = await release(dir, {
      'layer-name': 'declares-more',
      runtime: 'python3.11',
      'compatible-runtimes': 'python3.11 python3.12',
      'zip-file': 'layer.zip',
      steps: 'build,smoke-test',
    });
    expect(report.error).toMatch(
      /^The layer declares python3.12 but has no python\/lib\/python3.12\/site-packages\/ and nothing under the folders every version reads/,
    );
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([['build', 'failed']]);
  });
});

describe('Python layer for python3.13 and python3.14', () => {
  it('installs a native package in the python3.14 build image too, and imports it in both', async () => {
    const dir = await pythonWorkspace(
      [GREETING, fastlib('cp313'), fastlib('cp314')],
      'greeting==1.0.0\nfastlib==1.0\n',
    );
    const report = await release(dir, {
      ...pythonInputs,
      runtime: 'python3.13',
      'compatible-runtimes': 'python3.13 python3.14',
    });
    expect(report.error).toBeUndefined();
    const init = path.join(
      report.artifact!.layerDir,
      'python/lib/python3.14/site-packages/fastlib/__init__.py',
    );
    expect(fs.readFileSync(init, 'utf8')).toContain('BUILT_FOR = "cp314"');
    expect(runs(report).map(([runtime, image, imports]) => [runtime, image, imports])).toEqual([
      [
        'python3.13',
        standInRuntimeImage('python:3.13'),
        [
          ['fastlib', true],
          ['greeting', true],
        ],
      ],
      [
        'python3.14',
        standInRuntimeImage('python:3.14'),
        [
          ['fastlib', true],
          ['greeting', true],
        ],
      ],
    ]);
  });
});

describe('Node.js layer for nodejs18.x and nodejs20.x', () => {
  it('installs once into nodejs/node_modules and imports in both runtime images', async () => {
    const dir = workspace({
      'package.json': JSON.stringify({
        name: 'node-layer',
        private: true,
        dependencies: { 'is-number': '7.0.0' },
      }),
    });
    const report = await release(dir, {
      'layer-name': 'node-both',
      runtime: 'nodejs18.x',
      'compatible-runtimes': 'nodejs18.x nodejs20.x',
    });
    expect(report.error).toBeUndefined();
    expect(runs(report)).toEqual([
      ['nodejs18.x', standInRuntimeImage('nodejs:18'), [['is-number', true]]],
      ['nodejs20.x', standInRuntimeImage('nodejs:20'), [['is-number', true]]],
    ]);
  });
});
