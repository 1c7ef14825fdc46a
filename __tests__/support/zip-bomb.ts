/**
 * Zips crafted by hand, for zip bomb tests and benchmarks: a central directory can declare any size, and
 * a deflate stream of zeros can be made far bigger than its bytes without deflating them.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface CraftedEntry {
  name: string;
  /** The deflated bytes stored in the zip. */
  data: Buffer;
  crc: number;
  /** What the local header and the central directory say the entry unzips to. */
  declaredSize: number;
}

/** A zip with the given entries, every one deflated, with the sizes it is told to declare. */
export function craftZip(entries: CraftedEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(1 << 11, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(entry.crc >>> 0, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(1 << 11, 8);
    record.writeUInt16LE(8, 10);
    record.writeUInt16LE(0x21, 14);
    record.writeUInt32LE(entry.crc >>> 0, 16);
    record.writeUInt32LE(entry.data.length, 20);
    record.writeUInt32LE(entry.declaredSize, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    record.writeUInt32LE(offset, 42);
    parts.push(local, name, entry.data);
    central.push(record, name);
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/**
 * `mb` MiB of zero bytes as one deflate stream, without deflating them all: 1 MiB of zeros deflated with
 * a sync flush (a literal 0, then matches at distance 1: valid after any zeros) repeated, then a final
 * empty block. About 1 KB per MiB.
 */
export function deflatedZeros(mb: number): { data: Buffer; crc: number } {
  const zeros = Buffer.alloc(1 << 20);
  const piece = deflateRawSync(zeros, { finishFlush: constants.Z_SYNC_FLUSH });
  let crc = 0;
  for (let i = 0; i < mb; i++) crc = crc32(zeros, crc);
  return { data: Buffer.concat([...Array<Buffer>(mb).fill(piece), deflateRawSync(Buffer.alloc(0))]), crc };
}
