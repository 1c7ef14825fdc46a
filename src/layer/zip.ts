/**
 * Deterministic layer zips: the same tree gives the same bytes (so the same CodeSha256), whatever the
 * file mtimes, creation order, umask or TZ. Entries are sorted by path (UTF-8 byte order), every
 * directory gets an entry (so empty directories survive), times are fixed, modes normalised to
 * 0644 / 0755 / dir 0755, and links inside the root are stored as what they point to.
 *
 * Files are read and deflated in pieces ahead of the writer, several at once in libuv's threadpool (so
 * every core works), within a bounded window; pieces under 32 KiB are read and deflated on the main
 * thread, where they cost less than a trip through the threadpool. The zip is written by a small
 * writer here (yazl deflates one entry at a time, or keeps every compressed buffer until the end),
 * hashed on its way to disk.
 * The writer answers an index of what it wrote, and can take the compressed bytes of unchanged files
 * from the previous zip instead of deflating them again (src/layer/zip-reuse.ts).
 */
import { createHash } from 'node:crypto';
import {
  close as closeFd,
  closeSync,
  lstatSync,
  readdirSync,
  statSync,
  openSync,
  readSync,
  createReadStream,
  createWriteStream,
  fstat as fstatFd,
  open as openFd,
  read as readFd,
  constants as fsConstants,
} from 'node:fs';
import { chmod, mkdir, open, readlink, realpath, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../host-guard.js';
import pLimit from 'p-limit';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { crc32, deflateRaw, deflateRawSync, constants as zlibConstants } from 'node:zlib';
import {
  fromRandomAccessReaderPromise,
  RandomAccessReader,
  type Entry,
  type Options as ZipOptions,
  type ZipFile,
} from 'yauzl';
import {
  ON_MAIN_THREAD,
  PreviousZip,
  type ReuseOptions,
  type ReuseSummary,
  type ZipIndex,
  type ZipIndexEntry,
} from './zip-reuse.js';

export {
  extractIndexed,
  unsafePath,
  type ExtractedSummary,
  type ReuseOptions,
  type ReuseSummary,
  type ZipIndex,
  type ZipIndexEntry,
} from './zip-reuse.js';

export interface TreeEntry {
  /** Posix path relative to the root, no leading or trailing slash. */
  path: string;
  type: 'file' | 'dir';
  /** Bytes; 0 for directories. */
  size: number;
  /** Any x bit set on the file (or on a linked file's target); false for directories. */
  executable: boolean;
}

export interface ZipSummary {
  /** Absolute path of the written zip. */
  file: string;
  zipSize: number;
  /** Sum of the file sizes. */
  unzippedSize: number;
  fileCount: number;
  /** Base64 SHA-256 of the zip bytes, as Lambda reports CodeSha256. */
  codeSha256: string;
  /** Hex SHA-256 of the tree itself (see treeLine), independent of zip settings. */
  treeHash: string;
}

/** What writeDeterministicZip answers: the summary, the zip's index, and what it reused. */
export interface WrittenZip extends ZipSummary {
  /** Every file entry: where its compressed bytes lie, its SHA-256 and CRC (keep it beside the zip). */
  index: ZipIndex;
  /** What came from `options.reuse`'s zip instead of being deflated again. */
  reused: ReuseSummary;
}

export interface ZipWriteOptions {
  /** zlib level, 0 (stored) to 9; default 6. */
  compressionLevel?: number;
  /**
   * The previous zip and its index: a file whose content equals one of its entries (written at the
   * same level by the same zlib) takes that entry's compressed bytes, checked by inflating them; the
   * zip is byte-identical to one written without. A previous zip that cannot be read is not reused.
   */
  reuse?: ReuseOptions;
}

const FILE_MODE = 0o100644;
const EXEC_MODE = 0o100755;
const DIR_MODE = 0o40755;
/** Files are deflated in pieces of this size, in parallel (a constant: the zip's bytes depend on it). */
const PIECE = 1 << 20;
/** Each piece is deflated with the 32 KiB before it (deflate's window) as its dictionary. */
const DICTIONARY = 32 << 10;
/** Pieces read and deflated ahead of the writer, at most: WINDOW × PIECE bytes, plus their deflated copies. */
const WINDOW = 16;
const deflateRawAsync = promisify(deflateRaw);
/** Files hashed at once (libuv's threadpool has four threads; the rest queue there). */
const PARALLEL_ENTRIES = 16;

interface SourceEntry extends TreeEntry {
  /** Real absolute path to read: a link's target, never outside the root. */
  source: string;
}

/** The sorted walk of `root`, links inside the root resolved; throws on links that escape or dangle. */
export async function listTree(root: string): Promise<TreeEntry[]> {
  const { entries } = await walk(root);
  return entries.map(({ path, type, size, executable }) => ({ path, type, size, executable }));
}

export async function writeDeterministicZip(
  root: string,
  outFile: string,
  options: ZipWriteOptions = {},
): Promise<WrittenZip> {
  const level = options.compressionLevel ?? 6;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new Error(`compressionLevel must be an integer from 0 to 9, got ${level}`);
  }
  const { rootReal, entries } = await walk(root);
  const files = entries.filter((entry) => entry.type === 'file');
  if (files.length === 0) throw new Error(`Layer root ${root} is empty: it contains no files to zip.`);
  const file = path.resolve(outFile);
  if (isInside(rootReal, path.join(await realpath(path.dirname(file)), path.basename(file)))) {
    throw new Error(`The zip ${file} must be written outside the layer root ${root}.`);
  }
  if (entries.length > 0xffff)
    throw new Error(`The layer has ${entries.length} entries; a zip holds 65,535.`);

  const opened = !options.reuse
    ? undefined
    : path.resolve(options.reuse.zipFile) === file
      ? { skipped: 'the previous zip is the one being written' }
      : await PreviousZip.open(options.reuse, level, PIECE);
  const previous = opened instanceof PreviousZip ? opened : undefined;
  const reused: ReuseSummary = { files: 0, bytes: 0, ...(opened && !previous ? opened : {}) };
  const treeHash = createHash('sha256');
  const index: ZipIndex = { level, zlib: process.versions.zlib, piece: PIECE, entries: [] };
  const zip = new ZipWriter(await open(file, 'w'));
  const pieces = new Pieces(files, level, previous);
  try {
    for (const entry of entries) {
      if (entry.type === 'dir') {
        await zip.add({ name: `${entry.path}/`, mode: DIR_MODE, method: 0, crc: 0, size: 0 }, []);
        treeHash.update(treeLine(entry));
        continue;
      }
      const written = await writeFileEntry(zip, pieces, entry, level, reused);
      index.entries.push(written);
      treeHash.update(treeLine(entry, written.sha256));
    }
    await zip.end();
  } catch (err) {
    await pieces.drain();
    await zip.close();
    await rm(file, { force: true });
    throw err;
  } finally {
    await previous?.close();
  }
  await zip.close();
  return {
    file,
    zipSize: zip.size,
    unzippedSize: files.reduce((sum, entry) => sum + entry.size, 0),
    fileCount: files.length,
    codeSha256: zip.sha256(),
    treeHash: treeHash.digest('hex'),
    index,
    reused,
  };
}

