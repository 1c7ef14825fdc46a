/**
 * One real layer per family beyond the first two (Java with Maven and Gradle, Ruby, a custom
 * runtime), arm64 under emulation, cross-install and trim: each built in a stand-in build image and
 * smoke-tested in a stand-in runtime image (scripts/stand-in-images.sh). No registry is reachable:
 * Java resolves from Debian's Maven repository, gems and wheels are made by the tests.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentUser } from '../../src/docker.js';
import { extractZip } from '../../src/layer/zip.js';
import type { Report } from '../../src/report/index.js';
import { LAYER_SMOKE_CLASS } from '../../src/smoke/java-smoke-class.js';
import { runInProcess as release, workspace } from '../support/release.js';
import { standInBuildImage, standInRuntimeImage } from '../support/images.js';
import { makeWheel, type WheelSpec } from '../support/wheels.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-runtimes-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
beforeEach(() => vi.unstubAllEnvs());

const results = (report: Report): [string, boolean][] =>
  report.smoke!.imports.map((result) => [result.module, result.ok]);

function hasImage(image: string): boolean {
  try {
    execFileSync('docker', ['image', 'inspect', image], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a command in a stand-in image as this user, with `dir` mounted at /w. */
function inImage(image: string, dir: string, command: string[]): string {
  const user = currentUser();
  return execFileSync(
    'docker',
    [
      'run',
      '--rm',
      '--network',
      'none',
      ...(user ? ['--user', user] : []),
      '--env',
      'HOME=/tmp',
      '--mount',
      `type=bind,source=${dir},target=/w`,
      '--workdir',
      '/w',
      image,
      ...command,
    ],
    { encoding: 'utf8' },
  );
}

