/**
 * The report's one entry: the Report's types, the action's outputs, and the job summary and comment
 * (rendered by the modules beside this one). changes.ts, which reads zips and asks Lambda, is imported
 * by the pipeline itself: src/main.ts loads this entry before the inputs are valid, so it stays light.
 */
import { render } from './render.js';
import type { CommentDetails, Report } from './types.js';
import type { FunctionOutcome } from '../steps/roll-out.js';

export type * from './types.js';
export { planFacts } from './plan.js';

export function newReport(): Report {
  return { steps: [] };
}

/** A cancelled run: which signal, and the step it stopped (see src/cancel.ts). */
export function noteCancel(report: Report, cancel: { readonly reason: string | undefined }): void {
  const signal = cancel.reason;
  if (!signal || report.cancelled) return;
  const step = report.running ?? report.steps.find((s) => s.status === 'cancelled')?.step;
  report.cancelled = { signal, ...(step ? { step } : {}) };
}

/** The action's outputs; only those the run produced are set. */
export function outputsOf(report: Report): Record<string, string> {
  const outputs: Record<string, string> = {};
  const artifact = report.artifact;
  if (artifact) {
    outputs['content-hash'] = artifact.contentHash;
    outputs['code-sha256'] = artifact.codeSha256;
    outputs['zip-file'] = artifact.zipFile;
    outputs['zip-size'] = String(artifact.zipSize);
    outputs['unzipped-size'] = String(artifact.unzippedSize);
    if (artifact.sbom) outputs['sbom'] = artifact.sbom.file;
  }
  const layers = report.publish?.layers ?? [];
  const first = layers[0];
  if (first) {
    outputs['layer-arn'] = first.layerArn;
    outputs['layer-version-arn'] = first.layerVersionArn;
    outputs['layer-version'] = String(first.version);
    outputs['layer-version-arns'] = JSON.stringify(
      Object.fromEntries(layers.map((l) => [l.region, l.layerVersionArn])),
    );
    outputs['published'] = String(layers.some((l) => l.published && !l.planned));
  }
  const write = report.parameter?.writes[0];
  if (write) outputs['ssm-parameter-version'] = String(write.version);
  const rollout = report.rollout;
  if (rollout) {
    const pick = (statuses: string[]): FunctionOutcome[] =>
      rollout.functions.filter((f) => statuses.includes(f.status));
    // Full ARNs: with accounts, a name alone does not say which function it is.
    const [, partition = 'aws', , , owner = ''] = (first?.layerArn ?? '').split(':');
    const where = (f: FunctionOutcome) => ({
      function: f.functionName,
      arn: f.functionName.startsWith('arn:')
        ? f.functionName
        : `arn:${partition}:lambda:${f.region}:${f.account ?? owner}:function:${f.functionName}`,
      account: f.account ?? owner,
      region: f.region,
    });
    outputs['updated-functions'] = JSON.stringify(
      pick(['updated', 'planned']).map((f) => ({ ...where(f), from: f.fromVersion, to: f.toVersion })),
    );
    // In flight (a cancelled run): on its old or its new entry, Lambda had not said which.
    outputs['failed-functions'] = JSON.stringify(
      pick(['failed', 'in-flight']).map((f) => ({ ...where(f), reason: f.reason })),
    );
  }
  return outputs;
}

/** The job summary: everything, for the people who can see the workflow run. */
export function renderSummary(report: Report): string {
  return render(report, { audience: 'summary', details: 'full' });
}

/** The commit or pull request comment: the summary without the per-import details. */
export function renderComment(report: Report, details: CommentDetails = 'full'): string {
  return render(report, { audience: 'comment', details });
}
