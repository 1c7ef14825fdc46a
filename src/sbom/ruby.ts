/**
 * Ruby gems: one per `specifications/*.gemspec` in the layer's gem folders, the stub RubyGems writes
 * on install. Its name, version, platform and licences are read as text, never evaluated; the gem's
 * folders (`gems/<gem>`, `extensions/<platform>/<abi>/<gem>`) hold its native extensions.
 */
import * as path from 'node:path';
import { MetadataError, plainValue, readMetadata, versionValue } from './metadata.js';
import { entries, folders, optional, readEach, skip } from './tree.js';
import type { Found, FoundPackage } from './types.js';

export async function rubyPackages(layerDir: string, modulePaths: readonly string[]): Promise<Found> {
  const specs: { where: string; full: string; owns: string[] }[] = [];
  for (const modulePath of modulePaths) {
    const extensions = await extensionFolders(layerDir, modulePath);
    for (const file of await entries(path.join(layerDir, modulePath, 'specifications'))) {
      const full = /^(.+)\.gemspec$/.exec(file)?.[1];
      if (!full) continue;
      const owns = [`${modulePath}/gems/${full}/`, ...extensions.filter((e) => e.endsWith(`/${full}/`))];
      specs.push({ where: `${modulePath}/specifications/${file}`, full, owns });
    }
  }
  return readEach(specs, async ({ where, full, owns }) => {
    try {
      return { packages: [await gem(layerDir, where, owns)], skipped: [] };
    } catch (error) {
      // rack-3.1.8 or nokogiri-1.18.1-x86_64-linux-gnu: the version is the first part after a dash that starts with a digit.
      const [, name = full, version] = /^(.+?)-(\d[^-]*)(?:-.+)?$/.exec(full) ?? [];
      const listed: FoundPackage = {
        ecosystem: 'gem',
        name,
        ...optional('version', version),
        licences: [],
        path: where,
        owns,
      };
      return { packages: [listed], skipped: [skip(where, error)] };
    }
  });
}

async function gem(layerDir: string, where: string, owns: string[]): Promise<FoundPackage> {
  const spec = await readMetadata(path.join(layerDir, where));
  if (spec === undefined) throw new MetadataError('the gemspec cannot be read');
  const name = plainValue(stringField(spec, 'name'), 'name');
  if (name === undefined) throw new MetadataError('its gemspec has no name');
  const platform = plainValue(stringField(spec, 'platform'), 'platform');
  const licences = (arrayField(spec, 'licenses') ?? [stringField(spec, 'license')])
    .map((licence, i) => plainValue(licence, `licenses[${i}]`))
    .filter((licence): licence is string => licence !== undefined);
  return {
    ecosystem: 'gem',
    name,
    ...optional('version', versionValue(stringField(spec, 'version') ?? versionRequirement(spec))),
    ...(platform && platform !== 'ruby' ? { qualifiers: { platform } } : {}),
    licences,
    path: where,
    owns,
  };
}

const STRING = String.raw`"([^"\\\n]*)"(?:\.freeze)?`;

/** `s.name = "rack".freeze` → rack. */
function stringField(spec: string, field: string): string | undefined {
  return new RegExp(String.raw`^\s*s\.${field} = ${STRING}\s*$`, 'm').exec(spec)?.[1];
}

/** `s.version = Gem::Version.new("1.0")`, as some stubs write it. */
function versionRequirement(spec: string): string | undefined {
  return /^\s*s\.version = Gem::Version\.new\("([^"\\\n]*)"\)/m.exec(spec)?.[1];
}

/** `s.licenses = ["MIT".freeze, "Ruby".freeze]` → MIT, Ruby. */
function arrayField(spec: string, field: string): string[] | undefined {
  const list = new RegExp(String.raw`^\s*s\.${field} = \[([^\]\n]*)\]\s*$`, 'm').exec(spec)?.[1];
  if (list === undefined) return undefined;
  return [...list.matchAll(new RegExp(STRING, 'g'))].slice(0, 16).map((match) => match[1]!);
}

/** `<modulePath>/extensions/<platform>/<abi>/<gem>/` folders. */
async function extensionFolders(layerDir: string, modulePath: string): Promise<string[]> {
  const found: string[] = [];
  const root = `${modulePath}/extensions`;
  for (const platform of await folders(path.join(layerDir, root))) {
    for (const abi of await folders(path.join(layerDir, root, platform))) {
      for (const gemFolder of await folders(path.join(layerDir, root, platform, abi))) {
        found.push(`${root}/${platform}/${abi}/${gemFolder}/`);
      }
    }
  }
  return found;
}
