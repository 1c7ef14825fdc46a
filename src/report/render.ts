/**
 * The Report as GitHub-flavoured Markdown: the job summary and the commit / pull request comment.
 * Top-down in the order people ask: what happened (heading, verdict), what went wrong, what is live
 * where, what changed, which functions, then the details folded away.
 */
import type { CommentDetails, Report, StepRecord } from './types.js';
import type { FunctionOutcome } from '../steps/roll-out.js';
import type { RuntimeSmoke } from '../steps/smoke-test.js';
import { runUrl, commitUrl } from '../github.js';
import { planFacts } from './plan.js';
import { renderChanges } from './render-changes.js';
import { renderFailures } from './render-failures.js';
import { code, details, duration, link, plural, size, table, text } from './markdown.js';
import { displayName, functionConsoleUrl, heading, outcomeOf, verdict, versionLink } from './verdict.js';

export interface RenderOptions {
  readonly audience: 'summary' | 'comment';
  /** minimal: no account ids (no ARNs), no function names, no AWS error text. */
  readonly details: CommentDetails;
}

/** How many functions the table lists before it says "… and N more". */
const MAX_FUNCTION_ROWS = 200;

export function render(report: Report, options: RenderOptions): string {
  const lines: string[] = [
    // A blank line first and last: a summary appended after (or before) an unclosed HTML block of
    // another step must not swallow this heading, nor this one swallow the next.
    '',
    '',
    heading(report),
    '',
    `**${verdict(report)}**`,
    '',
  ];
  // Why a pull request only planned (src/pipeline.ts planReason): the reviewer's first question.
  if (report.plan) {
    const facts = planFacts(report);
    const would = facts.length > 0 ? `${text(facts.join('; '))}. ` : '';
    lines.push(`> **Plan only**: ${would}Why: ${text(report.plan.reason)}`, '');
  }
  const meta = metaLine(report);
  if (meta) lines.push(meta, '');
  lines.push(...renderFailures(report, options.details));
  // On a pull request the plan's package diff is what reviewers came for: it goes first.
  if (outcomeOf(report) === 'plan') lines.push(...renderChanges(report), ...liveSection(report, options));
  else lines.push(...liveSection(report, options), ...renderChanges(report));
  lines.push(...functionsSection(report, options));
  lines.push(...stepsSection(report));
  lines.push(...detailSections(report, options));
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\n*$/, '')}\n\n`;
}

/** `python3.11 · x86_64 · run #12 · commit abc1234`, linked. */
function metaLine(report: Report): string | undefined {
  const parts: string[] = [];
  if (report.runtime) parts.push(text(report.runtime));
  if (report.architecture) parts.push(text(report.architecture));
  const context = report.context;
  if (context) {
    const run = runUrl(context);
    if (run) {
      const attempt =
        context.run?.attempt && context.run.attempt !== '1' ? `, attempt ${context.run.attempt}` : '';
      parts.push(link(`run #${context.run?.number ?? context.run?.id}${attempt}`, run));
    }
    const commit = commitUrl(context);
    if (commit && context.sha) parts.push(`commit ${link(code(context.sha.slice(0, 7)), commit)}`);
  }
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

const PUBLISH_RESULT = (l: { published: boolean; planned: boolean }): string =>
  !l.published ? 'already published, reused' : l.planned ? 'would publish (dry-run)' : 'published now';

function liveSection(report: Report, options: RenderOptions): string[] {
  const layers = report.publish?.layers ?? [];
  const writes = report.parameter?.writes ?? [];
  if (layers.length === 0 && writes.length === 0) return [];
  const name = displayName(report) ?? '';
  const title = outcomeOf(report) === 'plan' ? '### What would be live' : '### What is live';
  const lines = [title, ''];
  if (layers.length > 0) {
    const shared = layers.some((l) => l.sharedWith.length > 0);
    const rows = layers.map((l) => {
      const used = usedBy(report, l.region);
      const cells = [text(l.region), versionLink(l, name), PUBLISH_RESULT(l), used];
      if (shared)
        cells.push(
          options.details === 'minimal'
            ? plural(l.sharedWith.length, 'grant')
            : text(l.sharedWith.join(', ')),
        );
      return cells;
    });
    const header = ['Region', 'Layer version', 'This run', 'Functions using it'];
    if (shared) header.push('Shared with');
    lines.push(...table(header, rows), '');
  }
  if (writes.length > 0) {
    const rows = writes.map((w) => [
      text(w.region),
      code(w.name),
      !w.changed ? 'already held it' : w.planned ? 'would write (dry-run)' : `written (version ${w.version})`,
    ]);
    lines.push(...table(['Region', 'SSM parameter', 'Result'], rows), '');
  }
  if (options.details === 'full' && layers.length > 0) {
    lines.push(
      ...details(
        'Layer version ARNs',
        layers.map((l) => `- ${text(l.region)}: ${code(l.layerVersionArn)}`),
      ),
    );
  }
  return lines;
}

/** "5 of 42 scanned" for the live table: who uses the layer after the run. */
function usedBy(report: Report, region: string): string {
  const rollout = report.rollout;
  if (!rollout) return '—';
  const here = rollout.functions.filter((f) => f.region === region);
  const using = here.filter((f) => ['updated', 'unchanged', 'planned'].includes(f.status)).length;
  const scanned = rollout.scanned[region];
  return scanned === undefined ? String(using) : `${using} of ${plural(scanned, 'function')} scanned`;
}

const FUNCTION_STATUS: Record<FunctionOutcome['status'], readonly [icon: string, words: string]> = {
  updated: ['✅', 'moved'],
  unchanged: ['➖', 'already on it'],
  planned: ['📝', 'would move'],
  skipped: ['⏭️', 'skipped'],
  failed: ['❌', 'failed'],
  'rolled-back': ['↩️', 'rolled back'],
  'not-started': ['⏸️', 'not yet moved'],
  'in-flight': ['⏳', 'in flight'],
};

/** "3 moved, 1 failed", in the order the statuses first appear. */
function statusCounts(functions: readonly FunctionOutcome[]): string[] {
  const counts = new Map<string, number>();
  for (const f of functions) {
    const words = FUNCTION_STATUS[f.status][1];
    counts.set(words, (counts.get(words) ?? 0) + 1);
  }
  return [...counts].map(([words, n]) => `${n} ${words}`);
}

function functionsSection(report: Report, options: RenderOptions): string[] {
  const rollout = report.rollout;
  if (!rollout) return [];
  const lines = ['### Functions', ''];
  // Across accounts: the accounts that could not be reached, then rows grouped by account.
  for (const failure of rollout.accountFailures ?? []) {
    const why = options.details === 'minimal' ? 'could not be reached' : text(failure.reason);
    lines.push(`- ❌ Account ${options.details === 'minimal' ? '…' : text(failure.account)}: ${why}`);
  }
  for (const region of Object.keys(rollout.scanned)) {
    const here = rollout.functions.filter((f) => f.region === region);
    const others = Math.max(0, (rollout.scanned[region] ?? 0) - here.length);
    const parts = statusCounts(here);
    if (others > 0) parts.push(`${plural(others, 'other function')} scanned, not using this layer`);
    lines.push(`- ${text(region)}: ${parts.join(', ') || 'no function found'}`);
  }
  lines.push('');
  const accounts = rollout.accounts ?? [];
  const rows =
    accounts.length > 1
      ? [...rollout.functions].sort(
          (a, b) => accounts.indexOf(a.account ?? '') - accounts.indexOf(b.account ?? ''),
        )
      : rollout.functions;
  if (rows.length === 0 || options.details === 'minimal') return lines;
  const name = displayName(report) ?? 'layer';
  const shown = rows.slice(0, MAX_FUNCTION_ROWS);
  const body = table(
    [
      'Function',
      ...(accounts.length > 1 ? ['Account'] : []),
      'Region',
      `${code(name)} version`,
      'Result',
      'Time',
    ],
    shown.map((f) => functionRow(f, report, accounts.length > 1)),
    [...(accounts.length > 1 ? [''] : []), '', '', '', '', 'right'],
  );
  if (rows.length > shown.length) body.push('', `… and ${rows.length - shown.length} more (see the log).`);
  const open = rows.some((f) => f.status === 'failed' || f.status === 'rolled-back');
  return [...lines, ...details(`${plural(rows.length, 'function')} in detail`, body, open)];
}

function functionRow(f: FunctionOutcome, report: Report, withAccount: boolean): string[] {
  const partition = report.publish?.layers[0]?.layerArn.split(':')[1];
  const aliases = (f.aliases ?? []).map((a) =>
    a.toVersion
      ? `alias ${a.alias} ${a.fromVersion} → ${a.toVersion} (${a.status})`
      : `alias ${a.alias}: ${a.status}`,
  );
  const notes = [f.reason, ...aliases].filter((n): n is string => !!n).map(text);
  return [
    link(code(f.functionName), functionConsoleUrl(f.region, f.functionName, partition)),
    ...(withAccount ? [text(f.account ?? '')] : []),
    text(f.region),
    `${f.fromVersion ?? 'none'} → ${f.toVersion}`,
    `${FUNCTION_STATUS[f.status].join(' ')}${notes.length > 0 ? `: ${notes.join('; ')}` : ''}`,
    f.seconds === undefined ? '' : duration(f.seconds),
  ];
}

const STEP_ICONS: Record<StepRecord['status'], string> = {
  succeeded: '✅',
  failed: '❌',
  skipped: '⏭️',
  cancelled: '⏹️',
};

function stepsSection(report: Report): string[] {
  if (report.steps.length === 0) return [];
  const rows = report.steps.map((record) => [
    `${STEP_ICONS[record.status]} ${record.step}`,
    stepNote(report, record),
    record.seconds === undefined ? '' : duration(record.seconds),
  ]);
  return ['### Steps', '', ...table(['Step', 'Result', 'Time'], rows, ['', '', 'right']), ''];
}

/** One line per step: what a reviewer wants to know at a glance. */
function stepNote(report: Report, record: StepRecord): string {
  if (record.status === 'skipped' || record.status === 'cancelled') return text(record.note);
  if (record.status === 'failed') {
    return record.step === 'comment' ? text(record.note) : 'failed, see above';
  }
  switch (record.step) {
    case 'build': {
      const a = report.artifact;
      if (!a) return text(report.unchanged?.message ?? record.note); // the build key matched: nothing built
      const trimmed = a.trim ? `, trimmed ${size(a.trim.bytesSaved)}` : '';
      const dropped = a.dropped
        ? `, ${plural(a.dropped.length, 'package')} for another platform dropped`
        : '';
      const what = a.given ? 'given zip' : plural(a.packages.length, 'package');
      return `${what}, ${size(a.zipSize)} zip, ${size(a.unzippedSize)} unzipped${trimmed}${dropped}`;
    }
    case 'smoke-test': {
      const runs = report.smoke?.runs ?? [];
      const imports = runs.reduce((sum, run) => sum + run.imports.length, 0);
      const where = runs.length > 1 ? ` in ${runs.map((run) => run.runtime).join(', ')}` : '';
      return imports === 0
        ? 'nothing to import (no package metadata)'
        : `${plural(imports, 'import')} ok${where}`;
    }
    case 'publish': {
      const layers = report.publish?.layers ?? [];
      const count = (what: string): number => layers.filter((l) => PUBLISH_RESULT(l) === what).length;
      return ['published now', 'already published, reused', 'would publish (dry-run)']
        .filter((what) => count(what) > 0)
        .map((what) => `${what}: ${plural(count(what), 'region')}`)
        .join(', ');
    }
    case 'roll-out':
      return statusCounts(report.rollout?.functions ?? []).join(', ') || 'no function uses this layer';
    case 'ssm': {
      const writes = report.parameter?.writes ?? [];
      const changed = writes.filter((w) => w.changed).length;
      const verb = writes.some((w) => w.planned) ? 'would be written' : 'written';
      return `${changed} ${verb}, ${writes.length - changed} unchanged`;
    }
    case 'comment': {
      const comment = report.comment;
      if (!comment) return text(record.note);
      if (comment.action === 'failed') return `⚠️ not posted: ${text(comment.warning ?? '')}`;
      const where = comment.target === 'commit' ? 'the commit' : 'the pull request';
      return `${comment.action} on ${comment.url ? link(where, comment.url) : where}`;
    }
    case 'keep-versions': {
      const deleted = (report.retention ?? []).reduce((sum, r) => sum + r.deleted.length, 0);
      const kept = (report.retention ?? []).reduce((sum, r) => sum + Object.keys(r.keptInUse).length, 0);
      const planned = report.retention?.[0]?.planned ? ' (dry-run)' : '';
      return `${plural(deleted, 'version')} deleted${planned}, ${kept} kept in use`;
    }
    default:
      return text(record.note);
  }
}

function detailSections(report: Report, options: RenderOptions): string[] {
  const lines: string[] = [];
  const artifact = report.artifact;
  if (artifact) {
    lines.push(
      ...details('Layer zip', [
        ...table(
          ['', ''],
          [
            [
              'Size',
              `${size(artifact.zipSize)} zipped, ${size(artifact.unzippedSize)} unzipped, ${plural(artifact.fileCount, 'file')}`,
            ],
            ['CodeSha256', code(artifact.codeSha256)],
            ['Content hash', code(artifact.contentHash)],
            ['Layout', artifact.layout.modulePaths.map((p) => code(`/opt/${p}`)).join(', ') || '—'],
          ],
        ),
      ]),
    );
    if (artifact.packages.length > 0) {
      const rows = artifact.packages.map((p) => [
        text(p.name),
        text(p.version),
        // Modules with a leading underscore are a package's internals (_yaml), not what users import.
        p.imports
          .filter((m) => !m.startsWith('_'))
          .map(code)
          .join(', '),
      ]);
      lines.push(
        ...details(
          plural(artifact.packages.length, 'package'),
          table(['Package', 'Version', 'Imports'], rows),
        ),
      );
    }
  }
  for (const r of report.retention ?? []) {
    const kept = Object.entries(r.keptInUse).map(([v, users]) =>
      options.details === 'minimal' ? `${v} (in use)` : `${v} (used by ${users.map(text).join(', ')})`,
    );
    lines.push(
      `Old versions in ${text(r.region)}: ${r.planned ? 'would delete' : 'deleted'} ${r.deleted.join(', ') || 'none'}` +
        (kept.length > 0 ? `; kept in use: ${kept.join('; ')}` : ''),
      '',
    );
  }
  const smoke = report.smoke;
  if (options.audience === 'summary' && smoke && smoke.runs.length > 1) {
    lines.push(...smokeByRuntime(smoke.runs));
  } else if (options.audience === 'summary' && smoke && smoke.imports.length > 0) {
    const rows = smoke.imports.map((r) => [
      code(r.module),
      r.ok ? (r.alreadyLoaded ? '✅ (loaded by an earlier import)' : '✅') : `❌ ${text(r.error ?? '')}`,
      r.ms === undefined || r.alreadyLoaded ? '' : duration(r.ms / 1000),
    ]);
    lines.push(
      ...details(
        `Smoke test in ${smoke.image}`,
        table(['Module', 'Result', 'Time'], rows, ['', '', 'right']),
        smoke.imports.some((r) => !r.ok),
      ),
    );
  }
  return lines;
}

/** A layer declaring several runtimes: one row per module, one column per runtime's smoke test. */
function smokeByRuntime(runs: readonly RuntimeSmoke[]): string[] {
  const modules = [...new Set(runs.flatMap((run) => run.imports.map((r) => r.module)))];
  const rows = modules.map((module) => [
    code(module),
    ...runs.map((run) => {
      const r = run.imports.find((i) => i.module === module);
      if (!r) return '—';
      if (!r.ok) return `❌ ${text(r.error ?? '')}`;
      return r.ms === undefined || r.alreadyLoaded ? '✅' : `✅ ${duration(r.ms / 1000)}`;
    }),
  ]);
  return details(
    `Smoke test in ${runs.map((run) => run.image).join(', ')}`,
    table(['Module', ...runs.map((run) => run.runtime)], rows, ['', ...runs.map(() => '')]),
    runs.some((run) => run.imports.some((r) => !r.ok)),
  );
}
