import { randomBytes } from 'node:crypto';
import {
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  stat,
  symlink,
  truncate,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  extractIndexed,
  listTree,
  writeDeterministicZip,
  type WrittenZip,
  type ZipIndex,
  type ZipIndexEntry,
} from '../../src/layer/zip.js';

const MiB = 1 << 20;
const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zip-reuse-test-'));
  cleanup.push(dir);
  return dir;
}

/** Text that deflates well and refers back across pieces, with random words so no two files are equal. */
function text(size: number): Buffer {
  const words = Array.from({ length: 64 }, () => randomBytes(4).toString('hex'));
  let out = '';
  for (let i = 0; out.length < size; i++) {
    out += `def f_${i % 977}(${words[i % 64]}, ${words[(i * 7) % 64]}): return ${i % 13}\n`;
  }
  return Buffer.from(out.slice(0, size));
}

/** A tree with empty folders, executables, an empty file, single-piece files and files in pieces. */
async function makeTree(): Promise<string> {
  const root = path.join(await tempDir(), 'root');
  const files: [string, Buffer, number?][] = [
    ['python/pkg/__init__.py', text(300)],
    ['python/pkg/core.py', text(40_000)],
    ['python/pkg/empty.txt', Buffer.alloc(0)],
    ['python/pkg/random.bin', randomBytes(70_000)],
    ['python/pkg/same-as-core.py', Buffer.alloc(0)], // filled below: the same content at another path
    ['bin/tool', Buffer.from('#!/bin/sh\necho hi\n'), 0o755],
    ['lib/libbig.so', text(3 * MiB + 12_345), 0o755],
    ['lib/libexact.so', text(2 * MiB)],
    ['lib/libother.so', Buffer.concat([text(MiB), randomBytes(MiB / 2)])],
  ];
  for (const [file, content, mode = 0o644] of files) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
    await chmod(path.join(root, file), mode);
  }
  await writeFile(
    path.join(root, 'python/pkg/same-as-core.py'),
    await readFile(path.join(root, 'python/pkg/core.py')),
  );
  await mkdir(path.join(root, 'python/empty-dir/nested'), { recursive: true });
  return root;
}

async function zipOf(root: string, options: Parameters<typeof writeDeterministicZip>[2] = {}) {
  const out = path.join(await tempDir(), 'layer.zip');
  const summary = await writeDeterministicZip(root, out, options);
  return { summary, bytes: await readFile(out) };
}

/** Writes `root` with and without reusing `previous`; both must be the same bytes. */
async function withAndWithout(root: string, previous: WrittenZip, level?: number) {
  const options = level === undefined ? {} : { compressionLevel: level };
  const fresh = await zipOf(root, options);
  const reusing = await zipOf(root, {
    ...options,
    reuse: { zipFile: previous.file, index: previous.index },
  });
  expect(reusing.bytes.equals(fresh.bytes)).toBe(true);
  expect(reusing.summary.codeSha256).toBe(fresh.summary.codeSha256);
  expect(reusing.summary.treeHash).toBe(fresh.summary.treeHash);
  expect(reusing.summary.index).toEqual(fresh.summary.index);
  expect(fresh.summary.reused).toEqual({ files: 0, bytes: 0 });
  return reusing.summary;
}

/** XORs one byte of `buffer` with `mask`. */
const flip = (buffer: Buffer, at: number, mask: number) => buffer.writeUInt8(buffer.readUInt8(at) ^ mask, at);

const entryOf = (index: ZipIndex, file: string): ZipIndexEntry => index.entries.find((e) => e.path === file)!;

