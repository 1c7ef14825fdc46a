/**
 * "What went wrong": per region and per function, the AWS error code, what it means in plain words,
 * the next step, and (with comment-details: full) AWS's own message, whole and fenced.
 */
import { explainAwsError } from './failures.js';
import { code, fence, plural, text } from './markdown.js';
import type { CommentDetails, Report } from './types.js';

interface Failure {
  /** Where, already Markdown: "publish in eu-west-1". */
  readonly where: string;
  readonly message: string;
  /** Whether the message is AWS's text (left out with comment-details: minimal). */
  readonly fromAws: boolean;
}

/** Failures listed one by one before the rest are counted. */
const MAX_LISTED = 20;

export function renderFailures(report: Report, detail: CommentDetails): string[] {
  const failures = collect(report, detail);
  if (failures.length === 0) return [];
  const lines = ['### What went wrong', ''];
  for (const failure of failures.slice(0, MAX_LISTED)) lines.push(...describe(failure, detail));
  if (failures.length > MAX_LISTED)
    lines.push(`… and ${failures.length - MAX_LISTED} more (see the log).`, '');
  const rolledBack = (report.rollout?.functions ?? []).filter((f) => f.status === 'rolled-back');
  if (rolledBack.length > 0) {
    const names = detail === 'full' ? `: ${rolledBack.map((f) => code(f.functionName)).join(', ')}` : '';
    lines.push(
      `↩️ Rolled back to the version they had before: ${plural(rolledBack.length, 'function')}${names}.`,
      '',
    );
  }
  return lines;
}

function describe(failure: Failure, detail: CommentDetails): string[] {
  const explained = failure.fromAws ? explainAwsError(failure.message) : undefined;
  const lines: string[] = [];
  if (explained) {
    lines.push(
      `**❌ ${failure.where}** · ${code(explained.code)}: ${explained.meaning}.${explained.next ? '\\' : ''}`,
    );
    if (explained.next) lines.push(`Next step: ${explained.next}.`);
  } else {
    lines.push(`**❌ ${failure.where}**`);
  }
  lines.push('');
  if (!failure.fromAws || detail === 'full') lines.push(fence(failure.message, 'text'), '');
  else if (!explained) lines.push('The error is in the job log.', '');
  return lines;
}

function collect(report: Report, detail: CommentDetails): Failure[] {
  const failures: Failure[] = [];
  const failedStep = report.steps.find((s) => s.status === 'failed')?.step;
  for (const f of report.publish?.failures ?? []) {
    failures.push({ where: `publish in ${text(f.region)}`, message: f.error, fromAws: true });
  }
  failures.push(...rolloutFailures(report, detail));
  for (const f of report.parameter?.failures ?? []) {
    failures.push({ where: `ssm in ${text(f.region)}`, message: f.error, fromAws: true });
  }
  const runs = report.smoke?.runs ?? [];
  for (const run of runs) {
    const where = runs.length > 1 ? ` in ${text(run.runtime)}` : '';
    for (const r of run.imports) {
      if (!r.ok)
        failures.push({ where: `import ${code(r.module)}${where}`, message: r.error ?? '', fromAws: false });
    }
  }
  // What the structured results do not say (a build error, a publish refused before any region).
  if (report.error !== undefined && failures.length === 0) {
    const aws = ['publish', 'roll-out', 'ssm', 'keep-versions'].includes(failedStep ?? '');
    failures.push({
      where: failedStep ? text(failedStep) : 'before any step ran',
      message: report.error,
      fromAws: aws,
    });
  }
  return failures;
}

function rolloutFailures(report: Report, detail: CommentDetails): Failure[] {
  const failed = (report.rollout?.functions ?? []).filter((f) => f.status === 'failed');
  if (detail === 'full') {
    return failed.map((f) => ({
      where: `roll-out of ${code(f.functionName)} in ${text(f.region)}`,
      message: f.reason ?? 'failed',
      fromAws: true,
    }));
  }
  // Without function names: one entry per region and kind of error.
  const groups = new Map<string, { region: string; count: number; message: string }>();
  for (const f of failed) {
    const kind = explainAwsError(f.reason ?? '')?.code ?? '?';
    const key = `${f.region}\0${kind}`;
    const group = groups.get(key) ?? { region: f.region, count: 0, message: f.reason ?? '' };
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({
    where: `roll-out of ${plural(g.count, 'function')} in ${text(g.region)}`,
    message: g.message,
    fromAws: true,
  }));
}
