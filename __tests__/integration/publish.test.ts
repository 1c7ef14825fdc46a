/**
 * The publish step and keep-versions with the real AWS SDK clients over real HTTP against the AWS double,
 * answering as AWS does and as LocalStack/moto do (`flavour: 'emulator'`).
 * The layer comes from `zip-file` (no Docker needed here); the build and smoke tests cover Docker.
 */
import {
  CreateAliasCommand,
  GetFunctionConfigurationCommand,
  GetLayerVersionCommand,
  LambdaClient,
  PublishVersionCommand,
} from '@aws-sdk/client-lambda';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { outputsOf, type Report } from '../../src/report/index.js';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { release as releaseWith, runInProcess, SIX, workspaceWithZip } from '../support/release.js';

const WRITES = new Set([
  'PublishLayerVersion',
  'AddLayerVersionPermission',
  'DeleteLayerVersion',
  'PutObject',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
]);

// Every case runs against an endpoint answering as AWS does and one answering as LocalStack/moto do.
describe.each(['aws', 'emulator'] as const)('against %s', (flavour) => {
  let aws: AwsDouble;

  beforeAll(async () => {
    aws = await startAwsDouble({ controlPlaneRps: Infinity, getFunctionRps: Infinity, flavour });
  });
  afterAll(async () => {
    await aws.close();
  });
  beforeEach(() => {
    aws.requests.length = 0;
  });
  afterEach(() => vi.unstubAllEnvs());

  const release = (dir: string, inputs: Record<string, string>): Promise<Report> =>
    releaseWith(aws, dir, inputs);

  const operations = (): string[] => aws.requests.map((r) => r.operation);

  describe('publish', () => {
    it('publishes version 1 with the description ending in the content hash, then reuses it unchanged', async () => {
      const dir = await workspaceWithZip(SIX);
      const first = await release(dir, { 'layer-name': 'first-layer', 'license-info': 'MIT' });
      expect(first.error).toBeUndefined();
      const arn = `arn:aws:lambda:us-east-1:${aws.accountId}:layer:first-layer`;
      expect(first.publish!.layers).toEqual([
        {
          region: 'us-east-1',
          layerArn: arn,
          layerVersionArn: `${arn}:1`,
          version: 1,
          published: true,
          planned: false,
          sharedWith: [],
        },
      ]);
      const stored = aws.state.layer('us-east-1', 'first-layer')!.versions.get(1)!;
      expect(stored.CodeSha256).toBe(first.artifact!.codeSha256);
      expect(stored.Description).toMatch(new RegExp(` sha256:${first.artifact!.contentHash}$`));
      expect(stored.CompatibleRuntimes).toEqual(['python3.11']);
      expect(stored.CompatibleArchitectures).toEqual(['x86_64']);
      expect(stored.LicenseInfo).toBe('MIT');
      expect(outputsOf(first)).toMatchObject({ 'layer-version': '1', published: 'true' });

      aws.requests.length = 0;
      const again = await release(dir, { 'layer-name': 'first-layer', 'license-info': 'MIT' });
      expect(again.error).toBeUndefined();
      expect(again.publish!.layers[0]).toMatchObject({ version: 1, published: false });
      expect(operations()).toEqual(['ListLayerVersions', 'GetLayerVersion']);
      expect(outputsOf(again)).toMatchObject({ 'layer-version-arn': `${arn}:1`, published: 'false' });
    });

    it('publishes N+1 when the content changes, and when skip-unchanged is false', async () => {
      const name = 'changing-layer';
      expect(
        (await release(await workspaceWithZip(SIX), { 'layer-name': name })).publish!.layers[0]!.version,
      ).toBe(1);
      const changed = await release(await workspaceWithZip({ 'python/six.py': 'X = 7\n' }), {
        'layer-name': name,
      });
      expect(changed.publish!.layers[0]).toMatchObject({ version: 2, published: true });
      const forced = await release(await workspaceWithZip({ 'python/six.py': 'X = 7\n' }), {
        'layer-name': name,
        'skip-unchanged': 'false',
      });
      expect(forced.publish!.layers[0]).toMatchObject({ version: 3, published: true });
    });

    it('publishes again when the license or the declared runtimes change', async () => {
      const dir = await workspaceWithZip(SIX);
      await release(dir, { 'layer-name': 'meta-layer' });
      const relicensed = await release(dir, { 'layer-name': 'meta-layer', 'license-info': 'Apache-2.0' });
      expect(relicensed.publish!.layers[0]).toMatchObject({ version: 2, published: true });
      const widened = await release(dir, {
        'layer-name': 'meta-layer',
        'license-info': 'Apache-2.0',
        'compatible-runtimes': 'python3.11 python3.12',
      });
      expect(widened.publish!.layers[0]).toMatchObject({ version: 3, published: true });
    });

    it('publishes through S3 when s3-bucket is given, with {region} standing for the region', async () => {
      aws.createBucket('eu-west-1', 'artifacts-eu-west-1');
      const report = await release(await workspaceWithZip(SIX), {
        'layer-name': 's3-layer',
        regions: 'eu-west-1',
        's3-bucket': 'artifacts-{region}',
      });
      expect(report.error).toBeUndefined();
      const key = `lambda-layer-release/s3-layer/${report.artifact!.contentHash}.zip`;
      expect(
        aws.readObject('artifacts-eu-west-1', key)!.equals(fs.readFileSync(report.artifact!.zipFile)),
      ).toBe(true);
      const publishCall = aws.requests.find((r) => r.operation === 'PublishLayerVersion')!;
      expect(JSON.stringify(publishCall.params)).toContain('artifacts-eu-west-1');
      expect(aws.state.layer('eu-west-1', 's3-layer')!.versions.get(1)!.CodeSha256).toBe(
        report.artifact!.codeSha256,
      );
    });

    describe('a zip over 50 MB', () => {
      let big: string;
      beforeAll(async () => {
        // Random bytes do not compress: the zip is as big as the file.
        big = await workspaceWithZip({ 'python/blob.bin': randomBytes(51 * 1024 * 1024) });
      });

      it('is refused without s3-bucket, before anything is written', async () => {
        const report = await release(big, { 'layer-name': 'big-layer' });
        expect(report.error).toMatch(
          /The layer zip is 51\.0 MB; Lambda accepts at most 50\.0 MB .* Set s3-bucket/,
        );
        expect(operations().filter((op) => WRITES.has(op))).toEqual([]);
      });

      it('goes through S3 in a multipart upload', async () => {
        aws.createBucket('us-east-1', 'big-artifacts');
        const report = await release(big, { 'layer-name': 'big-layer', 's3-bucket': 'big-artifacts' });
        expect(report.error).toBeUndefined();
        expect(operations()).toContain('CompleteMultipartUpload');
        expect(aws.state.layer('us-east-1', 'big-layer')!.versions.get(1)!.CodeSha256).toBe(
          report.artifact!.codeSha256,
        );
      });
    });

    it('publishes to several regions; a failing region is named and the others keep their ARNs', async () => {
      aws.faults.add({
        kind: 'http500',
        operation: 'PublishLayerVersion',
        region: 'eu-central-1',
        times: Infinity,
      });
      const report = await release(await workspaceWithZip(SIX), {
        'layer-name': 'multi-layer',
        regions: 'us-east-1 eu-central-1 ap-southeast-2',
      });
      aws.faults.clear();
      expect(report.error).toMatch(
        /Publishing failed in 1 of 3 regions:\n {2}eu-central-1: ServiceException/,
      );
      expect(report.publish!.layers.map((l) => l.region).sort()).toEqual(['ap-southeast-2', 'us-east-1']);
      const outputs = outputsOf(report);
      expect(JSON.parse(outputs['layer-version-arns']!)).toEqual({
        'us-east-1': `arn:aws:lambda:us-east-1:${aws.accountId}:layer:multi-layer:1`,
        'ap-southeast-2': `arn:aws:lambda:ap-southeast-2:${aws.accountId}:layer:multi-layer:1`,
      });
      expect(report.steps.at(-1)).toMatchObject({ step: 'publish', status: 'failed' });
    });

    it('shares with accounts, an organization and the public, idempotently', async () => {
      const dir = await workspaceWithZip(SIX);
      const inputs = { 'layer-name': 'shared-layer', 'share-with': '111122223333 o-abcdefghij *' };
      const first = await release(dir, inputs);
      expect(first.error).toBeUndefined();
      const again = await release(dir, inputs);
      expect(again.error).toBeUndefined();
      expect(again.publish!.layers[0]).toMatchObject({
        version: 1,
        published: false,
        sharedWith: ['111122223333', 'o-abcdefghij', '*'],
      });
      const statements = aws.state.layer('us-east-1', 'shared-layer')!.versions.get(1)!.policy.statements;
      expect(statements.map((s) => s.Sid).sort()).toEqual([
        'lambda-layer-release-111122223333',
        'lambda-layer-release-o-abcdefghij',
        'lambda-layer-release-public',
      ]);
    });

    it('publishes nothing on an unchanged re-run without a license, though an emulator answers LicenseInfo ""', async () => {
      const dir = await workspaceWithZip(SIX);
      const first = await release(dir, { 'layer-name': 'unlicensed-layer' });
      expect(first.publish!.layers[0]).toMatchObject({ version: 1, published: true });
      const lambda = new LambdaClient(aws.clientConfig());
      const answered = await lambda.send(
        new GetLayerVersionCommand({ LayerName: 'unlicensed-layer', VersionNumber: 1 }),
      );
      lambda.destroy();
      expect(answered.LicenseInfo).toBe(flavour === 'emulator' ? '' : undefined);
      expect(answered.CompatibleRuntimes).toEqual(['python3.11']);

      aws.requests.length = 0;
      const again = await release(dir, { 'layer-name': 'unlicensed-layer' });
      expect(again.error).toBeUndefined();
      expect(again.publish!.layers[0]).toMatchObject({ version: 1, published: false });
      expect(operations().filter((op) => WRITES.has(op))).toEqual([]);
      expect(aws.state.layer('us-east-1', 'unlicensed-layer')!.versions.size).toBe(1);
    });

    it('reaches every service through AWS_ENDPOINT_URL alone, as docs/development.md shows for LocalStack', async () => {
      aws.createBucket('us-east-1', 'one-endpoint-artifacts');
      const report = await runInProcess(
        await workspaceWithZip(SIX),
        {
          steps: 'build,publish',
          'zip-file': 'layer.zip',
          runtime: 'python3.11',
          regions: 'us-east-1',
          'layer-name': 'one-endpoint',
          's3-bucket': 'one-endpoint-artifacts',
        },
        undefined,
        {
          AWS_ENDPOINT_URL: aws.url,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_REGION: 'us-east-1',
        },
      );
      expect(report.error).toBeUndefined();
      expect(report.publish!.layers[0]).toMatchObject({ version: 1, published: true });
      // HeadBucket: the preflight's check that the bucket exists in its region (docs/preflight.md);
      // two PutObject: the zip, and its SBOM next to it (docs/sbom.md).
      expect(operations()).toEqual([
        'HeadBucket',
        'ListLayerVersions',
        'PutObject',
        'PutObject',
        'PublishLayerVersion',
      ]);
    });

    it('takes the newest version by number, whatever order and page size the endpoint lists in', async () => {
      const name = 'many-versions';
      for (let i = 1; i <= 3; i++)
        await aws.seedLayerVersion({ region: 'us-east-1', name, content: Buffer.from(`v${i}`) });
      const dir = await workspaceWithZip(SIX);
      expect((await release(dir, { 'layer-name': name })).publish!.layers[0]).toMatchObject({
        version: 4,
        published: true,
      });
      await aws.seedLayerVersion({ region: 'us-east-1', name, content: Buffer.from('v5') });
      await release(await workspaceWithZip({ 'python/six.py': 'X = 7\n' }), { 'layer-name': name });
      // Only the newest version is compared: this content again after version 6 is version 7.
      const back = await release(dir, { 'layer-name': name });
      expect(back.publish!.layers[0]).toMatchObject({ version: 7, published: true });
      aws.requests.length = 0;
      const again = await release(dir, { 'layer-name': name });
      expect(again.publish!.layers[0]).toMatchObject({ version: 7, published: false });
      // Lambda honours MaxItems 1: one call; an emulator answers every version in that one call.
      expect(operations()).toEqual(['ListLayerVersions', 'GetLayerVersion']);
      const planned = await release(await workspaceWithZip({ 'python/six.py': 'X = 8\n' }), {
        'layer-name': name,
        'dry-run': 'true',
      });
      expect(planned.publish!.layers[0]).toMatchObject({ version: 8, planned: true });
    });

    it('dry-run computes whether it would publish and writes nothing', async () => {
      const report = await release(await workspaceWithZip(SIX), {
        'layer-name': 'dry-layer',
        'dry-run': 'true',
        'share-with': '111122223333',
      });
      expect(report.error).toBeUndefined();
      expect(report.publish!.layers[0]).toMatchObject({ version: 1, published: true, planned: true });
      expect(operations().filter((op) => WRITES.has(op))).toEqual([]);
      expect(aws.state.layer('us-east-1', 'dry-layer')).toBeUndefined();
      expect(outputsOf(report).published).toBe('false');
    });
  });

  describe('keep-versions', () => {
    it('deletes versions older than the newest N, but never one a function or a function version behind an alias uses', async () => {
      const name = 'retained-layer';
      for (let i = 1; i <= 4; i++)
        await aws.seedLayerVersion({ region: 'us-east-1', name, content: Buffer.from(`v${i}`) });
      const arn = `arn:aws:lambda:us-east-1:${aws.accountId}:layer:${name}`;
      aws.seedFunction({ region: 'us-east-1', name: 'old-consumer', layers: [`${arn}:1`] });
      // Version 2 is used only by a published function version behind an alias: $LATEST moved on.
      aws.seedFunction({ region: 'us-east-1', name: 'aliased', layers: [`${arn}:2`] });
      const lambda = new LambdaClient(aws.clientConfig('us-east-1'));
      const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: 'aliased' }));
      await lambda.send(
        new CreateAliasCommand({ FunctionName: 'aliased', Name: 'live', FunctionVersion: Version }),
      );
      aws.changeFunction('us-east-1', 'aliased', { Layers: [{ Arn: `${arn}:4`, CodeSize: 2 }] });
      // A look-alike layer's versions must not count as uses of this layer.
      aws.seedFunction({ region: 'us-east-1', name: 'look-alike', layers: [`${arn}-v2:3`] });
      const report = await release(await workspaceWithZip(SIX), { 'layer-name': name, 'keep-versions': '2' });
      expect(report.error).toBeUndefined();
      expect(report.publish!.layers[0]!.version).toBe(5);
      expect(report.retention).toEqual([
        {
          region: 'us-east-1',
          deleted: [3],
          keptInUse: { 2: [`aliased:${Version}`], 1: ['old-consumer'] },
          planned: false,
        },
      ]);
      expect([...aws.state.layer('us-east-1', name)!.versions.keys()].sort()).toEqual([1, 2, 4, 5]);
      // What the alias serves still has its layer.
      const live = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: 'aliased', Qualifier: 'live' }),
      );
      expect(live.Layers!.map((l) => l.Arn)).toEqual([`${arn}:2`]);
      expect(report.steps.map((s) => s.step)).toEqual(['build', 'publish', 'keep-versions']);
    });

    it('in a dry-run, says what it would delete and deletes nothing', async () => {
      const name = 'retained-dry';
      for (let i = 1; i <= 3; i++)
        await aws.seedLayerVersion({ region: 'us-east-1', name, content: Buffer.from(`v${i}`) });
      const report = await release(await workspaceWithZip(SIX), {
        'layer-name': name,
        'keep-versions': '1',
        'dry-run': 'true',
      });
      expect(report.retention).toEqual([
        { region: 'us-east-1', deleted: [3, 2, 1], keptInUse: {}, planned: true },
      ]);
      expect(aws.state.layer('us-east-1', name)!.versions.size).toBe(3);
      expect(operations().filter((op) => WRITES.has(op))).toEqual([]);
    });
  });
});
