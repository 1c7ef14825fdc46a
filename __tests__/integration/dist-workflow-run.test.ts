/**
 * `node dist/index.js` (as the runner starts it) on a workflow_run event: a fork's pull request that
 * triggered the run only plans, against the AWS double; the same event from the repository's own
 * branch releases. The bundle must be built from this source (npm run build).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { workspaceWithZip } from '../support/release.js';
import { runAction } from '../support/runner.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-dist-workflow-run-'));
let aws: AwsDouble;
beforeAll(async () => {
  aws = await startAwsDouble({ controlPlaneRps: Infinity, getFunctionRps: Infinity });
});
afterAll(async () => {
  await aws.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function runOn(
  headRepository: string,
  layerName: string,
): Promise<Awaited<ReturnType<typeof runAction>>> {
  const event = path.join(root, `${layerName}.json`);
  fs.writeFileSync(
    event,
    JSON.stringify({
      action: 'completed',
      repository: { full_name: 'acme/layers' },
      workflow_run: { event: 'pull_request', head_repository: { full_name: headRepository } },
    }),
  );
  const dir = await workspaceWithZip({ 'python/six.py': `X = "${layerName}"\n` });
  return runAction(
    root,
    dir,
    {
      steps: 'build,publish',
      'zip-file': 'layer.zip',
      'layer-name': layerName,
      runtime: 'python3.11',
      regions: 'us-east-1',
    },
    {
      ...aws.env(),
      GITHUB_REPOSITORY: 'acme/layers',
      GITHUB_EVENT_NAME: 'workflow_run',
      GITHUB_EVENT_PATH: event,
    },
  );
}

const published = (): number => aws.requests.filter((r) => r.operation === 'PublishLayerVersion').length;

describe('node dist/index.js on workflow_run', () => {
  it("plans when a fork's pull request triggered the run, and publishes nothing", async () => {
    const before = published();
    const result = await runOn('mallory/layers', 'fork-triggered');
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toContain(
      '::notice title=Plan only::Plan only: this run is for a workflow_run event triggered by a pull_request run from the fork mallory/layers',
    );
    expect(published()).toBe(before);
    expect(aws.state.layer('us-east-1', 'fork-triggered')).toBeUndefined();
  });

  it("releases when the pull request is the repository's own", async () => {
    const result = await runOn('acme/layers', 'own-triggered');
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).not.toContain('Plan only');
    expect([...aws.state.layer('us-east-1', 'own-triggered')!.versions.keys()]).toEqual([1]);
  });
});
