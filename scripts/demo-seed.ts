/**
 * What the demo (scripts/demo.ts) seeds as version 1 of its layer: a real layer zip, so that the run's
 * report compares packages with it (src/report/changes.ts) instead of warning that it cannot.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeDeterministicZip } from '../src/layer/zip.js';

/**
 * Version 1 as an earlier release of examples/python-layer would have left it: older httpx and its
 * dependencies, sniffio (which anyio no longer needs), and no psutil yet.
 */
export const VERSION_1_PACKAGES: readonly [module: string, distribution: string, version: string][] = [
  ['anyio', 'anyio', '4.8.0'],
  ['certifi', 'certifi', '2025.1.31'],
  ['h11', 'h11', '0.14.0'],
  ['httpcore', 'httpcore', '1.0.7'],
  ['httpx', 'httpx', '0.27.2'],
  ['idna', 'idna', '3.20'],
  ['sniffio', 'sniffio', '1.3.1'],
  ['typing_extensions', 'typing_extensions', '4.12.2'],
];

/** A layer zip with each package's module and its dist-info folder (name and version in METADATA). */
export async function version1Zip(dir: string): Promise<Buffer> {
  const tree = fs.mkdtempSync(path.join(dir, 'version-1-'));
  const site = path.join(tree, 'python');
  for (const [module, distribution, version] of VERSION_1_PACKAGES) {
    const info = path.join(site, `${distribution}-${version}.dist-info`);
    fs.mkdirSync(info, { recursive: true });
    fs.writeFileSync(
      path.join(info, 'METADATA'),
      `Metadata-Version: 2.1\nName: ${distribution}\nVersion: ${version}\n`,
    );
    fs.writeFileSync(path.join(info, 'top_level.txt'), `${module}\n`);
    fs.mkdirSync(path.join(site, module));
    fs.writeFileSync(path.join(site, module, '__init__.py'), `__version__ = "${version}"\n`);
  }
  const zipFile = `${tree}.zip`;
  await writeDeterministicZip(tree, zipFile);
  fs.rmSync(tree, { recursive: true });
  const zip = fs.readFileSync(zipFile);
  fs.rmSync(zipFile);
  return zip;
}
