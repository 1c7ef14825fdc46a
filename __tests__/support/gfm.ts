/**
 * GitHub-flavoured Markdown as GitHub renders a job summary or a comment: markdown-it with tables,
 * strikethrough, autolinks and raw HTML (GitHub allows <details> and <summary>), and a page with
 * GitHub's Markdown CSS for a person to look at.
 */
import MarkdownIt from 'markdown-it';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';

const markdown = new MarkdownIt({ html: true, linkify: true });

export function gfm(source: string): string {
  return markdown.render(source);
}

export function gfmPage(title: string, source: string): string {
  const css = fs.readFileSync(
    createRequire(import.meta.url).resolve('github-markdown-css/github-markdown-light.css'),
    'utf8',
  );
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<style>${css}
body { background: #fff; margin: 0; }
.markdown-body { box-sizing: border-box; max-width: 980px; padding: 24px 32px; }
</style></head>
<body><article class="markdown-body">
${gfm(source)}
</article></body></html>
`;
}
