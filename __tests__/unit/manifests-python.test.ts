import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markerText } from '../../src/manifests/markers.js';
import {
  exportPythonLock,
  LockError,
  renderRequirements,
  type LockedRequirement,
} from '../../src/manifests/python/index.js';
import type { ManifestSource } from '../../src/manifests/types.js';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-python-lock-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const UV: ManifestSource = {
  manifest: 'pyproject.toml',
  lock: { path: 'uv.lock', format: 'uv.lock' },
  packageManager: { name: 'pip' },
};
const NONE = { extras: [], groups: [] };

/** uv export's list as records: name, version, marker, hashes (comments and the header dropped). */
function parseExport(text: string): { name: string; version: string; marker: string; hashes: string[] }[] {
  const joined = text.replace(/ \\\n\s*/g, ' ');
  return joined
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#') && line.trim() !== '-e .')
    .map((line) => {
      const hashes = [...line.matchAll(/--hash=(\S+)/g)].map((m) => m[1]!);
      const [spec, marker = ''] = line.replace(/\s*--hash=\S+/g, '').split(' ; ');
      const [name, version] = spec!.trim().split('==');
      return { name: name!, version: version!, marker: marker.trim(), hashes: hashes.sort() };
    });
}

function ours(requirements: readonly LockedRequirement[]): ReturnType<typeof parseExport> {
  return requirements.map((r) => ({
    name: r.name,
    version: r.version!,
    marker: markerText(r.marker),
    hashes: [...r.hashes],
  }));
}

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(scratch, 'p-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
const rootOf = (dir: string) => ({ dir, name: 'working-directory' });

describe('uv.lock equals uv export --frozen --no-dev --no-emit-project (fixtures from uv)', () => {
  it.each([
    ['flask-dotenv', NONE],
    ['root-extra-markers', { extras: ['foo', 'bar'], groups: [] }],
    ['index-options', NONE],
  ])('%s', async (name, options) => {
    const dir = path.join(FIXTURES, 'uv', name);
    const exported = await exportPythonLock(UV, rootOf(dir), options);
    const expected = parseExport(fs.readFileSync(path.join(dir, 'export.txt'), 'utf8'));
    expect(ours(exported.requirements)).toEqual(expected);
    // Index options are never taken from a lock: the list pip reads has none.
    const rendered = renderRequirements(exported);
    expect(`${rendered.hashed}${rendered.unhashed}`).not.toMatch(
      /--(index-url|extra-index-url|trusted-host|find-links)|pypi\.org/,
    );
  });

  it('leaves out what no chosen extra asks for', async () => {
    const dir = path.join(FIXTURES, 'uv', 'root-extra-markers');
    expect((await exportPythonLock(UV, rootOf(dir), NONE)).requirements).toEqual([]);
  });
});

const H = (c: string): string => `sha256:${c.repeat(64)}`;
const PYPROJECT = `[project]
name = "app"
version = "0.1.0"
requires-python = ">=3.11"
dependencies = ["a>=1", "b ; sys_platform == 'linux'"]

[project.optional-dependencies]
s3 = ["e"]

[dependency-groups]
dev = ["pytest"]
lambda = ["d"]
`;
function uvLock(extra = ''): string {
  const pkg = (name: string, version: string, deps = '', hash = 'a'): string =>
    `[[package]]\nname = "${name}"\nversion = "${version}"\nsource = { registry = "https://pypi.org/simple" }\n${deps}` +
    `sdist = { url = "https://files.example/${name}.tar.gz", hash = "${H(hash)}", size = 1 }\n\n`;
  return `version = 1
revision = 2
requires-python = ">=3.11"

${pkg('a', '1.2.0', `dependencies = [\n    { name = "c", marker = "python_full_version < '3.12'" },\n]\n`)}${pkg(
    'b',
    '2.0.0',
    `dependencies = [\n    { name = "c", marker = "platform_machine == 'x86_64'" },\n]\n`,
    'b',
  )}${pkg('c', '3.0.0', '', 'c')}${pkg('d', '4.0.0', '', 'd')}${pkg('e', '5.0.0', '', 'e')}${pkg('pytest', '8.0.0', '', 'f')}[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "a" },
    { name = "b", marker = "sys_platform == 'linux'" },
]

[package.optional-dependencies]
s3 = [
    { name = "e" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]
lambda = [
    { name = "d" },
]

[package.metadata]
requires-dist = [
    { name = "a", specifier = ">=1" },
    { name = "b", marker = "sys_platform == 'linux'" },
    { name = "e", marker = "extra == 's3'" },
]
provides-extras = ["s3"]
${extra}`;
}

describe('uv.lock', () => {
  it('combines markers along every path: OR over paths of the AND of the edges; dev left out', async () => {
    const dir = project({ 'pyproject.toml': PYPROJECT, 'uv.lock': uvLock() });
    const exported = await exportPythonLock(UV, rootOf(dir), NONE);
    expect(ours(exported.requirements)).toEqual([
      { name: 'a', version: '1.2.0', marker: '', hashes: [H('a')] },
      { name: 'b', version: '2.0.0', marker: "sys_platform == 'linux'", hashes: [H('b')] },
      {
        name: 'c',
        version: '3.0.0',
        marker: "python_full_version < '3.12' or (platform_machine == 'x86_64' and sys_platform == 'linux')",
        hashes: [H('c')],
      },
    ]);
    expect(renderRequirements(exported).hashed).toBe(
      `a==1.2.0 \\\n    --hash=${H('a')}\nb==2.0.0 ; sys_platform == 'linux' \\\n    --hash=${H('b')}\n` +
        `c==3.0.0 ; python_full_version < '3.12' or (platform_machine == 'x86_64' and sys_platform == 'linux') \\\n    --hash=${H('c')}\n`,
    );
  });

  it('adds the chosen extras and groups, and refuses ones the lock does not have', async () => {
    const dir = project({ 'pyproject.toml': PYPROJECT, 'uv.lock': uvLock() });
    const exported = await exportPythonLock(UV, rootOf(dir), { extras: ['s3'], groups: ['lambda'] });
    expect(exported.requirements.map((r) => r.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    await expect(exportPythonLock(UV, rootOf(dir), { extras: ['gcs'], groups: [] })).rejects.toThrow(
      'extras: gcs is not in uv.lock; it has s3',
    );
    await expect(exportPythonLock(UV, rootOf(dir), { extras: [], groups: ['docs'] })).rejects.toThrow(
      'groups: docs is not in uv.lock; it has dev, lambda',
    );
  });

  it('refuses a lock that is stale against pyproject.toml, with the command that refreshes it', async () => {
    const dir = project({
      'pyproject.toml': PYPROJECT.replace('"a>=1"', '"a>=1", "requests"'),
      'uv.lock': uvLock(),
    });
    await expect(exportPythonLock(UV, rootOf(dir), NONE)).rejects.toThrow(
      /^uv\.lock line \d+: uv\.lock is stale: pyproject\.toml asks for other requirements than the lock records\. Run `uv lock`/,
    );
    const loosened = project({
      'pyproject.toml': PYPROJECT.replace('"a>=1"', '"a>=2"'),
      'uv.lock': uvLock(),
    });
    await expect(exportPythonLock(UV, rootOf(loosened), NONE)).rejects.toThrow(LockError);
  });
});

// Locks made by the real tools (Debian's poetry 1.3.2 and pipenv 2022.12.19; see fixtures/python-locks/make.py).
const LOCKS = path.join(FIXTURES, 'python-locks');
const POETRY: ManifestSource = {
  manifest: 'pyproject.toml',
  lock: { path: 'poetry.lock', format: 'poetry.lock' },
  packageManager: { name: 'pip' },
};
const PIPENV: ManifestSource = {
  manifest: 'Pipfile',
  lock: { path: 'Pipfile.lock', format: 'Pipfile.lock' },
  packageManager: { name: 'pip' },
};
const versions = (requirements: readonly LockedRequirement[]): string[] =>
  requirements.map(
    (r) =>
      `${r.name}==${r.version}${r.marker.length === 1 && r.marker[0]!.length === 0 ? '' : ` ; ${markerText(r.marker)}`}`,
  );

describe('poetry.lock (made by Poetry 1.3.2)', () => {
  const dir = path.join(LOCKS, 'poetry');

  it('matches Poetry content-hash, installs the main closure with markers, no dev group, no index', async () => {
    const exported = await exportPythonLock(POETRY, rootOf(dir), NONE);
    expect(versions(exported.requirements)).toEqual([
      "colorama==0.4.6 ; sys_platform == 'win32'",
      'greeting==1.0.0',
      'shout==1.1.0',
    ]);
    expect(exported.requirements.every((r) => r.hashes.length === 1)).toBe(true);
    const rendered = renderRequirements(exported).hashed;
    expect(rendered).not.toMatch(/127\.0\.0\.1|--index|--extra-index|--find-links|--trusted-host/);
  });

  it('adds an extra and a group when asked', async () => {
    const exported = await exportPythonLock(POETRY, rootOf(dir), { extras: ['s3'], groups: ['dev'] });
    expect(exported.requirements.map((r) => r.name)).toEqual([
      'colorama',
      'devtool',
      'greeting',
      's3lib',
      'shout',
    ]);
  });

  it('refuses the lock when pyproject.toml changed since (content-hash)', async () => {
    const copy = project({
      'pyproject.toml': fs
        .readFileSync(path.join(dir, 'pyproject.toml'), 'utf8')
        .replace('greeting = "^1.0"', 'greeting = "^2.0"'),
      'poetry.lock': fs.readFileSync(path.join(dir, 'poetry.lock'), 'utf8'),
    });
    await expect(exportPythonLock(POETRY, rootOf(copy), NONE)).rejects.toThrow(
      'poetry.lock is stale: its content-hash does not match pyproject.toml. Run `poetry lock`',
    );
  });
});

describe('Pipfile.lock (made by pipenv 2022.12.19)', () => {
  const dir = path.join(LOCKS, 'pipenv');

  it("matches pipenv's Pipfile hash and installs [packages] only", async () => {
    const exported = await exportPythonLock(PIPENV, rootOf(dir), NONE);
    expect(versions(exported.requirements)).toEqual(['greeting==1.0.0', 'shout==1.1.0']);
    const withDev = await exportPythonLock(PIPENV, rootOf(dir), { extras: [], groups: ['develop'] });
    expect(withDev.requirements.map((r) => r.name)).toEqual(['devtool', 'greeting', 'shout']);
  });

  it('refuses the lock when the Pipfile changed since', async () => {
    const copy = project({
      Pipfile: fs
        .readFileSync(path.join(dir, 'Pipfile'), 'utf8')
        .replace('greeting = "~=1.0"', 'greeting = "~=2.0"'),
      'Pipfile.lock': fs.readFileSync(path.join(dir, 'Pipfile.lock'), 'utf8'),
    });
    await expect(exportPythonLock(PIPENV, rootOf(copy), NONE)).rejects.toThrow(
      'Pipfile.lock is stale: its hash does not match Pipfile. Run `pipenv lock`',
    );
  });
});

describe('the hand-written uv.lock of the same project', () => {
  it('installs the same closure as Poetry and pipenv', async () => {
    const exported = await exportPythonLock(UV, rootOf(path.join(LOCKS, 'uv')), NONE);
    expect(versions(exported.requirements)).toEqual([
      "colorama==0.4.6 ; sys_platform == 'win32'",
      'greeting==1.0.0',
      'shout==1.1.0',
    ]);
  });
});

describe('hostile locks', () => {
  const CANARY = 'ghs_LockCanary0123456789';
  const refusal = async (files: Record<string, string>, source = UV): Promise<string> => {
    const error = await exportPythonLock(source, rootOf(project(files)), NONE).catch((e: Error) => e);
    expect(error).toBeInstanceOf(LockError);
    expect((error as Error).message).not.toContain(CANARY);
    return (error as Error).message;
  };

  it('refuses a lock larger than the bound without reading it whole', async () => {
    const message = await refusal({
      'pyproject.toml': PYPROJECT,
      'uv.lock': `# ${CANARY}\n`.padEnd(33 * 1024 * 1024, '#'),
    });
    expect(message).toMatch(/^uv\.lock is \d+ bytes; the action reads at most 33554432 bytes of a lock$/);
  });

  it('refuses nesting beyond the bound, by line, before the parser recurses', async () => {
    const deep = `version = 1\nx = ${'['.repeat(200)}"${CANARY}"${']'.repeat(200)}\n`;
    expect(await refusal({ 'pyproject.toml': PYPROJECT, 'uv.lock': deep })).toBe(
      'uv.lock line 2: nested more than 32 brackets deep',
    );
    const json = `{\n"_meta": ${'{"a":'.repeat(100)}"${CANARY}"${'}'.repeat(100)}}`;
    expect(
      await refusal(
        { Pipfile: '', 'Pipfile.lock': json },
        {
          manifest: 'Pipfile',
          lock: { path: 'Pipfile.lock', format: 'Pipfile.lock' },
          packageManager: { name: 'pip' },
        },
      ),
    ).toBe('Pipfile.lock line 2: nested more than 32 brackets deep');
  });

  it('names the line of invalid TOML and never quotes it', async () => {
    expect(
      await refusal({ 'pyproject.toml': PYPROJECT, 'uv.lock': `version = 1\n\n${CANARY} = = 1\n` }),
    ).toBe('uv.lock line 3: not valid TOML');
  });

  it.each([
    [
      'a name with a line break',
      `name = "greeting\\n--index-url https://${CANARY}"\nversion = "1.0"`,
      'the package name is not valid',
    ],
    [
      'a version with an option',
      `name = "greeting"\nversion = "1.0 --extra-index-url=https://${CANARY}"`,
      'the version is not valid',
    ],
    [
      'a hash that is not one',
      `name = "greeting"\nversion = "1.0"\nsdist = { hash = "md5:${CANARY}" }`,
      'a hash is not valid',
    ],
    [
      'a marker with a quote',
      `name = "greeting"\nversion = "1.0"\ndependencies = [{ name = "x", marker = "os_name == '${CANARY}\\" --trusted-host x'" }]`,
      'a marker value with quotes or line breaks',
    ],
    [
      'a URL that is a file',
      `name = "greeting"\nversion = "1.0"\nsource = { url = "file:///etc/${CANARY}" }`,
      'a URL source is not valid',
    ],
  ])('refuses %s, by file and line', async (_, greeting, reason) => {
    const lock = `version = 1\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [{ name = "greeting" }]\n\n[[package]]\n${greeting}\n`;
    const pyproject = '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["greeting"]\n';
    const message = await refusal({ 'pyproject.toml': pyproject, 'uv.lock': lock });
    expect(message).toMatch(
      new RegExp(`^uv\\.lock line 9: ${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  it('refuses a path source outside working-directory, also through a link, and one that is not there', async () => {
    const pyproject = '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["lib"]\n';
    const lock = (where: string): string =>
      `version = 1\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [{ name = "lib" }]\n\n[[package]]\nname = "lib"\nversion = "1.0"\nsource = { directory = "${where}" }\n`;
    expect(await refusal({ 'pyproject.toml': pyproject, 'uv.lock': lock('../../etc') })).toBe(
      'uv.lock line 9: a path source is outside working-directory; only working-directory is mounted into the build',
    );
    expect(await refusal({ 'pyproject.toml': pyproject, 'uv.lock': lock('libs/none') })).toBe(
      'uv.lock line 9: a path source does not exist',
    );
    const inside = project({
      'pyproject.toml': pyproject,
      'uv.lock': lock('libs/lib'),
      'libs/lib/setup.py': '',
    });
    const exported = await exportPythonLock(UV, rootOf(inside), NONE);
    expect(renderRequirements(exported)).toEqual({ hashed: '', unhashed: 'lib @ file:///src/libs/lib\n' });
  });
});
