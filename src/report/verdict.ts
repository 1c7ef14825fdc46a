/**
 * What the run amounted to, in one heading and one sentence: did it change anything, what is live
 * now and where, and what went wrong.
 */
import type { Report } from './types.js';
import type { FunctionOutcome } from '../steps/roll-out.js';
import type { PublishedLayer } from '../steps/publish.js';
import { explainAwsError, shortCode } from './failures.js';
import { code, duration, link, listing, plural } from './markdown.js';

export type Outcome = 'cancelled' | 'failed' | 'plan' | 'superseded' | 'released' | 'unchanged' | 'built';

export function outcomeOf(report: Report): Outcome {
  if (report.cancelled) return 'cancelled';
  if (report.error !== undefined || report.steps.some((s) => s.status === 'failed')) return 'failed';
  if (report.dryRun) return 'plan';
  if (report.rollout?.superseded) return 'superseded';
  const layers = report.publish?.layers;
  if (!layers) return 'built';
  const moved = (report.rollout?.functions ?? []).some((f) => f.status === 'updated');
  const written = (report.parameter?.writes ?? []).some((w) => w.changed);
  return layers.some((l) => l.published) || moved || written ? 'released' : 'unchanged';
}

const HEADINGS: Record<Outcome, [string, string]> = {
  cancelled: ['⏹️', 'run cancelled'],
  failed: ['❌', 'release failed'],
  plan: ['📝', 'plan (dry-run, nothing changed)'],
  superseded: ['⏩', 'superseded by a newer release'],
  released: ['🚀', 'released'],
  unchanged: ['➖', 'no changes'],
  built: ['✅', 'built'],
};

export function heading(report: Report): string {
  const outcome = outcomeOf(report);
  const [icon, what] = HEADINGS[outcome];
  const name = displayName(report);
  if (!name) return `## ${icon} Lambda layer ${what}`;
  const tested = outcome === 'built' && report.smoke ? ' and smoke-tested' : '';
  return `## ${icon} Lambda layer ${code(name)}${outcome === 'built' || outcome === 'released' ? ' ' : ': '}${what}${tested}`;
}

/** The layer's name, also when layer-name was given as an ARN (the name is what people say). */
export function displayName(report: Report): string | undefined {
  const arn = report.publish?.layers[0]?.layerArn;
  const fromArn = arn && /:layer:([^:]+)$/.exec(arn)?.[1];
  return fromArn || report.layerName?.replace(/^arn:.*:layer:/, '');
}

/** The Lambda console page of one layer version (no account id in it: safe in a public comment). */
export function layerConsoleUrl(layer: PublishedLayer, name: string): string {
  const partition = layer.layerArn.split(':')[1] ?? 'aws';
  const host = CONSOLE_HOSTS[partition] ?? 'console.aws.amazon.com';
  return `https://${layer.region}.${host}/lambda/home?region=${layer.region}#/layers/${name}/versions/${layer.version}`;
}

export function functionConsoleUrl(region: string, functionName: string, partition = 'aws'): string {
  const host = CONSOLE_HOSTS[partition] ?? 'console.aws.amazon.com';
  return `https://${region}.${host}/lambda/home?region=${region}#/functions/${functionName}`;
}

const CONSOLE_HOSTS: Record<string, string> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/** `name:7`, linked to its console page when it exists (a planned version has no page yet). */
export function versionLink(layer: PublishedLayer, name: string): string {
  const label = code(`${name}:${layer.version}`);
  return layer.planned && layer.published ? label : link(label, layerConsoleUrl(layer, name));
}

/** "`x:2` in us-east-1, eu-west-1", grouped by version (regions can be at different numbers). */
function whereLive(layers: readonly PublishedLayer[], name: string): string {
  const byVersion = new Map<number, PublishedLayer[]>();
  for (const l of layers) byVersion.set(l.version, [...(byVersion.get(l.version) ?? []), l]);
  return listing(
    [...byVersion.values()].map(
      (group) => `${versionLink(group[0]!, name)} in ${group.map((l) => l.region).join(', ')}`,
    ),
  );
}

export function totalSeconds(report: Report): number {
  return report.steps.reduce((sum, s) => sum + (s.seconds ?? 0), 0);
}

