/**
 * Real builds and smoke tests in a real Docker engine, with the stand-in Lambda images
 * (scripts/stand-in-images.sh, prepared by the integration global setup).
 */
import { getExecOutput, type ExecOutput } from '@actions/exec';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultDeps } from '../../src/deps.js';
import type { Exec } from '../../src/docker.js';
import { extractZip } from '../../src/layer/zip.js';
import { runInProcess as release, workspace } from '../support/release.js';
import { makeWheel } from '../support/wheels.js';

async function pythonWorkspace(extraWheels: Parameters<typeof makeWheel>[1][] = []): Promise<string> {
  const dir = workspace({ 'layer/requirements.txt': 'greeting==1.0.0\nnumtool==2.1\n' });
  const wheels = path.join(dir, 'layer', 'wheels');
  await makeWheel(wheels, {
    name: 'greeting',
    version: '1.0.0',
    files: { 'greeting/__init__.py': 'def hello():\n    return "hello"\n' },
  });
  await makeWheel(wheels, {
    name: 'numtool',
    version: '2.1',
    files: { 'numtool.py': 'import greeting\nVALUE = 42\n', '_numtool_native.py': 'X = 1\n' },
  });
  for (const spec of extraWheels) await makeWheel(wheels, spec);
  return dir;
}

const pythonInputs = {
  'layer-name': 'py-deps',
  runtime: 'python3.11',
  'working-directory': 'layer',
  'install-args': '--no-index --find-links wheels',
};

beforeEach(() => vi.unstubAllEnvs());

