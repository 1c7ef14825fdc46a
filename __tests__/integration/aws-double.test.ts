import { createHash, randomBytes } from 'node:crypto';
import { lookup } from 'node:dns';
import { Agent } from 'node:http';
import { Readable } from 'node:stream';
import {
  AddLayerVersionPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteLayerVersionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListLayersCommand,
  ListLayerVersionsCommand,
  ListVersionsByFunctionCommand,
  paginateListFunctions,
  paginateListLayerVersions,
  PublishLayerVersionCommand,
  PublishVersionCommand,
  RemoveLayerVersionPermissionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { Upload } from '@aws-sdk/lib-storage';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import yazl from 'yazl';
import { type AwsDouble, type AwsDoubleOptions, startAwsDouble } from '../support/aws-double.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

interface SdkError extends Error {
  $fault?: string;
  $metadata: { httpStatusCode?: number };
  [key: string]: unknown;
}

async function failure(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (e) {
    return e as SdkError;
  }
  throw new Error('expected the call to fail');
}

async function makeZip(files: Record<string, Buffer | string>, compress = true): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files))
    zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, {
      compressionLevel: compress ? 1 : 0,
      mtime: new Date('2020-01-01T00:00:00Z'),
    });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('base64');

let aws: AwsDouble;
const opened: { destroy(): void }[] = [];

async function start(options: AwsDoubleOptions = {}): Promise<AwsDouble> {
  aws = await startAwsDouble({ controlPlaneRps: Infinity, ...options });
  return aws;
}

function lambdaClient(region = REGION, maxAttempts = 1): LambdaClient {
  const c = new LambdaClient({ ...aws.clientConfig(region), maxAttempts });
  opened.push(c);
  return c;
}
function ssmClient(region = REGION, maxAttempts = 1): SSMClient {
  const c = new SSMClient({ ...aws.clientConfig(region), maxAttempts });
  opened.push(c);
  return c;
}
function s3Client(region = REGION, maxAttempts = 1): S3Client {
  const c = new S3Client({ ...aws.clientConfig(region), maxAttempts });
  opened.push(c);
  return c;
}

afterEach(async () => {
  for (const c of opened.splice(0)) c.destroy();
  await aws?.close();
  vi.unstubAllEnvs();
});

const fast = { minDelay: 0.02, maxDelay: 0.1, maxWaitTime: 5 };

describe('wire basics', () => {
  beforeEach(() => start());

  it('serves SDK clients configured only through env() (AWS_ENDPOINT_URL_*)', async () => {
    expect(aws.flavour).toBe('aws');
    for (const [k, v] of Object.entries(aws.env('eu-west-1'))) vi.stubEnv(k, v);
    const lambda = new LambdaClient({ maxAttempts: 1 });
    const ssm = new SSMClient({ maxAttempts: 1 });
    const s3 = new S3Client({ maxAttempts: 1 });
    opened.push(lambda, ssm, s3);
    await s3.send(
      new CreateBucketCommand({
        Bucket: 'env-bucket',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'env-bucket', Key: 'k', Body: 'v' }));
    await ssm.send(new PutParameterCommand({ Name: '/env/p', Value: 'x', Type: 'String' }));
    const layer = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'env', Content: { ZipFile: await makeZip({ a: 'a' }) } }),
    );
    expect(layer.LayerVersionArn).toBe(`arn:aws:lambda:eu-west-1:${ACCOUNT}:layer:env:1`);
    expect(aws.requests.map((r) => [r.service, r.region, r.operation, r.status])).toEqual([
      ['s3', 'eu-west-1', 'CreateBucket', 200],
      ['s3', 'eu-west-1', 'PutObject', 200],
      ['ssm', 'eu-west-1', 'PutParameter', 200],
      ['lambda', 'eu-west-1', 'PublishLayerVersion', 201],
    ]);
  });

  it('keeps separate state per region, taken from the SigV4 credential scope', async () => {
    const zip = await makeZip({ 'python/x.py': 'x = 1' });
    const east = lambdaClient('us-east-1');
    const west = lambdaClient('eu-west-1');
    await east.send(new PublishLayerVersionCommand({ LayerName: 'deps', Content: { ZipFile: zip } }));
    await east.send(new PublishLayerVersionCommand({ LayerName: 'deps', Content: { ZipFile: zip } }));
    const w = await west.send(
      new PublishLayerVersionCommand({ LayerName: 'deps', Content: { ZipFile: zip } }),
    );
    expect(w.Version).toBe(1);
    expect(w.LayerVersionArn).toBe(`arn:aws:lambda:eu-west-1:${ACCOUNT}:layer:deps:1`);
    expect(aws.state.layer('us-east-1', 'deps')?.versions.size).toBe(2);
    expect(aws.state.layer('eu-west-1', 'deps')?.versions.size).toBe(1);
  });

  it('rejects unsigned requests and requests to regions that are not enabled', async () => {
    const res = await fetch(`${aws.url}/2018-10-31/layers`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    await aws.close();
    await start({ regions: ['eu-central-1'] });
    expect(aws.env().AWS_REGION).toBe('eu-central-1');
    const err = await failure(lambdaClient('us-east-1').send(new ListLayersCommand({})));
    expect(err.name).toBe('UnrecognizedClientException');
    await lambdaClient('eu-central-1').send(new ListLayersCommand({}));
  });
});

