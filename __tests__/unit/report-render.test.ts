/**
 * The summary and the comment as GitHub renders them: rendered with a GFM renderer (markdown-it) and
 * read as a document: headings, paragraphs, table cells and the text a person sees.
 */
import MarkdownIt from 'markdown-it';
type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];
import { describe, expect, it } from 'vitest';
import { renderComment, renderSummary, type Report } from '../../src/report/index.js';
import {
  CASES,
  failureReport,
  noOpReport,
  planReport,
  releaseReport,
  supersededReport,
} from '../support/report-cases.js';

const md = new MarkdownIt({ html: true, linkify: true });

/** The text of an inline token as a reader sees it (code spans' content, link labels, no markup). */
function inlineText(token: Token): string {
  return (token.children ?? [])
    .map((child) =>
      child.type === 'text' || child.type === 'code_inline'
        ? child.content
        : child.type === 'softbreak'
          ? ' '
          : child.type === 'hardbreak'
            ? '\n'
            : '',
    )
    .join('');
}

interface Doc {
  headings: { level: number; text: string }[];
  paragraphs: string[];
  /** Each table: header row first, then body rows, each a list of cell texts. */
  tables: string[][][];
  /** Everything a person reads (inline texts and code blocks), one line each. */
  text: string;
  html: string;
}

function read(source: string): Doc {
  const tokens = md.parse(source, {});
  const doc: Doc = { headings: [], paragraphs: [], tables: [], text: '', html: md.render(source) };
  const texts: string[] = [];
  let table: string[][] | undefined;
  let tableRow: string[] | undefined;
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (token.type === 'heading_open' && next)
      doc.headings.push({ level: Number(token.tag[1]), text: inlineText(next) });
    if (token.type === 'paragraph_open' && next) doc.paragraphs.push(inlineText(next));
    if (token.type === 'table_open') doc.tables.push((table = []));
    if (token.type === 'tr_open') table?.push((tableRow = []));
    if ((token.type === 'th_open' || token.type === 'td_open') && next) tableRow?.push(inlineText(next));
    if (token.type === 'inline') texts.push(inlineText(token));
    if (token.type === 'fence' || token.type === 'code_block') texts.push(token.content);
  });
  doc.text = texts.join('\n');
  return doc;
}

/** Markdown or HTML syntax that would show as raw text if the source were broken. */
const RAW = [/\*\*/, /^\s*\|/m, /\| ?---/, /<\/?(details|summary|table|br)\b/, /\]\(http/];

function expectClean(doc: Doc): void {
  const prose = [...doc.paragraphs, ...doc.headings.map((h) => h.text), ...doc.tables.flat(2)].join('\n');
  for (const pattern of RAW) expect(prose).not.toMatch(pattern);
}

/** The table whose header row starts with `header` (a first cell, or the whole row joined by |). */
const table = (doc: Doc, header: string): string[][] => {
  const found = doc.tables.find((t) => t[0]?.[0] === header || t[0]?.join('|') === header);
  expect(found, `a table with the column ${header}`).toBeDefined();
  return found!;
};

describe.each(Object.entries(CASES))('the %s case', (_name, make) => {
  for (const kind of ['summary', 'comment'] as const) {
    it(`${kind}: one h2 heading, a verdict paragraph, no raw Markdown or HTML`, () => {
      const source = kind === 'summary' ? renderSummary(make()) : renderComment(make());
      const doc = read(source);
      expect(doc.headings.filter((h) => h.level === 2)).toHaveLength(1);
      expect(doc.paragraphs[0]).toMatch(/^(Released|No changes|Failed|Plan|Superseded)/);
      expectClean(doc);
      expect(source).not.toContain('/home/runner');
      expect(doc.paragraphs[1]).toBe('python3.11 · x86_64 · run #42, attempt 2 · commit 4f2c9a1');
      expect(doc.html).toContain('href="https://github.com/acme/layers/actions/runs/9876543210/attempts/2"');
      expect(doc.html).toContain(
        'href="https://github.com/acme/layers/commit/4f2c9a1b7d3e5f60718293a4b5c6d7e8f9012345"',
      );
    });
  }
});

