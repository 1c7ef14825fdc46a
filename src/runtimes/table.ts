/**
 * The one table of runtimes: for each Lambda runtime, where its layer content lives under /opt,
 * which images build and run it, and how the smoke test loads what the layer holds.
 * Adding a runtime is adding a row; no other file branches on the runtime's name.
 */
import { LAYER_SMOKE_CLASS } from './smoke/java-smoke-class.js';
import { GRADLE_INIT, NODE_SMOKE, PROVIDED_SMOKE, PYTHON_SMOKE, RUBY_SMOKE } from './smoke/scripts.js';

export type Architecture = 'x86_64' | 'arm64';
export const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

export type Family = 'python' | 'nodejs' | 'java' | 'ruby' | 'provided';

/** The Amazon Linux a runtime runs on: it decides what native code in a layer may need. */
export type OperatingSystem = 'al2' | 'al2023';

export interface OperatingSystemSpec {
  readonly name: string;
  /** The glibc version: a shared object needing a newer `GLIBC_x.y` does not load. */
  readonly glibc: string;
  /** The GCC whose libstdc++ the OS ships, and the newest `GLIBCXX_` and `CXXABI_` versions it defines. */
  readonly gcc: string;
  readonly glibcxx: string;
  readonly cxxabi: string;
  /**
   * Libraries every Lambda runtime image of this OS has on the loader's path, by soname; a DT_NEEDED
   * library outside this list (and the family's own) must be in the layer. Deliberately the glibc
   * family, libgcc_s, libstdc++ and zlib only: other system libraries vary between runtime images.
   */
  readonly libraries: readonly string[];
}

// glibc and GCC: "Improved toolchain: gcc, binutils, and glibc", AL2023 User Guide
// (https://docs.aws.amazon.com/linux/al2023/ug/glibc-gcc-and-binutils.html): AL2 glibc 2.26, gcc 7.3;
// AL2023 glibc 2.34, gcc 11. libstdc++ versions per GCC release: the libstdc++ manual, ABI Policy
// (https://gcc.gnu.org/onlinedocs/libstdc++/manual/abi.html): GCC 7.2.0 GLIBCXX_3.4.24, CXXABI_1.3.11;
// GCC 11.1.0 GLIBCXX_3.4.29, CXXABI_1.3.13 (later 7.x and 11.x releases add none).
const GLIBC_LIBRARIES = [
  'libc.so.6',
  'libm.so.6',
  'libdl.so.2',
  'libpthread.so.0',
  'librt.so.1',
  'libutil.so.1',
  'libresolv.so.2',
  'libanl.so.1',
  'ld-linux-x86-64.so.2',
  'ld-linux-aarch64.so.1',
  'libmvec.so.1',
];
export const OPERATING_SYSTEMS: Readonly<Record<OperatingSystem, OperatingSystemSpec>> = {
  al2: {
    name: 'Amazon Linux 2',
    glibc: '2.26',
    gcc: '7',
    glibcxx: '3.4.24',
    cxxabi: '1.3.11',
    // glibc 2.26 still builds libcrypt.so.1 and libnsl.so.1 (Fedora-based AL2023 has libxcrypt, libnsl2).
    libraries: [
      ...GLIBC_LIBRARIES,
      'libcrypt.so.1',
      'libnsl.so.1',
      'libgcc_s.so.1',
      'libstdc++.so.6',
      'libz.so.1',
    ],
  },
  al2023: {
    name: 'Amazon Linux 2023',
    glibc: '2.34',
    gcc: '11',
    glibcxx: '3.4.29',
    cxxabi: '1.3.13',
    libraries: [...GLIBC_LIBRARIES, 'libgcc_s.so.1', 'libstdc++.so.6', 'libz.so.1'],
  },
};

export interface Runtime {
  /** Lambda's identifier, e.g. `python3.12`. */
  readonly id: string;
  readonly family: Family;
  /** Version as the runtime image tags spell it: `3.12`, `20`, `8.al2`, `al2023`. */
  readonly version: string;
  readonly os: OperatingSystem;
  /** Where the default build installs packages, relative to the layer root (= /opt). */
  readonly installDir: string;
  /** The folders Lambda puts on the module path for this runtime, relative to /opt, most specific first. */
  readonly modulePaths: readonly string[];
}

/** Where the build container sees things. */
export const CONTAINER_SOURCE = '/src';
export const CONTAINER_LAYER = '/layer';
/** Files the action writes for a container (scripts, the Java smoke class), mounted read-only. */
export const CONTAINER_TOOLS = '/lambda-layer-release';

