/**
 * One function's layer entry, moved from one version to another, safely: only that entry changes (the
 * other layers and their order stay), with the RevisionId read just before (a concurrent change makes
 * Lambda answer 412: read again, re-apply, their change survives). A function that is busy — an update
 * in progress (409), just created (`Pending`), or `Inactive` — is waited for first; whatever happened to
 * someone else's update, our outcome is decided by our own update only.
 */
import * as core from '@actions/core';
import {
  GetFunctionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { isVersionOf } from '../aws/arn.js';
import { isCancellation } from '../cancel.js';
import type { EntryGuard, Leave } from './forward-only.js';

/** Attempts at one function when other writers keep changing it (412) or keep it busy (409). */
const MAX_ATTEMPTS = 8;
/** How long to wait for Lambda to finish one update, or to make a function Active. */
const MAX_WAIT_SECONDS = 600;
/**
 * An update Lambda answered `InProgress` is never done at once, and the waiter's first poll is
 * immediate: waiting this long first saves the polls that could only answer `InProgress` (Lambda takes
 * a second or more to apply a layer change). With 500 ms, a roll-out not short of CPU polled twice per
 * function; with 1 s, once — half of a large roll-out's GetFunction requests, each a signed request.
 */
const FIRST_POLL_MS = 1000;

export interface EntryChange {
  readonly before: string[];
  readonly after: string[];
  /** False when the entry already was `to`. */
  readonly changed: boolean;
  /** The configuration Lambda answered with after our update (undefined in a dry-run or without a change). */
  readonly updated?: FunctionConfiguration;
  /** What happened to other writers' updates while we waited (reported, never our failure). */
  readonly notes: readonly string[];
  /** Set when the guard left the entry as it was (src/steps/forward-only.ts): why. */
  readonly left?: Leave;
}

/**
 * The run was cancelled while this function was being moved. `sent`: our update went to Lambda (or
 * may have: the call was cut off), so the function is on its old or its new entry — Lambda applies
 * a Layers list whole — and Lambda had not confirmed which; otherwise it was not changed.
 */
export class UpdateInterrupted extends Error {
  constructor(readonly sent: boolean) {
    super(
      sent
        ? 'in flight when the run was cancelled: the update was sent, Lambda had not confirmed it'
        : 'the run was cancelled before its update was sent',
    );
    this.name = 'UpdateInterrupted';
  }
}

type EntryOptions = {
  readonly wait: boolean;
  readonly dryRun: boolean;
  readonly signal?: AbortSignal;
  /** Decides on the entry read right before the update whether it may be replaced. */
  readonly guard?: EntryGuard;
};

/**
 * Moves `functionName`'s entry of `layerArn` to `to`, re-reading the configuration whenever Lambda
 * says it changed or is busy. With `wait`, returns only once Lambda applied it (throws when our own
 * update ended `Failed`). The `guard` decides on the configuration the update is made against: `known`
 * only when it carries a RevisionId (Lambda then refuses the update if it is stale: 412, read again),
 * otherwise (emulators) one read right before the update.
 */
export async function replaceEntry(
  lambda: LambdaClient,
  functionName: string,
  layerArn: string,
  to: string,
  known: FunctionConfiguration | undefined,
  options: EntryOptions,
): Promise<EntryChange> {
  const stage = { sent: false };
  try {
    return await moveEntry(lambda, functionName, layerArn, to, known, options, stage);
  } catch (error) {
    if (options.signal?.aborted && isCancellation(error)) throw new UpdateInterrupted(stage.sent);
    throw error;
  }
}

async function moveEntry(
  lambda: LambdaClient,
  functionName: string,
  layerArn: string,
  to: string,
  known: FunctionConfiguration | undefined,
  options: EntryOptions,
  stage: { sent: boolean },
): Promise<EntryChange> {
  const notes: string[] = [];
  const { signal } = options;
  let current = known?.RevisionId || options.dryRun ? known : undefined;
  for (let attempt = 1; ; attempt++) {
    current ??= await readFunction(lambda, functionName);
    const before = (current.Layers ?? []).map((l) => l.Arn!);
    const index = before.findIndex((arn) => isVersionOf(arn, layerArn));
    if (index < 0)
      throw new Error('it no longer uses this layer (changed by someone else during the roll-out)');
    const left = before[index] === to ? undefined : options.guard?.(before[index]!);
    if (left) return { before, after: before, changed: false, notes, left };
    const after = before.with(index, to);
    if (before[index] === to || options.dryRun) {
      return { before, after, changed: before[index] !== to, notes };
    }
    if (isBusy(current)) {
      current = await waitUntilIdle(lambda, functionName, notes, signal);
      continue;
    }
    signal?.throwIfAborted();
    let updated: FunctionConfiguration;
    stage.sent = true;
    try {
      updated = await lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: functionName,
          Layers: after,
          // Emulators may not answer a RevisionId: then there is nothing to pin.
          ...(current.RevisionId ? { RevisionId: current.RevisionId } : {}),
        }),
      );
    } catch (error) {
      const name = (error as Error).name;
      const retriable = name === 'PreconditionFailedException' || name === 'ResourceConflictException';
      if (!retriable || attempt >= MAX_ATTEMPTS) throw error;
      stage.sent = false; // Lambda refused it: nothing changed
      core.debug(`${functionName}: ${name} on attempt ${attempt}; reading it again`);
      // 412: someone changed the function since we read it. 409: it is busy (another update, Pending,
      // Inactive). Either way: wait until it is idle, read again, re-apply on top of their change.
      current =
        name === 'ResourceConflictException'
          ? await waitUntilIdle(lambda, functionName, notes, signal)
          : undefined;
      continue;
    }
    if (options.wait) {
      if (updated.LastUpdateStatus === 'InProgress') await sleep(FIRST_POLL_MS, undefined, { signal });
      updated = await waitForOurUpdate(lambda, functionName, signal);
    }
    return { before, after, changed: true, updated, notes };
  }
}

