/**
 * The runtimes: the table (table.ts, data only) and what reads it. The one entry for the rest of src/;
 * the recipes for the default build and the smoke test are beside it (build-recipes.ts, smoke-recipes.ts).
 */
import { DEPRECATION_DATES, ELF_MACHINE, FAMILIES, PUBLIC_IMAGE_REGISTRY, RUNTIME_TABLE } from './table.js';
import type { Architecture, FamilySpec, Runtime, RuntimeRow } from './types.js';

export type * from './types.js';
export {
  ARCHITECTURES,
  CONTAINER_LAYER,
  CONTAINER_SOURCE,
  CONTAINER_TOOLS,
  DEPRECATION_DATES,
  FAMILIES,
  OPERATING_SYSTEMS,
  PUBLIC_IMAGE_REGISTRY,
  UNSUPPORTED_RUNTIMES,
} from './table.js';
export {
  defaultBuild,
  REUSE_READY,
  manylinuxTags,
  type LockedRequirements,
  type LockInstall,
  type ReuseInstall,
} from './build-recipes.js';
export { smokeRecipe } from './smoke-recipes.js';

/** A family's path template for one runtime: `{version}` becomes the runtime's version. */
function fill(template: string, runtime: RuntimeRow): string {
  return template.replaceAll('{version}', runtime.version);
}

/** Every runtime of the table, with its folders. */
export const RUNTIMES: readonly Runtime[] = RUNTIME_TABLE.map((row) => ({
  ...row,
  installDir: fill(FAMILIES[row.family].installDir, row),
  modulePaths: FAMILIES[row.family].modulePaths.map((path) => fill(path, row)),
}));

export function findRuntime(id: string): Runtime | undefined {
  return RUNTIMES.find((runtime) => runtime.id === id);
}

export function familyOf(runtime: Runtime): FamilySpec {
  return FAMILIES[runtime.family];
}

/** Folders the trim removes whole, relative to the layer (e.g. a gem cache). */
export function trimFolders(runtime: Runtime): string[] {
  return familyOf(runtime).trimFolders.map((folder) => fill(folder, runtime));
}

/** Libraries the runtime image adds to its OS's (the interpreter's own, in /var/lang/lib). */
export function runtimeLibraries(runtime: Runtime): string[] {
  return familyOf(runtime).runtimeLibraries.map((library) => fill(library, runtime));
}

/** The deprecation date of a runtime when it has passed on `today` (YYYY-MM-DD), else undefined. */
export function deprecatedSince(
  runtime: Runtime,
  today = new Date().toISOString().slice(0, 10),
): string | undefined {
  const date = DEPRECATION_DATES[runtime.id];
  return date !== undefined && date <= today ? date : undefined;
}

/** ELF e_machine of an architecture's binaries. */
export function elfMachine(architecture: Architecture): number {
  return parseInt(ELF_MACHINE[architecture], 16);
}

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