/** How the default build runs in the build image (no shell: `command` is an argument array). */
export interface BuildRecipe {
  readonly command: readonly string[];
  readonly workdir: string;
  /** Copy the manifest (and lock files beside it) into this layer folder before the build. */
  readonly copyManifestTo?: string;
  /** Environment the tool needs; fixed values, never text from inputs. */
  readonly env?: Readonly<Record<string, string>>;
  /** Files to write and mount read-only under CONTAINER_TOOLS (name → content). */
  readonly files?: Readonly<Record<string, string>>;
}

/** How the smoke test loads modules in the runtime image: `program ...args <module> <module> ...`. */
export interface SmokeRecipe {
  readonly program: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workdir?: string;
  /** Files to write and mount read-only under CONTAINER_TOOLS (name → content). */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
}

interface FamilySpec {
  /** Top-level folders (or files) of a layer that this family reads; anything else is dead weight. */
  readonly roots: readonly string[];
  /** The family's own folder (python/, java/, …); custom runtimes have none. */
  readonly languageRoot?: string;
  /** What is missing, and why it matters, when languageRoot holds no module path. */
  readonly withoutModulePath?: string;
  /** A folder for one language version: group 1 the folder, group 2 the version as `Runtime.version`. */
  readonly versionedFolder?: RegExp;
  readonly defaultManifest: string;
  /** Files that pin a manifest's versions; copied beside it for the build. */
  readonly lockFiles: readonly string[];
  /** Repository of the Lambda runtime image inside the image registry (`lambda/python`), tagged `<version>-<arch>`. */
  readonly runtimeImageRepo: string;
  /** What smoke-imports names (`module`, `gem`), and the names allowed. */
  readonly importNoun: string;
  readonly importPattern: RegExp;
  /** Whether the default build can install for another architecture without running it (pip's platform tags). */
  readonly crossInstall: boolean;
  /** Folders the trim removes whole, relative to the layer (e.g. a gem cache). */
  trimFolders(runtime: Runtime): string[];
  /** Libraries the runtime image adds to its OS's (the interpreter's own, in /var/lang/lib). */
  runtimeLibraries(runtime: Runtime): string[];
  /**
   * Each version reads its own install folder (python/lib/pythonX.Y/site-packages): a layer declaring
   * several versions is installed once per version, or once into languageRoot when nothing is native.
   */
  readonly buildsPerVersion?: boolean;
  /** Another way to get native code that fits, besides building in the runtime's build image. */
  readonly compatibleBinaries?: string;
  /** `crossArchitecture`: install for this architecture from the runner's own (only with crossInstall). */
  defaultBuild(
    runtime: Runtime,
    manifest: string,
    installArgs: readonly string[],
    hasLock: boolean,
    crossArchitecture?: Architecture,
  ): BuildRecipe;
  /** `modulePaths`: the runtime's module folders that exist in the layer, relative to /opt. */
  smoke(runtime: Runtime, modulePaths: readonly string[], architecture: Architecture): SmokeRecipe;
}

/** ELF e_machine (low byte, as od prints it) of each architecture. */
const ELF_MACHINE: Readonly<Record<Architecture, string>> = { x86_64: '3e', arm64: 'b7' };
/** ELF e_machine of an architecture's binaries. */
export function elfMachine(architecture: Architecture): number {
  return parseInt(ELF_MACHINE[architecture], 16);
}

/** The machine part of manylinux platform tags. */
const MANYLINUX_MACHINE: Readonly<Record<Architecture, string>> = { x86_64: 'x86_64', arm64: 'aarch64' };

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

const PYTHON_MODULE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const NODE_MODULE = /^(?:@[a-z0-9~][a-z0-9._~-]*\/)?[a-zA-Z0-9~][a-zA-Z0-9._~-]*(?:\/[a-zA-Z0-9._~-]+)*$/;
// A jar in java/lib, or a fully qualified class name.
const JAVA_TARGET =
  /^(?:[A-Za-z0-9_][A-Za-z0-9._+-]*\.jar|[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*)$/;
const RUBY_FEATURE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.+-]*)*$/;
// A path under /opt without . or .. segments.
const LAYER_FILE = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._+-]+(?:\/[A-Za-z0-9._+-]+)*$/;

const opt = (paths: readonly string[]): string => paths.map((p) => `/opt/${p}`).join(':');

