/**
 * Node.js packages: every package folder under the layer's node_modules folders, nested ones too
 * (`a/node_modules/b`) and pnpm's store (`.pnpm/<id>/node_modules/<name>`); name, version and licence
 * from its package.json. Links are not followed: pnpm's top-level links point into its store, which
 * is read itself.
 */
import * as path from 'node:path';
import { MetadataError, parseJson, plainValue, readMetadata, versionValue } from './metadata.js';
import { folders, optional, readEach, skip } from './tree.js';
import type { Found, FoundPackage } from './types.js';

/** Deeper nesting than this is no install npm makes: a loop or a hostile tree. */
const MAX_DEPTH = 32;

export async function nodePackages(layerDir: string, modulePaths: readonly string[]): Promise<Found> {
  const found = await Promise.all(modulePaths.map((modules) => packageFolders(layerDir, modules, 0)));
  return readEach(found.flat(), (folder) => onePackage(layerDir, folder));
}

/** The package folders of one node_modules folder (a layer path), each followed by those nested in it. */
async function packageFolders(layerDir: string, modules: string, depth: number): Promise<string[]> {
  if (depth > MAX_DEPTH) return [];
  const withNested = async (folder: string): Promise<string[]> => [
    folder,
    ...(await packageFolders(layerDir, `${folder}/node_modules`, depth + 1)),
  ];
  const all = (names: readonly string[], each: (name: string) => Promise<string[]>): Promise<string[]> =>
    Promise.all(names.map(each)).then((lists) => lists.flat());
  return all(await folders(path.join(layerDir, modules)), async (name) => {
    const here = `${modules}/${name}`;
    if (name === '.pnpm') {
      return all(await folders(path.join(layerDir, here)), (id) =>
        packageFolders(layerDir, `${here}/${id}/node_modules`, depth + 1),
      );
    }
    if (name.startsWith('@')) {
      return all(await folders(path.join(layerDir, here)), (scoped) => withNested(`${here}/${scoped}`));
    }
    return name.startsWith('.') ? [] : withNested(here);
  });
}

async function onePackage(layerDir: string, folder: string): Promise<Found> {
  const fromFolder = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(folder)![1]!;
  try {
    const manifest = await readMetadata(path.join(layerDir, folder, 'package.json'));
    // A folder without package.json is no package (npm leaves none such; a build script might).
    return { packages: manifest === undefined ? [] : [described(manifest, folder, fromFolder)], skipped: [] };
  } catch (error) {
    const listed: FoundPackage = {
      ...nameParts(fromFolder),
      ecosystem: 'npm',
      licences: [],
      path: folder,
      owns: [`${folder}/`],
    };
    return { packages: [listed], skipped: [skip(folder, error)] };
  }
}

function described(manifest: string, folder: string, fromFolder: string): FoundPackage {
  const json = parseJson(manifest, 'package.json');
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new MetadataError('package.json is not a JSON object');
  const fields = json as Record<string, unknown>;
  const name = plainValue(fields['name'], 'name') ?? fromFolder;
  if (/\s/.test(name)) throw new MetadataError('its name holds white space');
  return {
    ...nameParts(name),
    ecosystem: 'npm',
    ...optional('version', versionValue(fields['version'])),
    licences: licences(fields),
    path: folder,
    owns: [`${folder}/`],
  };
}

/** `@scope/name` as group and name. */
function nameParts(name: string): { name: string; group?: string } {
  const scoped = /^(@[^/]+)\/(.+)$/.exec(name);
  return scoped ? { group: scoped[1]!, name: scoped[2]! } : { name };
}

/** `license` (an SPDX expression, or the old `{ type }`), else the old `licenses: [{ type }]`. */
function licences(fields: Record<string, unknown>): string[] {
  const typeOf = (value: unknown): unknown =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['type'] : value;
  const license = plainValue(typeOf(fields['license']), 'license');
  // "SEE LICENSE IN <file>" and "UNLICENSED" say there is no open licence to name.
  if (license && !/^(SEE LICEN[CS]E IN |UNLICENSED$)/i.test(license)) return [license];
  const list = fields['licenses'];
  if (!Array.isArray(list)) return [];
  return list
    .slice(0, 16)
    .map((entry, i) => plainValue(typeOf(entry), `licenses[${i}]`))
    .filter((value): value is string => value !== undefined);
}
