/**
 * A small reader of what the dynamic loader needs from an ELF file: its machine, its DT_NEEDED
 * libraries, its soname, and the symbol versions it needs (.gnu.version_r) and defines (.gnu.version_d).
 *
 * Written here because none of the npm ELF readers (elfy, elf-tools, elfinfo, elf-cam) parses the
 * version sections, and all are unmaintained. It reads what the loader reads, through the program
 * headers (PT_DYNAMIC and the PT_LOAD segments that map addresses to file offsets), so a file whose
 * section headers were stripped is read all the same; it reads only those parts, never the whole file.
 */
import * as fs from 'node:fs/promises';

export const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/** e_machine values of the machines this action names in messages. */
export const EM = { i386: 3, arm: 40, x86_64: 62, aarch64: 183 } as const;

export type ElfType = 'relocatable' | 'executable' | 'shared' | 'core' | 'other';

export interface VersionNeed {
  /** The library the versions are needed from, e.g. `libc.so.6`. */
  readonly file: string;
  /** e.g. `GLIBC_2.27`, `GLIBCXX_3.4.26`. */
  readonly versions: readonly string[];
}

export interface ElfInfo {
  readonly machine: number;
  readonly bits: 32 | 64;
  readonly type: ElfType;
  /** PT_INTERP of an executable: its dynamic loader. */
  readonly interpreter?: string;
  readonly soname?: string;
  readonly needed: readonly string[];
  readonly versionNeeds: readonly VersionNeed[];
  /** Versions this file defines (a library's own version nodes). */
  readonly versionDefinitions: readonly string[];
  /** DT_RUNPATH, or DT_RPATH when there is none. */
  readonly runpath?: string;
}

export class ElfFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfFormatError';
  }
}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT = {
  NULL: 0,
  NEEDED: 1,
  STRTAB: 5,
  STRSZ: 10,
  SONAME: 14,
  RPATH: 15,
  RUNPATH: 29,
  VERDEF: 0x6ffffffc,
  VERDEFNUM: 0x6ffffffd,
  VERNEED: 0x6ffffffe,
  VERNEEDNUM: 0x6fffffff,
} as const;
const TYPES: Record<number, ElfType> = { 1: 'relocatable', 2: 'executable', 3: 'shared', 4: 'core' };
// Guards against a corrupt file sending the reader on a long walk.
const MAX_ENTRIES = 1 << 16;

/** True when the first bytes are the ELF magic. */
export function isElf(head: Uint8Array): boolean {
  return head.length >= 4 && ELF_MAGIC.equals(head.subarray(0, 4));
}

/** Reads the loader's view of an ELF file; undefined when the file is not ELF. */
export async function readElf(file: string): Promise<ElfInfo | undefined> {
  const handle = await fs.open(file, 'r');
  try {
    const read = async (offset: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      if (bytesRead < length) throw new ElfFormatError(`truncated at byte ${offset + bytesRead}`);
      return buffer;
    };
    const ident = Buffer.alloc(64);
    const { bytesRead } = await handle.read(ident, 0, 64, 0);
    if (!isElf(ident.subarray(0, bytesRead))) return undefined;
    return await parse(ident.subarray(0, bytesRead), read);
  } finally {
    await handle.close();
  }
}

type Reader = (offset: number, length: number) => Promise<Buffer>;

interface Fields {
  u16(buffer: Buffer, at: number): number;
  u32(buffer: Buffer, at: number): number;
  /** An address, offset or size: 4 bytes in ELF32, 8 in ELF64. */
  word(buffer: Buffer, at: number): number;
}

function fields(bits: 32 | 64, little: boolean): Fields {
  return {
    u16: (b, at) => (little ? b.readUInt16LE(at) : b.readUInt16BE(at)),
    u32: (b, at) => (little ? b.readUInt32LE(at) : b.readUInt32BE(at)),
    word:
      bits === 32
        ? (b, at) => (little ? b.readUInt32LE(at) : b.readUInt32BE(at))
        : (b, at) => Number(little ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at)),
  };
}

interface Segment {
  readonly type: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
}

interface Header {
  readonly bits: 32 | 64;
  readonly f: Fields;
  readonly base: Pick<ElfInfo, 'machine' | 'bits' | 'type'>;
  /** The program header table: its offset, entry size and entry count. */
  readonly phoff: number;
  readonly phentsize: number;
  readonly phnum: number;
}

/** The ELF header: class (32/64 bits), byte order, type, machine and where the program headers are. */
function parseHeader(header: Buffer): Header {
  if (header.length < 52) throw new ElfFormatError('truncated ELF header');
  const bits = header[4] === 1 ? 32 : header[4] === 2 ? 64 : undefined;
  const little = header[5] === 1 ? true : header[5] === 2 ? false : undefined;
  if (bits === undefined || little === undefined)
    throw new ElfFormatError('unknown ELF class or data encoding');
  const f = fields(bits, little);
  return {
    bits,
    f,
    base: { machine: f.u16(header, 18), bits, type: TYPES[f.u16(header, 16)] ?? 'other' },
    phoff: f.word(header, bits === 64 ? 32 : 28),
    phentsize: f.u16(header, bits === 64 ? 54 : 42),
    phnum: f.u16(header, bits === 64 ? 56 : 44),
  };
}

/** The program header table: each segment's type and where it is in the file and in memory. */
async function readSegments({ bits, f, phoff, phentsize, phnum }: Header, read: Reader): Promise<Segment[]> {
  const table = await read(phoff, phentsize * phnum);
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = i * phentsize;
    segments.push(
      bits === 64
        ? {
            type: f.u32(table, at),
            offset: f.word(table, at + 8),
            vaddr: f.word(table, at + 16),
            filesz: f.word(table, at + 32),
          }
        : {
            type: f.u32(table, at),
            offset: f.word(table, at + 4),
            vaddr: f.word(table, at + 8),
            filesz: f.word(table, at + 16),
          },
    );
  }
  return segments;
}

