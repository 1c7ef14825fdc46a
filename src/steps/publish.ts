/**
 * Publish step: a new layer version in every region — unless the newest version already has this
 * exact content, in which case that version is used and nothing is published (re-runs are no-ops).
 * Zips over 50 MB (or any zip, with s3-bucket) go through S3 in the same region.
 */
import * as core from '@actions/core';
import {
  AddLayerVersionPermissionCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  paginateListLayerVersions,
  PublishLayerVersionCommand,
  type Architecture as LambdaArchitecture,
  type LambdaClient,
  type LayerVersionContentInput,
  type LayerVersionsListItem,
  type Runtime as LambdaRuntime,
} from '@aws-sdk/client-lambda';
import * as fs from 'node:fs';
import { layerArnOf } from '../aws/arn.js';
import { inEachRegion, type RegionFailure } from '../aws/regions.js';
import type { Deps } from '../deps.js';
import { uploadSbom } from '../sbom/upload.js';
import type { Inputs } from '../inputs/index.js';
import { pinnedList } from '../layer/packages.js';
import { buildKeyMarker, type UnchangedVersion } from './build-key.js';
import { MAX_DIRECT_UPLOAD_BYTES, mb, type LayerArtifact } from './build.js';

export interface PublishedLayer {
  readonly region: string;
  readonly layerArn: string;
  readonly layerVersionArn: string;
  readonly version: number;
  /** false: the newest version already had this content and is used as it is. */
  readonly published: boolean;
  /** Only planned (dry-run): nothing was written, the version number is the one a publish would get. */
  readonly planned: boolean;
  readonly sharedWith: readonly string[];
  /** The newest version before this run published (or would publish) one: what the report diffs against. */
  readonly previousVersion?: number;
}

export interface PublishResult {
  readonly layers: readonly PublishedLayer[];
  readonly failures: readonly RegionFailure[];
}

type PublishInputs = Pick<
  Inputs,
  | 'layerName'
  | 'runtime'
  | 'architecture'
  | 'description'
  | 'licenseInfo'
  | 'compatibleRuntimes'
  | 'regions'
  | 's3Bucket'
  | 'skipUnchanged'
  | 'shareWith'
  | 'dryRun'
>;

const MAX_DESCRIPTION = 256;
/** Regions published at the same time: each is a handful of calls, mostly the upload. */
const REGION_CONCURRENCY = 4;

/**
 * The description ends with the build key (a pinned build) and the content hash, so a later run can
 * recognise this content, before building (src/steps/build-key.ts) or after.
 */
export function layerDescription(inputs: PublishInputs, artifact: LayerArtifact): string {
  const marker = `${artifact.buildKey ? buildKeyMarker(artifact.buildKey) : ''} sha256:${artifact.contentHash}`;
  const text =
    inputs.description ?? (pinnedList(inputs.runtime.family, artifact.packages) || inputs.layerName);
  const room = MAX_DESCRIPTION - marker.length;
  return `${text.length > room ? `${text.slice(0, room - 1)}…` : text}${marker}`;
}

export async function publish(
  inputs: PublishInputs,
  artifact: LayerArtifact,
  deps: Deps,
): Promise<PublishResult> {
  const viaS3 = inputs.s3Bucket !== undefined || artifact.zipSize > MAX_DIRECT_UPLOAD_BYTES;
  if (viaS3 && inputs.s3Bucket === undefined) {
    throw new Error(
      `The layer zip is ${mb(artifact.zipSize)}; Lambda accepts at most ${mb(MAX_DIRECT_UPLOAD_BYTES)} in a direct ` +
        'upload. Set s3-bucket to a bucket in each region (e.g. my-artifacts-{region}) to publish through S3.',
    );
  }
  const { results: layers, failures } = await inEachRegion(
    inputs.regions,
    (region) => publishInRegion(inputs, artifact, deps, region),
    { concurrency: REGION_CONCURRENCY },
  );
  for (const failure of failures)
    core.error(`${failure.region}: ${failure.error}`, { title: 'Publish failed' });
  return { layers, failures };
}

