import type { Report } from './types.js';

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
