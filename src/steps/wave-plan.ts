/**
 * The roll-out's waves, decided before any update: the canary (the first `canary` consumers of the first
 * account's first region), then one wave per region in the order given, each holding every account's
 * consumers in that region; and the plan's lines in the log.
 */
import * as core from '@actions/core';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { Target } from '../look-ups/targets.js';
import type { AccountDiscovery, AccountFailure } from './accounts.js';
import type { PublishedLayer } from './publish.js';

export interface Wave {
  readonly number: number;
  readonly region: string;
  readonly label: string;
  readonly functions: number;
  /** Accounts with functions in this wave. */
  readonly accounts: number;
}

/** One account's functions in a wave. */
interface WavePart {
  readonly target: Target;
  readonly functions: readonly FunctionConfiguration[];
}

export interface PlannedWave {
  readonly number: number;
  readonly label: string;
  readonly layer: PublishedLayer;
  readonly parts: readonly WavePart[];
  /** Wait canary-wait after this wave (and watch the alarms). */
  readonly bake: boolean;
  /** The last wave of its region: check the alarms after it. */
  readonly endsRegion: boolean;
  /** A failed canary stops everything after it, whatever on-failure says: that is what it is for. */
  readonly canary: boolean;
}

/**
 * The canary (the first N consumers of the first account's first region), then one wave per region in
 * the order given, each holding every account's consumers in that region.
 */
export function planWaves(
  discoveries: readonly AccountDiscovery[],
  layers: readonly PublishedLayer[],
  canary: number,
  multi: boolean,
): PlannedWave[] {
  const waves: PlannedWave[] = [];
  const first = discoveries[0];
  const head = first ? first.consumers.slice(0, canary) : [];
  layers.forEach((layer) => {
    const parts = discoveries
      .filter((d) => d.layer.region === layer.region)
      .map((d) => ({
        target: d.target,
        functions: d === first ? d.consumers.slice(head.length) : d.consumers,
      }))
      .filter((part) => part.functions.length > 0);
    const inCanaryRegion = head.length > 0 && first!.layer.region === layer.region;
    if (inCanaryRegion) {
      waves.push({
        number: waves.length + 1,
        label: `canary in ${multi ? `${first!.target.account} ` : ''}${layer.region}`,
        layer,
        parts: [{ target: first!.target, functions: head }],
        bake: parts.length > 0 || layers.length > 1,
        endsRegion: parts.length === 0,
        canary: true,
      });
    }
    if (parts.length > 0 || !inCanaryRegion) {
      const label = multi ? `${layer.region}, ${parts.length} account(s)` : layer.region;
      waves.push({
        number: waves.length + 1,
        label,
        layer,
        parts,
        bake: false,
        endsRegion: true,
        canary: false,
      });
    }
  });
  return waves;
}

export const sizeOf = (wave: PlannedWave): number =>
  wave.parts.reduce((sum, p) => sum + p.functions.length, 0);

export function describeWave(wave: PlannedWave): Wave {
  return {
    number: wave.number,
    region: wave.layer.region,
    label: wave.label,
    functions: sizeOf(wave),
    accounts: wave.parts.length,
  };
}

export function logPlan(
  discoveries: readonly AccountDiscovery[],
  waves: readonly PlannedWave[],
  failures: readonly AccountFailure[],
  dryRun: boolean,
): void {
  const multi = new Set(discoveries.map((d) => d.target.account)).size + failures.length > 1;
  for (const d of discoveries) {
    const where = multi ? `${d.target.account} ${d.layer.region}` : d.layer.region;
    const names =
      dryRun && d.consumers.length > 0 ? `: ${d.consumers.map((fn) => fn.FunctionName).join(', ')}` : '';
    core.info(
      `${where}: ${d.consumers.length} function(s) to move to version ${d.layer.version} ` +
        `(${d.scanned} scanned, ${d.skipped.length} skipped)${names}`,
    );
  }
  for (const f of failures)
    core.error(`account ${f.account}: ${f.reason}`, { title: 'Roll-out account failed' });
  core.info(`Waves: ${waves.map((w) => `${w.number}. ${w.label} (${sizeOf(w)})`).join(' → ')}`);
}
