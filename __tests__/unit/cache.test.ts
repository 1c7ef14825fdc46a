/**
 * The download cache's bookkeeping (src/cache/): the ledger's verdict on a restore, and what a build
 * added to or read from the cache folder, on the real file system.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  listContents,
  markUnread,
  newFiles,
  removeFiles,
  totalBytes,
  unreadFiles,
} from '../../src/cache/contents.js';
import { parseLedger, restoreCostsMore, type Ledger } from '../../src/cache/ledger.js';

const MB = 1_000_000;

describe('restoreCostsMore', () => {
  const ledger = (restore?: Ledger['restore'], download?: Ledger['download']): Ledger => ({
    key: 'k',
    bytes: 80 * MB,
    ...(restore ? { restore } : {}),
    ...(download ? { download } : {}),
  });

  it('restores while nothing is measured yet: the restore is the measurement', () => {
    expect(restoreCostsMore(ledger())).toBeUndefined();
    expect(restoreCostsMore(ledger(undefined, { bytes: 80 * MB, seconds: 1 }))).toBeUndefined();
    expect(restoreCostsMore(ledger({ bytes: 80 * MB, seconds: 10 }))).toBeUndefined();
  });

  it('restores when the cache service was faster than the package index', () => {
    // 80 MB restored in 2 s (40 MB/s) against 80 MB downloaded in 8 s (10 MB/s).
    expect(
      restoreCostsMore(ledger({ bytes: 80 * MB, seconds: 2 }, { bytes: 80 * MB, seconds: 8 })),
    ).toBeUndefined();
  });

  it('skips, saying why with the figures, when downloading all of it again is faster', () => {
    // The last restore ran at 20 MB/s; the index delivered 17 MB in 0.17 s (100 MB/s).
    const why = restoreCostsMore(ledger({ bytes: 60 * MB, seconds: 3 }, { bytes: 17 * MB, seconds: 0.17 }));
    expect(why).toBe(
      'restoring 80.0 MB would take about 4.0 s (the last restore ran at 20 MB/s), more than downloading ' +
        'all of it again (about 0.8 s at the 100 MB/s the last build downloaded at)',
    );
  });

  it('does not take a tiny transfer for a rate', () => {
    expect(
      restoreCostsMore(ledger({ bytes: 80 * MB, seconds: 10 }, { bytes: 1000, seconds: 0.001 })),
    ).toBeUndefined();
    expect(restoreCostsMore(ledger({ bytes: 80 * MB, seconds: 10 }, { bytes: 80 * MB, seconds: 0 }))).toBe(
      undefined,
    );
  });
});

describe('parseLedger', () => {
  it('reads what was saved, and refuses what is not a ledger', () => {
    const saved: Ledger = {
      key: 'k',
      bytes: 5,
      download: { bytes: 5, seconds: 1 },
      restore: { bytes: 4, seconds: 2 },
    };
    expect(parseLedger(JSON.stringify(saved))).toEqual(saved);
    expect(parseLedger(JSON.stringify({ key: 'k', bytes: 5 }))).toEqual({ key: 'k', bytes: 5 });
    expect(parseLedger('{"bytes": 5}')).toBeUndefined();
    expect(parseLedger('not json')).toBeUndefined();
  });
});

describe('what a build did with the cache folder', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const folder = (files: Record<string, string>): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-cache-test-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
      // Restored files carry the time they were saved, not the time they were extracted.
      fs.utimesSync(path.join(dir, name), new Date(2026, 0, 1), new Date(2026, 0, 1));
    }
    return dir;
  };

  it('lists files with their sizes, leaving out the names a tool writes on every run', async () => {
    const dir = folder({ 'http/a/b': 'wheel', '_logs/debug.log': 'log', 'index-v5/x': 'entry!' });
    const contents = await listContents(dir, ['_logs']);
    expect([...contents.keys()].sort()).toEqual([path.join('http', 'a', 'b'), path.join('index-v5', 'x')]);
    expect(totalBytes(contents.values())).toBe(11);
    expect((await listContents(path.join(dir, 'missing'))).size).toBe(0);
  });

  it('finds the new downloads, and the restored files the build never read', async () => {
    const dir = folder({ 'read.whl': 'read me', 'unread.whl': 'old version' });
    const restored = await listContents(dir);
    expect(await markUnread(dir, restored)).toBe(true); // this machine's file system records reads
    // The build: reads one file, downloads another.
    fs.readFileSync(path.join(dir, 'read.whl'));
    fs.writeFileSync(path.join(dir, 'new.whl'), 'downloaded');
    const after = await listContents(dir);
    expect([...newFiles(restored, after).keys()]).toEqual(['new.whl']);
    const unread = unreadFiles(restored, after);
    expect(unread).toEqual(['unread.whl']);
    await removeFiles(dir, unread);
    expect(fs.readdirSync(dir).sort()).toEqual(['new.whl', 'read.whl']);
  });

  it('counts a rewritten file as new, and keeps it', async () => {
    const dir = folder({ 'entry.json': 'v1' });
    const restored = await listContents(dir);
    await markUnread(dir, restored);
    fs.writeFileSync(path.join(dir, 'entry.json'), 'version 2');
    const after = await listContents(dir);
    expect([...newFiles(restored, after).keys()]).toEqual(['entry.json']);
    expect(unreadFiles(restored, after)).toEqual([]);
  });

  it('marks nothing in an empty folder', async () => {
    const dir = folder({});
    expect(await markUnread(dir, await listContents(dir))).toBe(false);
  });
});
