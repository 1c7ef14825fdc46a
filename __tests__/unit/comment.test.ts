import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { commitUrl, readGitHubContext, runUrl } from '../../src/github.js';
import { getInputs, InputError } from '../../src/inputs.js';
import { commentBody, commentMarker, MAX_COMMENT_LENGTH } from '../../src/steps/comment.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-github-context-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function eventFile(payload: unknown): string {
  const file = path.join(root, `event-${Math.random().toString(16).slice(2)}.json`);
  fs.writeFileSync(file, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return file;
}

describe('readGitHubContext', () => {
  it('reads a push run', () => {
    expect(
      readGitHubContext({
        GITHUB_API_URL: 'https://api.github.com',
        GITHUB_REPOSITORY: 'acme/layers',
        GITHUB_SHA: 'abc123',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: eventFile({ ref: 'refs/heads/main', head_commit: { id: 'abc123' } }),
      }),
    ).toEqual({
      apiUrl: 'https://api.github.com',
      repository: { owner: 'acme', repo: 'layers' },
      sha: 'abc123',
      eventName: 'push',
      pullRequestNumber: undefined,
      run: undefined,
    });
  });

  it('takes the pull request number from the event payload', () => {
    for (const eventName of ['pull_request', 'pull_request_target']) {
      const context = readGitHubContext({
        GITHUB_REPOSITORY: 'acme/layers',
        GITHUB_EVENT_NAME: eventName,
        GITHUB_EVENT_PATH: eventFile({ number: 9, pull_request: { number: 9, head: { sha: 'def' } } }),
      });
      expect(context).toMatchObject({ eventName, pullRequestNumber: 9 });
    }
  });

  it('reads what triggered a workflow_run event: its event, and whether the code came from a fork', () => {
    const read = (workflowRun: unknown, repository: unknown = { full_name: 'acme/layers' }) =>
      readGitHubContext({
        GITHUB_REPOSITORY: 'acme/layers',
        GITHUB_EVENT_NAME: 'workflow_run',
        GITHUB_EVENT_PATH: eventFile({ repository, workflow_run: workflowRun }),
      }).triggeringRun;
    expect(read({ event: 'pull_request', head_repository: { full_name: 'mallory/layers' } })).toEqual({
      event: 'pull_request',
      headRepository: 'mallory/layers',
      fromFork: true,
    });
    // GitHub compares owner and repository names without case.
    expect(read({ event: 'pull_request', head_repository: { full_name: 'Acme/Layers' } })).toMatchObject({
      fromFork: false,
    });
    // A deleted fork has no head repository; a payload without facts is not taken as ours.
    expect(read({ event: 'pull_request', head_repository: null })).toMatchObject({ fromFork: true });
    expect(read({}, undefined)).toEqual({ event: undefined, headRepository: undefined, fromFork: true });
    // Another event has no triggering run.
    expect(
      readGitHubContext({
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: eventFile({ workflow_run: { event: 'pull_request' } }),
      }).triggeringRun,
    ).toBeUndefined();
  });

  it('defaults the API URL and drops a trailing slash (GHES URLs keep their /api/v3)', () => {
    expect(readGitHubContext({}).apiUrl).toBe('https://api.github.com');
    expect(readGitHubContext({ GITHUB_API_URL: 'https://ghe.example.com/api/v3/' }).apiUrl).toBe(
      'https://ghe.example.com/api/v3',
    );
  });

  it('is lenient outside a workflow run: no repository, no payload, no pull request', () => {
    expect(readGitHubContext({})).toEqual({
      apiUrl: 'https://api.github.com',
      repository: undefined,
      sha: undefined,
      eventName: undefined,
      pullRequestNumber: undefined,
      run: undefined,
    });
    expect(readGitHubContext({ GITHUB_REPOSITORY: 'no-slash' }).repository).toBeUndefined();
    expect(readGitHubContext({ GITHUB_REPOSITORY: 'a/b/c' }).repository).toBeUndefined();
    expect(readGitHubContext({ GITHUB_EVENT_PATH: path.join(root, 'missing.json') }).pullRequestNumber).toBe(
      undefined,
    );
    expect(
      readGitHubContext({ GITHUB_EVENT_PATH: eventFile('{not json') }).pullRequestNumber,
    ).toBeUndefined();
    expect(
      readGitHubContext({ GITHUB_EVENT_PATH: eventFile({ pull_request: { number: '9' } }) })
        .pullRequestNumber,
    ).toBeUndefined();
  });
});

