/**
 * The ordered steps. Each runs in its own log group, is timed, and leaves its result in the Report;
 * a step takes only what the steps before it produced.
 */
import * as core from '@actions/core';
import type { Deps } from './deps.js';
import type { Inputs, StepName } from './inputs.js';
import type { Report } from './report.js';
import { buildLayer, type LayerArtifact } from './steps/build.js';
import { smokeTest } from './steps/smoke-test.js';

const TITLES: Record<StepName, string> = {
  build: 'Build the layer',
  'smoke-test': 'Smoke-test the layer',
  publish: 'Publish the layer version',
  'roll-out': 'Roll out to functions',
  ssm: 'Write the SSM parameter',
  comment: 'Comment on the commit',
};

export async function runPipeline(inputs: Inputs, deps: Deps, report: Report): Promise<void> {
  report.layerName = inputs.layerName;
  report.runtime = inputs.runtime.id;
  report.architecture = inputs.architecture;
  for (const { step, reason } of inputs.skipped) report.steps.push({ step, status: 'skipped', note: reason });

  let artifact: LayerArtifact | undefined;
  const needArtifact = (): LayerArtifact => {
    if (!artifact) throw new Error('internal: no layer artifact before a step that needs one');
    return artifact;
  };
  const steps: Record<StepName, () => Promise<string>> = {
    build: async () => {
      artifact = report.artifact = await buildLayer(inputs, deps);
      return 'built';
    },
    'smoke-test': async () => {
      report.smoke = await smokeTest(inputs, needArtifact(), deps);
      return 'imports ok';
    },
    publish: notAvailable('publish'),
    'roll-out': notAvailable('roll-out'),
    ssm: notAvailable('ssm'),
    comment: notAvailable('comment'),
  };

  for (const step of inputs.steps) {
    const started = deps.now();
    const seconds = (): number => (deps.now() - started) / 1000;
    try {
      const note = await core.group(`${TITLES[step]} (${step})`, steps[step]);
      report.steps.push({ step, status: 'succeeded', seconds: seconds(), note });
    } catch (error) {
      report.steps.push({
        step,
        status: 'failed',
        seconds: seconds(),
        note: (error as Error).message.split('\n')[0]!,
      });
      throw error;
    }
  }
}

// inputs.ts refuses these steps before anything runs; this is the guard behind it.
function notAvailable(step: StepName): () => Promise<never> {
  return () => Promise.reject(new Error(`step ${step} is not available in this version`));
}
