/**
 * 4. Unchanged re-run: the full pipeline (build + smoke-test + publish + roll-out) twice on the same
 * commit, with a real Docker build of a small Python layer, against the double with a few consumers.
 */
import { Buffer } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  apiStats,
  importTs,
  log,
  REGION,
  repo,
  run,
  runAction,
  s,
  scratch,
  startDouble,
  table,
} from './lib.mjs';

const LAYER = 'rerun-layer';
const CONSUMERS = 5;
// The stand-in images (scripts/stand-in-images.sh), selected with the action's image-registry input.
const REGISTRY = process.env.LLR_STAND_IN_REGISTRY || 'llr-stand-in.invalid';
const IMAGES = [`${REGISTRY}/sam/build-python3.11:latest-x86_64`, `${REGISTRY}/lambda/python:3.11-x86_64`];

/** The Docker engine and the stand-in Lambda images, as the integration tests make them. */
async function ensureDocker() {
  if ((await run('docker', ['image', 'inspect', ...IMAGES])).code === 0) return;
  for (const script of ['docker-up.sh', 'stand-in-images.sh']) {
    log(`scripts/${script}`);
    const result = await run('bash', [path.join(repo, 'scripts', script)]);
    if (result.code !== 0) throw new Error(`${script} failed:\n${result.stdout}${result.stderr}`);
  }
}

async function workspace() {
  const { makeWheel } = await importTs('__tests__/support/wheels.ts');
  const dir = scratch('rerun');
  fs.writeFileSync(path.join(dir, 'requirements.txt'), 'greeting==1.0.0\ntabulate-lite==2.1.0\n');
  const wheels = path.join(dir, 'wheels');
  await makeWheel(wheels, {
    name: 'greeting',
    version: '1.0.0',
    files: { 'greeting/__init__.py': 'X = 1\n' },
  });
  await makeWheel(wheels, {
    name: 'tabulate-lite',
    version: '2.1.0',
    files: { 'tabulate_lite/__init__.py': 'def tabulate(rows):\n    return "\\n".join(map(str, rows))\n' },
  });
  return dir;
}

export async function bench() {
  await ensureDocker();
  const aws = await startDouble({ controlPlaneRps: 15, getFunctionRps: 100, updateLatencyMs: 1000 });
  const seed = async (name, content) =>
    (await aws.seedLayerVersion({ region: REGION, name, content: Buffer.from(content) })).LayerVersionArn;
  const [utils, v1] = [await seed('common-utils', 'utils'), await seed(LAYER, 'an older build')];
  for (let i = 0; i < CONSUMERS; i++) {
    aws.seedFunction({ region: REGION, name: `consumer-${i}`, runtime: 'python3.11', layers: [utils, v1] });
  }
  const dir = await workspace();
  const inputs = {
    steps: 'build,smoke-test,publish,roll-out',
    'layer-name': LAYER,
    runtime: 'python3.11',
    'install-args': '--no-index --find-links wheels',
    'image-registry': REGISTRY,
    regions: REGION,
    functions: 'auto',
  };
  const runs = [];
  for (const label of ['first run', 'second run, same commit']) {
    log(label);
    const before = aws.requests.length;
    const result = await runAction(dir, inputs, aws.env());
    if (result.code !== 0) throw new Error(`the action failed:\n${result.stdout.slice(-3000)}`);
    const stats = apiStats({ requests: aws.requests.slice(before) });
    runs.push({ label, ...result, ...stats });
  }
  await aws.close();
  fs.rmSync(dir, { recursive: true });

  const [first, second] = runs;
  const timeRatio = second.seconds / first.seconds;
  const steps = ['build', 'smoke-test', 'publish', 'roll-out'];
  return [
    `A Python layer of two wheels, built with Docker in the stand-in build image and smoke-tested in the`,
    `stand-in runtime image; ${CONSUMERS} consumers on the double (15 req/s, 1 s update latency). Each run`,
    'is a fresh `node dist/index.js` with its own `RUNNER_TEMP`, like a new job.',
    '',
    table(
      ['Run', 'Wall time', ...steps, 'API calls', 'Writes', 'Publishes', 'Updates'],
      runs.map((r) => [
        r.label,
        s(r.seconds),
        ...steps.map((step) => s(r.stepSeconds[step])),
        r.calls,
        r.writes,
        r.publishes,
        r.updates,
      ]),
    ),
    '',
    `Second run: ${(timeRatio * 100).toFixed(0)} % of the first run's time (goal ≤ 25 %: ${timeRatio <= 0.25 ? '✅' : '❌'}),`,
    `${second.writes} writes vs ${first.writes} (goal ≤ 25 %, zero publishes: ${second.writes <= first.writes / 4 && second.publishes === 0 ? '✅' : '❌'}).`,
  ].join('\n');
}
