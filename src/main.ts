/**
 * run(): inputs → pipeline → outputs and job summary. The only place that fails the run.
 */
import * as core from '@actions/core';
import { defaultDeps, type Deps } from './deps.js';
import { getInputs } from './inputs.js';
import { runPipeline } from './pipeline.js';
import { newReport, outputsOf, renderSummary } from './report/index.js';

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  const report = newReport();
  try {
    const inputs = getInputs();
    await runPipeline(inputs, deps, report);
  } catch (error) {
    report.error = error instanceof Error ? error.message : String(error);
    core.setFailed(report.error);
  } finally {
    // Outputs and summary also on failure: they say what was built before the failing step.
    for (const [name, value] of Object.entries(outputsOf(report))) core.setOutput(name, value);
    try {
      await core.summary.addRaw(renderSummary(report)).write();
    } catch (error) {
      core.warning(`Could not write the job summary: ${(error as Error).message}`);
    }
  }
}
