/**
 * steps: which steps were asked for, and which will run given the other inputs (a step that lacks what
 * it needs is skipped, or refused when the workflow named it); inputs of a step that does not run warn.
 */
import * as core from '@actions/core';
import type { SourcesPart } from './build.js';
import type { PublishPart } from './publish.js';
import { parseList, quote, type InputReader } from './reader.js';
import type { RollOutPart } from './roll-out.js';
import type { ReportPart } from './ssm-comment.js';
import { STEP_NAMES, type Inputs, type SkippedStep, type StepName } from './types.js';

export function readRequestedSteps(reader: InputReader): Set<StepName> {
  const requested = new Set<StepName>();
  for (const step of parseList(reader.input('steps') || STEP_NAMES.join(','), { words: true })) {
    if ((STEP_NAMES as readonly string[]).includes(step)) requested.add(step as StepName);
    else reader.problem(`steps: ${quote(step)} is not a step; use any of ${STEP_NAMES.join(', ')}`);
  }
  return requested;
}

type StepsPart = Pick<Inputs, 'steps' | 'skipped'>;

/**
 * Inputs that only some steps read, with their defaults: given while none of those steps runs, they
 * would be silently ignored. compatible-runtimes is also what build's native check and the smoke test
 * load the layer with, and what roll-out matches functions against.
 */
const READERS: readonly (readonly [input: string, fallback: string, steps: readonly StepName[]])[] = [
  ['smoke-image', '', ['smoke-test']],
  ['smoke-imports', '', ['smoke-test']],
  ['description', '', ['publish']],
  ['license-info', '', ['publish']],
  ['compatible-runtimes', '', ['build', 'smoke-test', 'publish', 'roll-out']],
  ['s3-bucket', '', ['publish']],
  ['share-with', '', ['publish']],
  ['keep-versions', '0', ['publish']],
  ['skip-unchanged', 'true', ['publish']],
  ['function-filter', '', ['roll-out']],
  ['max-parallel', '25', ['roll-out']],
  ['on-failure', 'stop', ['roll-out']],
  ['canary', '0', ['roll-out']],
  ['canary-wait', '0', ['roll-out']],
  ['update-aliases', 'false', ['roll-out']],
  ['alarms', '', ['roll-out']],
  ['wait', 'true', ['roll-out']],
];

export function decideSteps(
  reader: InputReader,
  requestedSteps: Set<StepName>,
  parts: SourcesPart & PublishPart & RollOutPart & ReportPart,
): StepsPart {
  const { zipFile, functions, ssmParameter, githubToken, trim, regions } = parts;
  const skipped: SkippedStep[] = [];
  // Steps the workflow named itself (not the default "all"): one that cannot run is a mistake.
  const namedSteps = requestedSteps.size < STEP_NAMES.length;
  // With zip-file, the build step reads and checks that zip instead of building.
  if (zipFile !== undefined) requestedSteps.add('build');
  const conditions: Partial<Record<StepName, [reason: string, missing: string] | false>> = {
    'roll-out': functions.mode === 'none' && ['functions is none', 'functions (it is none)'],
    ssm: ssmParameter === undefined && ['no ssm-parameter', 'ssm-parameter'],
    comment: githubToken === undefined && ['no github-token', 'github-token'],
  };
  const steps = STEP_NAMES.filter((step) => {
    if (!requestedSteps.has(step)) return false;
    const condition = conditions[step];
    if (!condition) return true;
    if (namedSteps)
      reader.problem(`steps: ${step} is asked for, but it needs ${condition[1]}; give it or drop the step`);
    skipped.push({ step, reason: condition[0] });
    return false;
  });
  if (steps.length === 0 && reader.problems.length === 0) {
    reader.problem(`steps: nothing to run; use any of ${STEP_NAMES.join(', ')}`);
  }
  const needsLayer = steps.some((step) => step === 'smoke-test' || step === 'publish');
  if (needsLayer && !steps.includes('build')) {
    reader.problem('steps: smoke-test and publish need a layer; add build or give zip-file');
  }
  if (trim && !steps.includes('smoke-test')) {
    reader.problem(
      'trim: needs the smoke-test step, so that a trim that breaks an import fails the run; add smoke-test',
    );
  }
  const needsRegion = steps.some((step) => step === 'publish' || step === 'roll-out' || step === 'ssm');
  if (needsRegion && regions.length === 0) {
    reader.problem(
      'regions: no region given and AWS_REGION is not set; use e.g. us-east-1 (or run configure-aws-credentials first)',
    );
  }
  for (const step of ['roll-out', 'ssm'] as const) {
    if (steps.includes(step) && !steps.includes('publish')) {
      reader.problem(
        `steps: ${step} needs publish (it uses the layer version that publish makes or finds unchanged)`,
      );
    }
  }
  warnAboutUnusedInputs(reader, steps);
  return { steps, skipped };
}

/**
 * A workflow may keep one `with:` block for a plan job and a release job that run different steps (the
 * README's pull-request example), so inputs of a step that does not run are a warning, not an error.
 */
function warnAboutUnusedInputs(reader: InputReader, steps: readonly StepName[]): void {
  // One warning per set of reading steps, naming every unused input of it.
  const unused = new Map<string, string[]>();
  for (const [name, fallback, readers] of READERS) {
    if (readers.some((step) => steps.includes(step)) || !reader.given(name, fallback)) continue;
    const key = readers.join(',');
    unused.set(key, [...(unused.get(key) ?? []), name]);
  }
  for (const [key, names] of unused) {
    const readers = key.split(',');
    const which =
      readers.length === 1
        ? `the ${readers[0]} step, which this run does not run`
        : `the ${readers.slice(0, -1).join(', ')} and ${readers.at(-1)} steps, none of which this run runs`;
    core.warning(`${names.join(', ')}: only used by ${which}; ignored`);
  }
}
