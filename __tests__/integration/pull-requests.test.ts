/**
 * Pull requests plan, pushes release: the whole pipeline (publish, roll-out, ssm, keep-versions,
 * comment) against the AWS double and the GitHub double, with the event a runner would set.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultDeps } from '../../src/deps.js';
import { planReason } from '../../src/pipeline.js';
import type { Report } from '../../src/report/index.js';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js';
import { runInProcess, workspaceWithZip } from '../support/release.js';

const REGION = 'us-east-1';
const REPOSITORY = 'acme/layers';
const PR = 42;
let aws: AwsDouble;
let gh: GitHubDouble;
let log: string[];
const eventDir = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-pr-events-'));

beforeAll(async () => {
  aws = await startAwsDouble({ controlPlaneRps: Infinity, getFunctionRps: Infinity, updateLatencyMs: 10 });
  gh = await startGitHubDouble();
});
afterAll(async () => {
  await aws.close();
  await gh.close();
  fs.rmSync(eventDir, { recursive: true, force: true });
});
beforeEach(() => {
  aws.requests.length = 0;
  log = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    log.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

/** Every request that is not a read (Get…, List…): what a plan must never send. */
const writes = (): string[] =>
  aws.requests.map((r) => r.operation).filter((operation) => !/^(Get|List)/.test(operation));

let count = 0;
/** A layer with versions 1 and 2 in use by two functions, and a run that would publish version 3. */
async function scenario(): Promise<{ name: string; arn: string; functions: string[] }> {
  const name = `pr-layer-${++count}`;
  for (const content of ['one', 'two']) {
    await aws.seedLayerVersion({ region: REGION, name, content: Buffer.from(content) });
  }
  const arn = `arn:aws:lambda:${REGION}:${aws.accountId}:layer:${name}`;
  const functions = [`api-${count}`, `worker-${count}`];
  for (const fn of functions)
    aws.seedFunction({ region: REGION, name: fn, runtime: 'python3.11', layers: [`${arn}:2`] });
  return { name, arn, functions };
}

async function run(
  layerName: string,
  eventName: string,
  inputs: Record<string, string> = {},
  payload: object = eventName.startsWith('pull_request') ? { pull_request: { number: PR } } : {},
): Promise<Report> {
  const eventPath = path.join(eventDir, `${++count}.json`);
  fs.writeFileSync(eventPath, JSON.stringify(payload));
  const dir = await workspaceWithZip({ 'python/lib/python3.11/site-packages/deps.py': `X = ${count}\n` });
  return runInProcess(
    dir,
    {
      steps: 'build,publish,roll-out,ssm,comment',
      'zip-file': 'layer.zip',
      runtime: 'python3.11',
      regions: REGION,
      'layer-name': layerName,
      'ssm-parameter': `/layers/${layerName}/arn`,
      'keep-versions': '1',
      'github-token': gh.token,
      ...inputs,
    },
    defaultDeps(),
    {
      ...aws.env(),
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    },
  );
}

describe.each(['pull_request', 'pull_request_target'])('a %s run', (eventName) => {
  it('writes nothing to AWS, says why, and comments the plan on the pull request', async () => {
    const { name, arn, functions } = await scenario();
    const before = aws.requests.length;
    const report = await run(name, eventName);
    expect(report.error).toBeUndefined();
    expect(aws.requests.length).toBeGreaterThan(before);
    expect(writes()).toEqual([]);

    // Nothing changed in the double.
    expect([...aws.state.layer(REGION, name)!.versions.keys()]).toEqual([1, 2]);
    for (const fn of functions) {
      expect(aws.state.fn(REGION, fn)!.config.Layers!.map((l) => l.Arn)).toEqual([`${arn}:2`]);
    }

    // The plan, with the version a release would create and the functions it would move.
    expect(report.plan?.reason).toMatch(
      new RegExp(
        `^this run is for a ${eventName} event, so publish, roll-out, ssm and keep-versions only plan`,
      ),
    );
    expect(report.publish!.layers[0]).toMatchObject({ version: 3, published: true, planned: true });
    expect(report.rollout!.functions.map((f) => [f.functionName, f.status, f.toVersion])).toEqual(
      functions.map((fn) => [fn, 'planned', 3]),
    );
    expect(report.parameter!.writes[0]).toMatchObject({ changed: true, planned: true });
    // (The functions still use version 2 in a plan, so the plan keeps it.)
    expect(report.retention).toEqual([
      { region: REGION, deleted: [1], keptInUse: { 2: functions }, planned: true },
    ]);

    // The log says why, and what a release would do.
    const text = log.join('');
    expect(text).toContain(`::notice title=Plan only::Plan only: this run is for a ${eventName} event`);
    expect(text).toContain(
      `Plan (nothing was written to AWS): would publish version 3 in ${REGION}; would move 2 functions; ` +
        `would write /layers/${name}/arn in 1 region(s); would delete version 1 in ${REGION}.`,
    );

    // The comment goes on the pull request, and shows the plan.
    expect(report.comment).toMatchObject({ target: 'pull-request', action: 'created' });
    const [comment] = gh.issueComments(REPOSITORY, PR).filter((c) => c.body.includes(`:${name} -->`));
    expect(comment!.body).toContain(
      `> **Plan only**: would publish version 3 in ${REGION}; would move 2 functions; ` +
        `would write /layers/${name}/arn in 1 region(s); would delete version 1 in ${REGION}. ` +
        `Why: this run is for a ${eventName} event`,
    );
  });

  it('writes with allow-pull-requests: true', async () => {
    const { name, arn, functions } = await scenario();
    const report = await run(name, eventName, { 'allow-pull-requests': 'true' });
    expect(report.error).toBeUndefined();
    expect(report.plan).toBeUndefined();
    expect(writes()).toEqual(
      expect.arrayContaining(['PublishLayerVersion', 'UpdateFunctionConfiguration', 'PutParameter']),
    );
    expect([...aws.state.layer(REGION, name)!.versions.keys()]).toEqual([3]);
    for (const fn of functions) {
      expect(aws.state.fn(REGION, fn)!.config.Layers!.map((l) => l.Arn)).toEqual([`${arn}:3`]);
    }
    expect(log.join('')).not.toContain('Plan only');
  });
});

