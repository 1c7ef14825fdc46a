/**
 * Runs the real pipeline in-process, as run() would, with inputs given as INPUT_* variables and the
 * AWS SDK clients pointed at the AWS double. The layer comes from a zip the test makes (no Docker).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { vi } from 'vitest';
import { defaultDeps, type Deps } from '../../src/deps.js';
import { getInputs } from '../../src/inputs.js';
import { writeDeterministicZip } from '../../src/layer/zip.js';
import { runPipeline } from '../../src/pipeline.js';
import { newReport, type Report } from '../../src/report.js';
import type { AwsDouble } from './aws-double.js';

export const SIX = { 'python/six.py': 'X = 6\n' };

/** A fresh workspace folder holding `layer.zip` with the given files. */
export async function workspaceWithZip(files: Record<string, string | Buffer>): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-release-'));
  const tree = path.join(dir, '.tree');
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    fs.writeFileSync(path.join(tree, file), content);
  }
  await writeDeterministicZip(tree, path.join(dir, 'layer.zip'), { compressionLevel: 0 });
  fs.rmSync(tree, { recursive: true });
  return dir;
}

/** Runs the pipeline; a failure is returned in `report.error`, as run() would show it. */
export async function release(
  aws: AwsDouble,
  dir: string,
  inputs: Record<string, string>,
  deps: Deps = defaultDeps(),
): Promise<Report> {
  vi.unstubAllEnvs();
  for (const [name, value] of Object.entries(aws.env())) vi.stubEnv(name, value);
  for (const [name, value] of Object.entries({
    steps: 'build,publish',
    'zip-file': 'layer.zip',
    runtime: 'python3.11',
    regions: 'us-east-1',
    ...inputs,
  })) {
    vi.stubEnv(`INPUT_${name.toUpperCase()}`, value);
  }
  const report = newReport();
  try {
    const parsed = getInputs({ GITHUB_WORKSPACE: dir, RUNNER_TEMP: path.join(dir, '.runner-temp') });
    await runPipeline(parsed, deps, report);
  } catch (error) {
    report.error = (error as Error).message;
  }
  return report;
}
