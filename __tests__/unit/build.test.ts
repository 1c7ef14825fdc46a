/**
 * The build step's exact docker arguments for what this machine cannot run for real (an engine
 * without arm64 emulation, a cross-install), with a fake `docker` that records every call.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ExecOutput } from '@actions/exec';
import type { Deps } from '../../src/deps.js';
import { currentUser, type Exec } from '../../src/docker.js';
import type { Inputs } from '../../src/inputs/index.js';
import { plainSource } from '../../src/manifests/detect.js';
import { buildLayer } from '../../src/steps/build.js';
import { compile, SOURCES } from '../support/native.js';
import {
  defaultBuildImage,
  defaultRuntimeImage,
  findRuntime,
  type Architecture,
} from '../../src/runtimes/index.js';

vi.mock('@actions/core', async (original) => ({
  ...(await original<typeof import('@actions/core')>()),
  info: vi.fn(),
  warning: vi.fn(),
  debug: vi.fn(),
}));

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-build-unit-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const ok = (stdout = ''): ExecOutput => ({ exitCode: 0, stdout, stderr: '' });

interface FakeDocker {
  readonly calls: string[][];
  readonly deps: Deps;
}

/** A docker whose engine is x86_64, whose probes answer `probe`, and whose builds run `build(layerDir)`. */
function fakeDocker(probe: ExecOutput, build: (layerDir: string, args: string[]) => void): FakeDocker {
  const calls: string[][] = [];
  const exec: Exec = async (_command, args) => {
    calls.push(args);
    if (args[0] === 'version') return ok('20.10.24 amd64\n');
    if (args[0] !== 'run') return ok(); // docker rm of a finished build container
    if (args.at(-1) === ':' && args.includes('sh')) return probe;
    const layer = args.find((a) => a.endsWith('target=/layer'))!;
    build(/source=(.*),target=\/layer$/.exec(layer)![1]!, args);
    return ok();
  };
  return { calls, deps: { exec, now: () => 0 } as unknown as Deps };
}

let counter = 0;
function inputs(runtimeId: string, architecture: Architecture, extra: Partial<Inputs> = {}): Inputs {
  const dir = path.join(root, `ws-${++counter}`);
  fs.mkdirSync(dir);
  const runtime = findRuntime(runtimeId)!;
  const merged = {
    layerName: 'deps',
    runtime,
    architecture,
    workingDirectory: dir,
    manifest: 'pom.xml',
    buildCommand: undefined,
    installArgs: [],
    buildImage: defaultBuildImage(runtime, architecture),
    smokeImage: defaultRuntimeImage(runtime, architecture),
    zipFile: undefined,
    tempDir: path.join(dir, '.tmp'),
    trim: false,
    crossInstall: false,
    steps: ['build', 'smoke-test'],
    compatibleRuntimes: [runtimeId],
    buildTimeout: 30,
    buildMemory: 2 * 1024 ** 3,
    buildNetwork: 'bridge',
    ...extra,
  };
  return { manifestSource: plainSource(runtime.family, merged.manifest), ...merged } as Inputs;
}

const writeFile = (file: string, content: string | Buffer, mode = 0o644): void => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode });
};

const user = currentUser();
const userArgs = user ? ['--user', user] : [];