/** "5 functions moved 1 → 2", "3 functions moved to 4 (from 1 and 2)". */
function moved(functions: readonly FunctionOutcome[], verb: string): string | undefined {
  if (functions.length === 0) return undefined;
  const to = [...new Set(functions.map((f) => f.toVersion))];
  const from = [...new Set(functions.map((f) => f.fromVersion).filter((v) => v !== undefined))].sort(
    (a, b) => a - b,
  );
  const count = plural(functions.length, 'function');
  if (from.length === 1 && to.length === 1) return `${count} ${verb} ${from[0]} → ${to[0]}`;
  const fromNote = from.length > 0 ? ` (from ${listing(from.map(String))})` : '';
  return `${count} ${verb} to ${listing(to.map(String))}${fromNote}`;
}

function rolloutPart(report: Report, outcome: Outcome): string | undefined {
  const rollout = report.rollout;
  if (!rollout) return undefined;
  const by = (status: FunctionOutcome['status']): FunctionOutcome[] =>
    rollout.functions.filter((f) => f.status === status);
  const already = by('unchanged').length;
  // "5 functions already use it" when nothing else happened; beside moves, "2 already on it".
  const verb = outcome !== 'unchanged' ? 'on' : already === 1 ? 'uses' : 'use';
  const count = (status: FunctionOutcome['status'], words: string): string | undefined =>
    by(status).length > 0 ? `${plural(by(status).length, 'function')} ${words}` : undefined;
  const parts = [
    moved(by('updated'), 'moved'),
    moved(by('planned'), 'would move'),
    already > 0 ? `${plural(already, 'function')} already ${verb} it` : undefined,
    count('newer', 'on a newer version left alone'),
    count('superseded', 'left to the newer release'),
  ].filter((p): p is string => p !== undefined);
  if (parts.length === 0 && outcome !== 'failed') return 'no function uses it';
  return parts.join(', ') || undefined;
}

/** The one sentence under the heading (Markdown, without the emphasis). */
export function verdict(report: Report): string {
  const outcome = outcomeOf(report);
  const name = displayName(report) ?? 'layer';
  const layers = report.publish?.layers ?? [];
  const time = duration(totalSeconds(report));
  switch (outcome) {
    case 'cancelled':
      return cancelledVerdict(report, name);
    case 'failed':
      return failedVerdict(report, name);
    case 'plan': {
      const fresh = layers.filter((l) => l.published);
      const publish =
        fresh.length > 0
          ? `would publish ${whereLive(fresh, name)}`
          : `${whereLive(layers, name)} already has this content, nothing to publish`;
      return ['Plan: ' + publish, rolloutPart(report, outcome), 'nothing was changed']
        .filter(Boolean)
        .join(' · ');
    }
    case 'released': {
      const fresh = layers.filter((l) => l.published);
      const head =
        fresh.length > 0
          ? `Released ${whereLive(fresh, name)}`
          : `Rolled out ${whereLive(layers, name)} (already published)`;
      return [head, rolloutPart(report, outcome), time].filter(Boolean).join(' · ');
    }
    case 'superseded':
      return supersededVerdict(report, name, time);
    case 'unchanged': {
      const uses = rolloutPart(report, outcome);
      return `No changes: ${whereLive(layers, name)} is already live${uses ? `; ${uses}` : ''}`;
    }
    case 'built': {
      const a = report.artifact;
      const imports = (report.smoke?.runs ?? []).reduce((sum, run) => sum + run.imports.length, 0);
      return [
        a ? `Built ${plural(a.packages.length, 'package')}` : 'Built',
        imports > 0 ? `${plural(imports, 'import')} ok` : undefined,
        time,
      ]
        .filter(Boolean)
        .join(' · ');
    }
  }
}

/** "Superseded by `race:3` in us-east-1, published after this run · this run published `race:2` · 1 function moved 1 → 2, …". */
function supersededVerdict(report: Report, name: string, time: string): string {
  const by = report.rollout!.superseded!;
  const fresh = (report.publish?.layers ?? []).filter((l) => l.published);
  // No function name: the comment may be minimal (the functions table names them where it may).
  return [
    `Superseded by ${code(`${name}:${by.version}`)} in ${by.region}, published after this run`,
    fresh.length > 0 ? `this run published ${whereLive(fresh, name)}` : undefined,
    rolloutPart(report, 'superseded'),
    time,
  ]
    .filter(Boolean)
    .join(' · ');
}

