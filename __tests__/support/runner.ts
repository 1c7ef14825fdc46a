/**
 * Runs the committed bundle as the Actions runner does (`node dist/index.js`, INPUT_* variables,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), optionally with a `docker` on PATH that records every
 * invocation before running the real one: proof of which containers a run started.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { STAND_IN_REGISTRY } from './images.js';

const repo = path.resolve(import.meta.dirname, '../..');

export interface RunnerResult {
  status: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Parses the `name<<delimiter ... delimiter` blocks that @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([^<\n]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}

/** Runs the action (`script`: the bundle) in `workspace` with a fresh RUNNER_TEMP under `root`. */
export function runAction(
  root: string,
  workspace: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
  script = path.join(repo, 'dist/index.js'),
): Promise<RunnerResult> {
  return startAction(root, workspace, inputs, extraEnv, script).done;
}

export interface StartedAction {
  readonly child: ChildProcess;
  readonly runnerTemp: string;
  /** What the step saved with core.saveState so far (the runner hands it to the post step). */
  state(): Record<string, string>;
  readonly done: Promise<RunnerResult>;
}

/** Starts the action as runAction does, and hands back the process while it runs (to signal it). */
export function startAction(
  root: string,
  workspace: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
  script = path.join(repo, 'dist/index.js'),
): StartedAction {
  const runnerTemp = fs.mkdtempSync(path.join(root, 'runner-temp-'));
  const outputFile = path.join(runnerTemp, 'output');
  const summaryFile = path.join(runnerTemp, 'summary');
  const stateFile = path.join(runnerTemp, 'state');
  for (const file of [outputFile, summaryFile, stateFile]) fs.writeFileSync(file, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_STATE: stateFile,
    ...extraEnv,
  };
  // The runner passes every input with a default, whether the workflow sets it or not.
  for (const [name, value] of Object.entries({
    steps: 'build,smoke-test',
    'github-token': '',
    'image-registry': STAND_IN_REGISTRY,
    ...inputs,
  })) {
    env[`INPUT_${name.toUpperCase()}`] = value;
  }
  // Asynchronous: the doubles this process serves must keep answering while the action runs.
  const child = spawn(process.execPath, [script], { env });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const done = new Promise<RunnerResult>((resolve) => {
    child.on('close', (status) =>
      resolve({
        status,
        stdout,
        outputs: parseOutputFile(fs.readFileSync(outputFile, 'utf8')),
        summary: fs.readFileSync(summaryFile, 'utf8'),
      }),
    );
  });
  return { child, runnerTemp, state: () => parseOutputFile(fs.readFileSync(stateFile, 'utf8')), done };
}

/**
 * Runs the post step (`node dist/post/index.js`) as the runner does after the job's steps: with the
 * main step's saved state as STATE_<name> variables, and the job's environment (`extraEnv`).
 */
export function runPost(
  runnerTemp: string,
  state: Record<string, string>,
  extraEnv: Record<string, string> = {},
): { status: number | null; stdout: string } {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...extraEnv,
    RUNNER_TEMP: runnerTemp,
  };
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value;
  const result = spawnSync(process.execPath, [path.join(repo, 'dist/post/index.js')], {
    env,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout + result.stderr };
}

/**
 * runPost, without blocking this process: for a post step that talks to a double served from here
 * (the Actions cache double, when the post step saves the download cache).
 */
export function runPostAsync(
  runnerTemp: string,
  state: Record<string, string>,
  extraEnv: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...extraEnv,
    RUNNER_TEMP: runnerTemp,
  };
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value;
  const child = spawn(process.execPath, [path.join(repo, 'dist/post/index.js')], { env });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout })));
}

export interface DockerShim {
  /** PATH with the recording `docker` first. */
  readonly path: string;
  /** Every `docker` invocation so far, as argument arrays. */
  calls(): string[][];
  clear(): void;
}

/** A `docker` first on PATH that appends its arguments (one JSON array a line) to a log, then runs docker. */
export function dockerShim(root: string): DockerShim {
  const dir = fs.mkdtempSync(path.join(root, 'docker-shim-'));
  const log = path.join(dir, 'calls.log');
  const real = (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((p) => path.join(p, 'docker'))
    .find((candidate) => fs.existsSync(candidate));
  if (!real) throw new Error('docker is not on PATH');
  fs.writeFileSync(log, '');
  fs.writeFileSync(
    path.join(dir, 'docker'),
    `#!/usr/bin/env node
const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');
const result = require('node:child_process').spawnSync(${JSON.stringify(real)}, process.argv.slice(2), { stdio: 'inherit' });
process.exit(result.status ?? 1);
`,
    { mode: 0o755 },
  );
  return {
    path: `${dir}${path.delimiter}${process.env.PATH}`,
    calls: () =>
      fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]),
    clear: () => fs.writeFileSync(log, ''),
  };
}
