/**
 * Reusing the zip of the last build (issue 33). writeDeterministicZip answers an index of what it wrote
 * (each file's SHA-256, size, CRC and where its compressed bytes lie in the zip); the download cache
 * keeps the zip and its index. The next build then
 * - takes the compressed bytes of every file whose content is unchanged from that zip instead of
 *   deflating it again (PreviousZip, used by the writer): the new zip is byte-identical to one written
 *   from scratch, because the same bytes at the same level with the same zlib deflate the same;
 * - or writes the unchanged files straight into a layer folder (extractIndexed), each checked against
 *   its SHA-256, without unpacking the whole zip.
 * A reused piece is inflated and compared with the file's bytes before it goes into a zip, and an
 * extracted file is checked against the index: a corrupt or tampered cache never reaches a layer.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fchmodSync, openSync, readSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, open, realpath, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../host-guard.js';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw, inflateRawSync, constants as zlibConstants, type ZlibOptions } from 'node:zlib';
import pLimit from 'p-limit';

export interface ZipIndexEntry {
  /** Posix path in the zip (and the tree), no leading or trailing slash. */
  path: string;
  /** Hex SHA-256 of the file's content. */
  sha256: string;
  /** Bytes, uncompressed. */
  size: number;
  /** CRC-32 of the content, as the zip stores it. */
  crc: number;
  /** Byte offset of the entry's compressed data in the zip (just after its local header). */
  dataOffset: number;
  /** Bytes of compressed data (the data descriptor, if any, not included). */
  dataLength: number;
  executable: boolean;
  /** For a file deflated in pieces (over `piece` bytes): each piece's compressed length, in order. */
  pieces?: number[];
}

/** What writeDeterministicZip wrote: a plain JSON value, to be kept beside the zip. */
export interface ZipIndex {
  /** The compression level (0 = stored). */
  level: number;
  /** Node's zlib version (process.versions.zlib): another zlib may deflate the same bytes differently. */
  zlib: string;
  /** The piece size files were deflated in. */
  piece: number;
  /** Every file entry, in the zip's order (directories are not listed). */
  entries: ZipIndexEntry[];
}

export interface ReuseOptions {
  /** The previous zip, as written by writeDeterministicZip (e.g. restored from a cache). */
  zipFile: string;
  /** Its index, as writeDeterministicZip answered it. */
  index: ZipIndex;
}

export interface ReuseSummary {
  /** Files whose every compressed byte came from the previous zip. */
  files: number;
  /** Uncompressed bytes whose compressed form came from the previous zip. */
  bytes: number;
  /** Why nothing could be reused at all, when reuse was asked for (e.g. another level, zip unreadable). */
  skipped?: string;
}

/**
 * Pieces smaller than this are deflated and inflated on the main thread: for them a trip through
 * libuv's threadpool (a zlib stream, its callbacks) costs more than the work. Measured here: 2.5 KB
 * pieces take 8 × less CPU inline, 43 KB ones about the same main-thread time either way.
 */
export const ON_MAIN_THREAD = 32 << 10;

const SHA256_HEX = /^[0-9a-f]{64}$/;
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** The reason an index entry is malformed, or undefined when it is well formed. */
function malformed(entry: ZipIndexEntry, piece?: number): string | undefined {
  if (typeof entry !== 'object' || entry === null) return 'not an object';
  if (typeof entry.path !== 'string' || entry.path === '') return 'no path';
  if (typeof entry.sha256 !== 'string' || !SHA256_HEX.test(entry.sha256)) return 'no hex sha256';
  for (const field of ['size', 'crc', 'dataOffset', 'dataLength'] as const) {
    if (!isCount(entry[field])) return `${field} is not a byte count`;
  }
  if (typeof entry.executable !== 'boolean') return 'executable is not a boolean';
  if (entry.pieces !== undefined) {
    if (!Array.isArray(entry.pieces) || !entry.pieces.every(isCount)) return 'pieces are not byte counts';
    if (piece && entry.pieces.length !== Math.ceil(entry.size / piece)) return 'pieces do not match its size';
    if (entry.pieces.reduce((sum, length) => sum + length, 0) !== entry.dataLength) {
      return 'pieces do not add up to dataLength';
    }
  }
  return undefined;
}

/**
 * The previous zip, opened for reuse: its entries by content and by path, and its compressed pieces,
 * each handed out only once it is checked to inflate to exactly the bytes it stands for.
 */
export class PreviousZip {
  private readonly handle: FileHandle;
  private readonly byContent = new Map<string, ZipIndexEntry[]>();
  private readonly byPath = new Map<string, ZipIndexEntry>();