/** Writes one file's entry from its pieces; answers its index entry and counts what was reused. */
async function writeFileEntry(
  zip: ZipWriter,
  pieces: Pieces,
  entry: SourceEntry,
  level: number,
  reused: ReuseSummary,
): Promise<ZipIndexEntry> {
  const fields = {
    name: entry.path,
    mode: entry.executable ? EXEC_MODE : FILE_MODE,
    method: level ? 8 : 0,
  };
  const { path, size, executable } = entry;
  const count = pieceCount(entry);
  if (count === 1) {
    // The usual case: CRC and sizes go in the local header, no data descriptor.
    const { raw, data, sha256, fromPrevious } = await pieces.take();
    const crc = crc32(raw);
    const dataOffset = await zip.add({ ...fields, crc, size: raw.length }, [data]);
    if (fromPrevious) [reused.files, reused.bytes] = [reused.files + 1, reused.bytes + size];
    return { path, sha256: sha256!, size, crc, dataOffset, dataLength: data.length, executable };
  }
  const contentHash = createHash('sha256');
  let crc = 0;
  const lengths: number[] = [];
  // A piece from the previous zip is used only while every piece before it was too: the same bytes
  // before it, the same dictionary, so the same deflated bytes as a fresh write.
  let unchanged = true;
  const dataOffset = await zip.begin(fields);
  for (let i = 0; i < count; i++) {
    const piece = await pieces.take();
    let { data } = piece;
    if (piece.fromPrevious && !unchanged) data = await piece.deflate();
    unchanged &&= piece.fromPrevious;
    if (unchanged) reused.bytes += piece.raw.length;
    contentHash.update(piece.raw);
    crc = crc32(piece.raw, crc);
    lengths.push(data.length);
    await zip.data(data);
  }
  await zip.finish(crc, size);
  if (unchanged) reused.files++;
  const dataLength = lengths.reduce((sum, length) => sum + length, 0);
  const sha256 = contentHash.digest('hex');
  return { path, sha256, size, crc, dataOffset, dataLength, executable, pieces: lengths };
}

