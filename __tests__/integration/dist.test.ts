/**
 * Runs the committed bundle exactly as the Actions runner does: `node dist/index.js` with INPUT_*
 * variables and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startAwsDouble } from '../support/aws-double.js';
import { startGitHubDouble } from '../support/github-double.js';
import { runAction as runInRunner } from '../support/runner.js';
import { makeWheel } from '../support/wheels.js';
import { ZipFile } from 'yazl';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-dist-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** `node dist/index.js` as the runner starts it (__tests__/support/runner.ts), with RUNNER_TEMP under `root`. */
const runAction = (
  workspace: string,
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {},
): ReturnType<typeof runInRunner> => runInRunner(root, workspace, inputs, extraEnv);

async function zipBuffer(files: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('node dist/index.js', () => {
  it('against an emulator: the fuzz cases that once published first are refused before any write', async () => {
    const aws = await startAwsDouble({ flavour: 'emulator' });
    try {
      const workspace = path.join(root, 'ws-preflight');
      fs.mkdirSync(workspace);
      fs.writeFileSync(path.join(workspace, 'layer.zip'), await zipBuffer({ 'python/fz.py': 'X = 1\n' }));
      const v1 = await aws.seedLayerVersion({ region: 'us-east-1', name: 'fz-layer' });
      aws.seedFunction({
        region: 'us-east-1',
        name: 'fz-api',
        runtime: 'python3.11',
        layers: [v1.LayerVersionArn],
      });
      const { PutParameterCommand, SSMClient } = await import('@aws-sdk/client-ssm');
      const ssm = new SSMClient(aws.clientConfig('us-east-1'));
      await ssm.send(new PutParameterCommand({ Name: '/fz/arn', Value: 'secret', Type: 'SecureString' }));
      const since = aws.requests.at(-1)!.seq;
      const before = aws.snapshot();
      const result = await runAction(
        workspace,
        {
          steps: 'build,publish,roll-out,ssm',
          'layer-name': 'fz-layer',
          runtime: 'python3.11',
          regions: 'us-east-1',
          'zip-file': 'layer.zip',
          functions: 'fz-api fz-missing AUTO',
          alarms: 'fz-no-alarm',
          'ssm-parameter': '/fz/arn',
        },
        aws.env('us-east-1'),
      );
      expect(result.status, result.stdout).toBe(1);
      for (const message of [
        'functions: "fz-missing" does not exist in us-east-1',
        'functions: "AUTO" does not exist in us-east-1; write auto in lower case',
        'alarms: "fz-no-alarm" is not an alarm in us-east-1',
        'ssm-parameter: "/fz/arn" in us-east-1 is a SecureString',
      ]) {
        expect(result.stdout).toContain(message);
      }
      expect(result.stdout).not.toMatch(/^\s+at /m); // no stack trace
      expect(aws.writes(since)).toEqual([]);
      expect(aws.snapshot()).toBe(before);
    } finally {
      await aws.close();
    }
  });

  it('builds and smoke-tests a Python layer, sets outputs and writes the job summary', async () => {
    const workspace = path.join(root, 'ws-python');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(workspace, 'requirements.txt'), 'greeting==1.0.0\n');
    await makeWheel(path.join(workspace, 'wheels'), {
      name: 'greeting',
      version: '1.0.0',
      files: { 'greeting/__init__.py': 'X = 1\n' },
    });
    const result = await runAction(workspace, {
      'layer-name': 'e2e-layer',
      runtime: 'python3.11',
      'install-args': '--no-index --find-links wheels',
    });
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toContain('::group::Build the layer (build)');
    expect(result.stdout).toContain('::group::Smoke-test the layer (smoke-test)');
    expect(result.outputs['content-hash']).toMatch(/^[0-9a-f]{64}$/);
    expect(result.outputs['code-sha256']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(fs.statSync(result.outputs['zip-file']!).size).toBe(Number(result.outputs['zip-size']));
    expect(Number(result.outputs['unzipped-size'])).toBeGreaterThan(0);
    expect(result.summary).toContain('## ✅ Lambda layer `e2e-layer` built and smoke-tested');
    expect(result.summary).toMatch(/\*\*Built 1 package · 1 import ok · [\d.]+ s\*\*/);
    expect(result.summary).toMatch(/\| ✅ build \| 1 package, [\d.]+ kB zip, \d+ B unzipped \| [\d.]+ s \|/);
    expect(result.summary).toMatch(/\| ✅ smoke-test \| 1 import ok \|/);
    expect(result.summary).toContain(`| CodeSha256 | \`${result.outputs['code-sha256']}\` |`);
    expect(result.summary).toContain('| greeting | 1.0.0 | `greeting` |');
    expect(result.summary).toMatch(/\n\n$/);
    // The bill of materials beside the zip (docs/sbom.md): a CycloneDX document of the zip's one package.
    expect(path.dirname(result.outputs['sbom']!)).toBe(path.dirname(result.outputs['zip-file']!));
    const sbom = JSON.parse(fs.readFileSync(result.outputs['sbom']!, 'utf8')) as {
      specVersion: string;
      components: { purl: string }[];
    };
    expect(sbom.specVersion).toBe('1.6');
    expect(sbom.components.map((c) => c.purl)).toEqual(['pkg:pypi/greeting@1.0.0']);
    expect(result.summary).toContain(
      '**SBOM** (CycloneDX 1.6, `e2e-layer.cdx.json`): 1 package, 0 with a licence',
    );
  });

  it('fails with every input problem named, before running anything, and still writes the summary', async () => {
    const workspace = path.join(root, 'ws-bad');
    fs.mkdirSync(workspace);
    const result = await runAction(workspace, {
      'layer-name': 'bad name',
      runtime: 'python2.7',
      'max-parallel': '99',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error::Invalid inputs:');
    expect(result.stdout).toContain('layer-name: "bad name" is not allowed');
    expect(result.stdout).toContain('runtime: "python2.7" is not supported');
    expect(result.stdout).toContain('max-parallel: "99" is not allowed; use a whole number from 1 to 50');
    expect(result.stdout).not.toContain('::group::');
    expect(result.summary).toContain('## ❌ Lambda layer release');
    expect(result.outputs).toEqual({});
  });

  it('runs all six steps as a user would, and a re-run of the same commit publishes nothing', async () => {
    const aws = await startAwsDouble({ updateLatencyMs: 200 });
    const github = await startGitHubDouble({ pathPrefix: '/api/v3' });
    try {
      const workspace = path.join(root, 'ws-full');
      fs.mkdirSync(workspace);
      fs.writeFileSync(path.join(workspace, 'requirements.txt'), 'greeting==1.0.0\n');
      await makeWheel(path.join(workspace, 'wheels'), {
        name: 'greeting',
        version: '1.0.0',
        files: { 'greeting/__init__.py': 'X = 1\n' },
      });
      // The version live before: greeting 0.9.0 and a package the new build no longer has, and 8 MiB
      // of data that the package diff has no need to download.
      const oldZip = await zipBuffer({
        'python/greeting-0.9.0.dist-info/METADATA': 'Name: greeting\nVersion: 0.9.0\n',
        'python/greeting/__init__.py': '',
        'python/greeting/data.bin': randomBytes(8 * 1024 * 1024),
        'python/farewell-2.0.dist-info/METADATA': 'Name: farewell\nVersion: 2.0\n',
      });
      const old = await aws.seedLayerVersion({ region: 'eu-west-1', name: 'team-deps', content: oldZip });
      const other = await aws.seedLayerVersion({ region: 'eu-west-1', name: 'powertools' });
      aws.seedFunction({
        region: 'eu-west-1',
        name: 'orders',
        runtime: 'python3.11',
        layers: [other.LayerVersionArn, old.LayerVersionArn],
      });
      aws.seedFunction({
        region: 'eu-west-1',
        name: 'look-alike',
        runtime: 'python3.11',
        layers: [`${old.LayerArn}-v2:1`],
      });
      const env = {
        ...aws.env('eu-west-1'),
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'acme/layers',
        GITHUB_SHA: 'a'.repeat(40),
        GITHUB_EVENT_NAME: 'push',
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_RUN_ID: '5550001',
        GITHUB_RUN_NUMBER: '17',
        GITHUB_RUN_ATTEMPT: '1',
      };
      const inputs = {
        steps: 'build,smoke-test,publish,roll-out,ssm,comment',
        'layer-name': 'team-deps',
        runtime: 'python3.11',
        'install-args': '--no-index --find-links wheels',
        'ssm-parameter': '/layers/team-deps/arn',
        'github-token': github.token,
      };
      const first = await runAction(workspace, inputs, env);
      expect(first.status, first.stdout).toBe(0);
      const arn = `${old.LayerArn}:2`;
      expect(first.outputs).toMatchObject({
        'layer-version-arn': arn,
        'layer-version': '2',
        published: 'true',
        'ssm-parameter-version': '1',
      });
      expect(JSON.parse(first.outputs['updated-functions']!)).toEqual([
        {
          function: 'orders',
          arn: `arn:aws:lambda:eu-west-1:${aws.accountId}:function:orders`,
          account: aws.accountId,
          region: 'eu-west-1',
          from: 1,
          to: 2,
        },
      ]);
      expect(aws.state.fn('eu-west-1', 'orders')!.config.Layers!.map((l) => l.Arn)).toEqual([
        other.LayerVersionArn,
        arn,
      ]);
      expect(aws.state.fn('eu-west-1', 'look-alike')!.config.Layers!.map((l) => l.Arn)).toEqual([
        `${old.LayerArn}-v2:1`,
      ]);
      expect(aws.state.parameter('eu-west-1', '/layers/team-deps/arn')!.Value).toBe(arn);
      const comments = github.commitComments('acme/layers', 'a'.repeat(40));
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toContain('<!-- lambda-layer-release:team-deps -->');
      expect(comments[0]!.body).toContain(arn);
      // The verdict, what is live, the package diff (the old version read through its download link),
      // in the summary and in the comment, which also links the run and names the commit.
      const comment = comments[0]!.body;
      for (const report of [first.summary, comment]) {
        expect(report).toContain('## 🚀 Lambda layer `team-deps` released');
        expect(report).toMatch(
          /\*\*Released \[`team-deps:2`\]\(https:\/\/eu-west-1\.console\.aws\.amazon\.com\/lambda\/home\?region=eu-west-1#\/layers\/team-deps\/versions\/2\) in eu-west-1 · 1 function moved 1 → 2 · [\d.]+ s\*\*/,
        );
        expect(report).toContain('Against `team-deps:1` (in eu-west-1): 1 upgraded, 1 removed.');
        expect(report).toContain('| greeting | 0.9.0 | 1.0.0 | ⬆️ upgraded |');
        expect(report).toContain('| farewell | 2.0 | — | ➖ removed |');
        expect(report).toContain('[run #17](https://github.example/acme/layers/actions/runs/5550001)');
        expect(report).toContain(
          `commit [\`aaaaaaa\`](https://github.example/acme/layers/commit/${'a'.repeat(40)})`,
        );
        expect(report).not.toContain(workspace);
      }
      // Only the central directory and the small files were downloaded (by range), not the whole old zip.
      const downloaded = aws.downloads.reduce((sum, d) => sum + d.bytes, 0);
      expect(downloaded).toBeGreaterThan(0);
      expect(downloaded).toBeLessThan(oldZip.length / 2);
      expect(first.summary).toMatch(/\| ✅ roll-out \| 1 moved \|/);
      expect(first.summary).toMatch(/\| ✅ comment \| created on \[the commit\]/);
      // The runner hides masked values; the only place the token may appear is the mask command.
      const unmasked = first.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
      expect(unmasked.join('\n')).not.toContain(github.token);

      aws.requests.length = 0;
      const second = await runAction(workspace, inputs, env);
      expect(second.status, second.stdout).toBe(0);
      expect(second.outputs).toMatchObject({
        'layer-version-arn': arn,
        published: 'false',
        'ssm-parameter-version': '1',
      });
      const writes = aws.requests.filter((r) => /^(Publish|Update|Put|Add|Delete)/.test(r.operation));
      expect(writes).toEqual([]);
      expect(github.commitComments('acme/layers', 'a'.repeat(40))).toHaveLength(1);
      expect(second.summary).toMatch(/\| ✅ comment \| updated on/);
      expect(second.summary).toContain('## ➖ Lambda layer `team-deps`: no changes');
      expect(second.summary).toContain(
        '**No changes: [`team-deps:2`](https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/layers/team-deps/versions/2) in eu-west-1 is already live; 1 function already uses it**',
      );
      expect(second.summary).not.toContain('What changed');
    } finally {
      await aws.close();
      await github.close();
    }
  });

  it('a failed publish: summary and comment say where, the AWS error in plain words and the next step', async () => {
    const aws = await startAwsDouble();
    const github = await startGitHubDouble();
    try {
      const workspace = path.join(root, 'ws-failed');
      fs.mkdirSync(workspace);
      fs.writeFileSync(path.join(workspace, 'requirements.txt'), 'greeting==1.0.0\n');
      await makeWheel(path.join(workspace, 'wheels'), {
        name: 'greeting',
        version: '1.0.0',
        files: { 'greeting/__init__.py': 'X = 1\n' },
      });
      aws.faults.add({
        kind: 'access-denied',
        operation: 'PublishLayerVersion',
        region: 'us-east-1',
        times: Infinity,
      });
      const sha = 'b'.repeat(40);
      const result = await runAction(
        workspace,
        {
          steps: 'build,smoke-test,publish,roll-out,comment',
          'layer-name': 'team-deps',
          runtime: 'python3.11',
          regions: 'eu-west-1 us-east-1',
          'install-args': '--no-index --find-links wheels',
          'github-token': github.token,
          'comment-details': 'minimal',
        },
        {
          ...aws.env('eu-west-1'),
          GITHUB_API_URL: github.url,
          GITHUB_REPOSITORY: 'acme/layers',
          GITHUB_SHA: sha,
          GITHUB_EVENT_NAME: 'push',
          GITHUB_RUN_ID: '5550002',
        },
      );
      expect(result.status, result.stdout).toBe(1);
      const comments = github.commitComments('acme/layers', sha);
      expect(comments).toHaveLength(1);
      const comment = comments[0]!.body;
      for (const report of [result.summary, comment]) {
        expect(report).toContain('## ❌ Lambda layer `team-deps`: release failed');
        expect(report).toMatch(
          /\*\*Failed: publish in us-east-1 \(AccessDenied\)\. eu-west-1 serves \[`team-deps:1`\]\([^)]+\); nothing was rolled out\. Re-running reuses version 1\.\*\*/,
        );
        expect(report).toContain(
          '**❌ publish in us-east-1** · `AccessDeniedException`: the role may not call `lambda:PublishLayerVersion`.\\\n' +
            "Next step: allow `lambda:PublishLayerVersion` in the role's policy (see Permissions in the README).",
        );
        expect(report).toContain('The first version of `team-deps`: 1 package.');
      }
      // comment-details: minimal keeps the account id and AWS's own words out of the comment only.
      expect(result.summary).toContain('is not authorized to perform: lambda:PublishLayerVersion');
      expect(result.summary).toContain(aws.accountId);
      expect(comment).not.toContain('is not authorized');
      expect(comment).not.toContain(aws.accountId);
      expect(result.summary).toMatch(/\| ✅ comment \| created on \[the commit\]/);
    } finally {
      await aws.close();
      await github.close();
    }
  });
});
