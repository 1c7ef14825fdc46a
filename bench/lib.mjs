/**
 * Shared helpers of the benchmarks: loading the project's TypeScript (the AWS double, the zip writer)
 * through Vite's module runner, running `node dist/index.js` as the Actions runner does, timing
 * commands, and describing the machine.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runnerImport } from 'vite';
import { parse as parseYaml } from 'yaml';

export const repo = path.resolve(import.meta.dirname, '..');
export const REGION = 'us-east-1';

/** Imports a TypeScript module of the project (relative to the repository root). */
export async function importTs(file) {
  const { module } = await runnerImport(path.join(repo, file), { configFile: false, logLevel: 'error' });
  return module;
}

/** Starts the local AWS API double (see __tests__/support/aws-double.ts). */
export async function startDouble(options) {
  const { startAwsDouble } = await importTs('__tests__/support/aws-double.ts');
  return startAwsDouble(options);
}

/** Lambda requests the double answered, by kind; the quota bound is the control-plane calls ÷ the quota. */
export function apiStats(aws, rps = 15) {
  const lambda = aws.requests.filter((r) => r.service === 'lambda');
  const controlPlane = lambda.filter((r) => r.operation !== 'GetFunction').length;
  const count = (op) => lambda.filter((r) => r.operation === op).length;
  return {
    calls: lambda.length,
    controlPlane,
    getFunction: count('GetFunction'),
    listFunctions: count('ListFunctions'),
    updates: count('UpdateFunctionConfiguration'),
    publishes: count('PublishLayerVersion'),
    writes: lambda.filter((r) => /^(Publish|Update|Create|Delete|Add|Remove|Put|Tag)/.test(r.operation))
      .length,
    throttled: lambda.filter((r) => r.throttled).length,
    quotaBoundSeconds: controlPlane / rps,
  };
}

export const scratch = (name) => fs.mkdtempSync(path.join(os.tmpdir(), `llr-bench-${name}-`));

/** The defaults the runner passes for every input the workflow does not set (from action.yml). */
function actionDefaults() {
  const action = parseYaml(fs.readFileSync(path.join(repo, 'action.yml'), 'utf8'));
  const defaults = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    if (spec.default !== undefined) defaults[name] = String(spec.default);
  }
  defaults['github-token'] = ''; // `${{ github.token }}`: no GitHub API here
  return defaults;
}

/**
 * Runs `node dist/index.js` (or another bundle: `script`) like the runner: INPUT_* variables,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Asynchronous, so the AWS double in this process keeps
 * answering.
 */
export async function runAction(workspace, inputs, env = {}, script = path.join(repo, 'dist/index.js')) {
  const runnerTemp = fs.mkdtempSync(path.join(workspace, '.runner-temp-'));
  const files = { output: path.join(runnerTemp, 'output'), summary: path.join(runnerTemp, 'summary') };
  for (const file of Object.values(files)) fs.writeFileSync(file, '');
  const childEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    ...env,
  };
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...inputs })) {
    childEnv[`INPUT_${name.toUpperCase()}`] = value;
  }
  const result = await run(process.execPath, [script], { env: childEnv });
  const summary = fs.readFileSync(files.summary, 'utf8');
  return { ...result, summary, stepSeconds: stepSeconds(summary) };
}

/** `| ✅ roll-out | … | 35.2 s |` rows of the job summary → { 'roll-out': 35.2, … }. */
function stepSeconds(summary) {
  const steps = {};
  for (const m of summary.matchAll(/^\| \S+ ([a-z-]+) \| .* \| ([\d.]+) s \|$/gm)) steps[m[1]] = Number(m[2]);
  return steps;
}

/** Runs a program; resolves with its exit code, output, wall seconds and seconds to its first output byte. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstOutput;
    let stdout = '';
    let stderr = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    child.stdout.on('data', (chunk) => {
      firstOutput ??= performance.now();
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const first = firstOutput === undefined ? undefined : (firstOutput - started) / 1000;
      resolve({ code, stdout, stderr, seconds, firstOutputSeconds: first });
    });
  });
}

/** `run`, plus the CPU seconds (user + sys) of the program and its children. */
export async function timed(command, args, options = {}) {
  const before = childCpu();
  const result = await run(command, args, options);
  return { ...result, cpuSeconds: childCpu() - before };
}

export function machine() {
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  return {
    nproc: os.availableParallelism(),
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    cpu: cpu.trim(),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', '),
  };
}

export const s = (seconds) => (seconds === undefined ? '—' : `${seconds.toFixed(1)} s`);
export const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
export const pct = (ratio) => `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(2)} %`;

/** A Markdown table from a header row and rows of cells. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const log = (...args) => console.error('[bench]', ...args);

/**
 * BENCH_BASELINE=<dir>: a bundle to measure side by side with dist/ in the same run (e.g. main's,
 * built into a scratch folder with `git worktree` and `npm run build`); undefined when not set.
 */
export function baselineScript() {
  const dir = process.env.BENCH_BASELINE;
  if (!dir) return undefined;
  const script = path.resolve(dir, 'index.js');
  if (!fs.existsSync(script)) throw new Error(`BENCH_BASELINE=${dir}: no index.js there`);
  return script;
}

/** CPU seconds (user + sys) of this process's waited-for children (cutime + cstime of /proc/self/stat). */
export function childCpu() {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** A fresh workspace holding `layer.zip`: one small Python module, written by the action's own zip writer. */
export async function workspaceWithZip(name, content = 'VERSION = 2\n') {
  const { writeDeterministicZip } = await importTs('src/layer/zip.ts');
  const workspace = scratch(name);
  const tree = path.join(workspace, '.tree');
  fs.mkdirSync(path.join(tree, 'python'), { recursive: true });
  fs.writeFileSync(path.join(tree, 'python', 'data_science_stub.py'), content);
  await writeDeterministicZip(tree, path.join(workspace, 'layer.zip'));
  fs.rmSync(tree, { recursive: true });
  return workspace;
}

/** Installs a Debian package when its program is missing (the benchmarks run as root, like CI). */
export async function ensureProgram(program, debianPackage) {
  if (fs.existsSync(program)) return;
  log(`${program} is missing: apt-get install -y ${debianPackage}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const result = await run('apt-get', ['install', '-y', '-qq', debianPackage], { env });
  if (result.code !== 0) throw new Error(`apt-get install ${debianPackage} failed:\n${result.stderr}`);
}
