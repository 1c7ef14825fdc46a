/**
 * 7. Zip bombs: how fast extractZip (src/layer/zip.ts) refuses a zip whose central directory declares
 * more than Lambda's 262,144,000 bytes, and how soon it stops an entry that inflates past the size it
 * declares; and how many bytes reach the disk in each case. For scale: the time `unzip` takes to write
 * the same 300 MiB (what the action would have done without the checks).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureBenchTools, importTs, log, mb, scratch, table, timed } from './lib.mjs';

const REPEAT = 5;

/** Bytes of every file under `dir`. */
function written(dir) {
  if (!fs.existsSync(dir)) return 0;
  return fs
    .readdirSync(dir, { recursive: true })
    .map((name) => fs.statSync(path.join(dir, name)))
    .filter((stats) => stats.isFile())
    .reduce((sum, stats) => sum + stats.size, 0);
}

export async function bench() {
  const { extractZip } = await importTs('src/layer/zip.ts');
  const { craftZip, deflatedZeros } = await importTs('__tests__/support/zip-bomb.ts');
  const dir = scratch('zip-bomb');
  const bomb = deflatedZeros(300);
  const zips = {
    'declares 300 MiB (honest bomb)': craftZip([
      { name: 'python/zeros.bin', ...bomb, declaredSize: 300 << 20 },
    ]),
    'declares 1,000 bytes, inflates to 300 MiB': craftZip([
      { name: 'python/zeros.bin', ...bomb, declaredSize: 1000 },
    ]),
  };
  const rows = [];
  for (const [what, bytes] of Object.entries(zips)) {
    const zip = path.join(dir, 'bomb.zip');
    fs.writeFileSync(zip, bytes);
    const times = [];
    let onDisk = 0;
    let error = '';
    for (let i = 0; i < REPEAT; i++) {
      const out = path.join(dir, `out-${i}`);
      const started = performance.now();
      try {
        await extractZip(zip, out);
      } catch (e) {
        error = e.message.replace(/^Refusing to extract \S+: /, '').split(';')[0];
      }
      times.push(performance.now() - started);
      onDisk = Math.max(onDisk, written(out));
      fs.rmSync(out, { recursive: true, force: true });
    }
    times.sort((a, b) => a - b);
    log(`${what}: median ${times[REPEAT >> 1].toFixed(1)} ms`);
    rows.push([what, mb(bytes.length), `${times[REPEAT >> 1].toFixed(1)} ms`, `${onDisk} bytes`, error]);
  }
  await ensureBenchTools();
  const zip = path.join(dir, 'bomb.zip');
  fs.writeFileSync(zip, zips['declares 300 MiB (honest bomb)']);
  const unzip = await timed('unzip', ['-q', '-o', zip, '-d', path.join(dir, 'unzip')]);
  rows.push([
    'same honest bomb, `unzip` (no checks)',
    mb(fs.statSync(zip).size),
    `${(unzip.seconds * 1000).toFixed(0)} ms`,
    `${written(path.join(dir, 'unzip'))} bytes`,
    'extracted',
  ]);
  fs.rmSync(dir, { recursive: true, force: true });
  return table(['Zip', 'Zip size', 'extractZip (median of 5)', 'Written to disk', 'Result'], rows);
}
