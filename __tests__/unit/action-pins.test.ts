import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');

/**
 * The third-party actions we show or use, and which of their majors run on which Node runtime
 * (`runs.using` in the action.yml of that major). GitHub's hosted runners forced node20 actions onto
 * Node 24 from June 2026 and removed Node 20 on 16 September 2026
 * (github.blog/changelog/2025-09-19-deprecation-of-node-20-on-github-actions-runners); node16 and node12
 * were removed before that. So every major below `node24From` runs on a removed Node.
 *
 * Looked up in December 2026. To add an action or a new major: read `runs.using` in its action.yml at
 * that tag and its release notes, and cite them here.
 */
const ACTIONS: Record<string, { node24From: number; current: number; source: string }> = {
  'actions/checkout': {
    node24From: 5, // v5.0.0 (2025-08-11): "Update actions checkout to use node 24" (actions/checkout#2226)
    current: 7, // v7.0.0 (2026-06-18), node24: refuses fork PR code under pull_request_target by default
    source: 'https://github.com/actions/checkout/blob/main/CHANGELOG.md',
  },
  'actions/setup-node': {
    node24From: 5, // v5.0.0: "Upgrade action to use node24" (actions/setup-node#1325)
    current: 7, // v7.0.0 (2026-07-14), node24: ESM; no dummy NODE_AUTH_TOKEN with registry-url
    source: 'https://github.com/actions/setup-node/releases',
  },
  'actions/cache': {
    node24From: 5, // v5.0.0: node24, needs runner 2.327.1
    current: 6, // v6.0.0 (2026-06): "Update packages, migrate to ESM" (actions/cache#1760), node24
    source: 'https://github.com/actions/cache/releases',
  },
  'actions/upload-artifact': {
    node24From: 6, // v6.0.0: runs.using node24; v5 and earlier are node20
    current: 7, // v7.0.0: ESM, optional `archive` input, node24
    source: 'https://github.com/actions/upload-artifact/releases',
  },
  'actions/download-artifact': {
    node24From: 7, // v7.0.0: node24; v5 and v6 are still node20
    current: 8, // v8.0.0: node24; checks artifact digests by default
    source: 'https://github.com/actions/download-artifact/releases',
  },
  'actions/attest': {
    node24From: 3, // v3.0.0 (2025-08-26): "Upgrade to Node 24" (actions/attest#276); v2 is node20
    current: 4, // v4.2.2 (2026-08-04), node24; actions/attest-build-provenance and actions/attest-sbom v4 wrap it
    source: 'https://github.com/actions/attest/releases',
  },
  'aws-actions/configure-aws-credentials': {
    node24From: 6, // 6.0.0 (2026-02-04): "BREAKING CHANGES: Update action to use node24" (#1632); v5 is node20
    current: 6, // 6.2.x (2026-06)
    source: 'https://github.com/aws-actions/configure-aws-credentials/blob/main/CHANGELOG.md',
  },
  'github/codeql-action': {
    node24From: 4, // v4 uses Node.js 24; v3 is node20 and is deprecated in December 2026
    current: 4, // 4.37.x (2026-08)
    source: 'https://github.blog/changelog/2025-10-28-upcoming-deprecation-of-codeql-action-v3/',
  },
};

const OURS = 'lambda-layer-release/lambda-layer-release';
const ourMajor = Number(
  (JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string }).version.split(
    '.',
  )[0],
);

interface Pin {
  file: string;
  line: number;
  uses: string;
  comment: string;
}

/** Every `uses:` line (workflow steps, reusable-workflow jobs, and YAML shown in Markdown). */
function findPins(file: string, text: string): Pin[] {
  const pins: Pin[] = [];
  text.split('\n').forEach((content, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#]+)['"]?\s*(?:#\s*(.*))?$/.exec(content);
    if (match) pins.push({ file, line: index + 1, uses: match[1]!, comment: match[2] ?? '' });
  });
  return pins;
}

