/**
 * 9. Roll-out across accounts: 20 workload accounts × 500 consumers each, on the AWS double with
 *    Lambda's quotas per account and region (15 req/s control plane, GetFunction 100 req/s) and a 1 s
 *    update latency. The publishing account shares the new version with the organization; every
 *    account has look-alikes (a layer of the same name in its own account, and `<layer>-v2`).
 */
import { Buffer } from 'node:buffer';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  apiStats,
  baselineScript,
  childCpu,
  log,
  REGION,
  repo,
  runAction,
  s,
  startDouble,
  table,
  workspaceWithZip,
} from './lib.mjs';

const LAYER = 'org-deps';
// BENCH_ACCOUNTS / BENCH_CONSUMERS shrink the run (for profiling); BENCH_CPU_PROF=<dir> writes the
// action's V8 CPU profile there (`node --cpu-prof`), to open in Chrome DevTools or summarise.
const ACCOUNTS = Array.from({ length: Number(process.env.BENCH_ACCOUNTS ?? 20) }, (_, i) =>
  String(100000000001 + i),
);
const CONSUMERS = Number(process.env.BENCH_CONSUMERS ?? 500);
const LOOK_ALIKES = 5;
const ORG = 'o-a1b2c3d4e5';
const RPS = 15;

async function seeded() {
  const aws = await startDouble({
    controlPlaneRps: RPS,
    getFunctionRps: 100,
    updateLatencyMs: 1000,
    organizationId: ORG,
    regions: [REGION],
  });
  const shared = [{ principal: '*', organizationId: ORG }];
  const seed = async (name, options = {}) =>
    (await aws.seedLayerVersion({ region: REGION, name, content: Buffer.from(name), ...options }))
      .LayerVersionArn;
  const v1 = await seed(LAYER, { permissions: shared });
  const similar = await seed(`${LAYER}-v2`, { permissions: shared });
  const expected = new Map(); // `${account}/${fn}` → layers after
  const v2 = v1.replace(/:1$/, ':2');
  for (const account of ACCOUNTS) {
    const double = aws.account(account);
    double.createRole('layer-rollout');
    const own = await seed(LAYER, { accountId: account });
    for (let i = 0; i < CONSUMERS; i++) {
      const name = `consumer-${String(i).padStart(3, '0')}`;
      double.seedFunction({ region: REGION, name, runtime: 'python3.11', layers: [v1] });
      expected.set(`${account}/${name}`, [v2]);
    }
    for (let i = 0; i < LOOK_ALIKES; i++) {
      const name = `look-alike-${i}`;
      const layers = [i % 2 === 0 ? own : similar];
      double.seedFunction({ region: REGION, name, runtime: 'python3.11', layers });
      expected.set(`${account}/${name}`, layers);
    }
  }
  const check = () => {
    let consumersCorrect = 0;
    let lookAlikesUntouched = 0;
    for (const [key, layers] of expected) {
      const [account, name] = key.split('/');
      const now = (aws.account(account).state.fn(REGION, name).config.Layers ?? []).map((l) => l.Arn);
      if (JSON.stringify(now) !== JSON.stringify(layers)) continue;
      if (name.startsWith('consumer-')) consumersCorrect++;
      else lookAlikesUntouched++;
    }
    return { consumersCorrect, lookAlikesUntouched };
  };
  return { aws, check };
}

/** Lambda requests per account, and the busiest account's control-plane calls ÷ the quota. */
function perAccount(aws) {
  const byAccount = new Map();
  for (const r of aws.requests) {
    if (r.service !== 'lambda') continue;
    const entry = byAccount.get(r.account) ?? { controlPlane: 0, getFunction: 0, throttled: 0 };
    if (r.operation === 'GetFunction') entry.getFunction++;
    else entry.controlPlane++;
    if (r.throttled) entry.throttled++;
    byAccount.set(r.account, entry);
  }
  const workload = ACCOUNTS.map((a) => byAccount.get(a) ?? { controlPlane: 0, getFunction: 0, throttled: 0 });
  const busiest = Math.max(...workload.map((w) => w.controlPlane));
  return { byAccount, workload, busiestBoundSeconds: busiest / RPS };
}

