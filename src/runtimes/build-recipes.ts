/** How each family's default build runs in the build image: the command, its folder and environment. */
import { LOCK_REFRESH, LOCK_TOOL_NAMES, type NodeToolPlan } from '../manifests/node-tools.js';
import { GRADLE_INIT, NODE_INSTALL, NPM_REUSE, PIP_REUSE } from '../smoke/scripts.js';
import {
  CONTAINER_LAYER,
  CONTAINER_SOURCE,
  CONTAINER_TOOLS,
  MANYLINUX_MACHINE,
  OPERATING_SYSTEMS,
} from './table.js';
import type { Architecture, BuildRecipe, Family, Runtime } from './types.js';

/**
 * pip platform tags of the wheels a runtime can load on `architecture`: every manylinux_2_N down from
 * its Amazon Linux's glibc, then the legacy aliases (pip does not expand a given --platform itself).
 */
export function manylinuxTags(runtime: Runtime, architecture: Architecture): string[] {
  const machine = MANYLINUX_MACHINE[architecture];
  const tags: string[] = [];
  for (let minor = Number(OPERATING_SYSTEMS[runtime.os].glibc.split('.')[1]); minor >= 17; minor--)
    tags.push(`manylinux_2_${minor}_${machine}`);
  tags.push(`manylinux2014_${machine}`);
  if (architecture === 'x86_64') {
    tags.push(`manylinux_2_12_${machine}`, `manylinux2010_${machine}`);
    tags.push(`manylinux_2_5_${machine}`, `manylinux1_${machine}`);
  }
  return tags;
}

/** The manifest's folder in the build container. */
function sourceDir(manifest: string): string {
  const slash = manifest.lastIndexOf('/');
  return slash < 0 ? CONTAINER_SOURCE : `${CONTAINER_SOURCE}/${manifest.slice(0, slash)}`;
}

/** A Node.js lock that its own tool installs (pnpm, Yarn, Bun): the tool, and the lock's path in working-directory. */
export interface LockInstall {
  readonly plan: NodeToolPlan;
  readonly lock: string;
}

/** The requirements lists the host exported from a Python lock (src/manifests/python/). */
export interface LockedRequirements {
  /** Every package with its hashes: installed with --require-hashes --no-deps. */
  readonly hashed: string;
  /** Path and git sources, which carry no hash: installed after, with --no-deps. */
  readonly unhashed: string;
}

/**
 * The last build's packages come back into the layer (src/steps/layer-cache.ts). pip installs only the
 * pins left (a requirements file's text), and the merge checks what `plan` says (JSON); npm fetches
 * and unpacks the packages `fetch` lists (JSON, src/cache/npm-reuse.ts).
 */
export type ReuseInstall =
  | { readonly tool: 'pip'; readonly requirements: string; readonly plan: string }
  | { readonly tool: 'npm'; readonly fetch: string };

/** `crossArchitecture`: install for this architecture from the runner's own (only with crossInstall). */
type BuildFor = (
  runtime: Runtime,
  manifest: string,
  installArgs: readonly string[],
  hasLock: boolean,
  crossArchitecture?: Architecture,
  locked?: LockedRequirements,
  lockInstall?: LockInstall,
  reuse?: ReuseInstall,
) => BuildRecipe;

/** pip's options of every Python install: into the layer, without .pyc files, for the target's tags. */
function pipOptions(
  runtime: Runtime,
  requirements: readonly string[],
  installArgs: readonly string[],
  crossArchitecture?: Architecture,
  target: readonly string[] = ['--target', `${CONTAINER_LAYER}/${runtime.installDir}`],
): string[] {
  return [
    '--disable-pip-version-check',
    // --no-compile: .pyc files embed timestamps and would make every build's zip different.
    '--no-compile',
    '--no-warn-script-location',
    ...requirements,
    ...target,
    // Wheels for the other architecture, chosen by tag; nothing is built, as nothing could run.
    ...(crossArchitecture
      ? [
          ...manylinuxTags(runtime, crossArchitecture).flatMap((tag) => ['--platform', tag]),
          '--implementation',
          'cp',
          '--python-version',
          runtime.version,
          '--only-binary=:all:',
        ]
      : []),
    ...installArgs,
  ];
}

const PIP = ['python3', '-m', 'pip', 'install'];
const HASHED = `${CONTAINER_TOOLS}/requirements.locked.txt`;
const UNHASHED = `${CONTAINER_TOOLS}/requirements.unhashed.txt`;
/** Both lists, one after the other, with the same options ("$@"); fixed text, no input in it. */
const TWO_LISTS =
  `if [ -s ${HASHED} ]; then python3 -m pip install "$@" --require-hashes --no-deps --requirement ${HASHED}; fi; ` +
  `python3 -m pip install "$@" --no-deps --requirement ${UNHASHED}`;