/** The tree hash, size and file count of `root`, as writeDeterministicZip reports them, without a zip. */
export async function summarizeTree(
  root: string,
  /** SHA-256 (hex) of files already known, by path (what extractZip answers): not read again. */
  known: ReadonlyMap<string, string> = new Map(),
): Promise<Pick<ZipSummary, 'treeHash' | 'unzippedSize' | 'fileCount'>> {
  const { entries } = await walk(root);
  const treeHash = createHash('sha256');
  let unzippedSize = 0;
  let fileCount = 0;
  // Files are hashed several at once; the lines go into the tree hash in order.
  const limit = pLimit(PARALLEL_ENTRIES);
  const sums = entries.map((entry) =>
    entry.type === 'dir'
      ? undefined
      : (known.get(entry.path) ?? limit(() => fileSha256(entry.source, 'hex'))),
  );
  for (const [index, entry] of entries.entries()) {
    if (entry.type === 'dir') {
      treeHash.update(treeLine(entry));
      continue;
    }
    treeHash.update(treeLine(entry, await sums[index]!));
    unzippedSize += entry.size;
    fileCount++;
  }
  return { treeHash: treeHash.digest('hex'), unzippedSize, fileCount };
}

/** SHA-256 of a file, streamed (base64 is how Lambda reports a zip's CodeSha256). */
export async function fileSha256(file: string, encoding: 'hex' | 'base64'): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest(encoding);
}

/**
 * One line per entry: `<content sha256 hex> <644|755> <JSON path>` for a file, `dir 755 <JSON path>` for
 * a directory. Directories are included because empty ones are part of the zip too.
 */
function treeLine(entry: TreeEntry, sha256 = ''): string {
  const path = JSON.stringify(entry.path);
  return entry.type === 'dir' ? `dir 755 ${path}\n` : `${sha256} ${entry.executable ? 755 : 644} ${path}\n`;
}

/** Output room for deflating `size` bytes in one call (zlib's deflateBound for stored blocks, and some). */
const deflatedRoom = (size: number): number => Math.max(zlibConstants.Z_MIN_CHUNK, size + (size >> 10) + 64);

const pieceCount = (entry: TreeEntry): number => Math.max(1, Math.ceil(entry.size / PIECE));

interface Piece {
  raw: Buffer;
  /** What goes in the zip: `raw` deflated, stored, or the previous zip's bytes for it. */
  data: Buffer;
  /** True when `data` came from the previous zip. */
  fromPrevious: boolean;
  /** `raw` deflated afresh (when the writer cannot use the previous zip's bytes after all). */
  deflate: () => Promise<Buffer>;
  /** Hex SHA-256 of the file, for a file of one piece (taken when read: reuse needs it). */
  sha256?: string;
}

/**
 * Reads and deflates the files' pieces ahead of the writer, in order, several at a time: zlib's async
 * calls run in libuv's threadpool, so every core works while earlier pieces are written. A piece after
 * the first is deflated with the 32 KiB before it as its dictionary and ends with a sync flush, so the
 * pieces of a file concatenate into one deflate stream (as pigz does) that is as small as one made in a
 * single pass. At most WINDOW pieces are in memory.
 *
 * With a previous zip, a file of one piece whose content it holds (by SHA-256 and size, at any path),
 * or a piece of a larger file at the same path and size, takes the previous compressed bytes instead,
 * once they are checked to inflate to exactly this piece (so a changed file is never reused).
 */