/** One run of a bundle against a freshly seeded double: its figures. */
async function measure(script) {
  const { aws, check } = await seeded();
  const workspace = await workspaceWithZip('accounts');
  log(`node ${path.relative(repo, script) || script}: ${ACCOUNTS.length} accounts × ${CONSUMERS} consumers`);
  const cpuBefore = childCpu();
  const doubleBefore = process.cpuUsage();
  const result = await runAction(
    workspace,
    {
      steps: 'build,publish,roll-out',
      'layer-name': LAYER,
      runtime: 'python3.11',
      'zip-file': 'layer.zip',
      regions: REGION,
      'share-with': ORG,
      accounts: ACCOUNTS.join(' '),
      'account-role': 'arn:aws:iam::{account}:role/layer-rollout',
      'max-parallel-accounts': String(ACCOUNTS.length),
    },
    {
      ...aws.env(),
      GITHUB_REPOSITORY: 'octo-org/layers',
      GITHUB_RUN_ID: '1',
      ...(process.env.BENCH_CPU_PROF
        ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROF}` }
        : {}),
    },
    script,
  );
  // A failed run is a result too (reported in the table with its error), not the end of the benchmark.
  const error =
    result.code === 0 ? undefined : (result.stdout.match(/^::error::(.*)$/m)?.[1] ?? `exit ${result.code}`);
  if (error) log(`the run failed: ${error.replaceAll('%0A', ' ').slice(0, 300)}`);
  const actionCpu = childCpu() - cpuBefore;
  const double = process.cpuUsage(doubleBefore);
  const stats = apiStats(aws);
  const accounts = perAccount(aws);
  const outcome = check();
  const assumed = aws.requests.filter((r) => r.operation === 'AssumeRole').length;
  await aws.close();
  fs.rmSync(workspace, { recursive: true });
  return {
    result,
    error,
    actionCpu,
    doubleCpu: (double.user + double.system) / 1e6,
    stats,
    accounts,
    outcome,
    assumed,
    load: os.loadavg()[0],
  };
}

export async function bench() {
  const baseline = baselineScript();
  const runs = [];
  // The baseline first, then ours, back to back: the same seed, the same machine minutes.
  if (baseline) runs.push(['baseline bundle', await measure(baseline)]);
  runs.push(['this bundle (`dist/`)', await measure(path.join(repo, 'dist/index.js'))]);

  // What one account with 500 consumers cannot go below: its ListFunctions pages and one update each.
  const pages = Math.ceil((CONSUMERS + LOOK_ALIKES) / 50);
  const singleBound = (pages + CONSUMERS) / RPS;
  const total = ACCOUNTS.length * CONSUMERS;
  const goal = (ok) => (ok ? '✅ met' : '❌ missed');
  const cpuPerRequest = (r) => (r.actionCpu / r.stats.calls) * 1000;
  const column = (f) => runs.map(([, r]) => f(r));
  const rows = [
    ['Exit', ...column((r) => (r.error ? `failed: ${r.error.replaceAll('%0A', ' ').slice(0, 160)}` : '0'))],
    ['Wall time (whole run, Node start included)', ...column((r) => s(r.result.seconds))],
    ['Roll-out step', ...column((r) => s(r.result.stepSeconds['roll-out']))],
    ['CPU time of the action process (user + sys)', ...column((r) => s(r.actionCpu))],
    ['CPU per Lambda request (action process)', ...column((r) => `${cpuPerRequest(r).toFixed(2)} ms`)],
    ['CPU time of the AWS double (this process)', ...column((r) => s(r.doubleCpu))],
    ['Action CPU ÷ single-account bound', ...column((r) => (r.actionCpu / singleBound).toFixed(2))],
    ['Time ÷ single-account bound', ...column((r) => (r.result.seconds / singleBound).toFixed(2))],
    [
      'Lambda calls (control plane + GetFunction), all accounts',
      ...column((r) => `${r.stats.controlPlane} + ${r.stats.getFunction}`),
    ],
    [
      'Control-plane calls per workload account (min – max)',
      ...column((r) => {
        const spread = r.accounts.workload.map((w) => w.controlPlane);
        return `${Math.min(...spread)} – ${Math.max(...spread)}`;
      }),
    ],
    [
      'Busiest workload account: control-plane calls ÷ quota',
      ...column((r) => s(r.accounts.busiestBoundSeconds)),
    ],
    ['AssumeRole calls', ...column((r) => r.assumed)],
    ['Throttled requests (429)', ...column((r) => r.stats.throttled)],
    ['Consumers correct', ...column((r) => `${r.outcome.consumersCorrect}/${total}`)],
    [
      'Look-alikes untouched',
      ...column((r) => `${r.outcome.lookAlikesUntouched}/${ACCOUNTS.length * LOOK_ALIKES}`),
    ],
    ['Load average (1 min) at the end of the run', ...column((r) => r.load.toFixed(2))],
  ];
  const ours = runs.at(-1)[1];
  const ratio = ours.result.seconds / singleBound;
  const correct =
    !ours.error &&
    ours.outcome.consumersCorrect === total &&
    ours.outcome.lookAlikesUntouched === ACCOUNTS.length * LOOK_ALIKES;
  const body = [
    `${ACCOUNTS.length} workload accounts, each with ${CONSUMERS} consumers (\`[${LAYER}:1]\` of the publishing`,
    `account, shared with the organization) and ${LOOK_ALIKES} look-alikes (\`${LAYER}\` of their own account,`,
    `\`${LAYER}-v2\`). The double enforces ${RPS} req/s control plane and 100 req/s GetFunction **per account and`,
    'region**, and every update stays `InProgress` for 1 s. One run of `node dist/index.js`',
    `(build from \`zip-file\`, publish, roll-out) with \`accounts\` (${ACCOUNTS.length} ids), \`account-role\` and`,
    `\`max-parallel-accounts: ${ACCOUNTS.length}\`, defaults otherwise (\`max-parallel: 25\`)` +
      (baseline
        ? `; right before it, the same run of the baseline bundle (\`BENCH_BASELINE\`) on a freshly seeded double.`
        : '.'),
    `The single-account quota bound is ${s(singleBound)} (${pages} pages + ${CONSUMERS} updates ÷ ${RPS} req/s).`,
    '',
    table(['Measure', ...runs.map(([label]) => label)], rows),
    '',
    `**Goals.** Time ≤ 1.2 × the single-account quota bound for ${CONSUMERS} functions: ${ratio.toFixed(2)} ×`,
    `(${s(ours.result.seconds)} vs ${s(singleBound)}) — ${goal(ratio <= 1.2)}. No throttles: ${ours.stats.throttled} —`,
    `${goal(ours.stats.throttled === 0)}. Every consumer correct and every look-alike untouched — ${goal(correct)}.`,
    '',
    'The accounts do not wait for each other: every workload account has its own quota. What bounds the',
    'run is CPU: the action’s one Node process signs, sends and parses every request of every account',
    '(“CPU per Lambda request”), and on this machine the AWS double answering them shares the same two',
    'cores. When the action’s CPU time exceeds the quota bound, the run takes at least that CPU time, and',
    'longer on a loaded machine (see the load average). Where the CPU goes, and what was cut: docs/performance.md.',
  ].join('\n');
  return {
    body,
    goals: [
      [
        `${ACCOUNTS.length} accounts × ${CONSUMERS} functions ≤ 1.2 × one account's quota bound`,
        `${ratio.toFixed(2)} ×`,
        ratio <= 1.2,
      ],
      [`${ACCOUNTS.length} accounts: 0 throttles`, String(ours.stats.throttled), ours.stats.throttled === 0],
      [
        `${ACCOUNTS.length} accounts: every consumer correct, look-alikes untouched`,
        `${ours.outcome.consumersCorrect}/${total}`,
        correct,
      ],
    ],
  };
}
