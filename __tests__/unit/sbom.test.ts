/**
 * The bill of materials (src/sbom/) on layer trees made here: what each family's reader finds, how a
 * package folder with broken, huge or hostile metadata is skipped (one warning naming the folder, never
 * its contents, the rest kept), and the written CycloneDX 1.6 document: valid against the schema,
 * byte-identical for the same tree, its metadata component the layer.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { NativeFile } from '../../src/layer/native.js';
import { writeDeterministicZip } from '../../src/layer/zip.js';
import { renderComment, renderSummary, newReport } from '../../src/report/index.js';
import { findRuntime } from '../../src/runtimes/index.js';
import { takeInventory } from '../../src/sbom/inventory.js';
import { serialNumber, writeSbom } from '../../src/sbom/index.js';
import type { LayerArtifact } from '../../src/steps/build.js';
import { artifact as sampleArtifact } from '../support/report-cases.js';
import {
  cycloneDxErrors,
  licencesOf,
  makeJar,
  packagesOf,
  property,
  readBom,
  type CdxComponent,
} from '../support/sbom.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-sbom-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
let counter = 0;

function tree(files: Record<string, string | Buffer>): string {
  const dir = path.join(root, `tree-${++counter}`);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const SITE = 'python/lib/python3.12/site-packages';
const metadata = (name: string, version: string, extra = ''): string =>
  `Metadata-Version: 2.4\nName: ${name}\nVersion: ${version}\n${extra}\nThe description, which names no licence.\n`;

describe('Python packages', () => {
  it('reads each dist-info: name, version, licence (expression, License, classifiers) and the files RECORD lists', async () => {
    const dir = tree({
      [`${SITE}/numpy-2.2.6.dist-info/METADATA`]: metadata(
        'numpy',
        '2.2.6',
        'License-Expression: BSD-3-Clause AND 0BSD\n',
      ),
      [`${SITE}/numpy-2.2.6.dist-info/RECORD`]:
        'numpy/__init__.py,sha256=x,1\nnumpy/_core/_multiarray.so,sha256=y,2\n"numpy/odd,name.py",,\n',
      [`${SITE}/numpy/_core/_multiarray.so`]: 'ELF',
      [`${SITE}/PyYAML-6.0.2.dist-info/METADATA`]: metadata(
        'PyYAML',
        '6.0.2',
        'License: MIT\nClassifier: License :: OSI Approved :: MIT License\n',
      ),
      [`${SITE}/six-1.17.0.dist-info/METADATA`]: metadata(
        'six',
        '1.17.0',
        'License: Copyright (c) 2010 Benjamin\n        Permission is hereby granted\nClassifier: License :: OSI Approved :: MIT License\nClassifier: License :: OSI Approved :: BSD License\n',
      ),
      [`${SITE}/old_style-0.1.egg-info/PKG-INFO`]: metadata('old-style', '0.1', 'License: UNKNOWN\n'),
    });
    const native: NativeFile[] = [
      { path: `${SITE}/numpy/_core/_multiarray.so`, type: 'shared', machine: 'x86_64', glibc: '2.17' },
      { path: 'lib/libloose.so', type: 'shared', machine: 'x86_64' },
    ];
    fs.mkdirSync(path.join(dir, 'lib'));
    fs.writeFileSync(path.join(dir, 'lib/libloose.so'), 'loose');
    const inventory = await takeInventory('python', dir, [SITE], native);
    expect(inventory.skipped).toEqual([]);
    // In the order the folder lists them (byte order).
    expect(inventory.packages.map((p) => [p.name, p.version, p.licences])).toEqual([
      ['PyYAML', '6.0.2', ['MIT']],
      ['numpy', '2.2.6', ['BSD-3-Clause AND 0BSD']],
      ['old-style', '0.1', []],
      // A License field holding the licence's text names nothing: the classifiers do.
      ['six', '1.17.0', ['MIT', 'BSD License']],
    ]);
    expect(inventory.packages[1]!.native).toEqual([native[0]]);
    expect(inventory.files).toEqual([
      {
        path: 'lib/libloose.so',
        native: native[1],
        sha256: createHash('sha256').update('loose').digest('hex'),
      },
    ]);
  });

  it('lists one package once when it is installed for two Python versions', async () => {
    const other = 'python/lib/python3.13/site-packages';
    const dir = tree({
      [`${SITE}/numpy-2.2.6.dist-info/METADATA`]: metadata('numpy', '2.2.6'),
      [`${other}/numpy-2.2.6.dist-info/METADATA`]: metadata('numpy', '2.2.6'),
    });
    const inventory = await takeInventory('python', dir, [SITE, other], []);
    expect(inventory.packages).toHaveLength(1);
    expect(inventory.packages[0]!.paths).toEqual([
      `${SITE}/numpy-2.2.6.dist-info`,
      `${other}/numpy-2.2.6.dist-info`,
    ]);
  });
});

describe('Node.js packages', () => {
  it('reads every package folder: nested, scoped, pnpm’s store (not its links), each licence form', async () => {
    const modules = 'nodejs/node_modules';
    const dir = tree({
      [`${modules}/a/package.json`]: JSON.stringify({
        name: 'a',
        version: '1.0.0',
        license: 'MIT OR Apache-2.0',
      }),
      [`${modules}/a/node_modules/b/package.json`]: JSON.stringify({
        name: 'b',
        version: '0.1.0',
        license: { type: 'ISC' },
      }),
      [`${modules}/@types/node/package.json`]: JSON.stringify({
        name: '@types/node',
        version: '22.1.0',
        licenses: [{ type: 'MIT' }],
      }),
      [`${modules}/closed/package.json`]: JSON.stringify({
        name: 'closed',
        version: '1.0.0',
        license: 'SEE LICENSE IN LICENSE.md',
      }),
      [`${modules}/.pnpm/c@2.0.0/node_modules/c/package.json`]: JSON.stringify({
        name: 'c',
        version: '2.0.0',
        license: 'BSD-2-Clause',
      }),
      [`${modules}/.bin/a`]: '#!/bin/sh\n',
      [`${modules}/not-a-package/readme.txt`]: 'no package.json',
    });
    fs.symlinkSync('.pnpm/c@2.0.0/node_modules/c', path.join(dir, modules, 'c'));
    const inventory = await takeInventory('nodejs', dir, [modules], []);
    expect(inventory.skipped).toEqual([]);
    expect(inventory.packages.map((p) => [p.group ?? '', p.name, p.version, p.licences, p.path])).toEqual([
      ['', 'c', '2.0.0', ['BSD-2-Clause'], `${modules}/.pnpm/c@2.0.0/node_modules/c`],
      ['@types', 'node', '22.1.0', ['MIT'], `${modules}/@types/node`],
      ['', 'a', '1.0.0', ['MIT OR Apache-2.0'], `${modules}/a`],
      ['', 'b', '0.1.0', ['ISC'], `${modules}/a/node_modules/b`],
      ['', 'closed', '1.0.0', [], `${modules}/closed`],
    ]);
  });
});

describe('Ruby gems', () => {
  it('reads the gemspec stubs as text: name, version, platform, licences; native extensions in the gem folders', async () => {
    const gems = 'ruby/gems/3.3.0';
    const stub = (name: string, version: string, extra = ''): string =>
      `# -*- encoding: utf-8 -*-\n# stub: ${name} ${version} ruby lib\n\nGem::Specification.new do |s|\n  s.name = "${name}".freeze\n  s.version = "${version}".freeze\n${extra}  s.summary = "x".freeze\nend\n`;
    const dir = tree({
      [`${gems}/specifications/rack-3.1.8.gemspec`]: stub('rack', '3.1.8', '  s.licenses = ["MIT".freeze]\n'),
      [`${gems}/specifications/nokogiri-1.18.1-x86_64-linux-gnu.gemspec`]: stub(
        'nokogiri',
        '1.18.1',
        '  s.platform = "x86_64-linux-gnu".freeze\n  s.licenses = ["MIT".freeze, "Apache-2.0".freeze]\n',
      ),
      [`${gems}/gems/nokogiri-1.18.1-x86_64-linux-gnu/lib/nokogiri/3.3/nokogiri.so`]: 'ELF',
      [`${gems}/extensions/x86_64-linux/3.3.0/bcrypt-3.1.20/bcrypt_ext.so`]: 'ELF',
      [`${gems}/specifications/bcrypt-3.1.20.gemspec`]: stub(
        'bcrypt',
        '3.1.20',
        '  s.license = "MIT".freeze\n',
      ),
    });
    const native: NativeFile[] = [
      {
        path: `${gems}/extensions/x86_64-linux/3.3.0/bcrypt-3.1.20/bcrypt_ext.so`,
        type: 'shared',
        machine: 'x86_64',
      },
      {
        path: `${gems}/gems/nokogiri-1.18.1-x86_64-linux-gnu/lib/nokogiri/3.3/nokogiri.so`,
        type: 'shared',
        machine: 'x86_64',
      },
    ];
    const inventory = await takeInventory('ruby', dir, [gems], native);
    expect(inventory.skipped).toEqual([]);
    expect(inventory.files).toEqual([]);
    expect(
      inventory.packages.map((p) => [p.name, p.version, p.qualifiers, p.licences, p.native.length]),
    ).toEqual([
      ['bcrypt', '3.1.20', undefined, ['MIT'], 1],
      ['nokogiri', '1.18.1', { platform: 'x86_64-linux-gnu' }, ['MIT', 'Apache-2.0'], 1],
      ['rack', '3.1.8', undefined, ['MIT'], 0],
    ]);
  });
});

describe('Java packages', () => {
  it('names each jar by its Maven metadata, licenses it by Bundle-License or pom.xml, lists what a shaded jar bundles', async () => {
    const dir = tree({});
    const lib = path.join(dir, 'java/lib');
    fs.mkdirSync(lib, { recursive: true });
    const pomProperties = (group: string, artifact: string, version: string): string =>
      `#Generated by Maven\ngroupId=${group}\nartifactId=${artifact}\nversion=${version}\n`;
    await makeJar(path.join(lib, 'commons-text-1.13.1.jar'), {
      'META-INF/MANIFEST.MF':
        'Manifest-Version: 1.0\nBundle-License: https://www.apache.org/licenses/LICENSE-2.0.t\n xt\nBundle-SymbolicName: org.apache.commons.commons-text\n',
      'META-INF/maven/org.apache.commons/commons-text/pom.properties': pomProperties(
        'org.apache.commons',
        'commons-text',
        '1.13.1',
      ),
    });
    await makeJar(path.join(lib, 'app-all-2.0.jar'), {
      'META-INF/maven/com.example/app-all/pom.properties': pomProperties('com.example', 'app-all', '2.0'),
      'META-INF/maven/com.example/app-all/pom.xml':
        '<project><licenses><license><name>The MIT License</name><url>https://opensource.org/licenses/MIT</url></license></licenses></project>',
      'META-INF/maven/com.google.code.gson/gson/pom.properties': pomProperties(
        'com.google.code.gson',
        'gson',
        '2.11.0',
      ),
    });
    await makeJar(path.join(lib, 'plain-3.2.jar'), { 'plain/Plain.class': 'x' });
    const inventory = await takeInventory('java', dir, ['java/lib'], []);
    expect(inventory.skipped).toEqual([]);
    expect(
      inventory.packages.map((p) => [
        p.group,
        p.name,
        p.version,
        p.licences,
        p.bundled?.map((b) => `${b.group}:${b.name}:${b.version}`),
      ]),
    ).toEqual([
      ['com.example', 'app-all', '2.0', ['MIT'], ['com.google.code.gson:gson:2.11.0']],
      ['org.apache.commons', 'commons-text', '1.13.1', ['Apache-2.0'], undefined],
      [undefined, 'plain', '3.2', [], undefined],
    ]);
    const jar = fs.readFileSync(path.join(lib, 'plain-3.2.jar'));
    expect(inventory.packages[2]!.sha256).toBe(createHash('sha256').update(jar).digest('hex'));
  });
});

describe('broken, huge or hostile metadata', () => {
  it('skips each bad metadata file with its reason, names the package by its folder, keeps every other package', async () => {
    const modules = 'nodejs/node_modules';
    const secret = 'SECRET-CONTENT-7f3a';
    const dir = tree({
      [`${modules}/good/package.json`]: JSON.stringify({ name: 'good', version: '1.0.0', license: 'MIT' }),
      [`${modules}/not-json/package.json`]: `{ "name": "${secret}" `,
      [`${modules}/huge/package.json`]: `{"name":"huge","description":"${'x'.repeat(2 * 1024 * 1024)}"}`,
      [`${modules}/latin1/package.json`]: Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]),
      [`${modules}/hostile-name/package.json`]: JSON.stringify({
        name: `x\n::error::${secret}`,
        version: '1.0.0',
      }),
      [`${modules}/object-version/package.json`]: JSON.stringify({
        name: 'object-version',
        version: { secret },
      }),
      [`${modules}/array/package.json`]: JSON.stringify([secret]),
      [`${SITE}/ok-1.0.dist-info/METADATA`]: metadata('ok', '1.0'),
    });
    fs.mkdirSync(path.join(dir, modules, 'folder-json/package.json'), { recursive: true });
    const inventory = await takeInventory('nodejs', dir, [modules], []);
    expect(inventory.skipped).toEqual([
      { folder: `${modules}/array`, reason: 'package.json is not a JSON object' },
      { folder: `${modules}/folder-json`, reason: 'package.json is not a file' },
      { folder: `${modules}/hostile-name`, reason: 'its name holds control characters' },
      { folder: `${modules}/huge`, reason: 'package.json is larger than 1 MiB' },
      { folder: `${modules}/latin1`, reason: 'package.json is not UTF-8 text' },
      { folder: `${modules}/not-json`, reason: 'package.json is not valid JSON' },
      { folder: `${modules}/object-version`, reason: 'its version is not a string' },
    ]);
    expect(inventory.packages.map((p) => `${p.name}@${p.version ?? ''}`)).toEqual([
      'array@',
      'folder-json@',
      'good@1.0.0',
      'hostile-name@',
      'huge@',
      'latin1@',
      'not-json@',
      'object-version@',
    ]);
    expect(JSON.stringify(inventory)).not.toContain(secret);

    const python = tree({
      [`${SITE}/ok-1.0.dist-info/METADATA`]: metadata('ok', '1.0'),
      [`${SITE}/nul-2.0.dist-info/METADATA`]: `Name: nul\u0000${secret}\n`,
      [`${SITE}/noname-3.0.dist-info/METADATA`]: 'Version: 3.0\n',
      [`${SITE}/garbage-4.0.dist-info/METADATA`]: `${secret}\n`,
      [`${SITE}/missing-5.0.dist-info/RECORD`]: '',
    });
    const py = await takeInventory('python', python, [SITE], []);
    expect(py.skipped.map((s) => [s.folder.split('/').at(-1), s.reason])).toEqual([
      ['garbage-4.0.dist-info', 'its header is not in the core metadata format'],
      ['missing-5.0.dist-info', 'METADATA is missing'],
      ['noname-3.0.dist-info', 'it has no Name'],
      ['nul-2.0.dist-info', 'METADATA is not text (it holds NUL bytes)'],
    ]);
    expect(py.packages.map((p) => `${p.name}==${p.version}`)).toEqual([
      'garbage==4.0',
      'missing==5.0',
      'noname==3.0',
      'nul==2.0',
      'ok==1.0',
    ]);
    expect(JSON.stringify(py)).not.toContain(secret);

    const java = tree({
      'java/lib/broken-1.2.jar': 'not a zip',
      'ruby/gems/3.3.0/specifications/bad-0.1.gemspec': `${secret}\n`,
    });
    const jars = await takeInventory('java', java, ['java/lib'], []);
    expect(jars.skipped).toEqual([
      { folder: 'java/lib/broken-1.2.jar', reason: 'the jar is not a zip file' },
    ]);
    expect(jars.packages.map((p) => `${p.name}:${p.version}`)).toEqual(['broken:1.2']);
    const gems = await takeInventory('ruby', java, ['ruby/gems/3.3.0'], []);
    expect(gems.skipped).toEqual([
      { folder: 'ruby/gems/3.3.0/specifications/bad-0.1.gemspec', reason: 'its gemspec has no name' },
    ]);
    expect(gems.packages.map((p) => `${p.name}-${p.version}`)).toEqual(['bad-0.1']);
  });
});

/** Writes a zip of `dir` and the SBOM beside it, as the build step does; returns the artifact. */
async function built(dir: string, runtime = 'python3.12', native: NativeFile[] = []) {
  const zipFile = path.join(path.dirname(dir), `${path.basename(dir)}.zip`);
  const zip = await writeDeterministicZip(dir, zipFile);
  const modulePaths = findRuntime(runtime)!.modulePaths.filter((m) => fs.existsSync(path.join(dir, m)));
  const artifact = {
    zipFile,
    layerDir: dir,
    layout: { modulePaths },
    nativeFiles: native,
    codeSha256: zip.codeSha256,
    contentHash: createHash('sha256').update(zip.treeHash).digest('hex'),
  };
  const layer = {
    layerName: 'my-layer',
    runtime: findRuntime(runtime)!,
    compatibleRuntimes: [runtime, 'python3.13'].filter((r) => r.startsWith(runtime.slice(0, 4))),
    architecture: 'x86_64',
    licenseInfo: 'Apache-2.0',
  };
  return { artifact, layer, zip };
}

