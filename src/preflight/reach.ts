/**
 * What the roll-out will reach, checked before anything is written: every account other than the job's
 * own needs `account-role`, and that role is assumed now (the credentials are kept for the roll-out, so
 * this costs no extra STS call); every listed function name or ARN is looked up in every account and
 * region it applies to, and one that exists in none of them is refused. The look-ups are handed to the
 * roll-out, which reuses them instead of asking Lambda again (src/steps/accounts.ts).
 */
import * as core from '@actions/core';
import pLimit from 'p-limit';
import { describeError } from '../aws/regions.js';
import type { Deps } from '../deps.js';
import type { Inputs } from '../inputs/index.js';
import {
  lookUpFunctions,
  lookUpKey,
  namesIn,
  type FunctionLookUps,
  type LookUp,
} from '../look-ups/functions.js';
import { rolloutTargets, type Target } from '../look-ups/targets.js';

export type ReachInputs = Pick<
  Inputs,
  'steps' | 'regions' | 'functions' | 'accounts' | 'accountRole' | 'maxParallelAccounts' | 'onFailure'
>;

export interface Reach {
  readonly problems: string[];
  readonly lookUps: FunctionLookUps;
}

/** `caller` answers the job's own account (STS, asked once and only when needed). */
export async function checkReach(
  inputs: ReachInputs,
  deps: Pick<Deps, 'lambda' | 'assumeRole'>,
  caller: () => Promise<string>,
): Promise<Reach> {
  const lookUps = new Map<string, LookUp>();
  if (!inputs.steps.includes('roll-out')) return { problems: [], lookUps };
  // The job's own account; its id is asked of STS only when a name needs it (an ARN, another account).
  let targets: Target[] = [{ account: '' }];
  const arns = inputs.functions.mode === 'list' && inputs.functions.names.some((n) => n.startsWith('arn:'));
  if (inputs.accounts.length === 0 && arns) targets = [{ account: await caller() }];
  if (inputs.accounts.length > 0) {
    const own = await caller();
    const roleless = inputs.accountRole ? [] : inputs.accounts.filter((account) => account !== own);
    if (roleless.length > 0) {
      return {
        problems: [
          `account-role: needed for accounts ${roleless.join(', ')}: the job's credentials are for ${own}, ` +
            'and another account is reached through a role, e.g. arn:aws:iam::{account}:role/layer-rollout',
        ],
        lookUps,
      };
    }
    targets = rolloutTargets(inputs, own);
  }
  const unreachable: string[] = [];
  const limit = pLimit(inputs.maxParallelAccounts);
  await Promise.all(
    targets.map((target) =>
      limit(async () => {
        const reason = await reachTarget(inputs, deps, target, lookUps);
        if (reason) unreachable.push(reason);
      }),
    ),
  );
  if (unreachable.length > 0) {
    // on-failure: continue rolls out in the accounts it reaches and reports the others (as before).
    if (inputs.onFailure !== 'continue') return { problems: unreachable, lookUps };
    for (const reason of unreachable) core.warning(reason);
    return { problems: [], lookUps };
  }
  return { problems: missingFunctions(inputs, targets, lookUps), lookUps };
}

/** Assumes the target's role and looks the listed functions up in each region; the reason it failed. */
async function reachTarget(
  inputs: ReachInputs,
  deps: Pick<Deps, 'lambda' | 'assumeRole'>,
  target: Target,
  lookUps: Map<string, LookUp>,
): Promise<string | undefined> {
  const { functions, regions } = inputs;
  if (target.role) {
    try {
      await deps.assumeRole(target.role, regions[0]!);
    } catch (error) {
      return (
        `account-role: ${JSON.stringify(target.role)} could not be assumed for account ${target.account}: ` +
        `${describeError(error)}; its trust policy must allow sts:AssumeRole by the job's role`
      );
    }
  }
  if (functions.mode !== 'list') return undefined;
  const where = target.account ? ` of account ${target.account}` : '';
  try {
    await Promise.all(
      regions.map(async (region) => {
        const names = namesIn(functions, region, target.account || undefined);
        if (names.length === 0) return;
        lookUps.set(
          lookUpKey(target.role, region),
          await lookUpFunctions(deps.lambda(region, target.role), names),
        );
      }),
    );
  } catch (error) {
    return (
      `functions: the listed functions could not be looked up${where}: ${describeError(error)} ` +
      '(the role needs lambda:GetFunction)'
    );
  }
  return undefined;
}

/** Names shown one by one; a list of a thousand typos is summed up after these. */
const SHOWN = 10;

/** Listed names that exist in none of the accounts and regions they apply to. */
function missingFunctions(
  inputs: ReachInputs,
  targets: readonly Target[],
  lookUps: FunctionLookUps,
): string[] {
  if (inputs.functions.mode !== 'list') return [];
  const selection = inputs.functions;
  const askedIn = (name: string): LookUp[] =>
    targets.flatMap((target) =>
      inputs.regions
        .filter((region) => namesIn(selection, region, target.account || undefined).includes(name))
        .map((region) => lookUps.get(lookUpKey(target.role, region))!),
    );
  const accounts = targets.length > 1 ? ' of any of the accounts' : '';
  const missing = selection.names.filter((name) => {
    const asked = askedIn(name);
    return asked.length > 0 && asked.every((lookUp) => lookUp.missing.includes(name));
  });
  const lines = missing.slice(0, SHOWN).map((name) => {
    const hint = ['auto', 'none'].includes(name.toLowerCase())
      ? `; write ${name.toLowerCase()} in lower case`
      : '';
    const regions = name.startsWith('arn:') ? name.split(':')[3] : inputs.regions.join(', ');
    return `functions: ${JSON.stringify(name)} does not exist in ${regions}${accounts}${hint}; check the name`;
  });
  if (missing.length > SHOWN) {
    lines.push(`functions: ${missing.length - SHOWN} more of the names listed do not exist either`);
  }
  return lines;
}
