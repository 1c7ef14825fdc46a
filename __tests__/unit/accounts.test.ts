import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sessionName } from '../../src/aws/assume-role.js';
import { getInputs, InputError } from '../../src/inputs.js';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-accounts-'));
fs.writeFileSync(path.join(workspace, 'requirements.txt'), 'six==1.16.0\n');
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

const BASE = { steps: 'build,smoke-test', 'layer-name': 'my-layer', runtime: 'python3.11' };

function read(values: Record<string, string>): ReturnType<typeof getInputs> | string[] {
  for (const [name, value] of Object.entries({ ...BASE, ...values })) {
    vi.stubEnv(`INPUT_${name.toUpperCase()}`, value);
  }
  try {
    return getInputs({ GITHUB_WORKSPACE: workspace, RUNNER_TEMP: os.tmpdir() });
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return [...(error as InputError).problems];
  }
}

beforeEach(() => {
  vi.unstubAllEnvs();
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) vi.stubEnv(name, '');
});

describe('accounts inputs', () => {
  it('reads accounts in order, without duplicates, the role template and max-parallel-accounts', () => {
    const inputs = read({
      accounts: '111111111111, 222222222222\n111111111111 333333333333',
      'account-role': 'arn:aws:iam::{account}:role/teams/layer-rollout',
      'max-parallel-accounts': '20',
    });
    expect(inputs).toMatchObject({
      accounts: ['111111111111', '222222222222', '333333333333'],
      accountRole: 'arn:aws:iam::{account}:role/teams/layer-rollout',
      maxParallelAccounts: 20,
    });
  });

  it("takes accounts without account-role: whether they are all the job's own is for the preflight", () => {
    // src/preflight/reach.ts asks STS and refuses the other accounts (__tests__/integration/preflight.test.ts).
    expect(read({ accounts: '111111111111 111111111111' })).toMatchObject({
      accounts: ['111111111111'],
      accountRole: undefined,
    });
  });

  it('defaults to the job account only, ten accounts at a time', () => {
    expect(read({})).toMatchObject({ accounts: [], accountRole: undefined, maxParallelAccounts: 10 });
  });

  it.each([
    [{ accounts: '12345' }, /accounts: "12345" is not an AWS account id/],
    [
      {
        accounts: '111111111111',
        'account-role': 'arn:aws-us-gov:iam::{account}:role/x',
        regions: 'eu-west-1',
      },
      /account-role: "arn:aws-us-gov:iam::\{account\}:role\/x" is in the partition aws-us-gov, but regions \(eu-west-1\) are in aws/,
    ],
    [{ 'account-role': 'arn:aws:iam::{account}:role/x' }, /account-role: is only used with accounts/],
    [
      { accounts: '111111111111', 'account-role': 'arn:aws:iam::111111111111:role/x' },
      /account-role: "arn:aws:iam::111111111111:role\/x" is not allowed; use a role ARN with \{account\}/,
    ],
    [
      { 'max-parallel-accounts': '0' },
      /max-parallel-accounts: "0" is not allowed; use a whole number from 1 to 100/,
    ],
    [
      {
        accounts: '111111111111',
        'account-role': 'arn:aws:iam::{account}:role/x',
        functions: 'arn:aws:lambda:us-east-1:999999999999:function:api',
      },
      /functions: ".*999999999999:function:api" is in account 999999999999, which is not among accounts/,
    ],
  ])('refuses %j', (values, message) => {
    const problems = read(values);
    expect(Array.isArray(problems)).toBe(true);
    expect((problems as string[]).join('\n')).toMatch(message);
  });
});

describe('sessionName', () => {
  it('names the repository and the run, in the characters STS allows', () => {
    expect(sessionName({ GITHUB_REPOSITORY: 'octo-org/platform layers', GITHUB_RUN_ID: '42' })).toBe(
      'octo-org-platform-layers@42',
    );
  });

  it('keeps the run id whole and stays within 64 characters', () => {
    const name = sessionName({ GITHUB_REPOSITORY: `org/${'x'.repeat(100)}`, GITHUB_RUN_ID: '12345678901' });
    expect(name).toHaveLength(64);
    expect(name).toMatch(/^org-x+@12345678901$/);
    expect(name).toMatch(/^[\w+=,.@-]{2,64}$/);
  });

  it('has a name outside GitHub Actions', () => {
    expect(sessionName({})).toBe('lambda-layer-release');
  });
});
