/**
 * The ELF reader and the native-code check, on real shared objects compiled here with gcc
 * (__tests__/support/native.ts), and the reader against objdump on the machine's own libraries.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EM, readElf } from '../../src/layer/elf.js';
import { checkNativeCode, compareVersions, NativeCodeError } from '../../src/layer/native.js';
import { listTree } from '../../src/layer/zip.js';
import { findRuntime, type Architecture } from '../../src/runtimes/index.js';
import { compile, library, SOURCES, withMachine } from '../support/native.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-native-unit-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

const SITE_311 = 'python/lib/python3.11/site-packages';
const SITE_312 = 'python/lib/python3.12/site-packages';

/** A layer tree: path → a compiled file's path, or the bytes or text to write. */
function layer(files: Record<string, string | Buffer>): string {
  const dir = path.join(root, `layer-${++counter}`);
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (typeof content === 'string' && fs.existsSync(content)) fs.copyFileSync(content, target);
    else fs.writeFileSync(target, content);
  }
  return dir;
}

async function check(
  files: Record<string, string | Buffer>,
  runtimeIds: string[],
  architecture: Architecture = 'x86_64',
) {
  const dir = layer(files);
  const runtimes = runtimeIds.map((id) => findRuntime(id)!);
  return checkNativeCode(dir, await listTree(dir), runtimes, architecture);
}

/** The problems a check reports, or [] when it passes. */
async function problems(...args: Parameters<typeof check>): Promise<readonly string[]> {
  try {
    await check(...args);
    return [];
  } catch (error) {
    if (error instanceof NativeCodeError) return error.problems;
    throw error;
  }
}

/** objdump's view of a file: DT_NEEDED, SONAME, RUNPATH and the version references. */
function objdump(file: string) {
  const text = execFileSync('objdump', ['-p', file], { encoding: 'utf8' });
  const needs = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    const from = /^\s+required from (\S+):$/.exec(line);
    if (from) needs.set(from[1]!, (current = []));
    const version = /^\s+0x[0-9a-f]+ 0x[0-9a-f]+ \d+ (\S+)$/.exec(line);
    if (version && current) current.push(version[1]!);
    if (/^Version definitions:|^$/.test(line)) current = undefined;
  }
  const field = (name: string): string | undefined =>
    new RegExp(`^\\s+${name}\\s+(\\S+)$`, 'm').exec(text)?.[1];
  return {
    needed: [...text.matchAll(/^\s+NEEDED\s+(\S+)$/gm)].map((m) => m[1]),
    soname: field('SONAME'),
    runpath: field('RUNPATH') ?? field('RPATH'),
    needs: Object.fromEntries(needs),
  };
}

describe('readElf', () => {
  const systemLibraries = [
    '/usr/lib/x86_64-linux-gnu/libstdc++.so.6',
    '/usr/lib/x86_64-linux-gnu/libssl.so.3',
    '/usr/bin/python3',
    process.execPath,
  ].filter((file) => fs.existsSync(file));

  it.each([
    ['a C .so needing GLIBC_2.27', compile(SOURCES.glibc227)],
    ['a C++ .so needing GLIBCXX_3.4.26', compile(SOURCES.glibcxx326)],
    [
      'a .so with a soname, an rpath and a DT_NEEDED',
      compile(SOURCES.plain, {
        soname: 'libx.so.1',
        rpath: '$ORIGIN/../libs',
        link: [library('libextra.so.2')],
      }),
    ],
    ...systemLibraries.map((file) => [file, fs.realpathSync(file)]),
  ])('reads what objdump reads from %s', async (_name, file) => {
    const info = (await readElf(file!))!;
    const expected = objdump(file!);
    expect(info.needed).toEqual(expected.needed);
    expect(info.soname).toBe(expected.soname);
    expect(info.runpath).toBe(expected.runpath);
    expect(Object.fromEntries(info.versionNeeds.map((n) => [n.file, n.versions]))).toEqual(expected.needs);
    expect(info.machine).toBe(EM.x86_64);
    expect(info.bits).toBe(64);
  });

  it("reads the versions a library defines, and an executable's interpreter", async () => {
    const libstdcxx = fs.realpathSync('/usr/lib/x86_64-linux-gnu/libstdc++.so.6');
    const info = (await readElf(libstdcxx))!;
    expect(info.type).toBe('shared');
    expect(info.versionDefinitions).toEqual(expect.arrayContaining(['GLIBCXX_3.4.24', 'CXXABI_1.3.11']));
    const python = (await readElf(fs.realpathSync('/usr/bin/python3')))!;
    expect(python.interpreter).toBe('/lib64/ld-linux-x86-64.so.2');
  });

  it('reads a 32-bit big-endian ELF as well (built here byte by byte: no such compiler on the machine)', async () => {
    const dir = layer({ 'lib/libbe.so': elf32BigEndian() });
    expect(await readElf(path.join(dir, 'lib/libbe.so'))).toEqual({
      machine: 8,
      bits: 32,
      type: 'shared',
      soname: 'libbe.so',
      needed: ['libc.so.6'],
      versionNeeds: [{ file: 'libc.so.6', versions: ['GLIBC_2.0', 'GLIBC_2.27'] }],
      versionDefinitions: [],
    });
  });

  it('answers undefined for a file that is not ELF, and names a truncated one', async () => {
    const dir = layer({ 'text.so': 'not an elf at all, just text that is long enough to read a header' });
    expect(await readElf(path.join(dir, 'text.so'))).toBeUndefined();
    const cut = layer({ 'cut.so': fs.readFileSync(compile(SOURCES.plain)).subarray(0, 100) });
    await expect(readElf(path.join(cut, 'cut.so'))).rejects.toThrow(/truncated/);
  });
});