class Pieces {
  private readonly queue: Promise<Piece>[] = [];
  private readonly files: SourceEntry[];
  private readonly level: number;
  private readonly previous?: PreviousZip;
  private file = 0;
  private piece = 0;

  constructor(files: SourceEntry[], level: number, previous?: PreviousZip) {
    this.files = files;
    this.level = level;
    this.previous = previous;
    this.fill();
  }

  /** The next piece, in file order. */
  async take(): Promise<Piece> {
    const next = this.queue.shift()!;
    this.fill();
    return next;
  }

  /** Waits for the pieces still being read, so that no file stays open after a failure. */
  async drain(): Promise<void> {
    this.file = this.files.length;
    await Promise.allSettled(this.queue);
  }

  private fill(): void {
    while (this.queue.length < WINDOW && this.file < this.files.length) {
      const entry = this.files[this.file]!;
      const last = this.piece === pieceCount(entry) - 1;
      const reading = this.pack(entry, this.piece, last);
      reading.catch(() => {}); // reported when its turn comes
      this.queue.push(reading);
      if (last) [this.file, this.piece] = [this.file + 1, 0];
      else this.piece++;
    }
  }

  private async pack(entry: SourceEntry, number: number, last: boolean): Promise<Piece> {
    const offset = number * PIECE;
    const length = Math.min(PIECE, entry.size - offset);
    const before = Math.min(DICTIONARY, offset);
    const bytes = Buffer.allocUnsafe(before + length);
    const bytesRead =
      entry.size < ON_MAIN_THREAD
        ? readSmall(entry.source, bytes)
        : await readAt(entry.source, bytes, offset - before);
    if (bytesRead !== bytes.length) throw new Error(`${entry.path} changed while it was being zipped`);
    const raw = bytes.subarray(before);
    const dictionary = before ? bytes.subarray(0, before) : undefined;
    const single = pieceCount(entry) === 1;
    const sha256 = single ? createHash('sha256').update(raw).digest('hex') : undefined;
    const deflate = async (): Promise<Buffer> => {
      if (this.level === 0) return raw;
      const options = {
        level: this.level,
        ...(dictionary ? { dictionary } : {}),
        finishFlush: last ? zlibConstants.Z_FINISH : zlibConstants.Z_SYNC_FLUSH,
        // Room for the whole piece at once: one trip through the threadpool, not one per 16 KiB.
        chunkSize: deflatedRoom(raw.length),
      };
      // The same bytes either way; a small piece costs less here than its trip through the threadpool.
      return raw.length < ON_MAIN_THREAD ? deflateRawSync(raw, options) : deflateRawAsync(raw, options);
    };
    const candidates = single
      ? this.previous?.ofContent(raw.length, sha256!)
      : this.previous?.atPath(entry.path, entry.size);
    const reused =
      candidates?.length && (await this.previous!.firstPiece(candidates, number, raw, dictionary, last));
    if (reused) return { raw, data: reused, fromPrevious: true, deflate, ...(sha256 ? { sha256 } : {}) };
    return { raw, data: await deflate(), fromPrevious: false, deflate, ...(sha256 ? { sha256 } : {}) };
  }
}

/** Reads `buffer.length` bytes of `file` at `position` (through the threadpool); answers the count read. */
async function readAt(file: string, buffer: Buffer, position: number): Promise<number> {
  const handle = await open(file, 'r');
  try {
    return (await handle.read(buffer, 0, buffer.length, position)).bytesRead;
  } finally {
    await handle.close();
  }
}

/** The same for a small file, from its start, right here: three threadpool trips cost more than it. */
function readSmall(file: string, buffer: Buffer): number {
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, buffer, 0, buffer.length, 0);
  } finally {
    closeSync(fd);
  }
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const DATA_DESCRIPTOR = 0x08074b50;
const UTF8_NAMES = 1 << 11;
const SIZES_AFTER_DATA = 1 << 3;
const VERSION_NEEDED = 20;
const VERSION_MADE_BY = (3 << 8) | 20; // Unix, so that unzip and Lambda apply the modes
/** 1981-01-01 00:00 as a DOS date; the DOS time is 0. */
const DOS_DATE = ((1981 - 1980) << 9) | (1 << 5) | 1;

