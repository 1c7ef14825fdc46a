/**
 * The shapes the readers of src/inputs/ fill and the rest of the action reads: the Inputs object, the
 * step names and the roll-out's choices. A leaf: it imports none of its neighbours.
 */
import type { ManifestSource } from '../manifests/types.js';
import type { Architecture, Runtime } from '../runtimes/index.js';

export const STEP_NAMES = ['build', 'smoke-test', 'publish', 'roll-out', 'ssm', 'comment'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export type OnFailure = 'stop' | 'continue' | 'rollback';
export type FunctionSelection =
  | { readonly mode: 'auto' }
  | { readonly mode: 'none' }
  | { readonly mode: 'list'; readonly names: readonly string[] };

export interface SkippedStep {
  readonly step: StepName;
  readonly reason: string;
}

export interface Inputs {
  /** The steps that will run, in pipeline order. */
  readonly steps: readonly StepName[];
  /** Requested steps that will not run, and why (shown in the summary). */
  readonly skipped: readonly SkippedStep[];
  readonly layerName: string;
  /** The account of a layer ARN given as layer-name: must be the caller's (checked in src/preflight/index.ts). */
  readonly layerAccount: string | undefined;
  readonly runtime: Runtime;
  readonly architecture: Architecture;
  readonly workspace: string;
  /** Absolute path of the layer's source folder. */
  readonly workingDirectory: string;
  /** Manifest path relative to workingDirectory, with forward slashes. */
  readonly manifest: string;
  /** The manifest, the lock that decides its versions and the tool that installs it (src/manifests/detect.ts). */
  readonly manifestSource: ManifestSource;
  /** Extras of a locked Python project to install too (src/manifests/python/). */
  readonly extras: readonly string[];
  /** Dependency groups (uv, Poetry) or Pipfile categories to install too; dev groups are left out otherwise. */
  readonly groups: readonly string[];
  readonly buildCommand: string | undefined;
  readonly installArgs: readonly string[];
  /** Registry (and path) the default images come from: public.ecr.aws, or a mirror of it. */
  readonly imageRegistry: string;
  readonly buildImage: string;
  readonly smokeImage: string;
  /** Modules to import in the smoke test; undefined = discover them from the layer. */
  readonly smokeImports: readonly string[] | undefined;
  /** Trim the built layer (caches, tests, debug symbols); the smoke test then always runs. */
  readonly trim: boolean;
  /** Python: install the architecture's wheels by platform tag in the runner's own build image. */
  readonly crossInstall: boolean;
  /** A zip built elsewhere (absolute path); when set, the build step reads it instead of building. */
  readonly zipFile: string | undefined;
  readonly description: string | undefined;
  readonly licenseInfo: string | undefined;
  readonly compatibleRuntimes: readonly string[];
  readonly regions: readonly string[];
  readonly s3Bucket: string | undefined;
  readonly skipUnchanged: boolean;
  readonly shareWith: readonly string[];
  readonly keepVersions: number;
  readonly functions: FunctionSelection;
  readonly functionFilter: readonly string[];
  readonly maxParallel: number;
  /** Accounts to roll out in, in order (empty: the job's own account); see src/look-ups/targets.ts. */
  readonly accounts: readonly string[];
  /** Role ARN template with `{account}`, assumed in each of `accounts` other than the layer's own. */
  readonly accountRole: string | undefined;
  readonly maxParallelAccounts: number;
  readonly onFailure: OnFailure;
  /** Functions per region updated first, alone; the others follow only if all of them succeed. */
  readonly canary: number;
  /** Seconds to wait after a successful canary. */
  readonly canaryWait: number;
  /** Also move aliases that point at a published version (see src/steps/aliases.ts). */
  readonly updateAliases: boolean;

  /** CloudWatch alarm names that gate the roll-out (src/steps/alarms.ts). */
  readonly alarms: readonly string[];
  readonly wait: boolean;
  readonly dryRun: boolean;
  /** Let pull_request and pull_request_target runs write to AWS (by default they only plan). */
  readonly allowPullRequests: boolean;
  readonly ssmParameter: string | undefined;
  readonly githubToken: string | undefined;
  /** minimal: the comment leaves out account ids, function names and AWS error text. */
  readonly commentDetails: 'full' | 'minimal';
  /** Scratch space for build trees and zips (RUNNER_TEMP on a runner). */
  readonly tempDir: string;
  /** Build even when the newest versions carry this run's build key (src/steps/build-key.ts). */
  readonly forceBuild: boolean;
  /**
   * The package managers' download caches between runs (src/steps/download-cache.ts); a pull request's
   * run only restores them (src/pipeline.ts).
   */
  readonly cache: 'off' | 'restore-and-save' | 'restore-only';
  /** Minutes each build container may run (src/inputs/limits.ts). */
  readonly buildTimeout: number;
  /** Bytes of memory each build container may use. */
  readonly buildMemory: number;
  /** The build container's network: bridge, none or a named network. */
  readonly buildNetwork: string;
}
