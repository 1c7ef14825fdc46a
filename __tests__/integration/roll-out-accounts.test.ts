/**
 * The roll-out across accounts, against the AWS double: the publishing account (the double's main
 * account) publishes and shares the layer; workload accounts hold the consumers, reached through a role
 * assumed with STS. Consumers move, look-alikes (the same layer name in the workload account, another
 * layer named like it) never do; one failure policy holds across accounts and regions; an account whose
 * role cannot be assumed fails with STS's error; credentials that expire during the roll-out are renewed.
 */
import { ListFunctionsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { defaultDeps } from '../../src/deps.js';
import { outputsOf, renderSummary, type Report } from '../../src/report/index.js';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { runInProcess, workspaceWithZip } from '../support/release.js';

const A = '111111111111';
const B = '222222222222';
const C = '333333333333'; // has no role the publishing account may assume
const REGIONS = ['us-east-1', 'eu-west-1'];
const ROLE = 'arn:aws:iam::{account}:role/layer-rollout';
const GITHUB = { GITHUB_REPOSITORY: 'octo-org/platform layers', GITHUB_RUN_ID: '987654321' };

let aws: AwsDouble;
let count = 0;

beforeAll(async () => {
  aws = await startAwsDouble({ controlPlaneRps: Infinity, getFunctionRps: Infinity, updateLatencyMs: 20 });
  for (const account of [A, B]) aws.account(account).createRole('layer-rollout');
  // C's role exists but trusts another account only: AssumeRole is refused, as IAM would.
  aws.account(C).createRole('layer-rollout', { trust: ['999999999999'] });
});
afterAll(() => aws.close());

interface Fleet {
  name: string;
  /** account → region → consumer names */
  consumers: Map<string, Map<string, string[]>>;
  /** account → region → look-alike names, with their layers */
  lookAlikes: Map<string, Map<string, [string, string[]][]>>;
}

const layerArn = (name: string, region: string, account = aws.accountId): string =>
  `arn:aws:lambda:${region}:${account}:layer:${name}`;
const layersOf = (account: string, region: string, fn: string): string[] =>
  (aws.account(account).state.fn(region, fn)!.config.Layers ?? []).map((l) => l.Arn!);

/**
 * Version 1 of a layer of the main account, shared with every workload account, in each region; in
 * each account and region, `perRegion` consumers and two look-alikes.
 */
async function fleet(accounts: readonly string[], perRegion = 2, architecture = 'x86_64'): Promise<Fleet> {
  const name = `org-deps-${++count}`;
  const consumers = new Map<string, Map<string, string[]>>();
  const lookAlikes = new Map<string, Map<string, [string, string[]][]>>();
  for (const region of REGIONS) {
    const permissions = [A, B, C].map((principal) => ({ principal }));
    const v1 = await aws.seedLayerVersion({ region, name, content: Buffer.from('one'), permissions });
    const similar = await aws.seedLayerVersion({ region, name: `${name}-v2`, permissions });
    for (const account of accounts) {
      const own = await aws.seedLayerVersion({ region, name, accountId: account });
      const names: string[] = [];
      for (let i = 0; i < perRegion; i++) {
        const fn = `${name}-${account.slice(0, 1)}-${region}-${i}`;
        aws.account(account).seedFunction({
          region,
          name: fn,
          runtime: 'python3.11',
          architectures: [architecture],
          layers: [v1.LayerVersionArn],
        });
        names.push(fn);
      }
      const alike: [string, string[]][] = [
        [`${name}-${account.slice(0, 1)}-${region}-own`, [own.LayerVersionArn]],
        [`${name}-${account.slice(0, 1)}-${region}-similar`, [similar.LayerVersionArn]],
      ];
      for (const [fn, layers] of alike) {
        aws.account(account).seedFunction({ region, name: fn, runtime: 'python3.11', layers });
      }
      consumers.set(account, (consumers.get(account) ?? new Map()).set(region, names));
      lookAlikes.set(account, (lookAlikes.get(account) ?? new Map()).set(region, alike));
    }
  }
  return { name, consumers, lookAlikes };
}

async function run(
  fleetName: string,
  accounts: readonly string[],
  inputs: Record<string, string> = {},
  double = aws,
): Promise<Report> {
  const dir = await workspaceWithZip({ 'python/lib/python3.11/site-packages/org.py': `X = ${count}\n` });
  return runInProcess(
    dir,
    {
      steps: 'build,publish,roll-out',
      'zip-file': 'layer.zip',
      runtime: 'python3.11',
      'layer-name': fleetName,
      regions: REGIONS.join(' '),
      'share-with': [A, B, C].join(' '),
      accounts: accounts.join(' '),
      'account-role': ROLE,
      ...inputs,
    },
    undefined,
    { ...double.env(), ...GITHUB },
  );
}

const statusOf = (report: Report): Record<string, string> =>
  Object.fromEntries(
    (report.rollout?.functions ?? []).map((f) => [`${f.account}/${f.functionName}`, f.status]),
  );

/** Look-alikes keep exactly their layers; every consumer is on version 1 or 2, nothing else. */
function expectOldOrNewOnly(f: Fleet): void {
  for (const [account, regions] of f.lookAlikes) {
    for (const [region, alike] of regions) {
      for (const [fn, layers] of alike) expect(layersOf(account, region, fn), fn).toEqual(layers);
    }
  }
  for (const [account, regions] of f.consumers) {
    for (const [region, names] of regions) {
      for (const fn of names) {
        expect([[`${layerArn(f.name, region)}:1`], [`${layerArn(f.name, region)}:2`]]).toContainEqual(
          layersOf(account, region, fn),
        );
      }
    }
  }
}

describe('roll-out across accounts', () => {
  it('moves the consumers of every account and region, in waves, and leaves the look-alikes alone', async () => {
    const f = await fleet([A, B]);
    const report = await run(f.name, [A, B], { canary: '1' });

    expect(report.error).toBeUndefined();
    for (const [account, regions] of f.consumers) {
      for (const [region, names] of regions) {
        for (const fn of names)
          expect(layersOf(account, region, fn)).toEqual([`${layerArn(f.name, region)}:2`]);
      }
    }
    expectOldOrNewOnly(f);
    expect(report.rollout!.waves!.map((w) => [w.label, w.functions, w.accounts])).toEqual([
      [`canary in ${A} us-east-1`, 1, 1],
      ['us-east-1, 2 account(s)', 3, 2],
      ['eu-west-1, 2 account(s)', 4, 2],
    ]);
    // Every account through its own role, with a session name CloudTrail can trace to the run.
    const assumed = aws.requests.filter((r) => r.operation === 'AssumeRole' && r.status === 200);
    expect(new Set(assumed.map((r) => r.params['RoleArn']))).toEqual(
      new Set([`arn:aws:iam::${A}:role/layer-rollout`, `arn:aws:iam::${B}:role/layer-rollout`]),
    );
    expect(assumed.every((r) => r.params['RoleSessionName'] === 'octo-org-platform-layers@987654321')).toBe(
      true,
    );
    // Each account's Lambda calls ran as that account (its own quota).
    const updates = aws.requests.filter(
      (r) => r.operation === 'UpdateFunctionConfiguration' && r.status === 200,
    );
    expect(new Set(updates.map((r) => r.account))).toEqual(new Set([A, B]));

    const updated = JSON.parse(outputsOf(report)['updated-functions']!) as { arn: string; account: string }[];
    expect(updated).toHaveLength(8);
    expect(updated).toContainEqual(
      expect.objectContaining({
        account: B,
        arn: `arn:aws:lambda:eu-west-1:${B}:function:${f.consumers.get(B)!.get('eu-west-1')![1]}`,
      }),
    );
    const summary = renderSummary(report);
    expect(summary).toMatch(/\| Function \| Account \| Region \| `[\w-]+` version \| Result \| Time \|/);
    expect(summary).toContain(`| ${B} | eu-west-1 |`);
  });

  it('leaves the publishing account alone unless accounts lists it, and then uses the job credentials there', async () => {
    const f = await fleet([aws.accountId, A], 1);
    const only = await run(f.name, [A]);
    expect(only.error).toBeUndefined();
    const mine = f.consumers.get(aws.accountId)!.get('us-east-1')![0]!;
    expect(layersOf(aws.accountId, 'us-east-1', mine)).toEqual([`${layerArn(f.name, 'us-east-1')}:1`]);

    const both = await run(f.name, [aws.accountId, A]);
    expect(both.error).toBeUndefined();
    const now = both.publish!.layers[0]!.layerVersionArn;
    expect(layersOf(aws.accountId, 'us-east-1', mine)).toEqual([now]);
    expect(layersOf(A, 'us-east-1', f.consumers.get(A)!.get('us-east-1')![0]!)).toEqual([now]);
    // No role is assumed for the publishing account: the job's own credentials reach it.
    expect(
      aws.requests.filter(
        (r) => r.operation === 'AssumeRole' && String(r.params['RoleArn']).includes(aws.accountId),
      ),
    ).toEqual([]);
  });

  it('dry-run lists, per account, what would move, and changes nothing', async () => {
    const f = await fleet([A, B], 1);
    const report = await run(f.name, [A, B], { 'dry-run': 'true' });
    expect(report.error).toBeUndefined();
    const planned = report.rollout!.functions.filter((o) => o.status === 'planned');
    expect(planned.map((o) => `${o.account} ${o.region} ${o.functionName}`).sort()).toEqual(
      [...f.consumers]
        .flatMap(([account, regions]) =>
          [...regions].flatMap(([region, names]) => names.map((n) => `${account} ${region} ${n}`)),
        )
        .sort(),
    );
    for (const [account, regions] of f.consumers) {
      for (const [region, names] of regions) {
        expect(layersOf(account, region, names[0]!)).toEqual([`${layerArn(f.name, region)}:1`]);
      }
    }
  });

  it('listed names are looked up in every account; one found in no account is refused first', async () => {
    const f = await fleet([A, B], 1);
    const onlyInA = f.consumers.get(A)!.get('us-east-1')![0]!;
    const arnInB = `arn:aws:lambda:eu-west-1:${B}:function:${f.consumers.get(B)!.get('eu-west-1')![0]!}`;
    const since = aws.requests.at(-1)!.seq;
    const nowhere = await run(f.name, [A, B], { functions: `${onlyInA} ${arnInB} nowhere-${f.name}` });
    expect(nowhere.error).toContain(
      `functions: "nowhere-${f.name}" does not exist in us-east-1, eu-west-1 of any of the accounts`,
    );
    expect(aws.writes(since)).toEqual([]);

    const report = await run(f.name, [A, B], { functions: `${onlyInA} ${arnInB}` });
    expect(report.error).toBeUndefined();
    expect(layersOf(A, 'us-east-1', onlyInA)).toEqual([`${layerArn(f.name, 'us-east-1')}:2`]);
    expect(layersOf(B, 'eu-west-1', arnInB.split(':').at(-1)!)).toEqual([
      `${layerArn(f.name, 'eu-west-1')}:2`,
    ]);
    // Not listed: B's us-east-1 consumer stays.
    const other = f.consumers.get(B)!.get('us-east-1')![0]!;
    expect(layersOf(B, 'us-east-1', other)).toEqual([`${layerArn(f.name, 'us-east-1')}:1`]);
    const outcomes = report.rollout!.functions;
    expect(outcomes.find((o) => o.account === B && o.functionName === onlyInA)).toMatchObject({
      status: 'skipped',
      reason: 'the function does not exist in this region',
    });
    expectOldOrNewOnly(f);
  });

  it('a version not shared with an account cannot land there: Lambda refuses, the function fails', async () => {
    const f = await fleet([A], 1);
    const report = await run(f.name, [A], { 'share-with': '', 'on-failure': 'continue' });
    expect(report.error).toMatch(/Roll-out failed for 2 function\(s\)/);
    const failed = report.rollout!.functions.filter((o) => o.status === 'failed');
    expect(failed.every((o) => /AccessDeniedException/.test(o.reason ?? ''))).toBe(true);
    expectOldOrNewOnly(f);
  });
});

describe('one failure policy across accounts', () => {
  // max-parallel 1 and one account at a time: A goes first in each region wave, B's first function fails.
  const serial = { 'max-parallel': '1', 'max-parallel-accounts': '1' };

  it.each(['stop', 'continue', 'rollback'] as const)(
    'on-failure %s, a failure in the second account',
    async (policy) => {
      const f = await fleet([A, B]);
      const bad = f.consumers.get(B)!.get('us-east-1')![0]!;
      aws.faults.add({ kind: 'update-fails', account: B, functionName: bad, reason: 'bad layer for B' });

      const report = await run(f.name, [A, B], { ...serial, 'on-failure': policy });

      expect(report.error).toMatch(/Roll-out failed for 1 function\(s\)/);
      expect(report.error).toContain(`${bad} (${B} us-east-1)`);
      const status = statusOf(report);
      expect(status[`${B}/${bad}`]).toBe('failed');
      expectOldOrNewOnly(f);
      const expected = (account: string, region: string): string => {
        if (policy === 'continue') return 'updated';
        if (region === 'us-east-1' && account === A) return policy === 'rollback' ? 'rolled-back' : 'updated';
        return 'not-started'; // the rest of B, and every account of the later region
      };
      for (const [account, regions] of f.consumers) {
        for (const [region, names] of regions) {
          for (const fn of names) {
            if (fn === bad) continue;
            const want = expected(account, region);
            expect(status[`${account}/${fn}`], `${account} ${region} ${fn}`).toBe(want);
            const version = want === 'updated' ? 2 : 1;
            expect(layersOf(account, region, fn)).toEqual([`${layerArn(f.name, region)}:${version}`]);
          }
        }
      }
      if (policy === 'rollback') expect(report.rollout!.rolledBack).toBe(true);
      if (policy !== 'continue') expect(report.rollout!.stopped).toMatch(`failed: ${bad} (${B})`);
    },
  );

  it.each(['stop', 'rollback'] as const)(
    'on-failure %s, an account whose role cannot be assumed: refused before anything is published',
    async (policy) => {
      const f = await fleet([A, C, B], 1);
      const since = aws.requests.at(-1)!.seq;
      const report = await run(f.name, [A, C, B], { 'on-failure': policy });
      expect(report.error).toMatch(
        new RegExp(
          `account-role: "arn:aws:iam::${C}:role/layer-rollout" could not be assumed for account ${C}: ` +
            'AccessDenied: .*not authorized to perform: sts:AssumeRole',
        ),
      );
      expect(report.publish).toBeUndefined();
      expect(aws.writes(since)).toEqual([]);
    },
  );

  it.each(['continue'] as const)(
    'on-failure %s, an account whose role cannot be assumed: the others still roll out',
    async (policy) => {
      const f = await fleet([A, C, B], 1);
      const report = await run(f.name, [A, C, B], { 'on-failure': policy });

      expect(report.error).toMatch(/Roll-out failed in 1 account\(s\)/);
      expect(report.error).toContain(`account ${C}: could not assume arn:aws:iam::${C}:role/layer-rollout`);
      expect(report.rollout!.accountFailures).toEqual([
        {
          account: C,
          reason: expect.stringMatching(/AccessDenied: .*not authorized to perform: sts:AssumeRole/),
        },
      ]);
      expect(renderSummary(report)).toContain(`❌ Account ${C}:`);
      const moved = 2; // continue: the reachable accounts move (the preflight only warns)
      for (const account of [A, B]) {
        for (const [region, names] of f.consumers.get(account)!) {
          expect(layersOf(account, region, names[0]!)).toEqual([`${layerArn(f.name, region)}:${moved}`]);
        }
      }
      for (const [region, names] of f.consumers.get(C)!) {
        expect(layersOf(C, region, names[0]!)).toEqual([`${layerArn(f.name, region)}:1`]);
      }
      expectOldOrNewOnly(f);
    },
  );
});

describe('architectures', () => {
  it('an arm64 layer never lands on an x86_64 function', async () => {
    const f = await fleet([A], 1, 'arm64');
    // An x86_64 function that (wrongly) uses the arm64 layer, in the same account.
    const x86 = `${f.name}-x86`;
    aws.account(A).seedFunction({
      region: 'us-east-1',
      name: x86,
      runtime: 'python3.11',
      architectures: ['x86_64'],
      layers: [`${layerArn(f.name, 'us-east-1')}:1`],
    });
    const report = await run(f.name, [A], { architecture: 'arm64' });

    expect(report.error).toBeUndefined();
    for (const [region, names] of f.consumers.get(A)!) {
      expect(layersOf(A, region, names[0]!)).toEqual([`${layerArn(f.name, region)}:2`]);
    }
    expect(layersOf(A, 'us-east-1', x86)).toEqual([`${layerArn(f.name, 'us-east-1')}:1`]);
    const outcome = report.rollout!.functions.find((o) => o.functionName === x86)!;
    expect(outcome).toMatchObject({ account: A, status: 'skipped' });
    expect(outcome.reason).toMatch(/architecture x86_64 does not match the layer's arm64/);
    expect(aws.state.layer('us-east-1', f.name)!.versions.get(2)!.CompatibleArchitectures).toEqual(['arm64']);
  });
});

describe('credentials that expire during the roll-out', () => {
  let short: AwsDouble;
  beforeAll(async () => {
    // Assumed-role credentials live 2 s here (AWS: at least 15 minutes); each update stays InProgress 300 ms.
    short = await startAwsDouble({ updateLatencyMs: 300, stsCredentialSeconds: 2 });
    short.account(A).createRole('layer-rollout');
  });
  afterAll(() => short.close());

  it('the double refuses expired credentials', async () => {
    const sts = new STSClient({ ...short.clientConfig() });
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/layer-rollout`, RoleSessionName: 'check' }),
    );
    const lambda = new LambdaClient({
      ...short.clientConfig(),
      credentials: {
        accessKeyId: c!.AccessKeyId!,
        secretAccessKey: c!.SecretAccessKey!,
        sessionToken: c!.SessionToken!,
      },
    });
    await expect(lambda.send(new ListFunctionsCommand({}))).resolves.toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await expect(lambda.send(new ListFunctionsCommand({}))).rejects.toMatchObject({
      name: 'ExpiredTokenException',
    });
  });

  it('are assumed again before they expire, and every consumer moves', async () => {
    const name = `short-${++count}`;
    const region = REGIONS[0]!;
    const v1 = await short.seedLayerVersion({
      region,
      name,
      content: Buffer.from('one'),
      permissions: [{ principal: A }],
    });
    const names = Array.from({ length: 8 }, (_, i) => `${name}-${i}`);
    for (const fn of names) {
      short
        .account(A)
        .seedFunction({ region, name: fn, runtime: 'python3.11', layers: [v1.LayerVersionArn] });
    }
    const started = Date.now();
    const firstRequest = short.requests.length;
    const report = await run(name, [A], { regions: region, 'max-parallel': '1', 'share-with': A }, short);

    expect(report.error).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThan(4000); // outlived two generations of credentials
    for (const fn of names) {
      expect(
        short
          .account(A)
          .state.fn(region, fn)!
          .config.Layers!.map((l) => l.Arn),
      ).toEqual([`${layerArn(name, region, short.accountId)}:2`]);
    }
    const requests = short.requests.slice(firstRequest);
    expect(requests.filter((r) => r.errorType === 'ExpiredTokenException')).toEqual([]);
    expect(requests.filter((r) => r.operation === 'AssumeRole').length).toBeGreaterThanOrEqual(3);
  });
});

describe('examples/workflows/organization.yml, run job by job', () => {
  const D = '444444444444';
  interface Job {
    needs?: string | string[];
    strategy?: { matrix: Record<string, string> };
    steps: { uses?: string; with?: Record<string, string> }[];
  }
  const workflow = parseYaml(
    fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/workflows/organization.yml'), 'utf8'),
  ) as { jobs: Record<string, Job> };
  /** The action's `with:` of a job, its expressions replaced by the caller's inputs and the matrix values. */
  const withOf = (job: string, values: Record<string, string>): Record<string, string> => {
    const step = workflow.jobs[job]!.steps.find((s) => s.uses?.startsWith('lambda-layer-release/'))!;
    return Object.fromEntries(
      Object.entries(step.with!).map(([key, value]) => [
        key,
        String(value)
          .replace('${{ runner.temp }}/layer/layer.zip', 'layer.zip') // the artifact, downloaded
          .replace(/\$\{\{ ([\w.-]+) \}\}/g, (_, name: string) => {
            if (!(name in values)) throw new Error(`${job}: no value for ${name}`);
            return values[name]!;
          }),
      ]),
    );
  };

  it('the canary job publishes and rolls out first; each group job reuses its version in its own accounts', async () => {
    aws.account(D).createRole('layer-rollout');
    const f = await fleet([A, B, D]);
    const groups = [B, D];
    expect(workflow.jobs['canary']!.needs).toBe('build');
    expect(workflow.jobs['roll-out']!.needs).toBe('canary');
    expect(workflow.jobs['roll-out']!.strategy!.matrix['accounts']).toBe(
      '${{ fromJSON(inputs.account-groups) }}',
    );
    const inputs = {
      'inputs.layer-name': f.name,
      'inputs.runtime': 'python3.11',
      'inputs.regions': REGIONS.join(' '),
      'inputs.organization-id': [A, B, C, D].join(' '), // the double has no organization: the accounts
      'inputs.canary-accounts': A,
      'inputs.account-role': ROLE,
    };
    // One zip, as the build job uploads it and every later job downloads it.
    const dir = await workspaceWithZip({ 'python/lib/python3.11/site-packages/org.py': 'X = 2\n' });
    const waited: number[] = [];
    const deps = { ...defaultDeps(), sleep: async (ms: number) => void waited.push(ms) }; // canary-wait
    const job = (name: string, values: Record<string, string>): Promise<Report> =>
      runInProcess(dir, withOf(name, values), deps, { ...aws.env(), ...GITHUB });

    const canary = await job('canary', inputs);
    expect(canary.error).toBeUndefined();
    const published = canary.publish!.layers.map((l) => l.layerVersionArn);
    expect(canary.publish!.layers.every((l) => l.published && l.version === 2)).toBe(true);
    expect(new Set(canary.rollout!.functions.map((fn) => fn.account))).toEqual(new Set([A]));
    expect(waited.reduce((sum, ms) => sum + ms, 0)).toBe(300_000); // the canary baked before the rest

    for (const group of groups) {
      const report = await job('roll-out', { ...inputs, 'matrix.accounts': group });
      expect(report.error).toBeUndefined();
      // The same content: the canary's version, nothing published.
      expect(report.publish!.layers.map((l) => l.layerVersionArn)).toEqual(published);
      expect(report.publish!.layers.every((l) => !l.published)).toBe(true);
      expect(new Set(report.rollout!.functions.map((fn) => fn.account))).toEqual(new Set([group]));
    }
    for (const [account, regions] of f.consumers) {
      for (const [region, names] of regions) {
        for (const fn of names)
          expect(layersOf(account, region, fn)).toEqual([`${layerArn(f.name, region)}:2`]);
      }
    }
    expectOldOrNewOnly(f);
  });
});
