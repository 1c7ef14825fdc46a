/**
 * run(): inputs → pipeline → outputs and job summary. The only place that fails the run.
 *
 * The pipeline and the AWS SDK are imported once the inputs are valid: ncc puts them in chunks of
 * their own (dist/*.index.js), so a run refused in validation never parses them, and every run logs
 * what it is about to do before parsing them (docs/performance.md, cold start).
 */
import * as core from '@actions/core';
import type { Deps } from './deps.js';
import { getInputs } from './inputs.js';
import { newReport, outputsOf, renderSummary } from './report.js';

export async function run(given?: Deps): Promise<void> {
  const report = newReport();
  try {
    const inputs = getInputs();
    core.info(`lambda-layer-release: ${inputs.steps.join(', ')} for layer ${inputs.layerName}`);
    const [{ runPipeline }, deps] = await Promise.all([
      import('./pipeline.js'),
      given ?? import('./deps.js').then((m) => m.defaultDeps()),
    ]);
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
