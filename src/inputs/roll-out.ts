/**
 * functions, function-filter, max-parallel, on-failure, wait, canary, canary-wait, update-aliases, alarms,
 * dry-run, allow-pull-requests: which functions get the new version, how fast and how safely. The
 * accounts to roll out in are read in accounts.ts.
 */
import { compileFilter, compileGlob, GlobError } from '../glob.js';
import { readAccounts } from './accounts.js';
import { isArnProblem, parseLambdaArn } from './arns.js';
import { codePoints } from './names.js';
import { parseList, quote, type InputReader } from './reader.js';
import type { FunctionSelection, Inputs, OnFailure } from './types.js';

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export type RollOutPart = Pick<
  Inputs,
  | 'functions'
  | 'functionFilter'
  | 'maxParallel'
  | 'accounts'
  | 'accountRole'
  | 'maxParallelAccounts'
  | 'onFailure'
  | 'wait'
  | 'canary'
  | 'canaryWait'
  | 'updateAliases'
  | 'alarms'
  | 'dryRun'
  | 'allowPullRequests'
>;

export function readRollOut(reader: InputReader, regions: readonly string[]): RollOutPart {
  const functions = readFunctions(reader, regions);
  const functionFilter = readFunctionFilter(reader, functions);
  const maxParallel = reader.integer('max-parallel', 25, 1, 50);
  const { accounts, accountRole, maxParallelAccounts } = readAccounts(reader, functions, regions);
  const onFailure = reader.oneOf<OnFailure>('on-failure', ['stop', 'continue', 'rollback'], 'stop');
  const wait = reader.bool('wait', true);
  const canary = reader.integer('canary', 0, 0, 1000);
  const canaryWait = reader.integer('canary-wait', 0, 0, 3600);
  if (canaryWait > 0 && canary === 0) {
    reader.problem('canary-wait: is only used with canary; set canary to a number of functions');
  }
  if (canary > 0 && functions.mode === 'list' && canary >= functions.names.length) {
    reader.problem(
      `canary: ${canary} is not fewer than the ${functions.names.length} function(s) listed in functions; ` +
        'the canary would be the whole roll-out, so use a smaller number (or 0 for no canary)',
    );
  }
  const updateAliases = reader.bool('update-aliases', false);
  const alarms = readAlarms(reader);
  const dryRun = reader.bool('dry-run', false);
  const allowPullRequests = reader.bool('allow-pull-requests', false);
  if (!wait) refuseWithoutWait(reader, { canary, onFailure, updateAliases, alarms });
  return {
    functions,
    functionFilter,
    maxParallel,
    accounts,
    accountRole,
    maxParallelAccounts,
    onFailure,
    wait,
    canary,
    canaryWait,
    updateAliases,
    alarms,
    dryRun,
    allowPullRequests,
  };
}

/** CloudWatch alarm names: 1-255 characters, no control characters. */
function readAlarms(reader: InputReader): string[] {
  const alarms = reader.unique('alarms', parseList(reader.input('alarms'), { words: true }));
  for (const alarm of alarms) {
    if (codePoints(alarm) > 255 || /\p{Cc}/u.test(alarm)) {
      reader.problem(`alarms: ${quote(alarm)} is not a CloudWatch alarm name (1 to 255 characters)`);
    }
  }
  return alarms;
}

/**
 * `wait: false` returns before Lambda applied an update, so nothing that acts on an update's outcome can
 * work with it: a canary would "succeed" at once, a rollback would miss failed updates, an alias would
 * be moved onto a version published before the update finished.
 */
function refuseWithoutWait(
  reader: InputReader,
  settings: { canary: number; onFailure: OnFailure; updateAliases: boolean; alarms: readonly string[] },
): void {
  const needWaiting = [
    settings.canary > 0 && 'canary',
    settings.onFailure === 'rollback' && 'on-failure: rollback',
    settings.updateAliases && 'update-aliases',
    settings.alarms.length > 0 && 'alarms',
  ].filter((name): name is string => name !== false);
  if (needWaiting.length > 0) {
    reader.problem(
      `wait: false cannot be combined with ${needWaiting.join(', ')}; they act on the outcome of each update, ` +
        'which only waiting sees (set wait: true)',
    );
  }
}

function readFunctions(reader: InputReader, regions: readonly string[]): FunctionSelection {
  const names = reader.unique('functions', parseList(reader.input('functions') || 'auto', { words: true }));
  if (names.length === 1 && (names[0] === 'auto' || names[0] === 'none')) return { mode: names[0] };
  for (const name of names) {
    if (name === 'auto' || name === 'none') {
      reader.problem(`functions: ${quote(name)} is not allowed in a list of functions; give it alone`);
    } else if (name.startsWith('arn:')) {
      const arn = parseLambdaArn(name, 'function');
      if (isArnProblem(arn)) {
        reader.problem(`functions: ${quote(name)} is not allowed; it ${arn.problem}`);
      } else if (regions.length > 0 && !regions.includes(arn.region)) {
        reader.problem(
          `functions: ${quote(name)} is in ${arn.region}, which is not among regions (${regions.join(', ')}); ` +
            'add the region or remove the ARN',
        );
      }
    } else if (!FUNCTION_NAME.test(name)) {
      reader.problem(`functions: ${quote(name)} is not allowed; use auto, none, or function names or ARNs`);
    }
  }
  return { mode: 'list', names };
}

function readFunctionFilter(reader: InputReader, functions: FunctionSelection): string[] {
  const globs = reader.unique('function-filter', parseList(reader.input('function-filter'), { words: true }));
  let valid = true;
  for (const glob of globs) {
    try {
      compileGlob(glob);
    } catch (error) {
      if (!(error instanceof GlobError)) throw error;
      valid = false;
      reader.problem(
        `function-filter: ${quote(glob)} is not a function name glob: it ${error.message}; ` +
          'use shell globs such as api-*, *-worker, [!x]* or !legacy-*',
      );
    }
  }
  if (valid && globs.length > 0 && functions.mode === 'list') {
    const filter = compileFilter(globs);
    const names = functions.names.map((name) => name.slice(name.lastIndexOf(':') + 1));
    if (!names.some((name) => filter.matches(name))) {
      reader.problem(
        `function-filter: ${globs.join(' ')} matches none of the functions listed (${names.join(', ')}); ` +
          'the roll-out would do nothing',
      );
    }
  }
  return globs;
}
