/**
 * The one table of runtimes: for each Lambda runtime, where its layer content lives under /opt,
 * which images build and run it, and how the smoke test imports a package.
 * Adding a runtime is adding a row; no other file branches on the runtime's name.
 */

export type Architecture = 'x86_64' | 'arm64';
export const ARCHITECTURES: readonly Architecture[] = ['x86_64', 'arm64'];

export type Family = 'python' | 'nodejs';

export interface Runtime {
  /** Lambda's identifier, e.g. `python3.12`. */
  readonly id: string;
  readonly family: Family;
  /** Language version as the image tags spell it: `3.12`, `20`. */
  readonly version: string;
  /** Where the default build installs packages, relative to the layer root (= /opt). */
  readonly installDir: string;
  /** The folders Lambda puts on the module path for this runtime, relative to /opt, most specific first. */
  readonly modulePaths: readonly string[];
}

/** Where the build container sees things. */
export const CONTAINER_SOURCE = '/src';
export const CONTAINER_LAYER = '/layer';

/** How the default build runs in the build image (no shell: `command` is an argument array). */
export interface BuildRecipe {
  readonly command: readonly string[];
  readonly workdir: string;
  /** Copy the manifest (and lock files beside it) into this layer folder before the build. */
  readonly copyManifestTo?: string;
}

/** How the smoke test imports modules in the runtime image: `program ...args <module> <module> ...`. */
export interface SmokeRecipe {
  readonly program: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workdir?: string;
}

interface FamilySpec {
  /** Top-level folders of a layer that this family reads; anything else in the zip is dead weight. */
  readonly roots: readonly string[];
  readonly defaultManifest: string;
  /** Files that pin a manifest's versions; copied beside it for the build. */
  readonly lockFiles: readonly string[];
  /** Repository of the Lambda runtime image, tagged `<version>-<arch>`. */
  readonly runtimeImageRepo: string;
  defaultBuild(
    runtime: Runtime,
    manifest: string,
    installArgs: readonly string[],
    hasLock: boolean,
  ): BuildRecipe;
  /** `modulePaths`: the runtime's module folders that exist in the layer, relative to /opt. */
  smoke(modulePaths: readonly string[]): SmokeRecipe;
}

// Each smoke script imports the modules named in its arguments, one by one, and prints one
// `LLR-SMOKE {json}` line per module, so a crash of the interpreter still shows which import caused it.
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

export const FAMILIES: Readonly<Record<Family, FamilySpec>> = {
  python: {
    roots: ['python', 'bin', 'lib'],
    defaultManifest: 'requirements.txt',
    lockFiles: [],
    runtimeImageRepo: 'public.ecr.aws/lambda/python',
    defaultBuild: (runtime, manifest, installArgs) => ({
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
        ...installArgs,
      ],
      workdir: CONTAINER_SOURCE,
    }),
    smoke: (modulePaths) => ({
      program: 'python3',
      args: ['-c', PYTHON_SMOKE],
      env: { PYTHONPATH: modulePaths.map((p) => `/opt/${p}`).join(':') },
    }),
  },
  nodejs: {
    roots: ['nodejs', 'bin', 'lib'],
    defaultManifest: 'package.json',
    lockFiles: ['package-lock.json', 'npm-shrinkwrap.json'],
    runtimeImageRepo: 'public.ecr.aws/lambda/nodejs',
    defaultBuild: (_runtime, _manifest, installArgs, hasLock) => ({
      command: ['npm', hasLock ? 'ci' : 'install', '--omit=dev', '--no-audit', '--no-fund', ...installArgs],
      workdir: `${CONTAINER_LAYER}/nodejs`,
      copyManifestTo: 'nodejs',
    }),
    smoke: (modulePaths) => ({
      program: 'node',
      args: ['--input-type=module', '-e', NODE_SMOKE],
      env: { NODE_PATH: modulePaths.map((p) => `/opt/${p}`).join(':') },
      // import() resolves bare names from the working folder up, as Lambda's NODE_PATH order does.
      workdir: `/opt/${(modulePaths[0] ?? 'nodejs/node_modules').replace(/\/node_modules$/, '')}`,
    }),
  },
};

function python(version: string): Runtime {
  const sitePackages = `python/lib/python${version}/site-packages`;
  return {
    id: `python${version}`,
    family: 'python',
    version,
    installDir: sitePackages,
    modulePaths: [sitePackages, 'python'],
  };
}

function nodejs(major: string): Runtime {
  return {
    id: `nodejs${major}.x`,
    family: 'nodejs',
    version: major,
    installDir: 'nodejs/node_modules',
    modulePaths: [`nodejs/node${major}/node_modules`, 'nodejs/node_modules'],
  };
}

export const RUNTIMES: readonly Runtime[] = [
  python('3.9'),
  python('3.10'),
  python('3.11'),
  python('3.12'),
  python('3.13'),
  nodejs('18'),
  nodejs('20'),
  nodejs('22'),
];

export function findRuntime(id: string): Runtime | undefined {
  return RUNTIMES.find((runtime) => runtime.id === id);
}

export function familyOf(runtime: Runtime): FamilySpec {
  return FAMILIES[runtime.family];
}

/** `public.ecr.aws/sam/build-python3.12:latest-arm64` */
export function defaultBuildImage(runtime: Runtime, architecture: Architecture): string {
  return `public.ecr.aws/sam/build-${runtime.id}:latest-${architecture}`;
}

/** `public.ecr.aws/lambda/python:3.12-arm64` */
export function defaultRuntimeImage(runtime: Runtime, architecture: Architecture): string {
  return `${familyOf(runtime).runtimeImageRepo}:${runtime.version}-${architecture}`;
}

/** Docker's platform name for a Lambda architecture. */
export function dockerPlatform(architecture: Architecture): string {
  return architecture === 'arm64' ? 'linux/arm64' : 'linux/amd64';
}
