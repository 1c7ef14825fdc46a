/**
 * Every input of action.yml is read and validated here, once, before anything runs.
 * The rest of the action sees one readonly `Inputs` object and never calls core.getInput.
 * Each group of inputs has its reader beside this file (steps.ts, layer.ts, build.ts, images.ts,
 * limits.ts, publish.ts, roll-out.ts, accounts.ts, ssm-comment.ts); the types are in types.ts.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { readSources } from './build.js';
import { readLayer } from './layer.js';
import { readBuildLimits } from './limits.js';
import { readPublish } from './publish.js';
import { InputReader } from './reader.js';
import { readRollOut } from './roll-out.js';
import { readSsmAndComment } from './ssm-comment.js';
import { decideSteps, readRequestedSteps } from './steps.js';
import type { Inputs } from './types.js';

export { parseList } from './reader.js';
export {
  STEP_NAMES,
  type FunctionSelection,
  type Inputs,
  type OnFailure,
  type SkippedStep,
  type StepName,
} from './types.js';

/** Thrown when inputs are invalid; lists every problem found, not just the first. */
export class InputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      problems.length === 1
        ? `Invalid input: ${problems[0]}`
        : `Invalid inputs:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'InputError';
  }
}

/** Reads every group of inputs (each records its problems), then throws InputError if any was found. */
export function getInputs(env: NodeJS.ProcessEnv = process.env): Inputs {
  const reader = new InputReader(env, path.resolve(env.GITHUB_WORKSPACE || process.cwd()));
  const requestedSteps = readRequestedSteps(reader);
  const layer = readLayer(reader);
  const sources = readSources(reader, requestedSteps, layer);
  const limits = readBuildLimits(reader);
  const publish = readPublish(reader, layer);
  const rollOut = readRollOut(reader, publish.regions);
  const report = readSsmAndComment(reader, publish.regions, requestedSteps);
  const plan = decideSteps(reader, requestedSteps, { ...sources, ...publish, ...rollOut, ...report });

  if (reader.problems.length > 0) throw new InputError(reader.problems);

  return Object.freeze({
    ...plan,
    layerName: layer.layerName,
    layerAccount: layer.layerAccount,
    runtime: layer.runtime!,
    architecture: layer.architecture,
    workspace: reader.workspace,
    ...sources,
    ...limits,
    ...publish,
    ...rollOut,
    ...report,
    tempDir: path.resolve(env.RUNNER_TEMP || os.tmpdir()),
  });
}

/**
 * The build's temporary tree under tempDir (build folder, zip, smoke-test copy): src/steps/build.ts
 * makes it; src/main.ts saves its path first, so that the post step (src/post.ts) removes it.
 */
export function workDirOf(
  inputs: Pick<Inputs, 'tempDir' | 'layerName' | 'runtime' | 'architecture'>,
): string {
  return path.join(
    inputs.tempDir,
    'lambda-layer-release',
    `${inputs.layerName}-${inputs.runtime.id}-${inputs.architecture}`,
  );
}