describe('layers', () => {
  beforeEach(() => start());

  it('publishes versions 1, 2, … with Lambda’s CodeSha256 and CodeSize, and serves them back', async () => {
    const lambda = lambdaClient();
    const zip = await makeZip({ 'python/lib/python3.12/site-packages/mod.py': 'print(1)' });
    const v1 = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'deps',
        Content: { ZipFile: zip },
        Description: 'first',
        CompatibleRuntimes: ['python3.12', 'python3.11'],
        CompatibleArchitectures: ['arm64'],
        LicenseInfo: 'MIT',
      }),
    );
    expect(v1).toMatchObject({
      LayerArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:deps`,
      LayerVersionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:deps:1`,
      Version: 1,
      Description: 'first',
      CompatibleRuntimes: ['python3.12', 'python3.11'],
      CompatibleArchitectures: ['arm64'],
      LicenseInfo: 'MIT',
      Content: { CodeSha256: sha256(zip), CodeSize: zip.length },
    });
    expect(v1.$metadata.httpStatusCode).toBe(201);
    expect(v1.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const v2 = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'deps', Content: { ZipFile: zip } }),
    );
    expect(v2.Version).toBe(2);

    const got = await lambda.send(new GetLayerVersionCommand({ LayerName: 'deps', VersionNumber: 1 }));
    expect(got.Description).toBe('first');
    const byArn = await lambda.send(new GetLayerVersionByArnCommand({ Arn: v2.LayerVersionArn }));
    expect(byArn.Version).toBe(2);
    const viaArnName = await lambda.send(
      new GetLayerVersionCommand({ LayerName: v1.LayerArn, VersionNumber: 1 }),
    );
    expect(viaArnName.LayerVersionArn).toBe(v1.LayerVersionArn);
    const download = await fetch(got.Content?.Location ?? '');
    expect(Buffer.from(await download.arrayBuffer()).equals(zip)).toBe(true);
    expect(aws.state.layer(REGION, 'deps')?.versions.get(1)?.UnzippedSize).toBe('print(1)'.length);
  });

  it('lists versions newest first with Marker/MaxItems pagination and runtime/architecture filters', async () => {
    const lambda = lambdaClient();
    const zip = await makeZip({ 'nodejs/node_modules/x/index.js': '' });
    for (let i = 1; i <= 5; i++)
      await lambda.send(
        new PublishLayerVersionCommand({
          LayerName: 'node-deps',
          Content: { ZipFile: zip },
          CompatibleRuntimes: i % 2 ? ['nodejs20.x'] : ['nodejs22.x'],
          CompatibleArchitectures: i <= 2 ? ['x86_64'] : ['arm64'],
        }),
      );
    await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'another',
        Content: { ZipFile: zip },
        CompatibleRuntimes: ['python3.12'],
      }),
    );

    const pages: number[][] = [];
    for await (const page of paginateListLayerVersions(
      { client: lambda, pageSize: 2 },
      { LayerName: 'node-deps' },
    ))
      pages.push((page.LayerVersions ?? []).map((v) => v.Version ?? 0));
    expect(pages).toEqual([[5, 4], [3, 2], [1]]);

    const node20 = await lambda.send(
      new ListLayerVersionsCommand({ LayerName: 'node-deps', CompatibleRuntime: 'nodejs20.x' }),
    );
    expect(node20.LayerVersions?.map((v) => v.Version)).toEqual([5, 3, 1]);
    const x86 = await lambda.send(
      new ListLayerVersionsCommand({ LayerName: 'node-deps', CompatibleArchitecture: 'x86_64' }),
    );
    expect(x86.LayerVersions?.map((v) => v.Version)).toEqual([2, 1]);
    const none = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'no-such-layer' }));
    expect(none.LayerVersions).toEqual([]);

    const layers = await lambda.send(new ListLayersCommand({}));
    expect(layers.Layers?.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version])).toEqual([
      ['another', 1],
      ['node-deps', 5],
    ]);
    const x86Layers = await lambda.send(new ListLayersCommand({ CompatibleArchitecture: 'x86_64' }));
    expect(x86Layers.Layers?.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version])).toEqual([
      ['node-deps', 2],
    ]);
    const err = await failure(
      lambda.send(new ListLayerVersionsCommand({ LayerName: 'node-deps', MaxItems: 51 })),
    );
    expect(err.name).toBe('ValidationException');
  });

  it('deletes versions idempotently and never reuses their numbers', async () => {
    const lambda = lambdaClient();
    const zip = await makeZip({ 'bin/tool': '#!/bin/sh' });
    await lambda.send(new PublishLayerVersionCommand({ LayerName: 'tools', Content: { ZipFile: zip } }));
    await lambda.send(new PublishLayerVersionCommand({ LayerName: 'tools', Content: { ZipFile: zip } }));
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'tools', VersionNumber: 2 }));
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'tools', VersionNumber: 2 }));
    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'tools', VersionNumber: 1 }));
    const err = await failure(
      lambda.send(new GetLayerVersionCommand({ LayerName: 'tools', VersionNumber: 2 })),
    );
    expect(err).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The resource you requested does not exist.',
      Type: 'User',
    });
    expect(err.$metadata.httpStatusCode).toBe(404);
    const v3 = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'tools', Content: { ZipFile: zip } }),
    );
    expect(v3.Version).toBe(3);
  });

  it('manages layer permissions: account, public, organization, duplicate statement ids, RevisionId', async () => {
    const lambda = lambdaClient();
    await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'shared',
        Content: { ZipFile: await makeZip({ a: 'a' }) },
      }),
    );
    const noPolicy = await failure(
      lambda.send(new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: 1 })),
    );
    expect(noPolicy.name).toBe('ResourceNotFoundException');

    const account = await lambda.send(
      new AddLayerVersionPermissionCommand({
        LayerName: 'shared',
        VersionNumber: 1,
        StatementId: 'acct',
        Action: 'lambda:GetLayerVersion',
        Principal: '210987654321',
      }),
    );
    expect(account.$metadata.httpStatusCode).toBe(201);
    expect(JSON.parse(account.Statement ?? '')).toEqual({
      Sid: 'acct',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::210987654321:root' },
      Action: 'lambda:GetLayerVersion',
      Resource: `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:shared:1`,
    });
    const org = await lambda.send(
      new AddLayerVersionPermissionCommand({
        LayerName: 'shared',
        VersionNumber: 1,
        StatementId: 'org',
        Action: 'lambda:GetLayerVersion',
        Principal: '*',
        OrganizationId: 'o-abcdefghij',
        RevisionId: account.RevisionId,
      }),
    );
    expect(JSON.parse(org.Statement ?? '')).toMatchObject({
      Principal: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
    });

    const duplicate = await failure(
      lambda.send(
        new AddLayerVersionPermissionCommand({
          LayerName: 'shared',
          VersionNumber: 1,
          StatementId: 'acct',
          Action: 'lambda:GetLayerVersion',
          Principal: '*',
        }),
      ),
    );
    expect(duplicate.name).toBe('ResourceConflictException');
    expect(duplicate.$metadata.httpStatusCode).toBe(409);
    const stale = await failure(
      lambda.send(
        new AddLayerVersionPermissionCommand({
          LayerName: 'shared',
          VersionNumber: 1,
          StatementId: 'late',
          Action: 'lambda:GetLayerVersion',
          Principal: '*',
          RevisionId: account.RevisionId,
        }),
      ),
    );
    expect(stale.name).toBe('PreconditionFailedException');
    const badAction = await failure(
      lambda.send(
        new AddLayerVersionPermissionCommand({
          LayerName: 'shared',
          VersionNumber: 1,
          StatementId: 'x',
          Action: 'lambda:InvokeFunction',
          Principal: '*',
        }),
      ),
    );
    expect(badAction.name).toBe('ValidationException');

    const policy = await lambda.send(
      new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: 1 }),
    );
    expect(JSON.parse(policy.Policy ?? '')).toMatchObject({
      Version: '2012-10-17',
      Statement: [{ Sid: 'acct' }, { Sid: 'org' }],
    });
    expect(policy.RevisionId).toBe(org.RevisionId);

    await lambda.send(
      new RemoveLayerVersionPermissionCommand({ LayerName: 'shared', VersionNumber: 1, StatementId: 'acct' }),
    );
    const gone = await failure(
      lambda.send(
        new RemoveLayerVersionPermissionCommand({
          LayerName: 'shared',
          VersionNumber: 1,
          StatementId: 'acct',
        }),
      ),
    );
    expect(gone).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Statement acct is not found in resource policy.',
    });
    expect(
      aws.state
        .layer(REGION, 'shared')
        ?.versions.get(1)
        ?.policy.statements.map((s) => s.Sid),
    ).toEqual(['org']);
  });

  it('enforces the layer limits the way Lambda reports them', async () => {
    const lambda = lambdaClient();
    const zip = await makeZip({ 'python/a.py': '' });
    const publish = (input: Partial<ConstructorParameters<typeof PublishLayerVersionCommand>[0]>) =>
      failure(
        lambda.send(new PublishLayerVersionCommand({ LayerName: 'ok', Content: { ZipFile: zip }, ...input })),
      );

    expect((await publish({ LayerName: 'bad name' })).name).toBe('ValidationException');
    expect((await publish({ LayerName: 'x'.repeat(141) })).name).toBe('ValidationException');
    expect((await publish({ Description: 'd'.repeat(257) })).message).toContain(
      "at 'description' failed to satisfy constraint: Member must have length less than or equal to 256",
    );
    expect((await publish({ LicenseInfo: 'l'.repeat(513) })).name).toBe('ValidationException');
    const runtimes = [
      'python3.9',
      'python3.10',
      'python3.11',
      'python3.12',
      'python3.13',
      'nodejs18.x',
      'nodejs20.x',
      'nodejs22.x',
      'java11',
      'java17',
      'java21',
      'ruby3.2',
      'ruby3.3',
      'provided.al2',
      'provided.al2023',
      'dotnet8',
    ];
    expect((await publish({ CompatibleRuntimes: runtimes as never })).message).toContain(
      'less than or equal to 15',
    );
    expect((await publish({ CompatibleRuntimes: ['cobol85' as never] })).message).toContain('enum value set');
    expect((await publish({ CompatibleArchitectures: ['x86_64', 'arm64', 'arm64'] })).name).toBe(
      'ValidationException',
    );
    const notZip = await publish({ Content: { ZipFile: Buffer.from('not a zip') } });
    expect(notZip).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'Could not unzip uploaded file. Please check your file, then try to upload again.',
    });
    expect(notZip.$metadata.httpStatusCode).toBe(400);

    // 11 × 25 MB of zeros: a small zip that unzips past 262,144,000 bytes.
    const zeros = Buffer.alloc(25 * 1024 * 1024);
    const huge = await makeZip(
      Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`python/blob${i}.bin`, zeros])),
    );
    expect(huge.length).toBeLessThan(2 * 1024 * 1024);
    expect((await publish({ Content: { ZipFile: huge } })).message).toBe(
      'Unzipped size must be smaller than 262144000 bytes',
    );
    expect(aws.state.layer(REGION, 'ok')).toBeUndefined();
  });

  it('rejects request bodies over 69,905,067 bytes with 413 like Lambda (RequestEntityTooLargeException)', async () => {
    const lambda = lambdaClient();
    const err = await failure(
      lambda.send(
        new PublishLayerVersionCommand({ LayerName: 'big', Content: { ZipFile: Buffer.alloc(52_500_000) } }),
      ),
    );
    expect(err.$metadata.httpStatusCode).toBe(413);
    expect(err.name).toBe('RequestEntityTooLargeException');
    expect(err.message).toBe(
      'Request must be smaller than 69905067 bytes for the PublishLayerVersion operation',
    );
  });

  it('fails with CodeStorageExceededException past the code storage quota', async () => {
    await aws.close();
    await start({ codeStorageLimitBytes: 1000 });
    const lambda = lambdaClient();
    const zip = await makeZip({ 'a.txt': 'a' });
    await lambda.send(new PublishLayerVersionCommand({ LayerName: 'l', Content: { ZipFile: zip } }));
    const padded = await makeZip({ 'a.txt': randomBytes(900) }, false);
    const err = await failure(
      lambda.send(new PublishLayerVersionCommand({ LayerName: 'l', Content: { ZipFile: padded } })),
    );
    expect(err).toMatchObject({ name: 'CodeStorageExceededException', Type: 'User' });
  });

  it('publishes from S3 after a multipart upload of a > 5 MB zip, and reports S3 problems like Lambda', async () => {
    const s3 = s3Client();
    const lambda = lambdaClient();
    aws.createBucket(REGION, 'artifacts');
    const zip = await makeZip({ 'python/blob.bin': randomBytes(7 * 1024 * 1024) }, false);
    await new Upload({
      client: s3,
      params: { Bucket: 'artifacts', Key: 'layers/deps.zip', Body: zip },
    }).done();
    const uploads = aws.requests.filter((r) => r.service === 's3').map((r) => r.operation);
    expect(uploads).toEqual(['CreateMultipartUpload', 'UploadPart', 'UploadPart', 'CompleteMultipartUpload']);

    const v = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'from-s3',
        Content: { S3Bucket: 'artifacts', S3Key: 'layers/deps.zip' },
      }),
    );
    expect(v.Content).toMatchObject({ CodeSha256: sha256(zip), CodeSize: zip.length });
    expect(aws.state.layer(REGION, 'from-s3')?.versions.get(1)?.UnzippedSize).toBe(7 * 1024 * 1024);

    const missingKey = await failure(
      lambda.send(
        new PublishLayerVersionCommand({
          LayerName: 'x',
          Content: { S3Bucket: 'artifacts', S3Key: 'nope.zip' },
        }),
      ),
    );
    expect(missingKey.message).toBe(
      'Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: The specified key does not exist.',
    );
    aws.createBucket('us-west-2', 'elsewhere');
    const otherRegion = await failure(
      lambda.send(
        new PublishLayerVersionCommand({ LayerName: 'x', Content: { S3Bucket: 'elsewhere', S3Key: 'k' } }),
      ),
    );
    expect(otherRegion).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(otherRegion.message).toContain('PermanentRedirect');
  });
});

