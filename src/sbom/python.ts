/**
 * Python packages: one per `*.dist-info` (or setuptools' `*.egg-info`) folder in the layer's
 * site-packages folders. Name, version and licence from METADATA (PKG-INFO), the files it owns from
 * RECORD (where its compiled extensions are).
 */
import * as path from 'node:path';
import { MAX_RECORD_BYTES, MetadataError, plainValue, readMetadata, versionValue } from './metadata.js';
import { entries, optional, readEach, skip } from './tree.js';
import type { Found, FoundPackage } from './types.js';

/**
 * Trove classifiers that name exactly one SPDX licence. The others ("BSD License", "Apache Software
 * License": no version, no clause count) are kept as names.
 */
const CLASSIFIER_IDS: Readonly<Record<string, string>> = {
  'MIT License': 'MIT',
  'MIT No Attribution License (MIT-0)': 'MIT-0',
  'ISC License (ISCL)': 'ISC',
  'Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'The Unlicense (Unlicense)': 'Unlicense',
  'Zero-Clause BSD (0BSD)': '0BSD',
  'Python Software Foundation License': 'PSF-2.0',
  'Boost Software License 1.0 (BSL-1.0)': 'BSL-1.0',
  'Apache Software License 2.0 (Apache-2.0)': 'Apache-2.0',
};

export async function pythonPackages(layerDir: string, modulePaths: readonly string[]): Promise<Found> {
  const folders: { modulePath: string; name: string }[] = [];
  for (const modulePath of modulePaths) {
    for (const name of await entries(path.join(layerDir, modulePath))) folders.push({ modulePath, name });
  }
  return readEach(folders, async ({ modulePath, name }) => {
    const match = /^(.+?)-([^-]+)\.(dist|egg)-info$/.exec(name);
    if (!match) return { packages: [], skipped: [] };
    const folder = `${modulePath}/${name}`;
    try {
      return {
        packages: [await distribution(layerDir, modulePath, folder, match[3] === 'dist')],
        skipped: [],
      };
    } catch (error) {
      const listed: FoundPackage = {
        ecosystem: 'pypi',
        name: match[1]!,
        version: match[2]!,
        licences: [],
        path: folder,
        owns: [],
      };
      return { packages: [listed], skipped: [skip(folder, error)] };
    }
  });
}

async function distribution(
  layerDir: string,
  modulePath: string,
  folder: string,
  wheel: boolean,
): Promise<FoundPackage> {
  const file = path.join(layerDir, folder, wheel ? 'METADATA' : 'PKG-INFO');
  const text = await readMetadata(file);
  if (text === undefined) throw new MetadataError(`${wheel ? 'METADATA' : 'PKG-INFO'} is missing`);
  const headers = parseHeaders(text);
  const name = plainValue(headers.get('name')?.[0], 'Name');
  if (name === undefined) throw new MetadataError('it has no Name');
  return {
    ecosystem: 'pypi',
    name,
    ...optional('version', versionValue(headers.get('version')?.[0], 'Version')),
    licences: licences(headers),
    path: folder,
    owns: await recordedFiles(layerDir, modulePath, folder),
  };
}

/** The header fields of a core metadata file (RFC 822 style), up to the blank line before the description. */
function parseHeaders(text: string): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  let last: string[] | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      // A continuation: only a licence text spans lines, and it is never a licence name.
      if (last) last[last.length - 1] += '\n';
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MetadataError('its header is not in the core metadata format');
    const key = line.slice(0, colon).trim().toLowerCase();
    last = headers.get(key) ?? [];
    last.push(line.slice(colon + 1).trim());
    headers.set(key, last);
  }
  return headers;
}

/** License-Expression (PEP 639), else a one-line License, else the licence classifiers. */
function licences(headers: Map<string, string[]>): string[] {
  const expression = plainValue(headers.get('license-expression')?.[0], 'License-Expression');
  if (expression) return [expression];
  const license = headers.get('license')?.[0];
  // A License field that holds the licence's text (several lines, or a page) names nothing.
  if (license && !license.includes('\n') && license.length <= 100 && !/^unknown$/i.test(license)) {
    return [plainValue(license, 'License')!];
  }
  return (headers.get('classifier') ?? [])
    .filter((classifier) => classifier.startsWith('License ::'))
    .map((classifier) => classifier.split('::').at(-1)!.trim())
    .map((name) => CLASSIFIER_IDS[name] ?? plainValue(name, 'license classifier')!)
    .filter((licence, i, all) => licence && all.indexOf(licence) === i);
}

/** Every file RECORD lists, as a layer path (its entries are relative to site-packages). */
async function recordedFiles(layerDir: string, modulePath: string, folder: string): Promise<string[]> {
  const record = await readMetadata(path.join(layerDir, folder, 'RECORD'), MAX_RECORD_BYTES);
  if (record === undefined) return [];
  const files: string[] = [];
  for (const line of record.split(/\r?\n/)) {
    const file = line.startsWith('"')
      ? /^"((?:[^"]|"")*)"/.exec(line)?.[1]?.replaceAll('""', '"')
      : line.split(',')[0];
    if (!file) continue;
    const inLayer = path.posix.normalize(`${modulePath}/${file}`);
    if (!inLayer.startsWith('../')) files.push(inLayer);
  }
  return files;
}