function lockedCommand(
  runtime: Runtime,
  installArgs: readonly string[],
  crossArchitecture: Architecture | undefined,
  locked: LockedRequirements,
): string[] {
  if (locked.unhashed === '') {
    const hashed = ['--require-hashes', '--no-deps', '--requirement', HASHED];
    return [...PIP, ...pipOptions(runtime, hashed, installArgs, crossArchitecture)];
  }
  return ['sh', '-ec', TWO_LISTS, 'pip-install', ...pipOptions(runtime, [], installArgs, crossArchitecture)];
}

/** The file the host moves into the layer folder once the reused packages are back (src/smoke/pip-reuse.py). */
export const REUSE_READY = '.lambda-layer-release-reused';

/** pip installs the pins the last build could not give into a folder of its own, merged in after. */
function pipReuse(
  runtime: Runtime,
  installArgs: readonly string[],
  crossArchitecture: Architecture | undefined,
  reuse: Extract<ReuseInstall, { tool: 'pip' }>,
): BuildRecipe {
  return {
    command: [
      'python3',
      `${CONTAINER_TOOLS}/pip-reuse.py`,
      ...pipOptions(runtime, [], installArgs, crossArchitecture, []),
    ],
    workdir: CONTAINER_SOURCE,
    files: {
      'pip-reuse.py': PIP_REUSE,
      'requirements.missing.txt': reuse.requirements,
      'reuse.json': reuse.plan,
    },
    env: {
      PIP_ROOT_USER_ACTION: 'ignore',
      LLR_TARGET: `${CONTAINER_LAYER}/${runtime.installDir}`,
      LLR_REQUIREMENTS: `${CONTAINER_TOOLS}/requirements.missing.txt`,
      LLR_REUSE: `${CONTAINER_TOOLS}/reuse.json`,
      LLR_READY: `${CONTAINER_LAYER}/${REUSE_READY}`,
    },
  };
}

const python: BuildFor = (
  runtime,
  manifest,
  installArgs,
  _hasLock,
  crossArchitecture,
  locked,
  _lockInstall,
  reuse,
) => {
  if (reuse?.tool === 'pip') return pipReuse(runtime, installArgs, crossArchitecture, reuse);
  const requirements = ['--requirement', `${CONTAINER_SOURCE}/${manifest}`];
  return {
    command: locked
      ? lockedCommand(runtime, installArgs, crossArchitecture, locked)
      : [...PIP, ...pipOptions(runtime, requirements, installArgs, crossArchitecture)],
    workdir: CONTAINER_SOURCE,
    ...(locked
      ? { files: { 'requirements.locked.txt': locked.hashed, 'requirements.unhashed.txt': locked.unhashed } }
      : {}),
    // A runner whose user is root (self-hosted, container jobs) would get pip's warning about root on
    // every build; pip installs into the layer folder, not the image's Python, so it does not apply.
    // The variable, unlike the flag, is ignored by a pip older than 22.1.
    env: { PIP_ROOT_USER_ACTION: 'ignore' },
  };
};

/** Node.js's name for an architecture, as package.json's `cpu` field and the tools' --cpu spell it. */
const NODE_CPU: Readonly<Record<Architecture, string>> = { x86_64: 'x64', arm64: 'arm64' };

const nodejs: BuildFor = (
  _runtime,
  manifest,
  installArgs,
  hasLock,
  crossArchitecture,
  _locked,
  lockInstall,
  reuse,
) => {
  if (lockInstall) return nodeLockInstall(manifest, installArgs, lockInstall, crossArchitecture);
  if (reuse?.tool === 'npm') {
    return {
      command: ['node', `${CONTAINER_TOOLS}/npm-reuse.mjs`, ...installArgs],
      workdir: `${CONTAINER_LAYER}/nodejs`,
      copyManifestTo: 'nodejs',
      files: { 'npm-reuse.mjs': NPM_REUSE, 'npm-fetch.json': reuse.fetch },
      env: { LLR_FETCH: `${CONTAINER_TOOLS}/npm-fetch.json`, LLR_READY: `${CONTAINER_LAYER}/${REUSE_READY}` },
    };
  }
  // npm 10.3 and later choose optional packages for a given platform (the Lambda images' npm has them).
  const platform = crossArchitecture
    ? [`--cpu=${NODE_CPU[crossArchitecture]}`, '--os=linux', '--libc=glibc']
    : [];
  return {
    command: [
      'npm',
      hasLock ? 'ci' : 'install',
      '--omit=dev',
      '--no-audit',
      '--no-fund',
      ...platform,
      ...installArgs,
    ],
    workdir: `${CONTAINER_LAYER}/nodejs`,
    copyManifestTo: 'nodejs',
  };
};

/**
 * pnpm, Yarn or Bun installs its own lock, frozen, production only, into nodejs/node_modules: a fixed
 * script (src/smoke/node-install.mjs) fetches the tool at its exact version and runs it; every value
 * reaches it in the environment.
 */
