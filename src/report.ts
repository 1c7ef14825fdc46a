/**
 * The run's Report: what each step did. It becomes the action's outputs and the job summary,
 * and it is filled in as steps finish, so a failed run still reports what happened before.
 */
import type { StepName } from './inputs.js';
import { mb, type LayerArtifact } from './steps/build.js';
import type { SmokeResult } from './steps/smoke-test.js';

export type StepStatus = 'succeeded' | 'failed' | 'skipped';

export interface StepRecord {
  readonly step: StepName;
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
  return outputs;
}

/** One line per step for the summary table: what a reviewer wants to know at a glance. */
function stepNote(report: Report, record: StepRecord): string {
  if (record.status !== 'succeeded') return record.note;
  switch (record.step) {
    case 'build': {
      const a = report.artifact!;
      return `${a.given ? 'given zip' : `${a.packages.length} packages`}, ${mb(a.zipSize)} zip, ${mb(a.unzippedSize)} unzipped`;
    }
    case 'smoke-test': {
      const imports = report.smoke?.imports ?? [];
      return imports.length === 0 ? 'no modules to import' : `${imports.length}/${imports.length} imports ok`;
    }
    default:
      return record.note;
  }
}

const ICONS: Record<StepStatus, string> = { succeeded: '✅', failed: '❌', skipped: '⏭️' };

const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The job summary, in GitHub-flavoured Markdown. */
export function renderSummary(report: Report): string {
  const failed = report.error !== undefined || report.steps.some((s) => s.status === 'failed');
  const title = report.layerName
    ? `Lambda layer \`${report.layerName}\` (${report.runtime}, ${report.architecture})`
    : 'Lambda layer release';
  const lines = [`## ${failed ? '❌' : '✅'} ${title}`, ''];
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
  const smoke = report.smoke;
  if (smoke && smoke.imports.length > 0) {
    lines.push(`<details><summary>Smoke test in <code>${smoke.image}</code></summary>`, '');
    lines.push('| Module | Result | Time |', '| --- | --- | ---: |');
    for (const r of smoke.imports) {
      lines.push(`| ${r.module} | ${r.ok ? '✅' : `❌ ${cell(r.error ?? '')}`} | ${r.ms ?? ''} ms |`);
    }
    lines.push('', '</details>', '');
  }
  return lines.join('\n');
}
