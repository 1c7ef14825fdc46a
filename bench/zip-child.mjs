/**
 * `node bench/zip-child.mjs <root> <out.zip> <level> [<previous.zip>]`: one writeDeterministicZip in a
 * fresh process, reusing `<previous.zip>` (with its index `<previous.zip>.json`) when given; writes the
 * zip's index to `<out.zip>.json` and prints its wall and CPU seconds (the threadpool included) and the
 * summary (without the index) as JSON.
 *
 * `node bench/zip-child.mjs --extract <zip> <dest> <skip-prefix>`: one extractIndexed of the entries of
 * `<zip>.json` that are not under `<skip-prefix>`, timed the same way.
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { importTs } from './lib.mjs';

const { writeDeterministicZip, extractIndexed } = await importTs('src/layer/zip.ts');
const index = (zip) => JSON.parse(fs.readFileSync(`${zip}.json`, 'utf8'));

async function measure(work) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  return { seconds, cpuSeconds: (user + system) / 1e6, ...result };
}

if (process.argv[2] === '--extract') {
  const [zip, dest, skip] = process.argv.slice(3);
  const entries = index(zip).entries.filter((entry) => !entry.path.startsWith(`${skip}/`));
  console.log(JSON.stringify(await measure(() => extractIndexed(zip, entries, dest))));
} else {
  const [root, out, level, previous] = process.argv.slice(2);
  const reuse = previous ? { zipFile: previous, index: index(previous) } : undefined;
  const written = await measure(() =>
    writeDeterministicZip(root, out, { compressionLevel: Number(level), ...(reuse ? { reuse } : {}) }),
  );
  const { index: writtenIndex, ...summary } = written;
  fs.writeFileSync(`${out}.json`, JSON.stringify(writtenIndex));
  console.log(JSON.stringify(summary));
}
