import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repo = path.resolve(import.meta.dirname, '../..');
const script = path.join(repo, 'scripts/release-tag.sh');

interface Job {
  needs?: string | string[];
  if?: string;
  uses?: string;
  permissions?: Record<string, string>;
  steps?: { uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown> }[];
}
const workflow = parse(fs.readFileSync(path.join(repo, '.github/workflows/release.yml'), 'utf8')) as {
  on: Record<string, { types?: string[]; tags?: string[] }>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};
const ci = parse(fs.readFileSync(path.join(repo, '.github/workflows/ci.yml'), 'utf8')) as {
  on: Record<string, unknown>;
};

describe('the release workflow', () => {
  it('runs on a published release or a vX.Y.Z tag, and skips pre-releases', () => {
    expect(workflow.on.release?.types).toEqual(['published']);
    expect(workflow.on.push?.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
    expect(workflow.jobs.tag!.if).toContain('!github.event.release.prerelease');
  });

  it('checks the tag, runs all of CI on it, and only then moves the major tag', () => {
    expect(workflow.jobs.tag!.steps!.map((s) => s.run).filter(Boolean)).toEqual([
      'bash scripts/release-tag.sh check',
    ]);
    expect(workflow.jobs.ci).toMatchObject({ needs: 'tag', uses: './.github/workflows/ci.yml' });
    expect(Object.keys(ci.on)).toContain('workflow_call');
    expect(workflow.jobs['move-major']!.needs).toEqual(['tag', 'ci']);
    expect(workflow.jobs['move-major']!.steps!.map((s) => s.run)).toContain(
      'bash scripts/release-tag.sh move',
    );
  });

  it('gives write access only to the job that pushes the tag, and full history to both git jobs', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [name, job] of Object.entries(workflow.jobs))
      expect(job.permissions, name).toEqual(name === 'move-major' ? { contents: 'write' } : undefined);
    for (const name of ['tag', 'move-major'])
      expect(workflow.jobs[name]!.steps![0]).toMatchObject({ with: { 'fetch-depth': 0 } });
  });

  it('passes the tag to the scripts through the environment, never into the script text', () => {
    for (const job of Object.values(workflow.jobs))
      for (const step of job.steps ?? []) expect(step.run ?? '').not.toContain('${{');
  });
});

describe('scripts/release-tag.sh against a local remote', () => {
  let dir: string;
  let origin: string;
  let work: string;
  const env = {
    ...process.env,
    PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`,
    GIT_AUTHOR_NAME: 'Release Test',
    GIT_AUTHOR_EMAIL: 'release@example.test',
    GIT_COMMITTER_NAME: 'Release Test',
    GIT_COMMITTER_EMAIL: 'release@example.test',
  };
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
  const run = (tag: string, command: string, extra: Record<string, string> = {}) => {
    const result = spawnSync('bash', [script, command], {
      cwd: work,
      env: { ...env, TAG: tag, ...extra },
      encoding: 'utf8',
    });
    return { code: result.status, out: result.stdout + result.stderr };
  };
  const commit = (version: string): string => {
    fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'x', version }));
    git(work, 'add', 'package.json');
    git(work, 'commit', '--quiet', '-m', `Release v${version}`);
    git(work, 'tag', `v${version}`);
    return git(work, 'rev-parse', 'HEAD');
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-release-tag-'));
    origin = path.join(dir, 'origin.git');
    work = path.join(dir, 'work');
    git(dir, 'init', '--quiet', '--bare', origin);
    git(dir, 'init', '--quiet', '--initial-branch', 'main', work);
    git(work, 'remote', 'add', 'origin', origin);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('check: accepts a release of main with the package.json version and reports its major', () => {
    commit('0.1.0');
    git(work, 'push', '--quiet', 'origin', 'main');
    const output = path.join(dir, 'github-output');
    expect(run('v0.1.0', 'check', { GITHUB_OUTPUT: output })).toMatchObject({ code: 0 });
    expect(fs.readFileSync(output, 'utf8')).toBe('major=v0\n');
  });

  it('check: refuses a malformed tag, a pre-release, a version mismatch and a tag off main', () => {
    commit('0.1.0');
    git(work, 'push', '--quiet', 'origin', 'main');
    expect(run('v0.1', 'check').out).toContain('not vMAJOR.MINOR.PATCH');
    expect(run('v0.2.0-rc.1', 'check').out).toContain('pre-releases do not move');
    expect(run('v0.1.1', 'check').out).toContain('does not exist');
    git(work, 'tag', 'v0.1.1');
    expect(run('v0.1.1', 'check')).toMatchObject({
      code: 1,
      out: expect.stringContaining('not the package.json version (0.1.0)'),
    });
    git(work, 'checkout', '--quiet', '-b', 'side');
    commit('0.2.0');
    expect(run('v0.2.0', 'check')).toMatchObject({ code: 1, out: expect.stringContaining('not on main') });
  });

  it('move: points the major tag at the release on the remote, and never moves it backwards', () => {
    const first = commit('0.1.0');
    expect(run('v0.1.0', 'move')).toMatchObject({ code: 0 });
    expect(git(origin, 'rev-parse', 'v0^{commit}')).toBe(first);

    const second = commit('0.2.0');
    expect(run('v0.2.0', 'move')).toMatchObject({
      code: 0,
      out: expect.stringContaining('v0 now points at v0.2.0'),
    });
    expect(git(origin, 'rev-parse', 'v0^{commit}')).toBe(second);

    git(work, 'checkout', '--quiet', '-b', 'fix', 'v0.1.0');
    commit('0.1.1');
    expect(run('v0.1.1', 'move')).toMatchObject({
      code: 1,
      out: expect.stringContaining('v0.2.0 is newer than v0.1.1'),
    });
    expect(git(origin, 'rev-parse', 'v0^{commit}')).toBe(second);

    git(work, 'checkout', '--quiet', 'main');
    const major = commit('1.0.0');
    expect(run('v1.0.0', 'move')).toMatchObject({ code: 0 });
    expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(major);
    expect(git(origin, 'rev-parse', 'v0^{commit}')).toBe(second);
  });
});
