/**
 * `npm run local-action` (GitHub's @github/local-action) with `.env.example`, against the local AWS
 * double over HTTP: first the way the tool runs the action (load the env file, import src/main.ts, call
 * its exported run()), then once through the real `local-action` command. Off a runner: no
 * GITHUB_ACTIONS, RUNNER_TEMP, GITHUB_STEP_SUMMARY or GITHUB_OUTPUT, and action.yml's default
 * github-token arrives as the text `${{ github.token }}`.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readBlob, startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { ENV_EXAMPLE, readEnvExample, REPO, writeSampleZip } from '../support/local-action.js';

const REGION = 'us-east-1';
const LAYER = 'local-action-sample';
const PARAMETER = `/layers/${LAYER}/arn`;
/** What a runner sets and local-action does not: none of it may be inherited from the test's own runner. */
const RUNNER_ONLY = [
  'GITHUB_ACTIONS',
  'RUNNER_TEMP',
  'GITHUB_STEP_SUMMARY',
  'GITHUB_OUTPUT',
  'GITHUB_WORKSPACE',
];

const action = parseYaml(fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};

let aws: AwsDouble;
let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-local-action-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
// A fresh double per test: each run must publish version 1 itself.
beforeEach(async () => {
  aws = await startAwsDouble();
});
afterEach(async () => {
  await aws.close();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** A fresh workspace holding the sample zip where `.env.example` points. */
async function sampleWorkspace(name: string): Promise<string> {
  const workspace = path.join(root, name);
  fs.mkdirSync(workspace);
  await writeSampleZip(workspace);
  return workspace;
}

/** The example's variables, with the double's address instead of :4566. */
function exampleAgainstDouble(): Record<string, string> {
  const env = readEnvExample();
  expect(env.AWS_ENDPOINT_URL, '.env.example points at a local endpoint').toMatch(
    /^http:\/\/127\.0\.0\.1:\d+$/,
  );
  return { ...env, AWS_ENDPOINT_URL: aws.url };
}

/** Asserts what the sample run leaves on the double: version `version` of the sample zip, and its ARN in SSM. */
function expectPublished(zipFile: string, version: number): string {
  const published = aws.state.layer(REGION, LAYER)!.versions.get(version)!;
  expect(published, `layer version ${version}`).toBeDefined();
  expect(readBlob(published.content).equals(fs.readFileSync(zipFile))).toBe(true);
  expect(published.CodeSha256).toBe(createHash('sha256').update(fs.readFileSync(zipFile)).digest('base64'));
  expect(published.CompatibleRuntimes).toEqual(['python3.13']);
  expect(aws.state.parameter(REGION, PARAMETER)?.Value).toBe(published.LayerVersionArn);
  return published.LayerVersionArn;
}

describe('.env.example', () => {
  it('names every input of action.yml, and only those, as local-action reads them (INPUT_, capitals, hyphens kept)', () => {
    const names = Object.keys(readEnvExample()).filter((name) => name.startsWith('INPUT_'));
    expect(names).toEqual(Object.keys(action.inputs).map((input) => `INPUT_${input.toUpperCase()}`));
  });

  it('is a sample that needs no secret, and .env (where secrets go) is ignored by git', () => {
    const env = readEnvExample();
    expect(env.AWS_ACCESS_KEY_ID).toBe('test');
    expect(env['INPUT_GITHUB-TOKEN']).toBe('');
    expect(env.GITHUB_ACTIONS, 'off a runner').toBeUndefined();
    expect(fs.readFileSync(path.join(REPO, '.gitignore'), 'utf8').split('\n')).toContain('.env');
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts['local-action']).toBe('local-action . src/main.ts .env');
    expect(scripts['aws-double']).toBe('tsx scripts/aws-double.ts');
  });

  it('is how the README and docs/development.md say to debug locally', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const development = readme.slice(readme.indexOf('## Development'));
    expect(development).toContain('(docs/development.md#debug-locally)');
    const page = fs.readFileSync(path.join(REPO, 'docs/development.md'), 'utf8');
    expect(page).toMatch(/^## Debug locally$/m);
    for (const command of ['cp .env.example .env', 'npm run aws-double', 'npm run local-action']) {
      expect(page).toContain(command);
    }
    // The double listens where .env.example points (LocalStack's port, as the page says).
    expect(readEnvExample().AWS_ENDPOINT_URL).toBe('http://127.0.0.1:4566');
    expect(fs.readFileSync(path.join(REPO, 'scripts/aws-double.ts'), 'utf8')).toContain(
      'LLR_AWS_DOUBLE_PORT || 4566',
    );
  });
});

describe('the entry local-action runs: src/main.ts', () => {
  it('publishes the sample and writes SSM off a runner, with the default github-token as text', async () => {
    const workspace = await sampleWorkspace('in-process');
    for (const name of RUNNER_ONLY) vi.stubEnv(name, undefined);
    for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) vi.stubEnv(name, undefined);
    for (const [name, value] of Object.entries({ ...exampleAgainstDouble(), GITHUB_WORKSPACE: workspace })) {
      // local-action's getInput: an empty input is action.yml's default, as on a runner.
      const input = name.startsWith('INPUT_') ? name.slice(6).toLowerCase() : undefined;
      vi.stubEnv(name, value || (input && action.inputs[input]?.default) || value);
    }
    expect(process.env['INPUT_GITHUB-TOKEN']).toBe('${{ github.token }}');
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => out.push(String(text)) > 0);

    // Importing the entry must not run the action: local-action imports it, then calls run().
    const { run } = await import('../../src/main.js');
    expect(aws.requests).toEqual([]);
    await run();

    const log = out.join('');
    expect(process.exitCode, log).not.toBe(1);
    expect(log).not.toMatch(/^::(error|warning)/m);
    const arn = expectPublished(path.join(workspace, '.tmp/local-action/layer.zip'), 1);
    expect(log).toContain(`::set-output name=layer-version-arn::${arn}`);
    expect(log).toContain('GITHUB_STEP_SUMMARY is not set, so no job summary was written');
    // Without RUNNER_TEMP, scratch space is the system's temporary folder.
    expect(log).toMatch(new RegExp(`Layer zip ${os.tmpdir()}/lambda-layer-release/`));
  });
});

