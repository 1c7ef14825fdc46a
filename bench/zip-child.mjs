/**
 * `node bench/zip-child.mjs <root> <out.zip> <level>`: one writeDeterministicZip in a fresh process;
 * prints its wall and CPU seconds (the threadpool included) and the summary as JSON.
 */
import { performance } from 'node:perf_hooks';
import { importTs } from './lib.mjs';

const [root, out, level] = process.argv.slice(2);
const { writeDeterministicZip } = await importTs('src/layer/zip.ts');
const cpu = process.cpuUsage();
const started = performance.now();
const summary = await writeDeterministicZip(root, out, { compressionLevel: Number(level) });
const seconds = (performance.now() - started) / 1000;
const { user, system } = process.cpuUsage(cpu);
console.log(JSON.stringify({ seconds, cpuSeconds: (user + system) / 1e6, ...summary }));
