/**
 * Package names and versions read straight from a layer zip, for the "what changed" diff. The same
 * reader serves the zip just built (a local file) and the version that was live before (Lambda's
 * download link, read with HTTP range requests: the central directory and a few small files, never the
 * whole zip, which for a data-science layer is 100 MB).
 *
 * Versions come from names Lambda layers carry anyway: `numpy-2.4.6.dist-info`, `gems/…/specifications/
 * rack-3.1.8.gemspec`, `java/lib/commons-text-1.13.1.jar`, npm's `node_modules/.package-lock.json` (or each
 * top-level package.json); a custom runtime's executables are compared by CRC-32.
 */
import { HttpClient } from '@actions/http-client';
import { PassThrough, type Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { fromRandomAccessReaderPromise, RandomAccessReader, type Entry, type ZipFile } from 'yauzl';
import type { Family } from '../runtimes/index.js';
import { openZip } from './zip.js';

export interface PackageVersion {
  readonly name: string;
  /** `crc32:…` for files without a version (a custom runtime's executables). */
  readonly version: string;
}

/** A npm lock or a package.json bigger than this is not a package list worth reading. */
const MAX_METADATA_BYTES = 8 * 1024 * 1024;
/** Top-level package.json files read one by one when npm left no lock in node_modules. */
const MAX_PACKAGE_JSONS = 300;

export async function packagesInZipFile(file: string, family: Family): Promise<PackageVersion[]> {
  const zip = await openZip(file, { lazyEntries: true, autoClose: false });
  try {
    return await packagesIn(zip, family);
  } finally {
    zip.close();
  }
}

/** The zip behind a URL that answers range requests (a presigned S3 link), `size` bytes long. */
export async function packagesInZipUrl(url: string, size: number, family: Family): Promise<PackageVersion[]> {
  const reader = new HttpRangeReader(url, size);
  const zip = await fromRandomAccessReaderPromise(reader, size, { lazyEntries: true, autoClose: false });
  try {
    return await packagesIn(zip, family);
  } finally {
    zip.close();
  }
}

async function packagesIn(zip: ZipFile, family: Family): Promise<PackageVersion[]> {
  const entries: Entry[] = [];
  for await (const entry of zip.eachEntry()) entries.push(entry);
  const found = await READERS[family](entries, (entry) => readEntry(zip, entry));
  const unique = new Map(found.map((p) => [`${p.name}\0${p.version}`, p]));
  return [...unique.values()].sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

type ReadEntry = (entry: Entry) => Promise<string>;
type Reader = (entries: readonly Entry[], read: ReadEntry) => Promise<PackageVersion[]>;

const READERS: Record<Family, Reader> = {
  python: async (entries) =>
    names(entries, /^python\/(?:lib\/python\d+\.\d+\/site-packages\/)?([^/]+)-([^/-]+)\.dist-info\/$/),
  java: async (entries) => names(entries, /^java\/lib\/([^/]+?)-(\d[^/-]*(?:-[A-Za-z][\w.]*)?)\.jar$/),
  ruby: async (entries) =>
    names(entries, /^ruby\/gems\/[^/]+\/specifications\/([^/]+?)-(\d[^/-]*)(?:-[^/]+)?\.gemspec$/),
  nodejs: nodePackages,
  provided: async (entries) =>
    entries
      .filter((e) => e.fileName === 'bootstrap' || /^bin\/[^/]+$/.test(e.fileName))
      .map((e) => ({ name: e.fileName, version: `crc32:${e.crc32.toString(16).padStart(8, '0')}` })),
};

/** Name and version from each entry (file or folder, stated or implied) whose path matches. */
function names(entries: readonly Entry[], pattern: RegExp): PackageVersion[] {
  const found: PackageVersion[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    // Zips need not list folders: a dist-info folder is implied by the files in it.
    for (const candidate of [entry.fileName, ...parents(entry.fileName)]) {
      if (seen.has(candidate)) continue;
      seen.add(candidate);
      const match = pattern.exec(candidate);
      if (match) found.push({ name: match[1]!, version: match[2]! });
    }
  }
  return found;
}

function parents(fileName: string): string[] {
  const parts = fileName.split('/');
  return parts.slice(1).map((_, i) => `${parts.slice(0, i + 1).join('/')}/`);
}

const NODE_MODULES = /^nodejs\/(?:node\d+\/)?node_modules\//;

async function nodePackages(entries: readonly Entry[], read: ReadEntry): Promise<PackageVersion[]> {
  const locks = entries.filter((e) =>
    /^nodejs\/(?:node\d+\/)?node_modules\/\.package-lock\.json$/.test(e.fileName),
  );
  const found: PackageVersion[] = [];
  for (const lock of locks.filter((e) => e.uncompressedSize <= MAX_METADATA_BYTES)) {
    const parsed = JSON.parse(await read(lock)) as { packages?: Record<string, { version?: string }> };
    for (const [key, value] of Object.entries(parsed.packages ?? {})) {
      const name = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(key)?.[1];
      if (name && value.version) found.push({ name, version: value.version });
    }
  }
  if (locks.length > 0) return found;
  const manifests = entries
    .filter((e) => {
      const rest = e.fileName.replace(NODE_MODULES, '');
      return rest !== e.fileName && /^(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/.test(rest);
    })
    .slice(0, MAX_PACKAGE_JSONS);
  for (const manifest of manifests.filter((e) => e.uncompressedSize <= MAX_METADATA_BYTES)) {
    try {
      const parsed = JSON.parse(await read(manifest)) as { name?: string; version?: string };
      const folder = manifest.fileName.replace(NODE_MODULES, '').replace(/\/package\.json$/, '');
      found.push({ name: parsed.name ?? folder, version: parsed.version ?? '?' });
    } catch {
      // A package.json that is not JSON is not a package this diff can describe.
    }
  }
  return found;
}

async function readEntry(zip: ZipFile, entry: Entry): Promise<string> {
  return text(await zip.openReadStreamPromise(entry));
}

/**
 * yauzl's random access over HTTP: reads go through a cache of 256 KiB blocks, and a miss fetches
 * 1 MiB ahead, because yauzl reads the central directory one small header at a time.
 */
class HttpRangeReader extends RandomAccessReader {
  private static readonly BLOCK = 256 * 1024;
  private static readonly READ_AHEAD_BLOCKS = 4;
  private readonly blocks = new Map<number, Buffer>();
  private readonly client = new HttpClient('lambda-layer-release', [], { allowRetries: true, maxRetries: 2 });

  constructor(
    private readonly url: string,
    private readonly size: number,
  ) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    const stream = new PassThrough();
    this.bytes(start, end).then(
      (buffer) => stream.end(buffer),
      (error: unknown) => stream.destroy(error as Error),
    );
    return stream;
  }

  override close(callback: (error: Error | null) => void): void {
    this.client.dispose();
    callback(null);
  }

  private async bytes(start: number, end: number): Promise<Buffer> {
    const { BLOCK, READ_AHEAD_BLOCKS } = HttpRangeReader;
    const first = Math.floor(start / BLOCK);
    const last = Math.floor((end - 1) / BLOCK);
    const parts: Buffer[] = [];
    for (let block = first; block <= last; block++) {
      if (!this.blocks.has(block)) await this.fetch(block, Math.max(last, block + READ_AHEAD_BLOCKS - 1));
      parts.push(this.blocks.get(block)!);
    }
    // Most reads are a 46-byte header inside one block: a view, never a copy of the block.
    const joined = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    return joined.subarray(start - first * BLOCK, end - first * BLOCK);
  }

  private async fetch(firstBlock: number, lastBlock: number): Promise<void> {
    const { BLOCK } = HttpRangeReader;
    const from = firstBlock * BLOCK;
    const to = Math.min((lastBlock + 1) * BLOCK, this.size) - 1;
    const response = await this.client.get(this.url, { Range: `bytes=${from}-${to}` });
    const status = response.message.statusCode ?? 0;
    const body = await response.readBodyBuffer!();
    if (status !== 206 && status !== 200) {
      throw new Error(`downloading the layer version answered HTTP ${status}`);
    }
    // A server that ignores Range sends the whole zip: keep all of it.
    const base = status === 200 ? 0 : from;
    const lastKept = status === 200 ? Math.floor((this.size - 1) / BLOCK) : lastBlock;
    for (let block = base / BLOCK; block <= lastKept; block++) {
      const piece = body.subarray(block * BLOCK - base, Math.min((block + 1) * BLOCK, this.size) - base);
      if (piece.length > 0) this.blocks.set(block, piece);
    }
  }
}
