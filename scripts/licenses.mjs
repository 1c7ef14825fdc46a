/**
 * Writes dist/licenses.txt from ncc's webpack stats: every package whose code is in the bundle (index.js
 * or one of its chunks), with the license its package.json declares and its license file, in ncc's
 * format (name, license, text, blank line). ncc's own `--license` writes one file per chunk under the
 * same name, so with chunks it kept only the last chunk's packages.
 *
 *   node scripts/licenses.mjs <stats.json> <licenses.txt>
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const [statsFile, outFile] = process.argv.slice(2);
if (!statsFile || !outFile) throw new Error('usage: node scripts/licenses.mjs <stats.json> <licenses.txt>');
const repo = path.resolve(import.meta.dirname, '..');
const stats = fs.readFileSync(statsFile, 'utf8');

// Module paths appear in the stats as ./node_modules/<package>/… (nested: …/node_modules/<package>/…).
const dirs = new Set();
for (const [, modulePath] of stats.matchAll(/"(?:\.\/)?(node_modules\/[^"]+?)(?: \+ \d+ modules)?"/g)) {
  const parts = modulePath.split('/');
  const last = parts.lastIndexOf('node_modules');
  const name = parts[last + 1]?.startsWith('@')
    ? parts.slice(last + 1, last + 3)
    : parts.slice(last + 1, last + 2);
  dirs.add(path.join(repo, ...parts.slice(0, last + 1), ...name));
}

const entries = new Map();
for (const dir of dirs) {
  const manifest = path.join(dir, 'package.json');
  if (!fs.existsSync(manifest)) continue;
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  const license = typeof pkg.license === 'string' ? pkg.license : pkg.license?.type;
  if (!pkg.name || !license || entries.has(pkg.name)) continue;
  const file = fs.readdirSync(dir).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
  const text = file ? fs.readFileSync(path.join(dir, file), 'utf8').trim() : '';
  entries.set(pkg.name, [pkg.name, license, text].filter(Boolean).join('\n'));
}
const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, entry]) => entry);
fs.writeFileSync(outFile, `${sorted.join('\n\n')}\n`);
console.log(`${outFile}: ${sorted.length} packages`);
