import yauzl from 'yauzl';
import type { Blob } from './blobs.js';

/**
 * The unzipped size of a zip as Lambda counts it against its 262,144,000-byte limit, read from the
 * central directory (entry sizes as declared; nothing is inflated). Undefined when it is not a zip.
 */
export async function unzippedSize(blob: Blob): Promise<number | undefined> {
  try {
    const zip = blob.data
      ? await yauzl.fromBufferPromise(blob.data, { lazyEntries: true })
      : await yauzl.openPromise(blob.path, { lazyEntries: true });
    return await new Promise<number>((resolve, reject) => {
      let total = 0;
      zip.on('entry', (entry: yauzl.Entry) => {
        total += entry.uncompressedSize;
        zip.readEntry();
      });
      zip.once('end', () => {
        zip.close();
        resolve(total);
      });
      zip.once('error', reject);
      zip.readEntry();
    });
  } catch {
    return undefined;
  }
}
