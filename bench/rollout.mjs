/**
 * 1. Roll-out vs the seed article's "Update all functions" shell loop, on the AWS double with Lambda's
 *    15 req/s control-plane quota and a 1 s update latency. N consumers use version 1 of the layer
 *    between two other layers; a few look-alikes use `<layer>-v2`.
 */
import { Buffer } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  apiStats,
  ensureBenchTools,
  log,
  REGION,
  repo,
  runAction,
  s,
  scratch,
  startDouble,
  table,
  timed,
  workspaceWithZip,
} from './lib.mjs';

const LAYER = 'data-science-layer'; // the name the seed's loop has written into it
const LOOK_ALIKES = 5;
const SIZES = [50, 200, 500];
/** Longer than this, the fixed shell loop at N = 500 is extrapolated (BENCH_SHELL_500=1 runs it). */
const SHELL_BUDGET_SECONDS = 600;
const AWS_CLI = '/usr/bin/aws'; // Debian's awscli (v2.9), not whatever `aws` is first on PATH

const PRINTED = fs.readFileSync(path.join(repo, 'bench/seed-update-all-functions.sh'), 'utf8');

/** The two bugs of the printed loop, each fixed with the smallest change. */
const fixQuery = (script) =>
  replaceOnce(
    script,
    "Functions[?contains(Layers[].Arn, 'data-science-layer')]", // compares whole ARNs: matches nothing
    "Functions[?Layers[?contains(Arn, 'data-science-layer')]]",
  );
const fixPython = (script) =>
  // The snippet is indented inside `python3 -c "…"`: IndentationError, so UPDATED_LAYERS is empty.
  script.replace(/(python3 -c "\n)([\s\S]*?)(\n *"\))/, (_, open, body, close) => {
    return open + body.replace(/^ +/gm, '') + close;
  });

function replaceOnce(text, from, to) {
  if (!text.includes(from)) throw new Error(`not in the seed's loop: ${from}`);
  return text.replace(from, to);
}

const VARIANTS = {
  printed: { label: 'shell loop, as printed', script: PRINTED },
  queryFixed: { label: 'shell loop, query fixed only', script: fixQuery(PRINTED) },
  fixed: { label: 'shell loop, both bugs fixed', script: fixPython(fixQuery(PRINTED)) },
};

/** A double seeded with `n` consumers and the look-alikes; `check()` says who ended up where. */
async function seeded(n, doubleOptions = {}) {
  const aws = await startDouble({
    controlPlaneRps: 15,
    getFunctionRps: 100,
    updateLatencyMs: 1000,
    ...doubleOptions,
  });
  const seed = async (name, content = name) =>
    (await aws.seedLayerVersion({ region: REGION, name, content: Buffer.from(content) })).LayerVersionArn;
  const v1 = await seed(LAYER, 'version 1');
  const [utils, extension, lookAlike] = [
    await seed('common-utils'),
    await seed('monitoring-extension'),
    await seed(`${LAYER}-v2`),
  ];
  const v2 = v1.replace(/:1$/, ':2');
  const expected = new Map();
  for (let i = 0; i < n; i++) {
    const name = `consumer-${String(i).padStart(3, '0')}`;
    aws.seedFunction({ region: REGION, name, runtime: 'python3.11', layers: [utils, v1, extension] });
    expected.set(name, [utils, v2, extension]);
  }
  for (let i = 0; i < LOOK_ALIKES; i++) {
    const name = `look-alike-${i}`;
    aws.seedFunction({ region: REGION, name, runtime: 'python3.11', layers: [utils, lookAlike] });
    expected.set(name, [utils, lookAlike]);
  }
  const layersOf = (name) => (aws.state.fn(REGION, name).config.Layers ?? []).map((l) => l.Arn);
  const check = () => {
    const ok = (name) => JSON.stringify(layersOf(name)) === JSON.stringify(expected.get(name));
    const names = [...expected.keys()];
    return {
      consumersCorrect: names.filter((f) => f.startsWith('consumer-') && ok(f)).length,
      lookAlikesUntouched: names.filter((f) => f.startsWith('look-alike-') && ok(f)).length,
      wiped: names.filter((f) => layersOf(f).length === 0).length,
    };
  };
  return { aws, v2, check };
}

