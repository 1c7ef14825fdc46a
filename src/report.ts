/**
 * The run's Report: what each step did. It becomes the action's outputs and the job summary,
 * and it is filled in as steps finish, so a failed run still reports what happened before.
 * Rendering lives in src/report/.
 */
export type { CommentDetails } from './report/render.js';
import type { GitHubContext } from './github.js';
import type { StepName } from './inputs.js';
import type { PackageChanges } from './report/changes.js';
import { render, type CommentDetails } from './report/render.js';
import type { LayerArtifact } from './steps/build.js';
import type { CommentResult } from './steps/comment.js';
import type { PublishResult } from './steps/publish.js';
import type { PutParameterResult } from './steps/put-parameter.js';
import type { RetentionResult } from './steps/retention.js';
import type { FunctionOutcome, RolloutResult } from './steps/roll-out.js';
import type { SmokeResult } from './steps/smoke-test.js';

export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface StepRecord {
  readonly step: StepName | 'keep-versions';
  readonly status: StepStatus;
  readonly seconds?: number;
  readonly note: string;
}

export interface Report {
  layerName?: string;
  runtime?: string;
  architecture?: string;
  readonly steps: StepRecord[];
  artifact?: LayerArtifact;
  smoke?: SmokeResult;
  publish?: PublishResult;
  rollout?: RolloutResult;
  parameter?: PutParameterResult;
  comment?: CommentResult;
  retention?: RetentionResult[];
  /** Set when the AWS steps only planned, e.g. on a pull request: why (a full sentence's second half). */
  plan?: { readonly reason: string };
  /** The package diff against the version that was live before (publish and plan runs). */
  changes?: PackageChanges;
  dryRun?: boolean;
  /** Where the run happened: the comment links to the run and names the commit. */
  context?: GitHubContext;
  /** Set when the build key matched and nothing was built; its message is the build step's note. */
  unchanged?: { readonly message: string; readonly buildKey: string; readonly versions: readonly number[] };
  error?: string;
  /** The step running now (set while it runs): where a cancel stopped the run. */
  running?: StepRecord['step'];
  /** Set when the run was cancelled (SIGINT/SIGTERM): the signal and the step it stopped. */
  cancelled?: { readonly signal: string; readonly step?: StepRecord['step'] };
}

export function newReport(): Report {
  return { steps: [] };
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

export { planFacts } from './report/plan.js';
