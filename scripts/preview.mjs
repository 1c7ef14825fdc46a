#!/usr/bin/env node
// npm run preview: renders the job summary and the comment of the four kinds of run (release, no-op,
// failure, plan) as GitHub would (GitHub-flavoured Markdown, GitHub's Markdown CSS) into
// .tmp/preview/*.html, for a person to look at. With --screenshots, also docs/report-<case>.png through
// Chromium headless (Debian: apt-get install --no-install-recommends chromium).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createServer } from 'vite';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, '.tmp/preview');
const vite = await createServer({
  root,
  server: { middlewareMode: true },
  appType: 'custom',
  logLevel: 'error',
});
try {
  const { CASES } = await vite.ssrLoadModule('/__tests__/support/report-cases.ts');
  const { renderSummary, renderComment } = await vite.ssrLoadModule('/src/report/index.ts');
  const { gfmPage } = await vite.ssrLoadModule('/__tests__/support/gfm.ts');
  fs.mkdirSync(out, { recursive: true });
  const pages = [];
  for (const [name, make] of Object.entries(CASES)) {
    for (const [kind, markdown] of [
      ['summary', renderSummary(make())],
      ['comment', renderComment(make())],
    ]) {
      const file = path.join(out, `${name}-${kind}.html`);
      fs.writeFileSync(file, gfmPage(`${name} · ${kind}`, markdown));
      pages.push(file);
    }
  }
  for (const page of pages) console.log(path.relative(root, page));
  if (process.argv.includes('--screenshots')) {
    const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((bin) => {
      try {
        execFileSync('which', [bin], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
    if (!chromium)
      throw new Error('--screenshots needs chromium (apt-get install --no-install-recommends chromium)');
    fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
    for (const name of Object.keys(CASES)) {
      const png = path.join(root, 'docs', `report-${name}.png`);
      execFileSync(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--hide-scrollbars',
          '--window-size=1012,1600',
          `--screenshot=${png}`,
          `file://${path.join(out, `${name}-comment.html`)}`,
        ],
        { stdio: 'ignore' },
      );
      console.log(path.relative(root, png));
    }
  }
} finally {
  await vite.close();
}