export async function shellLoop(variant, n, { errexit = true } = {}) {
  const { aws, v2, check } = await seeded(n);
  // The article's publish step made version 2 before this step runs; not timed.
  await aws.seedLayerVersion({ region: REGION, name: LAYER, content: Buffer.from('version 2') });
  const dir = scratch('shell');
  const script = path.join(dir, 'update-all-functions.sh');
  fs.writeFileSync(
    script,
    // AWS CLI v2.9 ignores AWS_ENDPOINT_URL_LAMBDA (the CLI reads it from v2.13 on), so each call gets
    // --endpoint-url; the loop itself is unchanged.
    `aws() { ${AWS_CLI} --endpoint-url "$AWS_ENDPOINT_URL_LAMBDA" "$@"; }\n` +
      VARIANTS[variant].script.replace('${{ steps.publish.outputs.layer_version_arn }}', v2),
  );
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_PAGER: '',
    AWS_CONFIG_FILE: path.join(dir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
    ...aws.env(),
  };
  log(`${VARIANTS[variant].label}${errexit ? '' : ' (bash without -e)'}, N = ${n}`);
  const result = await timed('bash', errexit ? ['-e', script] : [script], { env });
  const outcome = { ...apiStats(aws), ...check(), seconds: result.seconds, code: result.code };
  outcome.lastLine = result.stderr.trim().split('\n').at(-1) || result.stdout.trim().split('\n').at(-1);
  await aws.close();
  fs.rmSync(dir, { recursive: true });
  return outcome;
}

/** Our run; `doubleOptions.revisionIds: false` makes it read each function right before its update. */
export async function ours(n, doubleOptions = {}) {
  const { aws, check } = await seeded(n, doubleOptions);
  const workspace = await workspaceWithZip('rollout');
  const how = doubleOptions.revisionIds === false ? ', no RevisionId' : '';
  log(`node dist/index.js (build,publish,roll-out), N = ${n}${how}`);
  const result = await runAction(
    workspace,
    {
      steps: 'build,publish,roll-out',
      'layer-name': LAYER,
      runtime: 'python3.11',
      'zip-file': 'layer.zip',
      regions: REGION,
      functions: 'auto',
    },
    aws.env(),
  );
  if (result.code !== 0) throw new Error(`the action failed:\n${result.stdout.slice(-3000)}`);
  const outcome = { ...apiStats(aws), ...check(), seconds: result.seconds, code: result.code };
  outcome.rolloutSeconds = result.stepSeconds['roll-out'];
  await aws.close();
  fs.rmSync(workspace, { recursive: true });
  return outcome;
}

export async function bench() {
  await ensureBenchTools();
  const rows = [];
  const damage = [];
  const runs = {};
  for (const n of SIZES) {
    const printed = await shellLoop('printed', n);
    let fixed;
    const perFunction = runs[200]?.fixed && runs[200].fixed.seconds / (200 + LOOK_ALIKES);
    if (n === 500 && perFunction * (n + LOOK_ALIKES) > SHELL_BUDGET_SECONDS && !process.env.BENCH_SHELL_500) {
      fixed = extrapolate(runs[200].fixed, 200, n);
    } else {
      fixed = await shellLoop('fixed', n);
    }
    const our = await ours(n);
    runs[n] = { printed, fixed, our };
    rows.push(row('shell loop, as printed', n, printed), row('shell loop, fixed', n, fixed));
    rows.push(row('**lambda-layer-release**', n, our));
    if (n === SIZES[0]) {
      for (const errexit of [true, false]) {
        damage.push({ errexit, ...(await shellLoop('queryFixed', n, { errexit })) });
      }
    }
  }
  // Forward only (docs/steps.md, Overlapping releases): without a RevisionId to make each update
  // conditional, every function is read right before its update. The same 500, the same quotas.
  runs.reads = await ours(500, { revisionIds: false });
  rows.push(row('lambda-layer-release, a read before each update', 500, runs.reads));
  return render(rows, damage, runs);
}

