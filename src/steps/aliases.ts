/**
 * update-aliases: the roll-out changes only $LATEST, so an alias that points at a published version
 * keeps the old layer. With update-aliases, each such alias moves to a version published from $LATEST —
 * but only when the version it points at equals $LATEST in every field Lambda freezes into a version,
 * with exactly this layer's entry swapped. Moving the alias then ships the new layer and nothing else.
 */
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  paginateListAliases,
  PublishVersionCommand,
  UpdateAliasCommand,
  waitUntilPublishedVersionActive,
  type AliasConfiguration,
  type FunctionConfiguration,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { isVersionOf } from '../aws/arn.js';
import { newerWords, versionOf } from './forward-only.js';
import type { PublishedLayer } from './publish.js';

export interface AliasMove {
  readonly alias: string;
  readonly fromVersion: string;
  readonly toVersion?: string;
  readonly status: 'moved' | 'planned' | 'skipped' | 'restored';
  readonly reason?: string;
}

const sorted = (values: readonly string[] | undefined): string[] => [...(values ?? [])].sort();

/**
 * The fields Lambda freezes into a published version (besides the layers, compared separately), each
 * normalised so that absent and empty compare equal, as emulators answer either.
 */
const FROZEN_FIELDS: Record<string, (c: FunctionConfiguration) => unknown> = {
  code: (c) => c.CodeSha256 ?? '',
  handler: (c) => c.Handler ?? '',
  runtime: (c) => c.Runtime ?? '',
  'memory size': (c) => c.MemorySize,
  timeout: (c) => c.Timeout,
  role: (c) => c.Role ?? '',
  environment: (c) => Object.entries(c.Environment?.Variables ?? {}).sort(),
  architecture: (c) => sorted(c.Architectures ?? ['x86_64']),
  VPC: (c) => [
    sorted(c.VpcConfig?.SubnetIds),
    sorted(c.VpcConfig?.SecurityGroupIds),
    c.VpcConfig?.Ipv6AllowedForDualStack ?? false,
  ],
  'ephemeral storage': (c) => c.EphemeralStorage?.Size ?? 512,
  tracing: (c) => c.TracingConfig?.Mode ?? 'PassThrough',
  'KMS key': (c) => c.KMSKeyArn ?? '',
  'dead-letter queue': (c) => c.DeadLetterConfig?.TargetArn ?? '',
  'file systems': (c) => (c.FileSystemConfigs ?? []).map((f) => `${f.Arn}=${f.LocalMountPath}`).sort(),
  logging: (c) => [
    c.LoggingConfig?.LogFormat ?? 'Text',
    c.LoggingConfig?.ApplicationLogLevel ?? '',
    c.LoggingConfig?.SystemLogLevel ?? '',
    c.LoggingConfig?.LogGroup ?? '',
  ],
  SnapStart: (c) => c.SnapStart?.ApplyOn ?? 'None',
  'image config': (c) => c.ImageConfigResponse?.ImageConfig ?? {},
  'code signing': (c) => c.SigningProfileVersionArn ?? '',
};

/**
 * The fields in which `version` differs from `latest`, when `version`'s entry of this layer is swapped
 * for the new one. Empty: publishing $LATEST releases exactly this layer change.
 */
export function releaseDifferences(
  version: FunctionConfiguration,
  latest: FunctionConfiguration,
  layer: Pick<PublishedLayer, 'layerArn' | 'layerVersionArn'>,
): string[] {
  const differences = Object.entries(FROZEN_FIELDS)
    .filter(([, read]) => JSON.stringify(read(version)) !== JSON.stringify(read(latest)))
    .map(([field]) => field);
  const swapped = (version.Layers ?? []).map((l) =>
    l.Arn && isVersionOf(l.Arn, layer.layerArn) ? layer.layerVersionArn : l.Arn,
  );
  const latestLayers = (latest.Layers ?? []).map((l) => l.Arn);
  if (JSON.stringify(swapped) !== JSON.stringify(latestLayers)) differences.push('other layers');
  return differences;
}

