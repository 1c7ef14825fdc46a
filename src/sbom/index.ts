/**
 * The layer's bill of materials: a CycloneDX 1.6 JSON file beside the zip, listing every package the
 * layer tree holds (src/sbom/inventory.ts), written by the build step for a built or a given zip.
 *
 * It never fails the release: a package folder whose metadata is unreadable, huge or hostile gets one
 * warning naming the folder (never quoting the file) and is listed by its folder name, and an SBOM that
 * cannot be written at all is a warning too.
 */
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { USER_AGENT } from '../aws/clients.js';
import type { NativeFile } from '../layer/native.js';
import { oneLine } from '../log.js';
import type { Family } from '../runtimes/index.js';
import { takeInventory } from './inventory.js';
import { sbomLine, summarize } from './summary.js';
import type { SbomSummary } from './types.js';

export type { SbomSummary } from './types.js';
export { sbomLine } from './summary.js';

/** The layer as the inputs describe it. */
export interface SbomLayer {
  readonly layerName: string;
  readonly runtime: { readonly id: string; readonly family: Family };
  readonly compatibleRuntimes: readonly string[];
  readonly architecture: string;
  readonly licenseInfo: string | undefined;
}

/** The zip as the build step wrote (or was given) it, and the tree it holds. */
export interface SbomArtifact {
  readonly zipFile: string;
  readonly layerDir: string;
  readonly layout: { readonly modulePaths: readonly string[] };
  readonly nativeFiles: readonly NativeFile[];
  readonly codeSha256: string;
  readonly contentHash: string;
  readonly buildKey?: string;
}

/** `<zip without .zip>.cdx.json`, beside the zip (so the post step removes it with the zip). */
export function sbomFileOf(zipFile: string): string {
  return `${zipFile.replace(/\.zip$/, '')}.cdx.json`;
}

/** Writes the SBOM; undefined (and a warning) when it cannot. */
export async function writeSbom(layer: SbomLayer, artifact: SbomArtifact): Promise<SbomSummary | undefined> {
  try {
    return await write(layer, artifact);
  } catch (error) {
    core.warning(
      `No SBOM was written: ${oneLine((error as Error).message)}. The release goes on without it.`,
      {
        title: 'SBOM',
      },
    );
    return undefined;
  }
}

async function write(layer: SbomLayer, artifact: SbomArtifact): Promise<SbomSummary> {
  const { layerDir, layout, nativeFiles, codeSha256, contentHash, buildKey } = artifact;
  const inventory = await takeInventory(layer.runtime.family, layerDir, layout.modulePaths, nativeFiles);
  for (const { folder, reason } of inventory.skipped) {
    core.warning(`SBOM: skipped the metadata of ${folder}: ${reason}. It is listed by its folder name.`, {
      title: 'SBOM',
    });
  }
  const { renderBom } = await import('./bom.js'); // the CycloneDX libraries: a chunk of their own
  const zipSha256 = Buffer.from(codeSha256, 'base64').toString('hex');
  const { json, licences } = renderBom(inventory, {
    name: layer.layerName,
    runtimes: [...new Set([layer.runtime.id, ...layer.compatibleRuntimes])],
    architecture: layer.architecture,
    zipSha256,
    codeSha256,
    contentHash,
    ...(buildKey ? { buildKey } : {}),
    ...(layer.licenseInfo ? { licenseInfo: layer.licenseInfo } : {}),
    serialNumber: serialNumber(contentHash, zipSha256),
    tool: { name: USER_AGENT[0], version: USER_AGENT[1] },
  });
  const file = sbomFileOf(artifact.zipFile);
  await fs.writeFile(file, json);
  const summary = summarize(file, licences, inventory.files.length, inventory.skipped.length);
  core.info(`SBOM ${file} (${summary.format}): ${sbomLine(summary)}.`);
  return summary;
}

/**
 * An RFC 4122 name-based UUID (version 5, SHA-1) of the layer's content hash and zip hash: the same
 * layer gets the same serial number, another layer another one.
 */
export function serialNumber(contentHash: string, zipSha256: string): string {
  const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex'); // RFC 4122's URL namespace
  const name = `https://github.com/lambda-layer-release/lambda-layer-release/sbom/${contentHash}/${zipSha256}`;
  const bytes = createHash('sha1').update(namespace).update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