/** The fixed loop at `n` from its run at `measured`: the same time and calls per function. */
function extrapolate(run, measured, n) {
  const scale = (n + LOOK_ALIKES) / (measured + LOOK_ALIKES);
  const pages = Math.ceil((n + LOOK_ALIKES) / 50);
  const controlPlane = pages + 2 * (n + LOOK_ALIKES);
  return {
    ...run,
    extrapolated: true,
    seconds: run.seconds * scale,
    calls: controlPlane,
    controlPlane,
    updates: n + LOOK_ALIKES,
    quotaBoundSeconds: controlPlane / 15,
    consumersCorrect: n,
    lookAlikesUntouched: 0,
  };
}

function row(label, n, r) {
  const wall = r.extrapolated ? `≈ ${s(r.seconds)} (extrapolated)` : s(r.seconds);
  const rollout = r.rolloutSeconds === undefined ? '' : ` (roll-out step ${s(r.rolloutSeconds)})`;
  return [
    label,
    n,
    wall + rollout,
    `${r.controlPlane} + ${r.getFunction ?? 0}`,
    r.extrapolated ? '—' : r.throttled,
    s(r.quotaBoundSeconds),
    (r.seconds / r.quotaBoundSeconds).toFixed(2),
    `${r.consumersCorrect}/${n}`,
    `${r.lookAlikesUntouched}/${LOOK_ALIKES}`,
  ];
}

