/**
 * 11. The bill of materials of a big layer (src/sbom/): writeSbom on a Node.js tree of 2,000 packages
 * (one in four nested in another's node_modules) and on a Python tree of 300 distributions with 100
 * RECORD lines and one native file each. The goal: an SBOM costs a build under a second, even
 * for thousands of packages, and the same tree gives the same bytes.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { tsImport } from 'tsx/esm/api';
import { importTs, log, repo, scratch, table } from './lib.mjs';

const REPEAT = 3;
const NODE_PACKAGES = 2000;
const PYTHON_PACKAGES = 300;

function nodeTree(dir) {
  const modules = path.join(dir, 'nodejs/node_modules');
  for (let i = 0; i < NODE_PACKAGES; i++) {
    const folder =
      i % 4 === 3
        ? path.join(modules, `pkg-${i - 1}`, 'node_modules', `pkg-${i}`)
        : path.join(modules, `pkg-${i}`);
    fs.mkdirSync(folder, { recursive: true });
    const manifest = {
      name: `pkg-${i}`,
      version: `1.${i}.0`,
      license: i % 3 ? 'MIT' : 'Apache-2.0 OR MIT',
      description: 'x'.repeat(200),
    };
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify(manifest));
    fs.writeFileSync(path.join(folder, 'index.js'), 'module.exports = 1;\n');
  }
  return { modulePaths: ['nodejs/node_modules'], native: [] };
}

function pythonTree(dir) {
  const site = 'python/lib/python3.12/site-packages';
  const native = [];
  for (let i = 0; i < PYTHON_PACKAGES; i++) {
    const info = path.join(dir, site, `pkg_${i}-2.${i}.dist-info`);
    fs.mkdirSync(info, { recursive: true });
    fs.mkdirSync(path.join(dir, site, `pkg_${i}`), { recursive: true });
    const metadata = `Metadata-Version: 2.4\nName: pkg_${i}\nVersion: 2.${i}\nLicense-Expression: BSD-3-Clause\n\n${'d'.repeat(5000)}\n`;
    fs.writeFileSync(path.join(info, 'METADATA'), metadata);
    const record = Array.from({ length: 100 }, (_, f) => `pkg_${i}/m${f}.py,sha256=abc,10`);
    record.push(`pkg_${i}/_native.so,sha256=abc,10`);
    fs.writeFileSync(path.join(info, 'RECORD'), `${record.join('\n')}\n`);
    fs.writeFileSync(path.join(dir, site, `pkg_${i}`, '_native.so'), 'ELF');
    native.push({ path: `${site}/pkg_${i}/_native.so`, type: 'shared', machine: 'x86_64', glibc: '2.17' });
  }
  return { modulePaths: [site], native };
}

async function measure(name, family, runtime, make) {
  // Through tsx, whose loader stays for the CycloneDX chunk the module imports when it first writes.
  const { writeSbom } = await tsImport(path.join(repo, 'src/sbom/index.ts'), import.meta.url);
  const { findRuntime } = await importTs('src/runtimes/index.ts');
  const dir = scratch(`sbom-${name}`);
  const tree = path.join(dir, 'layer');
  const { modulePaths, native } = make(tree);
  const layer = {
    layerName: 'bench',
    runtime: findRuntime(runtime),
    compatibleRuntimes: [],
    architecture: 'x86_64',
    licenseInfo: undefined,
  };
  const times = [];
  const digests = new Set();
  let summary;
  for (let i = 0; i < REPEAT; i++) {
    const artifact = {
      zipFile: path.join(dir, `run-${i}.zip`),
      layerDir: tree,
      layout: { modulePaths },
      nativeFiles: native,
      codeSha256: createHash('sha256').update(name).digest('base64'),
      contentHash: createHash('sha256').update(name).digest('hex'),
    };
    const started = performance.now();
    summary = await writeSbom(layer, artifact);
    times.push(performance.now() - started);
    digests.add(createHash('sha256').update(fs.readFileSync(summary.file)).digest('hex'));
  }
  const size = fs.statSync(summary.file).size;
  fs.rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  const ms = times[REPEAT >> 1];
  log(`${name}: ${summary.packages} packages, median ${ms.toFixed(0)} ms (first ${times[0].toFixed(0)} ms)`);
  return { name, family, packages: summary.packages, ms, size, same: digests.size === 1 };
}

export async function bench() {
  const results = [
    await measure(`Node.js, ${NODE_PACKAGES} packages`, 'nodejs', 'nodejs22.x', nodeTree),
    await measure(`Python, ${PYTHON_PACKAGES} distributions`, 'python', 'python3.12', pythonTree),
  ];
  const body =
    `writeSbom (inventory, CycloneDX document, file), median of ${REPEAT}; the first run also loads the ` +
    'CycloneDX chunk:\n\n' +
    table(
      ['Tree', 'Components', 'Time', 'SBOM size', 'Same bytes each run'],
      results.map((r) => [
        r.name,
        r.packages,
        `${r.ms.toFixed(0)} ms`,
        `${(r.size / 1e6).toFixed(2)} MB`,
        r.same ? 'yes' : 'no',
      ]),
    );
  const worst = Math.max(...results.map((r) => r.ms));
  return {
    body,
    goals: [
      ['SBOM of 2,000 packages: under a second', `${worst.toFixed(0)} ms`, worst < 1000],
      ['Same tree, same bytes', results.every((r) => r.same) ? 'yes' : 'no', results.every((r) => r.same)],
    ],
  };
}
