/**
 * The static check of a layer's native code, before anything is published: every ELF file must be
 * for the layer's architecture, need no newer glibc, libstdc++ or C++ ABI than the OS of each runtime
 * that loads it, and need only libraries that the layer or that runtime's image provides.
 *
 * A smoke test cannot catch these: the stand-in and Debian-based images have a newer glibc than
 * Amazon Linux 2, and a wheel downloaded on a newer machine imports fine everywhere but on Lambda.
 */
import pLimit from 'p-limit';
import * as path from 'node:path';
import {
  familyOf,
  OPERATING_SYSTEMS,
  runtimeLibraries,
  type Architecture,
  type OperatingSystem,
  type Runtime,
} from '../runtimes/index.js';
import * as fs from 'node:fs/promises';
import { EM, isElf, readElf, type ElfInfo } from './elf.js';
import type { TreeEntry } from './zip.js';

const MACHINE: Readonly<Record<Architecture, number>> = { x86_64: EM.x86_64, arm64: EM.aarch64 };
const MACHINE_NAMES: Readonly<Record<number, string>> = {
  [EM.x86_64]: 'x86_64',
  [EM.aarch64]: 'arm64 (aarch64)',
  [EM.i386]: 'i386 (32-bit x86)',
  [EM.arm]: '32-bit ARM',
};
/** Shown problems; the rest are counted. */
const MAX_SHOWN = 20;
// The smallest ELF header (ELF32) is 52 bytes: nothing smaller needs opening.
const MIN_ELF_SIZE = 52;

