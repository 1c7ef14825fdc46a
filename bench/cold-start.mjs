/**
 * 5. Cold start of `node dist/index.js` to its first log line, and the bundle size. Every case runs
 *    interleaved with the others (one round = one run of each), so they share the machine's load;
 *    BENCH_BASELINE=<dir> adds another bundle (e.g. main's) to the same rounds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { baselineScript, log, repo, run, runAction, table, workspaceWithZip } from './lib.mjs';

const RUNS = 15;
const GOAL = 6; // first log line within 6 × bare node
const ms = (seconds) => `${Math.round(seconds * 1000)} ms`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A run that does not end as it should (the build must succeed, the invalid inputs must fail) is an error. */
async function expectCode(code, running) {
  const result = await running;
  if (result.code !== code)
    throw new Error(`exit ${result.code}, not ${code}:\n${result.stdout.slice(-2000)}`);
  return result;
}

function cases(workspace, script, label) {
  const invalid = { 'layer-name': 'bad name', runtime: 'python2.7' };
  const build = { steps: 'build', 'layer-name': 'cold', runtime: 'python3.11', 'zip-file': 'layer.zip' };
  return {
    [`invalid inputs (fails in validation)${label}`]: () =>
      expectCode(1, runAction(workspace, invalid, {}, script)),
    [`\`steps: build\` with a one-file \`zip-file\`${label}`]: () =>
      expectCode(0, runAction(workspace, build, {}, script)),
  };
}

function bundleRows(dir, label) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.js'));
  const size = (f) => fs.statSync(path.join(dir, f)).size;
  const total = files.reduce((sum, f) => sum + size(f), 0);
  const main = fs.readFileSync(path.join(dir, 'index.js'));
  return [
    [
      `\`index.js\`${label} (parsed by every run)`,
      size('index.js').toLocaleString('en'),
      gzipSync(main).length.toLocaleString('en'),
    ],
    [
      `${files.length - 1} chunks${label} (parsed when a run needs them)`,
      (total - size('index.js')).toLocaleString('en'),
      '',
    ],
  ];
}

export async function bench() {
  const workspace = await workspaceWithZip('cold-start');
  const baseline = baselineScript();
  const all = {
    '`node -e` printing one line (Node itself)': () =>
      run(process.execPath, ['-e', 'process.stdout.write("ready\\n")']),
    ...cases(workspace, path.join(repo, 'dist/index.js'), ''),
    ...(baseline ? cases(workspace, baseline, ', baseline bundle') : {}),
  };
  const runs = Object.fromEntries(Object.keys(all).map((label) => [label, []]));
  log(`cold start: ${RUNS} rounds of ${Object.keys(all).length} cases`);
  for (let round = 0; round < RUNS; round++) {
    for (const [label, measure] of Object.entries(all)) {
      const r = await measure();
      if (r.firstOutputSeconds === undefined) throw new Error(`${label}: no output`);
      runs[label].push(r);
    }
  }
  fs.rmSync(workspace, { recursive: true });

  const node = median(runs[Object.keys(all)[0]].map((r) => r.firstOutputSeconds));
  const rows = Object.entries(runs).map(([label, rs]) => {
    const first = median(rs.map((r) => r.firstOutputSeconds));
    return [
      label,
      ms(first),
      ms(Math.min(...rs.map((r) => r.firstOutputSeconds))),
      ms(median(rs.map((r) => r.seconds))),
      `${(first / node).toFixed(1)} ×`,
    ];
  });
  const worst = Math.max(
    ...Object.keys(cases(workspace, '', '')).map(
      (l) => median(runs[l].map((r) => r.firstOutputSeconds)) / node,
    ),
  );
  const met = worst <= GOAL;
  const bundles = [
    ...bundleRows(path.join(repo, 'dist'), ''),
    ...(baseline ? bundleRows(path.dirname(baseline), ', baseline') : []),
  ];
  const body = [
    `Median of ${RUNS} runs (and the fastest) from spawning the process to its first byte on stdout, and`,
    'to its exit, as the runner starts it (INPUT_* variables, output and summary files). The cases run',
    `interleaved, round by round, so they share the machine's load${baseline ? `; the baseline is \`${path.dirname(baseline)}\`` : ''}.`,
    '',
    table(['Run', 'First log line (median)', 'First log line (fastest)', 'Exit (median)', '÷ Node'], rows),
    '',
    table(['Bundle', 'Bytes', 'Gzipped'], bundles),
    '',
    `**Goal.** First log line within ${GOAL} × bare \`node\`: ${worst.toFixed(1)} × for the slower case — ${met ? '✅ met' : '❌ missed'}.`,
    "The first line is the run's plan (`lambda-layer-release: <steps> for layer <name>`), written once the",
    'inputs are valid and before the pipeline and the AWS SDK (chunks of their own) are parsed; a run',
    'refused in validation parses neither.',
  ].join('\n');
  return {
    body,
    goals: [[`Cold start: first log line ≤ ${GOAL} × bare \`node\``, `${worst.toFixed(1)} ×`, met]],
  };
}
