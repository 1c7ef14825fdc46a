/**
 * The ledger: a few facts saved beside each download cache, as a tiny cache entry of its own, so a
 * later run can weigh the restore before paying for it. It says how big the cache is, how fast the
 * build that saved it downloaded from the package index, and how fast the last restore ran.
 */

/** Bytes moved in seconds. */
export interface Transfer {
  readonly bytes: number;
  readonly seconds: number;
}

export interface Ledger {
  /** The cache entry this ledger describes. */
  readonly key: string;
  /** What the cache folder holds. */
  readonly bytes: number;
  /** The build that saved it: what it downloaded, from its container's start to its last download. */
  readonly download?: Transfer;
  /** The last restore measured (download from the cache service and extraction). */
  readonly restore?: Transfer;
}

/** Rates below this many bytes or seconds are noise, not a measurement. */
const MIN_BYTES = 1_000_000;
const MIN_SECONDS = 0.05;

const rate = (transfer: Transfer | undefined): number | undefined =>
  transfer && transfer.bytes >= MIN_BYTES && transfer.seconds >= MIN_SECONDS
    ? transfer.bytes / transfer.seconds
    : undefined;

export const mbps = (bytesPerSecond: number): string => `${(bytesPerSecond / 1e6).toFixed(0)} MB/s`;
export const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Why restoring the cache this ledger describes would cost more than downloading its files again, or
 * undefined when it pays (or nothing is known yet: then the restore itself is the measurement). At
 * best the build reuses every file of the cache, so the restore pays only when the cache service is
 * faster than the package index was.
 */
export function restoreCostsMore(ledger: Ledger): string | undefined {
  const restoreRate = rate(ledger.restore);
  const downloadRate = rate(ledger.download);
  if (restoreRate === undefined || downloadRate === undefined) return undefined;
  const restoreSeconds = ledger.bytes / restoreRate;
  const downloadSeconds = ledger.bytes / downloadRate;
  if (restoreSeconds <= downloadSeconds) return undefined;
  return (
    `restoring ${megabytes(ledger.bytes)} would take about ${restoreSeconds.toFixed(1)} s ` +
    `(the last restore ran at ${mbps(restoreRate)}), more than downloading all of it again ` +
    `(about ${downloadSeconds.toFixed(1)} s at the ${mbps(downloadRate)} the last build downloaded at)`
  );
}

/** A ledger read back from its file; undefined when it is not one. */
export function parseLedger(text: string): Ledger | undefined {
  try {
    const value = JSON.parse(text) as Partial<Ledger>;
    if (typeof value.key !== 'string' || typeof value.bytes !== 'number') return undefined;
    const transfer = (t: unknown): Transfer | undefined =>
      t && typeof t === 'object' && typeof (t as Transfer).bytes === 'number'
        ? { bytes: (t as Transfer).bytes, seconds: Number((t as Transfer).seconds) }
        : undefined;
    const download = transfer(value.download);
    const restore = transfer(value.restore);
    return {
      key: value.key,
      bytes: value.bytes,
      ...(download ? { download } : {}),
      ...(restore ? { restore } : {}),
    };
  } catch {
    return undefined;
  }
}
