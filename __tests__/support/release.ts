/**
 * Runs the real pipeline in-process, as run() would, with inputs given as INPUT_* variables: in a
 * workspace the test makes, with real Docker, and (for AWS steps) the SDK clients pointed at the AWS
 * double. A failure is returned in `report.error`, as run() would show it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { vi } from 'vitest';
import { defaultDeps, type Deps } from '../../src/deps.js';
import { getInputs } from '../../src/inputs.js';
import { writeDeterministicZip } from '../../src/layer/zip.js';
import { runPipeline } from '../../src/pipeline.js';
import { newReport, type Report } from '../../src/report/index.js';
import type { AwsDouble } from './aws-double.js';
import { STAND_IN_REGISTRY } from './images.js';

export const SIX = { 'python/six.py': 'X = 6\n' };

// One folder for every workspace of this test process, removed when it exits.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-tests-'));
process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A fresh workspace folder with the given files. */
export function workspace(files: Record<string, string | Buffer> = {}): string {
  const dir = path.join(root, `ws-${++counter}`);
  fs.mkdirSync(dir);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/** A fresh workspace holding `layer.zip` with the given files (made without Docker). */
export async function workspaceWithZip(files: Record<string, string | Buffer>): Promise<string> {
  const dir = workspace();
  const tree = path.join(dir, '.tree');
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    fs.writeFileSync(path.join(tree, file), content);
  }
  await writeDeterministicZip(tree, path.join(dir, 'layer.zip'), { compressionLevel: 0 });
  fs.rmSync(tree, { recursive: true });
  return dir;
}

/**
 * Runs the pipeline in `dir` with these inputs (default steps: build,smoke-test, in the stand-in images)
 * and environment.
 */
export async function runInProcess(
  dir: string,
  inputs: Record<string, string>,
  deps: Deps = defaultDeps(),
  env: Record<string, string> = {},
): Promise<Report> {
  vi.unstubAllEnvs();
  // The event is the test's to choose: on CI for a pull request, the runner's own would make every run a plan.
  for (const [name, value] of Object.entries({ GITHUB_EVENT_NAME: '', ...env })) vi.stubEnv(name, value);
  for (const [name, value] of Object.entries({
    steps: 'build,smoke-test',
    'image-registry': STAND_IN_REGISTRY,
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

/** Publishes `layer.zip` of `dir` (default steps: build,publish) against the AWS double. */
export function release(
  aws: AwsDouble,
  dir: string,
  inputs: Record<string, string>,
  deps: Deps = defaultDeps(),
): Promise<Report> {
  const defaults = {
    steps: 'build,publish',
    'zip-file': 'layer.zip',
    runtime: 'python3.11',
    regions: 'us-east-1',
  };
  return runInProcess(dir, { ...defaults, ...inputs }, deps, aws.env());
}
