/**
 * The host's one rule (src/host-guard.ts) on real files: a layer tree with links out, links that only
 * look inside, FIFOs and sockets; repository files behind links, in .git, in RUNNER_TEMP, in /proc.
 * A canary string stands for a secret: it must never appear in a message.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  copyRepoFile,
  guardLayerTree,
  locate,
  readRepoFile,
  RefusedFileError,
  resolveRepoFile,
  type RepoRoot,
} from '../../src/host-guard.js';
import { checkPinning } from '../../src/layer/pinned.js';

const CANARY = 'CANARY-host-guard-7f3a9c';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-host-guard-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** A fresh folder with `files` (a value starting `->` makes a symlink to the rest). */
function tree(files: Record<string, string>): string {
  const dir = path.join(root, `t-${++counter}`);
  fs.mkdirSync(dir);
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    if (content.startsWith('->')) fs.symlinkSync(content.slice(2), full);
    else fs.writeFileSync(full, content);
  }
  return dir;
}

/** A folder outside every tree, holding a canary file: what an attack wants the host to touch. */
const host = tree({ 'secret.txt': `${CANARY}\n`, 'sub/keep.txt': `${CANARY}\n` });
const hostFiles = (): string[] => fs.readdirSync(host, { recursive: true, encoding: 'utf8' }).sort();

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error, 'expected a refusal').toBeInstanceOf(Error);
  expect(error!.message).not.toContain(CANARY);
  return error!.message;
}

describe('guardLayerTree', () => {
  it('accepts files, folders and links that stay inside the layer, relative or absolute', async () => {
    const layer = tree({
      'python/a.py': 'A = 1\n',
      'python/b.py': '->a.py',
      'nodejs/node_modules/.bin/tool': '->../tool/cli.js',
      'nodejs/node_modules/tool/cli.js': '#!/usr/bin/env node\n',
      'python/pkg': '->../nodejs',
    });
    fs.symlinkSync(path.join(layer, 'python/a.py'), path.join(layer, 'abs.py'));
    await expect(guardLayerTree(layer, 'the build')).resolves.toBeUndefined();
  });

  it.each([
    ['an absolute link to a host folder', { 'python/lib/python3.11/site-packages': `->${host}` }],
    ['a relative link that climbs out', { 'python/x': '->../../../..' }],
    ['a link to a host file', { 'ruby/gems/3.3.0/cache': `->${host}/secret.txt` }],
    // Lexically inside (b/.. is the root), but b is a link to ".", so the kernel climbs out.
    ['a link inside that resolves outside', { b: '->.', 'python/a': '->../b/../secret.txt' }],
    ['a link that dangles', { 'python/gone.py': '->nothing-here.py' }],
    ['a loop', { 'python/a': '->b', 'python/b': '->a' }],
  ])('refuses %s, and names it', async (_, files) => {
    const layer = tree(files);
    const message = await refusal(guardLayerTree(layer, 'the build in img'));
    expect(message).toMatch(/^After the build in img, the layer holds what the host refuses to touch: "/);
    expect(message).toContain(JSON.stringify(Object.keys(files).at(-1)));
    expect(message).toContain('nothing was moved, trimmed or zipped');
    expect(hostFiles()).toEqual(['secret.txt', 'sub', 'sub/keep.txt']);
  });

  it('refuses a FIFO and a socket without opening them, and a layer folder that is a link', async () => {
    const layer = tree({ 'ruby/gems/3.3.0/gems/a/x.rb': '' });
    execFileSync('mkfifo', [path.join(layer, 'ruby/gems/3.3.0/gems/a/x.so')]);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(layer, 'sock'), resolve));
    try {
      const message = await refusal(guardLayerTree(layer, 'the build'));
      expect(message).toContain('"ruby/gems/3.3.0/gems/a/x.so" is a FIFO (named pipe)');
      expect(message).toContain('"sock" is a socket');
    } finally {
      server.close();
    }
    const linked = path.join(root, `linked-${++counter}`);
    fs.symlinkSync(host, linked);
    expect(await refusal(guardLayerTree(linked, 'the build'))).toContain('is a symlink, not a folder');
  });

  it('lists five problems and counts the rest', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`python/l${i}`, `->/etc/passwd`] as const),
    );
    const message = await refusal(guardLayerTree(tree(files), 'the build'));
    expect(message.match(/is a symlink to/g)).toHaveLength(5);
    expect(message).toContain('and 3 more');
  });

  it('quotes names as JSON, so a name cannot start a new log line', async () => {
    const layer = tree({});
    fs.symlinkSync('/etc\n::add-mask::x', path.join(layer, 'evil\n::warning::name'));
    const message = await refusal(guardLayerTree(layer, 'the build'));
    expect(message).not.toContain('\n');
    expect(message).toContain('"evil\\n::warning::name" is a symlink to "/etc\\n::add-mask::x"');
  });
});

