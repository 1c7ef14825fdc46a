/**
 * Node.js packages: every package folder under the layer's node_modules folders, nested ones too
 * (`a/node_modules/b`) and pnpm's store (`.pnpm/<id>/node_modules/<name>`); name, version and licence
 * from its package.json. Links are not followed: pnpm's top-level links point into its store, which
 * is read itself.
 */
import * as path from 'node:path';
import { MetadataError, parseJson, plainValue, readMetadata, versionValue } from './metadata.js';
import { folders, optional, skip } from './tree.js';
import type { Found, FoundPackage } from './types.js';

/** Deeper nesting than this is no install npm makes: a loop or a hostile tree. */
const MAX_DEPTH = 32;

export async function nodePackages(layerDir: string, modulePaths: readonly string[]): Promise<Found> {
  const found: Found = { packages: [], skipped: [] };
  for (const modulePath of modulePaths) await walk(layerDir, modulePath, 0, found);
  return found;
}

/** The packages of one node_modules folder (a layer path), and of the node_modules inside them. */
async function walk(layerDir: string, modules: string, depth: number, found: Found): Promise<void> {
  if (depth > MAX_DEPTH) return;
  for (const name of await folders(path.join(layerDir, modules))) {
    if (name === '.pnpm') {
      for (const id of await folders(path.join(layerDir, modules, name))) {
        await walk(layerDir, `${modules}/${name}/${id}/node_modules`, depth + 1, found);
      }
    } else if (name.startsWith('@')) {
      for (const scoped of await folders(path.join(layerDir, modules, name))) {
        await onePackage(layerDir, `${modules}/${name}/${scoped}`, depth, found);
      }
    } else if (!name.startsWith('.')) {
      await onePackage(layerDir, `${modules}/${name}`, depth, found);
    }
  }
}

async function onePackage(layerDir: string, folder: string, depth: number, found: Found): Promise<void> {
  const fromFolder = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(folder)![1]!;
  try {
    const manifest = await readMetadata(path.join(layerDir, folder, 'package.json'));
    // A folder without package.json is no package (npm leaves none such; a build script might).
    if (manifest !== undefined) found.packages.push(described(manifest, folder, fromFolder));
  } catch (error) {
    found.packages.push({
      ...nameParts(fromFolder),
      ecosystem: 'npm',
      licences: [],
      path: folder,
      owns: [`${folder}/`],
    });
    found.skipped.push(skip(folder, error));
  }
  await walk(layerDir, `${folder}/node_modules`, depth + 1, found);
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