export const FAMILIES: Readonly<Record<Family, FamilySpec>> = {
  python: {
    roots: ['python', 'bin', 'lib'],
    languageRoot: 'python',
    versionedFolder: /^(python\/lib\/python(\d+\.\d+))\//,
    defaultManifest: 'requirements.txt',
    lockFiles: [],
    runtimeImageRepo: 'lambda/python',
    importNoun: 'module name',
    importPattern: PYTHON_MODULE,
    crossInstall: true,
    trimFolders: () => [],
    runtimeLibraries: (runtime) => [`libpython${runtime.version}.so.1.0`],
    // manylinux2014 wheels need glibc 2.17, which every Amazon Linux has.
    compatibleBinaries: 'use wheels tagged manylinux2014',
    buildsPerVersion: true,
    defaultBuild: (runtime, manifest, installArgs, _hasLock, crossArchitecture) => ({
      // --no-compile: .pyc files embed timestamps and would make every build's zip different.
      command: [
        'python3',
        '-m',
        'pip',
        'install',
        '--disable-pip-version-check',
        '--no-compile',
        '--no-warn-script-location',
        '--requirement',
        `${CONTAINER_SOURCE}/${manifest}`,
        '--target',
        `${CONTAINER_LAYER}/${runtime.installDir}`,
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
      ],
      workdir: CONTAINER_SOURCE,
    }),
    smoke: (_runtime, modulePaths) => ({
      program: 'python3',
      args: ['-c', PYTHON_SMOKE],
      env: { PYTHONPATH: opt(modulePaths) },
    }),
  },
  nodejs: {
    roots: ['nodejs', 'bin', 'lib'],
    languageRoot: 'nodejs',
    withoutModulePath: 'without node_modules/: Node.js resolves packages only from node_modules',
    versionedFolder: /^(nodejs\/node(\d+))\/node_modules\//,
    defaultManifest: 'package.json',
    lockFiles: ['package-lock.json', 'npm-shrinkwrap.json'],
    runtimeImageRepo: 'lambda/nodejs',
    importNoun: 'module name',
    importPattern: NODE_MODULE,
    crossInstall: false,
    trimFolders: () => [],
    runtimeLibraries: () => [],
    compatibleBinaries: 'use prebuilt binaries for an older glibc',
    defaultBuild: (_runtime, _manifest, installArgs, hasLock) => ({
      command: ['npm', hasLock ? 'ci' : 'install', '--omit=dev', '--no-audit', '--no-fund', ...installArgs],
      workdir: `${CONTAINER_LAYER}/nodejs`,
      copyManifestTo: 'nodejs',
    }),
    smoke: (_runtime, modulePaths) => ({
      program: 'node',
      args: ['--input-type=module', '-e', NODE_SMOKE],
      env: { NODE_PATH: opt(modulePaths) },
      // import() resolves bare names from the working folder up, as Lambda's NODE_PATH order does.
      workdir: `/opt/${(modulePaths[0] ?? 'nodejs/node_modules').replace(/\/node_modules$/, '')}`,
    }),
  },
  java: {
    roots: ['java', 'bin', 'lib'],
    languageRoot: 'java',
    withoutModulePath: 'without lib/: Lambda puts only the jars in /opt/java/lib/ on the class path',
    defaultManifest: 'pom.xml',
    lockFiles: [],
    runtimeImageRepo: 'lambda/java',
    importNoun: 'jar (in java/lib) or class name',
    importPattern: JAVA_TARGET,
    crossInstall: false,
    trimFolders: () => [],
    runtimeLibraries: () => [],
    defaultBuild: (runtime, manifest, installArgs) =>
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
          },
    smoke: () => ({
      program: 'java',
      // The launcher, not a shell, expands lib/* to every jar, as Lambda's class path does.
      args: ['-cp', `${CONTAINER_TOOLS}:/opt/java/lib/*`, 'LayerSmoke'],
      env: {},
      files: { 'LayerSmoke.class': LAYER_SMOKE_CLASS },
    }),
  },
  ruby: {
    roots: ['ruby', 'bin', 'lib'],
    languageRoot: 'ruby',
    withoutModulePath:
      'without gems/X.Y.0/ or lib/: Lambda reads gems only from GEM_PATH=/opt/ruby/gems/X.Y.0 and code from RUBYLIB=/opt/ruby/lib',
    versionedFolder: /^(ruby\/gems\/(\d+\.\d+)\.\d+)\//,
    defaultManifest: 'Gemfile',
    lockFiles: ['Gemfile.lock'],
    runtimeImageRepo: 'lambda/ruby',
    importNoun: 'gem or feature (require name)',
    importPattern: RUBY_FEATURE,
    crossInstall: false,
    // The .gem archives (a second copy of every gem) and generated docs are never loaded.
    trimFolders: (runtime) => [`${runtime.installDir}/cache`, `${runtime.installDir}/doc`],
    runtimeLibraries: (runtime) => [`libruby.so.${runtime.version}`],
    defaultBuild: (runtime, manifest, installArgs, hasLock) => ({
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
    }),
    smoke: (runtime) => ({
      program: 'ruby',
      args: ['-e', RUBY_SMOKE],
      // As Lambda sets them for a layer.
      env: { GEM_PATH: `/opt/${runtime.installDir}`, RUBYLIB: '/opt/ruby/lib' },
    }),
  },
  provided: {
    // Lambda starts /opt/bootstrap when the function has none; bin/ is on PATH, lib/ on LD_LIBRARY_PATH.
    roots: ['bootstrap', 'bin', 'lib'],
    defaultManifest: 'Makefile',
    lockFiles: [],
    runtimeImageRepo: 'lambda/provided',
    importNoun: 'executable (path under /opt)',
    importPattern: LAYER_FILE,
    crossInstall: false,
    trimFolders: () => [],
    runtimeLibraries: () => [],
    defaultBuild: (_runtime, manifest, installArgs) => ({
      // `make layer`, with ARTIFACTS_DIR as SAM's makefile builder sets it; object files go to /tmp.
      command: ['make', '--file', `${CONTAINER_SOURCE}/${manifest}`, 'layer', ...installArgs],
      workdir: CONTAINER_SOURCE,
      env: { ARTIFACTS_DIR: CONTAINER_LAYER, BUILD_DIR: '/tmp/build' },
    }),
    smoke: (_runtime, _modulePaths, architecture) => ({
      program: 'sh',
      args: ['-c', PROVIDED_SMOKE, 'llr-smoke'],
      env: { LLR_ELF_MACHINE: ELF_MACHINE[architecture] },
    }),
  },
};

