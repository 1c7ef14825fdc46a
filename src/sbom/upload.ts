/**
 * With s3-bucket, the SBOM goes next to the zip: `<key of the zip without .zip>.cdx.json`, in the same
 * bucket. It is a record for people and scanners, not part of the release: a failed upload is a warning.
 */
import * as core from '@actions/core';
import * as fs from 'node:fs/promises';
import { oneLine } from '../log.js';
import type { Deps } from '../deps.js';

export async function uploadSbom(
  deps: Pick<Deps, 's3'>,
  region: string,
  bucket: string,
  zipKey: string,
  file: string,
): Promise<void> {
  const key = `${zipKey.replace(/\.zip$/, '')}.cdx.json`;
  try {
    const { PutObjectCommand } = await import('@aws-sdk/client-s3'); // with S3: only for `s3-bucket`
    const client = await deps.s3(region);
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: await fs.readFile(file),
        ContentType: 'application/vnd.cyclonedx+json',
      }),
    );
    core.info(`${region}: uploaded the SBOM to s3://${bucket}/${key}`);
  } catch (error) {
    core.warning(
      `${region}: could not upload the SBOM to s3://${bucket}/${key}: ${oneLine((error as Error).message)}. ` +
        'The layer is published all the same; the SBOM is still the `sbom` output.',
      { title: 'SBOM' },
    );
  }
}
