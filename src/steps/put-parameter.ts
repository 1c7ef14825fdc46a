/**
 * SSM step: writes the layer version ARN to a String parameter in every region the layer is in, so
 * other stacks can read `{{resolve:ssm:…}}` instead of hard-coding a version. A re-run with the same
 * ARN writes nothing (no new parameter version, no change notifications downstream). Forward only
 * (src/steps/forward-only.ts): a parameter that holds a newer version of this layer is left as it is,
 * and a newer one another run wrote between our read and our write is put back.
 */
import * as core from '@actions/core';
import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { parseLayerVersionArn } from '../aws/arn.js';
import type { Deps } from '../deps.js';
import type { Inputs } from '../inputs/index.js';
import { currentParameter } from '../look-ups/parameter.js';
import { inEachRegion, type RegionFailure } from '../aws/regions.js';
import { newerWords, versionOf } from './forward-only.js';
import type { PublishedLayer } from './publish.js';

export interface ParameterWrite {
  readonly region: string;
  readonly name: string;
  /** The layer version ARN the parameter holds after the run (or would hold, in a dry-run). */
  readonly value: string;
  /** Parameter version after the run; in a dry-run the version a write would create. */
  readonly version: number;
  /** false: the parameter already held this value and was left alone. */
  readonly changed: boolean;
  /** dry-run: only read, nothing written. */
  readonly planned: boolean;
  /** The parameter holds (or was put back to) this newer version of the layer: a newer release's. */
  readonly newer?: number;
}

export interface PutParameterResult {
  readonly writes: readonly ParameterWrite[];
  readonly failures: readonly RegionFailure[];
}

type ParameterInputs = Pick<Inputs, 'ssmParameter' | 'dryRun'>;

export async function putParameter(
  inputs: ParameterInputs,
  layers: readonly PublishedLayer[],
  deps: Pick<Deps, 'ssm'> & Partial<Pick<Deps, 'cancel'>>,
): Promise<PutParameterResult> {
  const name = inputs.ssmParameter;
  if (name === undefined) throw new Error('internal: the ssm step runs only with ssm-parameter');
  // Every region is tried: one region's missing permission must not hide what happened in the others.
  const byRegion = new Map(layers.map((layer) => [layer.region, layer]));
  const { results: writes, failures } = await inEachRegion(
    layers.map((layer) => layer.region),
    (region) =>
      writeInRegion(name, byRegion.get(region)!, inputs.dryRun, deps.ssm(region), deps.cancel?.signal),
    { explain: (error, region) => explain(error, name, byRegion.get(region)!) },
  );
  // Each message names its parameter and region already.
  for (const failure of failures) core.error(failure.error, { title: 'SSM parameter not written' });
  return { writes, failures };
}

async function writeInRegion(
  name: string,
  layer: PublishedLayer,
  dryRun: boolean,
  ssm: SSMClient,
  /** A cancelled run writes no parameter it has not written yet. */
  cancelled?: AbortSignal,
): Promise<ParameterWrite> {
  const { region, layerVersionArn: value } = layer;
  const existing = await currentParameter(ssm, name);
  if (existing && existing.type !== 'String') {
    // A SecureString may hold a secret someone else put there; overwriting it would lose it.
    throw new Error(
      `SSM parameter ${name} in ${region} is a ${existing.type}; use a String parameter ` +
        '(delete it or choose another ssm-parameter name; this action does not overwrite it)',
    );
  }
  const result = { region, name, value, planned: dryRun };
  const held = versionOf(existing?.value, layer.layerArn);
  if (existing && held !== undefined && held > layer.version) {
    core.info(`${region}: ${name} ${newerWords(held, layer.version)}.`);
    return { ...result, value: existing.value, version: existing.version, changed: false, newer: held };
  }
  if (existing?.value === value) {
    core.info(`${region}: ${name} already holds ${value} (version ${existing.version}); not written.`);
    return { ...result, version: existing.version, changed: false };
  }
  if (dryRun) {
    core.info(`${region}: dry-run, would ${existing ? 'update' : 'create'} ${name} = ${value}.`);
    return { ...result, version: (existing?.version ?? 0) + 1, changed: true };
  }
  cancelled?.throwIfAborted();
  const written = await writeForward(ssm, name, layer, existing?.version ?? 0);
  core.info(
    `${region}: ${existing ? 'updated' : 'created'} ${name} = ${written.value} (version ${written.version}).`,
  );
  return { ...result, ...written, changed: true };
}

const put = (ssm: SSMClient, name: string, value: string) =>
  ssm.send(
    new PutParameterCommand({ Name: name, Value: value, Type: 'String', DataType: 'text', Overwrite: true }),
  );

/**
 * Writes the layer's ARN; when the parameter's version then jumped by more than one, others wrote in
 * between (SSM has no conditional write): the newest version of this layer among their values is
 * put back, and checked the same way (a few rounds at most).
 */
async function writeForward(
  ssm: SSMClient,
  name: string,
  layer: PublishedLayer,
  readVersion: number,
): Promise<{ value: string; version: number; newer?: number }> {
  let value = layer.layerVersionArn;
  let before = readVersion;
  let newer: number | undefined;
  for (let round = 0; ; round++) {
    const version = (await put(ssm, name, value)).Version!;
    const between = await newestBetween(ssm, name, layer.layerArn, before, version);
    if (between === undefined || between.version <= (versionOf(value, layer.layerArn) ?? 0) || round >= 3)
      return { value, version, ...(newer === undefined ? {} : { newer }) };
    core.info(
      `${layer.region}: a newer release wrote version ${between.version} of the layer to ${name} meanwhile; putting it back.`,
    );
    ({ value, version: newer } = between);
    before = version;
  }
}

/** The newest version of this layer among the parameter's versions after `from` and before `to`. */
async function newestBetween(
  ssm: SSMClient,
  name: string,
  layerArn: string,
  from: number,
  to: number,
): Promise<{ value: string; version: number } | undefined> {
  let found: { value: string; version: number } | undefined;
  for (let v = from + 1; v < to; v++) {
    const { Parameter: p } = await ssm.send(
      new GetParameterCommand({ Name: `${name}:${v}`, WithDecryption: false }),
    );
    const version = versionOf(p?.Value, layerArn);
    if (version !== undefined && version > (found?.version ?? 0)) found = { value: p!.Value!, version };
  }
  return found;
}

/** An error message that names the parameter and region and, where it can, what to change. */
function explain(error: unknown, name: string, layer: PublishedLayer): string {
  const e = error as Error;
  const where = `SSM parameter ${name} in ${layer.region}`;
  switch (e.name) {
    case 'AccessDeniedException': {
      const ref = parseLayerVersionArn(layer.layerVersionArn);
      const arn = `arn:${ref?.partition ?? 'aws'}:ssm:${layer.region}:${ref?.account ?? '<account>'}:parameter/${name.replace(/^\//, '')}`;
      return `${where}: access denied; the role needs ssm:GetParameter and ssm:PutParameter on ${arn} (${e.message})`;
    }
    case 'ValidationException':
      return `${where}: SSM refused the name or value; use letters, digits and _ . - /, a path starting with /, not starting with aws or ssm (${e.message})`;
    default:
      return e.message.startsWith('SSM parameter ') ? e.message : `${where}: ${e.name}: ${e.message}`;
  }
}
