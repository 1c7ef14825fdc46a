import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/**
 * The packages in an ncc `--license` file, with their license. ncc writes one entry per bundled package:
 * its name, its license id, then the license text, with a blank line before the next name.
 */
function licensedPackages(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const atEntry = i === 0 || lines[i - 1] === '';
    if (atEntry && /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/.test(line) && lines[i + 1])
      entries.set(line, lines[i + 1]!);
  });
  return entries;
}

function installedLicense(name: string): string {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(repo, 'node_modules', name, 'package.json'), 'utf8'),
  ) as { license?: string };
  return manifest.license ?? '';
}

describe('dist/licenses.txt', () => {
  const licenses = licensedPackages(fs.readFileSync(path.join(repo, 'dist/licenses.txt'), 'utf8'));

  it('lists every runtime dependency with the license its package declares', () => {
    const listed = Object.keys(pkg.dependencies).map((name) => [name, licenses.get(name)]);
    expect(listed).toEqual(Object.keys(pkg.dependencies).map((name) => [name, installedLicense(name)]));
  });

  it('lists only packages with a license', () => {
    expect(licenses.size).toBeGreaterThanOrEqual(Object.keys(pkg.dependencies).length);
    for (const [name, license] of licenses) expect(license, name).toMatch(/^[A-Za-z0-9.\-+ ()]+$/);
  });

  it('reads entries as ncc writes them', () => {
    const text = [
      'a-pkg',
      'MIT',
      'Permission is granted',
      '',
      '@scope/b',
      'ISC',
      'text',
      'more text',
      '',
    ].join('\n');
    expect([...licensedPackages(text)]).toEqual([
      ['a-pkg', 'MIT'],
      ['@scope/b', 'ISC'],
    ]);
    expect(licensedPackages(text.replace('@scope/b\n', '')).has('@scope/b')).toBe(false);
  });
});
