/** Inputs of the Java, Ruby and custom runtimes, trim and cross-install. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getInputs, InputError, type Inputs } from '../../src/inputs.js';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-inputs-runtimes-'));
for (const file of ['requirements.txt', 'pom.xml', 'Gemfile', 'Makefile', 'layer.zip']) {
  fs.writeFileSync(path.join(workspace, file), '');
}
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

function clearInputs(): void {
  vi.unstubAllEnvs();
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) vi.stubEnv(name, '');
}
beforeEach(clearInputs);

function read(values: Record<string, string>): Inputs | string[] {
  clearInputs();
  for (const [name, value] of Object.entries({
    steps: 'build,smoke-test',
    'layer-name': 'deps',
    ...values,
  })) {
    vi.stubEnv(`INPUT_${name.toUpperCase()}`, value);
  }
  try {
    return getInputs({ GITHUB_WORKSPACE: workspace, RUNNER_TEMP: os.tmpdir() });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return [...(error as InputError).problems];
  }
}

const inputs = (values: Record<string, string>): Inputs => {
  const result = read(values);
  if (Array.isArray(result)) throw new Error(result.join('\n'));
  return result;
};

describe('runtimes beyond Python and Node.js', () => {
  it('defaults the manifest and images of Java, Ruby and custom runtimes', () => {
    expect(inputs({ runtime: 'java21' })).toMatchObject({
      manifest: 'pom.xml',
      buildImage: 'public.ecr.aws/sam/build-java21:latest-x86_64',
      smokeImage: 'public.ecr.aws/lambda/java:21-x86_64',
    });
    expect(inputs({ runtime: 'ruby3.4', architecture: 'arm64' })).toMatchObject({
      manifest: 'Gemfile',
      buildImage: 'public.ecr.aws/sam/build-ruby3.4:latest-arm64',
      smokeImage: 'public.ecr.aws/lambda/ruby:3.4-arm64',
    });
    expect(inputs({ runtime: 'provided.al2' })).toMatchObject({
      manifest: 'Makefile',
      smokeImage: 'public.ecr.aws/lambda/provided:al2-x86_64',
    });
  });

  it('checks smoke-imports by what each family loads', () => {
    expect(inputs({ runtime: 'java17', 'smoke-imports': 'a-1.jar org.example.Main' }).smokeImports).toEqual([
      'a-1.jar',
      'org.example.Main',
    ]);
    expect(read({ runtime: 'java17', 'smoke-imports': '-version' })).toEqual([
      'smoke-imports: "-version" is not a java jar (in java/lib) or class name',
    ]);
    expect(read({ runtime: 'ruby3.3', 'smoke-imports': 'rack/test ../x' })).toEqual([
      'smoke-imports: "../x" is not a ruby gem or feature (require name)',
    ]);
    expect(read({ runtime: 'provided.al2023', 'smoke-imports': 'bootstrap bin/../../etc/shadow' })).toEqual([
      'smoke-imports: "bin/../../etc/shadow" is not a provided executable (path under /opt)',
    ]);
  });
});

describe('trim', () => {
  it('is off by default and on with true', () => {
    expect(inputs({ runtime: 'python3.11' }).trim).toBe(false);
    expect(inputs({ runtime: 'python3.11', trim: 'true' }).trim).toBe(true);
  });

  it('needs the smoke-test step and a layer it builds', () => {
    expect(read({ runtime: 'python3.11', trim: 'true', steps: 'build' })).toEqual([
      'trim: needs the smoke-test step, so that a trim that breaks an import fails the run; add smoke-test',
    ]);
    expect(read({ runtime: 'python3.11', trim: 'true', 'zip-file': 'layer.zip' })).toEqual([
      'trim: cannot be combined with zip-file; a given zip is published as it is',
    ]);
    expect(read({ runtime: 'python3.11', trim: 'yes' })).toEqual([
      'trim: "yes" is not a boolean; use true or false',
    ]);
  });
});

describe('cross-install', () => {
  it('builds in the runner’s own build image and smoke-tests in the target architecture’s', () => {
    const runner = process.arch === 'arm64' ? 'arm64' : 'x86_64';
    const target = runner === 'arm64' ? 'x86_64' : 'arm64';
    expect(inputs({ runtime: 'python3.12', architecture: target, 'cross-install': 'true' })).toMatchObject({
      crossInstall: true,
      buildImage: `public.ecr.aws/sam/build-python3.12:latest-${runner}`,
      smokeImage: `public.ecr.aws/lambda/python:3.12-${target}`,
    });
  });

  it('is refused for runtimes whose build cannot install for another architecture', () => {
    expect(read({ runtime: 'java21', architecture: 'arm64', 'cross-install': 'true' })).toEqual([
      "cross-install: only Python layers can be installed for another architecture (pip's platform tags); java21 builds in the arm64 image",
    ]);
  });
});
