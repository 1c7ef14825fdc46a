/**
 * `function-filter` globs with shell semantics, matched in time linear in the pattern times the name.
 *
 * picomatch gives each star-free piece its bash meaning (`?`, `[a-z]`, `[!x]`, `[[:alpha:]]`), but the
 * regex it makes for a whole glob backtracks: `*a*a*a*a*a*a*b` against 64 `a`s takes seconds per star
 * added. So the stars are handled here: every piece between two stars matches a fixed number of
 * characters, and for such pieces taking the leftmost match of each in turn is exact (the classic
 * wildcard algorithm), with no backtracking at all.
 *
 * A glob that starts with `!` excludes: a name is selected when it matches at least one including glob
 * (or there is none) and no excluding glob.
 */
import picomatch from 'picomatch';

export class GlobError extends Error {}

interface Piece {
  /** Anchored regex for exactly `length` characters. */
  readonly regex: RegExp;
  readonly length: number;
}

export interface CompiledGlob {
  readonly source: string;
  readonly exclude: boolean;
  /** Pieces between stars; `starred` is false for a glob with no star (whole-name match). */
  readonly pieces: readonly Piece[];
  readonly starred: boolean;
}

const PICOMATCH_OPTIONS: picomatch.PicomatchOptions = {
  posix: true, // `[!x]` negates, `[[:alpha:]]` classes: bash's bracket rules
  dot: true,
  nobrace: true,
  noextglob: true,
  noglobstar: true,
  nonegate: true, // a leading `!` is handled here, per glob
  strictBrackets: true,
};

/** Characters a function name can hold, plus the glob syntax allowed around them. */
const GLOB_CHARS = /^[a-zA-Z0-9_*?[\]!^:-]+$/;
const MAX_GLOB_LENGTH = 256;
const POSIX_CLASSES = [
  'alnum',
  'alpha',
  'ascii',
  'blank',
  'cntrl',
  'digit',
  'graph',
  'lower',
  'print',
  'punct',
  'space',
  'upper',
  'word',
  'xdigit',
];

/** Compiles one glob; throws GlobError with a message that says what is wrong and what is allowed. */
export function compileGlob(source: string): CompiledGlob {
  const exclude = source.startsWith('!');
  const body = exclude ? source.slice(1) : source;
  if (body === '') throw new GlobError('is empty after !; give a glob to exclude, e.g. !legacy-*');
  if ([...body].length > MAX_GLOB_LENGTH) {
    throw new GlobError(`is longer than ${MAX_GLOB_LENGTH} characters`);
  }
  if (!GLOB_CHARS.test(body)) {
    throw new GlobError('may hold only letters, digits, - and _ (as function names do) and * ? [ ]');
  }
  const texts = splitOnStars(body);
  // `a**b` is `a*b`: an empty piece between two stars matches anywhere.
  const kept = texts.filter((text, i) => text !== '' || i === 0 || i === texts.length - 1);
  return {
    source,
    exclude,
    pieces: kept.map((text) => compilePiece(text)),
    starred: texts.length > 1,
  };
}

/** Splits on stars outside brackets; checks that every bracket closes and every `!` is in one. */
function splitOnStars(body: string): string[] {
  const texts: string[] = [];
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char === '[') {
      const end = bracketEnd(body, i);
      current += body.slice(i, end + 1);
      i = end;
    } else if (char === '*') {
      texts.push(current);
      current = '';
    } else if (char === ']' || char === '!' || char === '^' || char === ':') {
      throw new GlobError(
        `has ${char} outside a bracket at position ${i + 1}; function names never contain it ` +
          '(a leading ! excludes, [!x] matches any character but x)',
      );
    } else {
      current += char;
    }
  }
  texts.push(current);
  return texts;
}

/** Index of the `]` closing the bracket that opens at `start`, with bash's rule for a leading `]`. */
function bracketEnd(body: string, start: number): number {
  let i = start + 1;
  if (body[i] === '!' || body[i] === '^') i++;
  if (body[i] === ']') i++; // `[]a]` and `[!]a]`: a `]` right after the opening is a member
  while (i < body.length) {
    if (body.startsWith('[:', i)) {
      const close = body.indexOf(':]', i + 2);
      if (close < 0) break;
      const name = body.slice(i + 2, close);
      if (!POSIX_CLASSES.includes(name)) {
        throw new GlobError(`has an unknown class [:${name}:]; use one of ${POSIX_CLASSES.join(', ')}`);
      }
      i = close + 2;
    } else if (body[i] === ']') {
      return i;
    } else {
      if (body[i] === '*') break;
      i++;
    }
  }
  throw new GlobError(`has a [ at position ${start + 1} that is not closed; use e.g. [abc], [a-z] or [!x]`);
}

/** A star-free piece: each character or bracket matches exactly one character of the name. */
function compilePiece(text: string): Piece {
  if (text === '') return { regex: /^$/, length: 0 };
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[') i = bracketEnd(text, i);
    length++;
  }
  let regex: RegExp;
  try {
    regex = picomatch.makeRe(text, PICOMATCH_OPTIONS);
  } catch (error) {
    throw new GlobError(`is not a valid glob (${(error as Error).message})`);
  }
  // picomatch's answer for a bracket no regex accepts, e.g. the reversed range [z-a].
  if (regex.source === '$^')
    throw new GlobError(`has a bracket that matches nothing in ${JSON.stringify(text)}`);
  return { regex, length };
}

/** Whether `name` matches the glob as a whole (the `!` of an excluding glob is not applied here). */
export function globMatches(glob: CompiledGlob, name: string): boolean {
  const { pieces } = glob;
  const first = pieces[0]!;
  if (!glob.starred) return name.length === first.length && first.regex.test(name);
  const last = pieces[pieces.length - 1]!;
  if (name.length < first.length + last.length) return false;
  if (!first.regex.test(name.slice(0, first.length))) return false;
  const end = name.length - last.length;
  if (!last.regex.test(name.slice(end))) return false;
  let position = first.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = leftmost(piece, name, position, end);
    if (found < 0) return false;
    position = found + piece.length;
  }
  return true;
}

function leftmost(piece: Piece, name: string, from: number, end: number): number {
  for (let start = from; start + piece.length <= end; start++) {
    if (piece.regex.test(name.slice(start, start + piece.length))) return start;
  }
  return -1;
}

export interface FunctionFilter {
  readonly globs: readonly CompiledGlob[];
  matches(name: string): boolean;
}

/** Compiles the whole function-filter; no globs selects every name. */
export function compileFilter(sources: readonly string[]): FunctionFilter {
  const globs = sources.map(compileGlob);
  const include = globs.filter((g) => !g.exclude);
  const exclude = globs.filter((g) => g.exclude);
  return {
    globs,
    matches: (name) =>
      (include.length === 0 || include.some((g) => globMatches(g, name))) &&
      !exclude.some((g) => globMatches(g, name)),
  };
}
