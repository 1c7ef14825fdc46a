import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getInputs, InputError, parseList } from '../../src/inputs/index.js';
import { RUNTIMES } from '../../src/runtimes/index.js';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-inputs-'));
fs.writeFileSync(path.join(workspace, 'requirements.txt'), 'six==1.16.0\n');
fs.mkdirSync(path.join(workspace, 'node-layer'));
fs.writeFileSync(path.join(workspace, 'node-layer', 'package.json'), '{}');
fs.writeFileSync(path.join(workspace, 'layer.zip'), 'PK');
fs.symlinkSync('/etc', path.join(workspace, 'escape-link'));
fs.mkdirSync(path.join(workspace, '.git'));
fs.writeFileSync(path.join(workspace, '.git', 'config'), '[core]\n');
fs.symlinkSync('.git/config', path.join(workspace, 'git-link.txt'));
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

const BASE = { steps: 'build,smoke-test', 'layer-name': 'my-layer', runtime: 'python3.11' };

function withInputs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries({ ...BASE, ...values })) {
    vi.stubEnv(`INPUT_${name.toUpperCase()}`, value);
  }
}

function problemsFor(values: Record<string, string>): string[] {
  withInputs(values);
  try {
    getInputs({ GITHUB_WORKSPACE: workspace, RUNNER_TEMP: os.tmpdir() });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return [...(error as InputError).problems];
  }
  return [];
}

beforeEach(() => {
  vi.unstubAllEnvs();
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) vi.stubEnv(name, '');
});