describe('comment body', () => {
  it('starts with a marker that tells layers apart exactly', () => {
    expect(commentMarker('data')).toBe('<!-- lambda-layer-release:data -->');
    expect(commentMarker('data-science').includes(commentMarker('data'))).toBe(false);
    expect(commentBody('data', '## Report')).toBe('<!-- lambda-layer-release:data -->\n## Report');
  });

  it('fits GitHub’s limit, keeping the marker and saying it was cut', () => {
    const body = commentBody('data', 'x'.repeat(MAX_COMMENT_LENGTH));
    expect(body).toHaveLength(MAX_COMMENT_LENGTH);
    expect(body.startsWith(commentMarker('data'))).toBe(true);
    expect(body).toMatch(/cut to fit GitHub’s comment limit; the job summary has everything\)$/);
    const exact = 'y'.repeat(MAX_COMMENT_LENGTH - commentMarker('data').length - 1);
    expect(commentBody('data', exact)).toBe(`${commentMarker('data')}\n${exact}`);
  });
});

describe('the run the report links to', () => {
  const env = {
    GITHUB_REPOSITORY: 'acme/layers',
    GITHUB_SHA: 'abc1234def',
    GITHUB_SERVER_URL: 'https://ghe.example.com/',
    GITHUB_RUN_ID: '987',
    GITHUB_RUN_NUMBER: '12',
  };

  it('links the run, its attempt on a re-run, and the commit, on the server of the run', () => {
    const first = readGitHubContext({ ...env, GITHUB_RUN_ATTEMPT: '1' });
    expect(first.run).toEqual({
      serverUrl: 'https://ghe.example.com',
      id: '987',
      number: '12',
      attempt: '1',
    });
    expect(runUrl(first)).toBe('https://ghe.example.com/acme/layers/actions/runs/987');
    expect(runUrl(readGitHubContext({ ...env, GITHUB_RUN_ATTEMPT: '3' }))).toBe(
      'https://ghe.example.com/acme/layers/actions/runs/987/attempts/3',
    );
    expect(commitUrl(first)).toBe('https://ghe.example.com/acme/layers/commit/abc1234def');
  });

  it('outside a workflow run there is no run to link', () => {
    expect(runUrl(readGitHubContext({ GITHUB_REPOSITORY: 'acme/layers' }))).toBeUndefined();
    expect(readGitHubContext({}).run).toBeUndefined();
  });
});

describe('comment-details input', () => {
  beforeEach(() => {
    vi.unstubAllEnvs();
    for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) vi.stubEnv(name, '');
    vi.stubEnv('INPUT_STEPS', 'publish,comment');
    vi.stubEnv('INPUT_ZIP-FILE', 'layer.zip');
    vi.stubEnv('INPUT_LAYER-NAME', 'data');
    vi.stubEnv('INPUT_RUNTIME', 'python3.11');
    vi.stubEnv('INPUT_REGIONS', 'us-east-1');
    vi.stubEnv('INPUT_GITHUB-TOKEN', 'ghs_0123456789abcdef');
    fs.writeFileSync(path.join(root, 'layer.zip'), 'PK');
  });
  const read = () => getInputs({ GITHUB_WORKSPACE: root, RUNNER_TEMP: root });

  it('defaults to full and accepts minimal', () => {
    expect(read().commentDetails).toBe('full');
    vi.stubEnv('INPUT_COMMENT-DETAILS', 'minimal');
    expect(read().commentDetails).toBe('minimal');
  });

  it('refuses anything else, naming the input, the value and what is allowed', () => {
    vi.stubEnv('INPUT_COMMENT-DETAILS', 'verbose');
    expect(read).toThrow(InputError);
    expect(read).toThrow('comment-details: "verbose" is not allowed; use one of full, minimal');
  });
});
