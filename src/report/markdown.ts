/**
 * GitHub-flavoured Markdown pieces for the summary and the comment. Everything that comes from a
 * package, a container or AWS goes through `text`, `code` or `fence`, so a package named `a|b`, a
 * version with backticks or an error message with `<img>` renders as the text it is.
 */

/**
 * Characters that Markdown (or GitHub: `$` math, `@` mentions, `#` references) may read as syntax
 * inside a line; a backslash makes each a literal (CommonMark 2.4). Digits, dots and dashes stay readable.
 */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]#!|<>~&$@]/g;

/** Plain text, safe in a paragraph or a table cell: every syntax character escaped, one line. */
export function text(value: string): string {
  // An underscore inside a word (x86_64, typing_extensions) is never emphasis in GFM: left readable.
  return oneLine(value).replace(MARKDOWN_PUNCTUATION, (c, offset: number, line: string) =>
    c === '_' && /[A-Za-z0-9]/.test(line[offset - 1] ?? '') && /[A-Za-z0-9]/.test(line[offset + 1] ?? '')
      ? c
      : `\\${c}`,
  );
}

/**
 * An inline code span, safe in a table cell: delimited by more backticks than the longest run inside
 * (padded when the value starts or ends with one), with `|` escaped, which GFM requires even in code.
 */
export function code(value: string): string {
  const line = oneLine(value);
  const ticks = '`'.repeat(longestRun(line, '`') + 1);
  const pad = line.startsWith('`') || line.endsWith('`') || line.startsWith(' ') ? ' ' : '';
  return `${ticks}${pad}${line.replaceAll('|', '\\|')}${pad}${ticks}`;
}

/** A fenced block whose fence is longer than any backtick run in the value (CommonMark 4.5). */
export function fence(value: string, info = ''): string {
  const ticks = '`'.repeat(Math.max(3, longestRun(value, '`') + 1));
  return `${ticks}${info}\n${value.replace(/\n+$/, '')}\n${ticks}`;
}

/** For text inside HTML (a `<summary>`), where Markdown is not read. */
export function html(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** A link whose target cannot end the link early. */
export function link(label: string, url: string): string {
  return `[${label}](${encodeURI(decodeURI(url)).replaceAll('(', '%28').replaceAll(')', '%29')})`;
}

export function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: string[],
): string[] {
  const rule = header.map((_, i) => (align?.[i] === 'right' ? '---:' : '---'));
  return [row(header), row(rule), ...rows.map(row)];
}

/** A folded section; `summary` is HTML-escaped here. Blank lines around the Markdown inside it. */
export function details(summary: string, body: readonly string[], open = false): string[] {
  return [
    `<details${open ? ' open' : ''}><summary>${html(summary)}</summary>`,
    '',
    ...body,
    '',
    '</details>',
    '',
  ];
}

/** `1 file`, `2 files`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : pluralForm}`;
}

/** Decimal units, as Lambda's limits are usually quoted: `812 B`, `48.3 kB`, `96.8 MB`. */
export function size(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  if (bytes < 1_000_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${(bytes / 1_000_000_000).toFixed(2)} GB`;
}

/** Always seconds (minutes from two minutes on), with precision that fits the size: `0.04 s`, `1.9 s`, `31 s`. */
export function duration(seconds: number): string {
  if (seconds < 0.005) return '< 0.01 s';
  if (seconds < 1) return `${seconds.toFixed(2)} s`;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function oneLine(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function longestRun(value: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of value) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}