describe('arm64 on an x86_64 engine', () => {
  it('probes both images, then runs Maven in the arm64 build image with --platform linux/arm64', async () => {
    const docker = fakeDocker(ok(), (layer) => writeFile(path.join(layer, 'java/lib/text-1.0.jar'), 'PK'));
    const given = inputs('java17', 'arm64');
    const artifact = await buildLayer(given, docker.deps);
    const layerDir = path.join(given.tempDir, 'lambda-layer-release', 'deps-java17-arm64', 'layer');
    const buildName = docker.calls[3]![2]!;
    expect(buildName).toMatch(/^lambda-layer-release-[0-9a-f-]{36}$/);
    expect(docker.calls).toEqual([
      ['version', '--format', '{{.Server.Version}} {{.Server.Arch}}'],
      [
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
        'public.ecr.aws/sam/build-java17:latest-arm64',
        '-c',
        ':',
      ],
      [
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
      ],
      [
        'run',
        '--name',
        buildName,
        '--platform',
        'linux/arm64',
        '--security-opt',
        'no-new-privileges',
        '--cap-drop',
        'ALL',
        '--pids-limit',
        '4096',
        '--memory',
        '2147483648',
        '--memory-swap',
        '2147483648',
        ...userArgs,
        '--network',
        'bridge',
        '--workdir',
        '/src',
        '--mount',
        `type=bind,source=${layerDir},target=/layer`,
        '--mount',
        `type=bind,source=${given.workingDirectory},target=/src,readonly`,
        // RUNNER_TEMP lies inside the sources here: the build sees it empty.
        '--mount',
        `type=bind,source=${path.join(layerDir, '..', 'sandbox', 'empty')},target=/src/.tmp,readonly`,
        '--env',
        'HOME=/tmp',
        '--env',
        'LAYER_NAME=deps',
        '--env',
        'LAYER_RUNTIME=java17',
        '--env',
        'LAYER_ARCHITECTURE=arm64',
        '--env',
        'LAYER_DIR=/layer',
        '--env',
        'LAYER_INSTALL_DIR=/layer/java/lib',
        '--env',
        'LAYER_MANIFEST=/src/pom.xml',
        'public.ecr.aws/sam/build-java17:latest-arm64',
        'mvn',
        '--batch-mode',
        '--no-transfer-progress',
        '--file',
        '/src/pom.xml',
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        '-DoutputDirectory=/layer/java/lib',
      ],
      // The build container has a name of its own, so a timeout kills it and no other; removed after.
      ['rm', '--force', buildName],
    ]);
    expect(artifact.packages).toEqual([{ name: 'text', version: '1.0', imports: ['text-1.0.jar'] }]);
  });

  it('says before building that the runner cannot run arm64 images, and what to do', async () => {
    const docker = fakeDocker(
      {
        exitCode: 1,
        stdout: '',
        stderr:
          "WARNING: The requested image's platform (linux/arm64) does not match the detected host platform\n" +
          'exec /bin/sh: exec format error\n',
      },
      () => {
        throw new Error('must not build');
      },
    );
    await expect(
      buildLayer(inputs('ruby3.3', 'arm64', { manifest: 'Gemfile' }), docker.deps),
    ).rejects.toThrow(
      /runs x86_64 containers and cannot run linux\/arm64 ones, which the build needs: no emulator \(qemu-user-static\) is registered with binfmt_misc\. Add the step `docker\/setup-qemu-action@v3`.*ubuntu-24\.04-arm/s,
    );
    expect(docker.calls).toHaveLength(2);
  });

  it('cross-installs Python wheels in the x86_64 build image by platform tag, and probes only the arm64 runtime image', async () => {
    const docker = fakeDocker(ok(), (layer) =>
      writeFile(path.join(layer, 'python/lib/python3.12/site-packages/six.py'), ''),
    );
    const given = inputs('python3.12', 'arm64', {
      manifest: 'requirements.txt',
      crossInstall: true,
      buildImage: 'public.ecr.aws/sam/build-python3.12:latest-x86_64',
    });
    await buildLayer(given, docker.deps);
    expect(docker.calls.map((args) => args.slice(0, 4).join(' '))).toEqual([
      'version --format {{.Server.Version}} {{.Server.Arch}}',
      'run --rm --platform linux/arm64',
      `run --name ${docker.calls[2]![2]} --platform`,
      `rm --force ${docker.calls[2]![2]}`,
    ]);
    expect(docker.calls[2]).toContain('linux/amd64');
    expect(docker.calls[1]).toContain('public.ecr.aws/lambda/python:3.12-arm64');
    const build = docker.calls[2]!;
    expect(build).toContain('public.ecr.aws/sam/build-python3.12:latest-x86_64');
    const pip = build.slice(build.indexOf('python3'));
    expect(pip.slice(pip.indexOf('--platform'), pip.indexOf('--platform') + 2)).toEqual([
      '--platform',
      'manylinux_2_34_aarch64',
    ]);
    expect(pip.slice(-7)).toEqual([
      '--platform',
      'manylinux2014_aarch64',
      '--implementation',
      'cp',
      '--python-version',
      '3.12',
      '--only-binary=:all:',
    ]);
  });
});

describe('trim', () => {
  const elf = (machine: number, size: number): Buffer => {
    const bytes = Buffer.alloc(size);
    bytes.write('\x7fELF', 0, 'latin1');
    bytes[4] = 2;
    bytes[5] = 1;
    bytes.writeUInt16LE(machine, 18);
    return bytes;
  };

  it('strips shared objects of the build architecture in the build image and reports the bytes saved', async () => {
    const docker = fakeDocker(ok(), (layer, args) => {
      if (args.includes('strip')) {
        // strip --strip-debug: the fake halves each file it is given.
        for (const file of args.slice(args.indexOf('--strip-debug') + 1)) {
          const host = path.join(layer, file.slice('/layer/'.length));
          fs.writeFileSync(host, fs.readFileSync(host).subarray(0, fs.statSync(host).size / 2));
        }
        return;
      }
      writeFile(path.join(layer, 'bootstrap'), elf(0x3e, 64), 0o755);
      writeFile(path.join(layer, 'lib/libgreet.so.1'), elf(0x3e, 4000));
      writeFile(path.join(layer, 'lib/libother.so'), elf(0xb7, 1000));
      writeFile(path.join(layer, 'lib/python3/test/big.txt'), 'x'.repeat(500));
    });
    const given = inputs('provided.al2023', 'x86_64', { manifest: 'Makefile', trim: true });
    const artifact = await buildLayer(given, docker.deps);
    const layerDir = artifact.layerDir;
    expect(docker.calls.at(-1)).toEqual([
      'run',
      '--rm',
      '--platform',
      'linux/amd64',
      '--security-opt',
      'no-new-privileges',
      '--cap-drop',
      'ALL',
      '--pids-limit',
      '512',
      ...userArgs,
      '--network',
      'none',
      '--entrypoint',
      'strip',
      '--mount',
      `type=bind,source=${layerDir},target=/layer`,
      'public.ecr.aws/sam/build-provided.al2023:latest-x86_64',
      '--strip-debug',
      '/layer/lib/libgreet.so.1',
    ]);
    expect(artifact.trim).toMatchObject({
      bytesSaved: 2500,
      removedFiles: 1,
      strippedFiles: 1,
      byRule: { 'test folders': 500, 'debug symbols': 2000 },
      notes: ["1 shared object(s) for another architecture than the build image's were not stripped"],
    });
    expect(fs.existsSync(path.join(layerDir, 'lib/python3/test'))).toBe(false);
    expect(artifact.packages.map((p) => p.name)).toEqual(['bootstrap']);
  });
});