describe('functions', () => {
  beforeEach(() => start({ updateLatencyMs: 50 }));

  async function twoLayers() {
    const lambda = lambdaClient();
    const zip = await makeZip({ 'python/a.py': '' });
    const a1 = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'a', Content: { ZipFile: zip } }),
    );
    const a2 = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'a', Content: { ZipFile: zip } }),
    );
    const b1 = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'b', Content: { ZipFile: zip } }),
    );
    return {
      lambda,
      a1: a1.LayerVersionArn ?? '',
      a2: a2.LayerVersionArn ?? '',
      b1: b1.LayerVersionArn ?? '',
    };
  }

  it('creates a function (Pending → Active) that GetFunction and waitUntilFunctionActiveV2 see', async () => {
    const { lambda, a1 } = await twoLayers();
    const code = await makeZip({ 'index.py': 'def handler(e, c): return 1' });
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'api',
        Role: `arn:aws:iam::${ACCOUNT}:role/api`,
        Runtime: 'python3.12',
        Handler: 'index.handler',
        Code: { ZipFile: code },
        Layers: [a1],
        Architectures: ['arm64'],
      }),
    );
    expect(created).toMatchObject({
      State: 'Pending',
      FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:api`,
      Layers: [{ Arn: a1 }],
    });
    const dup = await failure(
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'api',
          Role: `arn:aws:iam::${ACCOUNT}:role/api`,
          Runtime: 'python3.12',
          Handler: 'h',
          Code: { ZipFile: code },
        }),
      ),
    );
    expect(dup.name).toBe('ResourceConflictException');
    await waitUntilFunctionActiveV2({ client: lambda, ...fast }, { FunctionName: 'api' });
    const got = await lambda.send(
      new GetFunctionCommand({ FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:api` }),
    );
    expect(got.Configuration).toMatchObject({
      State: 'Active',
      LastUpdateStatus: 'Successful',
      Architectures: ['arm64'],
      CodeSha256: sha256(code),
    });
    expect(Buffer.from(await (await fetch(got.Code?.Location ?? '')).arrayBuffer()).equals(code)).toBe(true);
    const missing = await failure(lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })));
    expect(missing).toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: arn:aws:lambda:${REGION}:${ACCOUNT}:function:nope`,
    });
  });

  it('paginates ListFunctions at most 50 per page, without the state fields', async () => {
    for (let i = 0; i < 120; i++)
      aws.seedFunction({ region: REGION, name: `fn-${String(i).padStart(3, '0')}` });
    aws.seedFunction({ region: 'eu-west-1', name: 'elsewhere' });
    const lambda = lambdaClient();
    const sizes: number[] = [];
    const names: string[] = [];
    for await (const page of paginateListFunctions({ client: lambda }, {})) {
      sizes.push(page.Functions?.length ?? 0);
      names.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? ''));
    }
    expect(sizes).toEqual([50, 50, 20]);
    expect(new Set(names).size).toBe(120);
    expect(names).not.toContain('elsewhere');
    const small = await lambda.send(new ListFunctionsCommand({ MaxItems: 7 }));
    expect(small.Functions).toHaveLength(7);
    expect(small.NextMarker).toBeTruthy();
    const capped = await lambda.send(new ListFunctionsCommand({ MaxItems: 1000 }));
    expect(capped.Functions).toHaveLength(50);
    expect(capped.Functions?.[0]).not.toHaveProperty('LastUpdateStatus');
    expect(capped.Functions?.[0]).not.toHaveProperty('State');
    expect(aws.requests.filter((r) => r.operation === 'ListFunctions')).toHaveLength(5);
  });

  it('replaces Layers, goes InProgress → Successful with a new RevisionId, and waitUntilFunctionUpdatedV2 sees it', async () => {
    const { lambda, a1, a2, b1 } = await twoLayers();
    aws.seedFunction({
      region: REGION,
      name: 'worker',
      runtime: 'python3.12',
      layers: [a1, b1],
      memorySize: 512,
    });
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'worker' }));
    expect(before.Layers?.map((l) => l.Arn)).toEqual([a1, b1]);

    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'worker',
        Layers: [a2, b1],
        RevisionId: before.RevisionId,
      }),
    );
    expect(updated.LastUpdateStatus).toBe('InProgress');
    expect(updated.RevisionId).not.toBe(before.RevisionId);
    expect(updated.Layers).toEqual([
      { Arn: a2, CodeSize: expect.any(Number) },
      { Arn: b1, CodeSize: expect.any(Number) },
    ]);
    expect(updated.MemorySize).toBe(512);

    const waited = await waitUntilFunctionUpdatedV2({ client: lambda, ...fast }, { FunctionName: 'worker' });
    expect(waited.state).toBe('SUCCESS');
    const after = await lambda.send(new GetFunctionCommand({ FunctionName: 'worker' }));
    expect(after.Configuration?.LastUpdateStatus).toBe('Successful');
    // Like Lambda (aws/aws-sdk#377), finishing the update changes the RevisionId again.
    expect(after.Configuration?.RevisionId).not.toBe(updated.RevisionId);
    expect(
      aws.state.fn(REGION, 'worker')?.history.map((e) => [e.actor, e.operation, e.lastUpdateStatus]),
    ).toEqual([
      ['seed', 'Seed', 'Successful'],
      ['caller', 'UpdateFunctionConfiguration', 'InProgress'],
      ['lambda', 'UpdateComplete', 'Successful'],
    ]);
  });

  it('answers a stale RevisionId with 412 and an update during InProgress with 409', async () => {
    await aws.close();
    await start({ updateLatencyMs: 300 });
    const { lambda, a1, a2 } = await twoLayers();
    aws.seedFunction({ region: REGION, name: 'f', layers: [a1] });
    const { RevisionId } = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }));
    const stale = await failure(
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'f',
          Layers: [a2],
          RevisionId: 'not-the-revision',
        }),
      ),
    );
    expect(stale).toMatchObject({ name: 'PreconditionFailedException', Type: 'User' });
    expect(stale.$metadata.httpStatusCode).toBe(412);

    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Layers: [a2], RevisionId }),
    );
    const busy = await failure(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Layers: [a1] })),
    );
    expect(busy).toMatchObject({
      name: 'ResourceConflictException',
      message: `The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:${REGION}:${ACCOUNT}:function:f`,
    });
    expect(busy.$metadata.httpStatusCode).toBe(409);
    await waitUntilFunctionUpdatedV2({ client: lambda, ...fast }, { FunctionName: 'f' });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Layers: [a1] }));
  });

  it('validates the Layers list like Lambda', async () => {
    const { lambda, a1, a2, b1 } = await twoLayers();
    aws.seedFunction({ region: REGION, name: 'f' });
    const update = (layers: string[]) =>
      failure(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Layers: layers })));
    const missing = `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:a:9`;
    expect((await update([a1, b1, a1, b1, a1, b1])).message).toBe('Cannot reference more than 5 layers.');
    expect(await update([missing])).toMatchObject({
      name: 'InvalidParameterValueException',
      message: `Layer version ${missing} does not exist.`,
    });
    expect((await update([a1, b1, a2])).message).toBe(
      `Two different versions of the same layer are not allowed to be referenced in the same function. ${a1} and ${a2} are versions of the same layer.`,
    );
    expect((await update([`arn:aws:lambda:eu-west-1:${ACCOUNT}:layer:a:1`])).message).toBe(
      'Layers are not in the same region as the function. Layers are expected to be in region us-east-1.',
    );
    expect((await update(['not-an-arn'])).name).toBe('ValidationException');

    const big1 = await aws.seedLayerVersion({ region: REGION, name: 'big1', unzippedSize: 150_000_000 });
    const big2 = await aws.seedLayerVersion({ region: REGION, name: 'big2', unzippedSize: 150_000_000 });
    expect((await update([big1.LayerVersionArn, big2.LayerVersionArn])).message).toMatch(
      /^Function code combined with layers exceeds the maximum allowed size of 262144000 bytes\. The actual size is \d+ bytes\.$/,
    );
    expect(aws.state.fn(REGION, 'f')?.config.Layers).toBeUndefined();
    expect(aws.state.fn(REGION, 'f')?.history).toHaveLength(1);
  });

  it('uses another account’s layer only when its policy allows', async () => {
    const lambda = lambdaClient();
    aws.seedFunction({ region: REGION, name: 'f' });
    const privateLayer = await aws.seedLayerVersion({
      region: REGION,
      name: 'vendor',
      accountId: '999999999999',
    });
    const denied = await failure(
      lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Layers: [privateLayer.LayerVersionArn] }),
      ),
    );
    expect(denied.name).toBe('AccessDeniedException');
    const publicLayer = await aws.seedLayerVersion({
      region: REGION,
      name: 'public',
      accountId: '999999999999',
      permissions: [{ principal: '*' }],
    });
    const ok = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Layers: [publicLayer.LayerVersionArn] }),
    );
    expect(ok.Layers?.[0]?.Arn).toBe(`arn:aws:lambda:${REGION}:999999999999:layer:public:1`);
  });

  it('publishes versions and keeps aliases on their version while $LATEST changes', async () => {
    const { lambda, a1, a2 } = await twoLayers();
    aws.seedFunction({ region: REGION, name: 'svc', layers: [a1] });
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'svc' }));
    expect(v1).toMatchObject({
      Version: '1',
      FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:svc:1`,
    });
    const again = await lambda.send(new PublishVersionCommand({ FunctionName: 'svc' }));
    expect(again.Version).toBe('1');
    const live = await lambda.send(
      new CreateAliasCommand({ FunctionName: 'svc', Name: 'live', FunctionVersion: '1' }),
    );
    expect(live.AliasArn).toBe(`arn:aws:lambda:${REGION}:${ACCOUNT}:function:svc:live`);

    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'svc', Layers: [a2] }));
    const busy = await failure(lambda.send(new PublishVersionCommand({ FunctionName: 'svc' })));
    expect(busy.name).toBe('ResourceConflictException');
    await waitUntilFunctionUpdatedV2({ client: lambda, ...fast }, { FunctionName: 'svc' });
    const viaAlias = await lambda.send(new GetFunctionCommand({ FunctionName: 'svc', Qualifier: 'live' }));
    expect(viaAlias.Configuration?.Layers?.map((l) => l.Arn)).toEqual([a1]);
    const viaQualifiedName = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: `${ACCOUNT}:function:svc:live` }),
    );
    expect(viaQualifiedName.Version).toBe('1');
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'svc:$LATEST' }));
    expect(latest.Layers?.map((l) => l.Arn)).toEqual([a2]);
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: 'svc' }));
    expect(v2.Version).toBe('2');
    expect(v2.Layers?.map((l) => l.Arn)).toEqual([a2]);

    const stale = await failure(
      lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'svc',
          Name: 'live',
          FunctionVersion: '2',
          RevisionId: 'old',
        }),
      ),
    );
    expect(stale.name).toBe('PreconditionFailedException');
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'svc',
        Name: 'live',
        FunctionVersion: '2',
        RevisionId: live.RevisionId,
      }),
    );
    expect(
      (await lambda.send(new GetAliasCommand({ FunctionName: 'svc', Name: 'live' }))).FunctionVersion,
    ).toBe('2');
    const noVersion = await failure(
      lambda.send(new CreateAliasCommand({ FunctionName: 'svc', Name: 'beta', FunctionVersion: '7' })),
    );
    expect(noVersion.name).toBe('ResourceNotFoundException');
  });
});