/**
 * Moves the aliases of one function whose version uses another version of `layer`, to one version
 * published from `latest` ($LATEST as our update left it). Every move is pushed onto `moves` the moment
 * it happens, so that when a later call fails, the caller still knows which aliases to put back.
 */
export async function moveAliases(
  lambda: LambdaClient,
  functionName: string,
  latest: FunctionConfiguration,
  layer: PublishedLayer,
  dryRun: boolean,
  moves: AliasMove[],
): Promise<void> {
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
      const held = versionOf(entry.Arn, layer.layerArn)!;
      if (held > layer.version) {
        skip(`version ${from} ${newerWords(held, layer.version)}`); // forward only
        continue;
      }
      const differences = releaseDifferences(version, latest, layer);
      if (differences.length > 0) {
        skip(
          `version ${from} differs from $LATEST in ${differences.join(', ')}: publishing $LATEST would release that too`,
        );
        continue;
      }
      if (dryRun) {
        moves.push({ alias: alias.Name, fromVersion: from, status: 'planned' });
        continue;
      }
      published ??= await publishChecked(lambda, functionName, latest, layer);
      const backwards = await movedMeanwhile(lambda, functionName, alias, published);
      if (backwards) {
        skip(backwards);
        continue;
      }
      try {
        await lambda.send(
          new UpdateAliasCommand({
            FunctionName: functionName,
            Name: alias.Name,
            FunctionVersion: published,
            ...(alias.RevisionId ? { RevisionId: alias.RevisionId } : {}),
          }),
        );
        moves.push({ alias: alias.Name, fromVersion: from, toVersion: published, status: 'moved' });
      } catch (error) {
        if ((error as Error).name !== 'PreconditionFailedException') throw error;
        skip('someone moved it during the roll-out; left where they put it');
      }
    }
  }
}

/**
 * Forward only: why the alias must not go to `published` — someone moved it since it was listed (read
 * again when there is no RevisionId to make the update conditional: emulators), or `published` is not
 * newer than the version it points at — or undefined.
 */
async function movedMeanwhile(
  lambda: LambdaClient,
  functionName: string,
  listed: AliasConfiguration,
  published: string,
): Promise<string | undefined> {
  const now = listed.RevisionId
    ? listed
    : await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: listed.Name }));
  if (now.FunctionVersion !== listed.FunctionVersion)
    return `someone moved it to ${now.FunctionVersion} during the roll-out; left where they put it`;
  if (Number(published) <= Number(now.FunctionVersion))
    return `it points at version ${now.FunctionVersion}, not older than ${published}: left alone`;
  return undefined;
}

/**
 * Publishes exactly the $LATEST that was checked: Lambda refuses the call when the code (CodeSha256) or
 * anything else (RevisionId) changed since; then waits until the version is Active.
 */
async function publishChecked(
  lambda: LambdaClient,
  functionName: string,
  latest: FunctionConfiguration,
  layer: PublishedLayer,
): Promise<string> {
  const version = await lambda.send(
    new PublishVersionCommand({
      FunctionName: functionName,
      ...(latest.CodeSha256 ? { CodeSha256: latest.CodeSha256 } : {}),
      ...(latest.RevisionId ? { RevisionId: latest.RevisionId } : {}),
      Description: `lambda-layer-release: ${layer.layerVersionArn.split(':').slice(-2).join(':')}`,
    }),
  );
  await waitUntilPublishedVersionActive(
    { client: lambda, minDelay: 0.5, maxDelay: 5, maxWaitTime: 300 },
    { FunctionName: functionName, Qualifier: version.Version },
  );
  return version.Version!;
}

/**
 * rollback: points moved aliases back at the versions they had, with the alias's current RevisionId; an
 * alias that someone moved elsewhere since is left where they put it.
 */
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
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: move.alias }));
    if (alias.FunctionVersion !== move.toVersion) {
      restored.push({ ...move, reason: `moved to ${alias.FunctionVersion} by someone else; left there` });
      continue;
    }
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName: functionName,
        Name: move.alias,
        FunctionVersion: move.fromVersion,
        ...(alias.RevisionId ? { RevisionId: alias.RevisionId } : {}),
      }),
    );
    restored.push({ ...move, status: 'restored' });
  }
  return restored;
}
