import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALWAYS, parseMarker } from '../../src/manifests/markers.js';
import {
  installedDists,
  missingRequirements,
  pinnedLock,
  pinnedRequirements,
  planPythonReuse,
  recordFiles,
  type PinnedList,
} from '../../src/cache/python-reuse.js';

const HASH_A = 'sha256:' + 'a'.repeat(64);
const HASH_B = 'sha256:' + 'b'.repeat(64);

describe('pinnedRequirements', () => {
  it('reads exact pins with extras, markers, hashes and index options', () => {
    const list = pinnedRequirements(
      [
        '# data',
        '--index-url https://pypi.example/simple',
        'NumPy==2.2.6 \\',
        `    --hash=${HASH_B} --hash=${HASH_A}`,
        'pandas[performance]==2.3.3 ; python_version >= "3.10"  # a comment',
        'python_dateutil===2.9.0.post0',
      ].join('\n'),
    );
    expect(list).toEqual({
      resolves: true,
      options: ['--index-url https://pypi.example/simple'],
      requirements: [
        {
          name: 'numpy',
          version: '2.2.6',
          extras: [],
          hashes: [HASH_A, HASH_B],
          text: expect.stringContaining('NumPy==2.2.6'),
        },
        {
          name: 'pandas',
          version: '2.3.3',
          extras: ['performance'],
          hashes: [],
          text: 'pandas[performance]==2.3.3 ; python_version >= "3.10"',
        },
        {
          name: 'python-dateutil',
          version: '2.9.0.post0',
          extras: [],
          hashes: [],
          text: 'python_dateutil===2.9.0.post0',
        },
      ],
    });
  });

  it.each([
    ['numpy>=2', 'line 1 is not name==version'],
    ['numpy==2.*', 'line 1 is not name==version'],
    ['-r other.txt', 'line 1 holds an option other than an index'],
    ['-e ./pkg', 'line 1 holds an option other than an index'],
    ['pkg @ https://example.com/pkg.whl', 'line 1 is not name==version'],
    ['numpy==2.2.6 --global-option=x', 'line 1 is not name==version'],
  ])('refuses %s', (line, reason) => {
    expect(pinnedRequirements(`${line}\n`)).toEqual({ reason });
  });
});

describe('pinnedLock', () => {
  it("takes a lock's export as its closure, lines as pip reads them with their markers and hashes", () => {
    const list = pinnedLock({
      warnings: [],
      requirements: [
        { name: 'NumPy', version: '2.2.6', marker: ALWAYS, hashes: [HASH_B, HASH_A] },
        {
          name: 'tzdata',
          version: '2026.4',
          marker: parseMarker('sys_platform == "win32"'),
          hashes: [HASH_A],
        },
      ],
    });
    expect(list).toEqual({
      resolves: false,
      options: [],
      requirements: [
        {
          name: 'numpy',
          version: '2.2.6',
          extras: [],
          hashes: [HASH_A, HASH_B],
          text: `NumPy==2.2.6 --hash=${HASH_A} --hash=${HASH_B}`,
        },
        {
          name: 'tzdata',
          version: '2026.4',
          extras: [],
          hashes: [HASH_A],
          text: `tzdata==2026.4 ; sys_platform == 'win32' --hash=${HASH_A}`,
        },
      ],
    });
  });

  it('is not a pinned list with a path or git source (installed without hashes)', () => {
    const path = { name: 'mine', marker: ALWAYS, hashes: [], path: 'libs/mine' };
    const git = { name: 'theirs', marker: ALWAYS, hashes: [], url: 'git+https://example.com/t@abc' };
    expect(pinnedLock({ warnings: [], requirements: [path] })).toBeUndefined();
    expect(pinnedLock({ warnings: [], requirements: [git] })).toBeUndefined();
  });
});

describe('planPythonReuse', () => {
  const list = pinnedRequirements(
    `numpy==2.3.5\npandas==2.3.3 --hash=${HASH_A}\nsix==1.17.0\n`,
  ) as PinnedList;
  const cached = [
    { name: 'numpy', version: '2.2.6', hashes: [], files: ['python/numpy/a.py'] },
    { name: 'pandas', version: '2.3.3', hashes: [HASH_A], files: ['python/pandas/b.py', 'python/bin/x'] },
    { name: 'six', version: '1.17.0', hashes: [], files: ['python/six.py'] },
  ];

  it('reuses a pin the last build installed with the same version and hashes, and installs the rest', () => {
    const inZip = new Set(['python/numpy/a.py', 'python/pandas/b.py', 'python/bin/x', 'python/six.py']);
    const plan = planPythonReuse(list, cached, inZip);
    expect(plan.reuse.map((r) => r.name)).toEqual(['pandas', 'six']);
    expect(plan.install.map((r) => r.name)).toEqual(['numpy']);
    expect(plan.files).toEqual(['python/bin/x', 'python/pandas/b.py', 'python/six.py']);
    expect(missingRequirements(list, plan.install)).toBe('numpy==2.3.5\n');
  });

  it('installs again a pin whose hashes changed, or whose files are not all in the last zip', () => {
    const other = pinnedRequirements(`pandas==2.3.3 --hash=${HASH_B}\nsix==1.17.0\n`) as PinnedList;
    const plan = planPythonReuse(other, cached, new Set(['python/pandas/b.py', 'python/bin/x']));
    expect(plan.reuse).toEqual([]);
    expect(plan.install.map((r) => r.name)).toEqual(['pandas', 'six']);
  });
});

describe('recordFiles', () => {
  it("maps pip's --target record to layer paths, scripts included", () => {
    const record = [
      'numpy/__init__.py,sha256=x,1',
      '../../bin/f2py,sha256=y,2',
      '"odd,name.py",,',
      'numpy-2.2.6.dist-info/RECORD,,',
    ].join('\n');
    expect(recordFiles(record, 'python')).toEqual([
      'python/numpy/__init__.py',
      'python/bin/f2py',
      'python/odd,name.py',
      'python/numpy-2.2.6.dist-info/RECORD',
    ]);
  });

  it('refuses a record that leads out of the install folder', () => {
    expect(recordFiles('../../../etc/passwd,,\n', 'python')).toBeUndefined();
    expect(recordFiles('/etc/passwd,,\n', 'python')).toBeUndefined();
  });
});

describe('installedDists', () => {
  let dir: string;
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('lists each dist-info with its pin hashes and the files the zip holds', async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dists-'));
    const info = path.join(dir, 'python', 'Six-1.17.0.dist-info');
    await fs.mkdir(info, { recursive: true });
    await fs.writeFile(path.join(info, 'METADATA'), 'Metadata-Version: 2.1\nName: Six\nVersion: 1.17.0\n');
    await fs.writeFile(
      path.join(info, 'RECORD'),
      'six.py,,\nSix-1.17.0.dist-info/RECORD,,\n__pycache__/six.pyc,,\n',
    );
    const list = pinnedRequirements(`six==1.17.0 --hash=${HASH_A}\n`) as PinnedList;
    const inZip = new Set(['python/six.py', 'python/Six-1.17.0.dist-info/RECORD']);
    expect(await installedDists(dir, 'python', list, inZip)).toEqual([
      {
        name: 'six',
        version: '1.17.0',
        hashes: [HASH_A],
        files: ['python/six.py', 'python/Six-1.17.0.dist-info/RECORD'],
      },
    ]);
  });
});