describe('quotas', () => {
  it('throttles control-plane calls beyond the 15 req/s burst with 429 CallerRateLimitExceeded', async () => {
    await start({ controlPlaneRps: 15 });
    const lambda = lambdaClient();
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () => lambda.send(new ListLayersCommand({}))),
    );
    const seconds = (performance.now() - started) / 1000;
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const throttled = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as SdkError] : []));
    expect(ok).toBeGreaterThanOrEqual(15);
    // The burst of 15, plus what refilled while the 40 calls ran (more on a loaded machine).
    expect(ok).toBeLessThanOrEqual(15 + Math.ceil(15 * seconds));
    expect(throttled.length).toBe(40 - ok);
    expect(throttled[0]).toMatchObject({
      name: 'TooManyRequestsException',
      Reason: 'CallerRateLimitExceeded',
      retryAfterSeconds: '1',
    });
    expect(throttled[0]?.$metadata.httpStatusCode).toBe(429);
    expect(aws.requests.filter((r) => r.throttled)).toHaveLength(40 - ok);
    // GetFunction has its own 100 req/s bucket.
    aws.seedFunction({ region: REGION, name: 'f' });
    const gets = await Promise.allSettled(
      Array.from({ length: 40 }, () => lambda.send(new GetFunctionCommand({ FunctionName: 'f' }))),
    );
    expect(gets.every((r) => r.status === 'fulfilled')).toBe(true);
  });

  it('keeps one bucket per region and refills at the rate', async () => {
    // A slow rate (a token every 333 ms), so that a loaded machine does not refill the bucket mid-burst.
    await start({ controlPlaneRps: 3 });
    const east = lambdaClient('us-east-1');
    const west = lambdaClient('eu-west-1');
    const burst = (c: LambdaClient) =>
      Promise.allSettled(Array.from({ length: 3 }, () => c.send(new ListLayersCommand({}))));
    const [e, w] = await Promise.all([burst(east), burst(west)]);
    expect([...e, ...w].every((r) => r.status === 'fulfilled')).toBe(true);
    expect((await failure(east.send(new ListLayersCommand({})))).name).toBe('TooManyRequestsException');
    await new Promise((r) => setTimeout(r, 400));
    await east.send(new ListLayersCommand({}));
  });
});

