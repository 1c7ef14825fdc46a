/**
 * Real shared objects for the native-code tests, compiled here with the machine's gcc from a few
 * lines of C whose symbols carry known versions (checked with `objdump -T`):
 * memfd_create GLIBC_2.27, reallocarray GLIBC_2.26, arc4random GLIBC_2.36,
 * std::pmr::new_delete_resource GLIBCXX_3.4.26.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SOURCES = {
  /** Needs GLIBC_2.27: newer than Amazon Linux 2 (2.26), fits AL2023 (2.34). */
  glibc227: '#define _GNU_SOURCE\n#include <sys/mman.h>\nint f(void) { return memfd_create("x", 0); }\n',
  /** Needs GLIBC_2.26 at most: exactly what Amazon Linux 2 has. */
  glibc226: '#define _GNU_SOURCE\n#include <stdlib.h>\nvoid *f(void *p) { return reallocarray(p, 2, 3); }\n',
  /** Needs GLIBC_2.36: newer than both Amazon Linux versions. */
  glibc236: '#include <stdlib.h>\nunsigned f(void) { return arc4random(); }\n',
  /** C++: needs GLIBCXX_3.4.26 (GCC 9), newer than AL2's GCC 7 libstdc++. */
  glibcxx326: '#include <memory_resource>\nvoid *f() { return std::pmr::new_delete_resource(); }\n',
  /** Needs only GLIBC_2.2.5. */
  plain: 'int f(int x) { return x + 1; }\n',
} as const;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-native-'));
process.on('exit', () => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;
const cache = new Map<string, string>();

export interface CompileOptions {
  /** Link against these libraries (a file path each); they become DT_NEEDED entries. */
  readonly link?: readonly string[];
  readonly soname?: string;
  readonly rpath?: string;
}

/** Compiles `source` (C, or C++ when it includes a C++ header) to a shared object; returns its path. */
export function compile(source: string, options: CompileOptions = {}): string {
  const key = JSON.stringify([source, options]);
  const cached = cache.get(key);
  if (cached) return cached;
  const dir = path.join(root, `so-${++counter}`);
  fs.mkdirSync(dir);
  const cxx = /#include <(?!\w+\.h>)/.test(source);
  const input = path.join(dir, cxx ? 'f.cc' : 'f.c');
  fs.writeFileSync(input, source);
  const output = path.join(dir, 'f.so');
  const args = ['-shared', '-fPIC', '-o', output, input];
  if (options.soname) args.push(`-Wl,-soname,${options.soname}`);
  if (options.rpath) args.push(`-Wl,-rpath,${options.rpath}`);
  // --no-as-needed: keep a DT_NEEDED entry for every library given, used or not.
  if (options.link) args.push('-Wl,--no-as-needed', ...options.link.map((l) => `-l:${path.basename(l)}`));
  for (const dirOfLib of new Set((options.link ?? []).map((l) => path.dirname(l))))
    args.push(`-L${dirOfLib}`);
  execFileSync(cxx ? 'g++' : 'gcc', args, { stdio: 'pipe' });
  cache.set(key, output);
  return output;
}

/** A library with this soname (and file name), to link against for a DT_NEEDED entry. */
export function library(soname: string): string {
  const built = compile(`int ${soname.replace(/\W/g, '_')}(void) { return 0; }\n`, { soname });
  const file = path.join(path.dirname(built), soname);
  if (!fs.existsSync(file)) fs.copyFileSync(built, file);
  return file;
}

/** A copy of an ELF file with another e_machine (e.g. 183, aarch64): what a wrong-architecture build looks like. */
export function withMachine(file: string, machine: number): Buffer {
  const bytes = Buffer.from(fs.readFileSync(file));
  bytes.writeUInt16LE(machine, 18);
  return bytes;
}
