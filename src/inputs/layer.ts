/** layer-name, runtime, architecture: which layer is released, for which runtime and architecture. */
import * as core from '@actions/core';
import {
  ARCHITECTURES,
  RUNTIMES,
  deprecatedSince,
  findRuntime,
  type Architecture,
  type Runtime,
} from '../runtimes/index.js';
import { isArnProblem, parseLambdaArn } from './arns.js';
import { quote, type InputReader } from './reader.js';

const LAYER_NAME = /^[a-zA-Z0-9_-]{1,140}$/;

export interface LayerPart {
  readonly layerName: string;
  /** The region and account of a layer ARN given as layer-name. */
  readonly layerRegion: string | undefined;
  readonly layerAccount: string | undefined;
  /** Undefined when the runtime input is invalid (a problem is then recorded). */
  readonly runtime: Runtime | undefined;
  /** The runtime, or a stand-in so later groups can still be checked and report their own problems. */
  readonly fallbackRuntime: Runtime;
  readonly architecture: Architecture;
}

export function readLayer(reader: InputReader): LayerPart {
  const layerInput = reader.input('layer-name');
  let layerName = layerInput;
  let layerRegion: string | undefined;
  let layerAccount: string | undefined;
  if (layerInput === '') {
    reader.problem(
      'layer-name: is required; use a name such as data-science-deps (letters, digits, - and _)',
    );
  } else if (layerInput.startsWith('arn:')) {
    const arn = parseLambdaArn(layerInput, 'layer');
    if (isArnProblem(arn)) {
      reader.problem(`layer-name: ${quote(layerInput)} is not allowed; it ${arn.problem}`);
    } else {
      ({ region: layerRegion, account: layerAccount, name: layerName } = arn);
    }
  } else if (!LAYER_NAME.test(layerInput)) {
    reader.problem(
      `layer-name: ${quote(layerInput)} is not allowed; use 1 to 140 letters, digits, - and _, ` +
        'or a layer ARN such as arn:aws:lambda:us-east-1:123456789012:layer:my-layer',
    );
  }

  const runtimeInput = reader.input('runtime');
  const runtime = findRuntime(runtimeInput);
  if (!runtime) {
    const allowed = RUNTIMES.map((r) => r.id).join(', ');
    reader.problem(
      runtimeInput === ''
        ? `runtime: is required; use one of ${allowed}`
        : `runtime: ${quote(runtimeInput)} is not supported; use one of ${allowed}`,
    );
  } else {
    warnIfDeprecated(runtime);
  }
  const architecture = reader.oneOf('architecture', ARCHITECTURES, 'x86_64');
  return {
    layerName,
    layerRegion,
    layerAccount,
    runtime,
    fallbackRuntime: runtime ?? RUNTIMES[0]!,
    architecture,
  };
}

/** A deprecated runtime still works until Lambda blocks updates; say so, with the date, on every run. */
function warnIfDeprecated(runtime: Runtime): void {
  const since = deprecatedSince(runtime);
  if (since === undefined) return;
  const newer = RUNTIMES.filter((r) => r.family === runtime.family && deprecatedSince(r) === undefined);
  core.warning(
    `runtime: ${runtime.id} has been deprecated by Lambda since ${since}; functions on it get no more ` +
      `patches and soon cannot be created or updated` +
      (newer.length > 0 ? `. Move to ${newer.map((r) => r.id).join(', ')}` : ''),
  );
}
