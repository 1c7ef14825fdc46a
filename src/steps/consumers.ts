/**
 * Which functions of a region the roll-out moves: every function whose Layers hold a version of exactly
 * this layer (or the listed functions), minus those the filter, the runtimes or the architecture leave
 * out, and minus those Lambda cannot update (container images, functions in State Failed).
 */
import { paginateListFunctions, type FunctionConfiguration, type LambdaClient } from '@aws-sdk/client-lambda';
import { isVersionOf, parseLayerVersionArn } from '../aws/arn.js';
import { compileFilter, type FunctionFilter } from '../glob.js';
import type { FunctionSelection, Inputs } from '../inputs/index.js';
import { lookUpFunctions, namesIn, type LookUp } from '../look-ups/functions.js';
import type { PublishedLayer } from './publish.js';

export type ConsumerInputs = Pick<
  Inputs,
  'functions' | 'functionFilter' | 'compatibleRuntimes' | 'architecture'
>;

export interface SkippedFunction {
  readonly account?: string;
  readonly region: string;
  readonly functionName: string;
  readonly fromVersion?: number;
  readonly reason: string;
}

export interface Discovery {
  readonly layer: PublishedLayer;
  readonly consumers: FunctionConfiguration[];
  /** Functions found but not updated, with the reason. */
  readonly skipped: SkippedFunction[];
  /** Listed names that do not exist in this region. */
  readonly notFound: string[];
  readonly scanned: number;
}

export async function findConsumers(
  lambda: LambdaClient,
  inputs: ConsumerInputs,
  layer: PublishedLayer,
  account?: string,
  known?: LookUp,
): Promise<Discovery> {
  const { candidates, notFound, scanned } =
    inputs.functions.mode === 'list'
      ? await readListed(lambda, inputs.functions, layer.region, account, known)
      : await scanAll(lambda, layer.layerArn);
  const consumers: FunctionConfiguration[] = [];
  const skipped: SkippedFunction[] = [];
  for (const fn of candidates) {
    if (!matchesFilter(fn.FunctionName!, inputs.functionFilter)) continue;
    const reason = whyNotMoved(fn, inputs, layer.layerArn);
    if (reason) {
      skipped.push({
        ...(account ? { account } : {}),
        region: layer.region,
        functionName: fn.FunctionName!,
        fromVersion: versionIn(fn, layer.layerArn),
        reason,
      });
    } else consumers.push(fn);
  }
  return { layer, consumers, skipped, notFound, scanned };
}

function whyNotMoved(
  fn: FunctionConfiguration,
  inputs: ConsumerInputs,
  layerArn: string,
): string | undefined {
  if (fn.PackageType === 'Image') return 'a container-image function cannot use layers';
  if (entryIndex(fn, layerArn) < 0) return 'does not use this layer';
  if (fn.State === 'Failed') {
    return `Lambda reports State Failed (${fn.StateReasonCode ?? 'no code'}: ${fn.StateReason ?? 'no reason'}); fix the function first`;
  }
  if (fn.Runtime && !inputs.compatibleRuntimes.includes(fn.Runtime)) {
    return `runtime ${fn.Runtime} is not among the layer's compatible runtimes (${inputs.compatibleRuntimes.join(', ')})`;
  }
  const architecture = fn.Architectures?.[0] ?? 'x86_64';
  if (architecture !== inputs.architecture) {
    return `architecture ${architecture} does not match the layer's ${inputs.architecture}`;
  }
  return undefined;
}

/**
 * Parallel GetFunction calls, raced by one listing for a long list (src/look-ups/functions.ts), unless the
 * preflight already looked them up (`known`).
 */
async function readListed(
  lambda: LambdaClient,
  selection: Extract<FunctionSelection, { mode: 'list' }>,
  region: string,
  account: string | undefined,
  known: LookUp | undefined,
): Promise<{ candidates: FunctionConfiguration[]; notFound: string[]; scanned: number }> {
  const { found, missing, scanned } =
    known ?? (await lookUpFunctions(lambda, namesIn(selection, region, account)));
  return { candidates: found, notFound: missing, scanned };
}

async function scanAll(
  lambda: LambdaClient,
  layerArn: string,
): Promise<{ candidates: FunctionConfiguration[]; notFound: string[]; scanned: number }> {
  const candidates: FunctionConfiguration[] = [];
  let scanned = 0;
  // ListFunctions returns each configuration with its Layers and RevisionId: no read per function needed.
  for await (const page of paginateListFunctions({ client: lambda, pageSize: 50 }, {})) {
    scanned += page.Functions?.length ?? 0;
    candidates.push(...(page.Functions ?? []).filter((fn) => entryIndex(fn, layerArn) >= 0));
  }
  return { candidates, notFound: [], scanned };
}

export function entryIndex(fn: FunctionConfiguration, layerArn: string): number {
  return (fn.Layers ?? []).findIndex((layer) => layer.Arn !== undefined && isVersionOf(layer.Arn, layerArn));
}

/** The version of `layerArn` that `fn` uses, if any. */
export function versionIn(fn: FunctionConfiguration, layerArn: string): number | undefined {
  const entry = fn.Layers?.[entryIndex(fn, layerArn)]?.Arn;
  return entry ? parseLayerVersionArn(entry)?.version : undefined;
}

/** Shell globs (src/glob.ts): `*`, `?`, `[a-z]`, `[!x]`; a leading `!` excludes. Validated in getInputs. */
function matchesFilter(name: string, globs: readonly string[]): boolean {
  let filter = compiledFilters.get(globs);
  if (!filter) compiledFilters.set(globs, (filter = compileFilter(globs)));
  return filter.matches(name);
}
const compiledFilters = new WeakMap<readonly string[], FunctionFilter>();