describe('Python layer', () => {
  it('builds into site-packages in the build image and imports every module in the runtime image', async () => {
    const dir = await pythonWorkspace();
    // Just before the build's container, the same `docker run` options start a container that tries to
    // create a file beside the manifest in the mounted sources: it must be refused.
    let probe: ExecOutput | undefined;
    const deps = defaultDeps();
    const exec: Exec = async (command, args, options) => {
      if (command === 'docker' && args[0] === 'run' && args.some((a) => a.startsWith('LAYER_MANIFEST='))) {
        const image = args.find((a) => a.includes('/sam/build-python3.11'))!;
        const before = args.slice(1, args.indexOf(image));
        const kept = before.filter((a, i) => a !== '--name' && before[i - 1] !== '--name');
        probe = await getExecOutput(
          'docker',
          ['run', '--rm', ...kept, image, 'sh', '-c', 'touch "$(dirname "$LAYER_MANIFEST")/write-probe"'],
          { ignoreReturnCode: true, silent: true },
        );
      }
      return deps.exec(command, args, options);
    };
    const report = await release(dir, pythonInputs, { ...deps, exec });
    expect(report.error).toBeUndefined();
    const artifact = report.artifact!;
    expect(artifact.layout.modulePaths).toEqual(['python/lib/python3.11/site-packages']);
    expect(artifact.packages.map((p) => `${p.name}==${p.version}`)).toEqual([
      'greeting==1.0.0',
      'numtool==2.1',
    ]);
    expect(report.smoke!.imports.map((r) => [r.module, r.ok])).toEqual([
      ['greeting', true],
      ['_numtool_native', true],
      ['numtool', true],
    ]);
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([
      ['build', 'succeeded'],
      ['smoke-test', 'succeeded'],
    ]);
    // The build ran as this user: nothing in the tree belongs to anyone else.
    const owner = fs.statSync(
      path.join(artifact.layerDir, 'python/lib/python3.11/site-packages/numtool.py'),
    ).uid;
    expect(owner).toBe(process.getuid!());
    // The sources were mounted read-only (the probe's write was refused) and stay untouched.
    expect(probe?.exitCode, probe?.stderr).not.toBe(0);
    expect(probe!.stderr).toMatch(/Read-only file system/);
    expect(fs.readdirSync(path.join(dir, 'layer')).sort()).toEqual(['requirements.txt', 'wheels']);
    expect(fs.readFileSync(path.join(dir, 'layer/requirements.txt'), 'utf8')).toBe(
      'greeting==1.0.0\nnumtool==2.1\n',
    );
    // The zip holds what Lambda expects under /opt, without .pyc files.
    const opt = path.join(workspace(), 'opt');
    await extractZip(artifact.zipFile, opt);
    expect(fs.existsSync(path.join(opt, 'python/lib/python3.11/site-packages/greeting/__init__.py'))).toBe(
      true,
    );
    expect(fs.readdirSync(path.join(opt, 'python/lib/python3.11/site-packages/greeting'))).toEqual([
      '__init__.py',
    ]);
  });

  it('gives byte-identical zips for two separate builds of the same requirements', async () => {
    const first = await release(await pythonWorkspace(), pythonInputs);
    const second = await release(await pythonWorkspace(), pythonInputs);
    expect(first.error).toBeUndefined();
    expect(second.artifact!.codeSha256).toBe(first.artifact!.codeSha256);
    expect(second.artifact!.contentHash).toBe(first.artifact!.contentHash);
    expect(fs.readFileSync(second.artifact!.zipFile).equals(fs.readFileSync(first.artifact!.zipFile))).toBe(
      true,
    );
  });

  it('fails the smoke test when a module cannot be imported, and names it', async () => {
    const dir = await pythonWorkspace([
      { name: 'broken', version: '0.1', files: { 'broken/__init__.py': 'import not_installed_anywhere\n' } },
    ]);
    fs.appendFileSync(path.join(dir, 'layer/requirements.txt'), 'broken==0.1\n');
    const report = await release(dir, pythonInputs);
    expect(report.error).toMatch(
      /Smoke test failed in \S+\/lambda\/python:3.11-x86_64: 1 of 4 imports failed/,
    );
    expect(report.error).toMatch(/broken: ModuleNotFoundError: No module named 'not_installed_anywhere'/);
    expect(report.steps.at(-1)).toMatchObject({ step: 'smoke-test', status: 'failed' });
    // The failed smoke test is kept for the report: which import failed, and which passed.
    expect(report.smoke!.imports.find((r) => r.module === 'broken')).toMatchObject({ ok: false });
  });

  it('imports only the modules named in smoke-imports', async () => {
    const report = await release(await pythonWorkspace(), {
      ...pythonInputs,
      'smoke-imports': 'numtool json',
    });
    expect(report.error).toBeUndefined();
    expect(report.smoke!.imports.map((r) => r.module)).toEqual(['numtool', 'json']);
  });

  it('runs a build-command as a script, with inputs reaching it only through the environment', async () => {
    const dir = workspace({ 'src/tool.py': 'NAME = "tool"\n' });
    const report = await release(dir, {
      'layer-name': 'custom-build',
      runtime: 'python3.11',
      'working-directory': 'src',
      'build-command': [
        'mkdir -p "$LAYER_INSTALL_DIR"',
        'cp tool.py "$LAYER_INSTALL_DIR/"',
        'echo "$LAYER_NAME $LAYER_RUNTIME $LAYER_ARCHITECTURE" > "$LAYER_INSTALL_DIR/built_for.txt"',
      ].join('\n'),
      'smoke-imports': 'tool',
    });
    expect(report.error).toBeUndefined();
    const builtFor = path.join(
      report.artifact!.layerDir,
      'python/lib/python3.11/site-packages/built_for.txt',
    );
    expect(fs.readFileSync(builtFor, 'utf8')).toBe('custom-build python3.11 x86_64\n');
  });

  it('refuses a build whose files land outside the layout, before zipping', async () => {
    const report = await release(workspace({ 'src/x.py': '' }), {
      'layer-name': 'bad-layout',
      runtime: 'python3.11',
      'working-directory': 'src',
      'build-command': 'mkdir -p "$LAYER_DIR/python/python" && cp x.py "$LAYER_DIR/python/python/"',
    });
    expect(report.error).toMatch(/The layer nests python\/python\//);
    expect(report.error).toMatch(/Found layout:\n {2}python\/python\/ \(1 file\)/);
    expect(report.artifact).toBeUndefined();
  });

  it('reports a failing build with the tail of its output', async () => {
    const dir = workspace({ 'layer/requirements.txt': 'does-not-exist==9.9\n', 'layer/wheels/.keep': '' });
    const report = await release(dir, pythonInputs);
    expect(report.error).toMatch(
      /Building the layer in \S+\/sam\/build-python3.11:latest-x86_64 failed \(exit code 1\)/,
    );
    expect(report.error).toMatch(/No matching distribution found for does-not-exist==9.9/);
  });
});

describe('Node.js layer', () => {
  it('installs package.json dependencies into nodejs/node_modules with npm and imports them', async () => {
    const dir = workspace({
      'package.json': JSON.stringify({
        name: 'node-layer',
        private: true,
        dependencies: { 'is-number': '7.0.0' },
      }),
    });
    const report = await release(dir, { 'layer-name': 'node-deps', runtime: 'nodejs18.x' });
    expect(report.error).toBeUndefined();
    expect(report.artifact!.layout.modulePaths).toEqual(['nodejs/node_modules']);
    expect(report.artifact!.packages).toEqual([
      { name: 'is-number', version: '7.0.0', imports: ['is-number'] },
    ]);
    expect(report.smoke!.imports).toMatchObject([{ module: 'is-number', ok: true }]);
    expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
  });

  it('fails the smoke test for a module that is not in the layer', async () => {
    const dir = workspace({ 'package.json': JSON.stringify({ dependencies: { 'is-number': '7.0.0' } }) });
    const report = await release(dir, {
      'layer-name': 'node-deps',
      runtime: 'nodejs18.x',
      'smoke-imports': 'is-number left-pad',
    });
    expect(report.error).toMatch(/1 of 2 imports failed:\n {2}left-pad: ERR_MODULE_NOT_FOUND/);
  });
});

describe('zip-file', () => {
  it('checks and smoke-tests a zip built elsewhere, and publishes its bytes unchanged', async () => {
    const built = await release(await pythonWorkspace(), pythonInputs);
    expect(built.error).toBeUndefined();
    const dir = workspace({});
    fs.copyFileSync(built.artifact!.zipFile, path.join(dir, 'given.zip'));
    // No install-args: nothing is installed from a given zip, and the inputs refuse the combination.
    const report = await release(dir, {
      ...pythonInputs,
      'install-args': '',
      'working-directory': '.',
      'zip-file': 'given.zip',
    });
    expect(report.error).toBeUndefined();
    expect(report.artifact).toMatchObject({ given: true, codeSha256: built.artifact!.codeSha256 });
    expect(report.smoke!.imports.every((r) => r.ok)).toBe(true);
  });
});
