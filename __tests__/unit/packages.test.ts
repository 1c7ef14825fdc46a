import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listPackages, pinnedList } from '../../src/layer/packages.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-packages-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let counter = 0;
function layer(files: Record<string, string>, modes: Record<string, number> = {}): string {
  const dir = path.join(root, `layer-${++counter}`);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content, { mode: modes[file] ?? 0o644 });
  }
  return dir;
}

describe('listPackages', () => {
  it('lists the jars of java/lib, each smoke-tested by its file name', async () => {
    const dir = layer({
      'java/lib/commons-text-1.13.1.jar': '',
      'java/lib/guava-33.4.0-jre.jar': '',
      'java/lib/x.jar': '',
    });
    const packages = await listPackages('java', dir, ['java/lib']);
    expect(packages).toEqual([
      { name: 'commons-text', version: '1.13.1', imports: ['commons-text-1.13.1.jar'] },
      { name: 'guava', version: '33.4.0-jre', imports: ['guava-33.4.0-jre.jar'] },
      { name: 'x', version: '?', imports: ['x.jar'] },
    ]);
    expect(pinnedList('java', packages)).toBe('commons-text:1.13.1 guava:33.4.0-jre x:?');
  });

  it('lists every installed gem and requires the ones the Gemfile names (Gemfile.lock DEPENDENCIES)', async () => {
    const gemspec = (name: string, version: string): string =>
      `Gem::Specification.new do |s|\n  s.name = "${name}".freeze\n  s.version = "${version}".freeze\nend\n`;
    const dir = layer({
      'ruby/Gemfile.lock': [
        'GEM',
        '  remote: https://rubygems.org/',
        '  specs:',
        '    greeter (1.0.0)',
        '      shouty-text (~> 2.0)',
        '    json (2.7.2)',
        '    shouty-text (2.1.0)',
        '',
        'DEPENDENCIES',
        '  greeter (= 1.0.0)',
        '  json',
        '  local-thing!',
        '',
        'BUNDLED WITH',
        '   2.5.22',
        '',
      ].join('\n'),
      'ruby/gems/3.3.0/specifications/greeter-1.0.0.gemspec': gemspec('greeter', '1.0.0'),
      'ruby/gems/3.3.0/specifications/shouty-text-2.1.0.gemspec': gemspec('shouty-text', '2.1.0'),
      'ruby/gems/3.3.0/specifications/local-thing-0.1.gemspec': gemspec('local-thing', '0.1'),
    });
    const packages = await listPackages('ruby', dir, ['ruby/gems/3.3.0', 'ruby/lib']);
    expect(packages).toEqual([
      { name: 'greeter', version: '1.0.0', imports: ['greeter'] },
      { name: 'local-thing', version: '0.1', imports: ['local-thing'] },
      { name: 'shouty-text', version: '2.1.0', imports: [] },
    ]);
    expect(pinnedList('ruby', packages)).toBe('greeter-1.0.0 local-thing-0.1 shouty-text-2.1.0');
  });

  it('lists a custom runtime’s bootstrap and the files in bin/', async () => {
    const dir = layer({ bootstrap: '#!/bin/sh\n', 'bin/tool': '', 'bin/sub/x': '', 'lib/libx.so': '' });
    const packages = await listPackages('provided', dir, ['bin', 'lib']);
    expect(packages).toEqual([
      { name: 'bin/tool', version: '', imports: ['bin/tool'] },
      { name: 'bootstrap', version: '', imports: ['bootstrap'] },
    ]);
    expect(pinnedList('provided', packages)).toBe('bin/tool bootstrap');
  });
});