describe('headings stay headings', () => {
  it('when two summaries are appended, and after another step left a <details> open', () => {
    const other = '<details><summary>another action</summary>\n\nits text\n</details>';
    const doc = read(other + renderSummary(releaseReport()) + renderSummary(noOpReport()) + '## Next action');
    expect(doc.headings.filter((h) => h.level === 2).map((h) => h.text)).toEqual([
      '🚀 Lambda layer ds-layer released',
      '➖ Lambda layer ds-layer: no changes',
      'Next action',
    ]);
  });

  it('the summary ends with a blank line, so what follows is never inside its last HTML block', () => {
    for (const make of Object.values(CASES)) expect(renderSummary(make())).toMatch(/\n\n$/);
  });
});

describe('the verdict line', () => {
  it('release: what was released where, how many functions moved from which version, how long', () => {
    const doc = read(renderComment(releaseReport()));
    expect(doc.paragraphs[0]).toBe(
      'Released ds-layer:2 in us-east-1, eu-west-1 · 5 functions moved 1 → 2 · 32 s',
    );
    expect(doc.html).toContain(
      'href="https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/layers/ds-layer/versions/2"',
    );
  });

  it('superseded: its own heading, the version that superseded the run, what was left and why', () => {
    const doc = read(renderComment(supersededReport()));
    expect(doc.headings[0]!.text).toBe('⏩ Lambda layer ds-layer: superseded by a newer release');
    expect(doc.paragraphs[0]).toBe(
      'Superseded by ds-layer:3 in us-east-1, published after this run · this run published ds-layer:2 in ' +
        'us-east-1, eu-west-1 · 1 function moved 1 → 2, 1 function on a newer version left alone, ' +
        '3 functions left to the newer release · 32 s',
    );
    const summary = renderSummary(supersededReport());
    expect(summary).toMatch(/orders-worker.*\| 3, newer than 2 \| ⏩ on a newer version, left alone/);
    expect(summary).toMatch(/billing.*⏭️ left to the newer release: superseded by version 3/);
    expect(summary).toContain('holds the newer `ds-layer:3`: left alone');
    // A minimal comment names no function, in the verdict either.
    expect(renderComment(supersededReport(), 'minimal')).not.toContain('orders-worker');
  });

  it('no-op: its own heading and a sentence that says nothing changed', () => {
    const doc = read(renderComment(noOpReport()));
    expect(doc.headings[0]!.text).toBe('➖ Lambda layer ds-layer: no changes');
    expect(doc.paragraphs[0]).toBe(
      'No changes: ds-layer:2 in us-east-1, eu-west-1 is already live; 5 functions already use it',
    );
    expect(doc.headings.map((h) => h.text)).not.toContain('What changed');
  });

  it('failure: the step, the regions, what still serves, what was rolled out, and what a re-run does', () => {
    const doc = read(renderComment(failureReport()));
    expect(doc.headings[0]!.text).toBe('❌ Lambda layer ds-layer: release failed');
    expect(doc.paragraphs[0]).toBe(
      'Failed: publish in eu-west-1 and ap-south-2. us-east-1 serves ds-layer:2; nothing was rolled out. Re-running reuses version 2.',
    );
    const single = failureReport();
    single.publish = { ...single.publish!, failures: single.publish!.failures.slice(0, 1) };
    expect(read(renderComment(single)).paragraphs[0]).toMatch(
      /^Failed: publish in eu-west-1 \(AccessDenied\)\. /,
    );
  });

  it('a failed roll-out under rollback says what was rolled back', () => {
    const report = releaseReport();
    report.steps[3] = { step: 'roll-out', status: 'failed', seconds: 3, note: 'Roll-out failed' };
    report.rollout = {
      scanned: { 'us-east-1': 3 },
      functions: [
        { region: 'us-east-1', functionName: 'a', status: 'rolled-back', fromVersion: 1, toVersion: 2 },
        { region: 'us-east-1', functionName: 'b', status: 'rolled-back', fromVersion: 1, toVersion: 2 },
        {
          region: 'us-east-1',
          functionName: 'c',
          status: 'failed',
          fromVersion: 1,
          toVersion: 2,
          reason:
            'ResourceConflictException: The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:c',
        },
      ],
    };
    const doc = read(renderComment(report));
    expect(doc.paragraphs[0]).toMatch(
      /^Failed: roll-out for 1 of 3 functions \(ResourceConflict\)\. us-east-1 and eu-west-1 serve ds-layer:2; 2 functions rolled back to 1\./,
    );
    expect(doc.text).toContain('Rolled back to the version they had before: 2 functions: a, b.');
    expect(doc.text).toContain('another update of the same resource was in progress');
  });

  it('plan: what would be published and moved, and that nothing changed', () => {
    const doc = read(renderComment(planReport()));
    expect(doc.headings[0]!.text).toBe('📝 Lambda layer ds-layer: plan (dry-run, nothing changed)');
    expect(doc.paragraphs[0]).toBe(
      'Plan: would publish ds-layer:3 in us-east-1, eu-west-1 · 5 functions would move 2 → 3 · nothing was changed',
    );
    // A planned version has no console page yet.
    expect(doc.html).not.toContain('versions/3');
    expect(doc.headings.map((h) => h.text)).toContain('What would change');
    expect(table(doc, 'Package|Before (ds-layer:2)|Would be|Change')).toEqual([
      ['Package', 'Before (ds-layer:2)', 'Would be', 'Change'],
      ['pandas', '2.3.1', '2.3.2', '⬆️ upgraded'],
      ['polars', '—', '1.31.0', '➕ added'],
    ]);
  });
});

