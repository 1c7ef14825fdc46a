import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPinning, type Pinning } from '../../src/layer/pinned.js';
import type { Family } from '../../src/runtimes/index.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-pinned-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
/** Writes the files into a fresh folder and checks the first one as the manifest. */
async function pinning(family: Family, files: Record<string, string>): Promise<Pinning & { dir: string }> {
  const dir = path.join(root, `src-${++counter}`);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  const manifest = path.join(dir, Object.keys(files)[0]!);
  return { ...(await checkPinning(family, manifest, { dir, name: 'working-directory' })), dir };
}

const reason = (p: Pinning): string => (p.pinned ? 'pinned' : p.reason);

describe('Python requirements', () => {
  it.each([
    [
      'name==version lines, comments, markers, extras, options',
      'numpy==2.1.3  # fast\n\nrequests[socks]==2.32.3 ; python_version >= "3.8"\n--index-url https://example.com/simple\n--only-binary=:all:\npandas === 2.2.3\n',
    ],
    [
      '--hash on every line, also across a continuation',
      'numpy==2.1.3 \\\n    --hash=sha256:abc\nsix>=1 --hash=sha256:def\n',
    ],
    ['a URL with --hash', 'https://example.com/six-1.16.0-py2.py3-none-any.whl --hash=sha256:abc\n'],
  ])('pinned: %s', async (_, text) => {
    expect(reason(await pinning('python', { 'requirements.txt': text }))).toBe('pinned');
  });

  it.each([
    ['a range', 'numpy>=2\n', 'requirements.txt line 1: not name==version'],
    ['a bare name', 'numpy==2.1.3\n\nrequests\n', 'requirements.txt line 3: not name==version'],
    [
      'a wildcard',
      'numpy==2.1 \\\n  --hash=sha256:abc\nsix==2.*\n',
      'requirements.txt line 3: not name==version',
    ],
    ['an editable install', '-e ./mypkg\n', 'editable'],
    ['a bare URL', 'https://example.com/six-1.16.0-py2.py3-none-any.whl\n', 'URL or path'],
    ['a name @ URL', 'six @ https://example.com/six.whl\n', 'URL or path'],
    ['a git URL', 'git+https://github.com/org/repo.git@main#egg=repo\n', 'URL or path'],
    ['a local path', './vendor/mypkg\n', 'URL or path'],
  ])('not pinned: %s', async (_, text, why) => {
    expect(reason(await pinning('python', { 'requirements.txt': text }))).toContain(why);
  });

  it('follows -r: pinned when the included file is, and both files are in the key', async () => {
    const result = await pinning('python', {
      'requirements.txt': 'numpy==2.1.3\n-r base.txt\n',
      'base.txt': 'six==1.16.0\n--requirement=more/extra.txt\n',
      'more/extra.txt': 'pyyaml==6.0.2\n',
    });
    expect(result.pinned).toBe(true);
    if (result.pinned) {
      expect(result.files.map((f) => path.relative(result.dir, f))).toEqual([
        'requirements.txt',
        'base.txt',
        'more/extra.txt',
      ]);
    }
  });

  it('is not pinned through -r to an unpinned or missing file, and says which', async () => {
    const unpinned = await pinning('python', { 'requirements.txt': '-r base.txt\n', 'base.txt': 'six\n' });
    expect(reason(unpinned)).toBe('requirements.txt line 1 → base.txt line 1: not name==version');
    expect(reason(await pinning('python', { 'requirements.txt': '-r gone.txt\n' }))).toContain(
      'gone.txt cannot be read',
    );
  });
});

describe('Node.js', () => {
  it('is pinned by package-lock.json or npm-shrinkwrap.json, which are in the key', async () => {
    const withLock = await pinning('nodejs', { 'package.json': '{}', 'package-lock.json': '{}' });
    expect(withLock.pinned && withLock.files.map((f) => path.basename(f))).toEqual([
      'package.json',
      'package-lock.json',
    ]);
    expect((await pinning('nodejs', { 'package.json': '{}', 'npm-shrinkwrap.json': '{}' })).pinned).toBe(
      true,
    );
  });

  it('is pinned by a pnpm, Yarn or Bun lock too; the tool settings beside it are in the key', async () => {
    for (const lock of ['pnpm-lock.yaml', 'yarn.lock', 'bun.lock']) {
      const result = await pinning('nodejs', {
        'package.json': '{}',
        [lock]: 'x',
        '.yarnrc.yml': 'nodeLinker: node-modules\n',
        'pnpm-workspace.yaml': 'onlyBuiltDependencies: [sharp]\n',
        'bunfig.toml': '[install]\n',
        'README.md': 'not in the key',
      });
      // .yarnrc.yml may hold credentials: the host never reads it, so it is not in the key.
      expect(result.pinned && result.files.map((f) => path.basename(f))).toEqual([
        'package.json',
        lock,
        'pnpm-workspace.yaml',
        'bunfig.toml',
      ]);
    }
  });

  it('is not pinned without a lock file, even with exact versions', async () => {
    const result = await pinning('nodejs', { 'package.json': '{"dependencies":{"axios":"1.7.9"}}' });
    expect(reason(result)).toBe(
      'no package-lock.json or npm-shrinkwrap.json or pnpm-lock.yaml or yarn.lock or bun.lock beside package.json',
    );
  });
});

