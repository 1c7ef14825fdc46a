/**
 * The user documentation: README.md and the pages under docs/ it links to. Tests that check a promise
 * of the documentation read the page where it lives, and the link check below keeps every page reachable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';

export const repo = path.resolve(import.meta.dirname, '../..');

/** README.md and every docs/*.md, as paths relative to the repository. */
export function docFiles(): string[] {
  const pages = fs
    .readdirSync(path.join(repo, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...pages];
}

export const readDoc = (file: string): string => fs.readFileSync(path.join(repo, file), 'utf8');

const md = new MarkdownIt({ html: true });

/**
 * A heading's anchor as GitHub makes it (github-slugger): lower case, every character that is not a
 * letter, a mark, a digit, `_`, `-` or a space removed, spaces turned into `-`.
 */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown text's headings; a repeated heading gets `-1`, `-2` as on GitHub. */
export function anchorsOf(markdown: string): Set<string> {
  const tokens = md.parse(markdown, {});
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  tokens.forEach((token, index) => {
    if (token.type !== 'heading_open') return;
    const text = (tokens[index + 1]!.children ?? [])
      .filter((child) => child.type === 'text' || child.type === 'code_inline')
      .map((child) => child.content)
      .join('');
    const base = slug(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  });
  return anchors;
}

/** Every link and image target of a Markdown text (code spans and code blocks hold none). */
export function linksOf(markdown: string): string[] {
  const targets: string[] = [];
  const walk = (tokens: ReturnType<typeof md.parse>): void => {
    for (const token of tokens) {
      if (token.type === 'link_open') targets.push(String(token.attrGet('href')));
      if (token.type === 'image') targets.push(String(token.attrGet('src')));
      if (token.children) walk(token.children);
    }
  };
  walk(md.parse(markdown, {}));
  return targets;
}