describe('the written SBOM', () => {
  it('is valid CycloneDX 1.6, the same bytes for the same tree, and describes the layer by its zip', async () => {
    const files = {
      [`${SITE}/numpy-2.2.6.dist-info/METADATA`]: metadata(
        'numpy',
        '2.2.6',
        'License-Expression: BSD-3-Clause\n',
      ),
      [`${SITE}/numpy-2.2.6.dist-info/RECORD`]: 'numpy/core.so,,\n',
      [`${SITE}/numpy/core.so`]: 'ELF',
      [`${SITE}/requests-2.32.3.dist-info/METADATA`]: metadata('requests', '2.32.3', 'License: Apache 2.0\n'),
      [`${SITE}/bad-1.0.dist-info/METADATA`]: Buffer.from([0xff, 0xfe, 0x00]),
    };
    const native: NativeFile[] = [
      { path: `${SITE}/numpy/core.so`, type: 'shared', machine: 'x86_64', glibc: '2.17' },
    ];
    const first = await built(tree(files), 'python3.12', native);
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const summary = await writeSbom(first.layer, first.artifact);
    const second = await built(tree(files), 'python3.12', native);
    const again = await writeSbom(second.layer, second.artifact);
    vi.restoreAllMocks();

    expect(summary).toEqual({
      file: first.zip.file.replace(/\.zip$/, '.cdx.json'),
      format: 'CycloneDX 1.6',
      packages: 3,
      licensed: 2,
      licences: [
        { licence: 'Apache 2.0', packages: 1 },
        { licence: 'BSD-3-Clause', packages: 1 },
      ],
      files: 0,
      skipped: 1,
    });
    const json = fs.readFileSync(summary!.file, 'utf8');
    expect(fs.readFileSync(again!.file, 'utf8')).toBe(json);
    expect(await cycloneDxErrors(json)).toBeNull();

    const bom = readBom(summary!.file);
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
    expect(bom.metadata.timestamp).toBeUndefined();
    const zipSha256 = Buffer.from(first.artifact.codeSha256, 'base64').toString('hex');
    expect(bom.serialNumber).toBe(serialNumber(first.artifact.contentHash, zipSha256));
    expect(bom.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const layer = bom.metadata.component;
    expect(layer).toMatchObject({
      type: 'library',
      name: 'my-layer',
      hashes: [{ alg: 'SHA-256', content: zipSha256 }],
    });
    expect(createHash('sha256').update(fs.readFileSync(first.artifact.zipFile)).digest('hex')).toBe(
      zipSha256,
    );
    expect(licencesOf(layer)).toEqual(['Apache-2.0']);
    expect(property(layer, 'lambda-layer-release:compatible-runtime')).toEqual(['python3.12', 'python3.13']);
    expect(property(layer, 'lambda-layer-release:compatible-architecture')).toEqual(['x86_64']);
    expect(property(layer, 'lambda-layer-release:code-sha256')).toEqual([first.artifact.codeSha256]);
    expect(bom.metadata.tools.components.map((c) => c.name)).toEqual(['lambda-layer-release']);

    expect(packagesOf(bom)).toEqual(['bad@1.0', 'numpy@2.2.6', 'requests@2.32.3']);
    const numpy = bom.components!.find((c) => c.name === 'numpy')!;
    expect(numpy).toMatchObject({ purl: 'pkg:pypi/numpy@2.2.6', 'bom-ref': 'pkg:pypi/numpy@2.2.6' });
    expect(licencesOf(numpy)).toEqual(['BSD-3-Clause']);
    expect(
      numpy.components!.map((c: CdxComponent) => [
        c.type,
        c.name,
        property(c, 'lambda-layer-release:elf:glibc'),
      ]),
    ).toEqual([['file', `${SITE}/numpy/core.so`, ['2.17']]]);
    expect(bom.dependencies!.find((d) => d.ref === layer['bom-ref'])!.dependsOn).toHaveLength(3);

    // One warning for the bad folder, naming it, never quoting the file.
    const warnings = written.filter((line) => line.startsWith('::warning'));
    expect(warnings).toHaveLength(2); // one per build
    expect(warnings[0]).toContain(`${SITE}/bad-1.0.dist-info: METADATA is not UTF-8 text`);
  });

  it('is the same bytes whatever the runner’s locale sorts by', async () => {
    // Danish sorts "aab" after "zeta"; here every localeCompare answers the other way round.
    const files = Object.fromEntries(
      ['aab', 'ab', 'Zed', 'zeta', 'a-b', 'a_c'].map((name, i) => [
        `${SITE}/${name}-1.${i}.dist-info/METADATA`,
        metadata(name, `1.${i}`, 'License: MIT\nClassifier: License :: OSI Approved :: BSD License\n'),
      ]),
    );
    const { artifact, layer } = await built(tree(files));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const plain = fs.readFileSync((await writeSbom(layer, artifact))!.file, 'utf8');
    const localeCompare = String.prototype.localeCompare;
    String.prototype.localeCompare = function (this: string, other: string) {
      return -localeCompare.call(this, other);
    } as typeof localeCompare;
    try {
      const reversed = fs.readFileSync((await writeSbom(layer, artifact))!.file, 'utf8');
      expect(reversed).toBe(plain);
    } finally {
      String.prototype.localeCompare = localeCompare;
      vi.restoreAllMocks();
    }
    // In code-point order of their package URLs (pip's names are lower case there).
    const names = readBom(artifact.zipFile.replace(/\.zip$/, '.cdx.json')).components!.map((c) => c.name);
    expect(names).toEqual(['a-b', 'a_c', 'aab', 'ab', 'Zed', 'zeta']);
  });

  it('lists a custom runtime’s executables and native files as files with their SHA-256', async () => {
    const dir = tree({
      bootstrap: '#!/bin/sh\nexec /opt/bin/server\n',
      'bin/server': 'ELF-bytes',
      'lib/libgreet.so': 'ELF-lib',
    });
    const native: NativeFile[] = [
      { path: 'bin/server', type: 'executable', machine: 'arm64', glibc: '2.34' },
      { path: 'lib/libgreet.so', type: 'shared', machine: 'arm64' },
    ];
    const { artifact, layer } = await built(dir, 'provided.al2023', native);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const summary = await writeSbom(layer, artifact);
    vi.restoreAllMocks();
    expect(summary).toMatchObject({ packages: 0, files: 3, skipped: 0 });
    const json = fs.readFileSync(summary!.file, 'utf8');
    expect(await cycloneDxErrors(json)).toBeNull();
    const files = readBom(summary!.file).components!;
    const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
    expect(
      files.map((c) => [
        c.type,
        c.name,
        c.hashes?.[0]?.content,
        property(c, 'lambda-layer-release:elf:machine'),
      ]),
    ).toEqual([
      ['file', 'bin/server', sha('ELF-bytes'), ['arm64']],
      ['file', 'bootstrap', sha('#!/bin/sh\nexec /opt/bin/server\n'), []],
      ['file', 'lib/libgreet.so', sha('ELF-lib'), ['arm64']],
    ]);
  });

  it('is a warning, not a failure, when it cannot be written', async () => {
    const dir = tree({ [`${SITE}/ok-1.0.dist-info/METADATA`]: metadata('ok', '1.0') });
    const { artifact, layer } = await built(dir);
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const summary = await writeSbom(layer, {
      ...artifact,
      zipFile: path.join(root, 'no-such-folder', 'x.zip'),
    });
    vi.restoreAllMocks();
    expect(summary).toBeUndefined();
    expect(written.join('')).toContain('::warning title=SBOM::No SBOM was written');
  });
});

describe('the SBOM in the report', () => {
  it('puts a line in the job summary and the count in the comment’s details', () => {
    const report = newReport();
    report.layerName = 'ds-layer';
    report.artifact = sampleArtifact() as LayerArtifact;
    const summary = renderSummary(report);
    expect(summary).toContain(
      '**SBOM** (CycloneDX 1.6, `layer.cdx.json`): 7 packages, 6 with a licence (BSD-3-Clause 3, Apache-2.0 1, Apache-2.0 OR BSD-3-Clause 1, MIT 1), 1 without one.',
    );
    const comment = renderComment(report);
    expect(comment).toContain('| SBOM | 7 packages, 1 without a licence (CycloneDX 1.6) |');
    expect(comment).not.toContain('**SBOM**');
  });
});
