/**
 * run(deps): inputs → pipeline → outputs and job summary. The only place that fails the run, and the
 * one that hears the runner's SIGINT / SIGTERM when the workflow run is cancelled (src/cancel.ts).
 */
import * as core from '@actions/core';
import { STATE, whenAborted } from './cancel.js';
import { defaultDeps, type Deps } from './deps.js';
import { getInputs } from './inputs/index.js';
import { noteCancel, runPipeline } from './pipeline.js';
import { newReport, outputsOf, renderSummary, type Report } from './report/index.js';
import { workDirOf } from './steps/build.js';

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  const report = newReport();
  // Saved first: a post step after a SIGKILL finds the run's containers by this id.
  core.saveState(STATE.runId, deps.containers.runId);
  const stopping: Promise<void>[] = [];
  const onSignal = (signal: NodeJS.Signals): void => {
    const first = !deps.cancel.signal.aborted;
    deps.cancel.cancel(signal);
    if (!first) return;
    core.warning(`Received ${signal}: the run is cancelled; stopping its containers and reporting.`);
    stopping.push(deps.containers.removeAll(deps.cancel.deadline));
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    const inputs = getInputs();
    core.saveState(STATE.tempTree, workDirOf(inputs));
    // After a cancel the pipeline has until the deadline to wind down; the report is written either way.
    const deadline = whenAborted(deps.cancel.deadline).then(() => {
      throw deps.cancel.signal.reason;
    });
    await Promise.race([runPipeline(inputs, deps, report), deadline]);
  } catch (error) {
    noteCancel(report, deps);
    report.error = error instanceof Error ? error.message : String(error);
    core.setFailed(failure(report));
  } finally {
    await finish(report);
    await Promise.all(stopping);
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    deps.cancel.dispose();
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
