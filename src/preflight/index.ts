/**
 * The input checks that need I/O, run once before the first step: nothing is built, published or
 * changed until they pass. getInputs() stays synchronous and offline; what it cannot know is here:
 * - whether `zip-file` is a zip at all, with files in it, that extracts to one tree (no entry named twice);
 * - the account behind the credentials (STS GetCallerIdentity, asked only when an input needs it): every
 *   ARN given as an input must name it, and every other account in `accounts` needs `account-role`;
 * - what the roll-out will reach: each role assumed, each listed function found (src/preflight/reach.ts);
 * - the alarms, the SSM parameter and the S3 bucket, read in every region (src/preflight/resources.ts).
 * Every problem found is reported at once. docs/preflight.md lists the checks and their permissions.
 */
import * as core from '@actions/core';
import * as path from 'node:path';
import { describeError } from '../aws/regions.js';
import type { Deps } from '../deps.js';
import { InputError, type Inputs } from '../inputs/index.js';
import { openZip } from '../layer/zip.js';
import { checkReach, type ReachInputs } from './reach.js';
import { resourceProblems, type ResourceInputs } from './resources.js';
import type { FunctionLookUps } from '../look-ups/functions.js';

type PreflightInputs = Pick<
  Inputs,
  'steps' | 'regions' | 'layerName' | 'layerAccount' | 'functions' | 'accounts' | 'zipFile' | 'workspace'
> &
  ReachInputs &
  ResourceInputs;

export interface PreflightFindings {
  /** The listed functions as found, for the roll-out to reuse instead of asking Lambda again. */
  readonly lookUps: FunctionLookUps;
}

export async function preflight(
  inputs: PreflightInputs,
  deps: Pick<Deps, 'sts' | 'lambda' | 'assumeRole' | 'cloudwatch' | 'ssm' | 's3'>,
): Promise<PreflightFindings> {
  const caller = callerAccount(inputs, deps);
  const [zip, accounts, reach, resources] = await Promise.all([
    zipProblems(inputs),
    accountProblems(inputs, caller),
    checkReach(inputs, deps, caller),
    resourceProblems(inputs, deps),
  ]);
  const problems = [...zip, ...accounts, ...reach.problems, ...resources];
  if (problems.length > 0) throw new InputError(problems);
  return { lookUps: reach.lookUps };
}

/** The job's own account, asked of STS once, on first need. */
function callerAccount(inputs: PreflightInputs, deps: Pick<Deps, 'sts'>): () => Promise<string> {
  let asked: Promise<string> | undefined;
  const ask = async (): Promise<string> => {
    const region = inputs.regions[0]!;
    let account: string | undefined;
    try {
      const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts'); // only when an input needs it
      account = (await (await deps.sts(region)).send(new GetCallerIdentityCommand({}))).Account;
    } catch (error) {
      throw new Error(
        `Could not learn the caller's account from STS GetCallerIdentity in ${region} (needed to check ` +
          `the ARNs and accounts given as inputs): ${describeError(error)}`,
        { cause: error },
      );
    }
    if (!account) throw new Error('STS GetCallerIdentity answered without an Account');
    core.info(`Credentials are for account ${account}.`);
    return account;
  };
  return () => (asked ??= ask());
}

// ---- accounts -------------------------------------------------------------------------------------

interface AccountClaim {
  readonly input: string;
  readonly value: string;
  readonly account: string;
}

/** ARNs given as inputs, for the steps that will act on them. */
function accountClaims(inputs: PreflightInputs): AccountClaim[] {
  const claims: AccountClaim[] = [];
  if (inputs.layerAccount !== undefined && inputs.steps.includes('publish')) {
    claims.push({ input: 'layer-name', value: inputs.layerName, account: inputs.layerAccount });
  }
  if (inputs.functions.mode === 'list' && inputs.steps.includes('roll-out')) {
    for (const name of inputs.functions.names.filter((n) => n.startsWith('arn:'))) {
      const account = name.split(':')[4]!;
      // A consumer account given in `accounts` is reached through its role (src/look-ups/targets.ts).
      if (!inputs.accounts.includes(account)) claims.push({ input: 'functions', value: name, account });
    }
  }
  return claims;
}

async function accountProblems(inputs: PreflightInputs, caller: () => Promise<string>): Promise<string[]> {
  const claims = accountClaims(inputs);
  if (claims.length === 0) return []; // names only: no STS call, no extra permission needed
  const account = await caller();
  return claims
    .filter((claim) => claim.account !== account)
    .map((claim) =>
      claim.input === 'layer-name'
        ? `layer-name: ${JSON.stringify(claim.value)} is in account ${claim.account}, but the credentials ` +
          `are for ${account}; a layer can only be published in the caller's own account (give the name alone, ` +
          'or use credentials of that account)'
        : `functions: ${JSON.stringify(claim.value)} is in account ${claim.account}, but the credentials are ` +
          `for ${account}; only the caller's own functions can be updated (use credentials of that account)`,
    );
}

// ---- zip-file -------------------------------------------------------------------------------------

/** Reads the zip's central directory only (nothing is extracted); every problem names the input. */
async function zipProblems(inputs: PreflightInputs): Promise<string[]> {
  if (inputs.zipFile === undefined || !inputs.steps.includes('build')) return [];
  const shown = JSON.stringify(path.relative(inputs.workspace, inputs.zipFile));
  let zip;
  try {
    zip = await openZip(inputs.zipFile, { lazyEntries: true, autoClose: false });
  } catch (error) {
    return [`zip-file: ${shown} is not a zip archive that can be read (${(error as Error).message})`];
  }
  const seen = new Set<string>();
  const repeated = new Set<string>();
  let files = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      if (!entry.fileName.endsWith('/')) files++;
      // `dir/` and `dir` are one path once extracted.
      const name = entry.fileName.replace(/\/+$/, '');
      if (seen.has(name)) repeated.add(entry.fileName);
      seen.add(name);
    }
  } catch (error) {
    return [`zip-file: ${shown} has a damaged central directory (${(error as Error).message})`];
  } finally {
    zip.close();
  }
  if (files === 0) {
    return [`zip-file: ${shown} holds no files (a layer needs at least one); check the step that made it`];
  }
  if (repeated.size === 0) return [];
  const names = [...repeated].slice(0, 5).map((name) => JSON.stringify(name));
  return [
    `zip-file: ${shown} holds ${names.join(', ')}${repeated.size > 5 ? ` and ${repeated.size - 5} more` : ''} ` +
      'more than once; a layer extracts to one tree, so rebuild the zip with each path once',
  ];
}