describe('a Python layer declaring several versions', () => {
  const envOf = (args: string[], name: string): string =>
    args.find((a) => a.startsWith(`${name}=`))!.slice(name.length + 1);
  const native = compile(SOURCES.plain);

  it('installs native packages once per version, each in that version’s build image and folder', async () => {
    const docker = fakeDocker(ok(), (layer, args) => {
      const installDir = path.join(layer, envOf(args, 'LAYER_INSTALL_DIR').slice('/layer/'.length));
      writeFile(path.join(installDir, 'fast/__init__.py'), `BUILT_FOR = "${envOf(args, 'LAYER_RUNTIME')}"\n`);
      writeFile(path.join(installDir, 'fast/_speed.so'), fs.readFileSync(native));
    });
    const given = inputs('python3.11', 'x86_64', {
      manifest: 'requirements.txt',
      compatibleRuntimes: ['python3.11', 'python3.13'],
    });
    const artifact = await buildLayer(given, docker.deps);
    const images = docker.calls
      .filter((args) => args.some((a) => a.startsWith('LAYER_RUNTIME=')))
      .map((args) => args.find((a) => a.includes('/sam/build-')));
    expect(images).toEqual([
      'public.ecr.aws/sam/build-python3.11:latest-x86_64',
      'public.ecr.aws/sam/build-python3.13:latest-x86_64',
    ]);
    const read = (file: string): string => fs.readFileSync(path.join(artifact.layerDir, file), 'utf8');
    expect(read('python/lib/python3.11/site-packages/fast/__init__.py')).toBe('BUILT_FOR = "python3.11"\n');
    expect(read('python/lib/python3.13/site-packages/fast/__init__.py')).toBe('BUILT_FOR = "python3.13"\n');
    // Both build images are part of what the layer is.
    const single = await buildLayer(
      inputs('python3.11', 'x86_64', { manifest: 'requirements.txt', compatibleRuntimes: ['python3.11'] }),
      fakeDocker(ok(), (layer, args) => {
        const installDir = path.join(layer, envOf(args, 'LAYER_INSTALL_DIR').slice('/layer/'.length));
        writeFile(path.join(installDir, 'fast/__init__.py'), 'BUILT_FOR = "python3.11"\n');
        writeFile(path.join(installDir, 'fast/_speed.so'), fs.readFileSync(native));
      }).deps,
    );
    expect(single.contentHash).not.toBe(artifact.contentHash);
  });

  it('installs pure-Python packages once, into python/, which every version reads', async () => {
    const docker = fakeDocker(ok(), (layer, args) => {
      const installDir = path.join(layer, envOf(args, 'LAYER_INSTALL_DIR').slice('/layer/'.length));
      writeFile(path.join(installDir, 'greeting/__init__.py'), 'X = 1\n');
      writeFile(path.join(installDir, 'greeting-1.0.dist-info/METADATA'), 'Name: greeting\nVersion: 1.0\n');
    });
    const given = inputs('python3.11', 'x86_64', {
      manifest: 'requirements.txt',
      compatibleRuntimes: ['python3.11', 'python3.13'],
    });
    const artifact = await buildLayer(given, docker.deps);
    expect(docker.calls.filter((args) => args.some((a) => a.startsWith('LAYER_RUNTIME=')))).toHaveLength(1);
    expect(fs.readdirSync(path.join(artifact.layerDir, 'python')).sort()).toEqual([
      'greeting',
      'greeting-1.0.dist-info',
    ]);
    expect(artifact.layout.modulePaths).toEqual(['python']);
  });
});

describe('size', () => {
  it('refuses a built tree over 262,144,000 bytes before zipping it', async () => {
    const docker = fakeDocker(ok(), (layer) => {
      const big = path.join(layer, 'python/big.bin');
      writeFile(big, '');
      fs.truncateSync(big, 300 * 1024 * 1024); // sparse: no disk used
    });
    const given = inputs('python3.12', 'x86_64', { manifest: 'requirements.txt' });
    await expect(buildLayer(given, docker.deps)).rejects.toThrow(
      'The layer is 300.0 MB unzipped; Lambda allows at most 250.0 MB for a function and all its layers together.',
    );
    const work = path.join(given.tempDir, 'lambda-layer-release', 'deps-python3.12-x86_64');
    expect(fs.existsSync(path.join(work, 'deps.zip'))).toBe(false);
  });
});
