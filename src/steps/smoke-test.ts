/**
 * Smoke-test step: extracts the layer zip, mounts it read-only at /opt in the Lambda runtime image
 * (entrypoint overridden, no network) and imports every module, one by one.
 */
import * as core from '@actions/core';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Deps } from '../deps.js';
import { currentUser, runArgs, tail } from '../docker.js';
import type { Inputs } from '../inputs.js';
import { extractZip } from '../layer/zip.js';
import { CONTAINER_TOOLS, familyOf } from '../runtimes.js';
import type { LayerArtifact } from './build.js';

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

export interface SmokeResult {
  readonly image: string;
  readonly imports: readonly ImportResult[];
}

export class SmokeTestError extends Error {
  constructor(readonly result: SmokeResult) {
    const failed = result.imports.filter((r) => !r.ok);
    super(
      `Smoke test failed in ${result.image}: ${failed.length} of ${result.imports.length} imports failed:\n` +
        failed.map((r) => `  ${r.module}: ${r.error}`).join('\n'),
    );
    this.name = 'SmokeTestError';
  }
}

type SmokeInputs = Pick<Inputs, 'runtime' | 'architecture' | 'smokeImage' | 'smokeImports'>;

const MARKER = 'LLR-SMOKE ';

export async function smokeTest(
  inputs: SmokeInputs,
  artifact: LayerArtifact,
  deps: Deps,
): Promise<SmokeResult> {
  const modules = inputs.smokeImports ?? [...new Set(artifact.packages.flatMap((p) => p.imports))];
  if (modules.length === 0) {
    core.warning(
      'The smoke test found no modules to import in the layer (no package metadata); name them in smoke-imports.',
    );
    return { image: inputs.smokeImage, imports: [] };
  }
  core.info(`Importing ${modules.length} module(s) in ${inputs.smokeImage}: ${modules.join(', ')}`);

  // Test the zip's content, not the build folder: what is published is what is imported.
  const opt = path.join(path.dirname(artifact.layerDir), 'opt');
  await fs.rm(opt, { recursive: true, force: true });
  await extractZip(artifact.zipFile, opt);

  const recipe = familyOf(inputs.runtime).smoke(
    inputs.runtime,
    artifact.layout.modulePaths,
    inputs.architecture,
  );
  const mounts = [{ host: opt, container: '/opt', readonly: true }];
  const tools = path.join(path.dirname(artifact.layerDir), 'smoke-tools');
  if (recipe.files) {
    await fs.rm(tools, { recursive: true, force: true });
    await fs.mkdir(tools);
    for (const [name, content] of Object.entries(recipe.files)) {
      await fs.writeFile(path.join(tools, name), content, { mode: 0o644 });
    }
    mounts.push({ host: tools, container: CONTAINER_TOOLS, readonly: true });
  }
  const args = runArgs({
    image: inputs.smokeImage,
    architecture: inputs.architecture,
    mounts,
    env: { HOME: '/tmp', ...recipe.env },
    workdir: recipe.workdir,
    entrypoint: recipe.program,
    user: currentUser(),
    network: 'none',
    command: [...recipe.args, ...modules],
  });
  const output = await deps.exec('docker', args, { ignoreReturnCode: true, silent: true });
  await fs.rm(opt, { recursive: true, force: true });

  const reported = new Map<string, ImportResult>();
  for (const line of output.stdout.split('\n')) {
    if (line.startsWith(MARKER)) {
      const result = JSON.parse(line.slice(MARKER.length)) as ImportResult;
      reported.set(result.module, result);
    }
  }
  if (reported.size === 0 && output.exitCode !== 0) {
    throw new Error(
      `Smoke test could not start in ${inputs.smokeImage} (exit code ${output.exitCode}):\n${tail(output.stderr)}`,
    );
  }
  // A module without a result line is the one the interpreter died on (e.g. a native library
  // built for another architecture); the ones after it never ran.
  const crashed = modules.find((module) => !reported.has(module));
  const imports = modules.map(
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
  for (const result of imports) {
    if (result.ok) {
      const notes = [result.detail, result.ms === undefined ? undefined : `${result.ms} ms`].filter(Boolean);
      core.info(`  ok   ${result.module}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`);
    } else core.error(`Import of ${result.module} failed: ${result.error}`, { title: 'Smoke test' });
  }
  const result = { image: inputs.smokeImage, imports };
  if (imports.some((r) => !r.ok)) throw new SmokeTestError(result);
  return result;
}