export class NativeCodeError extends Error {
  constructor(readonly problems: readonly string[]) {
    const shown = problems.slice(0, MAX_SHOWN).map((p) => `  ${p}`);
    if (problems.length > MAX_SHOWN) shown.push(`  … and ${problems.length - MAX_SHOWN} more`);
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} with native code in the layer; ` +
        `Lambda could not load it:\n${shown.join('\n')}`,
    );
    this.name = 'NativeCodeError';
  }
}

export interface NativeCheckSummary {
  /** ELF executables and shared objects checked. */
  readonly elfFiles: number;
  /** Files left alone, and why (variants for another machine or libc beside one that fits). */
  readonly notes: readonly string[];
  /** What the check read of each of them, sorted by path (the bill of materials lists it). */
  readonly files: readonly NativeFile[];
}

/** An ELF executable or shared object of the layer, as the check saw it. */
export interface NativeFile {
  /** Posix path in the layer. */
  readonly path: string;
  readonly type: 'shared' | 'executable';
  /** `x86_64`, `arm64`, `i386`, `arm`, or `elf-machine-<e_machine>`. */
  readonly machine: string;
  /** The newest GLIBC_ version it needs that the layer does not bring itself (`2.17`), if any. */
  readonly glibc?: string;
}

interface ElfFile extends ElfInfo {
  readonly path: string;
}

/**
 * Throws NativeCodeError listing every problem; `runtimes` are the runtimes the layer declares
 * (a file in one version's folder is checked only against that version). `installedOn`: the machine a
 * cross-install ran on, when it is not the layer's architecture.
 */
export async function checkNativeCode(
  layerDir: string,
  entries: readonly TreeEntry[],
  runtimes: readonly Runtime[],
  architecture: Architecture,
  installedOn?: Architecture,
): Promise<NativeCheckSummary> {
  const limit = pLimit(16);
  const candidates = entries.filter((e) => e.type === 'file' && e.size >= MIN_ELF_SIZE);
  const read = await Promise.all(
    candidates.map((entry) =>
      limit(async (): Promise<ElfFile | undefined> => {
        const info = await readElf(path.join(layerDir, entry.path)).catch((error: unknown) => {
          throw new Error(`Cannot read ${entry.path} as ELF: ${(error as Error).message}`, { cause: error });
        });
        return info && { ...info, path: entry.path };
      }),
    ),
  );
  // Object files and core dumps are never loaded.
  const elves = read.filter(
    (e): e is ElfFile => e !== undefined && (e.type === 'shared' || e.type === 'executable'),
  );
  const layer = new LayerLibraries(entries, elves);
  const problems: string[] = [];
  const notes: string[] = [];
  const show = displayPath(runtimes);
  for (const elf of elves) {
    const variant = variantProblem(elf, elves, architecture, installedOn);
    if (variant?.tolerated) {
      notes.push(`${show(elf.path)}: ${variant.message}; left alone, a variant beside it fits`);
      continue;
    }
    if (variant) {
      problems.push(`${show(elf.path)} ${variant.message}`);
      continue;
    }
    const loaders = runtimesLoading(elf.path, runtimes);
    problems.push(...versionProblems(elf, loaders, layer).map((p) => `${show(elf.path)} ${p}`));
    problems.push(...neededProblems(elf, loaders, layer).map((p) => `${show(elf.path)} ${p}`));
  }
  if (problems.length > 0) throw new NativeCodeError(problems);
  const files = elves.map((elf) => nativeFile(elf, layer)).sort((a, b) => (a.path < b.path ? -1 : 1));
  return { elfFiles: elves.length, notes, files };
}

const MACHINE_IDS: Readonly<Record<number, string>> = {
  [EM.x86_64]: 'x86_64',
  [EM.aarch64]: 'arm64',
  [EM.i386]: 'i386',
  [EM.arm]: 'arm',
};

function nativeFile(elf: ElfFile, layer: LayerLibraries): NativeFile {
  const glibc = newestNeeded(elf, layer).get('GLIBC');
  return {
    path: elf.path,
    type: elf.type === 'executable' ? 'executable' : 'shared',
    machine: MACHINE_IDS[elf.machine] ?? `elf-machine-${elf.machine}`,
    ...(glibc ? { glibc } : {}),
  };
}

/** What the layer itself provides: files by name, libraries by soname, and the versions they define. */
class LayerLibraries {
  private readonly names = new Set<string>();
  private readonly definitions = new Map<string, Set<string>>();

  constructor(entries: readonly TreeEntry[], elves: readonly ElfFile[]) {
    // By name anywhere in the layer, not by search path: a library found through an $ORIGIN rpath,
    // /opt/lib, or loaded earlier by its soname (as packages preload their bundled libraries) all count.
    for (const entry of entries) if (entry.type === 'file') this.names.add(path.posix.basename(entry.path));
    for (const elf of elves) {
      for (const name of [path.posix.basename(elf.path), elf.soname].filter((n) => n !== undefined)) {
        this.names.add(name);
        const defined = this.definitions.get(name) ?? new Set<string>();
        for (const version of elf.versionDefinitions) defined.add(version);
        this.definitions.set(name, defined);
      }
    }
  }

  has(library: string): boolean {
    return this.names.has(path.posix.basename(library));
  }

  /** True when a library of the layer with this name defines the version (the layer brings its own). */
  defines(library: string, version: string): boolean {
    return this.definitions.get(path.posix.basename(library))?.has(version) === true;
  }
}

interface VariantProblem {
  readonly message: string;
  /** True when another file that fits stands beside it, as packages ship one build per platform. */
  readonly tolerated: boolean;
}

function variantProblem(
  elf: ElfFile,
  elves: readonly ElfFile[],
  architecture: Architecture,
  installedOn?: Architecture,
): VariantProblem | undefined {
  const fits = (other: ElfFile): boolean => other.machine === MACHINE[architecture] && !isMusl(other);
  if (elf.machine !== MACHINE[architecture]) {
    const name = path.posix.basename(elf.path);
    const tolerated = elves.some((other) => fits(other) && path.posix.basename(other.path) === name);
    const nodePackage = nodePackageOf(elf.path);
    if (installedOn && installedOn !== architecture && elf.machine === MACHINE[installedOn] && nodePackage) {
      // npm, pnpm, Yarn and Bun choose prebuilt packages by platform, but an install script compiles
      // for the machine it runs on: the runner's, under cross-install.
      return {
        message:
          `is built for ${MACHINE_NAMES[elf.machine]}: package ${nodePackage} compiled it at install time on the ` +
          `runner's ${installedOn} (cross-install), and an addon compiled during the install cannot target ` +
          `${architecture}; build under emulation instead (cross-install: false), which compiles it in the ${architecture} build image`,
        tolerated,
      };
    }
    return {
      message:
        `is built for ${MACHINE_NAMES[elf.machine] ?? `ELF machine ${elf.machine}`}, but the layer is for ${architecture}: ` +
        `build it in the ${architecture} build image, or set architecture to the one it was built for`,
      tolerated,
    };
  }
  if (isMusl(elf)) {
    const folder = path.posix.dirname(elf.path);
    return {
      message:
        'is built for musl libc (Alpine Linux); Lambda runs on Amazon Linux, with glibc: ' +
        'build it in the runtime\'s build image, or use a build for glibc ("linux-gnu", manylinux)',
      tolerated: elves.some((other) => fits(other) && path.posix.dirname(other.path) === folder),
    };
  }
  return undefined;
}

function isMusl(elf: ElfInfo): boolean {
  return elf.needed.some((library) => /^libc\.musl-/.test(library)) || /ld-musl-/.test(elf.interpreter ?? '');
}

/** The declared runtimes that load a file: one version's folder is read by that version alone. */
function runtimesLoading(file: string, runtimes: readonly Runtime[]): Runtime[] {
  const versioned = runtimes.filter((runtime) => {
    const match = familyOf(runtime).versionedFolder?.exec(file);
    return match !== null && match !== undefined;
  });
  if (versioned.length === 0) return [...runtimes];
  return versioned.filter((runtime) => familyOf(runtime).versionedFolder!.exec(file)![2] === runtime.version);
}