describe('writeDeterministicZip: the index', () => {
  it('gives each file its SHA-256, size, CRC, mode and where its compressed bytes lie', async () => {
    const root = await makeTree();
    const { summary, bytes } = await zipOf(root);
    expect(summary.index.level).toBe(6);
    expect(summary.index.zlib).toBe(process.versions.zlib);
    const files = (await listTree(root)).filter((e) => e.type === 'file');
    expect(summary.index.entries.map((e) => e.path)).toEqual(files.map((e) => e.path));
    // A JSON round trip keeps it whole, and extracting by it gives the tree back (checked below).
    expect(JSON.parse(JSON.stringify(summary.index))).toEqual(summary.index);
    const big = entryOf(summary.index, 'lib/libbig.so');
    expect(big.pieces).toHaveLength(4);
    expect(big.executable).toBe(true);
    const local = bytes.subarray(big.dataOffset - 30 - 'lib/libbig.so'.length);
    expect(local.readUInt32LE(0)).toBe(0x04034b50);
    // Right after a multi-piece entry's data comes its data descriptor, with the CRC and sizes.
    const descriptor = bytes.subarray(big.dataOffset + big.dataLength);
    expect(descriptor.readUInt32LE(0)).toBe(0x08074b50);
    expect(descriptor.readUInt32LE(4)).toBe(big.crc);
    expect(descriptor.readUInt32LE(8)).toBe(big.dataLength);
    expect(descriptor.readUInt32LE(12)).toBe(big.size);
    expect(entryOf(summary.index, 'python/pkg/core.py').pieces).toBeUndefined();
  });
});

