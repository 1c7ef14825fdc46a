/** Inputs of the Java, Ruby and custom runtimes, trim and cross-install. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Runtime } from '@aws-sdk/client-lambda';
import { getInputs, InputError, type Inputs } from '../../src/inputs/index.js';
import {
  DEPRECATION_DATES,
  deprecatedSince,
  findRuntime,
  RUNTIMES,
  UNSUPPORTED_RUNTIMES,
} from '../../src/runtimes/index.js';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-inputs-runtimes-'));
for (const file of ['requirements.txt', 'package.json', 'pom.xml', 'Gemfile', 'Makefile', 'layer.zip']) {
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
      "cross-install: only Python and Node.js layers can be installed for another architecture (pip's platform tags, npm's --cpu); java21 builds in the arm64 image",
    ]);
  });

  it('is allowed for Node.js: npm, pnpm, Yarn Berry and Bun choose optional packages by platform', () => {
    const runner = process.arch === 'arm64' ? 'arm64' : 'x86_64';
    const target = runner === 'arm64' ? 'x86_64' : 'arm64';
    expect(inputs({ runtime: 'nodejs22.x', architecture: target, 'cross-install': 'true' })).toMatchObject({
      crossInstall: true,
      buildImage: `public.ecr.aws/sam/build-nodejs22.x:latest-${runner}`,
      smokeImage: `public.ecr.aws/lambda/nodejs:22-${target}`,
    });
  });
});

describe('the runtime table against Lambda', () => {
  it('covers every runtime of the SDK: in the table, or unsupported with a reason', () => {
    const missing = Object.values(Runtime).filter(
      (id) => !findRuntime(id) && !(UNSUPPORTED_RUNTIMES[id] ?? '').trim(),
    );
    // A new SDK that adds a runtime fails here until the runtime is added to RUNTIMES or explained.
    expect(missing).toEqual([]);
    for (const runtime of RUNTIMES) expect(Object.values(Runtime)).toContain(runtime.id);
    for (const id of Object.keys(UNSUPPORTED_RUNTIMES)) expect(findRuntime(id)).toBeUndefined();
  });

  it.each([
    ['python3.14', 'python', 'public.ecr.aws/lambda/python:3.14-x86_64', 'requirements.txt'],
    ['nodejs24.x', 'nodejs', 'public.ecr.aws/lambda/nodejs:24-x86_64', 'package.json'],
    ['java25', 'java', 'public.ecr.aws/lambda/java:25-x86_64', 'pom.xml'],
    ['java8.al2023', 'java', 'public.ecr.aws/lambda/java:8.al2023-x86_64', 'pom.xml'],
    ['java11.al2023', 'java', 'public.ecr.aws/lambda/java:11.al2023-x86_64', 'pom.xml'],
    ['java17.al2023', 'java', 'public.ecr.aws/lambda/java:17.al2023-x86_64', 'pom.xml'],
    ['ruby4.0', 'ruby', 'public.ecr.aws/lambda/ruby:4.0-x86_64', 'Gemfile'],
  ])('accepts %s (%s) on Amazon Linux 2023', (id, family, smokeImage, manifest) => {
    fs.mkdirSync(path.join(workspace, 'node'), { recursive: true });
    fs.writeFileSync(path.join(workspace, 'package.json'), '{}');
    const read = inputs({ runtime: id });
    expect(read.runtime).toMatchObject({ id, family, os: 'al2023' });
    expect(read.smokeImage).toBe(smokeImage);
    expect(read.buildImage).toBe(`public.ecr.aws/sam/build-${id}:latest-x86_64`);
    expect(read.manifest).toBe(manifest);
  });

  it('puts Ruby 4.0 gems in the folder of its ABI version', () => {
    expect(findRuntime('ruby4.0')!.installDir).toBe('ruby/gems/4.0.0');
  });

  it('warns, with the date, when the runtime is deprecated, and not before', () => {
    const python39 = findRuntime('python3.9')!;
    expect(deprecatedSince(python39, '2025-12-14')).toBeUndefined();
    expect(deprecatedSince(python39, '2025-12-15')).toBe('2025-12-15');
    expect(deprecatedSince(findRuntime('python3.14')!, '2026-12-01')).toBeUndefined();
    for (const date of Object.values(DEPRECATION_DATES)) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const id of Object.keys(DEPRECATION_DATES)) expect(findRuntime(id)).toBeDefined();

    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let written: string[];
    try {
      vi.useFakeTimers({ now: new Date('2026-12-01T00:00:00Z'), toFake: ['Date'] });
      inputs({ runtime: 'python3.9' });
      inputs({ runtime: 'python3.14' });
    } finally {
      vi.useRealTimers();
      written = write.mock.calls.map(([text]) => String(text));
      write.mockRestore();
    }
    const warnings = written.filter((t) => t.startsWith('::warning'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/runtime: python3\.9 has been deprecated by Lambda since 2025-12-15/);
    expect(warnings[0]).toMatch(/Move to .*python3\.14/);
  });
});