describe('repository files', () => {
  const workspace = tree({
    'requirements.txt': 'six==1.16.0\n',
    'lock.json': '{}',
    'inner.json': '->lock.json',
    '.git/config': `[http]\n\textraheader = AUTHORIZATION: basic ${CANARY}\n`,
    '.npmrc': `//registry.npmjs.org/:_authToken=${CANARY}\n`,
    '.runner-temp/creds.config': `${CANARY}\n`,
    'Gemfile.lock': '->.git/config',
    'package-lock.json': `->${host}/secret.txt`,
    'npm-shrinkwrap.json': '->../../../../../../../../../../etc/passwd',
    'yarn.lock': '->.npmrc',
    'temp.lock': '->.runner-temp/creds.config',
    folder: '->.git',
  });
  const repo: RepoRoot = {
    dir: workspace,
    name: 'working-directory',
    tempDir: path.join(workspace, '.runner-temp'),
  };
  const at = (file: string): string => path.join(workspace, file);

  it('reads regular files, also through a link that stays inside; nothing there is undefined', async () => {
    expect((await readRepoFile(repo, at('requirements.txt')))?.toString()).toBe('six==1.16.0\n');
    expect(resolveRepoFile(repo, at('inner.json'))).toBe(fs.realpathSync(at('lock.json')));
    expect(await readRepoFile(repo, at('missing.txt'))).toBeUndefined();
    const copy = path.join(root, `copy-${++counter}`);
    expect(await copyRepoFile(repo, at('inner.json'), copy)).toBe(true);
    expect(fs.readFileSync(copy, 'utf8')).toBe('{}');
  });

  it.each([
    ['Gemfile.lock', /^Gemfile\.lock leads to "\.git\/config", which is kept from the build/],
    [
      'package-lock.json',
      /^package-lock\.json is a symlink to ".*secret\.txt", which is outside working-directory/,
    ],
    ['npm-shrinkwrap.json', /^npm-shrinkwrap\.json is a symlink to ".*etc\/passwd", which is outside/],
    ['yarn.lock', /^yarn\.lock leads to "\.npmrc", which is kept from the build/],
    ['temp.lock', /^temp\.lock leads to "\.runner-temp\/creds\.config", which is kept from the build/],
    ['folder', /^folder leads to "\.git", which is kept/],
    ['lock.json/../../../../etc/hostname', /is outside working-directory/],
  ])('refuses %s, naming it and never its contents', async (file, message) => {
    await expect(readRepoFile(repo, at(file))).rejects.toBeInstanceOf(RefusedFileError);
    const read = await refusal(readRepoFile(repo, at(file)));
    expect(read).toMatch(message);
    expect(read).toContain('see docs/security.md');
    const copy = path.join(root, `copy-${++counter}`);
    await refusal(copyRepoFile(repo, at(file), copy));
    expect(fs.existsSync(copy)).toBe(false);
  });

  it('refuses a FIFO at once (no hang) and a folder, by their kind', async () => {
    const dir = tree({ 'sub/x': '' });
    execFileSync('mkfifo', [path.join(dir, 'Gemfile.lock')]);
    const fifoRoot = { dir, name: 'working-directory' };
    expect(await refusal(readRepoFile(fifoRoot, path.join(dir, 'Gemfile.lock')))).toMatch(
      /^Gemfile\.lock is a FIFO \(named pipe\), not a file/,
    );
    expect(await refusal(readRepoFile(fifoRoot, path.join(dir, 'sub')))).toMatch(
      /^sub is a folder, not a file/,
    );
  });

  it('locate: the path and its real path must each lie in one of the roots', () => {
    const other = tree({ 'layer.zip': 'PK' });
    const roots = [
      { dir: workspace, name: 'the workspace' },
      { dir: other, name: 'RUNNER_TEMP' },
    ];
    expect(locate(path.join(other, 'layer.zip'), roots)).toMatchObject({ status: 'found', kind: 'file' });
    fs.symlinkSync(path.join(other, 'layer.zip'), at('given.zip'));
    // The link is in the workspace, its target in the other root (a workspace link to a zip that an
    // earlier step put in RUNNER_TEMP): each is in a root, so it is found.
    expect(locate(at('given.zip'), roots)).toMatchObject({ status: 'found', kind: 'file' });
    const outside = tree({ 'secret.txt': 'x' });
    fs.symlinkSync(path.join(outside, 'secret.txt'), at('leak.txt'));
    expect(locate(at('leak.txt'), roots)).toMatchObject({ status: 'refused', why: 'outside' });
    expect(locate('/proc/self/environ', roots)).toEqual({
      status: 'refused',
      why: 'outside',
      reason: 'is outside the workspace and RUNNER_TEMP',
    });
  });
});

