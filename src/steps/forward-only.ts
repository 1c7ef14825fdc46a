/**
 * Forward only: two releases of one layer may overlap (no `concurrency` group, two workflows, a manual
 * dispatch beside a push), and the older one must never move anything back. Version numbers are the
 * order: a layer version published later has a higher number, in its region. So a function, alias or
 * SSM parameter is moved only from an older version of this layer to this run's, and a newer version
 * seen anywhere — on a function, or listed between waves — means a newer release supersedes this run:
 * it starts nothing more and leaves the rest to that release (docs/steps.md, "Overlapping releases").
 */
import * as core from '@actions/core';
import type { FunctionConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import { isVersionOf, parseLayerVersionArn } from '../aws/arn.js';
import { describeError } from '../aws/regions.js';
import { newestVersion, type PublishedLayer } from './publish.js';

/** Why an entry is left as it is, and the version of this layer it is on. */
export interface Leave {
  readonly version?: number;
  readonly why: string;
}

/** Decides, from the entry read right before an update, whether it may be replaced (undefined: yes). */
export type EntryGuard = (entryArn: string) => Leave | undefined;

/** The version of `layerArn` that `arn` names, when it names one. */
export function versionOf(arn: string | undefined, layerArn: string): number | undefined {
  return arn && isVersionOf(arn, layerArn) ? parseLayerVersionArn(arn)?.version : undefined;
}

/** "is on version 3, newer than this run's 2: left alone". */
export function newerWords(version: number, ours: number): string {
  return `is on version ${version}, newer than this run's ${ours}: left alone`;
}

/** The roll-out: an entry moves only from an older version of this layer to `ours`. */
export function forwardOnly(ours: number): EntryGuard {
  return (entry) => {
    const version = parseLayerVersionArn(entry)?.version;
    return version !== undefined && version > ours ? { version, why: newerWords(version, ours) } : undefined;
  };
}

/** The rollback: an entry goes back only while it is still this run's version (`ours`). */
export function stillOurs(ours: string): EntryGuard {
  return (entry) => {
    if (entry === ours) return undefined;
    const version = parseLayerVersionArn(entry)?.version;
    return {
      ...(version === undefined ? {} : { version }),
      why: `not rolled back: now on version ${version}`,
    };
  };
}

/** A newer version of this layer than the run's: the release that supersedes this run. */
export interface Superseded {
  readonly region: string;
  readonly version: number;
  /** The function it was seen on; absent: ListLayerVersions listed it between waves. */
  readonly function?: string;
}

/** "seen on race-1 in us-east-1", "listed in us-east-1 between waves". */
export function seenWords(s: Superseded): string {
  return s.function ? `seen on ${s.function} in ${s.region}` : `listed in ${s.region} between waves`;
}

/** "superseded by version 3 (seen on race-1 in us-east-1)". */
export function supersededWords(s: Superseded): string {
  return `superseded by version ${s.version} (${seenWords(s)})`;
}

/** A function not started once the run is superseded: on a newer version already, or left to that release. */
export function notStarted(
  from: number | undefined,
  ours: number,
  by: Superseded,
): { status: 'newer' | 'superseded'; reason: string } {
  return from !== undefined && from > ours
    ? { status: 'newer', reason: newerWords(from, ours) }
    : { status: 'superseded', reason: supersededWords(by) };
}

/** The higher of two sightings (a run is superseded by the newest release it saw). */
export function newest(a: Superseded | undefined, b: Superseded | undefined): Superseded | undefined {
  if (!a || !b) return a ?? b;
  return b.version > a.version ? b : a;
}

/** A sighting, when `version` of `layer` is newer than the run's (on `fn`, or listed). */
export function sighting(
  layer: PublishedLayer,
  version: number | undefined,
  fn?: string,
): Superseded | undefined {
  if (version === undefined || version <= layer.version) return undefined;
  return { region: layer.region, version, ...(fn === undefined ? {} : { function: fn }) };
}

/**
 * What the roll-out has seen of newer releases of this layer: once one is seen (`by`), it starts no
 * further update. The first sighting is said once, as a notice.
 */
export class Supersession {
  by: Superseded | undefined;

  constructor(
    private readonly layers: readonly PublishedLayer[],
    private readonly lambda: (region: string) => LambdaClient,
    /** Called before the notice (the roll-out's batched log lines go first). */
    private readonly beforeNotice: () => void = () => undefined,
  ) {}

  see(found: Superseded | undefined): void {
    const first = !this.by && found;
    this.by = newest(this.by, found);
    if (!first) return;
    this.beforeNotice();
    core.notice(
      `${supersededWords(found)}: this run starts no further update and leaves the rest to that release.`,
      { title: 'Roll-out superseded' },
    );
  }

  /** Between waves: lists the layer's newest version in these regions (nothing once superseded). */
  async listed(regions: readonly string[]): Promise<void> {
    if (this.by) return;
    const here = this.layers.filter((layer) => regions.includes(layer.region));
    this.see(await listedNewer(here, this.lambda));
  }
}

/**
 * Between waves: the newest version of the layer in each region (one ListLayerVersions call each; see
 * src/steps/publish.ts for why one page answers it on Lambda and on emulators). A listing that fails is
 * a warning: each function's own check still keeps it from moving backwards.
 */
export async function listedNewer(
  layers: readonly PublishedLayer[],
  lambda: (region: string) => LambdaClient,
): Promise<Superseded | undefined> {
  let found: Superseded | undefined;
  for (const layer of layers) {
    try {
      const version = (await newestVersion(lambda(layer.region), layer.layerArn))?.version;
      found = newest(found, sighting(layer, version));
    } catch (error) {
      core.warning(`${layer.region}: could not list the layer's versions: ${describeError(error)}`);
    }
  }
  return found;
}

/** Discovery already found a function on a newer version: the run starts no wave at all. */
export function seenInDiscovery(
  discoveries: readonly {
    readonly layer: PublishedLayer;
    readonly consumers: readonly FunctionConfiguration[];
  }[],
): Superseded | undefined {
  let found: Superseded | undefined;
  for (const { layer, consumers } of discoveries) {
    for (const fn of consumers) {
      const entry = fn.Layers?.find((l) => l.Arn && isVersionOf(l.Arn, layer.layerArn))?.Arn;
      found = newest(found, sighting(layer, versionOf(entry, layer.layerArn), fn.FunctionName ?? '?'));
    }
  }
  return found;
}