describe('getInputs', () => {
  it('reads a minimal valid configuration with defaults', () => {
    withInputs({});
    const inputs = getInputs({ GITHUB_WORKSPACE: workspace, RUNNER_TEMP: '/tmp/runner' });
    expect(inputs.steps).toEqual(['build', 'smoke-test']);
    expect(inputs.runtime.id).toBe('python3.11');
    expect(inputs.architecture).toBe('x86_64');
    expect(inputs.manifest).toBe('requirements.txt');
    expect(inputs.workingDirectory).toBe(workspace);
    expect(inputs.buildImage).toBe('public.ecr.aws/sam/build-python3.11:latest-x86_64');
    expect(inputs.smokeImage).toBe('public.ecr.aws/lambda/python:3.11-x86_64');
    expect(inputs.compatibleRuntimes).toEqual(['python3.11']);
    expect(inputs.skipUnchanged).toBe(true);
    expect(inputs.maxParallel).toBe(25);
    expect(inputs.onFailure).toBe('stop');
    expect(inputs.functions).toEqual({ mode: 'auto' });
    expect(inputs.tempDir).toBe('/tmp/runner');
    expect(inputs.allowPullRequests).toBe(false);
    expect(Object.isFrozen(inputs)).toBe(true);
  });

  it('takes the default images from image-registry, a mirror of public.ecr.aws', () => {
    withInputs({
      'image-registry': '123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public',
      architecture: 'arm64',
    });
    const inputs = getInputs({ GITHUB_WORKSPACE: workspace });
    expect(inputs.buildImage).toBe(
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public/sam/build-python3.11:latest-arm64',
    );
    expect(inputs.smokeImage).toBe(
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/ecr-public/lambda/python:3.11-arm64',
    );
  });

  it('accepts a zip-file in RUNNER_TEMP (actions/download-artifact, an earlier step)', () => {
    const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-runner-temp-'));
    fs.writeFileSync(path.join(runnerTemp, 'layer.zip'), 'PK');
    try {
      withInputs({ 'zip-file': path.join(runnerTemp, 'layer.zip') });
      const inputs = getInputs({ GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runnerTemp });
      expect(inputs.zipFile).toBe(path.join(runnerTemp, 'layer.zip'));
      // Without RUNNER_TEMP, only the workspace counts.
      expect(() => getInputs({ GITHUB_WORKSPACE: workspace })).toThrow(
        /zip-file: .* resolves outside the workspace/,
      );
    } finally {
      fs.rmSync(runnerTemp, { recursive: true });
    }
  });

  it('takes paths whose names start with .. inside the workspace (only a .. segment leaves it)', () => {
    fs.mkdirSync(path.join(workspace, '..sub'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '..sub', '..req.txt'), 'six\n');
    fs.writeFileSync(path.join(workspace, '..layer.zip'), 'PK');
    withInputs({ 'working-directory': '..sub', manifest: '..req.txt' });
    const inputs = getInputs({ GITHUB_WORKSPACE: workspace });
    expect(inputs.workingDirectory).toBe(path.join(workspace, '..sub'));
    expect(inputs.manifest).toBe('..req.txt');
    withInputs({ 'zip-file': '..layer.zip', 'working-directory': '', manifest: '' });
    expect(getInputs({ GITHUB_WORKSPACE: workspace }).zipFile).toBe(path.join(workspace, '..layer.zip'));
    const outside = { 'working-directory': '..sub', manifest: '../..sub-elsewhere.txt', 'zip-file': '' };
    expect(problemsFor(outside)).toEqual([
      expect.stringMatching(/^manifest: "..\/..sub-elsewhere.txt" is outside working-directory/),
    ]);
  });

  it('takes a workspace link to a zip in RUNNER_TEMP, not one to a zip anywhere else', () => {
    const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-runner-temp-'));
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-elsewhere-'));
    fs.writeFileSync(path.join(runnerTemp, 'layer.zip'), 'PK');
    fs.writeFileSync(path.join(elsewhere, 'layer.zip'), 'PK');
    fs.symlinkSync(path.join(runnerTemp, 'layer.zip'), path.join(workspace, 'temp-link.zip'));
    fs.symlinkSync(path.join(elsewhere, 'layer.zip'), path.join(workspace, 'out-link.zip'));
    try {
      withInputs({ 'zip-file': 'temp-link.zip' });
      const inputs = getInputs({ GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runnerTemp });
      expect(inputs.zipFile).toBe(path.join(workspace, 'temp-link.zip'));
      withInputs({ 'zip-file': 'out-link.zip' });
      expect(() => getInputs({ GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runnerTemp })).toThrow(
        /zip-file: "out-link.zip" resolves outside the workspace/,
      );
    } finally {
      for (const dir of [runnerTemp, elsewhere]) fs.rmSync(dir, { recursive: true });
      for (const link of ['temp-link.zip', 'out-link.zip']) fs.rmSync(path.join(workspace, link));
    }
  });

  it('orders steps as the pipeline runs them, whatever order they are given in', () => {
    withInputs({ steps: 'smoke-test build' });
    expect(getInputs({ GITHUB_WORKSPACE: workspace }).steps).toEqual(['build', 'smoke-test']);
  });

  it('takes a layer ARN and derives the name and region', () => {
    withInputs({ 'layer-name': 'arn:aws:lambda:eu-west-1:123456789012:layer:shared-deps' });
    const inputs = getInputs({ GITHUB_WORKSPACE: workspace });
    expect(inputs.layerName).toBe('shared-deps');
    expect(inputs.regions).toEqual(['eu-west-1']);
  });

  it('carries the lock that decides (uv.lock with pyproject.toml), and refuses two locks naming both', () => {
    const dir = path.join(workspace, 'uv-project');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[project]\nname = "app"\n');
    fs.writeFileSync(path.join(dir, 'uv.lock'), 'version = 1\n');
    withInputs({ 'working-directory': 'uv-project' });
    const inputs = getInputs({ GITHUB_WORKSPACE: workspace });
    expect(inputs.manifest).toBe('pyproject.toml');
    expect(inputs.manifestSource).toEqual({
      manifest: 'pyproject.toml',
      lock: { path: 'uv.lock', format: 'uv.lock' },
      packageManager: { name: 'pip' },
    });
    fs.writeFileSync(path.join(dir, 'poetry.lock'), '');
    expect(problemsFor({ 'working-directory': 'uv-project' })).toEqual([
      'manifest: uv.lock and poetry.lock are both in working-directory; set manifest to the one that decides (e.g. manifest: uv.lock)',
    ]);
    withInputs({ 'working-directory': 'uv-project', manifest: 'poetry.lock' });
    expect(getInputs({ GITHUB_WORKSPACE: workspace }).manifestSource.lock).toEqual({
      path: 'poetry.lock',
      format: 'poetry.lock',
    });
    // A build-command does its own installing: two locks are no reason to refuse it.
    expect(problemsFor({ 'working-directory': 'uv-project', 'build-command': 'true' })).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });

  it('reads a Node.js layer with its manifest in a sub-folder, and lists', () => {
    withInputs({
      runtime: 'nodejs20.x',
      'working-directory': 'node-layer',
      'smoke-imports': 'axios, @aws-lambda-powertools/logger lodash/fp',
      'share-with': '111122223333 o-abcdefghij *',
      functions: 'api-handler,arn:aws:lambda:us-east-2:123456789012:function:worker',
      'install-args': '--no-index  --find-links wheels',
    });
    const inputs = getInputs({ GITHUB_WORKSPACE: workspace, AWS_REGION: 'us-east-2' });
    expect(inputs.manifest).toBe('package.json');
    expect(inputs.smokeImports).toEqual(['axios', '@aws-lambda-powertools/logger', 'lodash/fp']);
    expect(inputs.shareWith).toEqual(['111122223333', 'o-abcdefghij', '*']);
    expect(inputs.functions).toEqual({
      mode: 'list',
      names: ['api-handler', 'arn:aws:lambda:us-east-2:123456789012:function:worker'],
    });
    expect(inputs.installArgs).toEqual(['--no-index', '--find-links', 'wheels']);
    expect(inputs.regions).toEqual(['us-east-2']);
  });

  it('with zip-file, the build step reads the zip', () => {
    withInputs({ steps: 'smoke-test', 'zip-file': 'layer.zip' });
    const inputs = getInputs({ GITHUB_WORKSPACE: workspace });
    expect(inputs.steps).toEqual(['build', 'smoke-test']);
    expect(inputs.zipFile).toBe(path.join(workspace, 'layer.zip'));
  });

  it('skips steps of the default list whose inputs are absent and says why', () => {
    withInputs({ steps: '', functions: 'none' });
    const inputs = getInputs({ GITHUB_WORKSPACE: workspace, AWS_REGION: 'us-east-1' });
    expect(inputs.steps).toEqual(['build', 'smoke-test', 'publish']);
    expect(inputs.skipped).toEqual([
      { step: 'roll-out', reason: 'functions is none' },
      { step: 'ssm', reason: 'no ssm-parameter' },
      { step: 'comment', reason: 'no github-token' },
    ]);
  });

  describe('warns about an input only when no step that runs reads it', () => {
    const unusedWarnings = (values: Record<string, string>, env: Record<string, string> = {}): string[] => {
      const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        withInputs(values);
        getInputs({ GITHUB_WORKSPACE: workspace, AWS_REGION: 'us-east-1', ...env });
        return write.mock.calls.map(([text]) => String(text)).filter((t) => t.includes('only used by'));
      } finally {
        write.mockRestore();
      }
    };
    const node = { runtime: 'nodejs20.x', 'working-directory': 'node-layer' };

    it('compatible-runtimes with build and smoke-test: read by the native check and the smoke test', () => {
      const warnings = unusedWarnings({ ...node, 'compatible-runtimes': 'nodejs18.x nodejs20.x' });
      expect(warnings).toEqual([]);
      expect(
        unusedWarnings({ ...node, steps: 'build', 'compatible-runtimes': 'nodejs18.x nodejs20.x' }),
      ).toEqual([]);
    });

    it('names the unused inputs of each step, and only those', () => {
      const warnings = unusedWarnings({
        ...node,
        'compatible-runtimes': 'nodejs18.x nodejs20.x',
        description: 'deps',
        canary: '1',
      });
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(
        /^::warning::description: only used by the publish step, which this run does not run; ignored/,
      );
      expect(warnings[1]).toMatch(
        /^::warning::canary: only used by the roll-out step, which this run does not run; ignored/,
      );
    });

    it('compatible-runtimes when none of its steps runs', () => {
      const warnings = unusedWarnings(
        {
          ...node,
          steps: 'comment',
          'github-token': 'ghs_abc',
          'compatible-runtimes': 'nodejs18.x nodejs20.x',
        },
        { GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'a'.repeat(40) },
      );
      expect(warnings).toEqual([
        expect.stringMatching(
          /^::warning::compatible-runtimes: only used by the build, smoke-test, publish and roll-out steps, none of which this run runs; ignored/,
        ),
      ]);
    });
  });

  describe("github-token as the text of action.yml's default (${{ github.token }})", () => {
    const LITERAL = '${{ github.token }}';
    const all = { steps: '', 'zip-file': 'layer.zip', functions: 'none', 'ssm-parameter': '/layers/arn' };
    const env = { GITHUB_WORKSPACE: workspace, AWS_REGION: 'us-east-1' };
    /** Warnings about the token (python3.11 of BASE brings a deprecation warning of its own). */
    const warnings = (): string[] => {
      const write = vi.mocked(process.stdout.write);
      return write.mock.calls
        .map(([text]) => String(text))
        .filter((line) => line.startsWith('::warning') && line.includes('github-token'));
    };
    beforeEach(() => {
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      return () => vi.mocked(process.stdout.write).mockRestore();
    });

    it('off a runner, skips the comment step of the default list with a warning', () => {
      withInputs({ ...all, 'github-token': LITERAL });
      const inputs = getInputs(env);
      expect(inputs.steps).toEqual(['build', 'smoke-test', 'publish', 'ssm']);
      expect(inputs.githubToken).toBeUndefined();
      expect(inputs.skipped).toContainEqual({ step: 'comment', reason: 'no github-token' });
      expect(warnings().join('\n')).toMatch(
        /github-token: is the text of an expression .* nothing evaluates off a runner; .*INPUT_GITHUB-TOKEN/,
      );
    });

    it('is no problem and no warning when no chosen step uses the token, on a runner too', () => {
      withInputs({ ...all, steps: 'build,publish,ssm', 'github-token': LITERAL });
      for (const runner of [{}, { GITHUB_ACTIONS: 'true' }]) {
        const inputs = getInputs({ ...env, ...runner });
        expect(inputs.steps).toEqual(['build', 'publish', 'ssm']);
        expect(inputs.githubToken).toBeUndefined();
      }
      expect(warnings()).toEqual([]);
    });

    it('on a runner, with the comment step, is refused', () => {
      withInputs({ ...all, 'github-token': LITERAL });
      expect(() => getInputs({ ...env, GITHUB_ACTIONS: 'true' })).toThrow(
        /github-token: is the text of an expression \(\$\{\{ … \}\}\), not a token; write it unquoted/,
      );
    });

    it('off a runner, a comment step named in steps is refused: it needs a token', () => {
      withInputs({ ...all, steps: 'build,publish,comment', 'github-token': LITERAL });
      expect(() => getInputs(env)).toThrow(/steps: comment is asked for, but it needs github-token/);
      expect(warnings()).toEqual([]);
    });
  });

  it('reports every problem at once', () => {
    const problems = problemsFor({ runtime: 'python2.7', architecture: 'sparc', 'max-parallel': '0' });
    expect(problems).toHaveLength(3);
  });

  it('masks the GitHub token', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    withInputs({ steps: 'build', 'github-token': 'ghs_secret123' });
    getInputs({ GITHUB_WORKSPACE: workspace });
    expect(write.mock.calls.map(([text]) => String(text)).join('')).toContain('::add-mask::ghs_secret123');
    write.mockRestore();
  });

  // Each bad input must name the input, show the bad value (or what is wrong with it) and say what is allowed.
  const badInputs: [string, Record<string, string>, RegExp][] = [
    ['missing layer name', { 'layer-name': '' }, /^layer-name: is required; use/],
    [
      'layer name with a space',
      { 'layer-name': 'my layer' },
      /^layer-name: "my layer" is not allowed; use 1 to 140/,
    ],
    ['layer name with a dot', { 'layer-name': 'my.layer' }, /^layer-name: "my.layer" is not allowed/],
    ['layer name too long', { 'layer-name': 'x'.repeat(141) }, /^layer-name: "x{141}" is not allowed/],
    ['layer name with a slash', { 'layer-name': 'team/layer' }, /^layer-name: "team\/layer" is not allowed/],
    [
      'layer ARN with a bad account',
      { 'layer-name': 'arn:aws:lambda:us-east-1:1234:layer:x' },
      /^layer-name: .* is not allowed/,
    ],
    [
      'layer version ARN',
      { 'layer-name': 'arn:aws:lambda:us-east-1:123456789012:layer:x:3' },
      /^layer-name: .*:3" is not allowed/,
    ],
    ['missing runtime', { runtime: '' }, /^runtime: is required; use one of python3.9, .*nodejs22.x/],
    ['unknown runtime', { runtime: 'python2.7' }, /^runtime: "python2.7" is not supported; use one of/],
    ['runtime in capitals', { runtime: 'Python3.12' }, /^runtime: "Python3.12" is not supported/],
    [
      'unknown architecture',
      { architecture: 'amd64' },
      /^architecture: "amd64" is not allowed; use one of x86_64, arm64/,
    ],
    [
      'unknown step',
      { steps: 'build,deploy' },
      /^steps: "deploy" is not a step; use any of build, smoke-test, publish/,
    ],
    ['no step at all', { steps: ' , ' }, /^steps: nothing to run/],
    [
      'roll-out without publish',
      { steps: 'build,roll-out', regions: 'us-east-1' },
      /^steps: roll-out needs publish \(it uses the layer version that publish makes or finds unchanged\)/,
    ],
    [
      'smoke test without a layer',
      { steps: 'smoke-test' },
      /^steps: smoke-test and publish need a layer; add build or give zip-file/,
    ],
    [
      'working directory outside the workspace',
      { 'working-directory': '../elsewhere' },
      /^working-directory: "..\/elsewhere" resolves outside the workspace/,
    ],
    [
      'absolute working directory elsewhere',
      { 'working-directory': '/etc' },
      /^working-directory: "\/etc" resolves outside the workspace/,
    ],
    [
      'working directory through a symlink out',
      { 'working-directory': 'escape-link' },
      /^working-directory: "escape-link" resolves outside the workspace/,
    ],
    [
      'missing working directory',
      { 'working-directory': 'nope' },
      /^working-directory: "nope" does not exist/,
    ],
    [
      'manifest outside the workspace',
      { manifest: '../../etc/passwd' },
      /^manifest: "..\/..\/etc\/passwd" resolves outside the workspace/,
    ],
    [
      'manifest through a link into .git',
      { manifest: 'git-link.txt' },
      /^manifest: "git-link.txt" leads to ".git\/config", which is kept from the build \(credentials may be there\); give another path/,
    ],
    [
      'missing manifest',
      { manifest: 'requirements-dev.txt' },
      /^manifest: "requirements-dev.txt" does not exist in .*; give the python manifest/,
    ],
    [
      'zip file outside the workspace and RUNNER_TEMP',
      { 'zip-file': '/etc/x.zip' },
      /^zip-file: "\/etc\/x.zip" resolves outside the workspace \S+ and RUNNER_TEMP \S+; use a path inside one of them/,
    ],
    [
      'zip file reached through a symlink out of RUNNER_TEMP',
      { 'zip-file': path.join(os.tmpdir(), path.basename(workspace), 'escape-link', 'passwd') },
      /^zip-file: .* resolves outside the workspace/,
    ],
    [
      'image registry with a scheme',
      { 'image-registry': 'https://mirror.example.com' },
      /^image-registry: "https:\/\/mirror.example.com" is not a registry such as public.ecr.aws/,
    ],
    [
      'image registry with a port past 65535',
      { 'image-registry': 'mirror.example.com:99999' },
      /^image-registry: "mirror.example.com:99999" has the port 99999; a port is a number from 1 to 65535/,
    ],
    [
      'image registry with port 0',
      { 'image-registry': 'mirror.example.com:0/ecr-public' },
      /^image-registry: "mirror.example.com:0\/ecr-public" has the port 0/,
    ],
    [
      'image registry with upper-case path',
      { 'image-registry': 'mirror.example.com/ECR-Public' },
      /^image-registry: "mirror.example.com\/ECR-Public" is not a registry/,
    ],
    ['missing zip file', { 'zip-file': 'missing.zip' }, /^zip-file: "missing.zip" does not exist/],
    [
      'zip file with a build command',
      { 'zip-file': 'layer.zip', 'build-command': 'make' },
      /^build-command: cannot be combined with zip-file/,
    ],
    [
      'build image starting with a dash',
      { 'build-image': '--privileged' },
      /^build-image: "--privileged" is not a Docker image reference/,
    ],
    [
      'build image with a space',
      { 'build-image': 'ubuntu latest' },
      /^build-image: "ubuntu latest" is not a Docker image reference/,
    ],
    [
      'smoke image with a semicolon',
      { 'smoke-image': 'img;rm -rf /' },
      /^smoke-image: "img;rm -rf \/" is not a Docker image reference/,
    ],
    [
      'python import with a dash',
      { 'smoke-imports': 'my-module' },
      /^smoke-imports: "my-module" is not a python module name/,
    ],
    [
      'python import that is code',
      { 'smoke-imports': 'os;print(1)' },
      /^smoke-imports: "os;print\(1\)" is not a python module name/,
    ],
    [
      'node import starting with a dash',
      { runtime: 'nodejs20.x', 'working-directory': 'node-layer', 'smoke-imports': '--eval' },
      /^smoke-imports: "--eval" is not a nodejs module name/,
    ],
    [
      'description too long',
      { description: 'd'.repeat(257) },
      /^description: 257 characters is too long; Lambda allows at most 256/,
    ],
    [
      'license too long',
      { 'license-info': 'l'.repeat(513) },
      /^license-info: 513 characters is too long; Lambda allows at most 512/,
    ],
    [
      'too many compatible runtimes',
      {
        'compatible-runtimes': RUNTIMES.slice(0, 16)
          .map((r) => r.id)
          .join(' '),
      },
      /^compatible-runtimes: 16 runtimes given; Lambda allows at most 15/,
    ],
    [
      'unknown compatible runtime',
      { 'compatible-runtimes': 'python3.11 python4.0' },
      /^compatible-runtimes: "python4.0" is not supported/,
    ],
    [
      'compatible runtime of another language',
      { 'compatible-runtimes': 'python3.11 nodejs20.x' },
      /^compatible-runtimes: "nodejs20.x" cannot load a python layer/,
    ],
    [
      'bad region',
      { regions: 'us-east-1 mars-north-1x' },
      /^regions: "mars-north-1x" is not an AWS region name such as eu-west-1/,
    ],
    ['region in capitals', { regions: 'US-EAST-1' }, /^regions: "US-EAST-1" is not an AWS region name/],
    [
      'region that contradicts the layer ARN',
      { 'layer-name': 'arn:aws:lambda:eu-west-1:123456789012:layer:x', regions: 'us-east-1' },
      /^regions: layer-name is an ARN in eu-west-1/,
    ],
    ['bad bucket', { 's3-bucket': 'My_Bucket' }, /^s3-bucket: "My_Bucket" is not an S3 bucket name/],
    [
      'skip-unchanged not a boolean',
      { 'skip-unchanged': 'yes' },
      /^skip-unchanged: "yes" is not a boolean; use true or false/,
    ],
    ['dry-run not a boolean', { 'dry-run': '1' }, /^dry-run: "1" is not a boolean/],
    ['wait not a boolean', { wait: 'sometimes' }, /^wait: "sometimes" is not a boolean/],
    [
      'allow-pull-requests not a boolean',
      { 'allow-pull-requests': 'yes' },
      /^allow-pull-requests: "yes" is not a boolean; use true or false/,
    ],
    [
      'short account id',
      { 'share-with': '12345' },
      /^share-with: "12345" is not allowed; use 12-digit account ids, an organization id/,
    ],
    ['bad organization id', { 'share-with': 'o-ABC' }, /^share-with: "o-ABC" is not allowed/],
    [
      'two organizations',
      { 'share-with': 'o-abcdefghij o-klmnopqrst' },
      /^share-with: give at most one organization id/,
    ],
    [
      'negative keep-versions',
      { 'keep-versions': '-1' },
      /^keep-versions: "-1" is not allowed; use a whole number from 0 to 10000/,
    ],
    ['fractional keep-versions', { 'keep-versions': '2.5' }, /^keep-versions: "2.5" is not allowed/],
    [
      'max-parallel zero',
      { 'max-parallel': '0' },
      /^max-parallel: "0" is not allowed; use a whole number from 1 to 50/,
    ],
    ['max-parallel too high', { 'max-parallel': '500' }, /^max-parallel: "500" is not allowed/],
    ['max-parallel not a number', { 'max-parallel': 'ten' }, /^max-parallel: "ten" is not allowed/],
    [
      'unknown on-failure',
      { 'on-failure': 'retry' },
      /^on-failure: "retry" is not allowed; use one of stop, continue, rollback/,
    ],
    [
      'bad function name',
      { functions: 'my function!' },
      /^functions: "function!" is not allowed; use auto, none, or function names or ARNs/,
    ],
    [
      'auto mixed with names',
      { functions: 'auto api' },
      /^functions: "auto" is not allowed in a list of functions; give it alone/,
    ],
    [
      'bad function filter',
      { 'function-filter': 'api-*;ls' },
      /^function-filter: "api-\*;ls" is not a function name glob/,
    ],
    [
      'ssm parameter with a space',
      { 'ssm-parameter': '/layers/my arn' },
      /^ssm-parameter: "\/layers\/my arn" is not allowed/,
    ],
    [
      'ssm parameter in the aws namespace',
      { 'ssm-parameter': '/aws/service/x' },
      /^ssm-parameter: "\/aws\/service\/x" is not allowed; .*not starting with aws or ssm/,
    ],
  ];

  it.each(badInputs)('refuses %s', (_label, values, message) => {
    const problems = problemsFor(values);
    expect(
      problems.some((p) => message.test(p)),
      `got: ${JSON.stringify(problems)}`,
    ).toBe(true);
  });

  it('tests at least 40 bad inputs', () => {
    expect(badInputs.length).toBeGreaterThanOrEqual(40);
  });

  it('needs a region for AWS steps', () => {
    const problems = problemsFor({ steps: 'build,publish' });
    expect(problems).toContainEqual(
      expect.stringMatching(/^regions: no region given and AWS_REGION is not set/),
    );
  });
});

describe('parseList', () => {
  it('splits on commas and newlines, or also on white space', () => {
    expect(parseList('a, b\nc,,')).toEqual(['a', 'b', 'c']);
    expect(parseList('a b,\tc', { words: true })).toEqual(['a', 'b', 'c']);
  });
});
