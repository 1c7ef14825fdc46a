/**
 * Runs the committed bundle exactly as the Actions runner does: `node dist/index.js` with INPUT_*
 * variables and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWheel } from '../support/wheels.js';

const repo = path.resolve(import.meta.dirname, '../..');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-dist-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

interface RunnerResult {
  status: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Parses the `name<<delimiter ... delimiter` blocks that @actions/core writes to GITHUB_OUTPUT. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^<\n]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}

function runAction(workspace: string, inputs: Record<string, string>): RunnerResult {
  const runnerTemp = fs.mkdtempSync(path.join(root, 'runner-temp-'));
  const outputFile = path.join(runnerTemp, 'output');
  const summaryFile = path.join(runnerTemp, 'summary');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
  };
  // The runner passes every input with a default, whether the workflow sets it or not.
  for (const [name, value] of Object.entries({ steps: 'build,smoke-test', 'github-token': '', ...inputs })) {
    env[`INPUT_${name.toUpperCase()}`] = value;
  }
  const result = spawnSync(process.execPath, [path.join(repo, 'dist/index.js')], {
    env,
    encoding: 'utf8',
    timeout: 170_000,
  });
  return {
    status: result.status,
    stdout: result.stdout,
    outputs: parseOutputFile(fs.readFileSync(outputFile, 'utf8')),
    summary: fs.readFileSync(summaryFile, 'utf8'),
  };
}

describe('node dist/index.js', () => {
  it('builds and smoke-tests a Python layer, sets outputs and writes the job summary', async () => {
    const workspace = path.join(root, 'ws-python');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(workspace, 'requirements.txt'), 'greeting==1.0.0\n');
    await makeWheel(path.join(workspace, 'wheels'), {
      name: 'greeting',
      version: '1.0.0',
      files: { 'greeting/__init__.py': 'X = 1\n' },
    });
    const result = runAction(workspace, {
      'layer-name': 'e2e-layer',
      runtime: 'python3.11',
      'install-args': '--no-index --find-links wheels',
    });
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toContain('::group::Build the layer (build)');
    expect(result.stdout).toContain('::group::Smoke-test the layer (smoke-test)');
    expect(result.outputs['content-hash']).toMatch(/^[0-9a-f]{64}$/);
    expect(result.outputs['code-sha256']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(fs.statSync(result.outputs['zip-file']!).size).toBe(Number(result.outputs['zip-size']));
    expect(Number(result.outputs['unzipped-size'])).toBeGreaterThan(0);
    expect(result.summary).toContain('## ✅ Lambda layer `e2e-layer` (python3.11, x86_64)');
    expect(result.summary).toMatch(/\| ✅ build \| 1 packages, .* zip, .* unzipped \| [\d.]+ s \|/);
    expect(result.summary).toMatch(/\| ✅ smoke-test \| 1\/1 imports ok \|/);
    expect(result.summary).toContain(`| CodeSha256 | \`${result.outputs['code-sha256']}\` |`);
    expect(result.summary).toContain('| greeting | 1.0.0 | greeting |');
  });

  it('fails with every input problem named, before running anything, and still writes the summary', () => {
    const workspace = path.join(root, 'ws-bad');
    fs.mkdirSync(workspace);
    const result = runAction(workspace, {
      'layer-name': 'bad name',
      runtime: 'python2.7',
      'max-parallel': '99',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error::Invalid inputs:');
    expect(result.stdout).toContain('layer-name: "bad name" is not allowed');
    expect(result.stdout).toContain('runtime: "python2.7" is not supported');
    expect(result.stdout).toContain('max-parallel: "99" is not allowed; use a whole number from 1 to 50');
    expect(result.stdout).not.toContain('::group::');
    expect(result.summary).toContain('## ❌ Lambda layer release');
    expect(result.outputs).toEqual({});
  });

  it('refuses the default steps while ssm is not available, naming the step', () => {
    const workspace = path.join(root, 'ws-default');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(workspace, 'requirements.txt'), '');
    const result = runAction(workspace, {
      steps: 'build,smoke-test,publish,roll-out,ssm,comment',
      'layer-name': 'x',
      runtime: 'python3.11',
      regions: 'us-east-1',
      'ssm-parameter': '/layers/x',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('steps: step ssm is not available in this version');
  });
});
