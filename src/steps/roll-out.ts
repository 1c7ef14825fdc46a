/**
 * Roll-out step: moves every function that uses this layer to the new version.
 *
 * Per function: replace only this layer's entry, in place (other layers and their order stay), with
 * the RevisionId read just before (a concurrent change makes Lambda answer 412: re-read, re-apply, the
 * other change survives), wait while another update is in progress (409), then wait until Lambda
 * reports the update Successful. Functions run `max-parallel` at a time; the Lambda client paces
 * every call under the account's quotas (src/aws/clients.ts).
 */
import * as core from '@actions/core';
import {
  GetFunctionCommand,
  paginateListFunctions,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import pLimit from 'p-limit';
import { isVersionOf, parseLayerVersionArn } from '../aws/arn.js';
import { describeError } from '../aws/regions.js';
import type { Deps } from '../deps.js';
import { compileFilter, type FunctionFilter } from '../glob.js';
import type { FunctionSelection, Inputs } from '../inputs.js';
import { moveAliases, restoreAliases, type AliasMove } from './aliases.js';
import { lookUpFunctions } from './look-up.js';
import type { PublishedLayer } from './publish.js';

export type FunctionStatus =
  'updated' | 'unchanged' | 'planned' | 'skipped' | 'failed' | 'rolled-back' | 'not-started';

export interface FunctionOutcome {
  readonly region: string;
  readonly functionName: string;
  readonly status: FunctionStatus;
  /** Version of this layer the function had before (undefined when it had none). */
  readonly fromVersion?: number;
  readonly toVersion: number;
  readonly layersBefore?: readonly string[];
  readonly layersAfter?: readonly string[];
  readonly seconds?: number;
  readonly reason?: string;
  /** update-aliases: what happened to the function's aliases. */
  readonly aliases?: readonly AliasMove[];
}

export interface RolloutResult {
  readonly functions: readonly FunctionOutcome[];
  /** How many functions each region scanned to find the consumers. */
  readonly scanned: Readonly<Record<string, number>>;
}

type RolloutInputs = Pick<
  Inputs,
  | 'functions'
  | 'functionFilter'
  | 'maxParallel'
  | 'onFailure'
  | 'wait'
  | 'dryRun'
  | 'compatibleRuntimes'
  | 'architecture'
  | 'canary'
  | 'canaryWait'
  | 'updateAliases'
>;

/** Attempts at one function when other writers keep changing it (412) or keep it busy (409). */
const MAX_ATTEMPTS = 8;
/** How long to wait for Lambda to finish one function's update. */
const MAX_WAIT_SECONDS = 600;

export class RolloutError extends Error {
  constructor(readonly result: RolloutResult) {
    const failed = result.functions.filter((f) => f.status === 'failed');
    super(
      `Roll-out failed for ${failed.length} function(s):\n` +
        failed.map((f) => `  ${f.functionName} (${f.region}): ${f.reason}`).join('\n'),
    );
    this.name = 'RolloutError';
  }
}

export async function rollOut(
  inputs: RolloutInputs,
  layers: readonly PublishedLayer[],
  deps: Pick<Deps, 'lambda' | 'now' | 'sleep'>,
): Promise<RolloutResult> {
  const functions: FunctionOutcome[] = [];
  const scanned: Record<string, number> = {};
  for (const layer of layers) {
    const lambda = deps.lambda(layer.region);
    const found = await findConsumers(lambda, inputs, layer);
    scanned[layer.region] = found.scanned;
    functions.push(...found.skipped);
    core.info(
      `${layer.region}: ${found.consumers.length} function(s) to move to version ${layer.version} ` +
        `(${found.scanned} scanned, ${found.skipped.length} skipped)`,
    );
    functions.push(...(await updateAll(lambda, inputs, layer, found.consumers, deps)));
  }
  // A listed function that exists in none of the regions is a mistake, not something to skip.
  for (const [index, outcome] of functions.entries()) {
    const elsewhere = functions.some(
      (f) => f.functionName === outcome.functionName && f.reason !== NOT_FOUND,
    );
    if (outcome.reason === NOT_FOUND && !elsewhere) {
      functions[index] = {
        ...outcome,
        status: 'failed',
        reason: `function not found in ${Object.keys(scanned).join(', ')}`,
      };
    }
  }
  const result = { functions, scanned };
  if (functions.some((f) => f.status === 'failed')) throw new RolloutError(result);
  return result;
}

const NOT_FOUND = 'the function does not exist in this region';

// ---- discovery ----------------------------------------------------------------------------------

interface Discovery {
  readonly consumers: FunctionConfiguration[];
  /** Functions found but not updated, with the reason. */
  readonly skipped: FunctionOutcome[];
  readonly scanned: number;
}

async function findConsumers(
  lambda: LambdaClient,
  inputs: RolloutInputs,
  layer: PublishedLayer,
): Promise<Discovery> {
  const candidates: FunctionConfiguration[] = [];
  const skipped: FunctionOutcome[] = [];
  let scanned = 0;
  const skip = (fn: FunctionConfiguration, reason: string): void => {
    skipped.push({
      region: layer.region,
      functionName: fn.FunctionName!,
      status: 'skipped',
      toVersion: layer.version,
      reason,
    });
  };

  if (inputs.functions.mode === 'list') {
    const lookUp = await lookUpFunctions(lambda, namesIn(inputs.functions, layer.region));
    scanned += lookUp.scanned;
    candidates.push(...lookUp.found);
    for (const name of lookUp.missing) {
      skipped.push({
        region: layer.region,
        functionName: name,
        status: 'skipped',
        toVersion: layer.version,
        reason: NOT_FOUND,
      });
    }
  } else {
    // ListFunctions returns each configuration with its Layers and RevisionId: no read per function needed.
    for await (const page of paginateListFunctions({ client: lambda, pageSize: 50 }, {})) {
      scanned += page.Functions?.length ?? 0;
      candidates.push(...(page.Functions ?? []).filter((fn) => entryIndex(fn, layer.layerArn) >= 0));
    }
  }

  const consumers: FunctionConfiguration[] = [];
  for (const fn of candidates) {
    if (!matchesFilter(fn.FunctionName!, inputs.functionFilter)) continue;
    if (entryIndex(fn, layer.layerArn) < 0) {
      skip(fn, 'does not use this layer');
    } else if (fn.Runtime && !inputs.compatibleRuntimes.includes(fn.Runtime)) {
      skip(
        fn,
        `runtime ${fn.Runtime} is not among the layer's compatible runtimes (${inputs.compatibleRuntimes.join(', ')})`,
      );
    } else if ((fn.Architectures?.[0] ?? 'x86_64') !== inputs.architecture) {
      skip(fn, `architecture ${fn.Architectures?.[0]} does not match the layer's ${inputs.architecture}`);
    } else {
      consumers.push(fn);
    }
  }
  return { consumers, skipped, scanned };
}

/** Listed names apply to every region; a function ARN only to its own region. */
function namesIn(selection: Extract<FunctionSelection, { mode: 'list' }>, region: string): string[] {
  return selection.names.filter((name) => !name.startsWith('arn:') || name.split(':')[3] === region);
}

function entryIndex(fn: FunctionConfiguration, layerArn: string): number {
  return (fn.Layers ?? []).findIndex((layer) => layer.Arn !== undefined && isVersionOf(layer.Arn, layerArn));
}

/** Shell globs (src/glob.ts): `*`, `?`, `[a-z]`, `[!x]`; a leading `!` excludes. Validated in getInputs. */
function matchesFilter(name: string, globs: readonly string[]): boolean {
  let filter = compiledFilters.get(globs);
  if (!filter) compiledFilters.set(globs, (filter = compileFilter(globs)));
  return filter.matches(name);
}
const compiledFilters = new WeakMap<readonly string[], FunctionFilter>();

// ---- updates ------------------------------------------------------------------------------------

async function updateAll(
  lambda: LambdaClient,
  inputs: RolloutInputs,
  layer: PublishedLayer,
  consumers: readonly FunctionConfiguration[],
  deps: Pick<Deps, 'now' | 'sleep'>,
): Promise<FunctionOutcome[]> {
  const limit = pLimit(inputs.maxParallel);
  let stopReason: string | undefined;
  const batch = (functions: readonly FunctionConfiguration[]): Promise<FunctionOutcome[]> =>
    Promise.all(
      functions.map((fn) =>
        limit(async (): Promise<FunctionOutcome> => {
          if (stopReason) return { ...base(layer, fn), status: 'not-started', reason: stopReason };
          const outcome = await updateOne(lambda, inputs, layer, fn, deps);
          if (outcome.status === 'failed' && inputs.onFailure !== 'continue') {
            stopReason = `an earlier update failed (on-failure: ${inputs.onFailure})`;
          }
          logOutcome(outcome);
          return outcome;
        }),
      ),
    );

  // canary: the first functions go alone; the others only when all of them succeeded (and after the wait).
  const canary = consumers.slice(0, inputs.canary);
  const rest = consumers.slice(canary.length);
  const outcomes = await batch(canary);
  if (canary.length > 0 && rest.length > 0) {
    if (outcomes.some((o) => o.status === 'failed')) {
      stopReason = `the canary failed (${outcomes
        .filter((o) => o.status === 'failed')
        .map((o) => o.functionName)
        .join(', ')})`;
    } else if (inputs.canaryWait > 0 && !inputs.dryRun) {
      core.info(
        `${layer.region}: canary of ${canary.length} succeeded; waiting ${inputs.canaryWait} s before the other ${rest.length}`,
      );
      await deps.sleep(inputs.canaryWait * 1000);
    }
  }
  outcomes.push(...(await batch(rest)));

  if (inputs.onFailure === 'rollback' && outcomes.some((o) => o.status === 'failed')) {
    return rollBack(lambda, inputs, layer, outcomes, deps);
  }
  return outcomes;
}

function base(
  layer: PublishedLayer,
  fn: FunctionConfiguration,
): Pick<FunctionOutcome, 'region' | 'functionName' | 'toVersion' | 'fromVersion'> {
  const entry = fn.Layers?.[entryIndex(fn, layer.layerArn)]?.Arn;
  return {
    region: layer.region,
    functionName: fn.FunctionName!,
    toVersion: layer.version,
    fromVersion: entry ? parseLayerVersionArn(entry)?.version : undefined,
  };
}

/**
 * Moves one function's entry of this layer from whatever version it has to `to` (and back, for a
 * rollback), re-reading the configuration whenever Lambda says it changed under us.
 */
async function replaceEntry(
  lambda: LambdaClient,
  functionName: string,
  layerArn: string,
  to: string,
  config: FunctionConfiguration | undefined,
  inputs: Pick<RolloutInputs, 'wait' | 'dryRun'>,
): Promise<{ before: string[]; after: string[]; changed: boolean }> {
  let current = config;
  for (let attempt = 1; ; attempt++) {
    current ??= (await lambda.send(new GetFunctionCommand({ FunctionName: functionName }))).Configuration!;
    const before = (current.Layers ?? []).map((l) => l.Arn!);
    const index = before.findIndex((arn) => isVersionOf(arn, layerArn));
    if (index < 0)
      throw new Error('it no longer uses this layer (changed by someone else during the roll-out)');
    const after = before.with(index, to);
    if (before[index] === to || inputs.dryRun) return { before, after, changed: before[index] !== to };
    if (current.LastUpdateStatus === 'InProgress') {
      await waitForUpdate(lambda, functionName);
      current = undefined;
      continue;
    }
    try {
      await lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: functionName,
          Layers: after,
          RevisionId: current.RevisionId,
        }),
      );
    } catch (error) {
      const name = (error as Error).name;
      const retriable = name === 'PreconditionFailedException' || name === 'ResourceConflictException';
      if (!retriable || attempt >= MAX_ATTEMPTS) throw error;
      core.debug(`${functionName}: ${name} on attempt ${attempt}; reading it again`);
      // 412: someone changed the function since we read it. 409: an update is running. Either way,
      // read again (after waiting for the running update) and re-apply on top of their change.
      if (name === 'ResourceConflictException') await waitForUpdate(lambda, functionName);
      current = undefined;
      continue;
    }
    if (inputs.wait) await waitForUpdate(lambda, functionName);
    return { before, after, changed: true };
  }
}

