/**
 * Zip bombs: zips crafted by hand here (a central directory can say anything), read by extractZip.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { byteLimit, extractZip, MAX_UNZIPPED_BYTES } from '../../src/layer/zip.js';
import { craftZip, deflatedZeros, type CraftedEntry } from '../support/zip-bomb.js';

const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zip-bomb-test-'));
  cleanup.push(dir);
  return dir;
}

const honest = (name: string, content: string): CraftedEntry => ({
  name,
  data: deflateRawSync(content),
  crc: crc32(content),
  declaredSize: Buffer.byteLength(content),
});

/** Every file under `dir` with its size; [] when `dir` does not exist. */
async function writtenFiles(dir: string): Promise<[string, number][]> {
  if (!existsSync(dir)) return [];
  const files: [string, number][] = [];
  for (const name of await readdir(dir, { recursive: true })) {
    const stats = await stat(path.join(dir, name));
    if (stats.isFile()) files.push([name, stats.size]);
  }
  return files.sort();
}

const THREE_HUNDRED_MB = 300 * 1024 * 1024;
const bomb = deflatedZeros(300);

describe('extractZip and zip bombs', () => {
  it('refuses a zip declaring 300 MB unzipped from its central directory, extracting nothing', async () => {
    const dir = await tempDir();
    const zip = path.join(dir, 'bomb.zip');
    await writeFile(
      zip,
      craftZip([
        honest('python/ok.py', 'X = 1\n'),
        { name: 'python/zeros.bin', ...bomb, declaredSize: THREE_HUNDRED_MB },
      ]),
    );
    expect((await stat(zip)).size).toBeLessThan(1024 * 1024);
    const dest = path.join(dir, 'out');
    await expect(extractZip(zip, dest)).rejects.toThrow(
      `Refusing to extract ${zip}: its central directory declares 314,572,806 bytes unzipped, over the ` +
        '262,144,000 bytes Lambda allows for a function and its layers; nothing was extracted.',
    );
    expect(await readdir(dest)).toEqual([]);
  });

  it('sums the declared sizes of all entries, not just the biggest', async () => {
    const dir = await tempDir();
    const zip = path.join(dir, 'many.zip');
    const third = Math.floor(MAX_UNZIPPED_BYTES / 3) + 1;
    await writeFile(
      zip,
      craftZip(['a', 'b', 'c'].map((name) => ({ name: `python/${name}`, ...bomb, declaredSize: third }))),
    );
    await expect(extractZip(zip, path.join(dir, 'out'))).rejects.toThrow(/nothing was extracted/);
    expect(await writtenFiles(path.join(dir, 'out'))).toEqual([]);
  });

  it('stops an entry that lies in its central directory the moment it passes its declared size', async () => {
    const dir = await tempDir();
    const zip = path.join(dir, 'liar.zip');
    // Declares 1,000 bytes; its deflate stream is 300 MB of zeros.
    await writeFile(
      zip,
      craftZip([
        honest('python/first.py', 'A = 1\n'),
        { name: 'python/liar.bin', ...bomb, declaredSize: 1000 },
        honest('python/never.py', 'B = 2\n'),
      ]),
    );
    const dest = path.join(dir, 'out');
    await expect(extractZip(zip, dest)).rejects.toThrow(
      `Refusing to extract ${zip}: entry "python/liar.bin" inflates to more than the 1000 bytes its central ` +
        'directory declares (a zip bomb?); extraction stopped there.',
    );
    const written = await writtenFiles(dest);
    expect(written.map(([name]) => name)).toEqual(['python/first.py', 'python/liar.bin']);
    expect(written[1]![1]).toBeLessThanOrEqual(1000);
  });

  it('never writes more than the limit, with a lying entry declared right at it', async () => {
    const dir = await tempDir();
    const zip = path.join(dir, 'at-limit.zip');
    const limit = 64 * 1024;
    await writeFile(
      zip,
      craftZip([
        honest('python/a.py', 'A = 1\n'),
        { name: 'python/liar.bin', ...bomb, declaredSize: limit - 6 },
      ]),
    );
    const dest = path.join(dir, 'out');
    await expect(extractZip(zip, dest, { maxBytes: limit })).rejects.toThrow(/extraction stopped there/);
    const total = (await writtenFiles(dest)).reduce((sum, [, size]) => sum + size, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(limit);
  });

  it('extracts a zip whose declared sizes are exactly at the limit', async () => {
    const dir = await tempDir();
    const zip = path.join(dir, 'fits.zip');
    await writeFile(zip, craftZip([honest('python/a.py', 'A = 1\n'), honest('python/b.py', 'B = 22\n')]));
    const dest = path.join(dir, 'out');
    await extractZip(zip, dest, { maxBytes: 13 });
    expect(await writtenFiles(dest)).toEqual([
      ['python/a.py', 6],
      ['python/b.py', 7],
    ]);
    await expect(extractZip(zip, path.join(dir, 'out2'), { maxBytes: 12 })).rejects.toThrow(
      /declares 13 bytes unzipped, over the 12 bytes/,
    );
  });
});

describe('byteLimit', () => {
  const run = async (chunks: string[], max: number): Promise<{ passed: string; error?: string }> => {
    let passed = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        passed += chunk.toString();
        callback();
      },
    });
    try {
      await pipeline(
        Readable.from(chunks.map((c) => Buffer.from(c))),
        byteLimit(max, () => new Error('too many')),
        sink,
      );
      return { passed };
    } catch (error) {
      return { passed, error: (error as Error).message };
    }
  };

  it('passes up to the limit and fails on the chunk that would pass it, before it is written', async () => {
    expect(await run(['abc', 'def'], 6)).toEqual({ passed: 'abcdef' });
    expect(await run(['abc', 'def', 'g'], 6)).toEqual({ passed: 'abcdef', error: 'too many' });
    expect(await run(['abc', 'defg'], 6)).toEqual({ passed: 'abc', error: 'too many' });
    expect(await run(['x'], 0)).toEqual({ passed: '', error: 'too many' });
  });
});

describe('the crafted bomb', () => {
  it('really inflates to 300 MiB of zeros (so the tests above stop a real one)', () => {
    const inflated = inflateRawSync(bomb.data);
    expect(inflated.length).toBe(THREE_HUNDRED_MB);
    const zeros = Buffer.alloc(1 << 20);
    for (let at = 0; at < inflated.length; at += zeros.length) {
      expect(inflated.subarray(at, at + zeros.length).equals(zeros)).toBe(true);
    }
    expect(crc32(inflated)).toBe(bomb.crc);
  });
});