/** The dynamic section: tag/value pairs up to DT_NULL. */
async function readDynamic({ bits, f }: Header, segment: Segment, read: Reader): Promise<[number, number][]> {
  const dynamic = await read(segment.offset, segment.filesz);
  const entrySize = bits === 64 ? 16 : 8;
  const entries: [number, number][] = [];
  for (let at = 0; at + entrySize <= dynamic.length; at += entrySize) {
    const tag = f.word(dynamic, at);
    if (tag === DT.NULL) break;
    entries.push([tag, f.word(dynamic, at + entrySize / 2)]);
  }
  return entries;
}

/** Dynamic entries hold addresses; the PT_LOAD segment that maps one gives its place in the file. */
function fileOffsets(segments: readonly Segment[]): (address: number) => number {
  return (address) => {
    const load = segments.find(
      (s) => s.type === PT_LOAD && address >= s.vaddr && address < s.vaddr + s.filesz,
    );
    if (!load) throw new ElfFormatError(`address 0x${address.toString(16)} is in no loaded segment`);
    return load.offset + (address - load.vaddr);
  };
}

async function parse(headerBytes: Buffer, read: Reader): Promise<ElfInfo> {
  const header = parseHeader(headerBytes);
  const { base, f } = header;
  const empty = { needed: [], versionNeeds: [], versionDefinitions: [] };
  if (header.phnum === 0) return { ...base, ...empty };

  const segments = await readSegments(header, read);
  const interp = segments.find((s) => s.type === PT_INTERP);
  const interpreter = interp ? cString(await read(interp.offset, interp.filesz), 0) : undefined;
  const dynamicSegment = segments.find((s) => s.type === PT_DYNAMIC);
  if (!dynamicSegment) return { ...base, ...empty, ...(interpreter ? { interpreter } : {}) };

  const entries = await readDynamic(header, dynamicSegment, read);
  const value = (tag: number): number | undefined => entries.find(([t]) => t === tag)?.[1];
  const fileOffset = fileOffsets(segments);
  const strtab = value(DT.STRTAB);
  const strsz = value(DT.STRSZ);
  if (strtab === undefined || strsz === undefined) return { ...base, ...empty };
  const strings = await read(fileOffset(strtab), strsz);
  const string = (offset: number): string => {
    if (offset >= strings.length) throw new ElfFormatError(`string offset ${offset} beyond DT_STRSZ`);
    return cString(strings, offset);
  };

  const soname = value(DT.SONAME);
  const runpath = value(DT.RUNPATH) ?? value(DT.RPATH);
  return {
    ...base,
    ...(interpreter ? { interpreter } : {}),
    ...(soname !== undefined ? { soname: string(soname) } : {}),
    ...(runpath !== undefined ? { runpath: string(runpath) } : {}),
    needed: entries.filter(([tag]) => tag === DT.NEEDED).map(([, offset]) => string(offset)),
    versionNeeds: await versionNeeds(value(DT.VERNEED), value(DT.VERNEEDNUM), f, read, fileOffset, string),
    versionDefinitions: await versionDefinitions(
      value(DT.VERDEF),
      value(DT.VERDEFNUM),
      f,
      read,
      fileOffset,
      string,
    ),
  };
}

/** Elf_Verneed (16 bytes) → its Elf_Vernaux entries (16 bytes each); the same in ELF32 and ELF64. */
async function versionNeeds(
  address: number | undefined,
  count: number | undefined,
  f: Fields,
  read: Reader,
  fileOffset: (address: number) => number,
  string: (offset: number) => string,
): Promise<VersionNeed[]> {
  if (address === undefined || !count) return [];
  const needs: VersionNeed[] = [];
  let at = fileOffset(address);
  for (let i = 0; i < Math.min(count, MAX_ENTRIES); i++) {
    const need = await read(at, 16);
    const [cnt, file, aux, next] = [f.u16(need, 2), f.u32(need, 4), f.u32(need, 8), f.u32(need, 12)];
    const versions: string[] = [];
    let auxAt = at + aux;
    for (let j = 0; j < Math.min(cnt, MAX_ENTRIES); j++) {
      const entry = await read(auxAt, 16);
      versions.push(string(f.u32(entry, 8)));
      const auxNext = f.u32(entry, 12);
      if (auxNext === 0) break;
      auxAt += auxNext;
    }
    needs.push({ file: string(file), versions });
    if (next === 0) break;
    at += next;
  }
  return needs;
}

/** Elf_Verdef (20 bytes) → its first Elf_Verdaux (8 bytes), which names the version it defines. */
async function versionDefinitions(
  address: number | undefined,
  count: number | undefined,
  f: Fields,
  read: Reader,
  fileOffset: (address: number) => number,
  string: (offset: number) => string,
): Promise<string[]> {
  if (address === undefined || !count) return [];
  const names: string[] = [];
  let at = fileOffset(address);
  for (let i = 0; i < Math.min(count, MAX_ENTRIES); i++) {
    const definition = await read(at, 20);
    const [cnt, aux, next] = [f.u16(definition, 6), f.u32(definition, 12), f.u32(definition, 16)];
    if (cnt > 0) names.push(string(f.u32(await read(at + aux, 8), 0)));
    if (next === 0) break;
    at += next;
  }
  return names;
}

function cString(buffer: Buffer, offset: number): string {
  const end = buffer.indexOf(0, offset);
  return buffer.toString('utf8', offset, end < 0 ? buffer.length : end);
}