/** Why this pin is wrong, or undefined when it is fine. */
function problemWith(pin: Pin): string | undefined {
  const { uses } = pin;
  if (uses.startsWith('./') || uses.startsWith('docker://')) return undefined;
  const at = uses.lastIndexOf('@');
  if (at < 0) return `${uses} has no @ref`;
  const [owner, name] = uses.slice(0, at).split('/');
  const action = `${owner}/${name}`;
  const ref = uses.slice(at + 1);
  // A full commit SHA says nothing about its major; the convention is a trailing `# vX.Y.Z` comment.
  const version = /^[0-9a-f]{40}$/.test(ref) ? pin.comment.trim() : ref;
  const major = /^v(\d+)(?:\.\d+){0,2}$/.exec(version)?.[1];
  if (major === undefined)
    return `${uses}: pin a major (@vN), a release (@vN.N.N) or a SHA with a # vN comment`;
  if (action === OURS)
    return Number(major) === ourMajor ? undefined : `${uses}: this action is on v${ourMajor}`;
  const known = ACTIONS[action];
  if (!known) return `${action} is not in the table of this test: look up its runs.using and add it`;
  if (Number(major) < known.node24From)
    return `${uses} runs on a Node removed from GitHub's runners; v${known.current} is current (${known.source})`;
  if (Number(major) > known.current) return `${uses} is newer than the table knows: add v${major} to it`;
  return undefined;
}

function shownFiles(): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(repo, dir), { withFileTypes: true }).flatMap((entry) => {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(rel);
      return /\.(ya?ml|md)$/.test(entry.name) ? [rel] : [];
    });
  return ['README.md', ...walk('docs'), ...walk('examples'), ...walk('.github')];
}

describe('uses: pins', () => {
  const pins = shownFiles().flatMap((file) => findPins(file, fs.readFileSync(path.join(repo, file), 'utf8')));

  it('finds the pins of the README quick start, the docs pages, the examples and CI', () => {
    const where = new Set(pins.map((pin) => pin.file));
    expect([...where]).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/scaling-out.md',
        'docs/development.md',
        '.github/workflows/ci.yml',
        'examples/workflows/manual.yml',
      ]),
    );
    expect(pins.map((pin) => pin.uses)).toContain(`${OURS}@v${ourMajor}`);
  });

  it('pins no major that runs on a removed Node version', () => {
    const problems = pins.flatMap((pin) => {
      const problem = problemWith(pin);
      return problem ? [`${pin.file}:${pin.line}: ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });
});

describe('the pin check itself', () => {
  const check = (line: string) => problemWith(findPins('x.yml', line)[0]!);

  it('refuses the node20 majors that the examples used to show', () => {
    expect(check('      - uses: actions/checkout@v4')).toMatch(/removed.*v7 is current/);
    expect(check('      - uses: aws-actions/configure-aws-credentials@v5')).toMatch(/removed/);
    expect(check('      - uses: actions/download-artifact@v6')).toMatch(/removed/);
    expect(check('      - uses: github/codeql-action/init@v3')).toMatch(/removed/);
  });

  it('accepts node24 majors, releases, SHA pins with a version comment, and local actions', () => {
    expect(check('- uses: actions/checkout@v7')).toBeUndefined();
    expect(check('- uses: actions/cache@v5.0.5')).toBeUndefined();
    expect(check('  uses: github/codeql-action/analyze@v4')).toBeUndefined();
    expect(
      check(`- uses: actions/checkout@${'3d3c42e5aac5ba805825da76410c181273ba90b1'} # v7.0.1`),
    ).toBeUndefined();
    expect(check('  uses: ./')).toBeUndefined();
  });

  it('asks for the table to grow rather than guessing', () => {
    expect(check('- uses: actions/checkout@v8')).toMatch(/newer than the table/);
    expect(check('- uses: someone/else@v1')).toMatch(/not in the table/);
    expect(check(`- uses: actions/checkout@${'a'.repeat(40)}`)).toMatch(/# vN comment/);
    expect(check('- uses: actions/checkout@main')).toMatch(/pin a major/);
    expect(check(`- uses: ${OURS}@v${ourMajor + 1}`)).toMatch(/this action is on/);
  });

  it('ignores prose that mentions uses:', () => {
    expect(findPins('README.md', 'One `uses:` step that takes a layer')).toEqual([]);
    expect(findPins('a.yml', '# call it with `uses: ORG/REPO/.github/workflows/reusable.yml@main`')).toEqual(
      [],
    );
  });
});