  private constructor(handle: FileHandle, entries: ZipIndexEntry[]) {
    this.handle = handle;
    for (const entry of entries) {
      const key = `${entry.size} ${entry.sha256}`;
      this.byContent.set(key, [...(this.byContent.get(key) ?? []), entry]);
      this.byPath.set(entry.path, entry);
    }
  }

  /**
   * Opens `reuse.zipFile` when its index was written at `level` with this zlib and piece size; else
   * answers why not (reuse is only ever an optimisation: nothing here throws).
   */
  static async open(
    reuse: ReuseOptions,
    level: number,
    piece: number,
  ): Promise<PreviousZip | { skipped: string }> {
    const { index } = reuse;
    if (level === 0) return { skipped: 'level 0 stores files: there is nothing to save' };
    if (typeof index !== 'object' || index === null || !Array.isArray(index.entries)) {
      return { skipped: 'the index is not one writeDeterministicZip wrote' };
    }
    if (index.level !== level) return { skipped: `it was written at level ${index.level}, not ${level}` };
    if (index.zlib !== process.versions.zlib) {
      return { skipped: `it was deflated by zlib ${index.zlib}, not ${process.versions.zlib}` };
    }
    if (index.piece !== piece) return { skipped: `it was deflated in pieces of ${index.piece} bytes` };
    let handle: FileHandle;
    let size: number;
    try {
      handle = await open(reuse.zipFile, 'r');
      size = (await handle.stat()).size;
    } catch (err) {
      return { skipped: `${reuse.zipFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? err})` };
    }
    const usable = index.entries.filter(
      (entry) => !malformed(entry, piece) && entry.dataOffset + entry.dataLength <= size,
    );
    return new PreviousZip(handle, usable);
  }

  /** The previous entries with this content (a file of one piece: its hash is known before deflating). */
  ofContent(size: number, sha256: string): readonly ZipIndexEntry[] {
    return this.byContent.get(`${size} ${sha256}`) ?? [];
  }

  /** The previous entry at this path with this size (a file in pieces: checked piece by piece). */
  atPath(filePath: string, size: number): readonly ZipIndexEntry[] {
    const entry = this.byPath.get(filePath);
    return entry?.size === size ? [entry] : [];
  }

  /** The first of `candidates` whose piece `number` checks out (see piece). */
  async firstPiece(
    candidates: readonly ZipIndexEntry[],
    ...args: [number, Buffer, Buffer | undefined, boolean]
  ): Promise<Buffer | undefined> {
    for (const candidate of candidates) {
      const data = await this.piece(candidate, ...args);
      if (data) return data;
    }
    return undefined;
  }

  /**
   * Piece `number` of `entry`'s compressed data, if it inflates (after `dictionary`, the 32 KiB before
   * it) to exactly `raw`, ending the stream if `last`, else at a byte boundary without ending it (as a
   * sync flush does); undefined otherwise, or when it cannot be read.
   */
  async piece(
    entry: ZipIndexEntry,
    number: number,
    raw: Buffer,
    dictionary: Buffer | undefined,
    last: boolean,
  ): Promise<Buffer | undefined> {
    const lengths = entry.pieces ?? [entry.dataLength];
    const length = lengths[number];
    if (length === undefined || last !== (number === lengths.length - 1)) return undefined;
    const offset = entry.dataOffset + lengths.slice(0, number).reduce((sum, l) => sum + l, 0);
    try {
      // A piece that is not the last gets an empty final block (fixed Huffman: 03 00): it must be read
      // to the last byte for the stream to end, so a piece that ended the stream early is refused.
      const data = Buffer.allocUnsafe(length + (last ? 0 : 2));
      const bytesRead =
        raw.length < ON_MAIN_THREAD
          ? readSync(this.handle.fd, data, 0, length, offset)
          : (await this.handle.read(data, 0, length, offset)).bytesRead;
      if (bytesRead !== length) return undefined;
      if (!last) data.set([0x03, 0x00], length);
      const inflated = await inflateExactly(data, raw.length, dictionary);
      return inflated?.equals(raw) ? data.subarray(0, length) : undefined;
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/**
 * Inflates raw deflate `data` that must end the stream exactly at its last byte and give at most `max`
 * bytes; undefined when it does not (in zlib's threadpool, like zlib.inflateRaw).
 */
function inflateExactly(data: Buffer, max: number, dictionary?: Buffer): Promise<Buffer | undefined> {
  const options: ZlibOptions = {
    finishFlush: zlibConstants.Z_FINISH,
    // Room for all it may give at once: one trip through the threadpool, not one per 16 KiB.
    chunkSize: Math.max(zlibConstants.Z_MIN_CHUNK, max + 1),
    ...(dictionary ? { dictionary } : {}),
  };
  if (max < ON_MAIN_THREAD) {
    try {
      // `info` answers the engine too (its bytesWritten: the input it read), which the types omit.
      const info = { ...options, maxOutputLength: Math.max(1, max), info: true };
      const { buffer, engine } = inflateRawSync(data, info) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      return Promise.resolve(
        buffer.length <= max && engine.bytesWritten === data.length ? buffer : undefined,
      );
    } catch {
      return Promise.resolve(undefined);
    }
  }
  return new Promise((resolve) => {
    const engine = createInflateRaw(options);
    const chunks: Buffer[] = [];
    let size = 0;
    engine.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) engine.destroy(new Error('too long'));
      else chunks.push(chunk);
    });
    engine.on('error', () => resolve(undefined));
    engine.on('end', () =>
      resolve(engine.bytesWritten === data.length ? Buffer.concat(chunks, size) : undefined),
    );
    engine.end(data);
  });
}

