/**
 * Smoke-test step: extracts the layer zip, mounts it read-only at /opt in the Lambda runtime image
 * (entrypoint overridden, no network) and imports every module, one by one — once for each runtime
 * the layer declares, each in its own runtime image, since each reads its own folders.
 */
import * as core from '@actions/core';
import type { ExecOutput } from '@actions/exec';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Deps } from '../deps.js';
import { currentUser, dockerOutput, runArgs, tail, type Mount } from '../docker.js';
import { oneLine } from '../log.js';
import type { Inputs } from '../inputs/index.js';
import { modulePathsIn } from '../layer/layout.js';
import { listPackages } from '../layer/packages.js';
import { extractZip, listTree, type TreeEntry } from '../layer/zip.js';
import { CONTAINER_TOOLS, smokeRecipe, type Runtime, type SmokeRecipe } from '../runtimes/index.js';
import { declaredRuntimes, smokeImageFor, type LayerArtifact } from './build.js';

export interface ImportResult {
  readonly module: string;
  readonly ok: boolean;
  readonly ms?: number;
  readonly error?: string;
  /** What was checked, when the module name does not say (the class loaded from a jar). */
  readonly detail?: string;
  /** Already imported by an earlier module of the list: its time says nothing about it. */
  readonly alreadyLoaded?: boolean;
}

/** The smoke test in one runtime's image. */
export interface RuntimeSmoke {
  readonly runtime: string;
  readonly image: string;
  readonly imports: readonly ImportResult[];
}

export interface SmokeResult {
  /** The first run's image and imports: the runtime the layer was built for. */
  readonly image: string;
  readonly imports: readonly ImportResult[];
  /** One run per declared runtime, the runtime built for first. */
  readonly runs: readonly RuntimeSmoke[];
}

export class SmokeTestError extends Error {
  constructor(readonly result: SmokeResult) {
    const lines = result.runs
      .filter((run) => run.imports.some((r) => !r.ok))
      .map((run) => {
        const failed = run.imports.filter((r) => !r.ok);
        return (
          `Smoke test failed in ${run.image}: ${failed.length} of ${run.imports.length} imports failed:\n` +
          failed.map((r) => `  ${r.module}: ${r.error}`).join('\n')
        );
      });
    super(lines.join('\n'));
    this.name = 'SmokeTestError';
  }
}

type SmokeInputs = Pick<
  Inputs,
  'runtime' | 'architecture' | 'smokeImage' | 'smokeImports' | 'compatibleRuntimes' | 'imageRegistry'
>;

const MARKER = 'LLR-SMOKE ';

export async function smokeTest(
  inputs: SmokeInputs,
  artifact: LayerArtifact,
  deps: Deps,
): Promise<SmokeResult> {
  // Test the zip's content, not the build folder: what is published is what is imported.
  const opt = path.join(path.dirname(artifact.layerDir), 'opt');
  await fs.rm(opt, { recursive: true, force: true });
  await extractZip(artifact.zipFile, opt);
  const entries = await listTree(opt);
  const runs: RuntimeSmoke[] = [];
  try {
    for (const runtime of declaredRuntimes(inputs)) {
      runs.push(await smokeRuntime(inputs, runtime, artifact, opt, entries, deps));
    }
  } finally {
    await fs.rm(opt, { recursive: true, force: true });
  }
  const result = { image: runs[0]!.image, imports: runs[0]!.imports, runs };
  if (runs.some((run) => run.imports.some((r) => !r.ok))) throw new SmokeTestError(result);
  return result;
}