/** The manifest's folder in the build container. */
function sourceDir(manifest: string): string {
  const slash = manifest.lastIndexOf('/');
  return slash < 0 ? CONTAINER_SOURCE : `${CONTAINER_SOURCE}/${manifest.slice(0, slash)}`;
}

function python(version: string, os: OperatingSystem): Runtime {
  const sitePackages = `python/lib/python${version}/site-packages`;
  return {
    id: `python${version}`,
    family: 'python',
    version,
    os,
    installDir: sitePackages,
    modulePaths: [sitePackages, 'python'],
  };
}

function nodejs(major: string, os: OperatingSystem): Runtime {
  return {
    id: `nodejs${major}.x`,
    family: 'nodejs',
    version: major,
    os,
    installDir: 'nodejs/node_modules',
    modulePaths: [`nodejs/node${major}/node_modules`, 'nodejs/node_modules'],
  };
}

function java(version: string, os: OperatingSystem): Runtime {
  return {
    id: `java${version}`,
    family: 'java',
    version,
    os,
    installDir: 'java/lib',
    modulePaths: ['java/lib'],
  };
}

function ruby(version: string, os: OperatingSystem): Runtime {
  // Gems live in a folder named for Ruby's ABI version, which is always X.Y.0.
  const gems = `ruby/gems/${version}.0`;
  return {
    id: `ruby${version}`,
    family: 'ruby',
    version,
    os,
    installDir: gems,
    modulePaths: [gems, 'ruby/lib'],
  };
}

function provided(os: OperatingSystem): Runtime {
  return {
    id: `provided.${os}`,
    family: 'provided',
    version: os,
    os,
    installDir: 'bin',
    modulePaths: ['bin', 'lib'],
  };
}

export const RUNTIMES: readonly Runtime[] = [
  python('3.9', 'al2'),
  python('3.10', 'al2'),
  python('3.11', 'al2'),
  python('3.12', 'al2023'),
  python('3.13', 'al2023'),
  python('3.14', 'al2023'),
  nodejs('18', 'al2'),
  nodejs('20', 'al2023'),
  nodejs('22', 'al2023'),
  nodejs('24', 'al2023'),
  java('8.al2', 'al2'),
  java('11', 'al2'),
  java('17', 'al2'),
  java('21', 'al2023'),
  java('25', 'al2023'),
  java('8.al2023', 'al2023'),
  java('11.al2023', 'al2023'),
  java('17.al2023', 'al2023'),
  ruby('3.2', 'al2'),
  ruby('3.3', 'al2023'),
  ruby('3.4', 'al2023'),
  ruby('4.0', 'al2023'),
  provided('al2'),
  provided('al2023'),
];

/**
 * Lambda's deprecation date of each runtime (phase 1: no more patches, then creating and updating
 * functions is blocked), from the "Supported runtimes" table of the Lambda developer guide. A runtime
 * without a date has none announced.
 */
