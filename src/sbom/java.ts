/**
 * Java packages: one per jar in the layer's jar folders, named by the Maven metadata inside it
 * (META-INF/maven/<group>/<artifact>/pom.properties, the one the file name starts with), licensed by
 * its manifest's Bundle-License or its pom.xml's <licenses>; the other Maven artifacts of a shaded jar
 * are listed inside it. A jar without Maven metadata is named by its file name.
 */
import * as path from 'node:path';
import { buffer } from 'node:stream/consumers';
import type { Entry, ZipFile } from 'yauzl';
import { fileSha256, openZip } from '../layer/zip.js';
import { decodeMetadata, MAX_METADATA_BYTES, MetadataError, plainValue, versionValue } from './metadata.js';
import { entries, optional, readEach, skip } from './tree.js';
import type { Found, FoundPackage } from './types.js';

/** Licence URLs that Bundle-License and pom.xml use for exactly one SPDX licence. */
const LICENCE_URLS: readonly [RegExp, string][] = [
  [/^https?:\/\/(www\.)?apache\.org\/licenses\/LICENSE-2\.0(\.txt|\.html)?$/i, 'Apache-2.0'],
  [/^https?:\/\/(www\.)?opensource\.org\/licenses\/MIT(\.php)?$/i, 'MIT'],
  [/^https?:\/\/(www\.)?opensource\.org\/licenses\/BSD-3-Clause(\.php)?$/i, 'BSD-3-Clause'],
  [/^https?:\/\/(www\.)?eclipse\.org\/legal\/epl-2\.0\/?$/i, 'EPL-2.0'],
  [/^https?:\/\/(www\.)?eclipse\.org\/legal\/epl-v10\.html$/i, 'EPL-1.0'],
];
/** Maven metadata files read from one jar (a shaded jar has one per artifact it bundles). */
const MAX_POM_PROPERTIES = 500;

interface Coordinates {
  readonly group: string;
  readonly artifact: string;
  readonly version?: string;
}

export async function javaPackages(layerDir: string, modulePaths: readonly string[]): Promise<Found> {
  const jars: string[] = [];
  for (const modulePath of modulePaths) {
    const names = await entries(path.join(layerDir, modulePath));
    jars.push(...names.filter((n) => n.endsWith('.jar')).map((n) => `${modulePath}/${n}`));
  }
  return readEach(jars, async (where) => {
    const sha256 = await fileSha256(path.join(layerDir, where), 'hex').catch(() => undefined);
    try {
      return {
        packages: [{ ...(await jar(path.join(layerDir, where), where)), ...optional('sha256', sha256) }],
        skipped: [],
      };
    } catch (error) {
      const listed = { ...byFileName(path.basename(where), where), ...optional('sha256', sha256) };
      return { packages: [listed], skipped: [skip(where, error)] };
    }
  });
}

async function jar(file: string, where: string): Promise<FoundPackage> {
  let zip: ZipFile;
  try {
    zip = await openZip(file, { lazyEntries: true, autoClose: false });
  } catch {
    throw new MetadataError('the jar is not a zip file');
  }
  try {
    const read = (entry: Entry): Promise<string> => readEntry(zip, entry);
    const poms: Coordinates[] = [];
    let manifest = '';
    const pomXml = new Map<string, Entry>();
    for await (const entry of zip.eachEntry()) {
      const maven = /^META-INF\/maven\/([^/]+)\/([^/]+)\/(pom\.properties|pom\.xml)$/.exec(entry.fileName);
      if (maven?.[3] === 'pom.properties' && poms.length < MAX_POM_PROPERTIES) {
        poms.push(coordinates(await read(entry), maven[1]!, maven[2]!));
      } else if (maven) pomXml.set(`${maven[1]}/${maven[2]}`, entry);
      else if (entry.fileName === 'META-INF/MANIFEST.MF') manifest = await read(entry);
    }
    const name = path.basename(file);
    const main =
      poms.find((c) => name.startsWith(`${c.artifact}-`) || name === `${c.artifact}.jar`) ??
      (poms.length === 1 ? poms[0] : undefined);
    const attributes = manifestAttributes(manifest);
    const pom = main && pomXml.get(`${main.group}/${main.artifact}`);
    const licences =
      bundleLicences(attributes.get('bundle-license')) ?? pomLicences(pom ? await read(pom) : '');
    const bundled = poms
      .filter((c) => c !== main)
      .map((c) => ({ ...mavenPackage(c, where), owns: [] }))
      .sort((a, b) => (`${a.group}:${a.name}` < `${b.group}:${b.name}` ? -1 : 1));
    const own = main ? mavenPackage(main, where) : byManifest(attributes, name, where);
    return { ...own, licences, ...(bundled.length > 0 ? { bundled } : {}) };
  } finally {
    zip.close();
  }
}

