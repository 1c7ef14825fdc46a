/**
 * What a build may do to the run, for real (Docker, stand-in images): print workflow commands (they
 * are shown inside a stop-commands fence, never obeyed), run forever (build-timeout kills its container
 * and only it), use too much memory (build-memory), and reach the network (build-network).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { defaultDeps, type Deps } from '../../src/deps.js';
import type { Exec } from '../../src/docker.js';
import { runInProcess, workspace } from '../support/release.js';
import { runAction } from '../support/runner.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-build-limits-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A Python layer whose build-command runs `script` first, then installs tool.py. */
function layer(script: string[]): { dir: string; inputs: Record<string, string> } {
  const dir = workspace({ 'tool.py': 'NAME = "tool"\n' });
  const inputs = {
    'layer-name': 'limits',
    runtime: 'python3.11',
    'smoke-imports': 'tool',
    'build-command': [...script, 'mkdir -p "$LAYER_INSTALL_DIR"', 'cp tool.py "$LAYER_INSTALL_DIR/"'].join(
      '\n',
    ),
  };
  return { dir, inputs };
}

/** defaultDeps with every docker invocation recorded. */
function recording(): { deps: Deps; calls: string[][] } {
  const deps = defaultDeps();
  const calls: string[][] = [];
  const exec: Exec = (command, args, options) => {
    calls.push(args);
    return deps.exec(command, args, options);
  };
  return { deps: { ...deps, exec }, calls };
}

const containers = (filter: string): string =>
  execFileSync('docker', ['ps', '--all', '--quiet', '--filter', filter], { encoding: 'utf8' }).trim();

describe('workflow commands in the build output', () => {
  const COMMANDS = [
    '::set-output name=layer-arn::pwned-output',
    '::add-mask::pwned-mask',
    '::warning title=pwned::pwned-warning',
    '::error::pwned-error',
    '##[warning]pwned-legacy',
  ];
  // Runs dist/index.js as the runner does: the bundle must be built from this source (npm run build).
  it('are shown only between ::stop-commands::<token> and ::<token>::, and change no output', async () => {
    const { dir, inputs } = layer([
      ...COMMANDS.map((line) => `echo '${line}'`),
      `echo '::notice::pwned-stderr' >&2`,
      // A last line without a newline: the resume token must still start a line of its own.
      `printf '%s' '::warning::pwned-unterminated'`,
    ]);
    // The module prints commands when the smoke test imports it.
    fs.writeFileSync(path.join(dir, 'tool.py'), `print("::warning::pwned-import")\nNAME = "tool"\n`);
    const result = await runAction(root, dir, inputs);
    expect(result.status, result.stdout).toBe(0);

    const lines = result.stdout.split('\n');
    let open: string | undefined;
    const tokens: string[] = [];
    const fenced: string[] = [];
    for (const line of lines) {
      const stop = /^::stop-commands::(.+)$/.exec(line);
      if (stop) {
        expect(open, 'fences do not nest').toBeUndefined();
        open = stop[1]!;
        tokens.push(open);
      } else if (open !== undefined && line === `::${open}::`) {
        open = undefined;
      } else if (line.includes('pwned')) {
        expect(open, `a command outside a fence: ${line}`).toBeDefined();
        fenced.push(line);
      }
    }
    expect(open, 'every fence is closed').toBeUndefined();
    // Build and smoke test each had a fence, each with a fresh random token.
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    for (const token of tokens)
      expect(token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const line of [
      ...COMMANDS,
      '::notice::pwned-stderr',
      '::warning::pwned-unterminated',
      '::warning::pwned-import',
    ]) {
      // (stdout and stderr are two pipes: a stderr line may land after an unterminated stdout line.)
      expect(
        fenced.some((fencedLine) => fencedLine.includes(line)),
        line,
      ).toBe(true);
    }
    expect(JSON.stringify(result.outputs)).not.toContain('pwned');
    expect(result.summary).not.toContain('pwned');
  }, 180_000);
});

