/**
 * 10. Checking a given zip (`zip-file`) of 20,000 small files (about 2.3 MB): the preflight's check of
 * its central directory (src/preflight/index.ts, before anything is written), the same listing through
 * yauzl's own file reader (what it cost before), and the build step's extraction with the tree hash
 * (extractZip, then summarizeTree with the hashes taken while extracting, or reading every file again).
 * The goal is listing and checking the zip at the speed of reading it: 20,000 entries in under a second.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openPromise } from 'yauzl';
import { importTs, log, scratch, table } from './lib.mjs';

const FOLDERS = 200;
const PER_FOLDER = 100;
const REPEAT = 3;

async function median(what, run) {
  const times = [];
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    await run(i);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const ms = times[REPEAT >> 1];
  log(`${what}: median ${ms.toFixed(0)} ms`);
  return ms;
}

async function listWith(open, file) {
  const zip = await open(file, { lazyEntries: true, autoClose: false });
  let entries = 0;
  for await (const entry of zip.eachEntry()) entries += entry ? 1 : 0;
  zip.close();
  return entries;
}

export async function bench() {
  const { writeDeterministicZip, extractZip, summarizeTree, openZip } = await importTs('src/layer/zip.ts');
  const { preflight } = await importTs('src/preflight/index.ts');
  const dir = scratch('zip-check');
  const tree = path.join(dir, 'tree');
  for (let d = 0; d < FOLDERS; d++) {
    const folder = path.join(tree, 'python', `pkg${d}`);
    fs.mkdirSync(folder, { recursive: true });
    for (let f = 0; f < PER_FOLDER; f++) {
      fs.writeFileSync(path.join(folder, `m${f}.py`), `X = ${d * PER_FOLDER + f}\n`.repeat(10));
    }
  }
  const zip = path.join(dir, 'layer.zip');
  const summary = await writeDeterministicZip(tree, zip);
  fs.rmSync(tree, { recursive: true });
  const entries = await listWith(openZip, zip);
  const inputs = {
    steps: ['build'],
    regions: [],
    layerName: 'bench',
    layerAccount: undefined,
    functions: { mode: 'none' },
    accounts: [],
    accountRole: undefined,
    maxParallelAccounts: 10,
    onFailure: 'stop',
    alarms: [],
    ssmParameter: undefined,
    s3Bucket: undefined,
    zipFile: zip,
    workspace: dir,
  };
  const rows = [
    ['preflight check (src/preflight/index.ts)', await median('preflight', () => preflight(inputs, {}))],
    ['listing through openZip (src/layer/zip.ts)', await median('openZip', () => listWith(openZip, zip))],
    ["listing through yauzl's own file reader", await median('yauzl.open', () => listWith(openPromise, zip))],
  ];
  const out = (i) => path.join(dir, `out-${i}`);
  const hashes = [];
  rows.push([
    'extractZip (hashing each file on the way)',
    await median('extract', async (i) => (hashes[i] = await extractZip(zip, out(i)))),
  ]);
  rows.push([
    'summarizeTree with those hashes',
    await median('summarize known', (i) => summarizeTree(out(i), hashes[i])),
  ]);
  rows.push([
    'summarizeTree reading every file again',
    await median('summarize read', (i) => summarizeTree(out(i))),
  ]);
  fs.rmSync(dir, { recursive: true, force: true });
  return (
    `A zip of ${entries.toLocaleString('en-US')} entries (${summary.fileCount.toLocaleString('en-US')} files, ` +
    `${(summary.zipSize / 1e6).toFixed(1)} MB), median of ${REPEAT}:\n\n` +
    table(
      ['What', 'Time'],
      rows.map(([what, ms]) => [what, `${ms.toFixed(0)} ms`]),
    )
  );
}