describe('faults', () => {
  beforeEach(() => start());

  it('http500 → ServiceException, which SDK retries get past', async () => {
    aws.seedFunction({ region: REGION, name: 'f' });
    aws.faults.add({ kind: 'http500', operation: 'GetFunction' });
    const err = await failure(lambdaClient().send(new GetFunctionCommand({ FunctionName: 'f' })));
    expect(err).toMatchObject({ name: 'ServiceException', $fault: 'server' });
    expect(err.$metadata.httpStatusCode).toBe(500);
    const fault = aws.faults.add({ kind: 'http500', operation: 'GetFunction', times: 2 });
    const got = await lambdaClient(REGION, 3).send(new GetFunctionCommand({ FunctionName: 'f' }));
    expect(got.$metadata.attempts).toBe(3);
    expect(fault.fired).toBe(2);
  });

  it('throttle and conflict on the nth matching call, for one function only', async () => {
    aws.seedFunction({ region: REGION, name: 'a' });
    aws.seedFunction({ region: REGION, name: 'b' });
    const lambda = lambdaClient();
    aws.faults.add({ kind: 'throttle', functionName: 'b', nth: 2 });
    aws.faults.add({
      kind: 'conflict',
      operation: 'UpdateFunctionConfiguration',
      functionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:a`,
    });
    await lambda.send(new GetFunctionCommand({ FunctionName: 'a' }));
    await lambda.send(new GetFunctionCommand({ FunctionName: 'a' }));
    await lambda.send(new GetFunctionCommand({ FunctionName: 'b' }));
    const throttled = await failure(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'b' })));
    expect(throttled).toMatchObject({ name: 'TooManyRequestsException', Reason: 'CallerRateLimitExceeded' });
    await lambda.send(new GetFunctionCommand({ FunctionName: 'b' }));
    const busy = await failure(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'a', MemorySize: 256 })),
    );
    expect(busy.name).toBe('ResourceConflictException');
    expect(aws.requests.map((r) => [r.functionName, r.status, r.fault ?? null])).toEqual([
      ['a', 200, null],
      ['a', 200, null],
      ['b', 200, null],
      ['b', 429, 'throttle'],
      ['b', 200, null],
      ['a', 409, 'conflict'],
    ]);
  });

  it('drop-connection: the SDK sees a dropped socket; afterApplying loses the response of a done publish', async () => {
    const zip = await makeZip({ a: 'a' });
    aws.faults.add({ kind: 'drop-connection', operation: 'ListLayers' });
    const err = await failure(lambdaClient().send(new ListLayersCommand({})));
    expect(err.$metadata.httpStatusCode).toBeUndefined();
    expect(String((err as { code?: string }).code ?? err.message)).toMatch(/ECONNRESET|socket hang up|EPIPE/);

    aws.faults.add({ kind: 'drop-connection', operation: 'PublishLayerVersion', afterApplying: true });
    const retried = await lambdaClient(REGION, 2).send(
      new PublishLayerVersionCommand({ LayerName: 'twice', Content: { ZipFile: zip } }),
    );
    // The first attempt published version 1, but its response never arrived; the retry published version 2.
    expect(retried.Version).toBe(2);
    expect([...(aws.state.layer(REGION, 'twice')?.versions.keys() ?? [])]).toEqual([1, 2]);
    expect(aws.requests.filter((r) => r.operation === 'PublishLayerVersion').map((r) => r.status)).toEqual([
      0, 201,
    ]);
  });

  it('update-fails: the update ends Failed with the reason, and waitUntilFunctionUpdatedV2 fails', async () => {
    const lambda = lambdaClient();
    aws.seedFunction({ region: REGION, name: 'f' });
    aws.faults.add({
      kind: 'update-fails',
      reason: 'Layer extraction failed.',
      reasonCode: 'InvalidConfiguration',
    });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'f', MemorySize: 256 }));
    const err = await failure(waitUntilFunctionUpdatedV2({ client: lambda, ...fast }, { FunctionName: 'f' }));
    expect(err.message).toContain('FAILURE');
    const cfg = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'f' }));
    expect(cfg).toMatchObject({
      LastUpdateStatus: 'Failed',
      LastUpdateStatusReason: 'Layer extraction failed.',
      LastUpdateStatusReasonCode: 'InvalidConfiguration',
    });
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'f', MemorySize: 512 }));
    await waitUntilFunctionUpdatedV2({ client: lambda, ...fast }, { FunctionName: 'f' });
  });

  it('concurrent-change: another actor’s change makes the RevisionId stale and survives a re-read update', async () => {
    const lambda = lambdaClient();
    const zip = await makeZip({ a: 'a' });
    const ours1 =
      (await lambda.send(new PublishLayerVersionCommand({ LayerName: 'ours', Content: { ZipFile: zip } })))
        .LayerVersionArn ?? '';
    const ours2 =
      (await lambda.send(new PublishLayerVersionCommand({ LayerName: 'ours', Content: { ZipFile: zip } })))
        .LayerVersionArn ?? '';
    const theirs =
      (await lambda.send(new PublishLayerVersionCommand({ LayerName: 'theirs', Content: { ZipFile: zip } })))
        .LayerVersionArn ?? '';
    aws.seedFunction({ region: REGION, name: 'f', layers: [ours1], environment: { KEEP: '1' } });
    aws.faults.add({
      kind: 'concurrent-change',
      functionName: 'f',
      change: (c) => (
        (c.Layers = [...(c.Layers ?? []), { Arn: theirs, CodeSize: 1 }]),
        (c.MemorySize = 1024)
      ),
    });

    const read = await lambda.send(new GetFunctionCommand({ FunctionName: 'f' }));
    const stale = await failure(
      lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'f',
          Layers: [ours2],
          RevisionId: read.Configuration?.RevisionId,
        }),
      ),
    );
    expect(stale.name).toBe('PreconditionFailedException');
    const reread = await lambda.send(new GetFunctionCommand({ FunctionName: 'f' }));
    const layers = (reread.Configuration?.Layers ?? []).map((l) => (l.Arn === ours1 ? ours2 : (l.Arn ?? '')));
    await lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'f',
        Layers: layers,
        RevisionId: reread.Configuration?.RevisionId,
      }),
    );
    const final = aws.state.fn(REGION, 'f')?.config;
    expect(final?.Layers?.map((l) => l.Arn)).toEqual([ours2, theirs]);
    expect(final?.MemorySize).toBe(1024);
    expect(final?.Environment?.Variables).toEqual({ KEEP: '1' });
    expect(
      aws.state
        .fn(REGION, 'f')
        ?.history.filter((e) => e.actor === 'concurrent')
        .map((e) => e.changed.sort()),
    ).toEqual([['Layers', 'MemorySize']]);
  });

  it('concurrent-change by default bumps memory and environment; inProgressMs leaves the function busy', async () => {
    const lambda = lambdaClient();
    aws.seedFunction({ region: REGION, name: 'f', memorySize: 128 });
    aws.faults.add({ kind: 'concurrent-change', inProgressMs: 200 });
    const busy = await failure(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'f', Description: 'mine' })),
    );
    expect(busy.name).toBe('ResourceConflictException');
    const cfg = aws.state.fn(REGION, 'f')?.config;
    expect(cfg).toMatchObject({
      MemorySize: 192,
      Environment: { Variables: { CONCURRENT_CHANGE: '1' } },
      LastUpdateStatus: 'InProgress',
    });
    await waitUntilFunctionUpdatedV2({ client: lambda, ...fast }, { FunctionName: 'f' });
    aws.changeFunction(REGION, 'f', { Description: 'console edit' });
    expect(aws.state.fn(REGION, 'f')?.config.Description).toBe('console edit');
  });

  it('delay, and faults on SSM and S3', async () => {
    aws.faults.add({ kind: 'delay', service: 'lambda', delayMs: 150 });
    const t0 = performance.now();
    await lambdaClient().send(new ListLayersCommand({}));
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);

    aws.faults.add({ kind: 'http500', service: 'ssm' });
    expect(
      (await failure(ssmClient().send(new PutParameterCommand({ Name: 'p', Value: 'v', Type: 'String' }))))
        .name,
    ).toBe('InternalServerError');
    aws.faults.add({ kind: 'throttle', service: 'ssm', operation: 'GetParameter' });
    expect((await failure(ssmClient().send(new GetParameterCommand({ Name: 'p' })))).name).toBe(
      'ThrottlingException',
    );
    aws.createBucket(REGION, 'b');
    aws.faults.add({ kind: 'throttle', service: 's3', operation: 'PutObject' });
    const slow = await failure(s3Client().send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })));
    expect(slow.name).toBe('SlowDown');
    expect(slow.$metadata.httpStatusCode).toBe(503);
    expect(aws.faults.list.every((f) => f.fired === 1)).toBe(true);
  });
});

describe('pause (one run held while another releases)', () => {
  beforeEach(() => start());

  it('holds the first matching request until released; the others pass', async () => {
    aws.seedFunction({ region: REGION, name: 'a', layers: [] });
    aws.seedFunction({ region: REGION, name: 'b', layers: [] });
    const lambda = lambdaClient();
    const pause = aws.pause({ operation: 'GetFunction', functionName: 'a' });
    let answered = false;
    const held = lambda.send(new GetFunctionCommand({ FunctionName: 'a' })).then((r) => {
      answered = true;
      return r;
    });
    expect(await pause.reached).toMatchObject({ operation: 'GetFunction', functionName: 'a' });
    // Meanwhile another caller changes a, and b and a second read of a pass.
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'a', MemorySize: 512 }));
    await lambda.send(new GetFunctionCommand({ FunctionName: 'b' }));
    expect(answered).toBe(false);
    pause.release();
    // Handled only now: it sees the change made while it was held.
    expect((await held).Configuration?.MemorySize).toBe(512);
  });

  it('afterApplying: the operation is done at once, only its answer waits', async () => {
    aws.seedFunction({ region: REGION, name: 'a', layers: [] });
    const pause = aws.pause({ operation: 'UpdateFunctionConfiguration', afterApplying: true });
    const sent = lambdaClient().send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'a', MemorySize: 256 }),
    );
    await pause.reached;
    expect(aws.state.fn(REGION, 'a')!.config.MemorySize).toBe(256);
    pause.release();
    expect((await sent).MemorySize).toBe(256);
  });

  it('revisionIds: false answers as AWS does but without RevisionId (functions and listings)', async () => {
    await aws.close();
    await start({ revisionIds: false });
    aws.seedFunction({ region: REGION, name: 'a', layers: [] });
    const lambda = lambdaClient();
    expect(
      (await lambda.send(new GetFunctionCommand({ FunctionName: 'a' }))).Configuration?.RevisionId,
    ).toBeUndefined();
    const listed = await lambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.[0]?.RevisionId).toBeUndefined();
    expect(listed.Functions?.[0]?.State).toBeUndefined(); // still AWS's list view
  });
});

describe('emulator mode (as LocalStack and moto answer)', () => {
  beforeEach(() => start({ flavour: 'emulator', updateLatencyMs: 50 }));

  const statusOf = (operation: string): number[] =>
    aws.requests.filter((r) => r.operation === operation).map((r) => r.status);

  it('answers unset layer fields as "" and [], lists every version oldest first in one page', async () => {
    expect(aws.flavour).toBe('emulator');
    const lambda = lambdaClient();
    const zip = await makeZip({ 'python/a.py': '' });
    const published = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'bare', Content: { ZipFile: zip } }),
    );
    expect(published).toMatchObject({
      Version: 1,
      Description: '',
      LicenseInfo: '',
      CompatibleRuntimes: [],
      CompatibleArchitectures: [],
    });
    // moto's CreatedDate: no T, no zone.
    expect(published.CreatedDate).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    for (let i = 2; i <= 3; i++)
      await lambda.send(
        new PublishLayerVersionCommand({
          LayerName: 'bare',
          Content: { ZipFile: zip },
          LicenseInfo: 'MIT',
          CompatibleRuntimes: ['python3.12'],
        }),
      );
    const got = await lambda.send(new GetLayerVersionCommand({ LayerName: 'bare', VersionNumber: 3 }));
    expect(got).toMatchObject({ LicenseInfo: 'MIT', CompatibleRuntimes: ['python3.12'], Description: '' });

    const listed = await lambda.send(new ListLayerVersionsCommand({ LayerName: 'bare', MaxItems: 1 }));
    expect(listed.LayerVersions?.map((v) => v.Version)).toEqual([1, 2, 3]);
    expect(listed.NextMarker).toBeUndefined();
    expect(listed.LayerVersions?.[0]).toMatchObject({ LicenseInfo: '', Description: '' });
    const pages: number[] = [];
    for await (const page of paginateListLayerVersions(
      { client: lambda, pageSize: 1 },
      { LayerName: 'bare' },
    ))
      pages.push(page.LayerVersions?.length ?? 0);
    expect(pages).toEqual([3]);
    const layers = await lambda.send(new ListLayersCommand({ MaxItems: 1 }));
    expect(layers.Layers).toHaveLength(1);
    expect(layers.NextMarker).toBeUndefined();
    // A MaxItems Lambda refuses is refused here too.
    expect(
      (await failure(lambda.send(new ListLayerVersionsCommand({ LayerName: 'bare', MaxItems: 51 })))).name,
    ).toBe('ValidationException');

    await lambda.send(new DeleteLayerVersionCommand({ LayerName: 'bare', VersionNumber: 1 }));
    expect(statusOf('DeleteLayerVersion')).toEqual([200]);
  });

  it('sends no RevisionId on layer policies, refuses a made-up one, and answers 200 on removal', async () => {
    const lambda = lambdaClient();
    await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: 'shared',
        Content: { ZipFile: await makeZip({ a: 'a' }) },
      }),
    );
    const added = await lambda.send(
      new AddLayerVersionPermissionCommand({
        LayerName: 'shared',
        VersionNumber: 1,
        StatementId: 'everyone',
        Action: 'lambda:GetLayerVersion',
        Principal: '*',
      }),
    );
    expect(added.Statement).toBeDefined();
    expect(added.RevisionId).toBeUndefined();
    const policy = await lambda.send(
      new GetLayerVersionPolicyCommand({ LayerName: 'shared', VersionNumber: 1 }),
    );
    expect(JSON.parse(policy.Policy!).Statement).toHaveLength(1);
    expect(policy.RevisionId).toBeUndefined();
    const stale = await failure(
      lambda.send(
        new AddLayerVersionPermissionCommand({
          LayerName: 'shared',
          VersionNumber: 1,
          StatementId: 'one-account',
          Action: 'lambda:GetLayerVersion',
          Principal: '111122223333',
          RevisionId: 'made-up',
        }),
      ),
    );
    expect(stale.$metadata.httpStatusCode).toBe(412);
    await lambda.send(
      new RemoveLayerVersionPermissionCommand({
        LayerName: 'shared',
        VersionNumber: 1,
        StatementId: 'everyone',
      }),
    );
    expect(statusOf('RemoveLayerVersionPermission')).toEqual([200]);
  });

  it('creates Active and updates Successful at once, without RevisionId; any RevisionId sent gets 412', async () => {
    const lambda = lambdaClient();
    const layer = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'deps', Content: { ZipFile: await makeZip({ a: 'a' }) } }),
    );
    const code = await makeZip({ 'index.py': 'def handler(e, c): return 1' });
    const created = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'fn',
        Runtime: 'python3.12',
        Handler: 'index.handler',
        Role: `arn:aws:iam::${ACCOUNT}:role/r`,
        Code: { ZipFile: code },
      }),
    );
    expect(created.State).toBe('Active');
    expect(created.RevisionId).toBeUndefined();
    expect(created.Layers).toEqual([]);
    expect(created.LastModified).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Layers: [layer.LayerVersionArn!] }),
    );
    expect(updated.LastUpdateStatus).toBe('Successful');
    expect(updated.RevisionId).toBeUndefined();
    const read = await lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }));
    expect(read.Configuration).toMatchObject({ LastUpdateStatus: 'Successful', State: 'Active' });
    expect(read.Configuration!.RevisionId).toBeUndefined();
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }));
    expect(config.RevisionId).toBeUndefined();
    for (const revisionId of ['', 'made-up']) {
      const stale = await failure(
        lambda.send(
          new UpdateFunctionConfigurationCommand({
            FunctionName: 'fn',
            MemorySize: 256,
            RevisionId: revisionId,
          }),
        ),
      );
      expect(stale.$metadata.httpStatusCode, revisionId).toBe(412);
    }

    aws.faults.add({ kind: 'update-fails', functionName: 'fn', reason: 'bad layer' });
    const failed = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', MemorySize: 512 }),
    );
    expect(failed).toMatchObject({ LastUpdateStatus: 'Failed', LastUpdateStatusReason: 'bad layer' });
  });

  it('lists every function and version in one page with the state fields, and answers 200/201 elsewhere', async () => {
    for (let i = 0; i < 60; i++)
      aws.seedFunction({ region: REGION, name: `fn-${String(i).padStart(2, '0')}` });
    const lambda = lambdaClient();
    const pages: number[] = [];
    for await (const page of paginateListFunctions({ client: lambda, pageSize: 10 }, {}))
      pages.push(page.Functions?.length ?? 0);
    expect(pages).toEqual([60]);
    const listed = await lambda.send(new ListFunctionsCommand({ MaxItems: 1 }));
    expect(listed.NextMarker).toBeUndefined();
    expect(listed.Functions?.[0]).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
    expect(listed.Functions?.[0]?.RevisionId).toBeUndefined();

    const version = await lambda.send(new PublishVersionCommand({ FunctionName: 'fn-00' }));
    expect(version.RevisionId).toBeUndefined();
    const versions = await lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'fn-00', MaxItems: 1 }),
    );
    expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1']);
    expect(versions.NextMarker).toBeUndefined();

    const alias = await lambda.send(
      new CreateAliasCommand({ FunctionName: 'fn-00', Name: 'live', FunctionVersion: version.Version }),
    );
    expect(alias.RevisionId).toBeUndefined();
    expect(
      (await lambda.send(new GetAliasCommand({ FunctionName: 'fn-00', Name: 'live' }))).RevisionId,
    ).toBeUndefined();
    await lambda.send(new UpdateAliasCommand({ FunctionName: 'fn-00', Name: 'live', Description: 'x' }));
    await lambda.send(new DeleteAliasCommand({ FunctionName: 'fn-00', Name: 'live' }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn-01' }));
    // moto: GetAlias and UpdateAlias 201, DeleteLayerVersion 200 `{}`; the double answers every delete so.
    expect(statusOf('GetAlias')).toEqual([201]);
    expect(statusOf('UpdateAlias')).toEqual([201]);
    expect(statusOf('DeleteAlias')).toEqual([200]);
    expect(statusOf('DeleteFunction')).toEqual([200]);
  });

  it('answers PutParameter without Tier, as moto does', async () => {
    const ssm = ssmClient();
    const put = await ssm.send(new PutParameterCommand({ Name: '/emulated', Value: 'v', Type: 'String' }));
    expect(put).toMatchObject({ Version: 1 });
    expect(put.Tier).toBeUndefined();
  });
});

describe('ssm', () => {
  beforeEach(() => start());

  it('puts and gets parameters with versions, Overwrite, and the tags-with-overwrite rule', async () => {
    const ssm = ssmClient();
    const put1 = await ssm.send(
      new PutParameterCommand({
        Name: '/layers/deps/arn',
        Value: 'arn:1',
        Type: 'String',
        Tags: [{ Key: 'team', Value: 'x' }],
      }),
    );
    expect(put1).toMatchObject({ Version: 1, Tier: 'Standard' });
    const exists = await failure(
      ssm.send(new PutParameterCommand({ Name: '/layers/deps/arn', Value: 'arn:2', Type: 'String' })),
    );
    expect(exists).toMatchObject({ name: 'ParameterAlreadyExists' });
    expect(exists.message).toContain('set the overwrite option');
    const put2 = await ssm.send(
      new PutParameterCommand({ Name: '/layers/deps/arn', Value: 'arn:2', Overwrite: true }),
    );
    expect(put2.Version).toBe(2);
    const tagsAndOverwrite = await failure(
      ssm.send(
        new PutParameterCommand({
          Name: '/layers/deps/arn',
          Value: 'arn:3',
          Type: 'String',
          Overwrite: true,
          Tags: [{ Key: 'a', Value: 'b' }],
        }),
      ),
    );
    expect(tagsAndOverwrite.name).toBe('ValidationException');
    expect(tagsAndOverwrite.message).toContain("tags and overwrite can't be used together");
    const noType = await failure(ssm.send(new PutParameterCommand({ Name: '/new', Value: 'v' })));
    expect(noType.name).toBe('ValidationException');

    const got = await ssm.send(new GetParameterCommand({ Name: '/layers/deps/arn' }));
    expect(got.Parameter).toMatchObject({
      Name: '/layers/deps/arn',
      Value: 'arn:2',
      Version: 2,
      Type: 'String',
      ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/layers/deps/arn`,
    });
    expect(got.Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    expect((await ssm.send(new GetParameterCommand({ Name: '/layers/deps/arn:1' }))).Parameter?.Value).toBe(
      'arn:1',
    );
    expect(aws.state.parameter(REGION, '/layers/deps/arn')?.Tags).toEqual([{ Key: 'team', Value: 'x' }]);

    const missing = await failure(ssm.send(new GetParameterCommand({ Name: '/nope' })));
    expect(missing.name).toBe('ParameterNotFound');
    expect(missing.$metadata.httpStatusCode).toBe(400);
    expect(
      (await failure(ssmClient('eu-west-1').send(new GetParameterCommand({ Name: '/layers/deps/arn' }))))
        .name,
    ).toBe('ParameterNotFound');
  });
});

describe('s3', () => {
  beforeEach(() => start());

  it('puts, heads and gets objects (buffer and aws-chunked streaming bodies, checksums validated by the SDK)', async () => {
    const s3 = s3Client();
    await s3.send(new CreateBucketCommand({ Bucket: 'bkt' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'bkt',
        Key: 'dir/a b.txt',
        Body: 'hello',
        ContentType: 'text/plain',
        Metadata: { sha: 'abc' },
      }),
    );
    const streamed = randomBytes(300_000);
    await s3.send(
      new PutObjectCommand({
        Bucket: 'bkt',
        Key: 'streamed.bin',
        Body: Readable.from([streamed.subarray(0, 1000), streamed.subarray(1000)]),
        ContentLength: streamed.length,
      }),
    );
    const putStream = aws.requests.find((r) => r.params['Key'] === 'streamed.bin');
    expect(putStream?.status).toBe(200);
    expect(aws.readObject('bkt', 'streamed.bin')?.equals(streamed)).toBe(true);

    const head = await s3.send(new HeadObjectCommand({ Bucket: 'bkt', Key: 'dir/a b.txt' }));
    expect(head).toMatchObject({
      ContentLength: 5,
      ContentType: 'text/plain',
      Metadata: { sha: 'abc' },
      ETag: `"${createHash('md5').update('hello').digest('hex')}"`,
    });
    const get = await s3.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'streamed.bin' }));
    expect(
      Buffer.from(await (get.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array()))).equals(
        streamed,
      ),
    ).toBe(true);
    const ranged = await s3.send(
      new GetObjectCommand({ Bucket: 'bkt', Key: 'dir/a b.txt', Range: 'bytes=1-3' }),
    );
    expect(await ranged.Body?.transformToString()).toBe('ell');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'bkt', Prefix: 'dir/' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['dir/a b.txt']);

    expect((await failure(s3.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'missing' })))).name).toBe(
      'NoSuchKey',
    );
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket: 'bkt', Key: 'missing' })))).name).toBe(
      'NotFound',
    );
    expect(
      (await failure(s3.send(new PutObjectCommand({ Bucket: 'no-bucket', Key: 'k', Body: 'x' })))).name,
    ).toBe('NoSuchBucket');
    aws.createBucket('eu-west-1', 'euro');
    const wrongRegion = await failure(s3.send(new PutObjectCommand({ Bucket: 'euro', Key: 'k', Body: 'x' })));
    expect(wrongRegion.name).toBe('AuthorizationHeaderMalformed');
  });

  it('completes lib-storage multipart uploads and keeps big objects on disk', async () => {
    const s3 = s3Client();
    aws.createBucket(REGION, 'big');
    const body = randomBytes(11 * 1024 * 1024);
    const done = await new Upload({
      client: s3,
      params: { Bucket: 'big', Key: 'blob', Body: Readable.from([body]) },
      queueSize: 2,
    }).done();
    expect(done.ETag).toMatch(/-3"$/);
    const object = aws.state.object('big', 'blob');
    expect(object?.blob.path).toBeDefined();
    expect(object?.checksum).toMatchObject({ algorithm: 'crc32', type: 'COMPOSITE' });
    expect(aws.readObject('big', 'blob')?.equals(body)).toBe(true);
    const get = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: 'blob' }));
    expect(get.ContentLength).toBe(body.length);
    await get.Body?.transformToByteArray();
  });

  it('returns full-object checksums that the SDK validates on GetObject', async () => {
    const s3 = s3Client();
    aws.createBucket(REGION, 'b');
    await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'payload' }));
    const ok = await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));
    expect(await ok.Body?.transformToString()).toBe('payload');
    const object = aws.state.object('b', 'k');
    if (object?.checksum) object.checksum.value = 'AAAAAA==';
    const tampered = await s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));
    const err = await failure(tampered.Body?.transformToString() ?? Promise.resolve());
    expect(err.message).toMatch(/Checksum mismatch/i);
  });

  it('rejects a body whose declared checksum does not match (BadDigest)', async () => {
    aws.createBucket(REGION, 'b');
    const date = '20261127';
    const res = await fetch(`${aws.url}/b/k`, {
      method: 'PUT',
      body: 'hello',
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=AKID/${date}/${REGION}/s3/aws4_request, SignedHeaders=host, Signature=0`,
        'x-amz-checksum-crc32': 'AAAAAA==',
      },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>BadDigest</Code>');
    expect(aws.state.object('b', 'k')).toBeUndefined();
  });

  it('serves virtual-hosted-style requests (bucket.localhost) when the client can resolve them', async () => {
    // Node's resolver here does not map *.localhost to 127.0.0.1, so the client gets a lookup that does.
    const agent = new Agent({
      keepAlive: true,
      lookup: ((hostname: string, options: object, callback: (...args: unknown[]) => void) =>
        hostname.endsWith('.localhost')
          ? lookup('127.0.0.1', options, callback)
          : lookup(hostname, options, callback)) as never,
    });
    const port = new URL(aws.url).port;
    const s3 = new S3Client({
      ...aws.clientConfig(),
      endpoint: `http://localhost:${port}`,
      forcePathStyle: false,
      maxAttempts: 1,
      requestHandler: { httpAgent: agent },
    });
    opened.push(s3, agent);
    aws.createBucket(REGION, 'vhost');
    await s3.send(new PutObjectCommand({ Bucket: 'vhost', Key: 'x/y.txt', Body: 'virtual' }));
    expect(aws.readObject('vhost', 'x/y.txt')?.toString()).toBe('virtual');
    expect(
      await (
        await s3.send(new GetObjectCommand({ Bucket: 'vhost', Key: 'x/y.txt' }))
      ).Body?.transformToString(),
    ).toBe('virtual');
  });
});