// ---- extracting by the index ----------------------------------------------------------------------

const LOCAL_HEADER = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;
/** Entries extracted at once: their inflating runs in libuv's threadpool. */
const PARALLEL_EXTRACTIONS = 8;
/** Entries up to this size are read, inflated and checked in memory before they are written. */
const IN_MEMORY = 1 << 20;

export interface ExtractedSummary {
  files: number;
  bytes: number;
}

/**
 * Writes the given entries of `zipFile` (a zip writeDeterministicZip wrote; `entries` from its index)
 * into `destDir`: each entry's compressed bytes are read at its dataOffset and inflated, several at
 * once, and its size and SHA-256 checked against the index (a mismatch throws, naming the entry and the
 * zip, and leaves no file of that entry behind). Files are 0755 when executable, else 0644; folders are
 * made as needed; an existing file is never overwritten; a path that is absolute, climbs with `..` or
 * would land outside `destDir` (through a linked folder too) is refused before anything is written.
 */
export async function extractIndexed(
  zipFile: string,
  entries: readonly ZipIndexEntry[],
  destDir: string,
): Promise<ExtractedSummary> {
  const refuse = (entry: ZipIndexEntry | undefined, why: string) =>
    new Error(`Refusing to extract ${entry ? `${JSON.stringify(entry.path)} of ` : ''}${zipFile}: ${why}`);
  for (const entry of entries) {
    const wrong = malformed(entry) ?? unsafePath(entry.path);
    if (wrong) throw refuse(entry, `its index entry is unusable (${wrong}).`);
  }
  const dest = path.resolve(destDir);
  await mkdir(dest, { recursive: true });
  const destReal = await realpath(dest);
  const handle = await open(zipFile, 'r');
  try {
    const zipSize = (await handle.stat()).size;
    const folders = new Map<string, Promise<void>>();
    // A folder is made once, and must resolve inside destDir (a linked folder may point elsewhere).
    const folder = (dir: string): Promise<void> => {
      let made = folders.get(dir);
      if (!made) {
        made = (async () => {
          await mkdir(dir, { recursive: true });
          if (!isInside(destReal, await realpath(dir))) {
            throw refuse(undefined, `${dir} resolves outside ${dest}.`);
          }
        })();
        folders.set(dir, made);
      }
      return made;
    };
    const limit = pLimit(PARALLEL_EXTRACTIONS);
    const written = await Promise.all(
      entries.map((entry) =>
        limit(async () => {
          const target = path.resolve(dest, ...entry.path.split('/'));
          if (!isInside(dest, target)) throw refuse(entry, `it would land outside ${dest}.`);
          await folder(path.dirname(target));
          await extractEntry(handle, zipFile, zipSize, entry, target, (why) => refuse(entry, why));
          return entry.size;
        }),
      ),
    );
    return { files: written.length, bytes: written.reduce((sum, size) => sum + size, 0) };
  } finally {
    await handle.close();
  }
}

async function extractEntry(
  zip: FileHandle,
  zipFile: string,
  zipSize: number,
  entry: ZipIndexEntry,
  target: string,
  refuse: (why: string) => Error,
): Promise<void> {
  const mode = entry.executable ? 0o755 : 0o644;
  const inMemory = entry.size <= IN_MEMORY;
  // A small file is read, inflated and written right here, as unzip does: the threadpool's trips
  // (read, open, write, chmod, close) would cost more than the work.
  const small = entry.size < ON_MAIN_THREAD;
  const { method, data } = await localEntry(zip, zipSize, entry, { inMemory, small }, refuse);
  const mismatch = (size: number, sha256: string): string | undefined =>
    size !== entry.size
      ? `it holds ${size} bytes, the index says ${entry.size} (corrupt cache?).`
      : sha256 !== entry.sha256
        ? `its SHA-256 is ${sha256}, the index says ${entry.sha256} (corrupt cache?).`
        : undefined;
  if (!inMemory) return streamEntry(zipFile, entry, { method, target, mode }, mismatch, refuse);
  const content = method === 0 ? data : await inflateExactly(data, entry.size);
  if (!content) throw refuse('its data does not inflate (corrupt cache?).');
  const wrong = mismatch(content.length, createHash('sha256').update(content).digest('hex'));
  if (wrong) throw refuse(wrong);
  if (small) return writeSmall(target, content, mode);
  const file = await open(target, 'wx', mode);
  try {
    await file.writeFile(content);
    await file.chmod(mode); // the umask may have cleared bits at creation
  } finally {
    await file.close();
  }
}

