/**
 * Packages for another platform in a Node.js layer. npm, pnpm and Yarn install one build of a native
 * package per platform as optional dependencies whose package.json declares `os`, `cpu` and `libc`;
 * an older package manager (npm before 10.4 ignores `libc`) leaves the others in node_modules, where
 * Node.js never loads them on Lambda (linux, glibc, the layer's architecture). They are dropped from
 * the layer, each named in the log; whatever the target does load is still checked by native.ts.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { checkPlatform } from 'npm-install-checks';
import type { Architecture } from '../runtimes/index.js';
import type { TreeEntry } from './zip.js';

export interface DroppedPackage {
  /** `@img/sharp-linuxmusl-x64@0.35.5` */
  readonly name: string;
  /** Folder relative to the layer. */
  readonly folder: string;
  /** What it declares that the target is not: `libc musl`. */
  readonly declares: string;
}

/** Lambda as npm describes a platform (process.platform, process.arch, npm's libc family). */
const TARGET_CPU: Readonly<Record<Architecture, string>> = { x86_64: 'x64', arm64: 'arm64' };

// node_modules/<name>/package.json or node_modules/@scope/<name>/package.json, at any depth.
const PACKAGE_JSON = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;

interface Manifest {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly os?: unknown;
  readonly cpu?: unknown;
  readonly libc?: unknown;
}

/**
 * Removes from `layerDir` every installed package whose `os`, `cpu` or `libc` the target does not
 * match, with npm's own rules (npm-install-checks); answers what it removed, by folder.
 */
export async function dropOtherPlatformPackages(
  layerDir: string,
  entries: readonly TreeEntry[],
  architecture: Architecture,
): Promise<DroppedPackage[]> {
  const target = { os: 'linux', cpu: TARGET_CPU[architecture], libc: 'glibc' };
  const dropped: DroppedPackage[] = [];
  // Outermost first: a dropped package takes the packages nested in its own node_modules with it.
  const manifests = entries
    .filter((entry) => entry.type === 'file' && PACKAGE_JSON.test(entry.path))
    .sort((a, b) => a.path.split('/').length - b.path.split('/').length);
  for (const entry of manifests) {
    const folder = path.posix.dirname(entry.path);
    if (dropped.some((d) => folder.startsWith(`${d.folder}/`))) continue;
    const manifest = platformFields(await readManifest(path.join(layerDir, entry.path)));
    if (!manifest || !fitsNot(manifest, target)) continue;
    await fs.rm(path.join(layerDir, folder), { recursive: true, force: true });
    dropped.push({
      name:
        `${typeof manifest.name === 'string' ? manifest.name : path.posix.basename(folder)}` +
        `${typeof manifest.version === 'string' ? `@${manifest.version}` : ''}`,
      folder,
      declares: (['os', 'cpu', 'libc'] as const)
        .filter((field) => manifest[field] !== undefined && fitsNot({ [field]: manifest[field] }, target))
        .map((field) => `${field} ${[manifest[field]].flat().join(', ')}`)
        .join('; '),
    });
  }
  return dropped.sort((a, b) => (a.folder < b.folder ? -1 : 1));
}

/** The manifest with only the platform fields npm can read (a string or a list of strings). */
function platformFields(manifest: Manifest | undefined): Manifest | undefined {
  if (!manifest) return undefined;
  const valid = (value: unknown): boolean =>
    typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
  const fields = (['os', 'cpu', 'libc'] as const).filter((field) => valid(manifest[field]));
  return {
    name: manifest.name,
    version: manifest.version,
    ...Object.fromEntries(fields.map((f) => [f, manifest[f]])),
  };
}

function fitsNot(manifest: Manifest, target: { os: string; cpu: string; libc: string }): boolean {
  try {
    checkPlatform(manifest, false, target);
    return false;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EBADPLATFORM') return true;
    throw error;
  }
}

async function readManifest(file: string): Promise<Manifest | undefined> {
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as Manifest) : undefined;
  } catch {
    // Not a package manifest npm could read either: npm would not have skipped it, nor do we.
    return undefined;
  }
}
