/**
 * description, license-info, compatible-runtimes, regions, s3-bucket, skip-unchanged, share-with,
 * keep-versions: what the publish step publishes, in which regions, and who may use it.
 */
import { RUNTIMES, findRuntime, type Runtime } from '../runtimes/index.js';
import type { LayerPart } from './layer.js';
import { ACCOUNT_ID, bucketTemplateProblem, partitionOf } from './names.js';
import { parseList, quote, type InputReader } from './reader.js';
import type { Inputs } from './types.js';

const ORG_ID = /^o-[a-z0-9]{10,32}$/;

export type PublishPart = Pick<
  Inputs,
  | 'description'
  | 'licenseInfo'
  | 'compatibleRuntimes'
  | 'regions'
  | 's3Bucket'
  | 'skipUnchanged'
  | 'shareWith'
  | 'keepVersions'
>;

export function readPublish(reader: InputReader, layer: LayerPart): PublishPart {
  const description = reader.maxLength('description', reader.optional('description'), 256);
  const licenseInfo = reader.maxLength('license-info', reader.optional('license-info'), 512);
  const compatibleRuntimes = readCompatibleRuntimes(reader, layer.runtime);
  const regions = readRegions(reader, layer.layerRegion);
  const s3Bucket = reader.optional('s3-bucket');
  const bucketProblem = s3Bucket === undefined ? undefined : bucketTemplateProblem(s3Bucket, regions);
  if (bucketProblem !== undefined) {
    reader.problem(`s3-bucket: ${quote(s3Bucket!)} is not an S3 bucket name: it ${bucketProblem}`);
  }
  const skipUnchanged = reader.bool('skip-unchanged', true);
  const shareWith = readShareWith(reader);
  const keepVersions = reader.integer('keep-versions', 0, 0, 10_000);
  return {
    description,
    licenseInfo,
    compatibleRuntimes,
    regions,
    s3Bucket,
    skipUnchanged,
    shareWith,
    keepVersions,
  };
}

function readCompatibleRuntimes(reader: InputReader, runtime: Runtime | undefined): string[] {
  const compatibleRuntimes = reader.unique(
    'compatible-runtimes',
    parseList(reader.input('compatible-runtimes'), { words: true }),
  );
  if (compatibleRuntimes.length === 0 && runtime) compatibleRuntimes.push(runtime.id);
  if (compatibleRuntimes.length > 15) {
    reader.problem(
      `compatible-runtimes: ${compatibleRuntimes.length} runtimes given; Lambda allows at most 15`,
    );
  }
  for (const id of compatibleRuntimes) {
    if (!findRuntime(id)) {
      reader.problem(
        `compatible-runtimes: ${quote(id)} is not supported; use any of ${RUNTIMES.map((r) => r.id).join(', ')}`,
      );
    } else if (runtime && findRuntime(id)!.family !== runtime.family) {
      reader.problem(
        `compatible-runtimes: ${quote(id)} cannot load a ${runtime.family} layer built for ${runtime.id}`,
      );
    }
  }
  return compatibleRuntimes;
}

/** Regions the SDK's partition data knows, all of one partition (one set of credentials reaches them). */
function readRegions(reader: InputReader, layerRegion: string | undefined): string[] {
  const { env } = reader;
  const regionsInput = reader.input('regions');
  const regions = reader.unique(
    'regions',
    parseList(regionsInput || layerRegion || env.AWS_REGION || env.AWS_DEFAULT_REGION || '', { words: true }),
  );
  const byPartition = new Map<string, string[]>();
  for (const region of regions) {
    const partition = partitionOf(region);
    if (partition === undefined) {
      reader.problem(
        `regions: ${quote(region)} is not an AWS region name such as eu-west-1 (no AWS partition has this region)`,
      );
    } else {
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), region]);
    }
  }
  if (byPartition.size > 1) {
    const groups = [...byPartition].map(([partition, names]) => `${partition}: ${names.join(', ')}`);
    reader.problem(
      `regions: ${groups.join('; ')} are in different AWS partitions; one run's credentials reach one partition, so release to each in its own run`,
    );
  }
  if (layerRegion && regionsInput && regions.some((r) => r !== layerRegion)) {
    reader.problem(
      `regions: layer-name is an ARN in ${layerRegion}; regions must be ${layerRegion} or empty`,
    );
  }
  return regions;
}

function readShareWith(reader: InputReader): string[] {
  const shareWith = reader.unique('share-with', parseList(reader.input('share-with'), { words: true }));
  for (const principal of shareWith) {
    if (!ACCOUNT_ID.test(principal) && !ORG_ID.test(principal) && principal !== '*') {
      reader.problem(
        `share-with: ${quote(principal)} is not allowed; use 12-digit account ids, an organization id (o-...), or * for public`,
      );
    }
  }
  if (shareWith.filter((p) => ORG_ID.test(p)).length > 1) {
    reader.problem('share-with: give at most one organization id');
  }
  return shareWith;
}
