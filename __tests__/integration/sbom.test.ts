/**
 * The bill of materials of real layers, built twice each in the stand-in build images (Python from
 * wheels the test makes, Node.js from the npm registry, Java from Debian's Maven repository, Ruby from
 * gems the test builds): it lists exactly the packages in the zip at their versions (read from the zip
 * by the package diff's own reader, src/layer/zip-packages.ts), validates against the CycloneDX 1.6
 * schema, and is byte-identical across the two builds. A zip-file layer gets one too, uploaded next to
 * the zip with s3-bucket; a package folder with broken metadata gives a warning and the rest.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { currentUser } from '../../src/docker.js';
import { packagesInZipFile } from '../../src/layer/zip-packages.js';
import type { Report } from '../../src/report/index.js';
import type { Family } from '../../src/runtimes/index.js';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { standInBuildImage } from '../support/images.js';
import { compile, SOURCES } from '../support/native.js';
import { release, runInProcess, workspace, workspaceWithZip } from '../support/release.js';
import { runPost, startAction } from '../support/runner.js';
import { cycloneDxErrors, licencesOf, packagesOf, property, readBom, type CdxBom } from '../support/sbom.js';
import { makeWheel } from '../support/wheels.js';

/** Runs the build step only (the SBOM is the build's), keeping what it wrote to stdout. */
async function build(
  dir: string,
  inputs: Record<string, string>,
): Promise<{ report: Report; bom: CdxBom; json: string; log: string }> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  let report: Report;
  try {
    report = await runInProcess(dir, { steps: 'build', ...inputs });
  } finally {
    spy.mockRestore();
  }
  expect(report.error).toBeUndefined();
  const file = report.artifact!.sbom!.file;
  const json = fs.readFileSync(file, 'utf8');
  return { report, bom: readBom(file), json, log: written.join('') };
}

/** Builds twice from fresh copies of the sources: the SBOM is valid, the same bytes, and the zip's. */
async function buildTwice(makeSources: () => Promise<string>, inputs: Record<string, string>) {
  const first = await build(await makeSources(), inputs);
  const second = await build(await makeSources(), inputs);
  expect(await cycloneDxErrors(first.json)).toBeNull();
  expect(second.json).toBe(first.json);
  const zip = fs.readFileSync(first.report.artifact!.zipFile);
  expect(first.bom.metadata.component.hashes).toEqual([
    { alg: 'SHA-256', content: createHash('sha256').update(zip).digest('hex') },
  ]);
  expect(first.log).not.toContain('title=SBOM');
  return first;
}

/** `name@version` of every package the zip holds, as the package diff reads them from the zip. */
async function inTheZip(report: Report, family: Family): Promise<string[]> {
  const found = await packagesInZipFile(report.artifact!.zipFile, family);
  return found.map((p) => `${p.name}@${p.version}`).sort();
}

const normalise = (names: string[]): string[] =>
  names.map((n) => n.toLowerCase().replace(/[-_.]+(?=.*@)/g, '-')).sort();

