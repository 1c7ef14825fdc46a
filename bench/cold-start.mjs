/** 5. Cold start of `node dist/index.js` to its first log line, and the bundle size. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { log, repo, run, runAction, table, workspaceWithZip } from './lib.mjs';

const RUNS = 15;
const ms = (seconds) => `${Math.round(seconds * 1000)} ms`;

function summary(runs) {
  const sorted = (key) => runs.map((r) => r[key]).sort((a, b) => a - b);
  const median = (values) => values[Math.floor(values.length / 2)];
  return {
    first: median(sorted('firstOutputSeconds')),
    firstMin: sorted('firstOutputSeconds')[0],
    exit: median(sorted('seconds')),
  };
}

async function repeat(measure) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure());
  return summary(runs);
}

export async function bench() {
  const workspace = await workspaceWithZip('cold-start');
  const cases = {
    '`node -e` printing one line (Node itself)': () =>
      run(process.execPath, ['-e', 'process.stdout.write("ready\\n")']),
    'invalid inputs (fails in validation)': () =>
      runAction(workspace, { 'layer-name': 'bad name', runtime: 'python2.7' }),
    '`steps: build` with a one-file `zip-file`': () =>
      runAction(workspace, {
        steps: 'build',
        'layer-name': 'cold',
        runtime: 'python3.11',
        'zip-file': 'layer.zip',
      }),
  };
  const rows = [];
  for (const [label, measure] of Object.entries(cases)) {
    log(`cold start: ${label}`);
    const r = await repeat(measure);
    rows.push([label, ms(r.first), ms(r.firstMin), ms(r.exit)]);
  }
  fs.rmSync(workspace, { recursive: true });

  const bundle = fs.readFileSync(path.join(repo, 'dist/index.js'));
  const dist = fs
    .readdirSync(path.join(repo, 'dist'))
    .map((f) => [f, fs.statSync(path.join(repo, 'dist', f)).size]);
  return [
    `Median of ${RUNS} runs (and the fastest) from spawning the process to its first byte on stdout, and`,
    'to its exit, as the runner starts it (INPUT_* variables, output and summary files).',
    '',
    table(['Run', 'First log line (median)', 'First log line (fastest)', 'Exit (median)'], rows),
    '',
    table(
      ['Bundle', 'Bytes', 'Gzipped'],
      dist.map(([file, size]) => [
        `\`dist/${file}\``,
        size.toLocaleString('en'),
        file === 'index.js' ? gzipSync(bundle).length.toLocaleString('en') : '',
      ]),
    ),
  ].join('\n');
}
