/**
 * Finds the functions a `functions:` list names, in one region, as fast as Lambda's quotas allow.
 *
 * GetFunction has its own quota (100 req/s; the client paces at 90), so a short list is read with
 * GetFunction calls in parallel. A long list would take (names ÷ 90) seconds that way: 1,000 names, 11 s.
 * ListFunctions returns 50 configurations per call at 15 calls/s (750 functions a second), which is
 * faster unless the region holds many more functions than the list names, and how many it holds is not
 * known in advance. So past LIST_THRESHOLD names both run at once, each in its own quota, and the first
 * to finish answers (the other is aborted); if one of them is not allowed (no lambda:ListFunctions in
 * the role), the other still answers.
 * Either way the answer is the configuration of each function found and the names not found.
 * Read only: the preflight (src/preflight/reach.ts) and the roll-out's discovery (src/steps/consumers.ts)
 * both ask through here.
 */
import {
  GetFunctionCommand,
  ListFunctionsCommand,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import pLimit from 'p-limit';
import type { FunctionSelection } from '../inputs/index.js';

/** About one second of GetFunction quota: more names than this are found faster by listing. */
export const LIST_THRESHOLD = 90;
/** GetFunction calls in flight at once; the client's pacing keeps them under the quota. */
const PARALLEL_LOOK_UPS = 25;

export interface LookUp {
  readonly found: FunctionConfiguration[];
  readonly missing: string[];
  /** How many functions were read to answer. */
  readonly scanned: number;
}

/** Listed functions as found before the first write (src/preflight/reach.ts), by lookUpKey(role, region). */
export type FunctionLookUps = ReadonlyMap<string, LookUp>;

export const lookUpKey = (role: string | undefined, region: string): string => `${role ?? ''} ${region}`;

/** Listed names apply to every account and region; a function ARN only to its own. */
export function namesIn(
  selection: Extract<FunctionSelection, { mode: 'list' }>,
  region: string,
  account?: string,
): string[] {
  return selection.names.filter((name) => {
    if (!name.startsWith('arn:')) return true;
    const [, , , arnRegion, arnAccount] = name.split(':');
    return arnRegion === region && (account === undefined || arnAccount === account);
  });
}

/** `names` are function names or ARNs of this region; `found` keeps their order. */
export async function lookUpFunctions(lambda: LambdaClient, names: readonly string[]): Promise<LookUp> {
  if (names.length <= LIST_THRESHOLD) return byGetFunction(lambda, names);
  const race = new AbortController();
  try {
    return await Promise.any([
      byGetFunction(lambda, names, race.signal),
      byListing(lambda, names, race.signal),
    ]);
  } catch (error) {
    // Both failed: GetFunction's error says the most about the names.
    throw error instanceof AggregateError ? error.errors[0] : error;
  } finally {
    race.abort();
  }
}

async function byGetFunction(
  lambda: LambdaClient,
  names: readonly string[],
  abortSignal?: AbortSignal,
): Promise<LookUp> {
  const limit = pLimit(PARALLEL_LOOK_UPS);
  const results = await Promise.all(
    names.map((name) =>
      limit(async () => {
        abortSignal?.throwIfAborted();
        try {
          const command = new GetFunctionCommand({ FunctionName: name });
          return (await lambda.send(command, abortSignal ? { abortSignal } : {})).Configuration!;
        } catch (error) {
          if ((error as Error).name !== 'ResourceNotFoundException') throw error;
          return undefined;
        }
      }),
    ),
  );
  return {
    found: results.filter((fn): fn is FunctionConfiguration => fn !== undefined),
    missing: names.filter((_, index) => results[index] === undefined),
    scanned: names.length,
  };
}

async function byListing(
  lambda: LambdaClient,
  names: readonly string[],
  abortSignal: AbortSignal,
): Promise<LookUp> {
  const byName = new Map<string, FunctionConfiguration>();
  let marker: string | undefined;
  do {
    // Page by page (not the SDK's paginator), so that the losing side of the race stops at once.
    const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 50, Marker: marker }), {
      abortSignal,
    });
    for (const fn of page.Functions ?? []) byName.set(fn.FunctionName!, fn);
    marker = page.NextMarker || undefined;
  } while (marker !== undefined);
  // An ARN names a function of this region and account (checked before the run): its last field is the name.
  const nameOf = (name: string): string => name.slice(name.lastIndexOf(':') + 1);
  return {
    found: names.map((name) => byName.get(nameOf(name))).filter((fn) => fn !== undefined),
    missing: names.filter((name) => !byName.has(nameOf(name))),
    scanned: byName.size,
  };
}
