/**
 * Discovery across the accounts a roll-out reaches (which accounts, through which role:
 * src/look-ups/targets.ts). It runs in every account and region, `max-parallel-accounts` accounts at a
 * time; an account whose role cannot be assumed (or whose functions cannot be listed) is a failure of
 * that account, with the error AWS gave, and `on-failure` decides what it means for the others
 * (src/steps/roll-out.ts).
 */
import pLimit from 'p-limit';
import { describeError } from '../aws/regions.js';
import type { Deps } from '../deps.js';
import type { Inputs } from '../inputs/index.js';
import { findConsumers, type ConsumerInputs, type Discovery } from './consumers.js';
import { lookUpKey, type FunctionLookUps } from '../look-ups/functions.js';
import type { Target } from '../look-ups/targets.js';
import type { PublishedLayer } from './publish.js';

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