async function updateOne(
  lambda: LambdaClient,
  inputs: RolloutInputs,
  layer: PublishedLayer,
  fn: FunctionConfiguration,
  deps: Pick<Deps, 'now'>,
): Promise<FunctionOutcome> {
  const started = deps.now();
  const seconds = (): number => (deps.now() - started) / 1000;
  try {
    const { before, after, changed } = await replaceEntry(
      lambda,
      fn.FunctionName!,
      layer.layerArn,
      layer.layerVersionArn,
      fn,
      inputs,
    );
    const status: FunctionStatus = !changed ? 'unchanged' : inputs.dryRun ? 'planned' : 'updated';
    const fromVersion = parseLayerVersionArn(
      before.find((arn) => isVersionOf(arn, layer.layerArn))!,
    )?.version;
    const outcome = { ...base(layer, fn), fromVersion, status, layersBefore: before, layersAfter: after };
    if (!inputs.updateAliases) return { ...outcome, seconds: seconds() };
    try {
      const aliases = await moveAliases(lambda, fn.FunctionName!, fn, layer, inputs.dryRun);
      return { ...outcome, aliases, seconds: seconds() };
    } catch (error) {
      const reason = `$LATEST updated, but moving its aliases failed: ${describeError(error)}`;
      return { ...outcome, status: 'failed', seconds: seconds(), reason };
    }
  } catch (error) {
    return { ...base(layer, fn), status: 'failed', seconds: seconds(), reason: describeError(error) };
  }
}