describe('the six findings of issue 16', () => {
  it('2: the comment reports the smoke test that ran, not "no modules to import"', () => {
    const doc = read(renderComment(releaseReport()));
    expect(table(doc, 'Step')).toContainEqual(['✅ smoke-test', '7 imports ok', '4.1 s']);
    expect(doc.text).not.toMatch(/no modules/);
  });

  it('3: a failure is not cut at a colon; the whole AWS message is there once, with a plain cause and a hint', () => {
    const doc = read(renderComment(failureReport()));
    expect(doc.text).toContain(
      'AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/layer-release/GitHubActions is not authorized to perform: lambda:PublishLayerVersion',
    );
    expect(doc.text.split('is not valid JSON').length - 1).toBe(1);
    expect(doc.paragraphs).toContainEqual(
      '❌ publish in eu-west-1 · AccessDeniedException: the role may not call lambda:PublishLayerVersion.\n' +
        "Next step: allow lambda:PublishLayerVersion in the role's policy (see Permissions in the README).",
    );
    expect(doc.text).toContain('the answer was a web page, not an AWS API response');
    expect(table(doc, 'Step')).toContainEqual(['❌ publish', 'failed, see above', '6.3 s']);
  });

  it('4: a no-op does not look like a release', () => {
    const release = read(renderSummary(releaseReport()));
    const noOp = read(renderSummary(noOpReport()));
    expect(noOp.headings[0]!.text).not.toBe(release.headings[0]!.text);
    expect(noOp.headings[0]!.text).not.toMatch(/released/);
  });

  it('5: what is live is a table of name:version per region, linked; functions scanned but not using it are counted', () => {
    const doc = read(renderComment(releaseReport()));
    expect(table(doc, 'Region')).toEqual([
      ['Region', 'Layer version', 'This run', 'Functions using it'],
      ['us-east-1', 'ds-layer:2', 'published now', '3 of 42 functions scanned'],
      ['eu-west-1', 'ds-layer:2', 'published now', '2 of 17 functions scanned'],
    ]);
    expect(doc.text).toContain('us-east-1: 3 moved, 39 other functions scanned, not using this layer');
    const functions = table(doc, 'Function');
    expect(functions[0]).toEqual(['Function', 'Region', 'ds-layer version', 'Result', 'Time']);
    expect(functions[1]).toEqual(['orders-api', 'us-east-1', '1 → 2', '✅ moved', '1.2 s']);
    expect(doc.html).toContain(
      'href="https://us-east-1.console.aws.amazon.com/lambda/home?region=us-east-1#/functions/orders-api"',
    );
  });

  it('6: sizes in kB below 1 MB, plurals, one time unit, imports loaded earlier, internal modules, no empty column', () => {
    const report = releaseReport();
    report.artifact = { ...report.artifact!, zipSize: 48_300, unzippedSize: 812, fileCount: 1 };
    const summary = read(renderSummary(report));
    expect(table(summary, 'Step')).toContainEqual([
      '✅ build',
      '7 packages, 48.3 kB zip, 812 B unzipped',
      '17 s',
    ]);
    expect(summary.text).toContain('48.3 kB zipped, 812 B unzipped, 1 file');
    const smoke = table(summary, 'Module');
    expect(smoke).toContainEqual(['pandas', '✅', '1.9 s']);
    expect(smoke).toContainEqual(['six', '✅ (loaded by an earlier import)', '']);
    expect(summary.text).not.toMatch(/\d ms\b/);
    expect(table(summary, 'Package|Version|Imports')).toContainEqual(['PyYAML', '6.0.2', 'yaml']);
    expect(summary.text).not.toContain('_yaml');
    expect(table(summary, 'Region')[0]).not.toContain('Shared with');
    report.publish = {
      ...report.publish!,
      layers: report.publish!.layers.map((l) => ({ ...l, sharedWith: ['210987654321'] })),
    };
    expect(table(read(renderSummary(report)), 'Region')[1]).toContain('210987654321');
  });
});