describe('writeDeterministicZip with reuse', () => {
  it('reuses every file of an unchanged tree, byte-identical to a zip written afresh', async () => {
    const root = await makeTree();
    const first = await zipOf(root);
    const reused = await withAndWithout(root, first.summary);
    expect(reused.reused).toEqual({ files: first.summary.fileCount, bytes: first.summary.unzippedSize });
  });

  it('deflates only what changed: edited, added and moved files, single- and multi-piece', async () => {
    const root = await makeTree();
    // A file of random bytes (deflate finds nothing to refer to) whose third piece holds a unique string.
    const unique = randomBytes(300);
    const random = Buffer.concat([randomBytes(2 * MiB), unique, randomBytes(5000)]);
    await writeFile(path.join(root, 'lib/librandom.so'), random);
    const first = await zipOf(root);
    await writeFile(path.join(root, 'python/pkg/__init__.py'), 'changed and longer\n'.repeat(40));
    await writeFile(path.join(root, 'python/new.py'), text(5000));
    await rm(path.join(root, 'python/pkg/random.bin'));
    // Moved: the content is found at its new path (a file of one piece is found by its SHA-256).
    await writeFile(
      path.join(root, 'python/moved.py'),
      await readFile(path.join(root, 'python/pkg/core.py')),
    );
    // A multi-piece file changed in its third piece, same size: only its first two pieces are reused.
    const big = await readFile(path.join(root, 'lib/libbig.so'));
    big.write('CHANGED', 2 * MiB + 100);
    await writeFile(path.join(root, 'lib/libbig.so'), big);
    // The unique string copied to the end of librandom.so's second piece: its third piece's old bytes
    // still inflate right (they refer to nothing), but deflated afresh they would refer to the copy now
    // in their dictionary; so the third is deflated afresh too (else the zip would differ).
    unique.copy(random, 2 * MiB - 1000);
    await writeFile(path.join(root, 'lib/librandom.so'), random);
    const { reused } = await withAndWithout(root, first.summary);
    const unchanged = first.summary.index.entries.filter(
      (e) =>
        !['python/pkg/__init__.py', 'python/pkg/random.bin', 'lib/libbig.so', 'lib/librandom.so'].includes(
          e.path,
        ),
    );
    expect(reused.files).toBe(unchanged.length + 1); // + moved.py
    expect(reused.bytes).toBe(
      // moved.py, two pieces of libbig.so, one of librandom.so
      unchanged.reduce((sum, e) => sum + e.size, 0) + 40_000 + 2 * MiB + MiB,
    );
  });

  it('never reuses a changed file of the same size and path', async () => {
    const root = await makeTree();
    const first = await zipOf(root);
    const core = await readFile(path.join(root, 'python/pkg/core.py'));
    flip(core, 20_000, 1);
    await writeFile(path.join(root, 'python/pkg/core.py'), core);
    const exact = await readFile(path.join(root, 'lib/libexact.so'));
    flip(exact, exact.length - 10, 1); // in its last piece
    await writeFile(path.join(root, 'lib/libexact.so'), exact);
    const { reused } = await withAndWithout(root, first.summary);
    expect(reused.files).toBe(first.summary.fileCount - 2);
    expect(reused.bytes).toBe(first.summary.unzippedSize - 40_000 - MiB); // libexact's first piece reused
  });

  it('ignores a previous zip written at another level, and says why', async () => {
    const root = await makeTree();
    const first = await zipOf(root, { compressionLevel: 9 });
    const { reused } = await withAndWithout(root, first.summary, 6);
    expect(reused).toEqual({ files: 0, bytes: 0, skipped: 'it was written at level 9, not 6' });
    const stored = await withAndWithout(root, (await zipOf(root, { compressionLevel: 0 })).summary, 0);
    expect(stored.reused.files).toBe(0);
    const otherZlib = { ...first.summary.index, level: 6, zlib: '0.0.1' };
    const { summary } = await zipOf(root, { reuse: { zipFile: first.summary.file, index: otherZlib } });
    expect(summary.reused.skipped).toMatch(/zlib 0\.0\.1/);
  });

  it('does not fail on a missing, truncated or corrupt previous zip, and reuses nothing wrong from it', async () => {
    const root = await makeTree();
    const first = await zipOf(root);
    const { index } = first.summary;
    const missing = await withAndWithout(root, { ...first.summary, file: '/nonexistent/layer.zip' });
    expect(missing.reused.files).toBe(0);
    expect(missing.reused.skipped).toMatch(/cannot be read \(ENOENT\)/);

    // Corrupt: one byte of core.py's compressed data and one inside libbig.so's second piece.
    const corrupt = Buffer.from(first.bytes);
    const core = entryOf(index, 'python/pkg/core.py');
    const big = entryOf(index, 'lib/libbig.so');
    flip(corrupt, core.dataOffset + Math.floor(core.dataLength / 2), 0x55);
    flip(corrupt, big.dataOffset + big.pieces![0]! + 1000, 0x55);
    const corruptFile = path.join(await tempDir(), 'corrupt.zip');
    await writeFile(corruptFile, corrupt);
    const fromCorrupt = await withAndWithout(root, { ...first.summary, file: corruptFile });
    // core.py takes the bytes of same-as-core.py (the same content); libbig.so keeps its first piece.
    expect(fromCorrupt.reused.files).toBe(first.summary.fileCount - 1);
    expect(fromCorrupt.reused.bytes).toBe(first.summary.unzippedSize - big.size + MiB);

    // Truncated in the middle: what lies beyond is not reused.
    const truncated = path.join(await tempDir(), 'truncated.zip');
    await writeFile(truncated, first.bytes);
    await truncate(truncated, Math.floor(first.bytes.length / 2));
    const fromTruncated = await withAndWithout(root, { ...first.summary, file: truncated });
    expect(fromTruncated.reused.files).toBeGreaterThan(0);
    expect(fromTruncated.reused.files).toBeLessThan(first.summary.fileCount);

    // A lying index: two entries' hashes swapped; the bytes found do not inflate to the file, so unused
    // (core.py still finds its content as same-as-core.py).
    const lying: ZipIndex = {
      ...index,
      entries: index.entries.map((e) =>
        e.path === 'python/pkg/core.py'
          ? { ...e, sha256: entryOf(index, 'python/pkg/__init__.py').sha256, size: 300 }
          : e.path === 'python/pkg/__init__.py'
            ? { ...e, sha256: core.sha256, size: 40_000 }
            : e,
      ),
    };
    const fromLies = await withAndWithout(root, { ...first.summary, index: lying });
    expect(fromLies.reused.files).toBe(first.summary.fileCount - 1);

    // Writing over the previous zip itself reuses nothing (and the zip is still right).
    const over = await writeDeterministicZip(root, first.summary.file, {
      reuse: { zipFile: first.summary.file, index },
    });
    expect(over.reused).toEqual({ files: 0, bytes: 0, skipped: 'the previous zip is the one being written' });
    expect(over.codeSha256).toBe(first.summary.codeSha256);

    // Garbage for an index reuses nothing and fails nothing.
    const garbage = { ...index, entries: [{ path: 1 }, null] } as unknown as ZipIndex;
    expect((await withAndWithout(root, { ...first.summary, index: garbage })).reused.files).toBe(0);
  });
});

async function treeOf(root: string): Promise<Map<string, { mode: number; bytes: Buffer }>> {
  const files = new Map<string, { mode: number; bytes: Buffer }>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(root, file), {
      mode: (await stat(file)).mode & 0o777,
      bytes: await readFile(file),
    });
  }
  return files;
}

