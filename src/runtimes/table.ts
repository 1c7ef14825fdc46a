/**
 * The one table of runtimes, as data: for each Lambda runtime its family and Amazon Linux, for each
 * family where its layer content lives under /opt and which images build and run it, deprecation dates
 * and the SDK's runtimes left out. Adding a runtime is adding a row; no other file branches on the
 * runtime's name. The logic that reads the table is beside it (index.ts, build-recipes.ts, smoke-recipes.ts).
 */
import type {
  Architecture,
  Family,
  FamilySpec,
  OperatingSystem,
  OperatingSystemSpec,
  RuntimeRow,
} from './types.js';

export const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

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

/** Where the build container sees things. */
export const CONTAINER_SOURCE = '/src';
export const CONTAINER_LAYER = '/layer';
/** Files the action writes for a container (scripts, the Java smoke class), mounted read-only. */
export const CONTAINER_TOOLS = '/lambda-layer-release';

/** ELF e_machine (low byte, as od prints it) of each architecture. */
export const ELF_MACHINE: Readonly<Record<Architecture, string>> = { x86_64: '3e', arm64: 'b7' };

/** The machine part of manylinux platform tags. */
export const MANYLINUX_MACHINE: Readonly<Record<Architecture, string>> = {
  x86_64: 'x86_64',
  arm64: 'aarch64',
};

/** Where AWS publishes the build and runtime images; a mirror (e.g. an ECR pull-through cache) may replace it. */
export const PUBLIC_IMAGE_REGISTRY = 'public.ecr.aws';

const PYTHON_MODULE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const NODE_MODULE = /^(?:@[a-z0-9~][a-z0-9._~-]*\/)?[a-zA-Z0-9~][a-zA-Z0-9._~-]*(?:\/[a-zA-Z0-9._~-]+)*$/;
// A jar in java/lib, or a fully qualified class name.
const JAVA_TARGET =
  /^(?:[A-Za-z0-9_][A-Za-z0-9._+-]*\.jar|[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*)$/;
const RUBY_FEATURE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.+-]*)*$/;
// A path under /opt without . or .. segments.
const LAYER_FILE = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._+-]+(?:\/[A-Za-z0-9._+-]+)*$/;

export const FAMILIES: Readonly<Record<Family, FamilySpec>> = {
  python: {
    roots: ['python', 'bin', 'lib'],
    languageRoot: 'python',
    versionedFolder: /^(python\/lib\/python(\d+\.\d+))\//,
    installDir: 'python/lib/python{version}/site-packages',
    modulePaths: ['python/lib/python{version}/site-packages', 'python'],
    defaultManifest: 'requirements.txt',
    lockFiles: [],
    runtimeImageRepo: 'lambda/python',
    importNoun: 'module name',
    importPattern: PYTHON_MODULE,
    crossInstall: true,
    trimFolders: [],
    runtimeLibraries: ['libpython{version}.so.1.0'],
    // manylinux2014 wheels need glibc 2.17, which every Amazon Linux has.
    compatibleBinaries: 'use wheels tagged manylinux2014',
    buildsPerVersion: true,
  },
  nodejs: {
    roots: ['nodejs', 'bin', 'lib'],
    languageRoot: 'nodejs',
    withoutModulePath: 'without node_modules/: Node.js resolves packages only from node_modules',
    versionedFolder: /^(nodejs\/node(\d+))\/node_modules\//,
    installDir: 'nodejs/node_modules',
    modulePaths: ['nodejs/node{version}/node_modules', 'nodejs/node_modules'],
    defaultManifest: 'package.json',
    lockFiles: ['package-lock.json', 'npm-shrinkwrap.json'],
    runtimeImageRepo: 'lambda/nodejs',
    importNoun: 'module name',
    importPattern: NODE_MODULE,
    crossInstall: true,
    trimFolders: [],
    runtimeLibraries: [],
    compatibleBinaries: 'use prebuilt binaries for an older glibc',
  },
  java: {
    roots: ['java', 'bin', 'lib'],
    languageRoot: 'java',
    withoutModulePath: 'without lib/: Lambda puts only the jars in /opt/java/lib/ on the class path',
    installDir: 'java/lib',
    modulePaths: ['java/lib'],
    defaultManifest: 'pom.xml',
    lockFiles: [],
    runtimeImageRepo: 'lambda/java',
    importNoun: 'jar (in java/lib) or class name',
    importPattern: JAVA_TARGET,
    crossInstall: false,
    trimFolders: [],
    runtimeLibraries: [],
  },
  ruby: {
    roots: ['ruby', 'bin', 'lib'],
    languageRoot: 'ruby',
    withoutModulePath:
      'without gems/X.Y.0/ or lib/: Lambda reads gems only from GEM_PATH=/opt/ruby/gems/X.Y.0 and code from RUBYLIB=/opt/ruby/lib',
    versionedFolder: /^(ruby\/gems\/(\d+\.\d+)\.\d+)\//,
    // Gems live in a folder named for Ruby's ABI version, which is always X.Y.0.
    installDir: 'ruby/gems/{version}.0',
    modulePaths: ['ruby/gems/{version}.0', 'ruby/lib'],
    defaultManifest: 'Gemfile',
    lockFiles: ['Gemfile.lock'],
    runtimeImageRepo: 'lambda/ruby',
    importNoun: 'gem or feature (require name)',
    importPattern: RUBY_FEATURE,
    crossInstall: false,
    // The .gem archives (a second copy of every gem) and generated docs are never loaded.
    trimFolders: ['ruby/gems/{version}.0/cache', 'ruby/gems/{version}.0/doc'],
    runtimeLibraries: ['libruby.so.{version}'],
  },
  provided: {
    // Lambda starts /opt/bootstrap when the function has none; bin/ is on PATH, lib/ on LD_LIBRARY_PATH.
    roots: ['bootstrap', 'bin', 'lib'],
    installDir: 'bin',
    modulePaths: ['bin', 'lib'],
    defaultManifest: 'Makefile',
    lockFiles: [],
    runtimeImageRepo: 'lambda/provided',
    importNoun: 'executable (path under /opt)',
    importPattern: LAYER_FILE,
    crossInstall: false,
    trimFolders: [],
    runtimeLibraries: [],
  },
};