describe('checkNativeCode', () => {
  it('refuses a .so that needs a newer glibc than Amazon Linux 2, in the words of the issue', async () => {
    expect(
      await problems({ [`${SITE_311}/numpy/random/mtrand.so`]: compile(SOURCES.glibc227) }, ['python3.11']),
    ).toEqual([
      'numpy/random/mtrand.so needs GLIBC_2.27; python3.11 runs on Amazon Linux 2 with glibc 2.26: ' +
        'build in the python3.11 build image, or use wheels tagged manylinux2014',
    ]);
  });

  it('accepts what fits: GLIBC_2.26 on Amazon Linux 2, GLIBC_2.27 and GLIBCXX_3.4.26 on AL2023', async () => {
    const summary = await check({ [`${SITE_311}/fits.so`]: compile(SOURCES.glibc226) }, ['python3.11']);
    // What the bill of materials lists of it: the newest glibc version it needs.
    expect(summary).toEqual({
      elfFiles: 1,
      notes: [],
      files: [{ path: `${SITE_311}/fits.so`, type: 'shared', machine: 'x86_64', glibc: '2.26' }],
    });
    expect(
      await problems(
        {
          [`${SITE_312}/a.so`]: compile(SOURCES.glibc227),
          [`${SITE_312}/b.so`]: compile(SOURCES.glibcxx326),
        },
        ['python3.12'],
      ),
    ).toEqual([]);
  });

  it('refuses glibc 2.36 on AL2023, and GLIBCXX_3.4.26 on Amazon Linux 2', async () => {
    expect(await problems({ 'bin/tool': compile(SOURCES.glibc236) }, ['provided.al2023'])).toEqual([
      'bin/tool needs GLIBC_2.36; provided.al2023 runs on Amazon Linux 2023 with glibc 2.34: ' +
        'build in the provided.al2023 build image',
    ]);
    expect(
      await problems({ 'nodejs/node_modules/x/x.node': compile(SOURCES.glibcxx326) }, ['nodejs18.x']),
    ).toEqual([
      'x/x.node needs GLIBCXX_3.4.26; nodejs18.x runs on Amazon Linux 2, whose libstdc++ (GCC 7) goes up to ' +
        'GLIBCXX_3.4.24: build in the nodejs18.x build image, or use prebuilt binaries for an older glibc',
    ]);
  });

  it('accepts newer libstdc++ versions when the layer brings a libstdc++ that defines them', async () => {
    const own = fs.realpathSync('/usr/lib/x86_64-linux-gnu/libstdc++.so.6');
    expect(
      await problems({ 'lib/libstdc++.so.6': own, 'lib/libuses.so': compile(SOURCES.glibcxx326) }, [
        'provided.al2',
      ]),
    ).not.toContainEqual(expect.stringContaining('libuses.so needs GLIBCXX'));
  });

  it('checks each file against the runtimes that load it: a version folder against its own version', async () => {
    const needs227 = compile(SOURCES.glibc227);
    const both = ['python3.11', 'python3.12'];
    expect(
      await problems(
        { [`${SITE_312}/fast.so`]: needs227, [`${SITE_311}/fast.so`]: compile(SOURCES.glibc226) },
        both,
      ),
    ).toEqual([]);
    expect(await problems({ [`${SITE_311}/fast.so`]: needs227 }, both)).toEqual([
      expect.stringMatching(/^fast.so needs GLIBC_2.27; python3.11 runs on Amazon Linux 2 with glibc 2.26/),
    ]);
    // Files under python/ are read by every declared version: the oldest OS decides.
    expect(
      await problems({ 'python/fast.so': needs227 }, ['python3.10', 'python3.11', 'python3.12']),
    ).toEqual([
      expect.stringMatching(
        /^fast.so needs GLIBC_2.27; python3.10 and python3.11 run on Amazon Linux 2 with/,
      ),
    ]);
  });

  it('refuses a shared object for another machine, unless a build for this one stands beside it', async () => {
    const plain = compile(SOURCES.plain);
    expect(await problems({ 'lib/libfast.so': withMachine(plain, EM.aarch64) }, ['provided.al2023'])).toEqual(
      [
        'lib/libfast.so is built for arm64 (aarch64), but the layer is for x86_64: build it in the x86_64 build ' +
          'image, or set architecture to the one it was built for',
      ],
    );
    expect(await problems({ 'lib/libfast.so': plain }, ['provided.al2023'], 'arm64')).toEqual([
      expect.stringMatching(/^lib\/libfast.so is built for x86_64, but the layer is for arm64/),
    ]);
    // prebuildify and node-gyp-build ship one build per platform and pick one at run time.
    const summary = await check(
      {
        'nodejs/node_modules/pkg/prebuilds/linux-arm64/pkg.node': withMachine(plain, EM.aarch64),
        'nodejs/node_modules/pkg/prebuilds/linux-x64/pkg.node': plain,
      },
      ['nodejs20.x'],
    );
    expect(summary.notes).toEqual([
      'pkg/prebuilds/linux-arm64/pkg.node: is built for arm64 (aarch64), but the layer is for x86_64: build it ' +
        'in the x86_64 build image, or set architecture to the one it was built for; left alone, a variant beside it fits',
    ]);
  });

  it('refuses a musl build, unless a glibc build stands beside it', async () => {
    const musl = compile(SOURCES.plain, { link: [library('libc.musl-x86_64.so.1')] });
    const files = { 'nodejs/node_modules/pkg/prebuilds/linux-x64/pkg.musl.node': musl };
    expect(await problems(files, ['nodejs20.x'])).toEqual([
      expect.stringMatching(
        /^pkg\/prebuilds\/linux-x64\/pkg.musl.node is built for musl libc \(Alpine Linux\)/,
      ),
    ]);
    const summary = await check(
      { ...files, 'nodejs/node_modules/pkg/prebuilds/linux-x64/pkg.glibc.node': compile(SOURCES.plain) },
      ['nodejs20.x'],
    );
    expect(summary.elfFiles).toBe(2);
    expect(summary.notes).toHaveLength(1);
  });

  it('refuses a DT_NEEDED library that neither the layer nor the runtime provides', async () => {
    const needsMissing = compile(SOURCES.plain, { link: [library('libmissing.so.3')] });
    expect(await problems({ [`${SITE_311}/ext.so`]: needsMissing }, ['python3.11'])).toEqual([
      'ext.so needs libmissing.so.3, which is neither in the layer nor in the python3.11 runtime (Amazon Linux 2): ' +
        "add it to the layer's lib/ (on LD_LIBRARY_PATH), or beside the file with an $ORIGIN rpath",
    ]);
    // In the layer (as auditwheel bundles libraries into pkg.libs/), or in the runtime image, it is found.
    expect(
      await problems(
        {
          [`${SITE_311}/ext.so`]: needsMissing,
          [`${SITE_311}/pkg.libs/libmissing.so.3`]: library('libmissing.so.3'),
        },
        ['python3.11'],
      ),
    ).toEqual([]);
    const needsPython = compile(SOURCES.plain, {
      link: [library('libpython3.11.so.1.0'), library('libz.so.1')],
    });
    expect(await problems({ [`${SITE_311}/ext.so`]: needsPython }, ['python3.11'])).toEqual([]);
    // libcrypt.so.1 is in Amazon Linux 2, not in AL2023 (libxcrypt).
    const needsCrypt = compile(SOURCES.plain, { link: [library('libcrypt.so.1')] });
    expect(await problems({ 'python/ext.so': needsCrypt }, ['python3.11', 'python3.12'])).toEqual([
      expect.stringMatching(
        /^ext.so needs libcrypt.so.1, which is neither in the layer nor in the python3.12 runtime \(Amazon Linux 2023\)/,
      ),
    ]);
  });

  it('lists every problem of every file, and counts beyond twenty', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 22; i++) files[`lib/lib${i}.so`] = compile(SOURCES.glibc236);
    const error = await check(files, ['provided.al2']).catch((e: unknown) => e as NativeCodeError);
    expect(error).toBeInstanceOf(NativeCodeError);
    expect((error as NativeCodeError).problems).toHaveLength(22);
    expect((error as NativeCodeError).message).toMatch(
      /^22 problems with native code in the layer; Lambda could not load it:\n/,
    );
    expect((error as NativeCodeError).message).toMatch(/\n {2}… and 2 more$/);
  });

  it('ignores files that are not ELF, and ELF object files', async () => {
    const dir = path.dirname(compile(SOURCES.plain));
    const object = path.join(dir, 'f.o');
    execFileSync('gcc', ['-c', '-o', object, path.join(dir, 'f.c')]);
    expect(await check({ 'lib/f.o': object, 'lib/readme.txt': 'x'.repeat(100) }, ['provided.al2'])).toEqual({
      elfFiles: 0,
      notes: [],
      files: [],
    });
  });
});

