/**
 * The one table of runtimes: for each Lambda runtime, where its layer content lives under /opt,
 * which images build and run it, and how the smoke test loads what the layer holds.
 * Adding a runtime is adding a row; no other file branches on the runtime's name.
 */
import { LAYER_SMOKE_CLASS } from './smoke/java-smoke-class.js';

export type Architecture = 'x86_64' | 'arm64';
export const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

export type Family = 'python' | 'nodejs' | 'java' | 'ruby' | 'provided';

/** The Amazon Linux a runtime runs on: it decides the glibc that native code may need. */
export type OperatingSystem = 'al2' | 'al2023';
/** glibc 2.N of each Amazon Linux. */
const GLIBC_MINOR: Readonly<Record<OperatingSystem, number>> = { al2: 26, al2023: 34 };

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

// Each smoke script loads the modules named in its arguments, one by one, and prints one
// `LLR-SMOKE {json}` line per module, so a crash of the interpreter still shows which one caused it.
const PYTHON_SMOKE = `
import importlib, json, sys, time
for name in sys.argv[1:]:
    start = time.perf_counter()
    try:
        importlib.import_module(name)
        result = {"module": name, "ok": True}
    except BaseException as error:
        result = {"module": name, "ok": False, "error": f"{type(error).__name__}: {error}"}
    result["ms"] = round((time.perf_counter() - start) * 1000, 1)
    print("LLR-SMOKE " + json.dumps(result), flush=True)
`;

const NODE_SMOKE = `
for (const name of process.argv.slice(1)) {
  const start = performance.now();
  let result;
  try {
    await import(name);
    result = { module: name, ok: true };
  } catch (error) {
    result = { module: name, ok: false, error: \`\${error?.code ?? error?.name}: \${error?.message}\` };
  }
  result.ms = Math.round((performance.now() - start) * 10) / 10;
  console.log('LLR-SMOKE ' + JSON.stringify(result));
}
`;

// A gem is required by its name, and, like Bundler.require does, by its name with - as / when that
// fails (gem "rack-test" is `require "rack/test"`).
const RUBY_SMOKE = `
require 'json'
ARGV.each do |name|
  start = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  result = begin
    begin
      require name
    rescue LoadError => first
      raise first unless name.include?('-')
      begin
        require name.tr('-', '/')
      rescue LoadError
        raise first
      end
    end
    { module: name, ok: true }
  rescue Exception => error
    { module: name, ok: false, error: "#{error.class}: #{error.message}" }
  end
  result[:ms] = ((Process.clock_gettime(Process::CLOCK_MONOTONIC) - start) * 1000).round(1)
  puts "LLR-SMOKE #{JSON.generate(result)}"
  $stdout.flush
end
`;

// POSIX sh with coreutils only (the provided images are minimal). For each path under /opt: present,
// executable, and either an ELF for this architecture whose shared libraries resolve (ldd, or the
// dynamic loader's --list where there is no ldd) or a script whose #! interpreter exists in the image.
// LD_LIBRARY_PATH and PATH get /opt/lib and /opt/bin as Lambda sets them.
const PROVIDED_SMOKE = `
case ":\${LD_LIBRARY_PATH-}:" in *:/opt/lib:*) ;; *) LD_LIBRARY_PATH="\${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/opt/lib" ;; esac
case ":$PATH:" in *:/opt/bin:*) ;; *) PATH="$PATH:/opt/bin" ;; esac
export LD_LIBRARY_PATH PATH
json() { printf '%s' "$1" | tr '\\n\\t' '  ' | sed -e 's/\\\\/\\\\\\\\/g' -e 's/"/\\\\"/g'; }
report() {
  if [ -z "$2" ]; then printf 'LLR-SMOKE {"module":"%s","ok":true,"detail":"%s"}\\n' "$(json "$1")" "$(json "$3")"
  else printf 'LLR-SMOKE {"module":"%s","ok":false,"error":"%s"}\\n' "$(json "$1")" "$(json "$2")"; fi
}
machine_name() { case "$1" in 3e) echo x86_64 ;; b7) echo arm64 ;; 03) echo i386 ;; 28) echo arm32 ;; *) echo "machine 0x$1" ;; esac; }
libraries() {
  if command -v ldd >/dev/null 2>&1; then ldd "$1" 2>&1; return; fi
  for loader in /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1; do
    [ -x "$loader" ] && { "$loader" --list "$1" 2>&1; return; }
  done
  echo "no ldd and no dynamic loader in the image"
}
for name in "$@"; do
  file="/opt/$name"
  if [ ! -f "$file" ]; then report "$name" "not in the layer"; continue; fi
  if [ ! -x "$file" ]; then report "$name" "not executable: the zip must keep its mode (chmod 755)"; continue; fi
  set -- $(od -An -tx1 -N20 "$file")
  if [ "$1$2$3$4" = 7f454c46 ]; then
    if [ "\${19}" != "$LLR_ELF_MACHINE" ]; then
      report "$name" "an ELF for $(machine_name "\${19}"), not for $(machine_name "$LLR_ELF_MACHINE")"; continue
    fi
    output=$(libraries "$file")
    missing=$(printf '%s\\n' "$output" | grep -E 'not found|No such file|cannot|error' || true)
    if [ -n "$missing" ]; then report "$name" "shared libraries do not resolve: $missing"; continue; fi
    report "$name" "" "ELF $(machine_name "$LLR_ELF_MACHINE"), libraries resolve"
  elif [ "$1$2" = 2321 ]; then
    IFS= read -r line < "$file" || true
    set -- \${line#??}
    interpreter="\${1-}"
    if [ "$interpreter" = /usr/bin/env ] && [ -n "\${2-}" ]; then
      if command -v "$2" >/dev/null 2>&1; then report "$name" "" "script for $2"
      else report "$name" "interpreter $2 (#!$line) is not on the runtime's PATH"; fi
    elif [ -n "$interpreter" ] && [ -x "$interpreter" ]; then report "$name" "" "script for $interpreter"
    else report "$name" "interpreter $interpreter (#!\${line#??}) is not in the runtime image"; fi
  else
    report "$name" "neither an ELF executable nor a script starting with #!"
  fi
done
`;

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
  for (let minor = GLIBC_MINOR[runtime.os]; minor >= 17; minor--)
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

// Adds `lambdaLayerJars` to every project with a runtime class path: it copies that class path's jars
// (building the jars of project dependencies first) to LAYER_JARS_DIR. Works from Gradle 4.4 to 8.
const GRADLE_INIT = `allprojects {
  afterEvaluate { project ->
    if (project.configurations.findByName('runtimeClasspath') != null) {
      project.tasks.create('lambdaLayerJars', Copy) {
        from project.configurations.runtimeClasspath
        into System.getenv('LAYER_JARS_DIR')
      }
    }
  }
}
`;

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
