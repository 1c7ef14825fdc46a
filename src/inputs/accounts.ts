/** accounts, account-role, max-parallel-accounts: the roll-out across accounts (src/look-ups/targets.ts). */
import { ACCOUNT_ID, partitionOf } from './names.js';
import { parseList, quote, type InputReader } from './reader.js';
import type { FunctionSelection, Inputs } from './types.js';

// A role ARN template: the account id is the {account} placeholder, the rest is IAM's role path and name.
const ROLE_TEMPLATE = /^arn:aws[a-zA-Z-]*:iam::\{account\}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** accounts, account-role, max-parallel-accounts: the roll-out across accounts. */
export function readAccounts(
  reader: InputReader,
  functions: FunctionSelection,
  regions: readonly string[],
): Pick<Inputs, 'accounts' | 'accountRole' | 'maxParallelAccounts'> {
  const problem = (message: string): void => reader.problem(message);
  const accounts = reader.unique('accounts', parseList(reader.input('accounts'), { words: true }));
  for (const account of accounts) {
    if (!ACCOUNT_ID.test(account)) {
      problem(`accounts: ${quote(account)} is not an AWS account id; use 12-digit ids, e.g. 123456789012`);
    }
  }
  const accountRole = reader.optional('account-role');
  if (accountRole !== undefined && !ROLE_TEMPLATE.test(accountRole)) {
    problem(
      `account-role: ${quote(accountRole)} is not allowed; use a role ARN with {account} as its account id, ` +
        'e.g. arn:aws:iam::{account}:role/layer-rollout',
    );
  }
  const rolePartition = accountRole?.split(':')[1];
  const regionPartition = regions.length > 0 ? partitionOf(regions[0]!) : undefined;
  if (ROLE_TEMPLATE.test(accountRole ?? '') && regionPartition && rolePartition !== regionPartition) {
    problem(
      `account-role: ${quote(accountRole!)} is in the partition ${rolePartition}, but regions ` +
        `(${regions.join(', ')}) are in ${regionPartition}; use arn:${regionPartition}:iam::{account}:role/…`,
    );
  }
  // Whether accounts other than the job's own are listed (and so need account-role) is known only
  // from STS: src/preflight/index.ts checks it before anything is written.
  if (accountRole !== undefined && accounts.length === 0) {
    problem('account-role: is only used with accounts; list the account ids to roll out in');
  }
  const maxParallelAccounts = reader.integer('max-parallel-accounts', 10, 1, 100);
  if (accounts.length > 0 && functions.mode === 'list') {
    for (const name of functions.names) {
      const account = name.startsWith('arn:') ? name.split(':')[4]! : undefined;
      if (account !== undefined && !accounts.includes(account)) {
        problem(`functions: ${quote(name)} is in account ${account}, which is not among accounts`);
      }
    }
  }
  return { accounts, accountRole, maxParallelAccounts };
}