describe('Java layer (java21 stand-in: Debian 13, OpenJDK 21, Maven 3.9, Gradle 4.4)', () => {
  // Maven Central is out of reach: Debian's packaged jars form a Maven repository, which the
  // settings file mirrors every repository to. The plugin version is pinned to the one Debian has.
  const settings = `<settings>
  <mirrors>
    <mirror><id>debian</id><mirrorOf>*</mirrorOf><url>file:///usr/share/maven-repo</url></mirror>
  </mirrors>
</settings>
`;
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>text-layer</artifactId>
  <version>1.0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.commons</groupId>
      <artifactId>commons-text</artifactId>
      <version>1.13.1</version>
    </dependency>
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>maven-dependency-plugin</artifactId>
          <version>3.8.1</version>
        </plugin>
      </plugins>
    </pluginManagement>
  </build>
</project>
`;
  const javaInputs = {
    'layer-name': 'java-deps',
    runtime: 'java21',
    'working-directory': 'layer',
    'install-args': '--settings settings.xml --quiet',
  };

  it('copies the runtime dependencies into java/lib with Maven and loads a class from every jar', async () => {
    const dir = workspace({ 'layer/pom.xml': pom, 'layer/settings.xml': settings });
    const report = await release(dir, javaInputs);
    expect(report.error).toBeUndefined();
    expect(report.artifact!.layout.modulePaths).toEqual(['java/lib']);
    // Debian's commons-text depends on its commons-lang3 by the version "debian"; the jar's own
    // Maven metadata says which one it is.
    expect(report.artifact!.packages.map((p) => `${p.name}:${p.version}`)).toEqual([
      'commons-lang3:3.17.0',
      'commons-text:1.13.1',
    ]);
    expect(results(report)).toEqual([
      ['commons-lang3-debian.jar', true],
      ['commons-text-1.13.1.jar', true],
    ]);
    expect(report.smoke!.imports[1]!.detail).toMatch(/^org\.apache\.commons\.text\.\w+$/);
    // Maven wrote nothing into the read-only sources.
    expect(fs.readdirSync(path.join(dir, 'layer')).sort()).toEqual(['pom.xml', 'settings.xml']);
  });

  it('builds with Gradle when the manifest is a build.gradle', async () => {
    const dir = workspace({
      'layer/build.gradle': [
        "apply plugin: 'java'",
        "repositories { maven { url 'file:///usr/share/maven-repo' } }",
        "dependencies { implementation 'org.apache.commons:commons-text:1.13.1' }",
        '',
      ].join('\n'),
    });
    const report = await release(dir, {
      ...javaInputs,
      manifest: 'build.gradle',
      'install-args': '--offline --quiet',
    });
    expect(report.error).toBeUndefined();
    expect(results(report)).toEqual([
      ['commons-lang3-debian.jar', true],
      ['commons-text-1.13.1.jar', true],
    ]);
    expect(fs.readdirSync(path.join(dir, 'layer'))).toEqual(['build.gradle']);
  });

  it('fails the smoke test for a class that is not there and for a jar that is not a zip', async () => {
    const missing = await release(workspace({ 'layer/pom.xml': pom, 'layer/settings.xml': settings }), {
      ...javaInputs,
      'smoke-imports': 'org.apache.commons.text.StringSubstitutor com.example.Missing',
    });
    expect(missing.error).toMatch(
      /1 of 2 imports failed:\n {2}com.example.Missing: java.lang.ClassNotFoundException: com.example.Missing/,
    );
    const corrupt = await release(workspace({ 'layer/x': '' }), {
      ...javaInputs,
      'install-args': '',
      'build-command':
        'mkdir -p "$LAYER_INSTALL_DIR" && printf "not a zip" > "$LAYER_INSTALL_DIR/broken-1.0.jar"',
    });
    expect(corrupt.error).toMatch(/broken-1.0.jar: java.util.zip.ZipException/);
  });

  it('ships the class file that LayerSmoke.java compiles to (javac --release 8)', () => {
    const out = fs.mkdtempSync(path.join(root, 'javac-'));
    fs.chmodSync(out, 0o777);
    fs.copyFileSync(
      path.resolve(import.meta.dirname, '../../src/smoke/LayerSmoke.java'),
      path.join(out, 'LayerSmoke.java'),
    );
    inImage(standInBuildImage('java21'), out, [
      'javac',
      '--release',
      '8',
      '-Xlint:-options',
      '-encoding',
      'UTF-8',
      '-d',
      '/w/classes',
      '/w/LayerSmoke.java',
    ]);
    const compiled = fs.readFileSync(path.join(out, 'classes', 'LayerSmoke.class'));
    expect(compiled.equals(Buffer.from(LAYER_SMOKE_CLASS)), 'run scripts/java-smoke-class.sh').toBe(true);
  });
});

describe('Ruby layer (ruby3.3 stand-in: Debian 13, Ruby 3.3, Bundler 2.6)', () => {
  interface GemSpec {
    readonly name: string;
    readonly version: string;
    readonly files: Record<string, string>;
    readonly dependencies?: Record<string, string>;
  }

  /** Builds real .gem files with `gem build` in the stand-in build image, into `<dir>/vendor/cache`. */
  function makeGems(dir: string, gems: readonly GemSpec[]): void {
    const work = fs.mkdtempSync(path.join(root, 'gems-'));
    for (const gem of gems) {
      const gemDir = path.join(work, gem.name);
      for (const [file, content] of Object.entries(gem.files)) {
        fs.mkdirSync(path.dirname(path.join(gemDir, file)), { recursive: true });
        fs.writeFileSync(path.join(gemDir, file), content);
      }
      const dependencies = Object.entries(gem.dependencies ?? {})
        .map(
          ([name, requirement]) =>
            `  s.add_dependency ${JSON.stringify(name)}, ${JSON.stringify(requirement)}\n`,
        )
        .join('');
      fs.writeFileSync(
        path.join(gemDir, `${gem.name}.gemspec`),
        `Gem::Specification.new do |s|\n  s.name = ${JSON.stringify(gem.name)}\n  s.version = ${JSON.stringify(gem.version)}\n` +
          `  s.summary = "test gem"\n  s.authors = ["tests"]\n  s.license = "MIT"\n` +
          `  s.files = ${JSON.stringify(Object.keys(gem.files))}\n${dependencies}end\n`,
      );
    }
    fs.chmodSync(work, 0o777);
    const script = gems
      .map((gem) => `(cd ${gem.name} && gem build --quiet ${gem.name}.gemspec)`)
      .join(' && ');
    inImage(standInBuildImage('ruby3.3'), work, ['sh', '-c', script]);
    const cache = path.join(dir, 'vendor', 'cache');
    fs.mkdirSync(cache, { recursive: true });
    for (const gem of gems) {
      const file = `${gem.name}-${gem.version}.gem`;
      fs.copyFileSync(path.join(work, gem.name, file), path.join(cache, file));
    }
  }

  const GREETER: GemSpec = {
    name: 'greeter',
    version: '1.0.0',
    files: {
      'lib/greeter.rb': "require 'shouty/text'\nmodule Greeter\n  def self.hi = Shouty::Text.up('hi')\nend\n",
    },
    dependencies: { 'shouty-text': '~> 2.0' },
  };
  // Required as shouty/text, as Bundler.require would.
  const SHOUTY: GemSpec = {
    name: 'shouty-text',
    version: '2.1.0',
    files: {
      'lib/shouty/text.rb': 'module Shouty\n  module Text\n    def self.up(s) = s.upcase\n  end\nend\n',
    },
  };

  function rubyWorkspace(gemfile: string, gems: readonly GemSpec[]): string {
    const dir = workspace({ 'layer/Gemfile': gemfile });
    makeGems(path.join(dir, 'layer'), gems);
    return dir;
  }

  const rubyInputs = {
    'layer-name': 'ruby-deps',
    runtime: 'ruby3.3',
    'working-directory': 'layer',
    // The gems come from the sources' vendor/cache, as after `bundle cache`.
    'install-args': '--local --quiet',
  };
  const GEMFILE = "source 'https://rubygems.org'\ngem 'greeter', '1.0.0'\ngem 'shouty-text'\n";

  it('installs the Gemfile into ruby/gems/3.3.0 and requires each of its gems with Lambda’s GEM_PATH', async () => {
    const dir = rubyWorkspace(GEMFILE, [GREETER, SHOUTY]);
    const report = await release(dir, rubyInputs);
    expect(report.error).toBeUndefined();
    expect(report.artifact!.layout.modulePaths).toEqual(['ruby/gems/3.3.0']);
    expect(report.artifact!.packages).toEqual([
      { name: 'greeter', version: '1.0.0', imports: ['greeter'] },
      { name: 'shouty-text', version: '2.1.0', imports: ['shouty-text'] },
    ]);
    expect(results(report)).toEqual([
      ['greeter', true],
      ['shouty-text', true],
    ]);
    const gems = path.join(report.artifact!.layerDir, 'ruby/gems/3.3.0');
    expect(fs.readdirSync(path.join(gems, 'specifications')).sort()).toEqual([
      'greeter-1.0.0.gemspec',
      'shouty-text-2.1.0.gemspec',
    ]);
    expect(fs.existsSync(path.join(report.artifact!.layerDir, 'ruby/Gemfile.lock'))).toBe(true);
    // The sources stay as they were: no Gemfile.lock, no .bundle, vendor/cache untouched.
    expect(fs.readdirSync(path.join(dir, 'layer')).sort()).toEqual(['Gemfile', 'vendor']);
    expect(fs.readdirSync(path.join(dir, 'layer/vendor/cache')).sort()).toEqual([
      'greeter-1.0.0.gem',
      'shouty-text-2.1.0.gem',
    ]);
  });

  it('installs exactly the Gemfile.lock when there is one, and trims the gem cache', async () => {
    const first = await release(rubyWorkspace(GEMFILE, [GREETER, SHOUTY]), rubyInputs);
    expect(first.error).toBeUndefined();
    const dir = rubyWorkspace(GEMFILE, [GREETER, SHOUTY]);
    fs.copyFileSync(
      path.join(first.artifact!.layerDir, 'ruby/Gemfile.lock'),
      path.join(dir, 'layer/Gemfile.lock'),
    );
    const report = await release(dir, { ...rubyInputs, trim: 'true' });
    expect(report.error).toBeUndefined();
    expect(fs.readFileSync(path.join(report.artifact!.layerDir, 'ruby/Gemfile.lock'), 'utf8')).toBe(
      fs.readFileSync(path.join(dir, 'layer/Gemfile.lock'), 'utf8'),
    );
    expect(fs.existsSync(path.join(report.artifact!.layerDir, 'ruby/gems/3.3.0/cache'))).toBe(false);
    expect(report.artifact!.trim!.byRule['gem cache and docs']).toBeGreaterThan(0);
    expect(report.artifact!.unzippedSize).toBeLessThan(first.artifact!.unzippedSize);
    expect(results(report).every(([, ok]) => ok)).toBe(true);
  });

  it('fails the smoke test for a gem that raises when required', async () => {
    const exploder: GemSpec = {
      name: 'exploder',
      version: '0.1.0',
      files: { 'lib/exploder.rb': "raise 'boom'\n" },
    };
    const report = await release(
      rubyWorkspace(`${GEMFILE}gem 'exploder'\n`, [GREETER, SHOUTY, exploder]),
      rubyInputs,
    );
    expect(report.error).toMatch(/1 of 3 imports failed:\n {2}exploder: RuntimeError: boom/);
  });
});

describe('custom runtime (provided.al2023 stand-in: Debian 12 with gcc and make)', () => {
  const sources = {
    'runtime/Makefile': [
      'layer:',
      '\tmkdir -p $(ARTIFACTS_DIR)/bin $(ARTIFACTS_DIR)/lib',
      '\tgcc -g -O0 -shared -fPIC -o $(ARTIFACTS_DIR)/lib/libgreet.so greet.c',
      '\tgcc -g -O0 -o $(ARTIFACTS_DIR)/bin/bootstrap main.c -L$(ARTIFACTS_DIR)/lib -lgreet',
      '\tinstall -m 755 start.sh $(ARTIFACTS_DIR)/bootstrap',
      '',
    ].join('\n'),
    'runtime/greet.c': 'const char *greet(void) { return "hello"; }\n',
    'runtime/main.c':
      '#include <stdio.h>\nconst char *greet(void);\nint main(void) { puts(greet()); return 0; }\n',
    // What Lambda starts (/opt/bootstrap) hands over to the compiled runtime.
    'runtime/start.sh': '#!/bin/sh\nexec /opt/bin/bootstrap "$@"\n',
  };
  const providedInputs = {
    'layer-name': 'custom-runtime',
    runtime: 'provided.al2023',
    'working-directory': 'runtime',
  };

  it('builds bin/bootstrap and lib/ with make, keeps the executable bits, and resolves the libraries with ldd', async () => {
    const report = await release(workspace(sources), providedInputs);
    expect(report.error).toBeUndefined();
    expect(report.artifact!.layout.modulePaths).toEqual(['bin', 'lib']);
    expect(results(report)).toEqual([
      ['bin/bootstrap', true],
      ['bootstrap', true],
    ]);
    expect(report.smoke!.imports.map((r) => r.detail)).toEqual([
      'ELF x86_64, libraries resolve',
      'script for /bin/sh',
    ]);
    const opt = path.join(workspace(), 'opt');
    await extractZip(report.artifact!.zipFile, opt);
    expect(fs.statSync(path.join(opt, 'bin/bootstrap')).mode & 0o777).toBe(0o755);
    expect(fs.statSync(path.join(opt, 'bootstrap')).mode & 0o777).toBe(0o755);
  });

  it('strips the debug symbols of lib/*.so with trim, reports the bytes saved, and still passes', async () => {
    const plain = await release(workspace(sources), providedInputs);
    const report = await release(workspace(sources), { ...providedInputs, trim: 'true' });
    expect(report.error).toBeUndefined();
    expect(report.artifact!.trim).toMatchObject({ strippedFiles: 1, notes: [] });
    expect(report.artifact!.trim!.byRule['debug symbols']).toBeGreaterThan(0);
    expect(report.artifact!.unzippedSize).toBe(
      plain.artifact!.unzippedSize - report.artifact!.trim!.bytesSaved,
    );
    expect(results(report).every(([, ok]) => ok)).toBe(true);
  });

  it('refuses a library left out of the layer before zipping, with the static check', async () => {
    const dir = workspace({
      ...sources,
      'runtime/Makefile': [
        'layer:',
        '\tmkdir -p $(BUILD_DIR) $(ARTIFACTS_DIR)/bin',
        '\tgcc -shared -fPIC -o $(BUILD_DIR)/libgreet.so greet.c',
        '\tgcc -o $(ARTIFACTS_DIR)/bin/bootstrap main.c -L$(BUILD_DIR) -lgreet',
        '',
      ].join('\n'),
    });
    const report = await release(dir, providedInputs);
    expect(report.error).toContain(
      'bin/bootstrap needs libgreet.so, which is neither in the layer nor in the provided.al2023 runtime',
    );
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([['build', 'failed']]);
  });

  it('fails the smoke test for an interpreter the image lacks and a file without x bit', async () => {
    const dir = workspace({
      ...sources,
      'runtime/Makefile': [
        'layer:',
        '\tmkdir -p $(ARTIFACTS_DIR)/bin',
        "\tprintf '#!/usr/bin/python3\\nprint(1)\\n' > $(ARTIFACTS_DIR)/bin/tool.py && chmod 755 $(ARTIFACTS_DIR)/bin/tool.py",
        "\tprintf '#!/bin/sh\\n' > $(ARTIFACTS_DIR)/bin/plain && chmod 644 $(ARTIFACTS_DIR)/bin/plain",
        '',
      ].join('\n'),
    });
    const report = await release(dir, providedInputs);
    expect(report.error).toMatch(/2 of 2 imports failed/);
    expect(report.error).toMatch(/bin\/plain: not executable/);
    expect(report.error).toMatch(
      /bin\/tool.py: interpreter \/usr\/bin\/python3 .* is not in the runtime image/,
    );
  });
});

const PYTHON_ARM64 = standInRuntimeImage('python:3.11', 'arm64');

async function pythonWorkspace(wheels: WheelSpec[], requirements: string): Promise<string> {
  const dir = workspace({ 'layer/requirements.txt': requirements });
  for (const wheel of wheels) await makeWheel(path.join(dir, 'layer', 'wheels'), wheel);
  return dir;
}
const pythonInputs = {
  'layer-name': 'py-deps',
  runtime: 'python3.11',
  'working-directory': 'layer',
  'install-args': '--no-index --find-links wheels',
};
const GREETING: WheelSpec = {
  name: 'greeting',
  version: '1.0.0',
  files: { 'greeting/__init__.py': 'import platform\nMACHINE = platform.machine()\n' },
};

describe.skipIf(!hasImage(PYTHON_ARM64))('arm64 (python3.11 stand-ins under qemu-user-static)', () => {
  it('builds in the arm64 build image and imports in the arm64 runtime image', async () => {
    const dir = await pythonWorkspace([GREETING], 'greeting==1.0.0\n');
    const report = await release(dir, {
      ...pythonInputs,
      architecture: 'arm64',
      'smoke-imports': 'greeting',
    });
    expect(report.error).toBeUndefined();
    expect(report.smoke!.image).toBe(PYTHON_ARM64);
    expect(results(report)).toEqual([['greeting', true]]);
    // The same files as an x86_64 build, but another layer: the architecture is part of the hash.
    const x86 = await release(await pythonWorkspace([GREETING], 'greeting==1.0.0\n'), pythonInputs);
    expect(report.artifact!.treeHash).toBe(x86.artifact!.treeHash);
    expect(report.artifact!.contentHash).not.toBe(x86.artifact!.contentHash);
  });

  it('cross-installs the aarch64 wheels in the x86_64 build image, then imports them in the arm64 image', async () => {
    const native: WheelSpec = {
      name: 'fastmath',
      version: '2.0',
      tag: 'cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64',
      files: { 'fastmath.py': 'VALUE = 2\n' },
    };
    const x86Only: WheelSpec = { ...native, tag: 'cp311-cp311-manylinux2014_x86_64' };
    const requirements = 'greeting==1.0.0\nfastmath==2.0\n';
    const report = await release(await pythonWorkspace([GREETING, native], requirements), {
      ...pythonInputs,
      architecture: 'arm64',
      'cross-install': 'true',
    });
    expect(report.error).toBeUndefined();
    expect(report.artifact!.packages.map((p) => p.name)).toEqual(['fastmath', 'greeting']);
    expect(results(report)).toEqual([
      ['fastmath', true],
      ['greeting', true],
    ]);
    // Only wheels for aarch64 qualify: the x86_64 one is not taken, and nothing is built.
    const wrong = await release(await pythonWorkspace([GREETING, x86Only], requirements), {
      ...pythonInputs,
      architecture: 'arm64',
      'cross-install': 'true',
    });
    expect(wrong.error).toMatch(/No matching distribution found for fastmath==2.0/);
  });
});

describe('trim of a Python layer', () => {
  const bulky: WheelSpec = {
    name: 'bulky',
    version: '1.0',
    files: {
      'bulky/__init__.py': 'VALUE = 1\n',
      'bulky/__pycache__/__init__.cpython-311.pyc': 'x'.repeat(4000),
      'bulky/tests/__init__.py': '',
      'bulky/tests/test_bulky.py': `${'# a long test\n'.repeat(500)}`,
    },
  };

  it('removes caches, tests and dist-info extras, reports the bytes saved, and the imports still pass', async () => {
    const plain = await release(await pythonWorkspace([bulky], 'bulky==1.0\n'), pythonInputs);
    const report = await release(await pythonWorkspace([bulky], 'bulky==1.0\n'), {
      ...pythonInputs,
      trim: 'true',
    });
    expect(report.error).toBeUndefined();
    const trim = report.artifact!.trim!;
    expect(trim.byRule).toMatchObject({ 'bytecode caches': 4000, 'test folders': 7000 });
    expect(trim.byRule['dist-info extras']).toBeGreaterThan(0);
    expect(report.artifact!.unzippedSize).toBe(plain.artifact!.unzippedSize - trim.bytesSaved);
    expect(report.artifact!.packages).toEqual([{ name: 'bulky', version: '1.0', imports: ['bulky'] }]);
    expect(results(report)).toEqual([['bulky', true]]);
  });

  it('fails the run when the trim removed something a package imports', async () => {
    const selfTesting: WheelSpec = {
      name: 'selfcheck',
      version: '0.1',
      files: {
        'selfcheck/__init__.py': 'from .tests import fixtures\n',
        'selfcheck/tests/__init__.py': '',
        'selfcheck/tests/fixtures.py': 'DATA = 1\n',
      },
    };
    const dir = await pythonWorkspace([selfTesting], 'selfcheck==0.1\n');
    const report = await release(dir, { ...pythonInputs, trim: 'true' });
    expect(report.error).toMatch(/selfcheck: ModuleNotFoundError: No module named 'selfcheck.tests'/);
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([
      ['build', 'succeeded'],
      ['smoke-test', 'failed'],
    ]);
  });
});
