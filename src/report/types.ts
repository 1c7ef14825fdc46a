/**
 * The run's Report: what each step did. It becomes the action's outputs and the job summary,
 * and it is filled in as steps finish, so a failed run still reports what happened before.
 * Types only, and a leaf of src/report/: the renderers import it, it imports none of them.
 */
import type { GitHubContext } from '../github.js';
import type { StepName } from '../inputs.js';
import type { LayerArtifact } from '../steps/build.js';
import type { CommentResult } from '../steps/comment.js';
import type { PublishResult } from '../steps/publish.js';
import type { PutParameterResult } from '../steps/put-parameter.js';
import type { RetentionResult } from '../steps/retention.js';
import type { RolloutResult } from '../steps/roll-out.js';
import type { SmokeResult } from '../steps/smoke-test.js';

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

/** How much the comment may say: minimal has no account ids (no ARNs), no function names, no AWS error text. */
export type CommentDetails = 'full' | 'minimal';

/** What changed in the packages against the version that was live before (src/report/changes.ts). */
export type ChangeKind = 'added' | 'removed' | 'upgraded' | 'downgraded' | 'changed';

export interface PackageChange {
  readonly name: string;
  readonly kind: ChangeKind;
  readonly before?: string;
  readonly after?: string;
}

export interface PackageChanges {
  /** The version compared against; undefined when this is the layer's first version. */
  readonly against?: { readonly region: string; readonly version: number; readonly layerVersionArn: string };
  readonly changes: readonly PackageChange[];
  readonly unchanged: number;
  /** Set when the old version could not be read: the diff is then missing, never guessed. */
  readonly error?: string;
}
