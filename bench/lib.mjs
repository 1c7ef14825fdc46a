/**
 * Shared helpers of the benchmarks: loading the project's TypeScript (the AWS double, the zip writer)
 * through Vite's module runner, running `node dist/index.js` as the Actions runner does, timing
 * commands, and describing the machine.
 */
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
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
  const files = {
    output: path.join(runnerTemp, 'output'),
    summary: path.join(runnerTemp, 'summary'),
    state: path.join(runnerTemp, 'state'),
  };
  for (const file of Object.values(files)) fs.writeFileSync(file, '');
  const childEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    ...env,
  };
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...inputs })) {
    childEnv[`INPUT_${name.toUpperCase()}`] = value;
  }
  const result = await run(process.execPath, [script], { env: childEnv });
  const summary = fs.readFileSync(files.summary, 'utf8');
  const state = stateOf(fs.readFileSync(files.state, 'utf8'));
  return { ...result, summary, state, stepSeconds: stepSeconds(summary) };
}

/** `name<<delimiter … delimiter` blocks of the GITHUB_STATE file → { name: value }. */
function stateOf(text) {
  const state = {};
  for (const m of text.matchAll(/^([^<\n]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm)) state[m[1]] = m[3];
  return state;
}

/** Runs the post step (`node dist/post/index.js`) as the runner does after the job: STATE_<name> variables. */
export function runPost(state, env = {}) {
  const childEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
  for (const [name, value] of Object.entries(state)) childEnv[`STATE_${name}`] = value;
  return run(process.execPath, [path.join(repo, 'dist/post/index.js')], { env: childEnv });
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

/** The programs the benchmarks compare with, installed by name when missing (scripts/bench-tools.sh). */
export async function ensureBenchTools() {
  const result = await run('bash', [path.join(repo, 'scripts/bench-tools.sh')]);
  if (result.code !== 0) throw new Error(`scripts/bench-tools.sh failed:\n${result.stderr}`);
}

/**
 * A runner's network link, shared by everything it downloads (the package index, the cache service):
 * `mbps` MB/s in all, paced in 64 KB slices in the order they were asked for; 0: no limit.
 * `send(res, bytes)` writes a response body through it.
 */
export function networkLink(mbps) {
  let freeAt = 0;
  const slice = 64 * 1024;
  return {
    mbps,
    async send(res, bytes) {
      if (!mbps) return void res.end(bytes);
      for (let offset = 0; offset < bytes.length; offset += slice) {
        const part = bytes.subarray(offset, offset + slice);
        const now = performance.now();
        const start = Math.max(now, freeAt);
        freeAt = start + (part.length / (mbps * 1e6)) * 1000;
        if (start > now) await new Promise((resolve) => setTimeout(resolve, start - now));
        if (!res.write(part)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    },
  };
}

/** The Docker bridge's address, where a build container reaches a server on this machine. */
export function bridgeAddress() {
  return os.networkInterfaces().docker0?.find((a) => a.family === 'IPv4')?.address ?? '172.17.0.1';
}

/** Serves `handler` (req, res, url) on the Docker bridge; resolves with its URL and a close(). */
export async function bridgeServer(handler) {
  const server = http.createServer((req, res) => {
    Promise.resolve(handler(req, res, new URL(req.url ?? '/', 'http://x'))).catch((error) => {
      log(`server: ${error.message}`);
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '0.0.0.0', resolve));
  const host = bridgeAddress();
  return {
    host,
    url: `http://${host}:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/** This machine's pip index (`pip config list`): /opt/pypi/simple/<name>/index.html → ../../files/<wheel>. */
const PYPI = '/opt/pypi';

/**
 * The local pip index over HTTP on the Docker bridge, with PyPI's cache headers on files (so pip keeps
 * them in its cache); wheels go through `link`. `url` is the index (…/simple).
 */
export async function pypiIndex(link) {
  let sent = 0;
  const server = await bridgeServer(async (req, res, url) => {
    let file = path.join(PYPI, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(PYPI) || !fs.existsSync(file)) return void res.writeHead(404).end();
    if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    const wheel = file.endsWith('.whl');
    const bytes = fs.readFileSync(file);
    res.writeHead(200, {
      'content-type': wheel ? 'application/octet-stream' : 'text/html',
      'content-length': bytes.length,
      ...(wheel ? { 'cache-control': 'max-age=365000000, immutable, public' } : {}),
    });
    sent += bytes.length;
    await (wheel ? link.send(res, bytes) : res.end(bytes));
  });
  return { ...server, url: `${server.url}/simple`, sent: () => sent };
}

/**
 * An npm registry on the Docker bridge for a lock file's tarballs: each is fetched once from
 * registry.npmjs.org into a mirror folder kept between runs, then served through `link`.
 */
export async function npmMirror(link) {
  const mirror = path.join(os.tmpdir(), 'llr-bench-npm-mirror');
  const upstream = 'https://registry.npmjs.org';
  const ca = ['/etc/ssl/certs/ca-certificates.crt']
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f));
  const fetchOnce = (pathname, file) =>
    new Promise((resolve, reject) => {
      https
        .get(`${upstream}${pathname}`, { ca: ca.length ? ca : undefined }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`${pathname}: HTTP ${res.statusCode}`));
          const chunks = [];
          res.on('data', (c) => chunks.push(c)).on('error', reject);
          res.on('end', () => {
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(`${file}.part`, Buffer.concat(chunks));
            fs.renameSync(`${file}.part`, file);
            resolve();
          });
        })
        .on('error', reject);
    });
  let sent = 0;
  const server = await bridgeServer(async (req, res, url) => {
    if (!url.pathname.endsWith('.tgz')) return void res.writeHead(404).end();
    const file = path.join(mirror, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(mirror)) return void res.writeHead(404).end();
    if (!fs.existsSync(file)) await fetchOnce(url.pathname, file);
    const bytes = fs.readFileSync(file);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
    sent += bytes.length;
    await link.send(res, bytes);
  });
  return { ...server, sent: () => sent };
}

/** Starts Docker and makes the stand-in images when one of `images` is missing. */
export async function ensureImages(images) {
  if ((await run('docker', ['image', 'inspect', ...images])).code === 0) return;
  for (const script of ['docker-up.sh', 'stand-in-images.sh']) {
    log(`scripts/${script}`);
    const result = await run('bash', [path.join(repo, 'scripts', script)]);
    if (result.code !== 0) throw new Error(`${script} failed:\n${result.stdout}${result.stderr}`);
  }
}
