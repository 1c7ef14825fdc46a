/**
 * The ordered steps. Each runs in its own log group, is timed, and leaves its result in the Report;
 * a step takes only what the steps before it produced.
 */
import * as core from '@actions/core';
import type { Deps } from './deps.js';
import { readGitHubContext, type GitHubContext } from './github.js';
import type { Inputs, StepName } from './inputs/index.js';
import type { FunctionLookUps } from './look-ups/functions.js';
import { preflight } from './preflight/index.js';
import { noteCancel, planFacts, renderComment, type Report, type StepRecord } from './report/index.js';
import { packageChanges } from './report/changes.js';
import { writeSbom } from './sbom/index.js';
import { planBuild, type BuildPlan } from './steps/build-key.js';
import { buildLayer, type LayerArtifact } from './steps/build.js';
import { postComment } from './steps/comment.js';
import { publish, reuseVersions, type PublishedLayer } from './steps/publish.js';
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

/** Events whose code is a proposal: the steps that write to AWS only plan (see planReason). */
const PLAN_EVENTS = ['pull_request', 'pull_request_target'];
/** The steps that write to AWS; keep-versions (retention) runs only with publish. */
const WRITING_STEPS: readonly StepName[] = ['publish', 'roll-out', 'ssm'];

/**
 * Why this run's code (or what it builds) is a pull request's rather than the repository's own, or
 * undefined. A workflow_run event runs the default branch's workflow, but one triggered by a fork's
 * pull request typically builds what that pull request brought (its artifacts, its head commit).
 */
export function proposal(context: Pick<GitHubContext, 'eventName' | 'triggeringRun'>): string | undefined {
  const { eventName, triggeringRun } = context;
  if (eventName !== undefined && PLAN_EVENTS.includes(eventName)) return `a ${eventName} event`;
  if (eventName !== 'workflow_run') return undefined;
  // Without a readable payload nothing says whose code it is: plan, as for a fork.
  const event = triggeringRun?.event;
  if (event === undefined || PLAN_EVENTS.includes(event)) {
    if (triggeringRun && !triggeringRun.fromFork) return undefined;
    const from = triggeringRun?.headRepository
      ? `the fork ${triggeringRun.headRepository}`
      : 'an unknown repository';
    return `a workflow_run event triggered by a ${event ?? 'pull request (unknown event)'} run from ${from}`;
  }
  return undefined;
}

/**
 * Why this run only plans, or undefined when it may write. Code from a pull request (and, with
 * pull_request_target, the base repository's secrets) must not release: plan on the pull request,
 * apply on merge, unless the workflow opts in with allow-pull-requests.
 */
export function planReason(
  inputs: Pick<Inputs, 'allowPullRequests' | 'dryRun' | 'steps'>,
  context: Pick<GitHubContext, 'eventName' | 'triggeringRun'>,
): string | undefined {
  const why = proposal(context);
  if (why === undefined) return undefined;
  if (inputs.allowPullRequests || inputs.dryRun) return undefined;
  if (!inputs.steps.some((step) => WRITING_STEPS.includes(step))) return undefined;
  return (
    `this run is for ${why}, so publish, roll-out, ssm and keep-versions only plan and ` +
    'nothing is written to AWS; release from a push to the default branch, or set allow-pull-requests: true.'
  );
}

/** What one run carries from step to step: its inputs, as each kind of step sees them, and results so far. */
interface Run {
  readonly inputs: Inputs;
  /** The inputs of the steps that write to AWS: a dry-run when the run only plans. */
  readonly writes: Inputs;
  /** The inputs of the build: a pull request's run restores the download cache but never saves it. */
  readonly building: Inputs;
  readonly deps: Deps;
  readonly report: Report;
  readonly context: GitHubContext;
  readonly lookUps: FunctionLookUps;
  artifact?: LayerArtifact;
  plan?: BuildPlan;
  layers: readonly PublishedLayer[];
}

export async function runPipeline(inputs: Inputs, deps: Deps, report: Report): Promise<void> {
  const context = (report.context = readGitHubContext());
  const reason = planReason(inputs, context);
  if (reason) {
    report.plan = { reason };
    core.notice(`Plan only: ${reason}`, { title: 'Plan only' });
  }
  // A pull request's run may use the download cache, never fill it: a release build restores it.
  const building: Inputs =
    proposal(context) && inputs.cache === 'restore-and-save' ? { ...inputs, cache: 'restore-only' } : inputs;
  // The comment still posts for real: on a pull request it is where the plan is shown.
  const writes: Inputs = reason ? { ...inputs, dryRun: true } : inputs;
  report.layerName = inputs.layerName;
  report.runtime = inputs.runtime.id;
  report.architecture = inputs.architecture;
  report.dryRun = writes.dryRun;
  for (const { step, reason } of inputs.skipped) report.steps.push({ step, status: 'skipped', note: reason });
  // Input checks that need AWS or the disk: before the first step, so a bad input changes nothing.
  const { lookUps } = await preflight(inputs, deps);
  await runSteps({ inputs, writes, building, deps, report, context, lookUps, layers: [] });
  if (reason)
    core.info(`Plan (nothing was written to AWS): ${planFacts(report).join('; ') || 'no changes'}.`);
}