it('compares versions numerically', () => {
  expect(compareVersions('2.9', '2.26')).toBeLessThan(0);
  expect(compareVersions('3.4.24', '3.4.24')).toBe(0);
  expect(compareVersions('1.3.13', '1.3.11')).toBeGreaterThan(0);
  expect(compareVersions('3.4', '3.4.0')).toBe(0);
});

/** A minimal ELF32 MSB shared object (MIPS): one PT_LOAD over the file, PT_DYNAMIC, strings and a verneed. */
function elf32BigEndian(): Buffer {
  const strings = Buffer.from('\0libc.so.6\0libbe.so\0GLIBC_2.0\0GLIBC_2.27\0');
  const at = (text: string): number => strings.indexOf(`\0${text}\0`) + 1;
  const phoff = 52;
  const dynoff = phoff + 2 * 32;
  const dynamic: [number, number][] = [
    [1, at('libc.so.6')],
    [14, at('libbe.so')],
    [5, 0],
    [10, strings.length],
    [0x6ffffffe, 0],
    [0x6fffffff, 1],
    [0, 0],
  ];
  const stroff = dynoff + dynamic.length * 8;
  const verneedoff = stroff + strings.length;
  const size = verneedoff + 16 + 2 * 16;
  const b = Buffer.alloc(size);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 2, 1], 0);
  b.writeUInt16BE(3, 16); // ET_DYN
  b.writeUInt16BE(8, 18); // EM_MIPS
  b.writeUInt32BE(phoff, 28);
  b.writeUInt16BE(32, 42);
  b.writeUInt16BE(2, 44);
  const ph = (i: number, type: number, offset: number, filesz: number): void => {
    const o = phoff + i * 32;
    b.writeUInt32BE(type, o);
    b.writeUInt32BE(offset, o + 4);
    b.writeUInt32BE(offset, o + 8); // vaddr = offset
    b.writeUInt32BE(filesz, o + 16);
  };
  ph(0, 1, 0, size);
  ph(1, 2, dynoff, dynamic.length * 8);
  dynamic[2]![1] = stroff;
  dynamic[4]![1] = verneedoff;
  dynamic.forEach(([tag, value], i) => {
    b.writeUInt32BE(tag, dynoff + i * 8);
    b.writeUInt32BE(value, dynoff + i * 8 + 4);
  });
  strings.copy(b, stroff);
  b.writeUInt16BE(1, verneedoff);
  b.writeUInt16BE(2, verneedoff + 2);
  b.writeUInt32BE(at('libc.so.6'), verneedoff + 4);
  b.writeUInt32BE(16, verneedoff + 8);
  for (const [i, version] of ['GLIBC_2.0', 'GLIBC_2.27'].entries()) {
    const o = verneedoff + 16 + i * 16;
    b.writeUInt32BE(at(version), o + 8);
    b.writeUInt32BE(i === 0 ? 16 : 0, o + 12);
  }
  return b;
}