describe('Python layer (python3.11 stand-in)', () => {
  const sources = async (): Promise<string> => {
    const dir = workspace({ 'layer/requirements.txt': 'greeting==1.0.0\nSpeedy_Ext==0.3\nplain==2.1\n' });
    const wheels = path.join(dir, 'layer', 'wheels');
    await makeWheel(wheels, {
      name: 'greeting',
      version: '1.0.0',
      files: { 'greeting/__init__.py': 'X = 1\n' },
      metadata: 'License-Expression: MIT OR Apache-2.0\n',
    });
    await makeWheel(wheels, {
      name: 'Speedy_Ext',
      version: '0.3',
      // A shared object that needs GLIBC_2.26: Amazon Linux 2 (python3.11) has it.
      files: { 'speedy/_core.so': fs.readFileSync(compile(SOURCES.glibc226)), 'speedy/__init__.py': '' },
      tag: 'cp311-cp311-manylinux_2_17_x86_64',
      metadata: 'License: BSD-3-Clause\n',
    });
    await makeWheel(wheels, { name: 'plain', version: '2.1', files: { 'plain.py': 'Y = 2\n' } });
    return dir;
  };

  it('lists every dist-info of the zip with its purl and licence, and the native file inside its package', async () => {
    const { report, bom } = await buildTwice(sources, {
      'layer-name': 'py-sbom',
      runtime: 'python3.11',
      'working-directory': 'layer',
      'install-args': '--no-index --find-links wheels',
    });
    expect(normalise(packagesOf(bom))).toEqual(normalise(await inTheZip(report, 'python')));
    expect(packagesOf(bom)).toEqual(['Speedy_Ext@0.3', 'greeting@1.0.0', 'plain@2.1']);
    const byName = Object.fromEntries(bom.components!.map((c) => [c.name, c]));
    expect(byName['Speedy_Ext']!.purl).toBe('pkg:pypi/speedy-ext@0.3');
    expect(licencesOf(byName['greeting']!)).toEqual(['MIT OR Apache-2.0']);
    expect(licencesOf(byName['Speedy_Ext']!)).toEqual(['BSD-3-Clause']);
    expect(licencesOf(byName['plain']!)).toEqual([]);
    const [native] = byName['Speedy_Ext']!.components!;
    expect(native!.name).toBe('python/lib/python3.11/site-packages/speedy/_core.so');
    expect(property(native!, 'lambda-layer-release:elf:glibc')).toEqual(['2.26']);
    expect(property(native!, 'lambda-layer-release:elf:machine')).toEqual(['x86_64']);
    expect(report.artifact!.sbom).toMatchObject({ packages: 3, licensed: 2, files: 0, skipped: 0 });
  });

  it('warns once for a package folder with broken metadata, never quoting it, and lists the rest', async () => {
    const secret = 'NOT-FOR-THE-LOG-41c9';
    const site = '"$LAYER_INSTALL_DIR"';
    const dir = workspace({ 'layer/requirements.txt': '' });
    const { report, bom, json, log } = await build(dir, {
      'layer-name': 'py-broken',
      runtime: 'python3.11',
      'working-directory': 'layer',
      'build-command': [
        `mkdir -p ${site}/good-1.0.dist-info ${site}/bad-2.0.dist-info ${site}/good`,
        `printf 'Metadata-Version: 2.1\\nName: good\\nVersion: 1.0\\nLicense-Expression: MIT\\n' > ${site}/good-1.0.dist-info/METADATA`,
        `printf 'X = 1\\n' > ${site}/good/__init__.py`,
        // The secret is never whole in the command, only in the file it writes.
        `printf 'Name: %s%s\\0\\n' ${secret.slice(0, 8)} ${secret.slice(8)} > ${site}/bad-2.0.dist-info/METADATA`,
      ].join('\n'),
    });
    expect(await cycloneDxErrors(json)).toBeNull();
    expect(packagesOf(bom)).toEqual(['bad@2.0', 'good@1.0']);
    const warnings = log.split('\n').filter((line) => line.startsWith('::warning title=SBOM'));
    expect(warnings).toEqual([
      '::warning title=SBOM::SBOM: skipped the metadata of python/lib/python3.11/site-packages/bad-2.0.dist-info: ' +
        'METADATA is not text (it holds NUL bytes). It is listed by its folder name.',
    ]);
    expect(log).not.toContain(secret);
    expect(json).not.toContain(secret);
    expect(report.artifact!.sbom).toMatchObject({ packages: 2, licensed: 1, skipped: 1 });
  });
});

describe('Node.js layer (nodejs20.x stand-in, packages from the npm registry)', () => {
  it('lists every package folder of node_modules, nested and scoped, as npm installed them', async () => {
    const manifest = { dependencies: { chalk: '4.1.2', '@sindresorhus/is': '4.6.0' } };
    const { report, bom } = await buildTwice(
      async () => workspace({ 'package.json': JSON.stringify(manifest) }),
      {
        'layer-name': 'node-sbom',
        runtime: 'nodejs20.x',
      },
    );
    // chalk 4 brings ansi-styles, supports-color, has-flag, color-convert and color-name.
    expect(packagesOf(bom)).toEqual(await inTheZip(report, 'nodejs'));
    expect(packagesOf(bom)).toHaveLength(7);
    expect(packagesOf(bom)).toEqual(expect.arrayContaining(['@sindresorhus/is@4.6.0', 'chalk@4.1.2']));
    const is = bom.components!.find((c) => c.name === 'is')!;
    expect(is).toMatchObject({ group: '@sindresorhus', purl: 'pkg:npm/%40sindresorhus/is@4.6.0' });
    expect(bom.components!.every((c) => licencesOf(c).join() === 'MIT')).toBe(true);
  });
});

