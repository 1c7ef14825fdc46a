/**
 * What happened to each function of a roll-out (the summary and the comment read it) and its line in
 * the log: one line per function, written in batches, a failure as an error annotation at once. Also
 * the outcomes of listed functions that discovery skipped or found in no region.
 */
import * as core from '@actions/core';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { LineBatch } from '../log-batch.js';
import type { Target } from '../look-ups/targets.js';
import type { AccountDiscovery } from './accounts.js';
import type { AliasMove } from './aliases.js';
import { versionIn } from './consumers.js';
import type { PlannedWave } from './wave-plan.js';

export type FunctionStatus =
  | 'updated'
  | 'unchanged'
  | 'planned'
  | 'skipped'
  | 'failed'
  | 'rolled-back'
  | 'not-started'
  /** The run was cancelled after the update was sent and before Lambda confirmed it. */
  | 'in-flight'
  /** Already on a newer version of this layer than the run's: left alone (src/steps/forward-only.ts). */
  | 'newer'
  /** Not started: a newer release of this layer supersedes the run and moves it. */
  | 'superseded';

export interface FunctionOutcome {
  /** The account the function is in. */
  readonly account?: string;
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
  /** The wave (1-based) the function was in. */
  readonly wave?: number;
  /** Moved, then moved on by a newer release before Lambda confirmed ours: the version it is on now. */
  readonly nowOn?: number;
}

const NOT_FOUND = 'the function does not exist in this region';

export function base(
  wave: Pick<PlannedWave, 'layer' | 'number'>,
  target: Target,
  fn: FunctionConfiguration,
): Pick<FunctionOutcome, 'account' | 'region' | 'functionName' | 'toVersion' | 'fromVersion' | 'wave'> {
  return {
    account: target.account,
    region: wave.layer.region,
    functionName: fn.FunctionName!,
    toVersion: wave.layer.version,
    fromVersion: versionIn(fn, wave.layer.layerArn),
    wave: wave.number,
  };
}

/** Listed functions that were skipped or that exist in no region (of an account). */
export function listedOutcomes(discoveries: readonly AccountDiscovery[], multi: boolean): FunctionOutcome[] {
  const outcomes: FunctionOutcome[] = discoveries.flatMap((d) =>
    d.skipped.map((s) => ({
      ...s,
      account: d.target.account,
      status: 'skipped' as const,
      toVersion: d.layer.version,
    })),
  );
  const regions = [...new Set(discoveries.map((d) => d.layer.region))];
  const accounts = [...new Set(discoveries.map((d) => d.target.account))];
  // A name is looked up in every account and region it applies to (findConsumers.notFound lists only those).
  const found = (name: string): boolean =>
    discoveries.some(
      (d) =>
        !d.notFound.includes(name) &&
        (!name.startsWith('arn:') ||
          (name.split(':')[3] === d.layer.region && name.split(':')[4] === d.target.account)),
    );
  const reported = new Set<string>();
  for (const account of accounts) {
    const mine = discoveries.filter((d) => d.target.account === account);
    for (const name of new Set(mine.flatMap((d) => d.notFound))) {
      const first = mine.find((d) => d.notFound.includes(name))!;
      const somewhere = found(name);
      // A name that exists nowhere is one failure, not one per account.
      if (!somewhere && reported.has(name)) continue;
      reported.add(name);
      const nowhere = `function not found in ${regions.join(', ')}${multi ? ` of any account` : ''}`;
      outcomes.push({
        account,
        region: first.layer.region,
        functionName: name,
        toVersion: first.layer.version,
        status: somewhere ? 'skipped' : 'failed',
        reason: somewhere ? NOT_FOUND : nowhere,
      });
    }
  }
  return outcomes;
}

export function logOutcome(outcome: FunctionOutcome, multi: boolean, log: LineBatch): void {
  const move = `${outcome.fromVersion ?? '?'} → ${outcome.toVersion}`;
  const where = multi ? `${outcome.account} ${outcome.region}` : outcome.region;
  if (outcome.status === 'newer') {
    const account = multi ? ` (${outcome.account}, ${outcome.region})` : '';
    log.add(`  ${outcome.functionName}${account} ${outcome.reason}`);
  } else if (outcome.status === 'failed') {
    log.flush(); // the lines before it first: the log stays in order
    core.error(`${outcome.functionName} (${where}): ${outcome.reason}`, {
      title: 'Roll-out failed',
    });
  } else {
    const account = multi ? ` (${outcome.account})` : '';
    log.add(
      `  ${outcome.status.padEnd(9)} ${outcome.functionName}${account} ${move} (${outcome.seconds?.toFixed(1)} s)`,
    );
  }
}
