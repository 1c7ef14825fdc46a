/**
 * The run's Report: what each step did. It becomes the action's outputs and the job summary,
 * and it is filled in as steps finish, so a failed run still reports what happened before.
 */
import type { StepName } from './inputs.js';
import { mb, type LayerArtifact } from './steps/build.js';
import type { CommentResult } from './steps/comment.js';
import type { PublishResult } from './steps/publish.js';
import type { PutParameterResult } from './steps/put-parameter.js';
import type { RetentionResult } from './steps/retention.js';
import type { FunctionOutcome, RolloutResult } from './steps/roll-out.js';
import type { RuntimeSmoke, SmokeResult } from './steps/smoke-test.js';

export type StepStatus = 'succeeded' | 'failed' | 'skipped';

export interface StepRecord {
  readonly step: StepName | 'keep-versions';
  readonly status: StepStatus;
  readonly seconds?: number;
  readonly note: string;
}

export interface Report {
  layerName?: string;
  runtime?: string;
  architecture?: string;
  readonly steps: StepRecord[];
  artifact?: LayerArtifact;
  smoke?: SmokeResult;
  publish?: PublishResult;
  rollout?: RolloutResult;
  parameter?: PutParameterResult;
  comment?: CommentResult;
  retention?: RetentionResult[];
  /** Set when the AWS steps only planned, e.g. on a pull request: why (a full sentence's second half). */
  plan?: { readonly reason: string };
  error?: string;
}

export function newReport(): Report {
  return { steps: [] };
}

/** The action's outputs; only those the run produced are set. */
export function outputsOf(report: Report): Record<string, string> {
  const outputs: Record<string, string> = {};
  const artifact = report.artifact;
  if (artifact) {
    outputs['content-hash'] = artifact.contentHash;
    outputs['code-sha256'] = artifact.codeSha256;
    outputs['zip-file'] = artifact.zipFile;
    outputs['zip-size'] = String(artifact.zipSize);
    outputs['unzipped-size'] = String(artifact.unzippedSize);
  }
  const layers = report.publish?.layers ?? [];
  const first = layers[0];
  if (first) {
    outputs['layer-arn'] = first.layerArn;
    outputs['layer-version-arn'] = first.layerVersionArn;
    outputs['layer-version'] = String(first.version);
    outputs['layer-version-arns'] = JSON.stringify(
      Object.fromEntries(layers.map((l) => [l.region, l.layerVersionArn])),
    );
    outputs['published'] = String(layers.some((l) => l.published && !l.planned));
  }
  const write = report.parameter?.writes[0];
  if (write) outputs['ssm-parameter-version'] = String(write.version);
  const rollout = report.rollout;
  if (rollout) {
    const pick = (statuses: string[]): FunctionOutcome[] =>
      rollout.functions.filter((f) => statuses.includes(f.status));
    outputs['updated-functions'] = JSON.stringify(
      pick(['updated', 'planned']).map((f) => ({
        function: f.functionName,
        region: f.region,
        from: f.fromVersion,
        to: f.toVersion,
      })),
    );
    outputs['failed-functions'] = JSON.stringify(
      pick(['failed']).map((f) => ({ function: f.functionName, region: f.region, reason: f.reason })),
    );
  }
  return outputs;
}

/** One line per step for the summary table: what a reviewer wants to know at a glance. */
function stepNote(report: Report, record: StepRecord): string {
  if (record.status !== 'succeeded') return record.note;
  switch (record.step) {
    case 'build': {
      const a = report.artifact!;
      const trimmed = a.trim ? `, trimmed ${mb(a.trim.bytesSaved)}` : '';
      return `${a.given ? 'given zip' : `${a.packages.length} packages`}, ${mb(a.zipSize)} zip, ${mb(a.unzippedSize)} unzipped${trimmed}`;
    }
    case 'smoke-test': {
      const runs = report.smoke?.runs ?? [];
      const imports = runs.reduce((sum, run) => sum + run.imports.length, 0);
      const where = runs.length > 1 ? ` in ${runs.map((run) => run.runtime).join(', ')}` : '';
      return imports === 0 ? 'no modules to import' : `${imports}/${imports} imports ok${where}`;
    }
    case 'publish': {
      const layers = report.publish?.layers ?? [];
      const count = (predicate: (l: (typeof layers)[number]) => boolean): number =>
        layers.filter(predicate).length;
      const parts = [
        [count((l) => l.published && !l.planned), 'published'],
        [count((l) => !l.published), 'unchanged'],
        [count((l) => l.published && l.planned), 'would publish (dry-run)'],
      ] as const;
      return parts
        .filter(([n]) => n > 0)
        .map(([n, what]) => `${n} region${n === 1 ? '' : 's'} ${what}`)
        .join(', ');
    }
    case 'roll-out': {
      const counts = new Map<string, number>();
      for (const f of report.rollout?.functions ?? []) counts.set(f.status, (counts.get(f.status) ?? 0) + 1);
      return [...counts].map(([status, n]) => `${n} ${status}`).join(', ') || 'no function uses this layer';
    }
    case 'ssm': {
      const writes = report.parameter?.writes ?? [];
      const changed = writes.filter((w) => w.changed).length;
      const planned = writes.some((w) => w.planned) ? ' (dry-run)' : '';
      return `${writes[0]?.name}: ${changed} written${planned}, ${writes.length - changed} unchanged`;
    }
    case 'comment': {
      const comment = report.comment!;
      if (comment.action === 'failed') return `⚠️ not posted: ${comment.warning}`;
      const where = comment.target === 'commit' ? 'the commit' : 'the pull request';
      return `${comment.action} on ${comment.url ? `[${where}](${comment.url})` : where}`;
    }
    case 'keep-versions': {
      const deleted = (report.retention ?? []).reduce((sum, r) => sum + r.deleted.length, 0);
      const kept = (report.retention ?? []).reduce((sum, r) => sum + Object.keys(r.keptInUse).length, 0);
      return `${deleted} deleted${report.retention?.[0]?.planned ? ' (dry-run)' : ''}, ${kept} kept in use`;
    }
    default:
      return record.note;
  }
}

