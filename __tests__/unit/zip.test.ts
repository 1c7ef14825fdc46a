import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import {
  extractZip,
  fileSha256,
  listTree,
  summarizeTree,
  writeDeterministicZip,
} from '../../src/layer/zip.js';

const zipModule = path.resolve(import.meta.dirname, '../../src/layer/zip.ts');
const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zip-test-'));
  cleanup.push(dir);
  return dir;
}

/** Writes `files` (path → content) under a new `root` folder, in the given order and with the given modes. */
async function makeTree(files: [string, string | Buffer, number?][], options: { mtime?: Date } = {}) {
  const base = await tempDir();
  const root = path.join(base, 'root');
  await mkdir(root);
  for (const [file, content, mode = 0o644] of files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
    await chmod(path.join(root, file), mode);
    if (options.mtime) await utimes(path.join(root, file), options.mtime, options.mtime);
  }
  return { base, root };
}

const sample: [string, string, number?][] = [
  ['python/pkg/__init__.py', 'from .core import *\n'],
  ['python/pkg/core.py', 'def f():\n    return 42\n'.repeat(50)],
  ['bin/tool', '#!/bin/sh\necho hi\n', 0o755],
  ['python/pkg/data/empty.txt', ''],
  ['python/a-b.txt', 'sorts between python/ and python/pkg'],
];

async function zipOf(root: string, options?: { compressionLevel?: number }) {
  const out = path.join(await tempDir(), 'layer.zip');
  const summary = await writeDeterministicZip(root, out, options);
  return { summary, bytes: await readFile(out) };
}