async function smokeRuntime(
  inputs: SmokeInputs,
  runtime: Runtime,
  artifact: LayerArtifact,
  opt: string,
  entries: readonly TreeEntry[],
  deps: Deps,
): Promise<RuntimeSmoke> {
  const image = smokeImageFor(inputs, runtime);
  // Each runtime reads its own folders: python3.13 the packages in python/lib/python3.13/site-packages.
  const modulePaths = modulePathsIn(entries, runtime);
  const modules = await modulesToImport(inputs, runtime, artifact, opt, modulePaths);
  if (modules.length === 0) {
    core.warning(
      `The smoke test found no modules to import for ${runtime.id} (no package metadata); name them in smoke-imports.`,
    );
    return { runtime: runtime.id, image, imports: [] };
  }
  core.info(
    oneLine(`${runtime.id}: importing ${modules.length} module(s) in ${image}: ${modules.join(', ')}`),
  );

  const recipe = smokeRecipe(runtime, modulePaths, inputs.architecture);
  const args = runArgs({
    image,
    architecture: inputs.architecture,
    mounts: await smokeMounts(recipe, opt, artifact),
    env: { HOME: '/tmp', ...recipe.env },
    workdir: recipe.workdir,
    entrypoint: recipe.program,
    user: currentUser(),
    network: 'none',
    command: [...recipe.args, ...modules],
  });
  // Streamed (fenced: see dockerOutput), so a crash's whole trace is in the log.
  const output = await dockerOutput(deps.exec, args, { what: `The smoke test in ${image}` });
  const imports = importResults(modules, output, image);
  logResults(runtime, imports);
  return { runtime: runtime.id, image, imports };
}

/** smoke-imports, or every module the runtime's packages provide (read again for another runtime's folders). */
async function modulesToImport(
  inputs: SmokeInputs,
  runtime: Runtime,
  artifact: LayerArtifact,
  opt: string,
  modulePaths: readonly string[],
): Promise<readonly string[]> {
  const packages =
    runtime.id === inputs.runtime.id
      ? artifact.packages
      : await listPackages(runtime.family, opt, modulePaths);
  return inputs.smokeImports ?? [...new Set(packages.flatMap((p) => p.imports))];
}

/** The layer read-only at /opt, and the recipe's files (written beside the build) under CONTAINER_TOOLS. */
async function smokeMounts(recipe: SmokeRecipe, opt: string, artifact: LayerArtifact): Promise<Mount[]> {
  const mounts: Mount[] = [{ host: opt, container: '/opt', readonly: true }];
  const tools = path.join(path.dirname(artifact.layerDir), 'smoke-tools');
  if (recipe.files) {
    await fs.rm(tools, { recursive: true, force: true });
    await fs.mkdir(tools);
    for (const [name, content] of Object.entries(recipe.files)) {
      await fs.writeFile(path.join(tools, name), content, { mode: 0o644 });
    }
    mounts.push({ host: tools, container: CONTAINER_TOOLS, readonly: true });
  }
  return mounts;
}

/** Each module's result: its result line, or why it has none (the crash, or an earlier one). */
function importResults(modules: readonly string[], output: ExecOutput, image: string): ImportResult[] {
  const reported = new Map<string, ImportResult>();
  for (const line of output.stdout.split('\n')) {
    if (line.startsWith(MARKER)) {
      const result = JSON.parse(line.slice(MARKER.length)) as ImportResult;
      reported.set(result.module, result);
    }
  }
  if (reported.size === 0 && output.exitCode !== 0) {
    throw new Error(
      `Smoke test could not start in ${image} (exit code ${output.exitCode}):\n${tail(output.stderr)}`,
    );
  }
  // A module without a result line is the one the interpreter died on (e.g. a native library
  // built for another architecture); the ones after it never ran.
  const crashed = modules.find((module) => !reported.has(module));
  return modules.map(
    (module): ImportResult =>
      reported.get(module) ?? {
        module,
        ok: false,
        error:
          module === crashed
            ? `the interpreter exited with code ${output.exitCode} while importing it: ${tail(output.stderr, 5)}`
            : 'not tried: an earlier import crashed the interpreter',
      },
  );
}

function logResults(runtime: Runtime, imports: readonly ImportResult[]): void {
  for (const result of imports) {
    if (result.ok) {
      const notes = [result.detail, result.ms === undefined ? undefined : `${result.ms} ms`].filter(Boolean);
      // The result line comes from the container, where the layer's code ran: one line, no commands.
      core.info(oneLine(`  ok   ${result.module}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`));
    } else {
      core.error(`Import of ${result.module} failed in ${runtime.id}: ${result.error}`, {
        title: 'Smoke test',
      });
    }
  }
}