/** A path as a reader of the message knows it: inside the module folder, when it is in one. */
function displayPath(runtimes: readonly Runtime[]): (file: string) => string {
  // bin/ and lib/ stay in the path: they say where the file is, not which package it belongs to.
  const folders = [...new Set(runtimes.flatMap((r) => r.modulePaths))]
    .filter((folder) => folder !== 'bin' && folder !== 'lib')
    .sort((a, b) => b.length - a.length);
  return (file) => {
    const folder = folders.find((f) => file.startsWith(`${f}/`));
    const shown = folder ? file.slice(folder.length + 1) : file;
    const owner = nodePackageOf(file);
    // A path that starts with the package names it already.
    return owner && !shown.startsWith(`${owner}/`) ? `${shown} (package ${owner})` : shown;
  };
}

// The innermost node_modules/<name> or node_modules/@scope/<name> holding a file.
const NODE_PACKAGE = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!(?:.*\/)?node_modules\/)/;

/** The Node.js package that brought a file (the one whose folder holds it), if any. */
function nodePackageOf(file: string): string | undefined {
  return NODE_PACKAGE.exec(file)?.[1];
}

type VersionKind = 'GLIBC' | 'GLIBCXX' | 'CXXABI';
const VERSIONED = /^(GLIBC|GLIBCXX|CXXABI)_(\d+(?:\.\d+)+)$/;

/** The newest version of each kind the file needs that the layer does not bring itself. */
function newestNeeded(elf: ElfFile, layer: LayerLibraries): Map<VersionKind, string> {
  const newest = new Map<VersionKind, string>();
  for (const need of elf.versionNeeds) {
    for (const version of need.versions) {
      const match = VERSIONED.exec(version);
      if (!match || layer.defines(need.file, version)) continue;
      const kind = match[1] as VersionKind;
      const current = newest.get(kind);
      if (current === undefined || compareVersions(match[2]!, current) > 0) newest.set(kind, match[2]!);
    }
  }
  return newest;
}

function versionProblems(elf: ElfFile, runtimes: readonly Runtime[], layer: LayerLibraries): string[] {
  const newest = newestNeeded(elf, layer);
  const problems: string[] = [];
  for (const [os, group] of byOperatingSystem(runtimes)) {
    const spec = OPERATING_SYSTEMS[os];
    const limits: Record<VersionKind, [string, string]> = {
      GLIBC: [spec.glibc, `with glibc ${spec.glibc}`],
      GLIBCXX: [spec.glibcxx, `whose libstdc++ (GCC ${spec.gcc}) goes up to GLIBCXX_${spec.glibcxx}`],
      CXXABI: [spec.cxxabi, `whose libstdc++ (GCC ${spec.gcc}) goes up to CXXABI_${spec.cxxabi}`],
    };
    for (const [kind, version] of newest) {
      const [limit, what] = limits[kind];
      if (compareVersions(version, limit) <= 0) continue;
      problems.push(
        `needs ${kind}_${version}; ${runOn(group)} ${spec.name}${what.startsWith('with') ? ' ' : ', '}${what}: ` +
          remedy(group[0]!),
      );
    }
  }
  return problems;
}

function neededProblems(elf: ElfFile, runtimes: readonly Runtime[], layer: LayerLibraries): string[] {
  const problems: string[] = [];
  for (const library of elf.needed) {
    if (layer.has(library)) continue;
    const lacking = runtimes.filter(
      (runtime) =>
        !OPERATING_SYSTEMS[runtime.os].libraries.includes(library) &&
        !runtimeLibraries(runtime).includes(library),
    );
    if (lacking.length === 0) continue;
    const oses = [...new Set(lacking.map((r) => OPERATING_SYSTEMS[r.os].name))].join(', ');
    problems.push(
      `needs ${library}, which is neither in the layer nor in the ${lacking.map((r) => r.id).join(', ')} ` +
        `runtime (${oses}): add it to the layer's lib/ (on LD_LIBRARY_PATH), or beside the file with an $ORIGIN rpath`,
    );
  }
  return problems;
}

function byOperatingSystem(runtimes: readonly Runtime[]): Map<OperatingSystem, Runtime[]> {
  const groups = new Map<OperatingSystem, Runtime[]>();
  for (const runtime of runtimes) groups.set(runtime.os, [...(groups.get(runtime.os) ?? []), runtime]);
  return groups;
}

function runOn(runtimes: readonly Runtime[]): string {
  const ids = runtimes.map((r) => r.id);
  return ids.length === 1 ? `${ids[0]} runs on` : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)} run on`;
}

function remedy(runtime: Runtime): string {
  const other = familyOf(runtime).compatibleBinaries;
  return `build in the ${runtime.id} build image${other ? `, or ${other}` : ''}`;
}

/** True when any file of the tree is ELF (a shared object, an executable): the tree holds native code. */
export async function hasNativeCode(dir: string, entries: readonly TreeEntry[]): Promise<boolean> {
  for (const entry of entries) {
    if (entry.type !== 'file' || entry.size < MIN_ELF_SIZE) continue;
    const handle = await fs.open(path.join(dir, entry.path), 'r');
    try {
      const head = Buffer.alloc(4);
      await handle.read(head, 0, 4, 0);
      if (isElf(head)) return true;
    } finally {
      await handle.close();
    }
  }
  return false;
}

/** Compares dotted version numbers numerically (2.9 < 2.26). */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