describe('writeDeterministicZip', () => {
  it('writes byte-identical zips whatever the mtimes, creation order and modes', async () => {
    const first = await makeTree(sample, { mtime: new Date('2001-02-03T04:05:06Z') });
    const reordered = [...sample].reverse().map(([file, content, mode = 0o644]): [string, string, number] => [
      file,
      content,
      mode === 0o755 ? 0o700 : 0o600, // as under umask 077
    ]);
    const second = await makeTree(reordered, { mtime: new Date('2024-12-31T23:59:59Z') });
    const a = await zipOf(first.root);
    const b = await zipOf(second.root);
    expect(b.bytes.equals(a.bytes)).toBe(true);
    expect(b.summary.codeSha256).toBe(a.summary.codeSha256);
    expect(b.summary.treeHash).toBe(a.summary.treeHash);
  });

  it('writes byte-identical zips in any TZ (child processes and an in-process TZ change)', async () => {
    const { root } = await makeTree(sample);
    const expected = (await zipOf(root)).bytes;
    const script = `
      const { writeDeterministicZip } = await import(${JSON.stringify(pathToFileURL(zipModule).href)});
      await writeDeterministicZip(process.argv[1], process.argv[2]);
      console.log(new Date(1981, 0, 1).getTimezoneOffset());`;
    const offsets = new Set<string>();
    for (const tz of ['UTC', 'Pacific/Auckland', 'Etc/GMT+12', 'America/St_Johns']) {
      const out = path.join(await tempDir(), 'layer.zip');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        // tsx: zip.ts imports its sibling modules as .js, as the build does
        ['--no-warnings', '--import', 'tsx', '--input-type=module', '-e', script, root, out],
        { env: { ...process.env, TZ: tz } },
      );
      offsets.add(stdout.trim());
      expect((await readFile(out)).equals(expected), `zip built under TZ=${tz}`).toBe(true);
    }
    expect(offsets.size).toBe(4); // the children really ran in different zones

    const savedTz = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Auckland'; // Node re-reads TZ when it is assigned; yazl's clamp date does not move
      expect((await zipOf(root)).bytes.equals(expected)).toBe(true);
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
  });

  it('stores fixed DOS times, normalised modes, sorted entries and directory entries', async () => {
    const { root } = await makeTree(sample);
    const { summary } = await zipOf(root);
    const { stdout } = await promisify(execFile)('unzip', ['-Z', '-l', summary.file]);
    const lines = stdout.split('\n').filter((line) => /^[-d]r/.test(line));
    expect(lines.map((line) => line.split(/\s+/).at(-1))).toEqual([
      'bin/',
      'bin/tool',
      'python/',
      'python/a-b.txt',
      'python/pkg/',
      'python/pkg/__init__.py',
      'python/pkg/core.py',
      'python/pkg/data/',
      'python/pkg/data/empty.txt',
    ]);
    for (const line of lines) expect(line).toMatch(/ 81-Jan-01 00:00 /);
    expect(lines.filter((line) => line.startsWith('drwxr-xr-x'))).toHaveLength(4);
    expect(
      lines.filter((line) => line.startsWith('-rwxr-xr-x')).map((line) => line.split(/\s+/).at(-1)),
    ).toEqual(['bin/tool']);
    expect(lines.filter((line) => line.startsWith('-rw-r--r--'))).toHaveLength(4);
  });

  it('reports sizes, the file count and CodeSha256 as base64 SHA-256 of the zip bytes', async () => {
    const { root } = await makeTree(sample);
    const { summary, bytes } = await zipOf(root);
    expect(path.isAbsolute(summary.file)).toBe(true);
    expect(summary.zipSize).toBe(bytes.length);
    expect(summary.zipSize).toBe((await stat(summary.file)).size);
    expect(summary.codeSha256).toBe(createHash('sha256').update(bytes).digest('base64'));
    expect(summary.fileCount).toBe(sample.length);
    expect(summary.unzippedSize).toBe(
      sample.reduce((sum, [, content]) => sum + Buffer.byteLength(content), 0),
    );
    expect(summary.treeHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes both hashes when a file content changes', async () => {
    const a = await zipOf((await makeTree(sample)).root);
    const changed = sample.map(([file, content, mode]): [string, string, number?] => [
      file,
      file.endsWith('core.py') ? content.replace('42', '43') : content,
      mode,
    ]);
    const b = await zipOf((await makeTree(changed)).root);
    expect(b.summary.codeSha256).not.toBe(a.summary.codeSha256);
    expect(b.summary.treeHash).not.toBe(a.summary.treeHash);
  });

  it('changes the treeHash (and the zip) when only an executable bit changes', async () => {
    const a = await zipOf((await makeTree([['bin/tool', 'x', 0o644]])).root);
    const b = await zipOf((await makeTree([['bin/tool', 'x', 0o744]])).root);
    expect(b.summary.treeHash).not.toBe(a.summary.treeHash);
    expect(b.summary.codeSha256).not.toBe(a.summary.codeSha256);
  });

  it('keeps the treeHash when only the compression level changes', async () => {
    const { root } = await makeTree(sample);
    const stored = await zipOf(root, { compressionLevel: 0 });
    const best = await zipOf(root, { compressionLevel: 9 });
    expect(best.summary.treeHash).toBe(stored.summary.treeHash);
    expect(best.summary.codeSha256).not.toBe(stored.summary.codeSha256);
    expect(best.summary.zipSize).toBeLessThan(stored.summary.zipSize);
    await expect(
      writeDeterministicZip(root, path.join(await tempDir(), 'x.zip'), { compressionLevel: 10 }),
    ).rejects.toThrow(/compressionLevel/);
  });

  it('streams big files, reads small ones ahead, deterministically, and they round-trip', async () => {
    const big = Buffer.concat([randomBytes(1 << 20), Buffer.alloc(2 << 20, 'abc')]); // > 1 MiB: streamed
    const small = Array.from({ length: 40 }, (_, i): [string, Buffer] => [
      `lib/m${String(i).padStart(2, '0')}.bin`,
      Buffer.concat([randomBytes(300_000), Buffer.alloc(400_000, i)]), // 28 MB in all: more than the read-ahead
    ]);
    const files: [string, Buffer][] = [['lib/big.so', big], ...small];
    const a = await makeTree(files);
    const b = await makeTree([...files].reverse(), { mtime: new Date(0) });
    const zipA = await zipOf(a.root);
    const zipB = await zipOf(b.root);
    expect(zipB.bytes.equals(zipA.bytes)).toBe(true);

    const out = path.join(await tempDir(), 'out');
    await extractZip(zipA.summary.file, out);
    for (const [file, content] of files)
      expect((await readFile(path.join(out, file))).equals(content)).toBe(true);
    await promisify(execFile)('unzip', ['-tq', zipA.summary.file]); // and another reader agrees
  });

  it('stores links that resolve inside the root as regular files and folders', async () => {
    const { root } = await makeTree([
      ['lib/libfoo.so.1.2', 'ELF...', 0o755],
      ['python/pkg/mod.py', 'x = 1\n'],
    ]);
    await symlink('libfoo.so.1.2', path.join(root, 'lib/libfoo.so'));
    await symlink('../python/pkg', path.join(root, 'lib/pkg-link'));
    const tree = await listTree(root);
    expect(tree).toContainEqual({ path: 'lib/libfoo.so', type: 'file', size: 6, executable: true });
    expect(tree).toContainEqual({ path: 'lib/pkg-link', type: 'dir', size: 0, executable: false });
    expect(tree).toContainEqual({ path: 'lib/pkg-link/mod.py', type: 'file', size: 6, executable: false });

    const { summary } = await zipOf(root);
    const out = path.join(await tempDir(), 'out');
    await extractZip(summary.file, out);
    const linked = path.join(out, 'lib/libfoo.so');
    expect((await stat(linked)).isFile()).toBe(true);
    expect(await readFile(linked, 'utf8')).toBe('ELF...');
    expect((await stat(linked)).mode & 0o777).toBe(0o755);
    expect(await readFile(path.join(out, 'lib/pkg-link/mod.py'), 'utf8')).toBe('x = 1\n');
  });

  it('refuses links that escape the root, dangle or loop, naming the link and its target', async () => {
    const outside = await makeTree([['secret.txt', 'do not ship']]);
    const escaping = await makeTree([['ok.txt', 'ok']]);
    await symlink(path.join(outside.root, 'secret.txt'), path.join(escaping.root, 'leak'));
    await expect(zipOf(escaping.root)).rejects.toThrow(
      /Symlink leak -> \/.*secret\.txt points outside the layer root/,
    );

    const relativeEscape = await makeTree([['a/ok.txt', 'ok']]);
    await symlink('../..', path.join(relativeEscape.root, 'a/up'));
    await expect(listTree(relativeEscape.root)).rejects.toThrow('Symlink a/up -> ../.. points outside');

    const dangling = await makeTree([['ok.txt', 'ok']]);
    await symlink('missing.txt', path.join(dangling.root, 'broken'));
    await expect(zipOf(dangling.root)).rejects.toThrow('Symlink broken -> missing.txt dangles (ENOENT)');

    const cycle = await makeTree([['a/ok.txt', 'ok']]);
    await symlink('..', path.join(cycle.root, 'a/loop'));
    await expect(listTree(cycle.root)).rejects.toThrow('Symlink a/loop -> .. makes a cycle');
  });

  it('refuses names with a backslash and special files', async () => {
    const backslash = await makeTree([['python/a\\b.py', 'x']]);
    await expect(listTree(backslash.root)).rejects.toThrow('python/a\\b.py: a backslash in a name');
    const fifo = await makeTree([['ok.txt', 'ok']]);
    await promisify(execFile)('mkfifo', [path.join(fifo.root, 'pipe')]);
    await expect(zipOf(fifo.root)).rejects.toThrow('pipe is not a regular file, directory or symlink');
  });

  it('keeps unicode names (sorted by UTF-8 bytes) and empty directories', async () => {
    const { root } = await makeTree([
      ['python/ünïcødé/модуль.py', 'print("привет")\n'],
      ['python/日本語.txt', 'こんにちは'],
      ['python/😀.txt', 'emoji'], // U+1F600: a surrogate pair, sorts after U+FFxx in UTF-8 but not in UTF-16
      ['python/ｚ.txt', 'fullwidth z U+FF5A'],
    ]);
    await mkdir(path.join(root, 'python/empty/nested'), { recursive: true });
    const tree = await listTree(root);
    expect(tree.map((entry) => entry.path)).toEqual([
      'python',
      'python/empty',
      'python/empty/nested',
      'python/ünïcødé',
      'python/ünïcødé/модуль.py',
      'python/日本語.txt',
      'python/ｚ.txt',
      'python/😀.txt',
    ]);
    const { summary } = await zipOf(root);
    const out = path.join(await tempDir(), 'out');
    await extractZip(summary.file, out);
    expect(await readFile(path.join(out, 'python/ünïcødé/модуль.py'), 'utf8')).toBe('print("привет")\n');
    expect(await readFile(path.join(out, 'python/😀.txt'), 'utf8')).toBe('emoji');
    expect(await readdir(path.join(out, 'python/empty'))).toEqual(['nested']);
    expect((await stat(path.join(out, 'python/empty/nested'))).isDirectory()).toBe(true);
  });

  it('adding an empty directory changes the zip and the treeHash', async () => {
    const { root } = await makeTree(sample);
    const before = await zipOf(root);
    await mkdir(path.join(root, 'python/empty'));
    const after = await zipOf(root);
    expect(after.summary.treeHash).not.toBe(before.summary.treeHash);
    expect(after.summary.codeSha256).not.toBe(before.summary.codeSha256);
  });

  it('says so when the root is missing, empty or not a folder, or the zip would land inside it', async () => {
    const base = await tempDir();
    const out = path.join(base, 'layer.zip');
    await expect(writeDeterministicZip(path.join(base, 'nope'), out)).rejects.toThrow(
      /Layer root .*nope does not exist/,
    );
    await mkdir(path.join(base, 'empty/only-dirs'), { recursive: true });
    await expect(writeDeterministicZip(path.join(base, 'empty'), out)).rejects.toThrow(
      /Layer root .*empty is empty/,
    );
    await writeFile(path.join(base, 'file'), 'x');
    await expect(writeDeterministicZip(path.join(base, 'file'), out)).rejects.toThrow(/is not a directory/);
    const { root } = await makeTree(sample);
    await expect(writeDeterministicZip(root, path.join(root, 'layer.zip'))).rejects.toThrow(
      /outside the layer root/,
    );
  });
});