describe('Java layer (java21 stand-in, Debian’s Maven repository)', () => {
  const settings =
    '<settings><mirrors><mirror><id>debian</id><mirrorOf>*</mirrorOf><url>file:///usr/share/maven-repo</url></mirror></mirrors></settings>\n';
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId><artifactId>text-layer</artifactId><version>1.0</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-text</artifactId><version>1.13.1</version></dependency>
  </dependencies>
  <build><pluginManagement><plugins>
    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
  </plugins></pluginManagement></build>
</project>
`;

  it('names each jar by its Maven coordinates, also one whose file name has no version', async () => {
    const { report, bom } = await buildTwice(
      async () => workspace({ 'layer/pom.xml': pom, 'layer/settings.xml': settings }),
      {
        'layer-name': 'java-sbom',
        runtime: 'java21',
        'working-directory': 'layer',
        'install-args': '--settings settings.xml --quiet',
      },
    );
    const jars = fs.readdirSync(path.join(report.artifact!.layerDir, 'java/lib')).sort();
    expect(jars).toEqual(['commons-lang3-debian.jar', 'commons-text-1.13.1.jar']);
    expect(packagesOf(bom)).toEqual([
      'org.apache.commons/commons-lang3@3.17.0',
      'org.apache.commons/commons-text@1.13.1',
    ]);
    expect(bom.components!.map((c) => c.purl)).toEqual([
      'pkg:maven/org.apache.commons/commons-lang3@3.17.0',
      'pkg:maven/org.apache.commons/commons-text@1.13.1',
    ]);
    for (const component of bom.components!) {
      const jar = path.join(report.artifact!.layerDir, property(component, 'lambda-layer-release:path')[0]!);
      expect(component.hashes).toEqual([
        { alg: 'SHA-256', content: createHash('sha256').update(fs.readFileSync(jar)).digest('hex') },
      ]);
    }
  });
});

describe('Ruby layer (ruby3.3 stand-in, gems built here)', () => {
  /** Real .gem files made with `gem build` in the stand-in build image, in `<dir>/layer/vendor/cache`. */
  function rubySources(): string {
    const dir = workspace({ 'layer/Gemfile': "source 'https://rubygems.org'\ngem 'greeter', '1.0.0'\n" });
    const work = path.join(dir, 'gems');
    const gems = [
      {
        name: 'greeter',
        version: '1.0.0',
        licence: 'MIT',
        dependency: '  s.add_dependency "shouty-text", "~> 2.0"\n',
      },
      { name: 'shouty-text', version: '2.1.0', licence: 'Apache-2.0', dependency: '' },
    ];
    for (const gem of gems) {
      fs.mkdirSync(path.join(work, gem.name, 'lib'), { recursive: true });
      fs.writeFileSync(path.join(work, gem.name, 'lib', `${gem.name}.rb`), 'module X; end\n');
      fs.writeFileSync(
        path.join(work, gem.name, `${gem.name}.gemspec`),
        `Gem::Specification.new do |s|\n  s.name = "${gem.name}"\n  s.version = "${gem.version}"\n  s.summary = "t"\n` +
          `  s.authors = ["tests"]\n  s.license = "${gem.licence}"\n  s.files = ["lib/${gem.name}.rb"]\n${gem.dependency}end\n`,
      );
    }
    fs.chmodSync(work, 0o777);
    const user = currentUser();
    const script = gems.map((g) => `(cd ${g.name} && gem build --quiet ${g.name}.gemspec)`).join(' && ');
    execFileSync('docker', [
      'run',
      '--rm',
      '--network',
      'none',
      ...(user ? ['--user', user] : []),
      '--env',
      'HOME=/tmp',
      '--mount',
      `type=bind,source=${work},target=/w`,
      '--workdir',
      '/w',
      standInBuildImage('ruby3.3'),
      'sh',
      '-c',
      script,
    ]);
    const cache = path.join(dir, 'layer/vendor/cache');
    fs.mkdirSync(cache, { recursive: true });
    for (const g of gems) {
      const file = `${g.name}-${g.version}.gem`;
      fs.copyFileSync(path.join(work, g.name, file), path.join(cache, file));
    }
    fs.rmSync(work, { recursive: true });
    return dir;
  }

  it('lists every installed gem from its gemspec, with its licence', async () => {
    const { report, bom } = await buildTwice(async () => rubySources(), {
      'layer-name': 'ruby-sbom',
      runtime: 'ruby3.3',
      'working-directory': 'layer',
      'install-args': '--local --quiet',
    });
    expect(packagesOf(bom)).toEqual(await inTheZip(report, 'ruby'));
    expect(packagesOf(bom)).toEqual(['greeter@1.0.0', 'shouty-text@2.1.0']);
    expect(bom.components!.map((c) => [c.purl, licencesOf(c)])).toEqual([
      ['pkg:gem/greeter@1.0.0', ['MIT']],
      ['pkg:gem/shouty-text@2.1.0', ['Apache-2.0']],
    ]);
  });
});

describe('zip-file layer', () => {
  let aws: AwsDouble;
  beforeAll(async () => {
    aws = await startAwsDouble({ controlPlaneRps: Infinity, getFunctionRps: Infinity });
  });
  afterAll(async () => aws.close());

  it('gets an SBOM of the given zip, uploaded next to it with s3-bucket', async () => {
    const dir = await workspaceWithZip({
      'python/six.py': 'X = 6\n',
      'python/six-1.17.0.dist-info/METADATA':
        'Metadata-Version: 2.1\nName: six\nVersion: 1.17.0\nLicense: MIT\n',
      'python/six-1.17.0.dist-info/RECORD': 'six.py,,\n',
    });
    aws.createBucket('us-east-1', 'artifacts');
    const report = await release(aws, dir, { 'layer-name': 'given-sbom', 's3-bucket': 'artifacts' });
    expect(report.error).toBeUndefined();
    const sbom = report.artifact!.sbom!;
    expect(sbom).toMatchObject({ packages: 1, licensed: 1 });
    const json = fs.readFileSync(sbom.file, 'utf8');
    expect(await cycloneDxErrors(json)).toBeNull();
    const bom = readBom(sbom.file);
    expect(packagesOf(bom)).toEqual(['six@1.17.0']);
    const given = createHash('sha256')
      .update(fs.readFileSync(path.join(dir, 'layer.zip')))
      .digest('hex');
    expect(bom.metadata.component.hashes).toEqual([{ alg: 'SHA-256', content: given }]);
    const key = `lambda-layer-release/given-sbom/${report.artifact!.contentHash}`;
    expect(aws.readObject('artifacts', `${key}.zip`)).toBeDefined();
    expect(aws.readObject('artifacts', `${key}.cdx.json`)!.toString('utf8')).toBe(json);
  });

  it('is the sbom output of node dist/index.js, and the post step removes it with the zip', async () => {
    const dir = await workspaceWithZip({ 'python/six.py': 'X = 6\n' });
    const run = startAction(dir, dir, {
      steps: 'build',
      'layer-name': 'post-sbom',
      runtime: 'python3.12',
      'zip-file': 'layer.zip',
    });
    const result = await run.done;
    expect(result.status, result.stdout).toBe(0);
    const { sbom, 'zip-file': zip } = result.outputs;
    expect(path.basename(sbom!)).toBe('post-sbom.cdx.json');
    expect(await cycloneDxErrors(fs.readFileSync(sbom!, 'utf8'))).toBeNull();
    expect(runPost(run.runnerTemp, run.state()).status).toBe(0);
    expect([fs.existsSync(sbom!), fs.existsSync(zip!)]).toEqual([false, false]);
  });
});
