import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  bumpFor,
  latestRelease,
  parseTag,
  propose,
  releaseChangelog,
  unreleasedSection,
} from '../../scripts/release.js';

const repo = path.resolve(import.meta.dirname, '../..');
const script = path.join(repo, 'scripts/release.ts');

const changelog = (unreleased: string, rest = ''): string =>
  `# Changelog\n\n## [Unreleased]\n${unreleased}\n${rest}\n[unreleased]: https://github.com/o/r/compare/v0.1.0...HEAD\n`;

describe('the version proposal', () => {
  it('reads only vMAJOR.MINOR.PATCH tags as releases, newest by number', () => {
    expect(latestRelease(['v0', 'v0.9.0', 'v0.10.0', 'v0.2.1', 'v1.0.0-rc.1', 'other', ''])).toEqual({
      major: 0,
      minor: 10,
      patch: 0,
    });
    expect(latestRelease(['v1'])).toBeUndefined();
    expect(parseTag('v01.2.3')).toBeUndefined();
  });

  it('asks for major on Removed or a **Breaking** entry, minor on Added/Changed/Deprecated, patch on Fixed/Security', () => {
    expect(bumpFor('\n### Removed\n\n- the `foo` input\n')).toBe('major');
    expect(bumpFor('\n### Changed\n\n- **Breaking:** `wait` defaults to false\n')).toBe('major');
    expect(bumpFor('\n### Added\n\n- `trim` input\n### Fixed\n- a crash\n')).toBe('minor');
    expect(bumpFor('\n### Deprecated\n\n- `old` input\n')).toBe('minor');
    expect(bumpFor('\n### Fixed\n\n- a crash\n')).toBe('patch');
    expect(bumpFor('\n### Security\n- undici 7.16\n')).toBe('patch');
    expect(bumpFor('\n### Added\n\n### Fixed\n\n')).toBeUndefined();
    expect(bumpFor('\n')).toBeUndefined();
  });

  it('bumps the last release; the first release is the package.json version', () => {
    const last = parseTag('v0.4.2');
    expect(propose(last, 'patch', '9.9.9')).toBe('v0.4.3');
    expect(propose(last, 'minor', '9.9.9')).toBe('v0.5.0');
    expect(propose(last, 'major', '9.9.9')).toBe('v1.0.0');
    expect(propose(undefined, 'minor', '0.1.0')).toBe('v0.1.0');
    expect(() => propose(undefined, 'minor', '0.1')).toThrow(/package.json version "0.1"/);
  });

  it('takes the Unreleased section up to the next version or the links', () => {
    const text = changelog('\n### Fixed\n\n- a\n', '## [0.1.0] - 2026-12-01\n\n### Removed\n\n- b\n');
    expect(unreleasedSection(text)).toBe('\n### Fixed\n\n- a\n\n');
    expect(() => unreleasedSection('# Changelog\n')).toThrow(/no "## \[Unreleased\]"/);
  });

  it('moves the Unreleased entries under the new version and links it', () => {
    const next = releaseChangelog(changelog('\n### Fixed\n\n- a\n'), 'v0.1.1', 'v0.1.0', '2026-12-24');
    expect(next).toContain('## [Unreleased]\n\n## [0.1.1] - 2026-12-24\n\n### Fixed\n\n- a\n');
    expect(next).toContain('[unreleased]: https://github.com/o/r/compare/v0.1.1...HEAD\n');
    expect(next).toContain('[0.1.1]: https://github.com/o/r/compare/v0.1.0...v0.1.1\n');
    const first = releaseChangelog(
      '## [Unreleased]\n- a\n\n[unreleased]: https://github.com/o/r/commits/main\n',
      'v0.1.0',
      undefined,
      '2026-12-24',
    );
    expect(first).toContain('[0.1.0]: https://github.com/o/r/releases/tag/v0.1.0');
  });
});

