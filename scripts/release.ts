/**
 * Proposes the next release tag from the last one and the CHANGELOG's Unreleased section, and with
 * --write makes that release locally: CHANGELOG section, package.json version, commit and annotated tag.
 * Pushing the tag is left to the person (the command is printed); the release workflow then checks the
 * tag and moves the major tag (v0, v1, ...) to it.
 *
 *   npm run release                     # show the proposal, change nothing
 *   npm run release -- --write          # release the proposed version
 *   npm run release -- --write v0.3.0   # release this version instead (must be newer than the last)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Version {
  major: number;
  minor: number;
  patch: number;
}
export type Bump = 'major' | 'minor' | 'patch';

const TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function parseTag(tag: string): Version | undefined {
  const m = TAG.exec(tag);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

export const formatTag = (v: Version): string => `v${v.major}.${v.minor}.${v.patch}`;

export const compare = (a: Version, b: Version): number =>
  a.major - b.major || a.minor - b.minor || a.patch - b.patch;

/** The newest release tag; tags that are not vMAJOR.MINOR.PATCH (v0, pre-releases) are not releases. */
export function latestRelease(tags: string[]): Version | undefined {
  return tags
    .map(parseTag)
    .filter((v): v is Version => v !== undefined)
    .sort(compare)
    .at(-1);
}

/** The body of the `## [Unreleased]` section, without its heading. */
export function unreleasedSection(changelog: string): string {
  const start = /^## \[Unreleased\][^\n]*\n/im.exec(changelog);
  if (!start) throw new Error('CHANGELOG.md has no "## [Unreleased]" section (Keep a Changelog form)');
  const rest = changelog.slice(start.index + start[0].length);
  const end = rest.search(/^## |^\[[^\]]+\]: /m);
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * What the unreleased changes ask for. Users pin the major tag, so anything that can break a workflow
 * that pins it (a removed or renamed input or output, a changed default, a new runs.using) is major:
 * a `### Removed` entry, or an entry marked **Breaking**. New inputs and behaviour are minor; fixes patch.
 */
export function bumpFor(section: string): Bump | undefined {
  const entries = (heading: string): boolean =>
    new RegExp(`^### ${heading}\\s*\\n(?:\\s*\\n)*\\s*[-*] `, 'im').test(section);
  if (entries('Removed') || /^\s*[-*] \*\*Breaking/im.test(section)) return 'major';
  if (entries('Added') || entries('Changed') || entries('Deprecated')) return 'minor';
  if (entries('Fixed') || entries('Security')) return 'patch';
  return undefined;
}

export function bumpVersion(v: Version, bump: Bump): Version {
  if (bump === 'major') return { major: v.major + 1, minor: 0, patch: 0 };
  if (bump === 'minor') return { major: v.major, minor: v.minor + 1, patch: 0 };
  return { major: v.major, minor: v.minor, patch: v.patch + 1 };
}

/** The next tag: the package.json version for the very first release, else the last one bumped. */
export function propose(last: Version | undefined, bump: Bump, packageVersion: string): string {
  if (!last) {
    const first = parseTag(`v${packageVersion}`);
    if (!first) throw new Error(`package.json version "${packageVersion}" is not MAJOR.MINOR.PATCH`);
    return formatTag(first);
  }
  return formatTag(bumpVersion(last, bump));
}

/** Moves the Unreleased entries under a `## [X.Y.Z] - date` heading and updates the link references. */
export function releaseChangelog(
  changelog: string,
  tag: string,
  previous: string | undefined,
  date: string,
): string {
  const version = tag.slice(1);
  const withHeading = changelog.replace(
    /^## \[Unreleased\][^\n]*\n/im,
    (heading) => `${heading}\n## [${version}] - ${date}\n`,
  );
  const link = /^\[unreleased\]: (\S+?)\/(?:compare|commits)\/\S*$/im.exec(withHeading);
  if (!link) return withHeading;
  const base = link[1]!;
  const versionLink = previous ? `${base}/compare/${previous}...${tag}` : `${base}/releases/tag/${tag}`;
  return withHeading.replace(
    link[0],
    `[unreleased]: ${base}/compare/${tag}...HEAD\n[${version}]: ${versionLink}`,
  );
}

/** Collapses the blank lines that an emptied Unreleased section leaves. */
const tidy = (text: string): string => text.replace(/\n{3,}/g, '\n\n');

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

interface Plan {
  last: Version | undefined;
  bump: Bump;
  tag: string;
}

function plan(cwd: string, requested: string | undefined): Plan {
  const changelog = fs.readFileSync(path.join(cwd, 'CHANGELOG.md'), 'utf8');
  const bump = bumpFor(unreleasedSection(changelog));
  if (!bump)
    throw new Error(
      'Nothing to release: the Unreleased section of CHANGELOG.md has no Added/Changed/Fixed/... entry',
    );
  const last = latestRelease(git(['tag', '--list', 'v*'], cwd).split('\n'));
  const pkg = JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8')) as { version: string };
  const tag = requested ?? propose(last, bump, pkg.version);
  const wanted = parseTag(tag);
  if (!wanted) throw new Error(`Release tag "${tag}" is not vMAJOR.MINOR.PATCH, e.g. v0.2.0`);
  if (last && compare(wanted, last) <= 0)
    throw new Error(`Release tag ${tag} is not newer than the last release ${formatTag(last)}`);
  return { last, bump, tag };
}

function write(cwd: string, { last, tag }: Plan): void {
  if (git(['status', '--porcelain'], cwd) !== '') throw new Error('The work tree has uncommitted changes');
  const changelogPath = path.join(cwd, 'CHANGELOG.md');
  const date = new Date().toISOString().slice(0, 10);
  const previous = last ? formatTag(last) : undefined;
  fs.writeFileSync(
    changelogPath,
    tidy(releaseChangelog(fs.readFileSync(changelogPath, 'utf8'), tag, previous, date)),
  );
  const pkgPath = path.join(cwd, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as Record<string, unknown>;
  pkg.version = tag.slice(1);
  fs.writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
  const lockPath = path.join(cwd, 'package-lock.json');
  const files = ['CHANGELOG.md', 'package.json'];
  if (fs.existsSync(lockPath)) {
    const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as {
      version?: string;
      packages?: Record<string, { version?: string }>;
    };
    lock.version = tag.slice(1);
    if (lock.packages?.['']) lock.packages[''].version = tag.slice(1);
    fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
    files.push('package-lock.json');
  }
  git(['add', '--', ...files], cwd);
  git(['commit', '--quiet', '--message', `Release ${tag}`], cwd);
  git(['tag', '--annotate', tag, '--message', `Release ${tag}`], cwd);
}

function main(argv: string[]): void {
  const cwd = process.cwd();
  const writeIt = argv.includes('--write');
  const requested = argv.find((arg) => !arg.startsWith('--'));
  const p = plan(cwd, requested);
  const lastText = p.last ? formatTag(p.last) : 'none (first release: the package.json version)';
  console.log(`Last release: ${lastText}`);
  console.log(`Unreleased changes ask for a ${p.bump} release`);
  console.log(`Proposed tag: ${p.tag} (moves v${parseTag(p.tag)!.major})`);
  if (!writeIt) {
    console.log(`\nTo release it: npm run release -- --write${requested ? ` ${p.tag}` : ''}`);
    return;
  }
  write(cwd, p);
  console.log(`\nCommitted "Release ${p.tag}" and tagged ${p.tag}. Publish it with:`);
  console.log(`  git push origin HEAD ${p.tag}`);
}

if (import.meta.main) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`release: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
