/**
 * Work done once per region, where one region's failure must not hide what happened in the others:
 * every region is tried, and the results and the failures come back side by side.
 */
import pLimit from 'p-limit';

export interface RegionFailure {
  readonly region: string;
  readonly error: string;
}

export interface RegionOutcomes<T> {
  readonly results: T[];
  readonly failures: RegionFailure[];
}

export async function inEachRegion<T>(
  regions: readonly string[],
  work: (region: string) => Promise<T>,
  options: { concurrency?: number; explain?: (error: unknown, region: string) => string } = {},
): Promise<RegionOutcomes<T>> {
  const limit = pLimit(Math.max(1, options.concurrency ?? regions.length));
  const explain = options.explain ?? describeError;
  const settled = await Promise.allSettled(regions.map((region) => limit(() => work(region))));
  const results: T[] = [];
  const failures: RegionFailure[] = [];
  settled.forEach((outcome, index) => {
    const region = regions[index]!;
    if (outcome.status === 'fulfilled') results.push(outcome.value);
    else failures.push({ region, error: explain(outcome.reason, region) });
  });
  return { results, failures };
}

/** `ResourceConflictException: …` for an AWS error, the bare message for a plain Error. */
export function describeError(error: unknown): string {
  const e = error as Error;
  return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
}