describe('extractZip', () => {
  it('restores the executable bit', async () => {
    const { root } = await makeTree(sample);
    const { summary } = await zipOf(root);
    const out = path.join(await tempDir(), 'out');
    await extractZip(summary.file, out);
    expect((await stat(path.join(out, 'bin/tool'))).mode & 0o777).toBe(0o755);
    expect((await stat(path.join(out, 'python/pkg/core.py'))).mode & 0o777).toBe(0o644);
    expect(await readFile(path.join(out, 'python/pkg/data/empty.txt'), 'utf8')).toBe('');
  });

  it('answers the SHA-256 of every file it wrote, so summarizeTree need not read them again', async () => {
    const many: [string, string][] = Array.from({ length: 300 }, (_, i) => [
      `python/pkg${i % 7}/m${i}.py`,
      `X = ${i}\n`.repeat(i % 5),
    ]);
    const { root } = await makeTree([...sample, ...many]);
    const { summary } = await zipOf(root);
    const out = path.join(await tempDir(), 'out');
    const hashes = await extractZip(summary.file, out);
    expect(hashes.size).toBe(summary.fileCount);
    expect(hashes.get('python/pkg3/m10.py')).toBe(
      createHash('sha256').update('X = 10\n'.repeat(0)).digest('hex'),
    );
    // Several entries are written at once: every one lands whole.
    expect(await readFile(path.join(out, 'python/pkg5/m299.py'), 'utf8')).toBe('X = 299\n'.repeat(4));
    const read = await summarizeTree(out);
    expect(await summarizeTree(out, hashes)).toEqual(read);
    expect(read.treeHash).toBe(summary.treeHash);
  });

  /** yazl refuses unsafe names itself, so write a same-length safe name and patch the bytes. */
  async function maliciousZip(safeName: string, evilName: string): Promise<string> {
    expect(Buffer.byteLength(safeName)).toBe(Buffer.byteLength(evilName));
    const zip = new ZipFile();
    zip.addBuffer(Buffer.from('pwned'), safeName);
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    let at = 0;
    let patched = 0;
    while ((at = bytes.indexOf(safeName, at)) !== -1) {
      bytes.write(evilName, at);
      patched += 1;
    }
    expect(patched).toBe(2); // local header and central directory
    const file = path.join(await tempDir(), 'evil.zip');
    await writeFile(file, bytes);
    return file;
  }

  it.each([
    ['xx/evil.txt', '../evil.txt'],
    ['a/xxxxx/evil', 'a/../../evil'],
    ['xtmp/evil.txt', '/tmp/evil.txt'],
    ['xx/evil.txt', '..\\evil.txt'],
  ])('refuses the zip-slip entry %s -> %s', async (safeName, evilName) => {
    const file = await maliciousZip(safeName, evilName);
    const base = await tempDir();
    const dest = path.join(base, 'dest');
    await expect(extractZip(file, dest)).rejects.toThrow(
      /Refusing to extract .*evil\.zip: unsafe entry name.*zip-slip/,
    );
    expect(await readdir(base)).toEqual(['dest']);
    expect(await readdir(dest)).toEqual([]);
  });
});