/** Waits until the function's last update is Successful; throws with Lambda's reason when it Failed. */
async function waitForUpdate(lambda: LambdaClient, functionName: string): Promise<void> {
  try {
    await waitUntilFunctionUpdatedV2(
      { client: lambda, minDelay: 0.5, maxDelay: 5, maxWaitTime: MAX_WAIT_SECONDS },
      { FunctionName: functionName },
    );
  } catch (error) {
    const { Configuration: config } = await lambda.send(
      new GetFunctionCommand({ FunctionName: functionName }),
    );
    if (config?.LastUpdateStatus === 'Failed') {
      throw new Error(
        `the update failed: ${config.LastUpdateStatusReasonCode ?? 'Failed'}: ${config.LastUpdateStatusReason ?? 'no reason given'}`,
        { cause: error },
      );
    }
    throw new Error(
      `the update did not finish within ${MAX_WAIT_SECONDS} s (LastUpdateStatus ${config?.LastUpdateStatus})`,
      {
        cause: error,
      },
    );
  }
}

/**
 * on-failure: rollback. Puts this layer's entry back to the version each function had, in every
 * function this run changed (including one whose update failed but was applied). Only that entry is
 * touched, with the same locking, so changes others made meanwhile survive; when nobody else changed
 * the function this restores its exact previous Layers list.
 */
