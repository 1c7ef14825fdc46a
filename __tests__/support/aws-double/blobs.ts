import { createHash, randomUUID } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  type WriteStream,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { crc32 } from 'node:zlib';

/** Bytes held by the double: small ones in memory, big ones in a file under the double's temp dir. */
export type Blob =
  | { readonly size: number; readonly data: Buffer; readonly path?: undefined }
  | { readonly size: number; readonly path: string; readonly data?: undefined };

export interface Digests {
  md5Hex: string;
  sha256Base64: string;
  sha1Base64: string;
  crc32Base64: string;
}

export interface StoredBlob extends Digests {
  blob: Blob;
}

/** Where blobs spill to disk. One per double; removed on close. */
export class BlobStore {
  readonly dir = mkdtempSync(join(tmpdir(), 'aws-double-'));

  constructor(readonly spillAtBytes: number) {}

  /** Consumes `source`, hashing as it goes; keeps the bytes in memory up to `spillAtBytes`, then in a file. */
  async store(source: AsyncIterable<Buffer>): Promise<StoredBlob> {
    const md5 = createHash('md5');
    const sha256 = createHash('sha256');
    const sha1 = createHash('sha1');
    let crc = 0;
    let size = 0;
    let chunks: Buffer[] = [];
    let file: WriteStream | undefined;
    let path: string | undefined;
    for await (const chunk of source) {
      md5.update(chunk);
      sha256.update(chunk);
      sha1.update(chunk);
      crc = crc32(chunk, crc);
      size += chunk.length;
      if (file) {
        if (!file.write(chunk)) await new Promise<void>((resolve) => file?.once('drain', () => resolve()));
        continue;
      }
      chunks.push(chunk);
      if (size > this.spillAtBytes) {
        path = join(this.dir, randomUUID());
        file = createWriteStream(path);
        for (const c of chunks) file.write(c);
        chunks = [];
      }
    }
    let blob: Blob;
    if (file && path) {
      file.end();
      await finished(file);
      blob = { size, path };
    } else {
      blob = { size, data: Buffer.concat(chunks) };
    }
    return {
      blob,
      md5Hex: md5.digest('hex'),
      sha256Base64: sha256.digest('base64'),
      sha1Base64: sha1.digest('base64'),
      crc32Base64: crc32Base64(crc),
    };
  }

  fromBuffer(data: Buffer): StoredBlob {
    return {
      blob: { size: data.length, data },
      md5Hex: createHash('md5').update(data).digest('hex'),
      sha256Base64: createHash('sha256').update(data).digest('base64'),
      sha1Base64: createHash('sha1').update(data).digest('base64'),
      crc32Base64: crc32Base64(crc32(data)),
    };
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function crc32Base64(value: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b.toString('base64');
}

export function readBlob(blob: Blob): Buffer {
  return blob.data ?? readFileSync(blob.path);
}

export function blobStream(blob: Blob, range?: { start: number; end: number }): Readable {
  if (blob.data) {
    return Readable.from(range ? [blob.data.subarray(range.start, range.end + 1)] : [blob.data]);
  }
  return createReadStream(blob.path, range);
}

export async function* concatBlobs(blobs: readonly Blob[]): AsyncGenerator<Buffer> {
  for (const blob of blobs) {
    if (blob.data) yield blob.data;
    else for await (const chunk of createReadStream(blob.path)) yield chunk as Buffer;
  }
}
