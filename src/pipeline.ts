/**
 * The ordered steps. Each runs in its own log group, is timed, and leaves its result in the Report;
 * a step takes only what the steps before it produced.
 */
import * as core from '@actions/core';
import type { Deps } from './deps.js';
import { readGitHubContext } from './github.js';
import type { Inputs, StepName } from './inputs.js';
import { renderComment, type Report, type StepRecord } from './report.js';
import { packageChanges } from './report/changes.js';
import { buildLayer, type LayerArtifact } from './steps/build.js';
import { postComment } from './steps/comment.js';
import { publish, type PublishedLayer } from './steps/publish.js';
import { putParameter } from './steps/put-parameter.js';
import { applyRetention } from './steps/retention.js';
import { RolloutError, rollOut } from './steps/roll-out.js';
import { smokeTest, SmokeTestError } from './steps/smoke-test.js';

const TITLES: Record<StepName, string> = {
  build: 'Build the layer',
  'smoke-test': 'Smoke-test the layer',
  publish: 'Publish the layer version',
  'roll-out': 'Roll out to functions',
  ssm: 'Write the SSM parameter',
  comment: 'Comment on the commit or pull request',
};

export async function runPipeline(inputs: Inputs, deps: Deps, report: Report): Promise<void> {
  report.layerName = inputs.layerName;
  report.runtime = inputs.runtime.id;
  report.architecture = inputs.architecture;
  report.dryRun = inputs.dryRun;
  const context = (report.context = readGitHubContext());
  for (const { step, reason } of inputs.skipped) report.steps.push({ step, status: 'skipped', note: reason });

  let artifact: LayerArtifact | undefined;
  let layers: readonly PublishedLayer[] = [];
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
      try {
        report.smoke = await smokeTest(inputs, needArtifact(), deps);
      } catch (error) {
        if (error instanceof SmokeTestError) report.smoke = error.result;
        throw error;
      }
      return 'imports ok';
    },
    publish: async () => {
      const result = (report.publish = await publish(inputs, needArtifact(), deps));
      layers = result.layers;
      const family = inputs.runtime.family;
      report.changes = await packageChanges(inputs.layerName, family, needArtifact(), layers, deps);
      if (result.failures.length > 0) {
        throw new Error(
          `Publishing failed in ${result.failures.length} of ${inputs.regions.length} regions:\n` +
            result.failures.map((f) => `  ${f.region}: ${f.error}`).join('\n'),
        );
      }
      return 'published';
    },
    'roll-out': async () => {
      try {
        report.rollout = await rollOut(inputs, layers, deps);
      } catch (error) {
        if (error instanceof RolloutError) report.rollout = error.result;
        throw error;
      }
      return 'rolled out';
    },
    ssm: async () => {
      const result = (report.parameter = await putParameter(inputs, layers, deps));
      if (result.failures.length > 0) {
        throw new Error(
          `Writing ${inputs.ssmParameter} failed in ${result.failures.length} of ${layers.length} regions:\n` +
            result.failures.map((f) => `  ${f.error}`).join('\n'),
        );
      }
      return 'written';
    },
    comment: async () => {
      // A comment that cannot be posted is a warning (postComment never throws): the release stands.
      const body = renderComment(report, inputs.commentDetails);
      report.comment = await postComment(inputs, body, context);
      return report.comment.action;
    },
  };

  // Old versions go only after everything else succeeded, so a failed run never loses a fallback;
  // before the comment, so the comment says what was deleted.
  const keepVersions = async (): Promise<void> => {
    if (inputs.keepVersions === 0 || layers.length === 0) return;
    const title = `Delete old layer versions (keep ${inputs.keepVersions})`;
    await timed(
      'keep-versions',
      title,
      async () => {
        report.retention = await applyRetention(inputs, layers, deps);
        return 'done';
      },
      deps,
      report,
    );
  };
  const run = (step: StepName): Promise<void> =>
    timed(step, `${TITLES[step]} (${step})`, steps[step], deps, report);
  try {
    for (const step of inputs.steps) {
      if (step === 'comment') await keepVersions();
      await run(step);
    }
    if (!inputs.steps.includes('comment')) await keepVersions();
  } catch (error) {
    // The comment is where people look: a failed run posts it too, with the failure in it.
    if (inputs.steps.includes('comment') && !report.steps.some((s) => s.step === 'comment')) {
      report.error = error instanceof Error ? error.message : String(error);
      await run('comment');
    }
    throw error;
  }
}

async function timed(
  step: StepRecord['step'],
  title: string,
  body: () => Promise<string>,
  deps: Deps,
  report: Report,
): Promise<void> {
  const started = deps.now();
  const seconds = (): number => (deps.now() - started) / 1000;
  try {
    const note = await core.group(title, body);
    report.steps.push({ step, status: 'succeeded', seconds: seconds(), note });
  } catch (error) {
    const note = (error as Error).message.split('\n')[0]!;
    report.steps.push({ step, status: 'failed', seconds: seconds(), note });
    throw error;
  }
}