/** Each runtime Lambda supports and this action builds; the version is the runtime image's tag. */
export const RUNTIME_TABLE: readonly RuntimeRow[] = [
  { id: 'python3.9', family: 'python', version: '3.9', os: 'al2' },
  { id: 'python3.10', family: 'python', version: '3.10', os: 'al2' },
  { id: 'python3.11', family: 'python', version: '3.11', os: 'al2' },
  { id: 'python3.12', family: 'python', version: '3.12', os: 'al2023' },
  { id: 'python3.13', family: 'python', version: '3.13', os: 'al2023' },
  { id: 'python3.14', family: 'python', version: '3.14', os: 'al2023' },
  { id: 'nodejs18.x', family: 'nodejs', version: '18', os: 'al2' },
  { id: 'nodejs20.x', family: 'nodejs', version: '20', os: 'al2023' },
  { id: 'nodejs22.x', family: 'nodejs', version: '22', os: 'al2023' },
  { id: 'nodejs24.x', family: 'nodejs', version: '24', os: 'al2023' },
  { id: 'java8.al2', family: 'java', version: '8.al2', os: 'al2' },
  { id: 'java11', family: 'java', version: '11', os: 'al2' },
  { id: 'java17', family: 'java', version: '17', os: 'al2' },
  { id: 'java21', family: 'java', version: '21', os: 'al2023' },
  { id: 'java25', family: 'java', version: '25', os: 'al2023' },
  { id: 'java8.al2023', family: 'java', version: '8.al2023', os: 'al2023' },
  { id: 'java11.al2023', family: 'java', version: '11.al2023', os: 'al2023' },
  { id: 'java17.al2023', family: 'java', version: '17.al2023', os: 'al2023' },
  { id: 'ruby3.2', family: 'ruby', version: '3.2', os: 'al2' },
  { id: 'ruby3.3', family: 'ruby', version: '3.3', os: 'al2023' },
  { id: 'ruby3.4', family: 'ruby', version: '3.4', os: 'al2023' },
  { id: 'ruby4.0', family: 'ruby', version: '4.0', os: 'al2023' },
  { id: 'provided.al2', family: 'provided', version: 'al2', os: 'al2' },
  { id: 'provided.al2023', family: 'provided', version: 'al2023', os: 'al2023' },
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

/**
 * Runtimes of the SDK's `Runtime` enum that are not in the table, each with the reason. A test walks the
 * enum, so an SDK update that brings a new runtime fails until it is added here or to RUNTIMES.
 */
const DOTNET = '.NET loads assemblies from the function package; a layer of NuGet packages has no build here';
export const UNSUPPORTED_RUNTIMES: Readonly<Record<string, string>> = {
  dotnet6: DOTNET,
  dotnet8: DOTNET,
  dotnet10: DOTNET,
  'dotnetcore1.0': DOTNET,
  'dotnetcore2.0': DOTNET,
  'dotnetcore2.1': DOTNET,
  'dotnetcore3.1': DOTNET,
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