/** Runs in process and keeps what the run wrote to stdout (the log), chunk by chunk. */
async function runLogged(dir: string, inputs: Record<string, string>) {
  const log: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    log.push(String(chunk));
    return true;
  });
  try {
    return { report: await runInProcess(dir, inputs), log };
  } finally {
    spy.mockRestore();
  }
}

describe('a smoke test result line forged by the layer', () => {
  it('is logged on one line: its text cannot start a workflow command', async () => {
    const { dir, inputs } = layer([]);
    // At import, the module prints a result line of its own, with a line break in it, and exits
    // before the harness can print the real one.
    fs.writeFileSync(
      path.join(dir, 'tool.py'),
      'import json, os\n' +
        'print("LLR-SMOKE " + json.dumps({"module": "tool", "ok": True, "detail": "x\\n::warning::pwned-detail"}), flush=True)\n' +
        'os._exit(0)\n',
    );
    const { report, log } = await runLogged(dir, inputs);
    expect(report.error).toBeUndefined();
    let open = false;
    const unfenced: string[] = [];
    for (const line of log.join('').split('\n')) {
      if (line.startsWith('::stop-commands::')) open = true;
      else if (/^::[0-9a-f-]{36}::$/.test(line)) open = false;
      else if (!open && line.includes('pwned-detail')) unfenced.push(line);
    }
    expect(unfenced).toEqual(['  ok   tool (x\\u000a::warning::pwned-detail)']);
  }, 120_000);
});

describe('the docker command line in the log', () => {
  it('shows a script passed as an argument by its first line and length, inside the fence', async () => {
    const { dir, inputs } = layer([]);
    fs.writeFileSync(path.join(dir, 'tool.py'), 'VALUE = 1\n');
    const { report, log } = await runLogged(dir, inputs);
    expect(report.error).toBeUndefined();
    const lines = log.join('').split('\n');
    const smoke = lines.filter((line) => line.startsWith('[command]docker run') && line.includes(' -c '));
    expect(smoke).toHaveLength(1);
    expect(smoke[0]).toMatch(/ -c '# Smoke test for Python layers: .* …' \(\d+ lines\) tool$/);
    expect(lines.join('\n')).not.toContain('importlib.import_module(name)');
    // Each command line comes right after the fence opens.
    for (const command of lines.filter((line) => line.startsWith('[command]'))) {
      expect(lines[lines.indexOf(command) - 1]).toMatch(/^::stop-commands::[0-9a-f-]{36}$/);
    }
  }, 120_000);
});

describe('names from the repository and the layer', () => {
  it('are logged on one line, whatever line breaks they hold', async () => {
    // A layer folder with a line break in its name (the layout outline names folders).
    const { dir, inputs } = layer(['mkdir -p "$LAYER_INSTALL_DIR/"$\'pkg\\n::warning::pwned-folder\'']);
    // A repository folder with a line break in its name, holding a credential file the build is shown without.
    const folder = path.join(dir, 'sub\n::warning::pwned-repository');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, '.npmrc'), '//registry.npmjs.org/:_authToken=secret\n');
    const { log } = await runLogged(dir, inputs);
    // The runner splits lines on \n, \r and \r\n.
    let open = false;
    const commands: string[] = [];
    for (const line of log.join('').split(/\r\n|\r|\n/)) {
      if (line.startsWith('::stop-commands::')) open = true;
      else if (/^::[0-9a-f-]{36}::$/.test(line)) open = false;
      else if (!open && /^(::|##\[)/.test(line) && line.includes('pwned')) commands.push(line);
    }
    expect(commands).toEqual([]);
    const text = log.join('');
    expect(text).toContain('sub\\u000a::warning::pwned-repository/.npmrc (credentials removed)');
  }, 120_000);
});

