import { describe, expect, it } from 'vitest';
import { probeArgs, runArgs } from '../../src/docker.js';
import {
  defaultBuild,
  defaultBuildImage,
  defaultRuntimeImage,
  familyOf,
  findRuntime,
  manylinuxTags,
  OPERATING_SYSTEMS,
  RUNTIMES,
  smokeRecipe,
} from '../../src/runtimes/index.js';

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
    const recipe = defaultBuild(runtime, 'deps/requirements.txt', ['--no-index'], false);
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
    // Builds as root (a self-hosted runner, the demo) print no warning about it.
    expect(recipe.env).toEqual({ PIP_ROOT_USER_ACTION: 'ignore' });
  });

  it('builds Node.js with npm ci when there is a lock file, npm install otherwise', () => {
    const runtime = findRuntime('nodejs20.x')!;
    expect(defaultBuild(runtime, 'package.json', [], true).command.slice(0, 3)).toEqual([
      'npm',
      'ci',
      '--omit=dev',
    ]);
    expect(defaultBuild(runtime, 'package.json', [], false).command.slice(0, 3)).toEqual([
      'npm',
      'install',
      '--omit=dev',
    ]);
    expect(defaultBuild(runtime, 'package.json', [], true)).toMatchObject({
      workdir: '/layer/nodejs',
      copyManifestTo: 'nodejs',
    });
  });

  it('with the last layer back, installs only the missing pins with pip', () => {
    const python = findRuntime('python3.11')!;
    const reuse = { tool: 'pip' as const, requirements: 'numpy==2.3.5\n', plan: '{"resolves":true}' };
    const recipe = defaultBuild(
      python,
      'requirements.txt',
      ['--no-index'],
      false,
      undefined,
      undefined,
      undefined,
      reuse,
    );
    expect(recipe.command).toEqual([
      'python3',
      '/lambda-layer-release/pip-reuse.py',
      '--disable-pip-version-check',
      '--no-compile',
      '--no-warn-script-location',
      '--no-index',
    ]);
    expect(recipe.files).toMatchObject({
      'requirements.missing.txt': 'numpy==2.3.5\n',
      'reuse.json': '{"resolves":true}',
    });
    expect(recipe.files!['pip-reuse.py']).toContain('def check_closure');
    expect(recipe.env).toMatchObject({
      LLR_TARGET: '/layer/python/lib/python3.11/site-packages',
      LLR_READY: '/layer/.lambda-layer-release-reused',
    });
  });

  it('with the last layer back, has npm fetch only the packages it lacks, with install-args', () => {
    const node = findRuntime('nodejs22.x')!;
    const fetch =
      '[{"path":"node_modules/ms","url":"https://registry.npmjs.org/ms/-/ms-2.1.3.tgz","integrity":"sha512-x"}]';
    const recipe = defaultBuild(
      node,
      'package.json',
      ['--registry=http://r/'],
      true,
      undefined,
      undefined,
      undefined,
      {
        tool: 'npm',
        fetch,
      },
    );
    expect(recipe.command).toEqual(['node', '/lambda-layer-release/npm-reuse.mjs', '--registry=http://r/']);
    expect(recipe).toMatchObject({ workdir: '/layer/nodejs', copyManifestTo: 'nodejs' });
    expect(recipe.files).toMatchObject({ 'npm-fetch.json': fetch });
    expect(recipe.files!['npm-reuse.mjs']).toContain("'--strip-components=1'");
    expect(recipe.env).toEqual({
      LLR_FETCH: '/lambda-layer-release/npm-fetch.json',
      LLR_READY: '/layer/.lambda-layer-release-reused',
    });
  });

  it('smoke-tests with Lambda module paths and the right working folder', () => {
    const python311 = findRuntime('python3.11')!;
    const python = smokeRecipe(python311, ['python/lib/python3.11/site-packages', 'python'], 'x86_64');
    expect(python.env).toEqual({ PYTHONPATH: '/opt/python/lib/python3.11/site-packages:/opt/python' });
    expect(python.program).toBe('python3');
    const node20 = findRuntime('nodejs20.x')!;
    const node = smokeRecipe(node20, ['nodejs/node20/node_modules', 'nodejs/node_modules'], 'x86_64');
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
      '--security-opt',
      'no-new-privileges',
      '--cap-drop',
      'ALL',
      '--pids-limit',
      '512',
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

describe('Java, Ruby and custom runtimes', () => {
  const java21 = findRuntime('java21')!;
  const ruby33 = findRuntime('ruby3.3')!;
  const provided = findRuntime('provided.al2023')!;

  it('has every runtime of the issue, with its layout and public images', () => {
    expect(RUNTIMES.map((r) => r.id)).toEqual([
      'python3.9',
      'python3.10',
      'python3.11',
      'python3.12',
      'python3.13',
      'python3.14',
      'nodejs18.x',
      'nodejs20.x',
      'nodejs22.x',
      'nodejs24.x',
      'java8.al2',
      'java11',
      'java17',
      'java21',
      'java25',
      'java8.al2023',
      'java11.al2023',
      'java17.al2023',
      'ruby3.2',
      'ruby3.3',
      'ruby3.4',
      'ruby4.0',
      'provided.al2',
      'provided.al2023',
    ]);
    const java8 = findRuntime('java8.al2')!;
    expect(defaultBuildImage(java8, 'arm64')).toBe('public.ecr.aws/sam/build-java8.al2:latest-arm64');
    expect(defaultRuntimeImage(java8, 'arm64')).toBe('public.ecr.aws/lambda/java:8.al2-arm64');
    expect(defaultRuntimeImage(ruby33, 'x86_64')).toBe('public.ecr.aws/lambda/ruby:3.3-x86_64');
    expect(defaultBuildImage(provided, 'x86_64')).toBe(
      'public.ecr.aws/sam/build-provided.al2023:latest-x86_64',
    );
    expect(defaultRuntimeImage(provided, 'arm64')).toBe('public.ecr.aws/lambda/provided:al2023-arm64');
    expect(java21.modulePaths).toEqual(['java/lib']);
    expect(findRuntime('ruby3.4')!.modulePaths).toEqual(['ruby/gems/3.4.0', 'ruby/lib']);
    expect(provided.modulePaths).toEqual(['bin', 'lib']);
  });

  it('builds Java with Maven: runtime dependencies copied into java/lib', () => {
    const recipe = defaultBuild(java21, 'layer/pom.xml', ['-o'], false);
    expect(recipe).toEqual({
      command: [
        'mvn',
        '--batch-mode',
        '--no-transfer-progress',
        '--file',
        '/src/layer/pom.xml',
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        '-DoutputDirectory=/layer/java/lib',
        '-o',
      ],
      workdir: '/src',
    });
  });

  it('builds Java with Gradle when the manifest is a build.gradle, through an init script it mounts', () => {
    for (const manifest of ['deps/build.gradle', 'deps/build.gradle.kts']) {
      const recipe = defaultBuild(java21, manifest, ['--offline'], false);
      expect(recipe.command).toEqual([
        'gradle',
        '--no-daemon',
        '--console=plain',
        '--project-cache-dir',
        '/tmp/gradle-project-cache',
        '--init-script',
        '/lambda-layer-release/layer.gradle',
        '--project-dir',
        '/src/deps',
        'lambdaLayerJars',
        '--offline',
      ]);
      expect(recipe.env).toEqual({ LAYER_JARS_DIR: '/layer/java/lib' });
      expect(recipe.files!['layer.gradle']).toMatch(/from project\.configurations\.runtimeClasspath/);
    }
  });

  it('builds Ruby with bundle install into ruby/gems/X.Y.0, frozen when there is a Gemfile.lock', () => {
    const family = familyOf(ruby33);
    const unlocked = defaultBuild(ruby33, 'Gemfile', ['--local'], false);
    expect(unlocked).toEqual({
      command: ['bundle', 'install', '--no-cache', '--local'],
      workdir: '/layer/ruby',
      copyManifestTo: 'ruby',
      env: {
        BUNDLE_GEMFILE: '/layer/ruby/Gemfile',
        GEM_HOME: '/layer/ruby/gems/3.3.0',
        GEM_PATH: '',
        BUNDLE_PATH__SYSTEM: 'true',
        BUNDLE_CACHE_PATH: '/src/vendor/cache',
        BUNDLE_WITHOUT: 'development:test',
      },
    });
    const locked = defaultBuild(ruby33, 'app/Gemfile', [], true);
    expect(locked.env).toMatchObject({ BUNDLE_FROZEN: 'true', BUNDLE_CACHE_PATH: '/src/app/vendor/cache' });
    expect(family.lockFiles).toEqual(['Gemfile.lock']);
  });

  it('builds a custom runtime with make layer, ARTIFACTS_DIR pointing at the layer', () => {
    expect(defaultBuild(provided, 'Makefile', ['CFLAGS=-O2'], false)).toEqual({
      command: ['make', '--file', '/src/Makefile', 'layer', 'CFLAGS=-O2'],
      workdir: '/src',
      env: { ARTIFACTS_DIR: '/layer', BUILD_DIR: '/tmp/build' },
    });
  });

  it('smoke-tests Java with the compiled LayerSmoke class on the class path Lambda uses', () => {
    const recipe = smokeRecipe(java21, ['java/lib'], 'arm64');
    expect(recipe.program).toBe('java');
    expect(recipe.args).toEqual(['-cp', '/lambda-layer-release:/opt/java/lib/*', 'LayerSmoke']);
    const bytes = Buffer.from(recipe.files!['LayerSmoke.class']!);
    // CAFEBABE, minor 0, major 52: a Java 8 class file, which every Lambda Java runtime loads.
    expect(bytes.subarray(0, 8).toString('hex')).toBe('cafebabe00000034');
  });

  it('smoke-tests Ruby with GEM_PATH and RUBYLIB as Lambda sets them', () => {
    const recipe = smokeRecipe(ruby33, ['ruby/gems/3.3.0'], 'x86_64');
    expect(recipe.program).toBe('ruby');
    expect(recipe.args[0]).toBe('-e');
    expect(recipe.env).toEqual({ GEM_PATH: '/opt/ruby/gems/3.3.0', RUBYLIB: '/opt/ruby/lib' });
  });

  it('smoke-tests executables with a POSIX sh script that expects the architecture ELF machine', () => {
    const x86 = smokeRecipe(provided, ['bin', 'lib'], 'x86_64');
    const arm = smokeRecipe(provided, ['bin', 'lib'], 'arm64');
    expect(x86.program).toBe('sh');
    expect(x86.args).toEqual(['-c', expect.stringContaining('ldd'), 'llr-smoke']);
    expect(x86.env).toEqual({ LLR_ELF_MACHINE: '3e' });
    expect(arm.env).toEqual({ LLR_ELF_MACHINE: 'b7' });
  });

  it('accepts smoke-imports names by family', () => {
    const accepts = (runtime: typeof java21, name: string): boolean =>
      familyOf(runtime).importPattern.test(name);
    expect(accepts(java21, 'commons-text-1.13.1.jar')).toBe(true);
    expect(accepts(java21, 'org.apache.commons.text.StringSubstitutor')).toBe(true);
    expect(accepts(java21, '-Xmx1g')).toBe(false);
    expect(accepts(ruby33, 'active_support/core_ext')).toBe(true);
    expect(accepts(ruby33, 'rack-test')).toBe(true);
    expect(accepts(ruby33, '-rdebug')).toBe(false);
    expect(accepts(provided, 'bin/bootstrap')).toBe(true);
    expect(accepts(provided, 'bootstrap')).toBe(true);
    expect(accepts(provided, '../etc/passwd')).toBe(false);
    expect(accepts(provided, 'bin/../../x')).toBe(false);
  });
});

describe('arm64 builds', () => {
  it('installs Python wheels for another architecture by platform tag, wheels only', () => {
    const python312 = findRuntime('python3.12')!;
    const recipe = defaultBuild(python312, 'requirements.txt', ['--no-index'], false, 'arm64');
    const tags = Array.from({ length: 34 - 17 + 1 }, (_, i) => `manylinux_2_${34 - i}_aarch64`);
    expect(recipe.command).toEqual([
      'python3',
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-compile',
      '--no-warn-script-location',
      '--requirement',
      '/src/requirements.txt',
      '--target',
      '/layer/python/lib/python3.12/site-packages',
      ...[...tags, 'manylinux2014_aarch64'].flatMap((tag) => ['--platform', tag]),
      '--implementation',
      'cp',
      '--python-version',
      '3.12',
      '--only-binary=:all:',
      '--no-index',
    ]);
  });

  it('limits the tags to the glibc of the runtime (Amazon Linux 2: 2.26) and adds the legacy x86_64 ones', () => {
    const python311 = findRuntime('python3.11')!;
    expect(manylinuxTags(python311, 'arm64')).toEqual([
      ...Array.from({ length: 26 - 17 + 1 }, (_, i) => `manylinux_2_${26 - i}_aarch64`),
      'manylinux2014_aarch64',
    ]);
    expect(manylinuxTags(python311, 'x86_64').slice(-5)).toEqual([
      'manylinux2014_x86_64',
      'manylinux_2_12_x86_64',
      'manylinux2010_x86_64',
      'manylinux_2_5_x86_64',
      'manylinux1_x86_64',
    ]);
  });

  it('runs both images with --platform linux/arm64', () => {
    const java = findRuntime('java17')!;
    const build = defaultBuild(java, 'pom.xml', [], false);
    const args = runArgs({
      image: defaultBuildImage(java, 'arm64'),
      architecture: 'arm64',
      mounts: [{ host: '/w/layer', container: '/layer' }],
      workdir: build.workdir,
      command: build.command,
    });
    expect(args.slice(0, 4)).toEqual(['run', '--rm', '--platform', 'linux/arm64']);
    expect(args).toContain('public.ecr.aws/sam/build-java17:latest-arm64');
    expect(probeArgs('public.ecr.aws/lambda/java:17-arm64', 'arm64')).toEqual([
      'run',
      '--rm',
      '--platform',
      'linux/arm64',
      '--security-opt',
      'no-new-privileges',
      '--cap-drop',
      'ALL',
      '--pids-limit',
      '512',
      '--network',
      'none',
      '--entrypoint',
      'sh',
      'public.ecr.aws/lambda/java:17-arm64',
      '-c',
      ':',
    ]);
  });
});

describe('the operating systems of the runtime table', () => {
  it('lists every runtime in docs/runtimes.md with the OS, glibc and GCC of its row', async () => {
    const { readFileSync } = await import('node:fs');
    const page = readFileSync(new URL('../../docs/runtimes.md', import.meta.url), 'utf8');
    const table = page.slice(page.indexOf('| Runtime '), page.indexOf('## Deprecation'));
    const listed = new Map<string, string[]>();
    for (const line of table.split('\n').filter((l) => /^\| [a-z]/.test(l))) {
      const [ids, os, toolchain] = line
        .split('|')
        .slice(1, 4)
        .map((cell) => cell.trim());
      for (const id of ids!.split(', ')) listed.set(id, [os!, toolchain!]);
    }
    for (const runtime of RUNTIMES) {
      const spec = OPERATING_SYSTEMS[runtime.os];
      expect(listed.get(runtime.id), runtime.id).toEqual([spec.name, `${spec.glibc}, GCC ${spec.gcc}`]);
    }
  });

  it('names exactly the supported runtimes in the README, each in the row of its language', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(
      readme.indexOf('## Runtimes'),
      readme.indexOf('\n## ', readme.indexOf('## Runtimes')),
    );
    const rows = section
      .split('\n')
      .filter((line) => /^\| [A-Z]/.test(line) && !line.startsWith('| Language'));
    const named = rows.flatMap((row) => [...row.matchAll(/`([a-z0-9.]+)`/g)].map((match) => match[1]!));
    expect([...named].sort()).toEqual(RUNTIMES.map((runtime) => runtime.id).sort());
    for (const row of rows) {
      const families = new Set(
        [...row.matchAll(/`([a-z0-9.]+)`/g)].map((match) => findRuntime(match[1]!)!.family),
      );
      expect(families.size, row).toBe(1);
    }
  });

  it('keeps the smoke and build scripts as the files under src/smoke', async () => {
    const { readFileSync } = await import('node:fs');
    const file = (name: string): string =>
      readFileSync(new URL(`../../src/smoke/${name}`, import.meta.url), 'utf8');
    const python = findRuntime('python3.11')!;
    expect(smokeRecipe(python, [], 'x86_64').args).toEqual(['-c', file('smoke.py')]);
    const node = findRuntime('nodejs20.x')!;
    expect(smokeRecipe(node, [], 'x86_64').args).toEqual(['--input-type=module', '-e', file('smoke.mjs')]);
    const ruby = findRuntime('ruby3.3')!;
    expect(smokeRecipe(ruby, [], 'x86_64').args).toEqual(['-e', file('smoke.rb')]);
    const provided = findRuntime('provided.al2023')!;
    expect(smokeRecipe(provided, [], 'arm64')).toMatchObject({
      args: ['-c', file('smoke.sh'), 'llr-smoke'],
      env: { LLR_ELF_MACHINE: 'b7' },
    });
    const java = findRuntime('java21')!;
    expect(defaultBuild(java, 'build.gradle', [], false).files).toEqual({
      'layer.gradle': file('layer.gradle'),
    });
  });
});
