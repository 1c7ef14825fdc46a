/**
 * The accounts a roll-out reaches, and how: without `accounts`, the job's own account; with it, each
 * listed account in the order given, the job's own through its credentials and every other one through
 * `account-role` (with `{account}` filled in). The preflight assumes these roles and looks the listed
 * functions up in each (src/preflight/reach.ts); the roll-out discovers and updates through the same
 * targets (src/steps/accounts.ts).
 */
import type { Inputs } from '../inputs/index.js';

export interface Target {
  readonly account: string;
  /** The role assumed for this account; undefined: the job's own credentials. */
  readonly role?: string;
}

/** `own`: the job's own account (reached with its credentials, never through account-role). */
export function rolloutTargets(
  inputs: Partial<Pick<Inputs, 'accounts' | 'accountRole'>>,
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
