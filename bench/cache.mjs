/**
 * 11. The download cache at a runner's bandwidth: for the data-science layer (numpy + pandas + pyarrow)
 * and a Node.js layer with a package-lock.json, one pin changed after a first build, built
 * cold (no cache yet) and warm (the first build's cache), side by side, with the package index and the
 * cache service behind one network link of a hosted runner's rate, then with no limit. Each run is a
 * fresh `node dist/index.js` with an empty RUNNER_TEMP (a new job), then its post step (the save).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ensureImages,
  importTs,
  log,
  networkLink,
  npmMirror,
  pypiIndex,
  repo,
  runAction,
  runPost,
  s,
  scratch,
  startDouble,
  table,
} from './lib.mjs';
import { npmFloor } from './npm-floor.mjs';
import { PINS, requirements } from './rerun.mjs';

/**
 * A hosted runner's typical download rate: 50 MB/s, the average GitHub-hosted runners reach from the
 * Actions cache (https://github.com/actions/cache/issues/928); PyPI's and npm's CDNs serve them at
 * tens of MB/s alike. BENCH_LINK_MBPS sets another rate (MB/s).
 */
const DEFAULT_MBPS = 50;
const LINK_MBPS = Number(process.env.BENCH_LINK_MBPS ?? DEFAULT_MBPS);
const REGISTRY = process.env.LLR_STAND_IN_REGISTRY || 'llr-stand-in.invalid';
const NODE_RUNTIME = 'nodejs20.x';

const LAYERS = [
  {
    name: 'data-science',
    label: 'data-science (numpy, pandas, pyarrow)',
    image: `${REGISTRY}/sam/build-python3.11:latest-x86_64`,
    // This machine's index has cp311 wheels only, and pyarrow 25's need glibc 2.28, newer than
    // python3.11's Amazon Linux 2: the layer is declared python3.13 (Amazon Linux 2023) and built by
    // the python3.11 stand-in's pip. The same work as a real build; only the build step runs.
    inputs: (server) => ({
      runtime: 'python3.13',
      'build-image': `${REGISTRY}/sam/build-python3.11:latest-x86_64`,
      'install-args': `--index-url ${server.url} --trusted-host ${server.host}`,
    }),
    server: pypiIndex,
    change: 'numpy 2.2.6 → 2.3.5',
    files: {
      before: { 'requirements.txt': requirements(PINS) },
      after: { 'requirements.txt': requirements({ ...PINS, numpy: '2.3.5' }) },
    },
  },
  {
    name: 'node-api',
    label: 'Node.js (AWS SDK, zod, date-fns, lodash; package-lock.json)',
    image: `${REGISTRY}/sam/build-${NODE_RUNTIME}:latest-x86_64`,
    inputs: (server) => ({ runtime: NODE_RUNTIME, 'install-args': `--registry=${server.url}/` }),
    server: npmMirror,
    change: 'date-fns 3.6.0 → 4.1.0',
    files: { before: fixture('before'), after: fixture('after') },
    floor: true,
  },
];

