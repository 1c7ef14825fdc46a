/**
 * keep-versions: after a successful run, deletes layer versions older than the newest N — but never
 * one that a function still uses, in $LATEST or in any published function version, and never one that
 * is shared with another account, an organization or the public (their functions are not ours to list).
 */
import * as core from '@actions/core';
import {
  DeleteLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  paginateListFunctions,
  paginateListLayerVersions,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { isVersionOf, parseLayerVersionArn } from '../aws/arn.js';
import type { Deps } from '../deps.js';
import type { Inputs } from '../inputs/index.js';
import type { PublishedLayer } from './publish.js';

export interface RetentionResult {
  readonly region: string;
  readonly deleted: readonly number[];
  /** Older than the newest N but still used: version → functions using it (first few). */
  readonly keptInUse: Readonly<Record<number, readonly string[]>>;
  /** Older than the newest N but shared: version → who it is shared with. */
  readonly keptShared?: Readonly<Record<number, readonly string[]>>;
  readonly planned: boolean;
}

type RetentionInputs = Pick<Inputs, 'layerName' | 'keepVersions' | 'dryRun'>;

export async function applyRetention(
  inputs: RetentionInputs,
  layers: readonly PublishedLayer[],
  deps: Deps,
): Promise<RetentionResult[]> {
  const results: RetentionResult[] = [];
  for (const layer of layers) {
    results.push(await retainInRegion(inputs, layer, deps.lambda(layer.region)));
  }
  return results;
}

async function retainInRegion(
  inputs: RetentionInputs,
  layer: PublishedLayer,
  lambda: LambdaClient,
): Promise<RetentionResult> {
  // Any order, any page size: emulators (moto) ignore MaxItems and list oldest first; sorted below.
  const listed = new Set<number>();
  for await (const page of paginateListLayerVersions(
    { client: lambda, stopOnSameToken: true },
    { LayerName: inputs.layerName },
  )) {
    for (const item of page.LayerVersions ?? []) if (item.Version !== undefined) listed.add(item.Version);
  }
  const versions = [...listed];
  // In a dry-run the new version is only planned: count it as the newest, as a real run would.
  if (layer.planned && layer.published) versions.push(layer.version);
  versions.sort((a, b) => b - a);
  const candidates = versions.slice(inputs.keepVersions).filter((version) => version !== layer.version);
  const result: RetentionResult = {
    region: layer.region,
    deleted: [],
    keptInUse: {},
    planned: inputs.dryRun,
  };
  if (candidates.length === 0) return result;

  const inUse = await versionsInUse(lambda, layer.layerArn);
  for (const version of candidates) {
    const users = inUse.get(version);
    if (users) {
      (result.keptInUse as Record<number, readonly string[]>)[version] = users;
      core.info(`${layer.region}: keeping version ${version}, still used by ${users.join(', ')}`);
      continue;
    }
    const sharedWith = await grantees(lambda, inputs.layerName, version, layer.layerArn.split(':')[4]!);
    if (sharedWith.length > 0) {
      (result as { keptShared?: Record<number, readonly string[]> }).keptShared = {
        ...result.keptShared,
        [version]: sharedWith,
      };
      core.info(`${layer.region}: keeping version ${version}, shared with ${sharedWith.join(', ')}`);
      continue;
    }
    if (!inputs.dryRun) {
      await lambda.send(
        new DeleteLayerVersionCommand({ LayerName: inputs.layerName, VersionNumber: version }),
      );
    }
    (result.deleted as number[]).push(version);
    core.info(`${layer.region}: ${inputs.dryRun ? 'would delete' : 'deleted'} version ${version}`);
  }
  return result;
}

/** Who other than `owner` the version's policy grants (account ids, organization ids, `*`). */
async function grantees(
  lambda: LambdaClient,
  layerName: string,
  version: number,
  owner: string,
): Promise<string[]> {
  let policy: string | undefined;
  try {
    ({ Policy: policy } = await lambda.send(
      new GetLayerVersionPolicyCommand({ LayerName: layerName, VersionNumber: version }),
    ));
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return []; // no policy: not shared
    throw error;
  }
  const statements = (JSON.parse(policy || '{}') as { Statement?: PolicyStatement[] }).Statement ?? [];
  const who = statements.map((statement) => {
    const org = statement.Condition?.StringEquals?.['aws:PrincipalOrgID'];
    if (org) return org;
    const principal =
      typeof statement.Principal === 'string' ? statement.Principal : statement.Principal?.AWS;
    return String(principal ?? '*').replace(/^arn:[^:]+:iam::(\d{12}):root$/, '$1');
  });
  return [...new Set(who.filter((principal) => principal !== owner))];
}

interface PolicyStatement {
  Principal?: string | { AWS?: string };
  Condition?: { StringEquals?: Record<string, string> };
}

/** Version → names of the functions (and function versions) that reference it. */
async function versionsInUse(lambda: LambdaClient, layerArn: string): Promise<Map<number, string[]>> {
  const inUse = new Map<number, string[]>();
  // FunctionVersion ALL: published versions behind aliases keep their layers and must keep working.
  for await (const page of paginateListFunctions(
    { client: lambda, pageSize: 50 },
    { FunctionVersion: 'ALL' },
  )) {
    for (const fn of page.Functions ?? []) {
      for (const layer of fn.Layers ?? []) {
        if (!layer.Arn || !isVersionOf(layer.Arn, layerArn)) continue;
        const version = parseLayerVersionArn(layer.Arn)!.version;
        const name =
          fn.Version && fn.Version !== '$LATEST' ? `${fn.FunctionName}:${fn.Version}` : fn.FunctionName!;
        inUse.set(version, [...(inUse.get(version) ?? []), name]);
      }
    }
  }
  return inUse;
}