export const DEPRECATION_DATES: Readonly<Record<string, string>> = {
  'python3.9': '2025-12-15',
  'python3.10': '2026-06-30',
  'python3.11': '2026-06-30',
  'python3.12': '2028-10-31',
  'python3.13': '2029-06-30',
  'python3.14': '2029-06-30',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
  'nodejs22.x': '2027-04-30',
  'nodejs24.x': '2028-04-30',
  'java8.al2': '2026-06-30',
  java11: '2026-06-30',
  java17: '2026-06-30',
  java21: '2029-06-30',
  java25: '2029-06-30',
  'ruby3.2': '2026-03-31',
  'ruby3.3': '2027-03-31',
  'ruby3.4': '2028-03-31',
  'provided.al2': '2026-06-30',
  'provided.al2023': '2029-06-30',
};

/** The deprecation date of a runtime when it has passed on `today` (YYYY-MM-DD), else undefined. */
export function deprecatedSince(
  runtime: Runtime,
  today = new Date().toISOString().slice(0, 10),
): string | undefined {
  const date = DEPRECATION_DATES[runtime.id];
  return date !== undefined && date <= today ? date : undefined;
}

/**
 * Runtimes of the SDK's `Runtime` enum that are not in the table, each with the reason. A test walks the
 * enum, so an SDK update that brings a new runtime fails until it is added here or to RUNTIMES.
 */
export const UNSUPPORTED_RUNTIMES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    [
      'dotnet6',
      'dotnet8',
      'dotnet10',
      'dotnetcore1.0',
      'dotnetcore2.0',
      'dotnetcore2.1',
      'dotnetcore3.1',
    ].map((id) => [
      id,
      '.NET loads assemblies from the function package; a layer of NuGet packages has no build here',
    ]),
  ),
  'go1.x': 'retired (go1.x reached end of support on 2024-01-08); Go layers use provided.al2023',
  java8: 'retired (Amazon Linux 1); use java8.al2 or java8.al2023',
  nodejs: 'retired (Node.js 0.10)',
  'nodejs4.3': 'retired',
  'nodejs4.3-edge': 'retired (Lambda@Edge)',
  'nodejs6.10': 'retired',
  'nodejs8.10': 'retired',
  'nodejs10.x': 'retired',
  'nodejs12.x': 'retired',
  'nodejs14.x': 'retired',
  'nodejs16.x': 'retired; no longer built by the SAM build images',
  'nodejs26.x': 'in the SDK ahead of a Lambda release; no build or runtime image to test against yet',
  provided: 'retired (Amazon Linux 1); use provided.al2023',
  'python2.7': 'retired',
  'python3.6': 'retired',
  'python3.7': 'retired',
  'python3.8': 'retired; no longer built by the SAM build images',
  'python3.15': 'in the SDK ahead of a Lambda release; no build or runtime image to test against yet',
  'ruby2.5': 'retired',
  'ruby2.7': 'retired',
};

export function findRuntime(id: string): Runtime | undefined {
  return RUNTIMES.find((runtime) => runtime.id === id);
}

export function familyOf(runtime: Runtime): FamilySpec {
  return FAMILIES[runtime.family];
}

/** Where AWS publishes the build and runtime images; a mirror (e.g. an ECR pull-through cache) may replace it. */
export const PUBLIC_IMAGE_REGISTRY = 'public.ecr.aws';

/** `public.ecr.aws/sam/build-python3.12:latest-arm64` */
export function defaultBuildImage(
  runtime: Runtime,
  architecture: Architecture,
  registry = PUBLIC_IMAGE_REGISTRY,
): string {
  return `${registry}/sam/build-${runtime.id}:latest-${architecture}`;
}

/** `public.ecr.aws/lambda/python:3.12-arm64` */
export function defaultRuntimeImage(
  runtime: Runtime,
  architecture: Architecture,
  registry = PUBLIC_IMAGE_REGISTRY,
): string {
  return `${registry}/${familyOf(runtime).runtimeImageRepo}:${runtime.version}-${architecture}`;
}

/** Docker's platform name for a Lambda architecture. */
export function dockerPlatform(architecture: Architecture): string {
  return architecture === 'arm64' ? 'linux/arm64' : 'linux/amd64';
}

/** The runner's own architecture (where the Docker engine runs natively). */
export function runnerArchitecture(): Architecture {
  return architectureOf(process.arch) ?? 'x86_64';
}

/** The Lambda architecture of a Docker engine or Node.js arch name (`amd64`, `x64`, `arm64`, `aarch64`). */
export function architectureOf(name: string): Architecture | undefined {
  if (['amd64', 'x64', 'x86_64'].includes(name)) return 'x86_64';
  if (['arm64', 'aarch64'].includes(name)) return 'arm64';
  return undefined;
}
