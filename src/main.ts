/**
 * run(deps): inputs → pipeline → outputs and job summary. The only place that fails the run, and the
 * one that hears the runner's SIGINT / SIGTERM when the workflow run is cancelled (src/cancel.ts).
 *
 * The pipeline and the AWS SDK are imported once the inputs are valid: ncc puts them in chunks of
 * their own (dist/*.index.js), so a run refused in validation never parses them, and every run logs
 * what it is about to do before parsing them (docs/performance.md, cold start). The run id and the
 * cancellation exist before them: a signal while they load still cancels the run.
 */
import * as core from '@actions/core';
import { Cancellation, newRunId, STATE, whenAborted } from './cancel.js';
import type { Deps } from './deps.js';
import { getInputs, workDirOf } from './inputs/index.js';
import { newReport, noteCancel, outputsOf, renderSummary, type Report } from './report/index.js';

export async function run(given?: Deps): Promise<void> {
  const report = newReport();
  const cancel = given?.cancel ?? new Cancellation();
  const runId = given?.containers.runId ?? newRunId();
  // Saved first: a post step after a SIGKILL finds the run's containers by this id.
  core.saveState(STATE.runId, runId);
  let deps = given;
  const stopping: Promise<void>[] = [];
  const onSignal = (signal: NodeJS.Signals): void => {
    const first = !cancel.signal.aborted;
    cancel.cancel(signal);
    if (!first) return;
    core.warning(`Received ${signal}: the run is cancelled; stopping its containers and reporting.`);
    // Before the deps exist no container has started, and once cancelled none starts.
    if (deps) stopping.push(deps.containers.removeAll(cancel.deadline));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    const inputs = getInputs();
    core.info(`lambda-layer-release: ${inputs.steps.join(', ')} for layer ${inputs.layerName}`);
    const [{ runPipeline }, made] = await Promise.all([
      import('./pipeline.js'),
      given ?? import('./deps.js').then((m) => m.defaultDeps(runId, cancel)),
    ]);
    deps = made;
    core.saveState(STATE.tempTree, workDirOf(inputs));
    // After a cancel the pipeline has until the deadline to wind down; the report is written either way.
    const deadline = whenAborted(cancel.deadline).then(() => {
      throw cancel.signal.reason;
    });
    await Promise.race([runPipeline(inputs, deps, report), deadline]);
  } catch (error) {
    noteCancel(report, cancel);
    report.error = error instanceof Error ? error.message : String(error);
    core.setFailed(failure(report));
  } finally {
    await finish(report);
    await Promise.all(stopping);
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    cancel.dispose();
  }
}

function failure(report: Report): string {
  const cancelled = report.cancelled;
  if (!cancelled) return report.error!;
  const where = cancelled.step ? ` during ${cancelled.step}` : '';
  return `Cancelled (${cancelled.signal})${where}. Re-running with the same inputs is safe: see docs/cancel.md.`;
}

/** Outputs and summary also on failure: they say what was built before the failing step. */
async function finish(report: Report): Promise<void> {
  for (const [name, value] of Object.entries(outputsOf(report))) core.setOutput(name, value);
  // A runner always sets GITHUB_STEP_SUMMARY; off a runner (local-action, a script) there is none to write.
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info(
      'GITHUB_STEP_SUMMARY is not set, so no job summary was written (set it to a file to keep one).',
    );
    return;
  }
  try {
    await core.summary.addRaw(renderSummary(report)).write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`);
  }
}