async function rollBack(
  lambda: LambdaClient,
  inputs: RolloutInputs,
  layer: PublishedLayer,
  outcomes: readonly FunctionOutcome[],
  deps: Pick<Deps, 'now'>,
): Promise<FunctionOutcome[]> {
  core.warning(`${layer.region}: an update failed; rolling back the functions this run changed.`);
  const limit = pLimit(inputs.maxParallel);
  return Promise.all(
    outcomes.map((outcome) =>
      limit(async (): Promise<FunctionOutcome> => {
        if (outcome.status !== 'updated' && outcome.status !== 'failed') return outcome;
        if (outcome.fromVersion === undefined) return outcome;
        const previous = `${layer.layerArn}:${outcome.fromVersion}`;
        const started = deps.now();
        try {
          const { changed } = await replaceEntry(
            lambda,
            outcome.functionName,
            layer.layerArn,
            previous,
            undefined,
            {
              wait: true,
              dryRun: false,
            },
          );
          const aliases =
            outcome.aliases && (await restoreAliases(lambda, outcome.functionName, outcome.aliases));
          const restoredAliases = aliases?.some((a) => a.status === 'restored') ?? false;
          if (!changed && !restoredAliases) return outcome; // a failed update that Lambda did not apply
          const reason =
            outcome.status === 'failed'
              ? `${outcome.reason}; rolled back`
              : 'rolled back after another function failed';
          core.info(`  ↩ ${outcome.functionName}: back on version ${outcome.fromVersion}`);
          return {
            ...outcome,
            aliases,
            status: outcome.status === 'failed' ? 'failed' : 'rolled-back',
            reason,
          };
        } catch (error) {
          return {
            ...outcome,
            status: 'failed',
            seconds: (outcome.seconds ?? 0) + (deps.now() - started) / 1000,
            reason: `rollback failed: ${describeError(error)}${outcome.reason ? ` (after: ${outcome.reason})` : ''}`,
          };
        }
      }),
    ),
  );
}

function logOutcome(outcome: FunctionOutcome): void {
  const move = `${outcome.fromVersion ?? '?'} → ${outcome.toVersion}`;
  if (outcome.status === 'failed') {
    core.error(`${outcome.functionName} (${outcome.region}): ${outcome.reason}`, {
      title: 'Roll-out failed',
    });
  } else {
    core.info(
      `  ${outcome.status.padEnd(9)} ${outcome.functionName} ${move} (${outcome.seconds?.toFixed(1)} s)`,
    );
  }
}