interface EntryFields {
  name: string;
  mode: number;
  method: number;
  crc: number;
  size: number;
}

interface Written extends EntryFields {
  flags: number;
  compressedSize: number;
  offset: number;
}

/** The writer writes once this many bytes, or chunks, are waiting (one threadpool trip for many entries). */
const FLUSH_BYTES = 1 << 20;
const FLUSH_CHUNKS = 256;

/**
 * A minimal zip writer, no zip64 (a layer is far below 4 GiB and 65,535 entries): CRC and sizes in the
 * local header when known before the data, else in a data descriptor after it; one central directory.
 */
class ZipWriter {
  size = 0;
  private readonly out: FileHandle;
  private readonly hash = createHash('sha256');
  private readonly central: Buffer[] = [];
  private open?: Written;

  constructor(out: FileHandle) {
    this.out = out;
  }

  /** Writes a whole entry; answers the offset of its data. */
  async add(fields: EntryFields, data: Buffer[]): Promise<number> {
    const compressedSize = data.reduce((sum, chunk) => sum + chunk.length, 0);
    const entry = { ...fields, flags: UTF8_NAMES, compressedSize, offset: this.size };
    const local = header(entry, false);
    await this.write([local, ...data]);
    this.central.push(header(entry, true));
    return entry.offset + local.length;
  }

  /** Starts an entry whose CRC and compressed size come after its data (see finish); answers where its data starts. */
  async begin(fields: Omit<EntryFields, 'crc' | 'size'>): Promise<number> {
    this.open = {
      ...fields,
      crc: 0,
      size: 0,
      flags: UTF8_NAMES | SIZES_AFTER_DATA,
      compressedSize: 0,
      offset: this.size,
    };
    await this.write([header(this.open, false)]);
    return this.size;
  }

  async data(chunk: Buffer): Promise<void> {
    this.open!.compressedSize += chunk.length;
    await this.write([chunk]);
  }

  async finish(crc: number, size: number): Promise<void> {
    const entry = { ...this.open!, crc, size };
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
    descriptor.writeUInt32LE(crc, 4);
    descriptor.writeUInt32LE(entry.compressedSize, 8);
    descriptor.writeUInt32LE(size, 12);
    await this.write([descriptor]);
    this.central.push(header(entry, true));
    this.open = undefined;
  }

