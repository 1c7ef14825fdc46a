import { describe, expect, it } from 'vitest';
import { checkLayout, describeLayout, LayoutError } from '../../src/layer/layout.js';
import type { TreeEntry } from '../../src/layer/zip.js';
import { findRuntime } from '../../src/runtimes/index.js';

const python311 = findRuntime('python3.11')!;
const node20 = findRuntime('nodejs20.x')!;

const tree = (...files: string[]): TreeEntry[] =>
  files.map((path) => ({ path, type: 'file', size: 1, executable: false }));

describe('checkLayout', () => {
  it('accepts site-packages and plain python/ layouts, and reports which module paths hold files', () => {
    expect(checkLayout(tree('python/lib/python3.11/site-packages/six.py'), python311).modulePaths).toEqual([
      'python/lib/python3.11/site-packages',
    ]);
    expect(checkLayout(tree('python/six.py', 'bin/tool', 'lib/libx.so'), python311).modulePaths).toEqual([
      'python',
    ]);
  });

  it('accepts node_modules and nodeNN/node_modules', () => {
    expect(checkLayout(tree('nodejs/node_modules/a/index.js'), node20).modulePaths).toEqual([
      'nodejs/node_modules',
    ]);
    expect(checkLayout(tree('nodejs/node20/node_modules/a/index.js'), node20).modulePaths).toEqual([
      'nodejs/node20/node_modules',
    ]);
  });

  const refusals: [string, TreeEntry[], typeof python311, RegExp][] = [
    ['an empty layer', [], python311, /The layer is empty/],
    [
      'only directories',
      [{ path: 'python', type: 'dir', size: 0, executable: false }],
      python311,
      /The layer is empty/,
    ],
    [
      'files at the root',
      tree('six.py', 'python/a.py'),
      python311,
      /content outside the folders python3.11 reads .*: six.py/,
    ],
    [
      'a Node.js tree for Python',
      tree('nodejs/node_modules/a/index.js'),
      python311,
      /outside the folders .*: nodejs/,
    ],
    ['python/python/', tree('python/python/six.py'), python311, /nests python\/python\//],
    ['nodejs/nodejs/', tree('nodejs/nodejs/node_modules/a.js'), node20, /nests nodejs\/nodejs\//],
    [
      'packages for another Python',
      tree('python/lib/python3.12/site-packages/six.py'),
      python311,
      /installs into python\/lib\/python3.12\/, which python3.11 does not read/,
    ],
    [
      'packages for another Node.js',
      tree('nodejs/node18/node_modules/a/index.js'),
      node20,
      /installs into nodejs\/node18\/, which nodejs20.x does not read/,
    ],
    ['nodejs/ without node_modules', tree('nodejs/index.js'), node20, /without node_modules/],
  ];
  it.each(refusals)(
    'refuses %s, showing the found and the expected layout',
    (_label, entries, runtime, message) => {
      const error = (() => {
        try {
          checkLayout(entries, runtime);
        } catch (caught) {
          return caught as Error;
        }
        throw new Error('no error');
      })();
      expect(error).toBeInstanceOf(LayoutError);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/Found layout:\n/);
      expect(error.message).toMatch(
        /Expected for this runtime:\n {2}python\/lib\/python3.11\/site-packages\/|Expected for this runtime:\n {2}nodejs\/node20\/node_modules\//,
      );
    },
  );
});

describe('describeLayout', () => {
  it('outlines folders with file counts', () => {
    expect(
      describeLayout(
        tree(
          'python/lib/python3.11/site-packages/a/x.py',
          'python/lib/python3.11/site-packages/a/y.py',
          'README',
        ),
      ),
    ).toEqual(['README', 'python/lib/python3.11/site-packages/ (2 files)']);
  });
});

describe('checkLayout for Java, Ruby and custom runtimes', () => {
  const java21 = findRuntime('java21')!;
  const ruby33 = findRuntime('ruby3.3')!;
  const provided = findRuntime('provided.al2023')!;
  const refusal = (entries: TreeEntry[], runtime: typeof java21): string => {
    try {
      checkLayout(entries, runtime);
    } catch (error) {
      expect(error).toBeInstanceOf(LayoutError);
      return (error as Error).message;
    }
    throw new Error('no error');
  };

  it('accepts java/lib, ruby/gems/X.Y.0 with the Gemfile beside it, and bootstrap, bin/, lib/', () => {
    expect(checkLayout(tree('java/lib/a-1.jar'), java21).modulePaths).toEqual(['java/lib']);
    expect(
      checkLayout(
        tree(
          'ruby/Gemfile',
          'ruby/Gemfile.lock',
          'ruby/gems/3.3.0/gems/rack-3.1.8/lib/rack.rb',
          'ruby/lib/x.rb',
        ),
        ruby33,
      ).modulePaths,
    ).toEqual(['ruby/gems/3.3.0', 'ruby/lib']);
    expect(checkLayout(tree('bootstrap', 'bin/tool', 'lib/libx.so'), provided).modulePaths).toEqual([
      'bin',
      'lib',
    ]);
    expect(checkLayout(tree('bootstrap'), provided).modulePaths).toEqual([]);
  });

  it('refuses jars outside java/lib, gems for another Ruby, and custom runtime files elsewhere', () => {
    expect(refusal(tree('java/a-1.jar'), java21)).toMatch(
      /java\/ folder without lib\/: Lambda puts only the jars in \/opt\/java\/lib\/ on the class path/,
    );
    expect(refusal(tree('ruby/gems/3.2.0/gems/rack/lib/rack.rb'), ruby33)).toMatch(
      /installs into ruby\/gems\/3.2.0\/, which ruby3.3 does not read/,
    );
    expect(refusal(tree('ruby/Gemfile'), ruby33)).toMatch(/ruby\/ folder without gems\/X.Y.0\/ or lib\//);
    expect(refusal(tree('bootstrap', 'runtime/main.py'), provided)).toMatch(
      /outside the folders provided.al2023 reads \(bootstrap\/, bin\/, lib\/\): runtime/,
    );
    expect(refusal(tree('java/lib/a.jar'), provided)).toMatch(
      /Expected for this runtime:\n {2}bin\/\n {2}lib\//,
    );
  });
});

describe('checkLayout with several declared versions', () => {
  const python312 = findRuntime('python3.12')!;
  const python313 = findRuntime('python3.13')!;
  const both = [python311, python313];

  it('accepts one folder per declared version, or a pure layer under python/ alone', () => {
    const layout = checkLayout(
      tree('python/lib/python3.11/site-packages/a.py', 'python/lib/python3.13/site-packages/a.py'),
      python311,
      both,
    );
    expect(layout.modulePaths).toEqual(['python/lib/python3.11/site-packages']);
    expect(checkLayout(tree('python/a.py'), python311, both).modulePaths).toEqual(['python']);
  });

  it('refuses a layer that declares a version whose folder it lacks, naming the version', () => {
    expect(() =>
      checkLayout(tree('python/lib/python3.11/site-packages/a.py'), python311, [python311, python312]),
    ).toThrow(
      /^The layer declares python3.12 but has no python\/lib\/python3.12\/site-packages\/ and nothing under the folders every version reads: python3.12 would not find its packages\./,
    );
    // What is under python/ itself is read by every version.
    expect(() =>
      checkLayout(tree('python/lib/python3.11/site-packages/a.py', 'python/shared.py'), python311, [
        python311,
        python312,
      ]),
    ).not.toThrow();
  });

  it('still refuses a version folder that no declared runtime reads', () => {
    expect(() =>
      checkLayout(
        tree('python/lib/python3.12/site-packages/a.py', 'python/lib/python3.11/site-packages/a.py'),
        python311,
        both,
      ),
    ).toThrow(/installs into python\/lib\/python3.12\/, which python3.11, python3.13 do not read/);
  });
});