function failedVerdict(report: Report, name: string): string {
  const failedStep = report.steps.find((s) => s.status === 'failed');
  if (!failedStep) return 'Failed before any step ran.';
  const sentences = [`Failed: ${failedStep.step}${failedWhere(report, failedStep.step)}.`];
  const live = (report.publish?.layers ?? []).filter((l) => !(l.published && l.planned));
  if (live.length === 0) {
    if (!report.dryRun) sentences.push('Nothing was published.');
    return sentences.join(' ');
  }
  const rollout = report.rollout?.functions ?? [];
  const rolledBack = rollout.filter((f) => f.status === 'rolled-back');
  const rolled = report.rollout
    ? [
        moved(
          rollout.filter((f) => f.status === 'updated'),
          'moved',
        ),
        rolledBack.length > 0
          ? `${plural(rolledBack.length, 'function')} rolled back to ${listing([
              ...new Set(rolledBack.map((f) => String(f.fromVersion ?? 'none'))),
            ])}`
          : undefined,
      ]
        .filter(Boolean)
        .join(', ') || 'no function was moved'
    : 'nothing was rolled out';
  sentences.push(`${serves(live, name)}; ${rolled}.`);
  const fresh = live.filter((l) => l.published);
  if (fresh.length > 0) {
    const versions = listing([...new Set(fresh.map((l) => String(l.version)))]);
    sentences.push(`Re-running reuses version ${versions}.`);
  }
  return sentences.join(' ');
}

/**
 * Where a cancelled run stopped, what is live, where each function is (moved, in flight, not yet
 * moved), and that a re-run with the same inputs finishes the job (docs/cancel.md).
 */
function cancelledVerdict(report: Report, name: string): string {
  const { signal, step } = report.cancelled!;
  const sentences = [`Cancelled (${signal})${step ? ` during ${step}` : ''}.`];
  const live = (report.publish?.layers ?? []).filter((l) => !(l.published && l.planned));
  const functions = report.rollout?.functions ?? [];
  const count = (status: FunctionOutcome['status'], words: string): string | undefined => {
    const n = functions.filter((f) => f.status === status).length;
    return n > 0 ? `${plural(n, 'function')} ${words}` : undefined;
  };
  const where = [
    moved(
      functions.filter((f) => f.status === 'updated'),
      'moved',
    ),
    count('in-flight', 'in flight (update sent, not confirmed)'),
    count('not-started', 'not yet moved'),
  ].filter(Boolean);
  if (live.length === 0) sentences.push('Nothing was published.');
  else sentences.push(`${serves(live, name)}${where.length > 0 ? `; ${where.join(', ')}` : ''}.`);
  const fresh = [...new Set(live.filter((l) => l.published).map((l) => String(l.version)))];
  const reuse = fresh.length > 0 ? `: it reuses version ${listing(fresh)} and moves the rest` : '';
  sentences.push(`Re-running with the same inputs is safe${reuse}.`);
  return sentences.join(' ');
}

/** "us-east-1 serves `x:2`", "us-east-1 and eu-west-1 serve `x:2`". */
function serves(layers: readonly PublishedLayer[], name: string): string {
  const byVersion = new Map<number, PublishedLayer[]>();
  for (const l of layers) byVersion.set(l.version, [...(byVersion.get(l.version) ?? []), l]);
  return [...byVersion.values()]
    .map((group) => {
      const regions = group.map((l) => l.region);
      return `${listing(regions)} ${regions.length === 1 ? 'serves' : 'serve'} ${versionLink(group[0]!, name)}`;
    })
    .join(', ');
}

/** " in eu-west-1 (AccessDenied)", " of 3 of 5 functions (ResourceConflict)". */
function failedWhere(report: Report, step: string): string {
  const codes = (messages: readonly string[]): string => {
    const found = [...new Set(messages.map((m) => explainAwsError(m)?.code).filter(Boolean))] as string[];
    return found.length === 1 ? ` (${shortCode(found[0]!)})` : '';
  };
  if (step === 'publish' && report.publish?.failures.length) {
    const failures = report.publish.failures;
    return ` in ${listing(failures.map((f) => f.region))}${codes(failures.map((f) => f.error))}`;
  }
  if (step === 'ssm' && report.parameter?.failures.length) {
    const failures = report.parameter.failures;
    return ` in ${listing(failures.map((f) => f.region))}${codes(failures.map((f) => f.error))}`;
  }
  if (step === 'roll-out' && report.rollout) {
    const failed = report.rollout.functions.filter((f) => f.status === 'failed');
    return ` for ${failed.length} of ${report.rollout.functions.length} functions${codes(failed.map((f) => f.reason ?? ''))}`;
  }
  if (step === 'smoke-test' && report.smoke) {
    const imports = report.smoke.runs.flatMap((run) => run.imports);
    const failed = imports.filter((r) => !r.ok);
    return `, ${failed.length} of ${plural(imports.length, 'import')} failed`;
  }
  return report.error ? codes([report.error]) : '';
}