function render(rows, damage, runs) {
  const big = runs[500];
  const speedup = big.fixed.seconds / big.our.seconds;
  const boundRatio = big.our.seconds / big.our.quotaBoundSeconds;
  const allCorrect = big.our.consumersCorrect === 500 && big.our.lookAlikesUntouched === LOOK_ALIKES;
  const goal = (ok) => (ok ? '✅ met' : '❌ missed');
  const shellPerFunction = runs[200].fixed.seconds / (200 + LOOK_ALIKES);
  const reads = runs.reads;
  const readCost = reads.rolloutSeconds / big.our.rolloutSeconds - 1;
  const readsOk = readCost <= 0.05 && reads.consumersCorrect === 500;
  const body = [
    'Lambda double: 15 req/s shared control-plane quota, GetFunction 100 req/s, every update',
    '`InProgress` for 1 s. Consumers have `[common-utils:1, data-science-layer:1, monitoring-extension:1]`',
    `and must end with version 2 in the middle; ${LOOK_ALIKES} look-alikes use \`data-science-layer-v2:1\``,
    'and must be left alone. The shell loop runs with `bash -e` (what a `run:` step uses) and Debian’s',
    '`awscli` 2.9, which ignores `AWS_ENDPOINT_URL_LAMBDA` (read from CLI 2.13 on): the harness defines',
    '`aws() { /usr/bin/aws --endpoint-url "$AWS_ENDPOINT_URL_LAMBDA" "$@"; }` before the unchanged loop.',
    'Version 2 is already published when the loop starts (the article publishes it in an earlier step);',
    'our run includes its own build (the `zip-file`) and publish, and the Node start.',
    '',
    table(
      [
        'Run',
        'N',
        'Wall time',
        'API calls (control plane + GetFunction)',
        'Throttled',
        'Quota bound',
        'Time ÷ bound',
        'Consumers correct',
        'Look-alikes untouched',
      ],
      rows,
    ),
    '',
    '**What the printed loop does.** Its query `contains(Layers[].Arn, …)` compares whole ARNs with the',
    `name, so it finds no function, prints “No functions currently using this layer” and exits 0: one`,
    '`ListFunctions` scan per 50 functions, nothing changed, the job green.',
    '',
    '**With only the query fixed** (N = 50): the indented `python3 -c` snippet raises',
    '`IndentationError`, so `UPDATED_LAYERS` is empty and the update is sent as `--layers` with no values,',
    'which Lambda takes as “no layers”.',
    '',
    table(
      ['Shell', 'Exit', 'Updates sent', 'Functions left with no layers', 'Consumers correct', 'Last line'],
      damage.map((d) => [
        d.errexit ? '`bash -e` (a `run:` step)' : '`bash` (a script without `-e`)',
        d.code,
        d.updates,
        d.wiped,
        `${d.consumersCorrect}/50`,
        `\`${(d.lastLine ?? '').slice(0, 80)}\``,
      ]),
    ),
    '',
    'Under `bash -e` the failed pipeline aborts the step at the first function; without `-e` every',
    'matched function (the look-alikes too) loses all its layers.',
    '',
    '**Fixed loop** (query: `Functions[?Layers[?contains(Arn, …)]]`, snippet dedented): each function costs',
    `two CLI processes and one Python, ${s(shellPerFunction)} per function at N = 200, and its substring match`,
    '(`data-science-layer` is in `data-science-layer-v2`) moves the look-alikes too.',
    big.fixed.extrapolated
      ? `At N = 500 it would take ≈ ${s(big.fixed.seconds)} (over ${SHELL_BUDGET_SECONDS / 60} minutes), so that row is **extrapolated** from N = 200 (the same time and calls per function); \`BENCH_SHELL_500=1\` runs it.`
      : 'At N = 500 it was run in full.',
    '',
    `**Goals at N = 500.** Our time ≤ 1.15 × quota bound: ${boundRatio.toFixed(2)} × (${s(big.our.seconds)} vs`,
    `${s(big.our.quotaBoundSeconds)}) — ${goal(boundRatio <= 1.15)}. ≥ 12× faster than the fixed loop:`,
    `${speedup.toFixed(1)}× — ${goal(speedup >= 12)}. Every consumer correct and every look-alike untouched:`,
    `${big.our.consumersCorrect}/500 and ${big.our.lookAlikesUntouched}/${LOOK_ALIKES} — ${goal(allCorrect)}.`,
    `Throttled requests: ${big.our.throttled}.`,
    '',
    '**Forward only** ([Overlapping releases](../docs/steps.md#overlapping-releases)). Each update is decided',
    'on the configuration it is made against: on AWS the listed one, whose `RevisionId` makes Lambda refuse',
    'a stale update (no extra call; one `ListLayerVersions` per region between waves, none here: one wave).',
    'Without a `RevisionId` (emulators) each function is read right before its update: the last row, the',
    `same 500 functions on a double that sends no RevisionId, made ${reads.getFunction - big.our.getFunction} more GetFunction calls`,
    `(under their own 100 req/s quota) and its roll-out step took ${s(reads.rolloutSeconds)} against ${s(big.our.rolloutSeconds)}:`,
    `${(readCost * 100).toFixed(1)} % — ${goal(readsOk)} (goal ≤ 5 %), ${reads.consumersCorrect}/500 correct.`,
  ].join('\n');
  return {
    body,
    goals: [
      ['Roll-out, 500 functions: ≤ 1.15 × the quota bound', `${boundRatio.toFixed(2)} ×`, boundRatio <= 1.15],
      [
        'Roll-out, 500 functions: ≥ 12 × faster than the fixed shell loop',
        `${speedup.toFixed(1)} ×`,
        speedup >= 12,
      ],
      [
        'Roll-out, 500 functions: every consumer correct, look-alikes untouched',
        `${big.our.consumersCorrect}/500`,
        allCorrect,
      ],
      [
        'Roll-out, 500 functions: a read before each update (no RevisionId) costs ≤ 5 %',
        `${readCost >= 0 ? '+' : ''}${(readCost * 100).toFixed(1)} %`,
        readsOk,
      ],
    ],
  };
}