const ICONS: Record<StepStatus, string> = { succeeded: '✅', failed: '❌', skipped: '⏭️' };
const FUNCTION_ICONS: Record<FunctionOutcome['status'], string> = {
  updated: '✅',
  unchanged: '➖',
  planned: '📝',
  skipped: '⏭️',
  failed: '❌',
  'rolled-back': '↩️',
  'not-started': '⏸️',
};

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The job summary, in GitHub-flavoured Markdown. */
export function renderSummary(report: Report): string {
  const failed = report.error !== undefined || report.steps.some((s) => s.status === 'failed');
  const title = report.layerName
    ? `Lambda layer \`${report.layerName}\` (${report.runtime}, ${report.architecture})`
    : 'Lambda layer release';
  const lines = [`## ${failed ? '❌' : '✅'} ${title}`, ''];
  if (report.plan) {
    const facts = planFacts(report);
    lines.push(
      `> **Plan only**${facts.length > 0 ? `: ${facts.join('; ')}` : ''}. Why: ${report.plan.reason}`,
      '',
    );
  }
  if (report.error) lines.push('```', report.error, '```', '');
  if (report.steps.length > 0) {
    lines.push('| Step | Result | Time |', '| --- | --- | ---: |');
    for (const record of report.steps) {
      const time = record.seconds === undefined ? '' : `${record.seconds.toFixed(1)} s`;
      lines.push(`| ${ICONS[record.status]} ${record.step} | ${cell(stepNote(report, record))} | ${time} |`);
    }
    lines.push('');
  }
  const artifact = report.artifact;
  if (artifact) {
    lines.push(
      '| Layer zip | |',
      '| --- | --- |',
      `| File | \`${artifact.zipFile}\` |`,
      `| Size | ${mb(artifact.zipSize)} zipped, ${mb(artifact.unzippedSize)} unzipped, ${artifact.fileCount} files |`,
      `| CodeSha256 | \`${artifact.codeSha256}\` |`,
      `| Content hash | \`${artifact.contentHash}\` |`,
      `| Layout | ${artifact.layout.modulePaths.map((p) => `\`/opt/${p}\``).join(', ') || '—'} |`,
      '',
    );
    if (artifact.packages.length > 0) {
      lines.push(`<details><summary>${artifact.packages.length} packages</summary>`, '');
      lines.push('| Package | Version | Imports |', '| --- | --- | --- |');
      for (const p of artifact.packages) lines.push(`| ${p.name} | ${p.version} | ${p.imports.join(', ')} |`);
      lines.push('', '</details>', '');
    }
  }
  const publish = report.publish;
  if (publish && (publish.layers.length > 0 || publish.failures.length > 0)) {
    lines.push('| Region | Layer version | Result | Shared with |', '| --- | --- | --- | --- |');
    for (const l of publish.layers) {
      const result = !l.published ? 'unchanged, reused' : l.planned ? 'would publish (dry-run)' : 'published';
      lines.push(
        `| ${l.region} | \`${l.layerVersionArn}\` | ${result} | ${l.sharedWith.join(', ') || '—'} |`,
      );
    }
    for (const f of publish.failures) lines.push(`| ${f.region} | — | ❌ ${cell(f.error)} | |`);
    lines.push('');
  }
  const rolled = report.rollout?.functions ?? [];
  if (rolled.length > 0) {
    const shown = rolled.slice(0, 200);
    lines.push(
      `<details${rolled.some((f) => f.status === 'failed') ? ' open' : ''}><summary>Functions (${rolled.length})</summary>`,
      '',
    );
    lines.push('| Function | Region | Version | Status | Time |', '| --- | --- | --- | --- | ---: |');
    for (const f of shown) {
      const aliases = (f.aliases ?? []).map((a) =>
        a.toVersion
          ? `alias ${a.alias} ${a.fromVersion} → ${a.toVersion} (${a.status})`
          : `alias ${a.alias}: ${a.status}`,
      );
      const notes = [f.reason, ...aliases].filter(Boolean).map((note) => cell(note!));
      const status = `${FUNCTION_ICONS[f.status]} ${f.status}${notes.length > 0 ? `: ${notes.join('; ')}` : ''}`;
      const time = f.seconds === undefined ? '' : `${f.seconds.toFixed(1)} s`;
      lines.push(
        `| ${f.functionName} | ${f.region} | ${f.fromVersion ?? '—'} → ${f.toVersion} | ${status} | ${time} |`,
      );
    }
    if (rolled.length > shown.length)
      lines.push('', `… and ${rolled.length - shown.length} more (see the log).`);
    lines.push('', '</details>', '');
  }
  for (const r of report.retention ?? []) {
    const kept = Object.entries(r.keptInUse).map(([v, users]) => `${v} (used by ${users.join(', ')})`);
    lines.push(
      `**${r.region}**: ${r.planned ? 'would delete' : 'deleted'} versions ${r.deleted.join(', ') || 'none'}` +
        (kept.length > 0 ? `; kept in use: ${kept.join('; ')}` : ''),
      '',
    );
  }
  const parameter = report.parameter;
  if (parameter && (parameter.writes.length > 0 || parameter.failures.length > 0)) {
    lines.push('| Region | SSM parameter | Version | Result |', '| --- | --- | ---: | --- |');
    for (const w of parameter.writes) {
      const result = !w.changed ? 'unchanged' : w.planned ? 'would write (dry-run)' : 'written';
      lines.push(`| ${w.region} | \`${w.name}\` | ${w.version} | ${result} |`);
    }
    for (const f of parameter.failures) lines.push(`| ${f.region} | | | ❌ ${cell(f.error)} |`);
    lines.push('');
  }
  const runs = (report.smoke?.runs ?? []).filter((run) => run.imports.length > 0);
  if (runs.length > 0) lines.push(...smokeTable(runs));
  return lines.join('\n');
}