describe('Ruby', () => {
  it('is pinned by Gemfile.lock only', async () => {
    expect((await pinning('ruby', { Gemfile: "gem 'rack'", 'Gemfile.lock': 'GEM' })).pinned).toBe(true);
    expect(reason(await pinning('ruby', { Gemfile: "gem 'rack', '3.1.8'" }))).toBe(
      'no Gemfile.lock beside Gemfile',
    );
  });
});

const pom = (dependencies: string, extra = ''): string => `<project>
  <groupId>org.example</groupId><artifactId>layer</artifactId><version>1.0-SNAPSHOT</version>
  <properties><text.version>1.13.1</text.version></properties>
  ${extra}
  <dependencies>${dependencies}</dependencies>
</project>`;
const dependency = (version: string): string =>
  `<dependency><groupId>org.apache.commons</groupId><artifactId>commons-text</artifactId><version>${version}</version></dependency>`;

describe('Maven', () => {
  it('is pinned with fixed versions (also through a property), whatever the project’s own version', async () => {
    expect(reason(await pinning('java', { 'pom.xml': pom(dependency('1.13.1')) }))).toBe('pinned');
    expect(reason(await pinning('java', { 'pom.xml': pom(dependency('${text.version}')) }))).toBe('pinned');
    expect(reason(await pinning('java', { 'pom.xml': pom('<!-- <version>[1,2)</version> -->') }))).toBe(
      'pinned',
    );
  });

  it.each([
    ['a range', dependency('[1.10,2.0)'), 'version range [1.10,2.0)'],
    ['an open range', dependency('[1.10,)'), 'version range'],
    ['a SNAPSHOT', dependency('1.14-SNAPSHOT'), 'snapshot version 1.14-SNAPSHOT'],
    ['LATEST', dependency('LATEST'), 'version LATEST'],
    ['RELEASE', dependency('RELEASE'), 'version RELEASE'],
    ['a property from elsewhere', dependency('${parent.text}'), 'defined outside pom.xml'],
  ])('is not pinned with %s', async (_, dependencies, why) => {
    expect(reason(await pinning('java', { 'pom.xml': pom(dependencies) }))).toContain(why);
  });

  it('is not pinned with a SNAPSHOT parent or plugin', async () => {
    const parent =
      '<parent><groupId>g</groupId><artifactId>p</artifactId><version>2-SNAPSHOT</version></parent>';
    expect(reason(await pinning('java', { 'pom.xml': pom(dependency('1.13.1'), parent) }))).toContain(
      'snapshot version 2-SNAPSHOT',
    );
  });
});

describe('Gradle', () => {
  it('is pinned with gradle.lockfile; settings.gradle joins the key', async () => {
    const result = await pinning('java', {
      'build.gradle': "dependencies { implementation 'org.apache.commons:commons-text:1.+' }",
      'gradle.lockfile': 'org.apache.commons:commons-text:1.13.1=runtimeClasspath\n',
      'settings.gradle': "rootProject.name = 'layer'",
    });
    expect(result.pinned && result.files.map((f) => path.basename(f))).toEqual([
      'build.gradle',
      'gradle.lockfile',
      'settings.gradle',
    ]);
  });

  it('is not pinned without a lockfile, and says how to write one', async () => {
    const result = await pinning('java', { 'build.gradle.kts': 'dependencies {}' });
    expect(reason(result)).toBe(
      'no gradle.lockfile beside build.gradle.kts (run gradle dependencies --write-locks)',
    );
  });
});

describe('custom runtimes', () => {
  it('are never pinned: a Makefile can fetch anything', async () => {
    expect(reason(await pinning('provided', { Makefile: 'layer:\n\tcp x $(ARTIFACTS_DIR)\n' }))).toContain(
      'Makefile',
    );
  });
});
