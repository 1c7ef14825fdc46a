import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repo = path.resolve(import.meta.dirname, '../..');
const read = (file: string): string => fs.readFileSync(path.join(repo, file), 'utf8');

interface Update {
  'package-ecosystem': string;
  directory: string;
  schedule: { interval: string };
  groups?: Record<string, { patterns?: string[]; 'dependency-type'?: string; 'update-types'?: string[] }>;
}

describe('.github/dependabot.yml', () => {
  const config = parse(read('.github/dependabot.yml')) as { version: number; updates: Update[] };

  it('updates npm and GitHub Actions weekly, in groups', () => {
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm']);
    for (const update of config.updates) {
      expect(update.directory).toBe('/');
      expect(update.schedule.interval).toBe('weekly');
      expect(Object.keys(update.groups ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('puts every npm dependency in a group', () => {
    const npm = config.updates.find((u) => u['package-ecosystem'] === 'npm')!;
    const pkg = JSON.parse(read('package.json')) as Record<string, Record<string, string>>;
    const groups = Object.values(npm.groups!);
    const glob = (pattern: string) =>
      new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    for (const [type, deps] of [
      ['production', pkg.dependencies!],
      ['development', pkg.devDependencies!],
    ] as const)
      for (const name of Object.keys(deps))
        expect(
          groups.some((g) => g.patterns?.some((p) => glob(p).test(name)) || g['dependency-type'] === type),
          name,
        ).toBe(true);
  });
});

describe('repository files users look for', () => {
  it('has CODEOWNERS covering everything, action.yml and dist/', () => {
    const rules = read('.github/CODEOWNERS')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => line.trim().split(/\s+/));
    for (const rule of rules)
      expect(
        rule.slice(1).every((owner) => /^@[\w.-]+(\/[\w.-]+)?$/.test(owner)),
        rule[0],
      ).toBe(true);
    expect(rules.map((rule) => rule[0])).toEqual(expect.arrayContaining(['*', '/action.yml', '/dist/']));
  });

  it('scans JavaScript/TypeScript with CodeQL', () => {
    const workflow = parse(read('.github/workflows/codeql.yml')) as {
      jobs: Record<string, { strategy: { matrix: { language: string[] } }; steps: { uses?: string }[] }>;
    };
    const job = workflow.jobs.analyze!;
    expect(job.strategy.matrix.language).toContain('javascript-typescript');
    expect(job.steps.map((s) => s.uses?.replace(/@.*/, ''))).toEqual(
      expect.arrayContaining(['github/codeql-action/init', 'github/codeql-action/analyze']),
    );
  });

  it('has SECURITY.md with supported versions and a private way to report', () => {
    const security = read('SECURITY.md');
    expect(security).toMatch(/^## Supported versions/m);
    expect(security).toMatch(/^## Reporting a vulnerability/m);
    expect(security).toContain('Report a vulnerability');
  });

  it('has a README Versioning section that links the CHANGELOG and SECURITY.md', () => {
    const readme = read('README.md');
    const section = readme.slice(
      readme.indexOf('## Versioning'),
      readme.indexOf('\n## ', readme.indexOf('## Versioning') + 1),
    );
    expect(section).toContain('lambda-layer-release/lambda-layer-release@v0');
    expect(section).toMatch(/full commit SHA/);
    expect(section).toContain('](CHANGELOG.md)');
    expect(section).toContain('](SECURITY.md)');
    expect(readme).toContain('[Versioning](#versioning)');
  });
});
