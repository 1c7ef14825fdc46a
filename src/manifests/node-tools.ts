/**
 * The lock tools of Node.js (issue 30): pnpm, Yarn v1, Yarn Berry and Bun install their own lock, frozen,
 * inside the build container. This file decides which exact version (package.json's `packageManager`,
 * else a fixed version for the lock's format), which npm package brings it for the build container's
 * machine, and whether it can install for another architecture (cross-install). The host reads only the
 * head of the lock, line by line (no YAML or JSON parser, so no alias expansion and no depth to bound);
 * messages name the file and line, never its contents.
 */
import type { Architecture } from '../runtimes/types.js';
import type { PackageManager } from './types.js';

export type LockTool = 'pnpm' | 'yarn' | 'yarn-berry' | 'bun';

/** The tool's own name for a lock tool, as messages and `packageManager` spell it. */
export const LOCK_TOOL_NAMES: Readonly<Record<LockTool, string>> = {
  pnpm: 'pnpm',
  yarn: 'Yarn v1',
  'yarn-berry': 'Yarn Berry',
  bun: 'Bun',
};

/** The command that rewrites each tool's lock after package.json changed. */
export const LOCK_REFRESH: Readonly<Record<LockTool, string>> = {
  pnpm: 'pnpm install',
  yarn: 'yarn install',
  'yarn-berry': 'yarn install',
  bun: 'bun install',
};

/**
 * The version that installs a lock whose package.json names none: for each lock format version, the
 * newest release of the tool that writes that format (a frozen install refuses a lock it would rewrite).
 */
export const DEFAULT_TOOL_VERSIONS: Readonly<Record<LockTool, Readonly<Record<string, string>>>> = {
  // pnpm-lock.yaml lockfileVersion: 5.3 pnpm 6, 5.4 pnpm 7, 6.0 pnpm 8, 9.0 pnpm 9 and 10.
  pnpm: { '5.3': '6.35.1', '5.4': '7.33.7', '6.0': '8.15.9', '9.0': '9.15.9' },
  yarn: { '1': '1.22.22' },
  // yarn.lock __metadata.version: 4 Yarn 2, 6 Yarn 3, 8 to 10 Yarn 4.
  'yarn-berry': { '4': '2.4.2', '6': '3.8.7', '8': '4.18.1', '9': '4.18.1', '10': '4.18.1' },
  // bun.lock lockfileVersion: 0 Bun 1.1, 1 Bun 1.2 and 1.3, 2 Bun 1.4.
  bun: { '0': '1.1.45', '1': '1.3.14', '2': '1.4.5' },
};

/** Where the tool is installed from and how it is started in the build container. */
export interface NodeToolPlan {
  readonly tool: LockTool;
  readonly version: string;
  /** Where the version comes from: `packageManager` in package.json, or the lock's format. */
  readonly from: 'packageManager' | 'lock';
  /** The npm package (name@version) that holds the tool for the build container's machine. */
  readonly package: string;
  /** Its file name in the download cache's tools folder. */
  readonly file: string;
}

/** The most of a lock the host reads to find its format version (src/manifests/detect.ts's readHead). */
export const LOCK_HEAD_BYTES = 64 * 1024;

/** Bun's npm packages per machine: the baseline x64 build runs on every x86_64 CPU (no AVX2 needed). */
const BUN_PACKAGES: Readonly<Record<Architecture, string>> = {
  x86_64: '@oven/bun-linux-x64-baseline',
  arm64: '@oven/bun-linux-aarch64',
};
/** pnpm 12 and later are a native program, one npm package per machine. */
const PNPM_EXE_PACKAGES: Readonly<Record<Architecture, string>> = {
  x86_64: '@pnpm/exe.linux-x64',
  arm64: '@pnpm/exe.linux-arm64',
};

/**
 * The tool that installs `lock` (its path as the user knows it, and its first bytes), at the version
 * `packageManager` names, else the default for the lock's format; `machine` is the build container's.
 * Throws an Error naming the file (and line) when the lock's format is not one the action knows.
 */