function fixture(which) {
  const dir = path.join(repo, 'bench/fixtures/node-layer', which);
  return Object.fromEntries(
    ['package.json', 'package-lock.json'].map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}

/** A `docker` first on PATH that logs when each `docker run` started and ended (epoch seconds). */
function containerClock(dir) {
  const real = (process.env.PATH ?? '')
    .split(':')
    .map((p) => path.join(p, 'docker'))
    .find((p) => fs.existsSync(p));
  const bin = path.join(dir, '.shim');
  fs.mkdirSync(bin, { recursive: true });
  const logFile = path.join(bin, 'runs.log');
  fs.writeFileSync(
    path.join(bin, 'docker'),
    `#!/bin/sh\nif [ "$1" != run ]; then exec '${real}' "$@"; fi\n` +
      `start=$(date +%s.%N)\n'${real}' "$@"\ncode=$?\n` +
      `echo "$start $(date +%s.%N)" >> '${logFile}'\nexit $code\n`,
    { mode: 0o755 },
  );
  return {
    PATH: `${bin}:${process.env.PATH}`,
    seconds: () =>
      (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [])
        .filter(Boolean)
        .map((line) => line.split(' ').map(Number))
        .reduce((sum, [start, end]) => sum + (end - start), 0),
    clear: () => fs.rmSync(logFile, { force: true }),
  };
}

const restoreOf = (stdout) => {
  const restored = /cache: restored .*?\(([\d.]+) MB\) from .* in ([\d.]+) s\./.exec(stdout);
  if (restored) return { what: `restored ${restored[1]} MB`, seconds: Number(restored[2]) };
  const skipped = /cache: not restored: (.*)\./.exec(stdout);
  if (skipped) return { what: `skipped: ${skipped[1]}` };
  return { what: /cache: no \S+ cache yet/.test(stdout) ? 'none yet' : '—' };
};

/** What the build took from the last layer instead of installing and compressing it again. */
const reusedOf = (stdout) => {
  const parts = [];
  const pins = /cache: (\d+) of (\d+) pinned packages come back/.exec(stdout);
  if (pins) parts.push(`${pins[1]} of ${pins[2]} packages`);
  const npm = /cache: (\d+) of (\d+) npm packages come back/.exec(stdout);
  if (npm) parts.push(`${npm[1]} of ${npm[2]} packages`);
  const zip = /Zip: (\d+) unchanged files \(([\d.]+) MB\)/.exec(stdout);
  if (zip) parts.push(`zip: ${zip[1]} files, ${zip[2]} MB`);
  if (/cache: the last build's packages cannot be reused/.test(stdout)) parts.push('refused: installed all');
  return parts.length > 0 ? parts.join('; ') : '—';
};

const saveOf = (mainOut, postOut) => {
  const saved = /cache: saved .* as .* in ([\d.]+) s\./.exec(postOut);
  if (saved) return `saved in ${saved[1]} s`;
  const not = /cache: not saved: (.*)\./.exec(mainOut);
  return not ? `not saved: ${not[1]}` : '—';
};

/**
 * This machine's disk creates files up to 30 × slower for a while after a large delete (ext4 with
 * `discard`; each run's post step deletes its tree), so one run is noise: each layer and link is
 * measured RUNS times (a first build, cold and warm, each on fresh cache services), and the goal is
 * checked on the medians.
 */
const RUNS = Number(process.env.BENCH_CACHE_RUNS ?? 3);

async function measureLayer(layer, mbps, aws, startCacheService) {
  const link = networkLink(mbps);
  const server = await layer.server(link);
  const rows = [];
  const colds = [];
  const warms = [];
  for (let run = 1; run <= RUNS; run++) {
    const [cold, warm] = await measureOnce(layer, link, server, aws, startCacheService, rows, run);
    colds.push(cold.build);
    warms.push(warm.build);
  }
  await server.close();
  const ratio = median(warms) / median(colds);
  return {
    layer,
    mbps,
    rows,
    ratio,
    cold: median(colds),
    warm: median(warms),
    ratios: warms.map((w, i) => w / colds[i]),
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measureOnce(layer, link, server, aws, startCacheService, rows, run) {
  const warmService = await startCacheService(link);
  const coldService = await startCacheService(link);
  const dir = scratch(`cache-${layer.name}`);
  const clock = containerClock(dir);
  const runnerTemp = path.join(dir, '.runner');
  const measure = async (label, files, service) => {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    fs.rmSync(runnerTemp, { recursive: true, force: true });
    fs.mkdirSync(runnerTemp);
    clock.clear();
    const sentBefore = server.sent();
    log(`${layer.name} at ${link.mbps ? `${link.mbps} MB/s` : 'no limit'}: ${label}`);
    const env = { ...aws.env(), PATH: clock.PATH, RUNNER_TEMP: runnerTemp, ...service.env() };
    const inputs = {
      steps: 'build',
      'layer-name': layer.name,
      'image-registry': REGISTRY,
      cache: 'true',
      'force-build': 'true',
      ...layer.inputs(server),
    };
    const result = await runAction(dir, inputs, env);
    if (result.code !== 0) throw new Error(`${label}: the action failed:\n${result.stdout.slice(-3000)}`);
    const downloaded = server.sent() - sentBefore;
    const post = await runPost(result.state, { ...env, RUNNER_TEMP: runnerTemp, GITHUB_WORKSPACE: dir });
    const row = {
      label,
      build: result.stepSeconds.build,
      containers: clock.seconds(),
      restore: restoreOf(result.stdout),
      reused: reusedOf(result.stdout),
      downloaded,
      save: saveOf(result.stdout, post.stdout),
      postSeconds: post.seconds,
    };
    rows.push(row);
    log(
      JSON.stringify({
        ...row,
        postSeconds: undefined,
        ...(process.env.BENCH_CACHE_LOGS ? { main: result.stdout, post: post.stdout } : {}),
      }),
    );
    return row;
  };
  const of = RUNS > 1 ? ` (${run}/${RUNS})` : '';
  await measure(`first build (before the change)${of}`, layer.files.before, warmService);
  const cold = await measure(`${layer.change}, cold (no cache yet)${of}`, layer.files.after, coldService);
  const warm = await measure(
    `${layer.change}, warm (the first build's cache)${of}`,
    layer.files.after,
    warmService,
  );
  await Promise.all([warmService.close(), coldService.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
  return [cold, warm];
}

/** What npm alone takes to install only what changed, against the whole lock (bench/npm-floor.mjs). */
async function floorOf(layer) {
  const server = await layer.server(networkLink(LINK_MBPS));
  try {
    log(`${layer.name}: npm's floor (${RUNS} rounds)`);
    const lock = (files) => JSON.parse(files['package-lock.json']);
    const floor = await npmFloor({
      image: layer.image,
      registry: `${server.url}/`,
      before: lock(layer.files.before),
      after: lock(layer.files.after),
      files: layer.files.after,
      rounds: RUNS,
    });
    log(JSON.stringify(floor));
    return { layer, ...floor };
  } finally {
    await server.close();
  }
}

const RATE_NOTE = (mbps) => (mbps ? `the package mirror at ${mbps} MB/s` : 'the package mirror, no limit');

export async function bench() {
  // BENCH_CACHE_LAYERS=data-science,node-api picks layers (default: both).
  const only = process.env.BENCH_CACHE_LAYERS?.split(',');
  await ensureImages(LAYERS.filter((l) => !only || only.includes(l.name)).map((l) => l.image));
  const { startActionsCacheDouble } = await importTs('__tests__/support/actions-cache-double.ts');
  const startCacheService = (link) => startActionsCacheDouble({ send: link.send });
  const aws = await startDouble({});
  const results = [];
  const floors = [];
  for (const layer of LAYERS.filter((l) => !only || only.includes(l.name))) {
    for (const mbps of process.env.BENCH_CACHE_ONLY_DEFAULT ? [LINK_MBPS] : [LINK_MBPS, 0])
      results.push(await measureLayer(layer, mbps, aws, startCacheService));
    if (layer.floor) floors.push(await floorOf(layer));
  }
  await aws.close();

  const rate = (mbps) => (mbps ? `${mbps} MB/s` : 'no limit');
  const goalOf = (r) => (r.mbps ? 0.6 : 1);
  const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
  const body = [
    'Each layer is built once, then with one pin changed: cold (an empty cache) and warm (the first',
    'build’s cache), in that order, each a fresh `node dist/index.js` (steps: build; a new, empty',
    '`RUNNER_TEMP`) followed by its post step, which saves the cache. The data-science layer’s pins keep',
    'its last layer ([the layer cache](../docs/steps.md#the-layer-cache)): the warm build puts the',
    'unchanged packages back while pip installs the changed pin, and keeps the compressed bytes of every',
    'unchanged file. The Node.js layer’s lock keeps its last layer too: the warm build puts the 98',
    'unchanged packages back while its container downloads and unpacks date-fns alone, without npm (npm',
    'installing only what changed would take most of its time anyway: the last table). The package index (this machine’s pip index,',
    '`/opt/pypi`; for npm, a local mirror of registry.npmjs.org’s tarballs) and the Actions cache double’s',
    `downloads share one link of ${rate(LINK_MBPS)} (a hosted runner’s typical rate: the 50 MB/s average of`,
    '[actions/cache#928](https://github.com/actions/cache/issues/928); `BENCH_LINK_MBPS` sets another), then',
    'no limit. “Containers” is the wall time of the build containers; “Restore” is the cache’s download',
    'and extraction; “Reused” is what the build took from the last layer; the save runs in the post step,',
    'after the release, and is not part of the build step (which the job summary gives in whole seconds',
    `from 10 s on). Each layer and link is measured ${RUNS} times, each on fresh cache services, and the goal`,
    'is checked on the medians: this machine’s disk creates files up to 30 × slower for a while after a',
    'large delete (ext4 with `discard`), so one run alone is noise.',
    '',
    table(
      [
        'Layer',
        'Link',
        'Run',
        'Build step',
        'Containers',
        'Restore',
        'Reused',
        'From the index',
        'Post step (save)',
      ],
      results.flatMap((r) =>
        r.rows.map((row) => [
          r.layer.name,
          rate(r.mbps),
          row.label,
          s(row.build),
          s(row.containers),
          row.restore.seconds === undefined
            ? row.restore.what
            : `${s(row.restore.seconds)}, ${row.restore.what}`,
          row.reused,
          mb(row.downloaded),
          `${s(row.postSeconds)}, ${row.save}`,
        ]),
      ),
    ),
    '',
    ...results.map(
      (r) =>
        `- ${r.layer.label}, ${rate(r.mbps)}: median warm build step ${s(r.warm)} vs median cold ${s(r.cold)}, ` +
        `${(r.ratio * 100).toFixed(0)} % (goal ≤ ${goalOf(r) * 100} %: ${r.ratio <= goalOf(r) ? '✅' : '❌'}); ` +
        `each run: ${r.ratios.map((x) => `${(x * 100).toFixed(0)} %`).join(', ')}.`,
    ),
    ...floors.flatMap((f) => [
      '',
      `Where the ${f.layer.name} layer’s warm build cannot go below, measured inside one build container`,
      `(${RATE_NOTE(LINK_MBPS)}, an empty npm cache each time, medians of ${f.runs.length}; [bench/npm-floor.mjs](npm-floor.mjs)):`,
      '',
      table(
        ['Work', 'Files written', 'Median', 'Each round'],
        [
          ['`npm ci` of the whole lock (what a cold build runs)', f.wholeFiles, f.whole, 'whole'],
          [`\`npm ci\` of only what changed (${f.changed.join(', ')})`, f.onlyFiles, f.only, 'only'],
          ['GNU tar writing the unchanged packages again (a put-back)', f.putBackFiles, f.putBack, 'putBack'],
        ].map(([work, files, median, key]) => [
          work,
          files.toLocaleString('en'),
          s(median),
          f.runs.map((r) => s(r[key])).join(', '),
        ]),
      ),
      '',
      `npm installing only what changed takes ${((f.only / f.whole) * 100).toFixed(0)} % of installing the whole lock (rounds:`,
      `${f.runs.map((r) => `${((r.only / r.whole) * 100).toFixed(0)} %`).join(', ')}): the change touches ${((f.onlyFiles / f.wholeFiles) * 100).toFixed(0)} % of the layer’s files, and npm’s time goes`,
      `per file (GNU tar writes the other ${f.putBackFiles.toLocaleString('en')} in ${s(f.putBack)}). A warm build that lets npm install what`,
      'changed still starts its container, restores the last layer and zips, so it cannot come under that',
      'share of the cold build.',
    ]),
  ].join('\n');
  return {
    body,
    goals: results.map((r) => [
      `Cache, ${r.layer.name}, ${rate(r.mbps)}: warm build ≤ ${goalOf(r) * 100} % of cold`,
      `${(r.ratio * 100).toFixed(0)} %`,
      r.ratio <= goalOf(r),
    ]),
  };
}