/** The imports of each runtime's smoke test: one row per module, one column per runtime. */
function smokeTable(runs: readonly RuntimeSmoke[]): string[] {
  const images = runs.map((run) => `<code>${run.image}</code>`).join(', ');
  const lines = [`<details><summary>Smoke test in ${images}</summary>`, ''];
  lines.push(
    `| Module | ${runs.map((run) => run.runtime).join(' | ')} |`,
    `| --- |${runs.map(() => ' --- |').join('')}`,
  );
  const modules = [...new Set(runs.flatMap((run) => run.imports.map((r) => r.module)))];
  for (const module of modules) {
    const cells = runs.map((run) => {
      const r = run.imports.find((i) => i.module === module);
      if (!r) return '—';
      if (!r.ok) return `❌ ${cell(r.error ?? '')}`;
      return r.ms === undefined ? '✅' : `✅ ${r.ms} ms`;
    });
    lines.push(`| ${module} | ${cells.join(' | ')} |`);
  }
  lines.push('', '</details>', '');
  return lines;
}

/** The commit or pull request comment: the summary without the per-import details. */
export function renderComment(report: Report): string {
  return renderSummary({ ...report, smoke: undefined });
}

/** What a real run would have done, from the dry-run results: "would publish version 8 in us-east-1", … */
export function planFacts(report: Report): string[] {
  const facts: string[] = [];
  for (const layer of report.publish?.layers ?? []) {
    facts.push(
      layer.published
        ? `would publish version ${layer.version} in ${layer.region}`
        : `would reuse the unchanged version ${layer.version} in ${layer.region}`,
    );
  }
  const moves = (report.rollout?.functions ?? []).filter((f) => f.status === 'planned').length;
  if (report.rollout) facts.push(`would move ${moves} function${moves === 1 ? '' : 's'}`);
  const writes = (report.parameter?.writes ?? []).filter((w) => w.changed);
  if (writes.length > 0) facts.push(`would write ${writes[0]!.name} in ${writes.length} region(s)`);
  for (const r of report.retention ?? []) {
    if (r.deleted.length > 0) {
      facts.push(
        `would delete version${r.deleted.length === 1 ? '' : 's'} ${r.deleted.join(', ')} in ${r.region}`,
      );
    }
  }
  return facts;
}
