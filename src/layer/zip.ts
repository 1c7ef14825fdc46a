/**
 * Deterministic layer zips: the same tree gives the same bytes (so the same CodeSha256), whatever the
 * file mtimes, creation order, umask or TZ. Entries are sorted by path (UTF-8 byte order), every
 * directory gets an entry (so empty directories survive), times are fixed, modes normalised to
 * 0644 / 0755 / dir 0755, and links inside the root are stored as what they point to.
 *
 * Everything streams, one entry at a time: yazl deflates in libuv's threadpool while the main thread
 * reads and hashes the next few small files, and the zip is hashed on its way to disk. yazl's only way
 * to deflate entries in parallel, addBuffer, keeps every compressed buffer until the zip is done, so it
 * is not used: memory stays at the read-ahead window whatever the layer size.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, constants as fsConstants } from 'node:fs';
import { chmod, lstat, mkdir, readFile, readdir, readlink, realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { openPromise as openZipFile } from 'yauzl';

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

const FILE_MODE = 0o100644;
const EXEC_MODE = 0o100755;
const DIR_MODE = 0o40755;
/** Files up to 1 MiB are read ahead whole, at most 16 at a time: 16 MiB held at most. */
const READ_AHEAD_FILES = 16;
const READ_AHEAD_MAX_SIZE = 1 << 20;

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
  options: { compressionLevel?: number } = {},
): Promise<ZipSummary> {
  const level = options.compressionLevel ?? 6;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new Error(`compressionLevel must be an integer from 0 to 9, got ${level}`);
  }
  const { rootReal, entries } = await walk(root);
  const fileCount = entries.filter((entry) => entry.type === 'file').length;
  if (fileCount === 0) throw new Error(`Layer root ${root} is empty: it contains no files to zip.`);
  const file = path.resolve(outFile);
  if (isInside(rootReal, path.join(await realpath(path.dirname(file)), path.basename(file)))) {
    throw new Error(`The zip ${file} must be written outside the layer root ${root}.`);
  }

  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  zip.on('error', (err: Error) => output.destroy(err));
  const zipHash = createHash('sha256');
  let zipSize = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      zipHash.update(chunk);
      zipSize += chunk.length;
      done(null, chunk);
    },
  });
  const contentHashes = new Map<string, string>();
  const written = pipeline(output, tee, createWriteStream(file));
  try {
    addEntries(zip, entries, level, contentHashes);
    await written;
  } catch (err) {
    output.destroy();
    await written.catch(() => {});
    await rm(file, { force: true });
    throw err;
  }

  const treeHash = createHash('sha256');
  for (const entry of entries) treeHash.update(treeLine(entry, contentHashes.get(entry.path)));
  return {
    file,
    zipSize,
    unzippedSize: entries.reduce((sum, entry) => sum + entry.size, 0),
    fileCount,
    codeSha256: zipHash.digest('base64'),
    treeHash: treeHash.digest('hex'),
  };
}

/**
 * One line per entry: `<content sha256 hex> <644|755> <JSON path>` for a file, `dir 755 <JSON path>` for
 * a directory. Directories are included because empty ones are part of the zip too.
 */
function treeLine(entry: TreeEntry, sha256 = ''): string {
  const path = JSON.stringify(entry.path);
  return entry.type === 'dir' ? `dir 755 ${path}\n` : `${sha256} ${entry.executable ? 755 : 644} ${path}\n`;
}

/**
 * Adds every entry up front (lazily: yazl asks for a file's data only when it is that entry's turn), so
 * at most the read-ahead window is in memory. yazl deflates one entry at a time; reading the next small
 * files ahead takes disk latency and hashing off that path.
 */
function addEntries(zip: ZipFile, entries: SourceEntry[], level: number, hashes: Map<string, string>): void {
  const readAhead = new ReadAhead(
    entries.filter((entry) => entry.type === 'file'),
    hashes,
  );
  let fileIndex = 0;
  for (const entry of entries) {
    // Built per entry: yazl turns it into DOS time from local components, so the encoded fields are
    // 1981-01-01 00:00 in every TZ. (1981, not 1980: yazl clamps to a 1980-01-01 it computed at load time.)
    const common = { mtime: new Date(1981, 0, 1), forceDosTimestamp: true };
    if (entry.type === 'dir') {
      zip.addEmptyDirectory(entry.path, { ...common, mode: DIR_MODE });
      continue;
    }
    const options = { ...common, mode: entry.executable ? EXEC_MODE : FILE_MODE, compressionLevel: level };
    const index = fileIndex++;
    zip.addReadStreamLazy(entry.path, { ...options, size: entry.size }, (callback) => {
      readAhead.open(index).then(
        (stream) => callback(null, stream),
        (err: unknown) => zip.emit('error', err),
      );
    });
  }
  zip.end();
}

