import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { anchorsOf, docFiles, linksOf, readDoc, slug } from '../support/docs.js';

const repo = path.resolve(import.meta.dirname, '../..');
const action = parse(fs.readFileSync(path.join(repo, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
};
const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');

/** The rows of the Markdown table that follows `marker`, as arrays of trimmed cells. */
function tableAfter(marker: string): string[][] {
  const section = readme.slice(readme.indexOf(marker));
  const rows: string[][] = [];
  for (const line of section.split('\n').slice(1)) {
    if (line.trim() === '') {
      if (rows.length > 0) break;
      continue;
    }
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows.slice(2); // header and separator
}

const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1');

describe('README and action.yml', () => {
  it('lists every input, in order, with its default', () => {
    const rows = tableAfter('<!-- inputs:');
    expect(rows.map((row) => unquote(row[0]!))).toEqual(Object.keys(action.inputs));
    for (const row of rows) {
      const input = action.inputs[unquote(row[0]!)]!;
      const documented = row[1] === '(required)' ? undefined : unquote(row[1]!) || undefined;
      expect(documented, `default of ${row[0]}`).toBe(input.default);
      expect(row[1] === '(required)', `required flag of ${row[0]}`).toBe(input.required === true);
    }
  });

  it('lists every output, in order', () => {
    expect(tableAfter('<!-- outputs:').map((row) => unquote(row[0]!))).toEqual(Object.keys(action.outputs));
  });

  it('gives every input a description with an example, and booleans and numbers a default', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description, name).toMatch(/Example: /);
      if (/^(true|false|\d+)$/.test(input.default ?? 'x')) expect(typeof input.default, name).toBe('string');
    }
    for (const name of ['skip-unchanged', 'keep-versions', 'max-parallel', 'wait', 'dry-run']) {
      expect(action.inputs[name]!.default, name).toBeDefined();
    }
  });

  it('runs the bundle on node24', () => {
    expect(action.runs).toEqual({
      using: 'node24',
      main: 'dist/index.js',
      post: 'dist/post/index.js',
      'post-if': 'always()',
    });
  });

  it('gives the test command that .ci/run calls', () => {
    expect(readme).toContain('npm test ');
    expect(fs.readFileSync(path.join(repo, '.ci/run'), 'utf8')).toMatch(/^npm test$/m);
  });
});

describe('README and the pages under docs/', () => {
  it('keeps the README short enough to read in minutes', () => {
    expect(readme.split('\n').length).toBeLessThan(300);
  });

  it('links every page under docs/ from the README', () => {
    const linked = new Set(linksOf(readme).map((target) => target.replace(/#.*/, '')));
    for (const page of docFiles().slice(1)) expect(linked, page).toContain(page);
  });

  it('points every relative link (also of CHANGELOG.md and SECURITY.md) at a file that exists, and every #anchor at a heading of it', () => {
    const broken: string[] = [];
    for (const file of [...docFiles(), 'CHANGELOG.md', 'SECURITY.md']) {
      for (const target of linksOf(readDoc(file))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [where, anchor] = decodeURIComponent(target).split('#') as [string, string | undefined];
        const linked = where === '' ? file : path.posix.join(path.posix.dirname(file), where);
        if (!fs.existsSync(path.join(repo, linked))) {
          broken.push(`${file}: ${target} (no ${linked})`);
          continue;
        }
        if (anchor !== undefined && !anchorsOf(readDoc(linked)).has(anchor))
          broken.push(`${file}: ${target} (no heading #${anchor} in ${linked})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('makes anchors as GitHub does', () => {
    expect(slug('Re-runs and caching')).toBe('re-runs-and-caching');
    expect(slug('Works with LocalStack and moto')).toBe('works-with-localstack-and-moto');
    expect(slug('What the build can see?')).toBe('what-the-build-can-see');
    expect(slug('The `ssm` step: v2.0')).toBe('the-ssm-step-v20');
    expect([...anchorsOf('# A\n\n## `b` c\n\n## A\n')]).toEqual(['a', 'b-c', 'a-1']);
  });

  it('finds the links of text, images and tables, but not of code', () => {
    const text =
      '[a](docs/a.md#x) ![b](b.png)\n\n| [c](c.md) |\n| - |\n\n`[d](d.md)`\n\n```\n[e](e.md)\n```\n';
    expect(linksOf(text)).toEqual(['docs/a.md#x', 'b.png', 'c.md']);
  });
});
