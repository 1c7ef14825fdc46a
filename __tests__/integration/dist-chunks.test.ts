/**
 * The bundle's chunks (docs/performance.md, cold start): what only some runs need is in chunks of its
 * own that other runs never load. Each case runs a copy of dist/ from which those chunks are removed:
 * a run that tried to load one would fail with "Cannot find module".
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDeterministicZip } from '../../src/layer/zip.js';
import { runAction } from '../support/runner.js';

const repo = path.resolve(import.meta.dirname, '../..');
const dist = path.join(repo, 'dist');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-dist-chunks-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** What each optional dependency defines: found in exactly one chunk, never in index.js. */
const OPTIONAL = {
  '@actions/cache': 'class BlobServiceClient',
  '@aws-sdk/client-s3': 'class S3Client',
  '@aws-sdk/client-cloudwatch': 'class CloudWatchClient',
  '@aws-sdk/client-sts': 'class GetCallerIdentityCommand',
  '@actions/github': 'class Octokit',
};

/** What every build loads, but no other run: the bill of materials' libraries (src/sbom/bom.ts). */
const BUILD_ONLY = {
  '@cyclonedx/cyclonedx-library': 'class JsonSerializer',
  'packageurl-js': 'class PackageURL',
};

const chunks = fs.readdirSync(dist).filter((f) => f.endsWith('.index.js'));
const text = (file: string): string => fs.readFileSync(path.join(dist, file), 'utf8');

/** A copy of dist/ without the chunks whose text holds any of `markers`; returns its index.js. */
function distWithout(name: string, keep: (chunk: string) => boolean): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  for (const file of fs.readdirSync(dist)) {
    if (file.endsWith('.index.js') && !keep(text(file))) continue;
    fs.cpSync(path.join(dist, file), path.join(dir, file), { recursive: true }); // and dist/post/
  }
  return path.join(dir, 'index.js');
}

describe('dist/ chunks', () => {
  it.each(Object.entries({ ...OPTIONAL, ...BUILD_ONLY }))(
    '%s is in a chunk of its own, not in index.js',
    (_, marker) => {
      expect(text('index.js')).not.toContain(marker);
      expect(chunks.filter((chunk) => text(chunk).includes(marker))).toHaveLength(1);
    },
  );

  it('a run refused in validation loads no chunk', async () => {
    const workspace = fs.mkdtempSync(path.join(root, 'ws-'));
    const script = distWithout('no-chunks', () => false);
    const result = await runAction(
      root,
      workspace,
      { 'layer-name': 'bad name', runtime: 'python3.12' },
      {},
      script,
    );
    expect(result.stdout).toContain('::error::Invalid input');
    expect(result.stdout).toContain('layer-name: "bad name" is not allowed');
    expect(result.stdout).not.toContain('Cannot find module');
    expect(result.status).toBe(1);
  });

  it('`steps: build` of a zip-file loads neither the cache, S3, CloudWatch, STS nor Octokit', async () => {
    const workspace = fs.mkdtempSync(path.join(root, 'ws-'));
    const tree = path.join(workspace, '.tree');
    fs.mkdirSync(path.join(tree, 'python'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'python', 'chunky.py'), 'X = 1\n');
    await writeDeterministicZip(tree, path.join(workspace, 'layer.zip'));
    fs.rmSync(tree, { recursive: true });
    const markers = Object.values(OPTIONAL);
    const script = distWithout('build-only', (chunk) => !markers.some((m) => chunk.includes(m)));
    const inputs = { steps: 'build', 'layer-name': 'chunky', runtime: 'python3.12', 'zip-file': 'layer.zip' };
    const result = await runAction(root, workspace, inputs, {}, script);
    expect(result.stdout).not.toContain('Cannot find module');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('lambda-layer-release: build for layer chunky');
    expect(result.outputs['content-hash']).toMatch(/^[0-9a-f]{64}$/);
    expect(result.outputs['sbom']).toMatch(/chunky\.cdx\.json$/);
  });
});