describe('the local-action command', () => {
  it('runs the action from a copy of .env.example: publish and SSM on the double, outputs printed', async () => {
    const workspace = await sampleWorkspace('cli');
    const envFile = path.join(root, 'cli.env');
    const copy = fs
      .readFileSync(ENV_EXAMPLE, 'utf8')
      .replace(/^AWS_ENDPOINT_URL=.*$/m, `AWS_ENDPOINT_URL=${aws.url}`);
    fs.writeFileSync(envFile, `${copy}\nGITHUB_WORKSPACE=${workspace}\n`);
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (!name.startsWith('INPUT_') && !RUNNER_ONLY.includes(name) && !name.startsWith('AWS_')) {
        env[name] = value;
      }
    }
    // npm scripts run on Node 24 (the node devDependency), and find local-action and tsx here.
    env.PATH = [path.dirname(process.execPath), path.join(REPO, 'node_modules/.bin'), env.PATH].join(':');
    const bin = path.join(REPO, 'node_modules/@github/local-action/bin/local-action.js');
    const child = spawn(process.execPath, [bin, '.', 'src/main.ts', envFile], { cwd: REPO, env });
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(status, log).toBe(0);
    expect(log).toContain('Running Action');
    const arn = expectPublished(path.join(workspace, '.tmp/local-action/layer.zip'), 1);
    expect(log).toMatch(new RegExp(`'layer-version-arn'\\s*│\\s*'${arn}'`));
    expect(log).not.toMatch(/::(error|warning)::/);
    expect(log).not.toContain(aws.credentials.secretAccessKey);
  }, 120_000);
});