describe('extractIndexed', () => {
  it.each([6, 0])('writes the files back, bytes and modes as in the tree (level %i)', async (level) => {
    const root = await makeTree();
    const { summary } = await zipOf(root, { compressionLevel: level });
    const dest = path.join(await tempDir(), 'out');
    const written = await extractIndexed(summary.file, summary.index.entries, dest);
    expect(written).toEqual({ files: summary.fileCount, bytes: summary.unzippedSize });
    const back = await treeOf(dest);
    const source = await treeOf(root);
    expect([...back.keys()].sort()).toEqual([...source.keys()].sort());
    for (const [file, { mode, bytes }] of source) {
      expect(back.get(file)!.bytes.equals(bytes), file).toBe(true);
      expect(back.get(file)!.mode, file).toBe(mode & 0o100 ? 0o755 : 0o644);
    }
  });

  it('writes only the entries given, into folders it makes', async () => {
    const root = await makeTree();
    const { summary } = await zipOf(root);
    const dest = path.join(await tempDir(), 'out');
    const some = summary.index.entries.filter((e) => e.path.startsWith('lib/') || e.path === 'bin/tool');
    await extractIndexed(summary.file, some, dest);
    expect([...(await treeOf(dest)).keys()].sort()).toEqual(some.map((e) => e.path).sort());
  });

  it.each([
    ['python/pkg/core.py', 'in memory'],
    ['lib/libbig.so', 'streamed'],
  ])('refuses corrupt data of %s (%s), naming the entry and the zip, and leaves no file', async (file) => {
    const root = await makeTree();
    const { summary, bytes } = await zipOf(root);
    const entry = entryOf(summary.index, file);
    const corrupt = Buffer.from(bytes);
    flip(corrupt, entry.dataOffset + entry.dataLength - 40, 0x55);
    const zipFile = path.join(await tempDir(), 'corrupt.zip');
    await writeFile(zipFile, corrupt);
    const dest = path.join(await tempDir(), 'out');
    await expect(extractIndexed(zipFile, [entry], dest)).rejects.toThrow(
      `Refusing to extract ${JSON.stringify(file)} of ${zipFile}`,
    );
    expect(await readdir(dest, { recursive: true })).not.toContain(file);
    // An index that lies about the content is refused too, even over an intact zip.
    await expect(
      extractIndexed(summary.file, [{ ...entry, sha256: '0'.repeat(64) }], path.join(dest, 'again')),
    ).rejects.toThrow(/SHA-256 is [0-9a-f]{64}, the index says 0{64}/);
    await expect(
      extractIndexed(summary.file, [{ ...entry, dataOffset: entry.dataOffset + 1 }], path.join(dest, 'b')),
    ).rejects.toThrow(/Refusing to extract/);
  });

  it.each(['../escape.txt', 'a/../../escape.txt', '/tmp/escape.txt', 'a\\..\\..\\x', 'a//b', './a'])(
    'refuses the path %j before writing anything',
    async (name) => {
      const root = await makeTree();
      const { summary } = await zipOf(root);
      const good = entryOf(summary.index, 'bin/tool');
      const dest = await tempDir();
      await expect(extractIndexed(summary.file, [good, { ...good, path: name }], dest)).rejects.toThrow(
        `Refusing to extract ${JSON.stringify(name)} of ${summary.file}`,
      );
      expect(await readdir(dest)).toEqual([]);
    },
  );

  it('refuses to write through a linked folder that leads outside the destination', async () => {
    const root = await makeTree();
    const { summary } = await zipOf(root);
    const dest = path.join(await tempDir(), 'out');
    const outside = await tempDir();
    await mkdir(dest);
    await symlink(outside, path.join(dest, 'lib'));
    const entries = summary.index.entries.filter((e) => e.path.startsWith('lib/'));
    await expect(extractIndexed(summary.file, entries, dest)).rejects.toThrow(/resolves outside/);
    expect(await readdir(outside)).toEqual([]);
  });

  it('never overwrites an existing file', async () => {
    const root = await makeTree();
    const { summary } = await zipOf(root);
    const dest = path.join(await tempDir(), 'out');
    await mkdir(path.join(dest, 'bin'), { recursive: true });
    await writeFile(path.join(dest, 'bin/tool'), 'mine');
    await expect(
      extractIndexed(summary.file, [entryOf(summary.index, 'bin/tool')], dest),
    ).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(path.join(dest, 'bin/tool'), 'utf8')).toBe('mine');
  });
});
