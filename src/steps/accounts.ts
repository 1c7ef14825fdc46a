/**
 * The accounts a roll-out reaches. Without `accounts`, the job's own account (the layer's). With it,
 * each listed account in the order given: the layer's own account through the job's credentials, every
 * other one through `account-role` assumed with them. Discovery runs in every account and region,
 * `max-parallel-accounts` accounts at a time; an account whose role cannot be assumed (or whose
 * functions cannot be listed) is a failure of that account, with the error AWS gave, and `on-failure`
 * decides what it means for the others (src/steps/roll-out.ts).
 */
import pLimit from 'p-limit';
import { describeError } from '../aws/regions.js';
import type { Deps } from '../deps.js';
import type { Inputs } from '../inputs.js';
import { findConsumers, type ConsumerInputs, type Discovery } from './consumers.js';
import { lookUpKey, type FunctionLookUps } from './look-up.js';
import type { PublishedLayer } from './publish.js';

export interface Target {
  readonly account: string;
  /** The role assumed for this account; undefined: the job's own credentials. */
  readonly role?: string;
}

export interface AccountDiscovery extends Discovery {
  readonly target: Target;
}

export interface AccountFailure {
  readonly account: string;
  readonly reason: string;
}

type AccountInputs = ConsumerInputs &
  Partial<Pick<Inputs, 'accounts' | 'accountRole' | 'maxParallelAccounts'>>;

/** The account that owns the published layer (and whose credentials the job has). */
export function layerAccount(layers: readonly PublishedLayer[]): string {
  return layers[0]?.layerArn.split(':')[4] ?? '';
}

/** `own`: the job's own account (reached with its credentials, never through account-role). */
export function rolloutTargets(
  inputs: Pick<AccountInputs, 'accounts' | 'accountRole'>,
  own: string,
): Target[] {
  const accounts = inputs.accounts ?? [];
  if (accounts.length === 0) return [{ account: own }];
  return accounts.map((account) =>
    account === own || !inputs.accountRole
      ? { account }
      : { account, role: inputs.accountRole.replaceAll('{account}', account) },
  );
}

/**
 * Consumers in every account and region, in the order of the targets, then of the layers' regions.
 * Accounts are discovered in parallel; within one, its regions too (each region has its own quota).
 */
export async function discoverAccounts(
  inputs: AccountInputs,
  targets: readonly Target[],
  layers: readonly PublishedLayer[],
  deps: Pick<Deps, 'lambda' | 'assumeRole'>,
  lookUps: FunctionLookUps = new Map(),
): Promise<{ discoveries: AccountDiscovery[]; failures: AccountFailure[] }> {
  const limit = pLimit(inputs.maxParallelAccounts ?? 10);
  const settled = await Promise.all(
    targets.map((target) =>
      limit(async () => {
        try {
          if (target.role) {
            await deps.assumeRole(target.role, layers[0]!.region).catch((error: unknown) => {
              throw new Error(`could not assume ${target.role}: ${describeError(error)}`);
            });
          }
          const found = await Promise.all(
            layers.map((layer) =>
              findConsumers(
                deps.lambda(layer.region, target.role),
                inputs,
                layer,
                target.account,
                // What the preflight found before the first write: not asked again.
                lookUps.get(lookUpKey(target.role, layer.region)),
              ),
            ),
          );
          return found.map((discovery) => ({ ...discovery, target }));
        } catch (error) {
          return { account: target.account, reason: describeError(error) };
        }
      }),
    ),
  );
  return {
    discoveries: settled.filter((s) => Array.isArray(s)).flat(),
    failures: settled.filter((s): s is AccountFailure => !Array.isArray(s)),
  };
}