/** Runs the chosen steps in order; a failed or cancelled run still posts its comment, saying so. */
async function runSteps(run: Run): Promise<void> {
  const { inputs, deps, report } = run;
  const runStep = (step: StepName): Promise<void> =>
    timed(step, `${TITLES[step]} (${step})`, () => STEPS[step](run), deps, report);
  try {
    for (const step of inputs.steps) {
      const signal = deps.cancel.reason;
      if (signal) {
        // Stopped before this step; the comment still posts (below), saying so.
        report.cancelled ??= { signal, step };
        const note = `not started: cancelled (${signal})`;
        if (step !== 'comment') report.steps.push({ step, status: 'cancelled', note });
        deps.cancel.throwIfCancelled();
      }
      if (step === 'comment') await keepVersions(run);
      if (step === 'smoke-test' && report.unchanged) {
        const note = `${report.unchanged.message}; tested when it was built`;
        report.steps.push({ step, status: 'skipped', note });
        continue;
      }
      await runStep(step);
    }
    deps.cancel.throwIfCancelled();
    if (!inputs.steps.includes('comment')) await keepVersions(run);
  } catch (error) {
    noteCancel(report, deps.cancel);
    // The comment is where people look: a failed (or cancelled) run posts it too, with the failure in it.
    if (inputs.steps.includes('comment') && !report.steps.some((s) => s.step === 'comment')) {
      report.error = error instanceof Error ? error.message : String(error);
      await runStep('comment');
    }
    throw error;
  }
}

/**
 * Old versions go only after everything else succeeded, so a failed run never loses a fallback;
 * before the comment, so the comment says what was deleted.
 */
async function keepVersions({ inputs, writes, layers, deps, report }: Run): Promise<void> {
  if (inputs.keepVersions === 0 || layers.length === 0) return;
  const title = `Delete old layer versions (keep ${inputs.keepVersions})`;
  const body = async (): Promise<string> => {
    report.retention = await applyRetention(writes, layers, deps);
    return 'done';
  };
  await timed('keep-versions', title, body, deps, report);
}

/** Each step: what it does with the run, and its note for the summary. */
const STEPS: Record<StepName, (run: Run) => Promise<string>> = {
  build: buildStep,
  'smoke-test': async ({ inputs, deps, report, artifact }) => {
    try {
      report.smoke = await smokeTest(inputs, needArtifact(artifact), deps);
    } catch (error) {
      if (error instanceof SmokeTestError) report.smoke = error.result;
      throw error;
    }
    return 'imports ok';
  },
  publish: publishStep,
  'roll-out': async ({ writes, layers, deps, report, lookUps }) => {
    try {
      report.rollout = await rollOut(writes, layers, deps, lookUps);
    } catch (error) {
      if (error instanceof RolloutError) report.rollout = error.result;
      throw error;
    }
    return 'rolled out';
  },
  ssm: async ({ inputs, writes, layers, deps, report }) => {
    const result = (report.parameter = await putParameter(writes, layers, deps));
    if (result.failures.length > 0) {
      throw new Error(
        `Writing ${inputs.ssmParameter} failed in ${result.failures.length} of ${layers.length} regions:\n` +
          result.failures.map((f) => `  ${f.error}`).join('\n'),
      );
    }
    return 'written';
  },
  comment: async ({ inputs, deps, report, context }) => {
    // A comment that cannot be posted is a warning (postComment never throws): the release stands.
    const body = renderComment(report, inputs.commentDetails);
    report.comment = await postComment(inputs, body, context, deps.cancel.deadline);
    return report.comment.action;
  },
};

function needArtifact(artifact: LayerArtifact | undefined): LayerArtifact {
  if (!artifact) throw new Error('internal: no layer artifact before a step that needs one');
  return artifact;
}

/** Builds the layer, unless the build key says the published version already holds this content. */
async function buildStep(run: Run): Promise<string> {
  const { inputs, building, deps, report } = run;
  const plan = (run.plan = await planBuild(inputs, deps));
  if (!plan.build) {
    core.info(`The layer is ${plan.message}.`);
    const versions = plan.versions.map((v) => v.version);
    report.unchanged = { message: plan.message, buildKey: plan.buildKey, versions };
    return plan.message;
  }
  const built = await buildLayer(building, deps);
  const artifact = plan.buildKey ? { ...built, buildKey: plan.buildKey } : built;
  const sbom = await writeSbom(inputs, artifact);
  run.artifact = report.artifact = sbom ? { ...artifact, sbom } : artifact;
  return 'built';
}

/** Publishes (or reuses, when nothing was built) a version in every region, and the package diff. */
async function publishStep(run: Run): Promise<string> {
  const { inputs, writes, deps, report, plan, artifact } = run;
  const result = (report.publish =
    plan?.build === false
      ? await reuseVersions(writes, plan.versions, deps)
      : await publish(writes, needArtifact(artifact), deps));
  run.layers = result.layers;
  const family = inputs.runtime.family;
  // A reused version (nothing built) has the same packages: there is nothing to compare.
  if (artifact) report.changes = await packageChanges(inputs.layerName, family, artifact, run.layers, deps);
  if (result.failures.length > 0) {
    throw new Error(
      `Publishing failed in ${result.failures.length} of ${inputs.regions.length} regions:\n` +
        result.failures.map((f) => `  ${f.region}: ${f.error}`).join('\n'),
    );
  }
  return 'published';
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
  report.running = step;
  try {
    const note = await core.group(title, body);
    report.steps.push({ step, status: 'succeeded', seconds: seconds(), note });
  } catch (error) {
    // Whatever a step throws once the run is cancelled (a removed container's exit code, an aborted
    // call) is the cancel, not a failure of the step.
    const signal = deps.cancel.reason;
    const note = signal ? `cancelled (${signal})` : (error as Error).message.split('\n')[0]!;
    noteCancel(report, deps.cancel);
    report.steps.push({ step, status: signal ? 'cancelled' : 'failed', seconds: seconds(), note });
    throw error;
  } finally {
    delete report.running;
  }
}
