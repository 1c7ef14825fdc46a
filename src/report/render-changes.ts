/** "What changed": the package diff against the version that was live before. */
import type { ChangeKind, Report } from './types.js';
import { code, plural, table, text } from './markdown.js';
import { displayName, outcomeOf } from './verdict.js';

const KINDS: Record<ChangeKind, string> = {
  upgraded: '⬆️ upgraded',
  downgraded: '⬇️ downgraded',
  added: '➕ added',
  removed: '➖ removed',
  changed: '🔄 changed',
};

/** Rows listed before the rest are counted (the job summary keeps everything under 1 MiB). */
const MAX_ROWS = 300;

export function renderChanges(report: Report): string[] {
  const diff = report.changes;
  if (!diff) return [];
  const title = outcomeOf(report) === 'plan' ? '### What would change' : '### What changed';
  const lines = [title, ''];
  if (diff.error) return [...lines, text(diff.error), ''];
  const name = displayName(report) ?? 'layer';
  if (!diff.against) {
    return [...lines, `The first version of ${code(name)}: ${plural(diff.changes.length, 'package')}.`, ''];
  }
  const before = code(`${name}:${diff.against.version}`);
  if (diff.changes.length === 0) {
    return [
      ...lines,
      `Same ${plural(diff.unchanged, 'package')} as ${before}; other files differ (build settings, your own code).`,
      '',
    ];
  }
  const counts = (Object.keys(KINDS) as ChangeKind[])
    .map((kind) => [kind, diff.changes.filter((c) => c.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`);
  if (diff.unchanged > 0) counts.push(`${diff.unchanged} unchanged`);
  const version = (v: string | undefined): string =>
    v === undefined ? '—' : v.startsWith('crc32:') ? code(v) : text(v);
  const rows = diff.changes
    .slice(0, MAX_ROWS)
    .map((c) => [text(c.name), version(c.before), version(c.after), KINDS[c.kind]]);
  lines.push(`Against ${before} (in ${text(diff.against.region)}): ${counts.join(', ')}.`, '');
  const now = outcomeOf(report) === 'plan' ? 'Would be' : 'Now';
  lines.push(...table(['Package', `Before (${before})`, now, 'Change'], rows), '');
  if (diff.changes.length > MAX_ROWS) lines.push(`… and ${diff.changes.length - MAX_ROWS} more.`, '');
  return lines;
}