  async end(): Promise<void> {
    const directory = Buffer.concat(this.central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
    end.writeUInt16LE(this.central.length, 8);
    end.writeUInt16LE(this.central.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(this.size, 16);
    await this.write([directory, end]);
    await this.flush();
  }

  sha256(): string {
    return this.hash.digest('base64');
  }

  async close(): Promise<void> {
    await this.out.close();
  }

  /** Bytes hashed and counted but not yet on disk: small entries are written together, not one by one. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  private async write(chunks: Buffer[]): Promise<void> {
    for (const chunk of chunks) {
      this.hash.update(chunk);
      this.size += chunk.length;
      this.pendingBytes += chunk.length;
      this.pending.push(chunk);
    }
    if (this.size > 0xffffffff) throw new Error('The zip would be over 4 GiB, far more than a layer can be.');
    if (this.pendingBytes >= FLUSH_BYTES || this.pending.length >= FLUSH_CHUNKS) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunks = this.pending;
    [this.pending, this.pendingBytes] = [[], 0];
    if (chunks.length > 0) await this.out.writev(chunks);
  }
}

/** A local file header, or the entry's central directory record. */
function header(entry: Written, central: boolean): Buffer {
  const name = Buffer.from(entry.name);
  const fixed = central ? 46 : 30;
  const buffer = Buffer.alloc(fixed + name.length);
  let at = 0;
  const u16 = (value: number) => (at = buffer.writeUInt16LE(value, at));
  const u32 = (value: number) => (at = buffer.writeUInt32LE(value >>> 0, at));
  u32(central ? CENTRAL_HEADER : LOCAL_HEADER);
  if (central) u16(VERSION_MADE_BY);
  u16(VERSION_NEEDED);
  u16(entry.flags);
  u16(entry.method);
  u16(0); // DOS time
  u16(DOS_DATE);
  const deferred = !central && entry.flags & SIZES_AFTER_DATA;
  u32(deferred ? 0 : entry.crc);
  u32(deferred ? 0 : entry.compressedSize);
  u32(deferred ? 0 : entry.size);
  u16(name.length);
  u16(0); // extra field length
  if (central) {
    u16(0); // comment length
    u16(0); // disk number
    u16(0); // internal attributes
    u32(entry.mode << 16);
    u32(entry.offset);
  }
  name.copy(buffer, fixed);
  return buffer;
}

async function walk(root: string): Promise<{ rootReal: string; entries: SourceEntry[] }> {
  let rootReal: string;
  try {
    rootReal = await realpath(root);
  } catch {
    throw new Error(`Layer root ${root} does not exist.`);
  }
  if (!(await stat(rootReal)).isDirectory()) throw new Error(`Layer root ${root} is not a directory.`);

  const entries: SourceEntry[] = [];
  // `ancestors` holds the real paths of the directories being walked: following a link into one is a cycle.
  async function visit(dirReal: string, dirPath: string, ancestors: readonly string[]): Promise<void> {
    // Read right here: a trip through the threadpool per name costs far more than the lstat.
    for (const name of readdirSync(dirReal)) {
      const relPath = dirPath ? `${dirPath}/${name}` : name;
      if (name.includes('\\')) {
        throw new Error(`${relPath}: a backslash in a name would read as a folder separator in a zip.`);
      }
      let source = path.join(dirReal, name);
      let stats = lstatSync(source);
      if (stats.isSymbolicLink()) {
        const link = await resolveLink(rootReal, source, relPath);
        if (ancestors.includes(link)) {
          throw new Error(
            `Symlink ${relPath} -> ${await readlink(source)} makes a cycle (it points to its own parent).`,
          );
        }
        source = link;
        stats = statSync(source);
      }
      if (stats.isDirectory()) {
        entries.push({ path: relPath, type: 'dir', size: 0, executable: false, source });
        await visit(source, relPath, [...ancestors, source]);
      } else if (stats.isFile()) {
        const executable = (stats.mode & 0o111) !== 0;
        entries.push({ path: relPath, type: 'file', size: stats.size, executable, source });
      } else {
        throw new Error(`${relPath} is not a regular file, directory or symlink; it cannot go in a layer.`);
      }
    }
  }
  await visit(rootReal, '', [rootReal]);

  const keyed = entries.map((entry) => ({ key: Buffer.from(entry.path), entry }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return { rootReal, entries: keyed.map(({ entry }) => entry) };
}

/** The real path a link resolves to; refuses links that point outside the root or to nothing. */
async function resolveLink(rootReal: string, link: string, relPath: string): Promise<string> {
  const target = await readlink(link);
  const refuse = (why: string) =>
    new Error(
      `Symlink ${relPath} -> ${target} ${why}; a layer may only hold links to files inside its root.`,
    );
  const lexical = path.resolve(path.dirname(link), target);
  if (!isInside(rootReal, lexical)) throw refuse('points outside the layer root');
  let real: string;
  try {
    real = await realpath(lexical);
  } catch (err) {
    throw refuse(`dangles (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (!isInside(rootReal, real)) throw refuse('resolves outside the layer root');
  return real;
}

/** yauzl's own messages for names that are absolute, climb with `..`, or hold a backslash. */
const UNSAFE_NAME = /^(absolute path|invalid relative path|invalid characters in fileName): /;
/** yauzl's message when an entry inflates to more bytes than the central directory says. */
const TOO_MANY_BYTES = /^too many bytes in the stream/;

/** Lambda's limit for a function and all its layers, unzipped. */
export const MAX_UNZIPPED_BYTES = 262_144_000;

export interface ExtractOptions {
  /** Refuse a zip that would unzip to more than this many bytes (default MAX_UNZIPPED_BYTES). */
  readonly maxBytes?: number;
}

/**
 * Extracts `zipFile` into `destDir` (created if needed; existing files are not overwritten), restoring
 * executable bits as 0755 / 0644; answers each file's SHA-256 (hex) by path. Refuses entries that would land outside `destDir` (zip-slip) and link
 * entries. Zip bombs: a zip whose central directory declares more than `maxBytes` unzipped is refused
 * before anything is written, and an entry that inflates past its declared size stops right there, so
 * no more than the declared sizes (at most `maxBytes`) ever reach the disk.
 */
export async function extractZip(
  zipFile: string,
  destDir: string,
  options: ExtractOptions = {},
): Promise<Map<string, string>> {
  const maxBytes = options.maxBytes ?? MAX_UNZIPPED_BYTES;
  const dest = path.resolve(destDir);
  const refuse = (why: string) => new Error(`Refusing to extract ${zipFile}: ${why}`);
  await mkdir(dest, { recursive: true });
  const zip = await openZip(zipFile, { lazyEntries: true, strictFileNames: true, autoClose: false });
  try {
    const entries: Entry[] = [];
    let declared = 0;
    for await (const entry of zip.eachEntry()) {
      entries.push(entry);
      if (!entry.fileName.endsWith('/')) declared += entry.uncompressedSize;
    }
    if (declared > maxBytes) {
      throw refuse(
        `its central directory declares ${declared.toLocaleString('en-US')} bytes unzipped, over the ` +
          `${maxBytes.toLocaleString('en-US')} bytes Lambda allows for a function and its layers; nothing was extracted.`,
      );
    }
    const budget = { left: maxBytes };
    // One entry after the other, so a lying entry stops the extraction there; folders made once.
    const folders = new Set<string>([dest]);
    const hashes = new Map<string, string>();
    for (const entry of entries) await extractEntry(zip, entry, dest, { budget, folders, hashes }, refuse);
    return hashes;
  } catch (err) {
    if (err instanceof Error && UNSAFE_NAME.test(err.message)) {
      throw refuse(`unsafe entry name, it would escape ${dest} (zip-slip): ${err.message}`);
    }
    throw err;
  } finally {
    zip.close();
  }
}

async function extractEntry(
  zip: ZipFile,
  entry: Entry,
  dest: string,
  {
    budget,
    folders,
    hashes,
  }: { budget: { left: number }; folders: Set<string>; hashes: Map<string, string> },
  refuse: (why: string) => Error,
): Promise<void> {
  const target = path.resolve(dest, entry.fileName);
  if (!isInside(dest, target)) {
    throw refuse(`entry ${JSON.stringify(entry.fileName)} would be written outside ${dest} (zip-slip).`);
  }
  const mode = entry.externalFileAttributes >>> 16;
  const folder = async (dir: string): Promise<void> => {
    if (folders.has(dir)) return;
    await mkdir(dir, { recursive: true });
    folders.add(dir);
  };
  if (entry.fileName.endsWith('/')) return folder(target);
  if ((mode & fsConstants.S_IFMT) === fsConstants.S_IFLNK) {
    throw refuse(`entry ${JSON.stringify(entry.fileName)} is a symbolic link.`);
  }
  const fileMode = mode & 0o111 ? 0o755 : 0o644;
  await folder(path.dirname(target));
  const allowed = Math.min(entry.uncompressedSize, budget.left);
  budget.left -= allowed;
  const hash = createHash('sha256');
  const lies = (): Error =>
    refuse(
      `entry ${JSON.stringify(entry.fileName)} inflates to more than the ${entry.uncompressedSize} bytes its ` +
        'central directory declares (a zip bomb?); extraction stopped there.',
    );
  try {
    await pipeline(
      await zip.openReadStreamPromise(entry),
      byteLimit(allowed, lies),
      // Hashed on the way to disk: summarizeTree need not read the file again.
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          callback(null, chunk);
        },
      }),
      createWriteStream(target, { flags: 'wx', mode: fileMode }),
    );
    hashes.set(path.relative(dest, target).split(path.sep).join('/'), hash.digest('hex'));
  } catch (err) {
    throw err instanceof Error && TOO_MANY_BYTES.test(err.message) ? lies() : err;
  }
  await chmod(target, fileMode); // the umask may have cleared bits at creation
}

/**
 * Passes at most `max` bytes through and fails with `tooMany()` on the chunk that would pass it, before
 * that chunk is written. (yauzl checks each entry against its declared size too; this also holds the
 * total, and does not depend on how a library reads the central directory.)
 */
export function byteLimit(max: number, tooMany: () => Error): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) callback(tooMany());
      else callback(null, chunk);
    },
  });
}

// ---- reading zips ---------------------------------------------------------------------------------

/*
 * yauzl over a local file, with its small reads served from memory. yauzl reads the central directory
 * one entry at a time (46 bytes, then the name and extra fields) and each entry's local header before
 * its data; over a plain file descriptor every one of those reads is a trip through libuv's threadpool.
 * For a zip of 20,000 small files that meant 40,000 trips just to list it. Here each small read is
 * answered from a 64 KiB chunk read once (the last 32 are kept), so listing a zip costs about what
 * reading its central directory costs. Entry data is still streamed straight from the file.
 */
/** Bytes read at once for a small read that misses; a larger read goes to the file directly. */
const READ_CHUNK = 64 << 10;
/** Chunks kept; the least recently used is dropped first. */
const READ_CHUNKS = 32;

interface Chunk {
  readonly start: number;
  readonly data: Buffer;
}

class ChunkedFileReader extends RandomAccessReader {
  /** Most recently used last. */
  private readonly chunks: Chunk[] = [];

  private readonly fd: number;
  private readonly size: number;

  // Plain fields, not parameter properties: this file also runs under Node's type stripping.
  constructor(fd: number, size: number) {
    super();
    this.fd = fd;
    this.size = size;
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | null) => void,
  ): void {
    const at = this.chunks.findIndex(
      ({ start, data }) => position >= start && position + length <= start + data.length,
    );
    if (at >= 0) {
      const [{ start, data }] = this.chunks.splice(at, 1) as [Chunk];
      this.chunks.push({ start, data });
      data.copy(buffer, offset, position - start, position - start + length);
      callback(null);
      return;
    }
    if (length > READ_CHUNK) {
      readFully(this.fd, buffer, offset, length, position, callback);
      return;
    }
    const data = Buffer.allocUnsafe(Math.max(length, Math.min(READ_CHUNK, this.size - position)));
    readFully(this.fd, data, 0, data.length, position, (error) => {
      if (error) return callback(error);
      this.chunks.push({ start: position, data });
      if (this.chunks.length > READ_CHUNKS) this.chunks.shift();
      data.copy(buffer, offset, 0, length);
      callback(null);
    });
  }

  /** Entry data, read from the shared descriptor (an fs.ReadStream would close it when destroyed). */
  override _readStreamForRange(start: number, end: number): Readable {
    const fd = this.fd;
    let position = start;
    return new Readable({
      highWaterMark: READ_CHUNK,
      read(size) {
        const length = Math.min(size, end - position);
        if (length <= 0) {
          this.push(null);
          return;
        }
        const buffer = Buffer.allocUnsafe(length);
        readFd(fd, buffer, 0, length, position, (error, bytes) => {
          if (error) return this.destroy(error);
          if (bytes === 0) return this.destroy(new Error('unexpected end of the zip file'));
          position += bytes;
          this.push(buffer.subarray(0, bytes));
        });
      },
    });
  }

  override close(callback: (err: Error | null) => void): void {
    closeFd(this.fd, (error) => callback(error ?? null));
  }
}

/** fs.read until `length` bytes are in, or an error (a file that ends early is one). */
function readFully(
  fd: number,
  buffer: Buffer,
  offset: number,
  length: number,
  position: number,
  callback: (err: Error | null) => void,
): void {
  readFd(fd, buffer, offset, length, position, (error, bytes) => {
    if (error) return callback(error);
    if (bytes === 0 && length > 0) return callback(new Error('unexpected end of the zip file'));
    if (bytes < length)
      return readFully(fd, buffer, offset + bytes, length - bytes, position + bytes, callback);
    callback(null);
  });
}

/** yauzl's `open` (the same options and defaults), with the reads above. */
export async function openZip(file: string, options: ZipOptions = {}): Promise<ZipFile> {
  const fd = await promisify(openFd)(file, 'r');
  try {
    const { size } = await promisify(fstatFd)(fd);
    const reader = new ChunkedFileReader(fd, size);
    return await fromRandomAccessReaderPromise(reader, size, options);
  } catch (error) {
    closeFd(fd, () => undefined);
    throw error;
  }
}