describe('build-timeout', () => {
  it('kills the build container, and only it, and names build-timeout', async () => {
    const bystander = `llr-test-bystander-${randomUUID()}`;
    execFileSync('docker', [
      'run',
      '--detach',
      '--name',
      bystander,
      '--label',
      'llr-test=build-limits',
      '--network',
      'none',
      '--entrypoint',
      'sleep',
      'llr-stand-in.invalid/sam/build-python3.11:latest-x86_64',
      '600',
    ]);
    try {
      const { dir, inputs } = layer(['sleep 600']);
      const { deps, calls } = recording();
      const report = await runInProcess(dir, { ...inputs, 'build-timeout': '0.05' }, deps);
      expect(report.error).toMatch(
        /^Building the layer in \S+ was stopped after build-timeout \(0\.05 minutes\): it had not finished\. Raise build-timeout/,
      );
      const run = calls.find((args) => args[0] === 'run' && args.includes('LAYER_NAME=limits'))!;
      const name = run[run.indexOf('--name') + 1]!;
      expect(name).toMatch(/^lambda-layer-release-[0-9a-f-]{36}$/);
      const kills = calls.filter((args) => args[0] === 'kill');
      expect(kills.length).toBeGreaterThan(0);
      for (const kill of kills) expect(kill).toEqual(['kill', name]);
      expect(containers(`name=${name}`)).toBe(''); // killed and removed
      expect(containers(`name=${bystander}`)).not.toBe(''); // another container is left alone
      expect(
        execFileSync('docker', ['inspect', '--format', '{{.State.Running}}', bystander], {
          encoding: 'utf8',
        }).trim(),
      ).toBe('true');
      expect(report.steps.find((s) => s.step === 'build')).toMatchObject({ status: 'failed' });
    } finally {
      execFileSync('docker', ['rm', '--force', bystander], { stdio: 'ignore' });
    }
  }, 120_000);
});

describe('build-memory', () => {
  it('kills a build that uses more than the limit, and names build-memory', async () => {
    const { dir, inputs } = layer([`python3 -c "data = b'x' * (512 * 1024 * 1024); print(len(data))"`]);
    const { deps, calls } = recording();
    const report = await runInProcess(dir, { ...inputs, 'build-memory': '64m' }, deps);
    expect(report.error).toMatch(
      /^Building the layer in \S+ was killed \(exit code 137\) for using more memory than build-memory \(64m\) allows\. Raise build-memory/,
    );
    const run = calls.find((args) => args[0] === 'run' && args.includes('LAYER_NAME=limits'))!;
    expect(run.slice(run.indexOf('--memory'), run.indexOf('--memory') + 4)).toEqual([
      '--memory',
      String(64 * 1024 * 1024),
      '--memory-swap',
      String(64 * 1024 * 1024),
    ]);
    expect(containers(`name=${run[run.indexOf('--name') + 1]}`)).toBe('');
  }, 120_000);

  it('lets a build under the limit finish', async () => {
    const { dir, inputs } = layer([`python3 -c "data = b'x' * (16 * 1024 * 1024); print(len(data))"`]);
    const report = await runInProcess(dir, { ...inputs, 'build-memory': '256m', 'build-timeout': '5' });
    expect(report.error).toBeUndefined();
    expect(report.smoke!.imports).toMatchObject([{ module: 'tool', ok: true }]);
  }, 120_000);
});

describe('build-network', () => {
  const interfaces = async (extra: Record<string, string>): Promise<string> => {
    const { dir, inputs } = layer([
      'mkdir -p "$LAYER_INSTALL_DIR"',
      'echo "NETS = \\"$(ls /sys/class/net | tr "\\n" " ")\\"" > "$LAYER_INSTALL_DIR/nets.py"',
    ]);
    const report = await runInProcess(dir, { ...inputs, 'smoke-imports': 'tool,nets', ...extra });
    expect(report.error).toBeUndefined();
    return fs.readFileSync(
      path.join(report.artifact!.layerDir, 'python/lib/python3.11/site-packages/nets.py'),
      'utf8',
    );
  };

  it('none: the build has no network interface but loopback', async () => {
    expect(await interfaces({ 'build-network': 'none' })).toBe('NETS = "lo "\n');
  }, 120_000);

  it("bridge (the default): the build is on Docker's bridge", async () => {
    expect(await interfaces({})).toMatch(/eth0/);
  }, 120_000);
});
