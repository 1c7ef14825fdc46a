/**
 * update-aliases: the roll-out changes only $LATEST, so an alias that points at a published version
 * keeps the old layer. With update-aliases, each such alias moves to a new version published from
 * $LATEST — but only when that version is the same release as $LATEST apart from the layers, so moving
 * the alias never ships code or settings nobody released.
 */
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  paginateListAliases,
  PublishVersionCommand,
  UpdateAliasCommand,
  waitUntilPublishedVersionActive,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { isVersionOf } from '../aws/arn.js';
import type { PublishedLayer } from './publish.js';

export interface AliasMove {
  readonly alias: string;
  readonly fromVersion: string;
  readonly toVersion?: string;
  readonly status: 'moved' | 'planned' | 'skipped' | 'restored';
  readonly reason?: string;
}

/** What makes two function versions the same release, apart from their layers. */
const RELEASE_FIELDS = ['CodeSha256', 'Handler', 'Runtime', 'MemorySize', 'Timeout', 'Role'] as const;

function releaseDifference(
  version: FunctionConfiguration,
  latest: FunctionConfiguration,
): string | undefined {
  for (const field of RELEASE_FIELDS) if (version[field] !== latest[field]) return field;
  const variables = (config: FunctionConfiguration): string =>
    JSON.stringify(Object.entries(config.Environment?.Variables ?? {}).sort());
  if (variables(version) !== variables(latest)) return 'Environment';
  if ((version.Architectures ?? []).join() !== (latest.Architectures ?? []).join()) return 'Architectures';
  return undefined;
}

/**
 * Moves the aliases of one function whose version uses another version of `layer`.
 * `before` is $LATEST as it was before the roll-out changed its layers.
 */
export async function moveAliases(
  lambda: LambdaClient,
  functionName: string,
  before: FunctionConfiguration,
  layer: PublishedLayer,
  dryRun: boolean,
): Promise<AliasMove[]> {
  const moves: AliasMove[] = [];
  let published: string | undefined;
  for await (const page of paginateListAliases({ client: lambda }, { FunctionName: functionName })) {
    for (const alias of page.Aliases ?? []) {
      const from = alias.FunctionVersion;
      if (!alias.Name || !from || from === '$LATEST') continue; // an alias of $LATEST follows by itself
      const skip = (reason: string): void =>
        void moves.push({ alias: alias.Name!, fromVersion: from, status: 'skipped', reason });
      if (Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).length > 0) {
        skip('it shifts traffic between versions; left to the deployment that set it up');
        continue;
      }
      const version = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: from }),
      );
      const entry = (version.Layers ?? []).find((l) => l.Arn && isVersionOf(l.Arn, layer.layerArn));
      if (!entry || entry.Arn === layer.layerVersionArn) continue;
      const difference = releaseDifference(version, before);
      if (difference) {
        skip(
          `version ${from} differs from $LATEST in ${difference}: publishing $LATEST would release that change too`,
        );
        continue;
      }
      if (dryRun) {
        moves.push({ alias: alias.Name, fromVersion: from, status: 'planned' });
        continue;
      }
      published ??= await publishLatest(lambda, functionName, layer);
      try {
        await lambda.send(
          new UpdateAliasCommand({
            FunctionName: functionName,
            Name: alias.Name,
            FunctionVersion: published,
            RevisionId: alias.RevisionId,
          }),
        );
        moves.push({ alias: alias.Name, fromVersion: from, toVersion: published, status: 'moved' });
      } catch (error) {
        if ((error as Error).name !== 'PreconditionFailedException') throw error;
        skip('someone moved it during the roll-out; left where they put it');
      }
    }
  }
  return moves;
}

/** Publishes $LATEST (just updated, so it carries the new layer) and waits until the version is Active. */
async function publishLatest(
  lambda: LambdaClient,
  functionName: string,
  layer: PublishedLayer,
): Promise<string> {
  const latest = (await lambda.send(new GetFunctionCommand({ FunctionName: functionName }))).Configuration!;
  const version = await lambda.send(
    new PublishVersionCommand({
      FunctionName: functionName,
      // Publish exactly what was checked: fails if $LATEST changed since.
      CodeSha256: latest.CodeSha256,
      RevisionId: latest.RevisionId,
      Description: `lambda-layer-release: ${layer.layerVersionArn.split(':').slice(-2).join(':')}`,
    }),
  );
  await waitUntilPublishedVersionActive(
    { client: lambda, minDelay: 0.5, maxDelay: 5, maxWaitTime: 300 },
    { FunctionName: functionName, Qualifier: version.Version },
  );
  return version.Version!;
}

/** rollback: points moved aliases back at the versions they had. */
export async function restoreAliases(
  lambda: LambdaClient,
  functionName: string,
  moves: readonly AliasMove[],
): Promise<AliasMove[]> {
  const restored: AliasMove[] = [];
  for (const move of moves) {
    if (move.status !== 'moved') {
      restored.push(move);
      continue;
    }
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName: functionName,
        Name: move.alias,
        FunctionVersion: move.fromVersion,
      }),
    );
    restored.push({ ...move, status: 'restored' });
  }
  return restored;
}