export async function readFunction(
  lambda: LambdaClient,
  functionName: string,
): Promise<FunctionConfiguration> {
  return (await lambda.send(new GetFunctionCommand({ FunctionName: functionName }))).Configuration!;
}

function isBusy(config: FunctionConfiguration): boolean {
  return (
    config.LastUpdateStatus === 'InProgress' || config.State === 'Pending' || config.State === 'Inactive'
  );
}

/**
 * Waits until nobody's update is running and the function is Active, and returns its configuration.
 * Another writer's update that ended Failed is noted, not thrown: it says nothing about ours.
 */
async function waitUntilIdle(
  lambda: LambdaClient,
  functionName: string,
  notes: string[],
  signal: AbortSignal | undefined,
): Promise<FunctionConfiguration> {
  let config = await readFunction(lambda, functionName);
  const waiterConfig = {
    client: lambda,
    minDelay: 0.5,
    maxDelay: 5,
    maxWaitTime: MAX_WAIT_SECONDS,
    ...(signal ? { abortSignal: signal } : {}),
  };
  if (config.State === 'Pending' || config.State === 'Inactive') {
    core.info(`  ${functionName} is ${config.State}; waiting until it is Active`);
    await waitUntilFunctionActiveV2(waiterConfig, { FunctionName: functionName }).catch(() => undefined);
    signal?.throwIfAborted();
  }
  if (config.LastUpdateStatus === 'InProgress' || config.State !== 'Active') {
    // The updated-waiter stops with an error when that update Failed: theirs, so only worth a note.
    await waitUntilFunctionUpdatedV2(waiterConfig, { FunctionName: functionName }).catch(() => undefined);
    signal?.throwIfAborted();
    config = await readFunction(lambda, functionName);
    if (config.LastUpdateStatus === 'Failed') {
      notes.push(
        `another update of this function failed meanwhile (${config.LastUpdateStatusReasonCode ?? 'Failed'}: ` +
          `${config.LastUpdateStatusReason ?? 'no reason given'})`,
      );
    }
  }
  if (config.State === 'Pending' || config.State === 'Inactive' || config.LastUpdateStatus === 'InProgress') {
    throw new Error(
      `it stayed busy for ${MAX_WAIT_SECONDS} s (State ${config.State}, LastUpdateStatus ${config.LastUpdateStatus})`,
    );
  }
  return config;
}

/** Waits until our update is applied; throws with Lambda's reason when it Failed. */
async function waitForOurUpdate(
  lambda: LambdaClient,
  functionName: string,
  signal: AbortSignal | undefined,
): Promise<FunctionConfiguration> {
  const done = await waitUntilFunctionUpdatedV2(
    {
      client: lambda,
      minDelay: 0.5,
      maxDelay: 5,
      maxWaitTime: MAX_WAIT_SECONDS,
      ...(signal ? { abortSignal: signal } : {}),
    },
    { FunctionName: functionName },
  ).catch(() => undefined);
  signal?.throwIfAborted();
  // The waiter's last answer already is the configuration Lambda applied; only a failure is read again
  // (for its reason). One GetFunction less per function counts across thousands of functions.
  const config = done?.final?.Configuration ?? (await readFunction(lambda, functionName));
  if (config.LastUpdateStatus === 'Failed') {
    throw new Error(
      `the update failed: ${config.LastUpdateStatusReasonCode ?? 'Failed'}: ${config.LastUpdateStatusReason ?? 'no reason given'}`,
    );
  }
  if (config.LastUpdateStatus === 'InProgress') {
    throw new Error(`the update did not finish within ${MAX_WAIT_SECONDS} s (LastUpdateStatus InProgress)`);
  }
  return config;
}