describe('markdown injection', () => {
  const hostile = (): Report => {
    const report = failureReport();
    report.artifact = {
      ...report.artifact!,
      packages: [
        { name: 'evil|pkg', version: '1.0`` `<img src=x onerror=alert(1)>', imports: ['evil'] },
        { name: '@types/node', version: '**2**', imports: ['[click](https://evil.example)'] },
      ],
    };
    report.changes = {
      against: { region: 'us-east-1', version: 1, layerVersionArn: 'arn' },
      changes: [{ name: '<script>alert(1)</script>', kind: 'added', after: '1|2' }],
      unchanged: 0,
    };
    report.publish = {
      ...report.publish!,
      failures: [
        {
          region: 'eu-west-1',
          error: 'ValidationException: bad value ```\n## Injected heading\n<img src=x> ````` end',
        },
      ],
    };
    return report;
  };

  for (const kind of ['summary', 'comment'] as const) {
    it(`${kind}: package names with |, backticks and <img> render as text`, () => {
      const source = kind === 'summary' ? renderSummary(hostile()) : renderComment(hostile());
      const doc = read(source);
      expect(doc.html).not.toMatch(/<img|<script/);
      expect(doc.headings.map((h) => h.text)).not.toContain('Injected heading');
      expect(doc.html).not.toContain('href="https://evil.example"');
      const packages = table(doc, 'Package|Version|Imports');
      expect(packages).toContainEqual(['evil|pkg', '1.0`` `<img src=x onerror=alert(1)>', 'evil']);
      expect(packages).toContainEqual(['@types/node', '**2**', '[click](https://evil.example)']);
      const changed = doc.tables.find((t) => t[0]?.[3] === 'Change')!;
      expect(changed[1]).toEqual(['<script>alert(1)</script>', '—', '1|2', '➕ added']);
      expect(doc.text).toContain('bad value ```\n## Injected heading\n<img src=x> ````` end');
    });
  }
});

describe('comment-details: minimal', () => {
  it('leaves out account ids, function names and AWS error text, and keeps the explanation', () => {
    const report = failureReport();
    const minimal = renderComment(report, 'minimal');
    expect(minimal).not.toContain('123456789012');
    expect(minimal).not.toContain('is not authorized');
    expect(minimal).not.toContain('assumed-role');
    const doc = read(minimal);
    expect(doc.text).toContain('AccessDeniedException: the role may not call lambda:PublishLayerVersion');
    expect(renderComment(report, 'full')).toContain('123456789012');

    const rolled = releaseReport();
    rolled.steps[3] = { step: 'roll-out', status: 'failed', seconds: 1, note: 'x' };
    rolled.rollout = {
      scanned: { 'us-east-1': 9 },
      functions: [
        { region: 'us-east-1', functionName: 'orders-api', status: 'updated', fromVersion: 1, toVersion: 2 },
        {
          region: 'us-east-1',
          functionName: 'secret-payroll',
          status: 'failed',
          fromVersion: 1,
          toVersion: 2,
          reason: 'ThrottlingException: Rate exceeded for function secret-payroll',
        },
      ],
    };
    const text = renderComment(rolled, 'minimal');
    for (const name of ['orders-api', 'secret-payroll', '123456789012', 'Rate exceeded for']) {
      expect(text).not.toContain(name);
    }
    expect(read(text).text).toContain('roll-out of 1 function in us-east-1 · ThrottlingException');
    // The job summary is for those who can see the run: it keeps everything.
    expect(renderSummary(rolled)).toContain('secret-payroll');
  });
});
