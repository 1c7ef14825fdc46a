import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  crossInstallProblem,
  LOCK_HEAD_BYTES,
  lockFormat,
  planNodeTool,
  versionAtLeast,
} from '../../src/manifests/node-tools.js';
import { readHead } from '../../src/manifests/detect.js';
import { defaultBuild, findRuntime } from '../../src/runtimes/index.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'node-locks');
const head = (fixture: string, lock: string): string =>
  fs.readFileSync(path.join(FIXTURES, fixture, lock), 'utf8');

describe('the lock format, read line by line from the head of the lock', () => {
  it('finds the version each real tool wrote (fixtures made by scripts/node-lock-fixtures.sh)', () => {
    expect(lockFormat('pnpm', head('pnpm', 'pnpm-lock.yaml'))).toEqual(['9.0', 1]);
    expect(lockFormat('yarn', head('yarn-v1', 'yarn.lock'))).toEqual(['1', 2]);
    expect(lockFormat('yarn-berry', head('yarn-berry', 'yarn.lock'))).toEqual(['10', 5]);
    expect(lockFormat('bun', head('bun', 'bun.lock'))).toEqual(['2', 2]);
  });

  it('picks the exact version packageManager names, else the one for the lock format', () => {
    const pnpm = planNodeTool({ name: 'pnpm', version: '10.34.9' }, 'pnpm-lock.yaml', '', 'x86_64');
    expect(pnpm).toEqual({
      tool: 'pnpm',
      version: '10.34.9',
      from: 'packageManager',
      package: 'pnpm@10.34.9',
      file: 'pnpm-10.34.9.tgz',
    });
    expect(
      planNodeTool({ name: 'pnpm' }, 'pnpm-lock.yaml', head('pnpm', 'pnpm-lock.yaml'), 'x86_64'),
    ).toMatchObject({ version: '9.15.9', from: 'lock' });
    expect(planNodeTool({ name: 'yarn' }, 'yarn.lock', head('yarn-v1', 'yarn.lock'), 'x86_64').package).toBe(
      'yarn@1.22.22',
    );
    expect(
      planNodeTool({ name: 'yarn-berry' }, 'yarn.lock', head('yarn-berry', 'yarn.lock'), 'x86_64').package,
    ).toBe('@yarnpkg/cli-dist@4.18.1');
    // Bun and pnpm 12 are native programs: the package of the build container's machine.
    expect(planNodeTool({ name: 'bun' }, 'bun.lock', head('bun', 'bun.lock'), 'x86_64')).toMatchObject({
      package: '@oven/bun-linux-x64-baseline@1.4.5',
      file: 'oven+bun-linux-x64-baseline-1.4.5.tgz',
    });
    expect(planNodeTool({ name: 'bun', version: '1.4.5' }, 'bun.lock', '', 'arm64').package).toBe(
      '@oven/bun-linux-aarch64@1.4.5',
    );
    expect(planNodeTool({ name: 'pnpm', version: '12.26.0' }, 'pnpm-lock.yaml', '', 'arm64').package).toBe(
      '@pnpm/exe.linux-arm64@12.26.0',
    );
  });

  it('refuses a format it does not know, naming the file and line and not quoting the lock', () => {
    const lock = "# comment\nlockfileVersion: '99.0'\nsecret: do-not-show\n";
    expect(() => planNodeTool({ name: 'pnpm' }, 'app/pnpm-lock.yaml', lock, 'x86_64')).toThrow(
      /^app\/pnpm-lock\.yaml line 2: lock format 99\.0 is not one the action knows for pnpm \(5\.3, 5\.4, 6\.0, 9\.0\); name the pnpm version in package\.json's packageManager/,
    );
    expect(() => planNodeTool({ name: 'bun' }, 'bun.lock', 'do-not-show', 'x86_64')).toThrow(
      /^bun\.lock: no lock format version in its first 64 KB/,
    );
    try {
      planNodeTool({ name: 'pnpm' }, 'pnpm-lock.yaml', lock, 'x86_64');
    } catch (error) {
      expect((error as Error).message).not.toContain('do-not-show');
    }
  });

  it('reads a hostile lock only as text lines: no alias expansion, at most 64 KB, through the host guard', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-lock-'));
    // A "billion laughs" YAML: a parser that expands aliases would build 10^9 items.
    const bomb = ["lockfileVersion: '9.0'", 'a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++)
      bomb.push(
        `${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(10)
          .fill(`*${i === 1 ? 'a' : 'b'.repeat(i - 1)}`)
          .join(',')}]`,
      );
    fs.writeFileSync(path.join(dir, 'pnpm-lock.yaml'), `${bomb.join('\n')}\n${'#'.repeat(5_000_000)}\n`);
    const root = { dir, name: 'working-directory' };
    const text = readHead(root, path.join(dir, 'pnpm-lock.yaml'), LOCK_HEAD_BYTES).toString('utf8');
    expect(text.length).toBe(64 * 1024);
    expect(planNodeTool({ name: 'pnpm' }, 'pnpm-lock.yaml', text, 'x86_64').version).toBe('9.15.9');
    // A link out of the working directory is not followed.
    fs.symlinkSync('/etc/passwd', path.join(dir, 'bun.lock'));
    expect(readHead(root, path.join(dir, 'bun.lock'), LOCK_HEAD_BYTES).length).toBe(0);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('cross-install with a lock tool', () => {
  it('is possible where the tool can choose another platform, and refused naming the tool otherwise', () => {
    expect(crossInstallProblem({ tool: 'pnpm', version: '10.34.9' })).toBeUndefined();
    expect(crossInstallProblem({ tool: 'pnpm', version: '8.10.0' })).toBeUndefined();
    expect(crossInstallProblem({ tool: 'yarn-berry', version: '4.18.1' })).toBeUndefined();
    expect(crossInstallProblem({ tool: 'bun', version: '1.2.23' })).toBeUndefined();
    expect(crossInstallProblem({ tool: 'yarn', version: '1.22.22' })).toMatch(
      /^Yarn v1 1\.22\.22 cannot install another architecture's packages .*build under emulation instead \(cross-install: false\)/,
    );
    expect(crossInstallProblem({ tool: 'pnpm', version: '7.33.7' })).toMatch(
      /^pnpm 7\.33\.7 cannot install another architecture's packages \(pnpm can from 8\.10\.0\)/,
    );
    expect(crossInstallProblem({ tool: 'bun', version: '1.2.22' })).toMatch(/Bun can from 1\.2\.23/);
    expect(versionAtLeast('10.14.0-rc.1', '10.14.0')).toBe(true);
    expect(versionAtLeast('9.15.9', '10.14.0')).toBe(false);
  });

  it('gives npm the target platform, and the lock tools theirs through the install script', () => {
    const node22 = findRuntime('nodejs22.x')!;
    expect(defaultBuild(node22, 'package.json', [], true, 'arm64').command).toEqual([
      'npm',
      'ci',
      '--omit=dev',
      '--no-audit',
      '--no-fund',
      '--cpu=arm64',
      '--os=linux',
      '--libc=glibc',
    ]);
    const plan = planNodeTool({ name: 'pnpm', version: '10.34.9' }, 'pnpm-lock.yaml', '', 'x86_64');
    const recipe = defaultBuild(node22, 'app/package.json', ['--ignore-scripts'], true, 'arm64', undefined, {
      plan,
      lock: 'app/pnpm-lock.yaml',
    });
    expect(recipe.command).toEqual(['node', '/lambda-layer-release/node-install.mjs']);
    expect(recipe.files!['node-install.mjs']).toContain("'--frozen-lockfile', '--prod'");
    expect(recipe.env).toMatchObject({
      LLR_TOOL: 'pnpm',
      LLR_TOOL_NAME: 'pnpm 10.34.9',
      LLR_TOOL_PACKAGE: 'pnpm@10.34.9',
      LLR_PROJECT_DIR: '/src/app',
      LLR_LOCK: 'pnpm-lock.yaml',
      LLR_LOCK_SHOWN: 'app/pnpm-lock.yaml',
      LLR_REFRESH: 'pnpm install',
      LLR_TARGET_CPU: 'arm64',
      LLR_INSTALL_ARGS: '["--ignore-scripts"]',
    });
  });
});