async function readEntry(zip: ZipFile, entry: Entry): Promise<string> {
  const what = entry.fileName.slice(entry.fileName.lastIndexOf('/') + 1);
  if (entry.uncompressedSize > MAX_METADATA_BYTES)
    throw new MetadataError(`its ${what} is larger than ${MAX_METADATA_BYTES / 1024 / 1024} MiB`);
  try {
    return decodeMetadata(await buffer(await zip.openReadStreamPromise(entry)), what);
  } catch (error) {
    if (error instanceof MetadataError) throw error;
    throw new MetadataError(`its ${what} cannot be read from the jar`);
  }
}

function coordinates(properties: string, groupFolder: string, artifactFolder: string): Coordinates {
  const value = (key: string): string | undefined =>
    new RegExp(`^${key}=(.*)$`, 'm').exec(properties)?.[1]?.trim();
  return {
    group: plainValue(value('groupId') ?? groupFolder, 'groupId')!,
    artifact: plainValue(value('artifactId') ?? artifactFolder, 'artifactId')!,
    ...optional('version', versionValue(value('version'))),
  };
}

function mavenPackage(c: Coordinates, where: string): FoundPackage {
  return {
    ecosystem: 'maven',
    group: c.group,
    name: c.artifact,
    ...optional('version', c.version),
    licences: [],
    path: where,
    owns: [],
  };
}

/** MANIFEST.MF's main attributes: `Name: value` lines, continued by lines that start with a space. */
function manifestAttributes(manifest: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const lines = manifest.split(/\r?\n/);
  let key: string | undefined;
  for (const line of lines) {
    if (line === '') break; // the main section ends at the first blank line
    if (line.startsWith(' ') && key) attributes.set(key, attributes.get(key)! + line.slice(1));
    else {
      const colon = line.indexOf(':');
      key = colon > 0 ? line.slice(0, colon).toLowerCase() : undefined;
      if (key) attributes.set(key, line.slice(colon + 1).trim());
    }
  }
  return attributes;
}

/** OSGi's Bundle-License: `Apache-2.0;link="…", MIT` or a URL; undefined when the manifest has none. */
function bundleLicences(header: string | undefined): string[] | undefined {
  if (!header) return undefined;
  const clauses = header.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).slice(0, 16);
  const names = clauses.map((clause, i) => {
    const name = clause.split(';')[0]!.trim().replace(/^"|"$/g, '');
    return LICENCE_URLS.find(([url]) => url.test(name))?.[1] ?? plainValue(name, `Bundle-License[${i}]`);
  });
  return names.filter((name): name is string => name !== undefined);
}

/** The <name> of each <license> in pom.xml's <licenses>. */
function pomLicences(pom: string): string[] {
  const section = /<licenses>([\s\S]*?)<\/licenses>/.exec(pom)?.[1] ?? '';
  return [...section.matchAll(/<license>([\s\S]*?)<\/license>/g)].slice(0, 16).flatMap((match, i) => {
    const name = /<name>\s*([^<]*?)\s*<\/name>/.exec(match[1]!)?.[1];
    const url = /<url>\s*([^<]*?)\s*<\/url>/.exec(match[1]!)?.[1];
    const id = url ? LICENCE_URLS.find(([pattern]) => pattern.test(url))?.[1] : undefined;
    const licence = id ?? plainValue(name, `pom.xml license ${i + 1}`);
    return licence ? [licence] : [];
  });
}

/** A jar without Maven metadata: Implementation-Title and -Version, else Bundle-SymbolicName, else its name. */
function byManifest(attributes: Map<string, string>, file: string, where: string): FoundPackage {
  const title = plainValue(attributes.get('implementation-title'), 'Implementation-Title');
  const version = versionValue(attributes.get('implementation-version') ?? attributes.get('bundle-version'));
  if (title === undefined || version === undefined) return byFileName(file, where);
  return { ecosystem: 'maven', name: title, version, licences: [], path: where, owns: [] };
}

/** `commons-text-1.13.1.jar` → commons-text 1.13.1 (no group: no package URL). */
function byFileName(file: string, where: string): FoundPackage {
  const match = /^(.+?)-(\d[^-]*(?:-[A-Za-z][\w.]*)?)\.jar$/.exec(file);
  const name = match?.[1] ?? file.replace(/\.jar$/, '');
  return {
    ecosystem: 'maven',
    name,
    ...optional('version', match?.[2]),
    licences: [],
    path: where,
    owns: [],
  };
}
