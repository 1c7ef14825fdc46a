import { describe, expect, it } from 'vitest';
import { runArgs } from '../../src/docker.js';
import {
  defaultBuildImage,
  defaultRuntimeImage,
  familyOf,
  findRuntime,
  RUNTIMES,
} from '../../src/runtimes.js';

describe('the runtime table', () => {
  it('names the public build and runtime images for each runtime and architecture', () => {
    const python = findRuntime('python3.12')!;
    const node = findRuntime('nodejs22.x')!;
    expect(defaultBuildImage(python, 'arm64')).toBe('public.ecr.aws/sam/build-python3.12:latest-arm64');
    expect(defaultRuntimeImage(python, 'x86_64')).toBe('public.ecr.aws/lambda/python:3.12-x86_64');
    expect(defaultBuildImage(node, 'x86_64')).toBe('public.ecr.aws/sam/build-nodejs22.x:latest-x86_64');
    expect(defaultRuntimeImage(node, 'arm64')).toBe('public.ecr.aws/lambda/nodejs:22-arm64');
  });

  it('has unique ids and install folders inside a module path', () => {
    expect(new Set(RUNTIMES.map((r) => r.id)).size).toBe(RUNTIMES.length);
    for (const runtime of RUNTIMES) expect(runtime.modulePaths).toContain(runtime.installDir);
  });

  it('builds Python with pip into site-packages, without .pyc files', () => {
    const runtime = findRuntime('python3.11')!;
    const recipe = familyOf(runtime).defaultBuild(runtime, 'deps/requirements.txt', ['--no-index'], false);
    expect(recipe.command).toEqual([
      'python3',
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-compile',
      '--no-warn-script-location',
      '--requirement',
      '/src/deps/requirements.txt',
      '--target',
      '/layer/python/lib/python3.11/site-packages',
      '--no-index',
    ]);
    expect(recipe.workdir).toBe('/src');
  });

  it('builds Node.js with npm ci when there is a lock file, npm install otherwise', () => {
    const runtime = findRuntime('nodejs20.x')!;
    const family = familyOf(runtime);
    expect(family.defaultBuild(runtime, 'package.json', [], true).command.slice(0, 3)).toEqual([
      'npm',
      'ci',
      '--omit=dev',
    ]);
    expect(family.defaultBuild(runtime, 'package.json', [], false).command.slice(0, 3)).toEqual([
      'npm',
      'install',
      '--omit=dev',
    ]);
    expect(family.defaultBuild(runtime, 'package.json', [], true)).toMatchObject({
      workdir: '/layer/nodejs',
      copyManifestTo: 'nodejs',
    });
  });

  it('smoke-tests with Lambda module paths and the right working folder', () => {
    const python = familyOf(findRuntime('python3.11')!).smoke([
      'python/lib/python3.11/site-packages',
      'python',
    ]);
    expect(python.env).toEqual({ PYTHONPATH: '/opt/python/lib/python3.11/site-packages:/opt/python' });
    expect(python.program).toBe('python3');
    const node = familyOf(findRuntime('nodejs20.x')!).smoke([
      'nodejs/node20/node_modules',
      'nodejs/node_modules',
    ]);
    expect(node.workdir).toBe('/opt/nodejs/node20');
    expect(node.env.NODE_PATH).toBe('/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules');
  });
});

describe('runArgs', () => {
  it('makes the exact docker run argument array: platform, user, mounts, env, entrypoint, no shell', () => {
    expect(
      runArgs({
        image: 'public.ecr.aws/lambda/python:3.11-arm64',
        architecture: 'arm64',
        mounts: [
          { host: '/tmp/opt', container: '/opt', readonly: true },
          { host: '/work/a,b "c"', container: '/src' },
        ],
        env: { PYTHONPATH: '/opt/python', HOME: '/tmp' },
        workdir: '/src',
        entrypoint: 'python3',
        user: '1001:118',
        network: 'none',
        command: ['-c', 'import sys; print(sys.argv)', 'numpy; rm -rf /'],
      }),
    ).toEqual([
      'run',
      '--rm',
      '--platform',
      'linux/arm64',
      '--user',
      '1001:118',
      '--network',
      'none',
      '--entrypoint',
      'python3',
      '--workdir',
      '/src',
      '--mount',
      'type=bind,source=/tmp/opt,target=/opt,readonly',
      '--mount',
      'type=bind,"source=/work/a,b ""c""",target=/src',
      '--env',
      'PYTHONPATH=/opt/python',
      '--env',
      'HOME=/tmp',
      'public.ecr.aws/lambda/python:3.11-arm64',
      '-c',
      'import sys; print(sys.argv)',
      'numpy; rm -rf /',
    ]);
  });
});