describe('zip format', () => {
  // Our writer, checked by two independent readers: Python's zipfile (CRC of every entry) and Info-ZIP.
  it('is read back intact by Python zipfile and unzip, files deflated in pieces included', async () => {
    // 3.5 MiB of text with long-range repeats: four pieces, joined into one deflate stream.
    const lines = Array.from({ length: 60_000 }, (_, i) => `line ${i % 997} of a layer file ${i % 13}\n`);
    const big = Buffer.from(lines.join('')).subarray(0, 3.5 * 1024 * 1024);
    const { root } = await makeTree([
      ['python/big.txt', big],
      ['python/noise.bin', randomBytes(1_200_000)],
      ['python/small.py', 'X = 1\n'],
      ['bin/tool', '#!/bin/sh\necho hi\n', 0o755],
      ['python/empty.txt', ''],
      ['python/ünïcode.py', 'Y = 2\n'],
    ]);
    const zip = (await zipOf(root)).summary.file;
    const run = promisify(execFile);
    const script = [
      'import hashlib, json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'bad = z.testzip()',
      'print(json.dumps({"bad": bad, "files": {i.filename: [hashlib.sha256(z.read(i)).hexdigest(), i.external_attr >> 16] for i in z.infolist()}}))',
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script, zip]);
    const { bad, files } = JSON.parse(stdout) as {
      bad: string | null;
      files: Record<string, [string, number]>;
    };
    expect(bad).toBeNull();
    const sha = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');
    expect(files['python/big.txt']).toEqual([sha(big), 0o100644]);
    expect(files['bin/tool']).toEqual([sha('#!/bin/sh\necho hi\n'), 0o100755]);
    expect(files['python/ünïcode.py']![0]).toBe(sha('Y = 2\n'));
    expect(files['python/']).toEqual([sha(''), 0o40755]);

    expect((await run('unzip', ['-t', zip])).stdout).toMatch(/No errors detected/);
  });
});

describe('summarizeTree and fileSha256', () => {
  it('give the tree hash, sizes and CodeSha256 that writing the zip gives', async () => {
    const { root } = await makeTree(sample);
    const { summary } = await zipOf(root);
    expect(await summarizeTree(root)).toEqual({
      treeHash: summary.treeHash,
      unzippedSize: summary.unzippedSize,
      fileCount: summary.fileCount,
    });
    expect(await fileSha256(summary.file, 'base64')).toBe(summary.codeSha256);
  });
});
