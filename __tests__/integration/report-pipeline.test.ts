/**
 * The report's facts from the real pipeline against the AWS and GitHub doubles (no Docker: the layers
 * are given as zip-file): the package diff read from the previous version over HTTP range requests, a
 * plan's diff, and the comment a failed, rolled-back run posts.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderComment } from '../../src/report/index.js';
import { commentMarker } from '../../src/steps/comment.js';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js';
import { release, runInProcess, workspaceWithZip } from '../support/release.js';

const REGION = 'us-east-1';
let aws: AwsDouble;
let github: GitHubDouble;
let layers = 0;

beforeAll(async () => {
  aws = await startAwsDouble({ controlPlaneRps: Infinity, getFunctionRps: Infinity, updateLatencyMs: 20 });
  github = await startGitHubDouble();
});
afterAll(async () => {
  await aws.close();
  await github.close();
});

/** A Python layer zip: dist-info folders for `packages`, plus `padding` bytes nobody needs to read. */
function pythonLayer(packages: Record<string, string>, padding = 0): Promise<string> {
  const files: Record<string, string | Buffer> = {};
  for (const [name, version] of Object.entries(packages)) {
    files[`python/${name}-${version}.dist-info/METADATA`] = `Name: ${name}\nVersion: ${version}\n`;
    files[`python/${name}/__init__.py`] = `VERSION = "${version}"\n`;
  }
  // Incompressible, and stored first: the metadata the diff needs sits behind it in the zip.
  if (padding > 0) files['python/aaa_data/blob.bin'] = randomBytes(padding);
  return workspaceWithZip(files);
}

describe('what changed', () => {
  it('diffs against the version before, reading only part of the old zip over HTTP', async () => {
    const name = `diff-layer-${++layers}`;
    const v1 = await pythonLayer({ numpy: '2.4.5', pytz: '2025.1', six: '1.17.0' }, 4_000_000);
    const first = await release(aws, v1, { 'layer-name': name });
    expect(first.error).toBeUndefined();
    expect(first.changes).toEqual({
      changes: [
        { name: 'numpy', kind: 'added', after: '2.4.5' },
        { name: 'pytz', kind: 'added', after: '2025.1' },
        { name: 'six', kind: 'added', after: '1.17.0' },
      ],
      unchanged: 0,
    });

    aws.downloads.length = 0;
    const v2 = await pythonLayer({ numpy: '2.4.6', pyarrow: '21.0.0', six: '1.17.0' });
    const second = await release(aws, v2, { 'layer-name': name });
    expect(second.error).toBeUndefined();
    expect(second.changes).toEqual({
      against: { region: REGION, version: 1, layerVersionArn: `${second.publish!.layers[0]!.layerArn}:1` },
      changes: [
        { name: 'numpy', kind: 'upgraded', before: '2.4.5', after: '2.4.6' },
        { name: 'pyarrow', kind: 'added', after: '21.0.0' },
        { name: 'pytz', kind: 'removed', before: '2025.1' },
      ],
      unchanged: 1,
    });
    const read = aws.downloads.reduce((sum, d) => sum + d.bytes, 0);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(2_000_000); // of a 4 MB zip

    // The same content again publishes nothing, so there is nothing to diff.
    const again = await release(aws, v2, { 'layer-name': name });
    expect(again.publish!.layers[0]!.published).toBe(false);
    expect(again.changes).toBeUndefined();
  });

  it('a plan diffs what it would publish against the newest version; nothing is written', async () => {
    const name = `plan-layer-${++layers}`;
    await release(aws, await pythonLayer({ pandas: '2.3.1' }), { 'layer-name': name });
    const plan = await release(aws, await pythonLayer({ pandas: '2.3.2' }), {
      'layer-name': name,
      'dry-run': 'true',
    });
    expect(plan.changes!.changes).toEqual([
      { name: 'pandas', kind: 'upgraded', before: '2.3.1', after: '2.3.2' },
    ]);
    expect(renderComment(plan)).toContain('| pandas | 2.3.1 | 2.3.2 | ⬆️ upgraded |');
    expect(aws.state.region(REGION).layers.get(`${plan.publish!.layers[0]!.layerArn}`)!.versions.size).toBe(
      1,
    );
  });

  it('an old version that cannot be read is a note, not a failed release', async () => {
    const name = `unreadable-${++layers}`;
    await aws.seedLayerVersion({ region: REGION, name, content: Buffer.from('not a zip') });
    const report = await release(aws, await pythonLayer({ six: '1.17.0' }), { 'layer-name': name });
    expect(report.error).toBeUndefined();
    expect(report.changes!.error).toMatch(/^Could not read the packages of the previous version: /);
    expect(renderComment(report)).toContain('Could not read the packages of the previous version');
  });
});

describe('a failed run comments too', () => {
  it('posts the failure and what was rolled back on the commit', async () => {
    const name = `rollback-layer-${++layers}`;
    const old = await aws.seedLayerVersion({ region: REGION, name, content: Buffer.from('v1') });
    for (const fn of ['rb-a', 'rb-b', 'rb-c-fails'])
      aws.seedFunction({
        region: REGION,
        name: `${fn}-${layers}`,
        runtime: 'python3.11',
        layers: [old.LayerVersionArn],
      });
    aws.faults.add({
      kind: 'update-fails',
      functionName: `rb-c-fails-${layers}`,
      reason: 'EniLimitExceeded',
    });
    const dir = await pythonLayer({ six: '1.17.0' });
    const sha = 'c'.repeat(40);
    const report = await runInProcess(
      dir,
      {
        steps: 'build,publish,roll-out,comment',
        'zip-file': 'layer.zip',
        runtime: 'python3.11',
        regions: REGION,
        'layer-name': name,
        'on-failure': 'rollback',
        'max-parallel': '1',
        'github-token': github.token,
      },
      undefined,
      {
        ...aws.env(),
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'acme/layers',
        GITHUB_SHA: sha,
        GITHUB_EVENT_NAME: 'push',
      },
    );
    expect(report.error).toMatch(/Roll-out failed/);
    expect(report.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'build:succeeded',
      'publish:succeeded',
      'roll-out:failed',
      'comment:succeeded',
    ]);
    const comments = github.commitComments('acme/layers', sha);
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    expect(body.startsWith(commentMarker(name))).toBe(true);
    expect(body).toContain(`## ❌ Lambda layer \`${name}\`: release failed`);
    expect(body).toMatch(
      /\*\*Failed: roll-out for 1 of 3 functions\. us-east-1 serves .*; 2 functions rolled back to 1\./,
    );
    expect(body).toContain(`**❌ roll-out of \`rb-c-fails-${layers}\` in us-east-1**`);
    expect(body).toContain('EniLimitExceeded');
    expect(body).toMatch(
      /↩️ Rolled back to the version they had before: 2 functions: `rb-a-\d+`, `rb-b-\d+`\./,
    );
  });
});