/** Uses the versions found unchanged before the build (by build key): shares them, publishes nothing. */
export async function reuseVersions(
  inputs: PublishInputs,
  versions: readonly UnchangedVersion[],
  deps: Deps,
): Promise<PublishResult> {
  const { results: layers, failures } = await inEachRegion(
    versions.map((v) => v.region),
    async (region) => {
      const { layerVersionArn, version } = versions.find((v) => v.region === region)!;
      core.info(`${region}: using version ${version}, built from the same inputs; nothing published.`);
      const sharedWith = await share(deps.lambda(region), inputs, layerVersionArn, version, region, true);
      return {
        region,
        ...versionFields(layerVersionArn),
        published: false,
        planned: inputs.dryRun,
        sharedWith,
      };
    },
    { concurrency: REGION_CONCURRENCY },
  );
  for (const failure of failures)
    core.error(`${failure.region}: ${failure.error}`, { title: 'Publish failed' });
  return { layers, failures };
}

async function publishInRegion(
  inputs: PublishInputs,
  artifact: LayerArtifact,
  deps: Deps,
  region: string,
): Promise<PublishedLayer> {
  const lambda = deps.lambda(region);
  const description = layerDescription(inputs, artifact);
  const newest = await newestVersion(lambda, inputs.layerName);

  if (newest && inputs.skipUnchanged) {
    const unchanged = await sameContent(lambda, inputs, artifact, newest.version, newest.description);
    if (unchanged) {
      core.info(`${region}: version ${newest.version} already has this content; nothing published.`);
      const sharedWith = await share(lambda, inputs, newest.arn, newest.version, region, true);
      return { region, ...versionFields(newest.arn), published: false, planned: inputs.dryRun, sharedWith };
    }
  }

  if (inputs.dryRun) {
    const version = (newest?.version ?? 0) + 1;
    const layerArn = newest ? layerArnOf(newest.arn) : `(new layer ${inputs.layerName})`;
    core.info(`${region}: dry-run, would publish version ${version}.`);
    return {
      region,
      layerArn,
      layerVersionArn: `${layerArn}:${version}`,
      version,
      published: true,
      planned: true,
      sharedWith: inputs.shareWith,
      previousVersion: newest?.version,
    };
  }

  const content = await uploadContent(inputs, artifact, deps, region);
  const published = await lambda.send(
    new PublishLayerVersionCommand({
      LayerName: inputs.layerName,
      Description: description,
      Content: content,
      LicenseInfo: inputs.licenseInfo,
      CompatibleRuntimes: inputs.compatibleRuntimes as LambdaRuntime[],
      CompatibleArchitectures: [inputs.architecture as LambdaArchitecture],
    }),
  );
  if (published.Content?.CodeSha256 && published.Content.CodeSha256 !== artifact.codeSha256) {
    throw new Error(
      `Lambda reports CodeSha256 ${published.Content.CodeSha256} for version ${published.Version}, ` +
        `but the zip has ${artifact.codeSha256}: the upload was altered.`,
    );
  }
  const arn = published.LayerVersionArn!;
  core.info(`${region}: published ${arn}`);
  const sharedWith = await share(lambda, inputs, arn, published.Version!, region, false);
  return {
    region,
    ...versionFields(arn),
    published: true,
    planned: false,
    sharedWith,
    previousVersion: newest?.version,
  };
}

interface NewestVersion {
  readonly arn: string;
  readonly version: number;
  readonly description: string;
}

/**
 * The version with the highest number. Lambda lists newest first and honours MaxItems, so one call
 * with MaxItems 1 answers it. Emulators (moto) ignore MaxItems and list oldest first: when a page holds
 * more than the one asked for, every page is searched, for as long as there is a NextMarker.
 */