/** Reads and checks the entry's local header at the index's offset (with its data, when in memory). */
async function localEntry(
  zip: FileHandle,
  zipSize: number,
  entry: ZipIndexEntry,
  { inMemory, small }: { inMemory: boolean; small: boolean },
  refuse: (why: string) => Error,
): Promise<{ method: number; data: Buffer }> {
  const name = Buffer.from(entry.path);
  const headerAt = entry.dataOffset - LOCAL_HEADER_SIZE - name.length;
  if (headerAt < 0 || entry.dataOffset + entry.dataLength > zipSize) {
    throw refuse(
      `its data (${entry.dataLength} bytes at ${entry.dataOffset}) is not in the zip (truncated?).`,
    );
  }
  const header = Buffer.allocUnsafe(LOCAL_HEADER_SIZE + name.length + (inMemory ? entry.dataLength : 0));
  const bytesRead = small
    ? readSync(zip.fd, header, 0, header.length, headerAt)
    : (await zip.read(header, 0, header.length, headerAt)).bytesRead;
  if (bytesRead !== header.length) throw refuse('the zip ends before its data (truncated?).');
  const method = header.readUInt16LE(8);
  if (
    header.readUInt32LE(0) !== LOCAL_HEADER ||
    !header.subarray(LOCAL_HEADER_SIZE, LOCAL_HEADER_SIZE + name.length).equals(name) ||
    (method !== 0 && method !== 8)
  ) {
    throw refuse(`the zip has no entry of that name at the index's offset ${entry.dataOffset}.`);
  }
  return { method, data: header.subarray(LOCAL_HEADER_SIZE + name.length) };
}

/** A large file is streamed: inflated on its way to disk, and removed if it is not what the index says. */
async function streamEntry(
  zipFile: string,
  entry: ZipIndexEntry,
  { method, target, mode }: { method: number; target: string; mode: number },
  mismatch: (size: number, sha256: string) => string | undefined,
  refuse: (why: string) => Error,
): Promise<void> {
  const hash = createHash('sha256');
  let size = 0;
  const file = await open(target, 'wx', mode); // an existing file fails here, untouched
  try {
    await pipeline(
      createReadStream(zipFile, {
        start: entry.dataOffset,
        end: entry.dataOffset + entry.dataLength - 1,
        highWaterMark: IN_MEMORY,
      }),
      method === 0 ? new PassThrough() : createInflateRaw({ chunkSize: IN_MEMORY }),
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          size += chunk.length;
          if (size > entry.size) return callback(refuse(`it inflates past the index's ${entry.size} bytes.`));
          hash.update(chunk);
          callback(null, chunk);
        },
      }),
      file.createWriteStream(), // closes the file when done
    );
    const wrong = mismatch(size, hash.digest('hex'));
    if (wrong) throw refuse(wrong);
    await chmod(target, mode);
  } catch (err) {
    await rm(target, { force: true });
    throw err instanceof Error && err.message.startsWith('Refusing')
      ? err
      : refuse(`its data does not inflate (${(err as Error).message}; corrupt cache?).`);
  }
}

/** Writes a new file (never over an existing one) with exactly `mode` (the umask may clear bits). */
function writeSmall(target: string, content: Buffer, mode: number): void {
  const fd = openSync(target, 'wx', mode);
  try {
    writeFileSync(fd, content);
    fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
}

/** Why a zip entry path may not be written under a folder, or undefined when it may. */
export function unsafePath(name: string): string | undefined {
  if (name.startsWith('/') || path.isAbsolute(name) || /^[A-Za-z]:/.test(name)) return 'an absolute path';
  if (name.includes('\\') || name.includes('\0')) return 'a backslash or NUL in the path';
  const parts = name.split('/');
  if (parts.includes('..')) return 'a path that climbs with ..';
  if (parts.some((part) => part === '' || part === '.')) return 'an empty or . path segment';
  return undefined;
}