function nodeLockInstall(
  manifest: string,
  installArgs: readonly string[],
  { plan, lock }: LockInstall,
  crossArchitecture?: Architecture,
): BuildRecipe {
  return {
    command: ['node', `${CONTAINER_TOOLS}/node-install.mjs`],
    workdir: `${CONTAINER_LAYER}/nodejs`,
    copyManifestTo: 'nodejs',
    files: { 'node-install.mjs': NODE_INSTALL },
    env: {
      LLR_TOOL: plan.tool,
      LLR_TOOL_VERSION: plan.version,
      LLR_TOOL_NAME: `${LOCK_TOOL_NAMES[plan.tool]} ${plan.version}`,
      LLR_TOOL_PACKAGE: plan.package,
      LLR_TOOL_FILE: plan.file,
      LLR_PROJECT_DIR: sourceDir(manifest),
      LLR_LOCK: lock.slice(lock.lastIndexOf('/') + 1),
      LLR_LOCK_SHOWN: lock,
      LLR_REFRESH: LOCK_REFRESH[plan.tool],
      LLR_TARGET_CPU: crossArchitecture ? NODE_CPU[crossArchitecture] : '',
      LLR_INSTALL_ARGS: JSON.stringify(installArgs),
    },
  };
}

const java: BuildFor = (runtime, manifest, installArgs) =>
  /(^|\/)build\.gradle(\.kts)?$/.test(manifest)
    ? {
        // Gradle has no task that copies a class path, so an init script adds one to every project.
        // The project cache goes to /tmp: the sources are mounted read-only.
        command: [
          'gradle',
          '--no-daemon',
          '--console=plain',
          '--project-cache-dir',
          '/tmp/gradle-project-cache',
          '--init-script',
          `${CONTAINER_TOOLS}/layer.gradle`,
          '--project-dir',
          sourceDir(manifest),
          'lambdaLayerJars',
          ...installArgs,
        ],
        workdir: CONTAINER_SOURCE,
        env: { LAYER_JARS_DIR: `${CONTAINER_LAYER}/${runtime.installDir}` },
        files: { 'layer.gradle': GRADLE_INIT },
      }
    : {
        command: [
          'mvn',
          '--batch-mode',
          '--no-transfer-progress',
          '--file',
          `${CONTAINER_SOURCE}/${manifest}`,
          'dependency:copy-dependencies',
          '-DincludeScope=runtime',
          `-DoutputDirectory=${CONTAINER_LAYER}/${runtime.installDir}`,
          ...installArgs,
        ],
        workdir: CONTAINER_SOURCE,
      };

const ruby: BuildFor = (runtime, manifest, installArgs, hasLock) => ({
  command: ['bundle', 'install', '--no-cache', ...installArgs],
  workdir: `${CONTAINER_LAYER}/ruby`,
  copyManifestTo: 'ruby',
  env: {
    BUNDLE_GEMFILE: `${CONTAINER_LAYER}/ruby/Gemfile`,
    // Install into the layer as a gem home (gems/, specifications/, extensions/), which is the
    // layout GEM_PATH reads; an empty GEM_PATH hides the image's own gems, so every gem the
    // Gemfile needs lands in the layer (Ruby's default gems stay where they are, in every image).
    GEM_HOME: `${CONTAINER_LAYER}/${runtime.installDir}`,
    GEM_PATH: '',
    BUNDLE_PATH__SYSTEM: 'true',
    // Gems packaged with `bundle cache` in the sources are found there (install-args: --local).
    BUNDLE_CACHE_PATH: `${sourceDir(manifest)}/vendor/cache`,
    BUNDLE_WITHOUT: 'development:test',
    // With a Gemfile.lock, install exactly it (like npm ci); without, Bundler writes one.
    ...(hasLock ? { BUNDLE_FROZEN: 'true' } : {}),
  },
});

const provided: BuildFor = (_runtime, manifest, installArgs) => ({
  // `make layer`, with ARTIFACTS_DIR as SAM's makefile builder sets it; object files go to /tmp.
  command: ['make', '--file', `${CONTAINER_SOURCE}/${manifest}`, 'layer', ...installArgs],
  workdir: CONTAINER_SOURCE,
  env: { ARTIFACTS_DIR: CONTAINER_LAYER, BUILD_DIR: '/tmp/build' },
});

const BUILDS: Readonly<Record<Family, BuildFor>> = { python, nodejs, java, ruby, provided };

/** The default build of `manifest` for a runtime, run in its build image. */
export function defaultBuild(
  runtime: Runtime,
  manifest: string,
  installArgs: readonly string[],
  hasLock: boolean,
  crossArchitecture?: Architecture,
  locked?: LockedRequirements,
  lockInstall?: LockInstall,
  reuse?: ReuseInstall,
): BuildRecipe {
  return BUILDS[runtime.family](
    runtime,
    manifest,
    installArgs,
    hasLock,
    crossArchitecture,
    locked,
    lockInstall,
    reuse,
  );
}