export async function newestVersion(
  lambda: LambdaClient,
  layerName: string,
): Promise<NewestVersion | undefined> {
  try {
    let newest: LayerVersionsListItem | undefined;
    for await (const page of paginateListLayerVersions(
      { client: lambda, pageSize: 1, stopOnSameToken: true },
      { LayerName: layerName },
    )) {
      const items = page.LayerVersions ?? [];
      for (const item of items) if ((item.Version ?? 0) > (newest?.Version ?? 0)) newest = item;
      if (items.length <= 1) break;
    }
    return (
      newest && {
        arn: newest.LayerVersionArn!,
        version: newest.Version!,
        description: newest.Description ?? '',
      }
    );
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

/**
 * Same zip bytes, same content hash, same declared runtimes, architecture and license. An unset field
 * and an empty one are the same: emulators answer `""` and `[]` (or null) where Lambda leaves them out.
 */
async function sameContent(
  lambda: LambdaClient,
  inputs: PublishInputs,
  artifact: LayerArtifact,
  version: number,
  description: string,
): Promise<boolean> {
  if (!description.includes(`sha256:${artifact.contentHash}`)) return false;
  const existing = await lambda.send(
    new GetLayerVersionCommand({ LayerName: inputs.layerName, VersionNumber: version }),
  );
  return (
    existing.Content?.CodeSha256 === artifact.codeSha256 &&
    sameSet(existing.CompatibleRuntimes, inputs.compatibleRuntimes) &&
    sameSet(existing.CompatibleArchitectures, [inputs.architecture]) &&
    (existing.LicenseInfo || undefined) === (inputs.licenseInfo || undefined)
  );
}

function sameSet(a: readonly string[] | null | undefined, b: readonly string[] | null | undefined): boolean {
  const left = new Set(a ?? []);
  const right = new Set(b ?? []);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

async function uploadContent(
  inputs: PublishInputs,
  artifact: LayerArtifact,
  deps: Deps,
  region: string,
): Promise<LayerVersionContentInput> {
  if (inputs.s3Bucket === undefined) return { ZipFile: await fs.promises.readFile(artifact.zipFile) };
  const bucket = inputs.s3Bucket.replaceAll('{region}', region);
  // Keyed by content, so a retried run overwrites the same object instead of piling up new ones.
  const key = `lambda-layer-release/${inputs.layerName}/${artifact.contentHash}.zip`;
  core.info(`${region}: uploading ${mb(artifact.zipSize)} to s3://${bucket}/${key}`);
  const { Upload } = await import('@aws-sdk/lib-storage'); // with S3: only for `s3-bucket`
  await new Upload({
    client: await deps.s3(region),
    params: {
      Bucket: bucket,
      Key: key,
      Body: fs.createReadStream(artifact.zipFile),
      ContentType: 'application/zip',
    },
    partSize: 16 * 1024 * 1024,
    queueSize: 4,
  }).done();
  if (artifact.sbom) await uploadSbom(deps, region, bucket, key, artifact.sbom.file);
  return { S3Bucket: bucket, S3Key: key };
}

/** Grants each principal in share-with; a statement that exists already (a re-run) is not an error. */
async function share(
  lambda: LambdaClient,
  inputs: PublishInputs,
  arn: string,
  version: number,
  region: string,
  existing: boolean,
): Promise<string[]> {
  const shared: string[] = [];
  // A reused version usually has its grants from the run that published it: read them once.
  const granted =
    existing && !inputs.dryRun && inputs.shareWith.length > 0
      ? await grantedStatements(lambda, inputs.layerName, version)
      : new Set<string>();
  for (const principal of inputs.shareWith) {
    const statementId = `lambda-layer-release-${principal === '*' ? 'public' : principal}`;
    const organization = principal.startsWith('o-');
    if (principal === '*') {
      core.warning(`${region}: ${arn} is shared publicly: every AWS account can use it.`, {
        title: 'Public layer',
      });
    }
    if (inputs.dryRun || granted.has(statementId)) {
      shared.push(principal);
      continue;
    }
    try {
      await lambda.send(
        new AddLayerVersionPermissionCommand({
          LayerName: inputs.layerName,
          VersionNumber: version,
          StatementId: statementId,
          Action: 'lambda:GetLayerVersion',
          Principal: organization ? '*' : principal,
          OrganizationId: organization ? principal : undefined,
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'ResourceConflictException') throw error;
      core.info(`${region}: ${principal} already has access to version ${version}.`);
    }
    shared.push(principal);
  }
  return shared;
}

async function grantedStatements(
  lambda: LambdaClient,
  layerName: string,
  version: number,
): Promise<Set<string>> {
  try {
    const { Policy } = await lambda.send(
      new GetLayerVersionPolicyCommand({ LayerName: layerName, VersionNumber: version }),
    );
    const statements = (JSON.parse(Policy ?? '{}') as { Statement?: { Sid?: string }[] }).Statement ?? [];
    return new Set(statements.map((statement) => statement.Sid ?? ''));
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return new Set(); // no policy yet
    throw error;
  }
}

function versionFields(layerVersionArn: string): {
  layerArn: string;
  layerVersionArn: string;
  version: number;
} {
  return {
    layerArn: layerArnOf(layerVersionArn),
    layerVersionArn,
    version: Number(layerVersionArn.split(':').at(-1)),
  };
}