/** Reads the next few small files (and hashes them) while yazl compresses the current one. */
class ReadAhead {
  private readonly files: SourceEntry[];
  private readonly hashes: Map<string, string>;
  private readonly pending = new Map<number, Promise<Buffer>>();

  constructor(files: SourceEntry[], hashes: Map<string, string>) {
    this.files = files;
    this.hashes = hashes;
  }

  /** The content of files[index] as a stream; yazl asks for them in order. */
  async open(index: number): Promise<Readable> {
    for (let next = index + 1; next <= index + READ_AHEAD_FILES && next < this.files.length; next += 1) {
      if (this.files[next]!.size <= READ_AHEAD_MAX_SIZE && !this.pending.has(next)) {
        const reading = this.read(this.files[next]!);
        reading.catch(() => {}); // a failed read is reported when its turn comes, if the zip gets that far
        this.pending.set(next, reading);
      }
    }
    const file = this.files[index]!;
    const ahead = this.pending.get(index);
    this.pending.delete(index);
    if (ahead) return Readable.from([await ahead], { objectMode: false });

    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
      flush: (done) => {
        this.hashes.set(file.path, hash.digest('hex'));
        done();
      },
    });
    return createReadStream(file.source)
      .on('error', (err) => hashing.destroy(err))
      .pipe(hashing);
  }

  private async read(file: SourceEntry): Promise<Buffer> {
    const data = await readFile(file.source);
    this.hashes.set(file.path, createHash('sha256').update(data).digest('hex'));
    return data;
  }
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
    for (const name of await readdir(dirReal)) {
      const relPath = dirPath ? `${dirPath}/${name}` : name;
      if (name.includes('\\')) {
        throw new Error(`${relPath}: a backslash in a name would read as a folder separator in a zip.`);
      }
      let source = path.join(dirReal, name);
      let stats = await lstat(source);
      if (stats.isSymbolicLink()) {
        const link = await resolveLink(rootReal, source, relPath);
        if (ancestors.includes(link)) {
          throw new Error(
            `Symlink ${relPath} -> ${await readlink(source)} makes a cycle (it points to its own parent).`,
          );
        }
        source = link;
        stats = await stat(source);
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

function isInside(dir: string, candidate: string): boolean {
  const relative = path.relative(dir, candidate);
  return relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** yauzl's own messages for names that are absolute, climb with `..`, or hold a backslash. */
const UNSAFE_NAME = /^(absolute path|invalid relative path|invalid characters in fileName): /;

/**
 * Extracts `zipFile` into `destDir` (created if needed; existing files are not overwritten), restoring
 * executable bits as 0755 / 0644. Refuses entries that would land outside `destDir` (zip-slip) and link entries.
 */
export async function extractZip(zipFile: string, destDir: string): Promise<void> {
  const dest = path.resolve(destDir);
  const refuse = (why: string) => new Error(`Refusing to extract ${zipFile}: ${why}`);
  await mkdir(dest, { recursive: true });
  const zip = await openZipFile(zipFile, { lazyEntries: true, strictFileNames: true });
  try {
    for await (const entry of zip.eachEntry()) {
      const target = path.resolve(dest, entry.fileName);
      if (!isInside(dest, target)) {
        throw refuse(`entry ${JSON.stringify(entry.fileName)} would be written outside ${dest} (zip-slip).`);
      }
      const mode = entry.externalFileAttributes >>> 16;
      if (entry.fileName.endsWith('/')) {
        await mkdir(target, { recursive: true });
        continue;
      }
      if ((mode & fsConstants.S_IFMT) === fsConstants.S_IFLNK) {
        throw refuse(`entry ${JSON.stringify(entry.fileName)} is a symbolic link.`);
      }
      const fileMode = mode & 0o111 ? 0o755 : 0o644;
      await mkdir(path.dirname(target), { recursive: true });
      await pipeline(
        await zip.openReadStreamPromise(entry),
        createWriteStream(target, { flags: 'wx', mode: fileMode }),
      );
      await chmod(target, fileMode); // the umask may have cleared bits at creation
    }
  } catch (err) {
    if (err instanceof Error && UNSAFE_NAME.test(err.message)) {
      throw refuse(`unsafe entry name, it would escape ${dest} (zip-slip): ${err.message}`);
    }
    throw err;
  }
}
