/**
 * PEP 508 environment markers as the lock readers combine them: a marker is kept in disjunctive normal
 * form (an OR of ANDs of comparisons), so that a package's marker can be built as the OR over every
 * path from the project of the AND of the markers on its edges. Nothing is evaluated here: pip does
 * that in the build image, for the target Python. Comparisons are kept as written (quotes normalized
 * to single quotes, spaces to one), which is how uv and Poetry print them.
 */

/** An OR of ANDs; `[]` is "never", `[[]]` is "always". Each AND is sorted and free of repeats. */
export type Dnf = readonly (readonly string[])[];

export const ALWAYS: Dnf = [[]];
export const NEVER: Dnf = [];

const VARIABLE =
  /^(python_version|python_full_version|os_name|sys_platform|platform_release|platform_system|platform_version|platform_machine|platform_python_implementation|implementation_name|implementation_version|extra|extras|dependency_groups)$/;
const OPERATORS = ['===', '==', '!=', '<=', '>=', '~=', '<', '>', 'not in', 'in'];

export class MarkerError extends Error {
  override name = 'MarkerError';
}

type Token = { kind: 'word' | 'string' | 'op' | '(' | ')'; text: string };

/** The most characters a marker may have; a lock's are short. */
const MAX_MARKER = 4096;

function tokenize(text: string): Token[] {
  if (text.length > MAX_MARKER) throw new MarkerError('a marker longer than 4096 characters');
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t') i++;
    else if (c === '(' || c === ')') {
      tokens.push({ kind: c, text: c });
      i++;
    } else if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new MarkerError('an unclosed quote in a marker');
      const value = text.slice(i + 1, end);
      if (/['"\\\n\r]/.test(value)) throw new MarkerError('a marker value with quotes or line breaks');
      tokens.push({ kind: 'string', text: value });
      i = end + 1;
    } else if (/[<>=!~]/.test(c)) {
      const op = /^(===|==|!=|<=|>=|~=|<|>)/.exec(text.slice(i))?.[1];
      if (!op) throw new MarkerError('an unknown operator in a marker');
      tokens.push({ kind: 'op', text: op });
      i += op.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))![0];
      tokens.push({ kind: 'word', text: word });
      i += word.length;
    } else throw new MarkerError('a character a marker cannot hold');
  }
  return tokens;
}

/** Parses a PEP 508 marker into DNF; throws MarkerError (never quoting the marker) when it is not one. */
export function parseMarker(text: string): Dnf {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (word: string): boolean => peek()?.kind === 'word' && peek()!.text === word;
  let depth = 0;

  const orExpr = (): Dnf => {
    let result = andExpr();
    while (isWord('or')) {
      pos++;
      result = or(result, andExpr());
    }
    return result;
  };
  const andExpr = (): Dnf => {
    let result = atom();
    while (isWord('and')) {
      pos++;
      result = and(result, atom());
    }
    return result;
  };
  const value = (): { text: string; variable: boolean } => {
    const token = tokens[pos++];
    if (token?.kind === 'string') return { text: `'${token.text}'`, variable: false };
    if (token?.kind === 'word' && VARIABLE.test(token.text)) return { text: token.text, variable: true };
    throw new MarkerError('a marker that is not PEP 508');
  };
  const operator = (): string => {
    const token = tokens[pos++];
    if (token?.kind === 'op') return token.text;
    if (token?.kind === 'word' && token.text === 'in') return 'in';
    if (token?.kind === 'word' && token.text === 'not' && isWord('in')) {
      pos++;
      return 'not in';
    }
    throw new MarkerError('a marker that is not PEP 508');
  };
  const atom = (): Dnf => {
    if (peek()?.kind === '(') {
      if (++depth > 32) throw new MarkerError('a marker nested more than 32 deep');
      pos++;
      const inner = orExpr();
      if (tokens[pos++]?.kind !== ')') throw new MarkerError('an unclosed parenthesis in a marker');
      depth--;
      return inner;
    }
    const left = value();
    const op = operator();
    const right = value();
    if (left.variable === right.variable || !OPERATORS.includes(op)) {
      throw new MarkerError('a marker that is not PEP 508');
    }
    return [[`${left.text} ${op} ${right.text}`]];
  };
  const result = orExpr();
  if (pos !== tokens.length) throw new MarkerError('a marker that is not PEP 508');
  return result;
}

/** Removes repeated and absorbed ANDs (one that holds all of another's comparisons adds nothing). */
function simplify(terms: readonly (readonly string[])[]): Dnf {
  const unique = new Map<string, readonly string[]>();
  for (const term of terms) {
    const sorted = [...new Set(term)].sort();
    unique.set(sorted.join('\0'), sorted);
  }
  const all = [...unique.values()].sort((a, b) => a.length - b.length);
  const kept: (readonly string[])[] = [];
  for (const term of all) {
    if (!kept.some((smaller) => smaller.every((atom) => term.includes(atom)))) kept.push(term);
  }
  return kept.sort((a, b) => a.length - b.length || a.join(' ').localeCompare(b.join(' ')));
}

export function or(a: Dnf, b: Dnf): Dnf {
  return simplify([...a, ...b]);
}

/** The AND of two markers; the ANDs multiply out, bounded so that a hostile lock cannot blow up. */
export function and(a: Dnf, b: Dnf): Dnf {
  if (a.length * b.length > 4096) throw new MarkerError('markers that multiply out to more than 4096 terms');
  return simplify(a.flatMap((x) => b.map((y) => [...x, ...y])));
}

export function isAlways(marker: Dnf): boolean {
  return marker.length === 1 && marker[0]!.length === 0;
}

export function equal(a: Dnf, b: Dnf): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The marker as requirements files print it: `a and b or c` with parentheses around each AND of an OR. */
export function markerText(marker: Dnf): string {
  if (isAlways(marker)) return '';
  if (marker.length === 1) return marker[0]!.join(' and ');
  return marker.map((term) => (term.length > 1 ? `(${term.join(' and ')})` : term.join(''))).join(' or ');
}
