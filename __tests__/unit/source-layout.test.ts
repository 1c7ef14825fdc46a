/**
 * The layout docs/development.md promises: one folder per concern, the layering (no step imported by the
 * entry files, the preflight or the look-ups), no import circle, small functions.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '../../src');
const MAX_FUNCTION_LINES = 80;

// Exceptions still to fix (none since issue 26; step imports none since issue 32). Each list must match exactly: once one is fixed, the
// test fails until its entry is removed here.
const PENDING_BESIDE_FOLDER: string[] = [];
const PENDING_LONG_FUNCTIONS: string[] = [];
const PENDING_STEP_IMPORTS: string[] = [];

/**
 * The layering of docs/development.md: the entry files and the preflight (which looks before any step
 * acts) import no step, nor do the read-only look-ups both sides share; pipeline.ts orders the steps.
 */
const ENTRY_FILES = ['main.ts', 'post.ts', 'index.ts'];
const BELOW_STEPS = ['preflight/', 'look-ups/'];

function sourceFiles(dir = src): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? sourceFiles(path.join(dir, entry.name))
        : entry.name.endsWith('.ts')
          ? [path.join(dir, entry.name)]
          : [],
    );
}

const relative = (file: string, root = src): string => path.relative(root, file).split(path.sep).join('/');

/** The files under root a file imports (import, import type, export … from, import()). */
function importsOf(file: string, root: string): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.resolve(path.dirname(file), name.replace(/\.js$/, '.ts')))
    .filter((target) => target.startsWith(root + path.sep));
}

/** Every import circle, each once, as the files around it. */
function circles(files: readonly string[], root = src): string[][] {
  const graph = new Map(files.map((file) => [file, importsOf(file, root)]));
  const found = new Map<string, string[]>();
  const done = new Set<string>();
  const visit = (file: string, trail: string[]): void => {
    const at = trail.indexOf(file);
    if (at >= 0) {
      const circle = trail.slice(at).map((f) => relative(f, root));
      found.set([...circle].sort().join(' '), circle);
      return;
    }
    if (done.has(file)) return;
    for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    done.add(file);
  };
  for (const file of files) visit(file, []);
  return [...found.values()];
}

/** Imports of a step module (`root`/steps/) by an entry file or a file below the steps, as `from → to`. */
function stepImports(files: readonly string[], root = src): string[] {
  const steps = path.join(root, 'steps') + path.sep;
  const held = (file: string): boolean => {
    const name = relative(file, root);
    return ENTRY_FILES.includes(name) || BELOW_STEPS.some((folder) => name.startsWith(folder));
  };
  return files
    .filter(held)
    .flatMap((file) =>
      importsOf(file, root)
        .filter((target) => target.startsWith(steps))
        .map((target) => `${relative(file, root)} → ${relative(target, root)}`),
    )
    .sort();
}

/** Every file `file` reaches through imports, itself included. */
function reachable(file: string, root = src): string[] {
  const seen = new Set<string>();
  const visit = (next: string): void => {
    if (seen.has(next) || !fs.existsSync(next)) return;
    seen.add(next);
    for (const imported of importsOf(next, root)) visit(imported);
  };
  visit(file);
  return [...seen];
}

function longFunctions(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const long: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const last = source.getLineAndCharacterOfPosition(node.end).line;
      const name =
        node.name?.getText() ??
        (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText() : `<anonymous:${first + 1}>`);
      if (last - first + 1 > MAX_FUNCTION_LINES) long.push(`${relative(file)} ${name}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return long;
}

describe('the source layout', () => {
  const files = sourceFiles();

  it('reads every source file (the walk is not empty)', () => {
    expect(files.map((file) => relative(file))).toEqual(
      expect.arrayContaining(['main.ts', 'runtimes/table.ts', 'runtimes/index.ts', 'report/types.ts']),
    );
  });

  it('has no file beside a folder of the same name', () => {
    const beside = files
      .filter((file) => fs.existsSync(file.replace(/\.ts$/, '')))
      .map((file) => relative(file))
      .sort();
    expect(beside).toEqual(PENDING_BESIDE_FOLDER);
  });

  it('has no import circle, type imports included', () => {
    expect(circles(files)).toEqual([]);
  });

  it('finds a circle when there is one, through type imports and re-exports too', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-circle-'));
    try {
      const write = (name: string, text: string): string => {
        fs.writeFileSync(path.join(dir, name), text);
        return path.join(dir, name);
      };
      const written = [
        write('a.ts', "import type { B } from './b.js';\nexport type A = B | 1;\n"),
        write('b.ts', "export type { C as B } from './c.js';\n"),
        write('c.ts', "import type { A } from './a.js';\nexport type C = A | 2;\n"),
        write('d.ts', "import type { A } from './a.js';\nexport type D = A;\n"),
      ];
      expect(circles(written, dir)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
      expect(circles(written.slice(1), dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the entry files, the preflight and the look-ups free of step imports, type and import() included', () => {
    expect(stepImports(files)).toEqual(PENDING_STEP_IMPORTS);
  });

  it('keeps the steps out of everything the preflight imports, through any number of files', () => {
    const preflight = files.filter((file) => relative(file).startsWith('preflight/'));
    expect(preflight.length).toBeGreaterThan(0);
    const steps = preflight
      .flatMap((file) => reachable(file))
      .map((file) => relative(file))
      .filter((name) => name.startsWith('steps/'));
    expect([...new Set(steps)]).toEqual([]);
  });

  it('finds a step import by an entry file or the preflight, and none by the pipeline or a step', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-layers-'));
    try {
      const write = (name: string, text: string): string => {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
        return path.join(dir, name);
      };
      const written = [
        write(
          'steps/build.ts',
          "import { lookUp } from '../look-ups/functions.js';\nexport const build = 1;\n",
        ),
        write('look-ups/functions.ts', 'export const lookUp = 1;\n'),
        write('main.ts', "export const run = () => import('./steps/build.js');\n"),
        write(
          'preflight/reach.ts',
          "import type { Build } from '../steps/build.js';\nexport type R = Build;\n",
        ),
        write('pipeline.ts', "import { build } from './steps/build.js';\nexport const p = build;\n"),
      ];
      expect(stepImports(written, dir)).toEqual([
        'main.ts → steps/build.ts',
        'preflight/reach.ts → steps/build.ts',
      ]);
      write('look-ups/functions.ts', "export { build as lookUp } from '../steps/build.js';\n");
      expect(stepImports(written, dir)).toContain('look-ups/functions.ts → steps/build.ts');
      const reached = reachable(path.join(dir, 'preflight/reach.ts'), dir).map((file) => relative(file, dir));
      expect(reached.sort()).toEqual(['look-ups/functions.ts', 'preflight/reach.ts', 'steps/build.ts']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it(`keeps every function under ${MAX_FUNCTION_LINES} lines`, () => {
    expect(files.flatMap(longFunctions).sort()).toEqual(PENDING_LONG_FUNCTIONS);
  });

  it('keeps the runtime table free of functions (data only)', () => {
    const table = path.join(src, 'runtimes', 'table.ts');
    const source = ts.createSourceFile(table, fs.readFileSync(table, 'utf8'), ts.ScriptTarget.Latest, true);
    const programs: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) || ts.isCallExpression(node)) programs.push(node.getText().slice(0, 60));
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(programs).toEqual([]);
  });
});
