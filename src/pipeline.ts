/**
 * The ordered steps. Each runs in its own log group, is timed, and leaves its result in the Report;
 * a step takes only what the steps before it produced.
 */
import * as core from '@actions/core';
import type { Deps } from './deps.js';
import { readGitHubContext } from './github.js';
import type { Inputs, StepName } from './inputs.js';
import { renderComment, type Report, type StepRecord } from './report.js';
import { planBuild, type BuildPlan } from './steps/build-key.js';
import { buildLayer, type LayerArtifact } from './steps/build.js';
import { postComment } from './steps/comment.js';
import { publish, reuseVersions, type PublishedLayer } from './steps/publish.js';
import { putParameter } from './steps/put-parameter.js';
import { applyRetention } from './steps/retention.js';
import { RolloutError, rollOut } from './steps/roll-out.js';
import { smokeTest } from './steps/smoke-test.js';

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
  for (const { step, reason } of inputs.skipped) report.steps.push({ step, status: 'skipped', note: reason });

  let artifact: LayerArtifact | undefined;
  let plan: BuildPlan | undefined;
  let layers: readonly PublishedLayer[] = [];
  const needArtifact = (): LayerArtifact => {
    if (!artifact) throw new Error('internal: no layer artifact before a step that needs one');
    return artifact;
  };
  const steps: Record<StepName, () => Promise<string>> = {
    build: async () => {
      plan = await planBuild(inputs, deps);
      if (!plan.build) {
        core.info(`The layer is ${plan.message}.`);
        report.unchanged = {
          message: plan.message,
          buildKey: plan.buildKey,
          versions: plan.versions.map((v) => v.version),
        };
        return plan.message;
      }
      const built = await buildLayer(inputs, deps);
      artifact = report.artifact = plan.buildKey ? { ...built, buildKey: plan.buildKey } : built;
      return 'built';
    },
    'smoke-test': async () => {
      report.smoke = await smokeTest(inputs, needArtifact(), deps);
      return 'imports ok';
    },
    publish: async () => {
      const result = (report.publish =
        plan?.build === false
          ? await reuseVersions(inputs, plan.versions, deps)
          : await publish(inputs, needArtifact(), deps));
      layers = result.layers;
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
      report.comment = await postComment(inputs, renderComment(report), readGitHubContext());
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
  for (const step of inputs.steps) {
    if (step === 'comment') await keepVersions();
    if (step === 'smoke-test' && report.unchanged) {
      report.steps.push({
        step,
        status: 'skipped',
        note: `${report.unchanged.message}; tested when it was built`,
      });
      continue;
    }
    await timed(step, `${TITLES[step]} (${step})`, steps[step], deps, report);
  }
  if (!inputs.steps.includes('comment')) await keepVersions();
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