describe('a push run', () => {
  it('releases', async () => {
    const { name, arn, functions } = await scenario();
    const report = await run(name, 'push');
    expect(report.error).toBeUndefined();
    expect(report.plan).toBeUndefined();
    expect(report.publish!.layers[0]).toMatchObject({ version: 3, published: true, planned: false });
    expect(aws.state.fn(REGION, functions[0]!)!.config.Layers!.map((l) => l.Arn)).toEqual([`${arn}:3`]);
    expect(report.comment).toMatchObject({ target: 'commit', action: 'created' });
  });
});

/** The payload of a workflow_run event, as GitHub sends it (the fields that matter here). */
const workflowRunPayload = (event: string, headRepository: string | null): object => ({
  action: 'completed',
  repository: { full_name: REPOSITORY },
  workflow_run: {
    id: 1234,
    event,
    head_branch: 'patch-1',
    head_repository: headRepository === null ? null : { full_name: headRepository },
    repository: { full_name: REPOSITORY },
  },
});

describe('a workflow_run run', () => {
  it("plans when a fork's pull request triggered it, and says so", async () => {
    const { name, arn, functions } = await scenario();
    const report = await run(name, 'workflow_run', {}, workflowRunPayload('pull_request', 'mallory/layers'));
    expect(report.error).toBeUndefined();
    expect(writes()).toEqual([]);
    expect([...aws.state.layer(REGION, name)!.versions.keys()]).toEqual([1, 2]);
    expect(aws.state.fn(REGION, functions[0]!)!.config.Layers!.map((l) => l.Arn)).toEqual([`${arn}:2`]);
    expect(report.plan?.reason).toMatch(
      /^this run is for a workflow_run event triggered by a pull_request run from the fork mallory\/layers, so publish, roll-out, ssm and keep-versions only plan/,
    );
    expect(log.join('')).toContain(
      '::notice title=Plan only::Plan only: this run is for a workflow_run event',
    );
  });

  it('writes when the pull request is from the repository itself, or after a push, or when allowed', async () => {
    for (const [payload, inputs] of [
      [workflowRunPayload('pull_request', REPOSITORY), {}],
      [workflowRunPayload('push', REPOSITORY), {}],
      [workflowRunPayload('pull_request_target', 'mallory/layers'), { 'allow-pull-requests': 'true' }],
    ] as const) {
      const { name } = await scenario();
      const report = await run(name, 'workflow_run', inputs, payload);
      expect(report.error).toBeUndefined();
      expect(report.plan).toBeUndefined();
      expect([...aws.state.layer(REGION, name)!.versions.keys()]).toEqual([3]);
    }
  });
});

describe('planReason', () => {
  const inputs = { allowPullRequests: false, dryRun: false, steps: ['build', 'publish'] as const };
  const on = (eventName: string | undefined) => ({ eventName });
  it('plans only for pull request events, for steps that write, unless allowed or already a dry-run', () => {
    expect(planReason(inputs, on('pull_request'))).toMatch(/pull_request event/);
    expect(planReason(inputs, on('pull_request_target'))).toMatch(/pull_request_target event/);
    for (const event of ['push', 'workflow_dispatch', 'release', undefined]) {
      expect(planReason(inputs, on(event))).toBeUndefined();
    }
    expect(planReason({ ...inputs, allowPullRequests: true }, on('pull_request'))).toBeUndefined();
    expect(planReason({ ...inputs, dryRun: true }, on('pull_request'))).toBeUndefined();
    expect(planReason({ ...inputs, steps: ['build', 'smoke-test'] }, on('pull_request'))).toBeUndefined();
  });

  it("plans for a workflow_run of a fork's pull request, or of a repository it cannot tell", () => {
    const run = (event: string | undefined, headRepository: string | undefined, fromFork: boolean) => ({
      eventName: 'workflow_run',
      triggeringRun: { event, headRepository, fromFork },
    });
    expect(planReason(inputs, run('pull_request', 'mallory/layers', true))).toMatch(
      /workflow_run event triggered by a pull_request run from the fork mallory\/layers/,
    );
    expect(planReason(inputs, run('pull_request_target', undefined, true))).toMatch(
      /run from an unknown repository/,
    );
    expect(planReason(inputs, run('pull_request', REPOSITORY, false))).toBeUndefined();
    // A workflow_run whose payload could not be read: nothing says whose code it is.
    expect(planReason(inputs, on('workflow_run'))).toMatch(/from an unknown repository/);
    expect(planReason(inputs, run('push', 'mallory/layers', true))).toBeUndefined();
    expect(
      planReason({ ...inputs, allowPullRequests: true }, run('pull_request', 'mallory/layers', true)),
    ).toBeUndefined();
  });
});