it("this repository's CHANGELOG is one the release script reads", () => {
  const text = fs.readFileSync(path.join(repo, 'CHANGELOG.md'), 'utf8');
  expect(bumpFor(unreleasedSection(text))).toBeDefined();
  expect(text).toMatch(
    /^\[unreleased\]: https:\/\/github\.com\/lambda-layer-release\/lambda-layer-release\//m,
  );
});

describe('npm run release in a repository', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Release Test',
    GIT_AUTHOR_EMAIL: 'release@example.test',
    GIT_COMMITTER_NAME: 'Release Test',
    GIT_COMMITTER_EMAIL: 'release@example.test',
  };
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
  const release = (cwd: string, ...args: string[]) => {
    const run = spawnSync(process.execPath, [script, ...args], { cwd, env, encoding: 'utf8' });
    return { code: run.status, out: run.stdout + run.stderr };
  };

  function project(text: string, version = '0.1.0'): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-release-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'CHANGELOG.md'), text);
    fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'x', version }, null, 2)}\n`);
    git(dir, 'init', '--quiet');
    git(dir, 'add', '.');
    git(dir, 'commit', '--quiet', '-m', 'start');
    return dir;
  }

  it('proposes the first release from package.json and changes nothing without --write', () => {
    const dir = project(
      changelog('\n### Added\n\n- everything\n').replace('compare/v0.1.0...HEAD', 'commits/main'),
    );
    const { code, out } = release(dir);
    expect(code).toBe(0);
    expect(out).toContain('Proposed tag: v0.1.0 (moves v0)');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'tag')).toBe('');
  });

  it('--write commits the CHANGELOG and version, tags, and the next proposal follows from that tag', () => {
    const dir = project(
      changelog('\n### Added\n\n- everything\n').replace('compare/v0.1.0...HEAD', 'commits/main'),
    );
    expect(release(dir, '--write')).toMatchObject({
      code: 0,
      out: expect.stringContaining('git push origin HEAD v0.1.0'),
    });
    expect(git(dir, 'tag')).toBe('v0.1.0');
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('Release v0.1.0');
    expect(fs.readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8')).toMatch(
      /## \[Unreleased\]\n\n## \[0\.1\.0\] - \d{4}-\d\d-\d\d\n\n### Added\n\n- everything\n/,
    );

    expect(release(dir)).toMatchObject({ code: 1, out: expect.stringContaining('Nothing to release') });

    const text = fs.readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8');
    fs.writeFileSync(
      path.join(dir, 'CHANGELOG.md'),
      text.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Fixed\n\n- a bug\n'),
    );
    expect(release(dir, '--write')).toMatchObject({
      code: 1,
      out: expect.stringContaining('uncommitted changes'),
    });
    git(dir, 'commit', '--quiet', '-am', 'fix');
    expect(release(dir).out).toContain('Proposed tag: v0.1.1');
    expect(release(dir, '--write')).toMatchObject({ code: 0 });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))).toMatchObject({
      version: '0.1.1',
    });
    expect(fs.readFileSync(path.join(dir, 'CHANGELOG.md'), 'utf8')).toContain(
      '[0.1.1]: https://github.com/o/r/compare/v0.1.0...v0.1.1',
    );
  });

  it('proposes v1.0.0 for a breaking change on v0, and refuses a tag that is not newer', () => {
    const dir = project(changelog('\n### Changed\n\n- **Breaking:** renamed `regions`\n'));
    git(dir, 'tag', 'v0.3.0');
    git(dir, 'tag', 'v0');
    expect(release(dir).out).toContain('Proposed tag: v1.0.0 (moves v1)');
    expect(release(dir, 'v0.2.9')).toMatchObject({
      code: 1,
      out: expect.stringContaining('not newer than the last release v0.3.0'),
    });
    expect(release(dir, 'v0.4')).toMatchObject({
      code: 1,
      out: expect.stringContaining('not vMAJOR.MINOR.PATCH'),
    });
    expect(release(dir, 'v0.4.0').out).toContain('Proposed tag: v0.4.0 (moves v0)');
  });
});
