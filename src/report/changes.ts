/**
 * What changed in the packages: the zip just built against the version that was live before (the
 * newest version before this run, in the first region that has one). Both sides are read from the zips
 * themselves, the old one through Lambda's download link, so the diff is right for versions published by
 * anyone, by any tool, and needs nothing stored beside them.
 */
import * as core from '@actions/core';
import { GetLayerVersionCommand } from '@aws-sdk/client-lambda';
import type { Deps } from '../deps.js';
import { packagesInZipFile, packagesInZipUrl, type PackageVersion } from '../layer/zip-packages.js';
import type { Family } from '../runtimes/index.js';
import type { LayerArtifact } from '../steps/build.js';
import type { PublishedLayer } from '../steps/publish.js';
import type { ChangeKind, PackageChange, PackageChanges } from './types.js';

/** PEP 503-style: `Typing_Extensions` and `typing-extensions` are one package. */
const key = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

/** Compares dotted versions number by number (`2.4.10` > `2.4.9`). */
function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

export function diffPackages(
  before: readonly PackageVersion[],
  after: readonly PackageVersion[],
): { changes: PackageChange[]; unchanged: number } {
  const group = (list: readonly PackageVersion[]): Map<string, PackageVersion[]> => {
    const map = new Map<string, PackageVersion[]>();
    for (const p of list) map.set(key(p.name), [...(map.get(key(p.name)) ?? []), p]);
    return map;
  };
  const old = group(before);
  const now = group(after);
  const changes: PackageChange[] = [];
  let unchanged = 0;
  for (const name of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const was = (old.get(name) ?? []).map((p) => p.version).sort(compareVersions);
    const is = (now.get(name) ?? []).map((p) => p.version).sort(compareVersions);
    const display = (now.get(name) ?? old.get(name))![0]!.name;
    if (was.join() === is.join()) {
      unchanged += 1;
    } else if (was.length === 0) {
      changes.push({ name: display, kind: 'added', after: is.join(', ') });
    } else if (is.length === 0) {
      changes.push({ name: display, kind: 'removed', before: was.join(', ') });
    } else {
      const opaque = was.length > 1 || is.length > 1 || was[0]!.startsWith('crc32:');
      const order = compareVersions(is[0]!, was[0]!);
      const kind: ChangeKind = opaque || order === 0 ? 'changed' : order > 0 ? 'upgraded' : 'downgraded';
      changes.push({ name: display, kind, before: was.join(', '), after: is.join(', ') });
    }
  }
  return { changes, unchanged };
}

/**
 * The diff for a run that published (or would publish) a version; undefined when nothing new was
 * published. Never throws: a diff that cannot be made is a note in the report, not a failed release.
 */
export async function packageChanges(
  layerName: string,
  family: Family,
  artifact: LayerArtifact,
  layers: readonly PublishedLayer[],
  deps: Pick<Deps, 'lambda'>,
): Promise<PackageChanges | undefined> {
  const fresh = layers.filter((l) => l.published);
  if (fresh.length === 0) return undefined;
  try {
    const after = await packagesInZipFile(artifact.zipFile, family);
    const base = fresh.find((l) => l.previousVersion !== undefined);
    if (!base) return { ...diffPackages([], after) };
    const previous = await deps
      .lambda(base.region)
      .send(new GetLayerVersionCommand({ LayerName: layerName, VersionNumber: base.previousVersion }));
    const location = previous.Content?.Location;
    const size = previous.Content?.CodeSize;
    if (!location || !size) throw new Error('Lambda gave no download link for it');
    const before = await packagesInZipUrl(location, size, family);
    const against = {
      region: base.region,
      version: base.previousVersion!,
      layerVersionArn: previous.LayerVersionArn ?? `${base.layerArn}:${base.previousVersion}`,
    };
    return { against, ...diffPackages(before, after) };
  } catch (error) {
    const message = `Could not read the packages of the previous version: ${(error as Error).message}`;
    core.warning(message, { title: 'Package diff' });
    return { changes: [], unchanged: 0, error: message };
  }
}
