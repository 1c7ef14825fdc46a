/**
 * The floor of a warm Node.js build that lets npm install what changed: in the build image, on the
 * same link, `npm ci` of the whole lock against `npm ci` of a project that holds only the lock entries
 * the change touched (and what they need), each with an empty npm cache; and GNU tar writing the
 * files of the packages that did not change, which a warm build would have to put back. Timed inside
 * one container, so the container's start is not in it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { run, scratch } from './lib.mjs';

/** The non-dev entries of `after` that `before` does not hold at the same path, version and integrity. */
export function changedEntries(before, after) {
  const old = before.packages ?? {};
  return Object.entries(after.packages ?? {}).filter(
    ([key, entry]) =>
      key !== '' &&
      !entry.dev &&
      (old[key]?.version !== entry.version || old[key]?.integrity !== entry.integrity),
  );
}

/** A project whose lock holds only `entries` (top-level ones, needing nothing else), as root dependencies. */
function projectOf(entries) {
  const dependencies = {};
  for (const [key, entry] of entries) {
    const name = key.slice('node_modules/'.length);
    if (name.includes('/node_modules/') || Object.keys(entry.dependencies ?? {}).length > 0) {
      throw new Error(`the floor measures top-level packages without dependencies; ${key} is not one`);
    }
    dependencies[name] = entry.version;
  }
  const root = { name: 'changed-only', version: '1.0.0', dependencies };
  const lock = { ...root, lockfileVersion: 3, requires: true, packages: { '': root } };
  for (const [key, entry] of entries) lock.packages[key] = entry;
  return {
    'package.json': JSON.stringify(root, null, 2),
    'package-lock.json': JSON.stringify(lock, null, 2),
  };
}

// Runs in the build image: ROUNDS times, npm ci of each project with an empty cache, then GNU tar
// writing the unchanged packages' files again; prints one JSON line per round.
const SCRIPT = `
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const t = (f) => { const s = process.hrtime.bigint(); f(); return Number(process.hrtime.bigint() - s) / 1e9; };
const ci = (dir, round) => {
  fs.rmSync(dir + '/node_modules', { recursive: true, force: true });
  return t(() => execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--registry=' + process.env.REGISTRY],
    { cwd: dir, stdio: 'ignore', env: { ...process.env, npm_config_cache: '/tmp/npm-cache-' + dir.replace(/\\W/g, '') + round } }));
};
const files = (dir) => Number(execFileSync('sh', ['-c', 'find "$0" -type f | wc -l', dir]).toString().trim());
const changed = JSON.parse(process.env.CHANGED);
for (let round = 0; round < Number(process.env.ROUNDS); round++) {
  const whole = ci('/w/whole', round);
  const only = ci('/w/changed', round);
  execFileSync('tar', ['-cf', '/tmp/unchanged.tar', '-C', '/w/whole', ...changed.map((p) => '--exclude=./' + p), './node_modules']);
  fs.rmSync('/tmp/back', { recursive: true, force: true });
  fs.mkdirSync('/tmp/back');
  const putBack = t(() => execFileSync('tar', ['-xf', '/tmp/unchanged.tar', '-C', '/tmp/back']));
  console.log(JSON.stringify({ whole, only, putBack, wholeFiles: files('/w/whole/node_modules'),
    onlyFiles: files('/w/changed/node_modules'), putBackFiles: files('/tmp/back') }));
}
`;

/** Medians over `rounds` of the three timings, with their file counts. */
export async function npmFloor({ image, registry, before, after, files, rounds = 3 }) {
  const entries = changedEntries(before, after);
  const dir = scratch('npm-floor');
  try {
    for (const [name, project] of [
      ['whole', files],
      ['changed', projectOf(entries)],
    ]) {
      fs.mkdirSync(path.join(dir, name));
      for (const [file, text] of Object.entries(project)) fs.writeFileSync(path.join(dir, name, file), text);
    }
    fs.writeFileSync(path.join(dir, 'floor.cjs'), SCRIPT);
    const result = await run('docker', [
      'run',
      '--rm',
      '-v',
      `${dir}:/w`,
      '-e',
      `REGISTRY=${registry}`,
      '-e',
      `ROUNDS=${rounds}`,
      '-e',
      `CHANGED=${JSON.stringify(entries.map(([key]) => key))}`,
      image,
      'node',
      '/w/floor.cjs',
    ]);
    if (result.code !== 0) throw new Error(`the npm floor failed:\n${result.stderr.slice(-2000)}`);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const median = (key) => rows.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(rows.length / 2)];
    return {
      changed: entries.map(([key, entry]) => `${key.slice('node_modules/'.length)} ${entry.version}`),
      whole: median('whole'),
      only: median('only'),
      putBack: median('putBack'),
      wholeFiles: rows[0].wholeFiles,
      onlyFiles: rows[0].onlyFiles,
      putBackFiles: rows[0].putBackFiles,
      runs: rows,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
