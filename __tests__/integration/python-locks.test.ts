/**
 * Python lock files (issue 30) built for real: uv.lock, poetry.lock (made by Poetry) and Pipfile.lock
 * (made by pipenv) of one project (fixtures/python-locks, made by its make.py), installed by the stand-in
 * build image's pip from the hashed list the host exports, then imported in the runtime image.
 */
import { getExecOutput } from '@actions/exec';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDeps, type Deps } from '../../src/deps.js';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { runInProcess, workspace } from '../support/release.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'python-locks');
const FILES: Record<string, string[]> = {
  uv: ['pyproject.toml', 'uv.lock'],
  poetry: ['pyproject.toml', 'poetry.lock'],
  pipenv: ['Pipfile', 'Pipfile.lock'],
};

/** A workspace with the project of one lock type in layer/, and every wheel of the fixtures in layer/wheels. */
function lockWorkspace(kind: string, change?: (name: string, text: string) => string): string {
  const files: Record<string, string | Buffer> = {};
  for (const name of FILES[kind]!) {
    const text = fs.readFileSync(path.join(FIXTURES, kind, name), 'utf8');
    files[`layer/${name}`] = change ? change(name, text) : text;
  }
  for (const wheel of fs.readdirSync(path.join(FIXTURES, 'wheels'))) {
    files[`layer/wheels/${wheel}`] = fs.readFileSync(path.join(FIXTURES, 'wheels', wheel));
  }
  return workspace(files);
}

const calls: string[][] = [];
const deps: Deps = {
  ...defaultDeps(),
  exec: (command, args, options) => {
    calls.push([command, ...(args ?? [])]);
    return getExecOutput(command, args, options);
  },
};
const containers = (): string[][] =>
  calls.filter(([command, sub]) => command === 'docker' && (sub === 'run' || sub === 'create'));

const inputs = {
  'layer-name': 'locked-deps',
  runtime: 'python3.11',
  'working-directory': 'layer',
  // The wheels stand in for PyPI; the index options are the user's, never the lock's.
  'install-args': '--no-index --find-links wheels',
};
const installed = (report: Awaited<ReturnType<typeof runInProcess>>): string[] =>
  report.artifact!.packages.map((p) => `${p.name}==${p.version}`);

describe.each(['uv', 'poetry', 'pipenv'])('%s lock', (kind) => {
  it("installs exactly the lock's non-dev closure (greeting 2.0.0 is in the wheels, devtool is dev)", async () => {
    calls.length = 0;
    const report = await runInProcess(lockWorkspace(kind), inputs, deps);
    expect(report.error).toBeUndefined();
    // colorama is locked for win32 only: pip evaluates its marker in the build image and leaves it out.
    expect(installed(report)).toEqual(['greeting==1.0.0', 'shout==1.1.0']);
    expect(report.smoke!.imports.map((r) => [r.module, r.ok])).toEqual([
      ['greeting', true],
      ['shout', true],
    ]);
    const build = containers().find((args) => args.some((a) => a.includes('sam/build-python3.11')))!;
    expect(build).toEqual(expect.arrayContaining(['--require-hashes', '--no-deps']));
  });

  it('is refused before any container runs when the lock is stale', async () => {
    const stale = lockWorkspace(kind, (name, text) =>
      name === 'pyproject.toml' || name === 'Pipfile' ? text.replace(/greeting( = |>=)"?[~^]?/, '$&9') : text,
    );
    calls.length = 0;
    const report = await runInProcess(stale, inputs, deps);
    const refresh = { uv: 'uv lock', poetry: 'poetry lock', pipenv: 'pipenv lock' }[kind]!;
    expect(report.error).toContain(`is stale`);
    expect(report.error).toContain(`Run \`${refresh}\``);
    expect(containers()).toEqual([]);
  });
});

describe('uv.lock with extras, groups and cross-install', () => {
  it('adds the chosen extra and group', async () => {
    const report = await runInProcess(lockWorkspace('uv'), { ...inputs, extras: 's3', groups: 'dev' }, deps);
    expect(report.error).toBeUndefined();
    expect(installed(report)).toEqual(['devtool==1.0.0', 'greeting==1.0.0', 's3lib==1.0.0', 'shout==1.1.0']);
  });

  it('cross-installs for arm64 from the x86_64 build image and imports in the arm64 image', async () => {
    const report = await runInProcess(
      lockWorkspace('uv'),
      { ...inputs, architecture: 'arm64', 'cross-install': 'true' },
      deps,
    );
    expect(report.error).toBeUndefined();
    expect(installed(report)).toEqual(['greeting==1.0.0', 'shout==1.1.0']);
    expect(report.smoke!.imports.every((r) => r.ok)).toBe(true);
  });
});

describe('uv.lock with a path source inside working-directory', () => {
  it('installs it non-editable after the hashed list (it carries no hash)', async () => {
    const dir = lockWorkspace('uv', (name, text) =>
      name === 'pyproject.toml'
        ? text.replace('"greeting>=1.0,<2"', '"greeting>=1.0,<2", "s3lib"') +
          '\n[tool.uv.sources]\ns3lib = { path = "wheels/s3lib-1.0.0-py3-none-any.whl" }\n'
        : text
            .replace(
              '    { name = "greeting" },\n]',
              '    { name = "greeting" },\n    { name = "s3lib" },\n]',
            )
            .replace(
              '    { name = "greeting", specifier = ">=1.0,<2" },',
              '    { name = "greeting", specifier = ">=1.0,<2" },\n    { name = "s3lib", path = "wheels/s3lib-1.0.0-py3-none-any.whl" },',
            )
            .replace(
              /name = "s3lib"\nversion = "1.0.0"\nsource = \{[^}]*\}/,
              'name = "s3lib"\nversion = "1.0.0"\nsource = { path = "wheels/s3lib-1.0.0-py3-none-any.whl" }',
            ),
    );
    calls.length = 0;
    const report = await runInProcess(dir, inputs, deps);
    expect(report.error).toBeUndefined();
    expect(installed(report)).toEqual(['greeting==1.0.0', 's3lib==1.0.0', 'shout==1.1.0']);
    const build = containers().find((args) => args.some((a) => a.includes('sam/build-python3.11')))!;
    expect(build).toEqual(expect.arrayContaining(['sh', '-ec']));
    // Not editable: the package's files are in the layer, not a link back to /src.
    const site = path.join(report.artifact!.layerDir, 'python/lib/python3.11/site-packages');
    expect(fs.existsSync(path.join(site, 's3lib', '__init__.py'))).toBe(true);
  });
});

describe('a re-run of an unchanged lock', () => {
  let aws: AwsDouble;
  beforeAll(async () => {
    aws = await startAwsDouble();
  });
  afterAll(() => aws.close());

  it('builds nothing and starts no container; a changed lock builds again', async () => {
    const dir = lockWorkspace('poetry');
    const publish = { ...inputs, steps: 'build,smoke-test,publish', regions: 'us-east-1' };
    const first = await runInProcess(dir, publish, deps, aws.env());
    expect(first.error).toBeUndefined();
    calls.length = 0;
    const second = await runInProcess(dir, publish, deps, aws.env());
    expect(second.error).toBeUndefined();
    expect(second.unchanged).toBeDefined();
    expect(containers()).toEqual([]);
    // Another extra is another layer: it builds.
    calls.length = 0;
    const third = await runInProcess(dir, { ...publish, extras: 's3', 'dry-run': 'true' }, deps, aws.env());
    expect(third.error).toBeUndefined();
    expect(containers().length).toBeGreaterThan(0);
  });
});