describe('the pinning check reads through the resolver', () => {
  const repoOf = (dir: string): RepoRoot => ({ dir, name: 'working-directory' });

  it('refuses -r /proc/self/environ by file and line, quoting neither the path nor the environment', async () => {
    process.env.LLR_CANARY = CANARY;
    try {
      const dir = tree({ 'requirements.txt': 'six==1.16.0\n\n-r /proc/self/environ\n' });
      const message = await refusal(checkPinning('python', path.join(dir, 'requirements.txt'), repoOf(dir)));
      expect(message).toMatch(/^requirements\.txt line 3 includes a file outside working-directory\./);
      expect(message).not.toContain('environ');
    } finally {
      delete process.env.LLR_CANARY;
    }
  });

  it('refuses an include that is a link out, or a FIFO, one level down too', async () => {
    const dir = tree({
      'requirements.txt': '-c constraints.txt\n',
      'constraints.txt': 'six==1.16.0\n--requirement more.txt\n',
      'more.txt': `->${host}/secret.txt`,
    });
    expect(await refusal(checkPinning('python', path.join(dir, 'requirements.txt'), repoOf(dir)))).toMatch(
      /^constraints\.txt line 2 includes a file outside working-directory\./,
    );
    const fifo = tree({ 'requirements.txt': '-r pipe.txt\n' });
    execFileSync('mkfifo', [path.join(fifo, 'pipe.txt')]);
    expect(await refusal(checkPinning('python', path.join(fifo, 'requirements.txt'), repoOf(fifo)))).toMatch(
      /^requirements\.txt line 1 includes something that is a FIFO \(named pipe\), not a file/,
    );
  });

  it('refuses a lock file linked to .git/config or out of the folder', async () => {
    const ruby = tree({ Gemfile: "gem 'rack'\n", '.git/config': CANARY, 'Gemfile.lock': '->.git/config' });
    expect(await refusal(checkPinning('ruby', path.join(ruby, 'Gemfile'), repoOf(ruby)))).toMatch(
      /^Gemfile\.lock leads to "\.git\/config", which is kept from the build/,
    );
    const node = tree({ 'package.json': '{}', 'package-lock.json': `->${host}/secret.txt` });
    expect(await refusal(checkPinning('nodejs', path.join(node, 'package.json'), repoOf(node)))).toMatch(
      /^package-lock\.json is a symlink to .*, which is outside working-directory/,
    );
  });
});

describe('docs/security.md', () => {
  const docs = fs.readFileSync(path.join(import.meta.dirname, '../../docs/security.md'), 'utf8');
  const examples = [...docs.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/\s+/g, ' ').trim());

  it('shows the messages the host really gives', async () => {
    const layer = tree({ 'python/lib/python3.12/site-packages': '->/home/runner/work/app/app/.git' });
    const after = 'the build in public.ecr.aws/sam/build-python3.12:latest-x86_64';
    expect(examples).toContain(await refusal(guardLayerTree(layer, after)));
    const dir = tree({ 'requirements.txt': 'six==1.16.0\n# more\n-r /proc/self/environ\n' });
    const pinning = checkPinning('python', path.join(dir, 'requirements.txt'), {
      dir,
      name: 'working-directory',
    });
    expect(examples).toContain(await refusal(pinning));
  });
});