export function planNodeTool(
  packageManager: PackageManager & { readonly name: LockTool },
  lock: string,
  head: string,
  machine: Architecture,
): NodeToolPlan {
  const tool = packageManager.name;
  const version = packageManager.version ?? defaultVersion(tool, lock, head);
  const npmPackage = toolPackage(tool, version, machine);
  return {
    tool,
    version,
    from: packageManager.version ? 'packageManager' : 'lock',
    package: `${npmPackage}@${version}`,
    file: `${npmPackage.replace(/^@/, '').replace('/', '+')}-${version}.tgz`,
  };
}

function toolPackage(tool: LockTool, version: string, machine: Architecture): string {
  switch (tool) {
    case 'pnpm':
      return major(version) >= 12 ? PNPM_EXE_PACKAGES[machine] : 'pnpm';
    case 'yarn':
      return 'yarn';
    case 'yarn-berry':
      return '@yarnpkg/cli-dist';
    case 'bun':
      return BUN_PACKAGES[machine];
  }
}

const major = (version: string): number => Number(version.split('.')[0]);

/** `a` ≥ `b`, both x.y.z (a pre-release counts as its release). */
export function versionAtLeast(a: string, b: string): boolean {
  const x = a.split(/[.-]/).map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  }
  return true;
}

/** The lock's format version, found line by line in its head: [version, 1-based line]. */
export function lockFormat(tool: LockTool, head: string): [string, number] | undefined {
  const lines = head.split(/\r?\n/);
  const find = (pattern: RegExp, from = 0): [string, number] | undefined => {
    for (let i = from; i < lines.length; i++) {
      const match = pattern.exec(lines[i]!);
      if (match) return [match[1]!, i + 1];
    }
    return undefined;
  };
  switch (tool) {
    case 'pnpm':
      return find(/^lockfileVersion:\s*['"]?(\d+(?:\.\d+)?)['"]?\s*$/);
    case 'yarn':
      return find(/^# yarn lockfile v(\d+)\s*$/);
    case 'yarn-berry': {
      const metadata = find(/^(__metadata):\s*$/);
      return metadata && find(/^ {2}version:\s*['"]?(\d+)['"]?\s*$/, metadata[1]);
    }
    case 'bun':
      return find(/^\s*"lockfileVersion":\s*(\d+),?\s*$/);
  }
}

function defaultVersion(tool: LockTool, lock: string, head: string): string {
  const name = LOCK_TOOL_NAMES[tool];
  const found = lockFormat(tool, head);
  const setIt = `name the ${name} version in package.json's packageManager (e.g. "${tool === 'yarn-berry' ? 'yarn' : tool}@x.y.z")`;
  if (found === undefined) {
    throw new Error(
      `${lock}: no lock format version in its first ${LOCK_HEAD_BYTES / 1024} KB, so the ${name} version that wrote it is unknown; ${setIt}.`,
    );
  }
  const [format, line] = found;
  const known = DEFAULT_TOOL_VERSIONS[tool];
  const version = known[format] ?? (tool === 'pnpm' ? known[`${format.split('.')[0]}.0`] : undefined);
  if (version === undefined) {
    throw new Error(
      `${lock} line ${line}: lock format ${format} is not one the action knows for ${name} ` +
        `(${Object.keys(known).join(', ')}); ${setIt}.`,
    );
  }
  return version;
}

/**
 * Why the tool cannot install for another architecture (cross-install), or undefined when it can:
 * pnpm from 8.10 (supportedArchitectures), Yarn Berry from 3.2 (supportedArchitectures), Bun from
 * 1.2.23 (--cpu, --os). Yarn v1 only ever installs the running machine's optional packages.
 */
export function crossInstallProblem(plan: Pick<NodeToolPlan, 'tool' | 'version'>): string | undefined {
  const needs: Record<LockTool, string | undefined> = {
    pnpm: '8.10.0',
    'yarn-berry': '3.2.0',
    bun: '1.2.23',
    yarn: undefined,
  };
  const name = `${LOCK_TOOL_NAMES[plan.tool]} ${plan.version}`;
  const instead = 'build under emulation instead (cross-install: false)';
  const least = needs[plan.tool];
  if (least === undefined) {
    return `${name} cannot install another architecture's packages (it only checks the machine it runs on); ${instead}, or lock with pnpm, Yarn 4, Bun or npm`;
  }
  if (!versionAtLeast(plan.version, least)) {
    return `${name} cannot install another architecture's packages (${LOCK_TOOL_NAMES[plan.tool]} can from ${least}); ${instead}, or name a newer version in packageManager`;
  }
  return undefined;
}
