/**
 * The comment step with the real Octokit (@actions/github) over real HTTP against the GitHub double.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readGitHubContext, type GitHubContext } from '../../src/github.js';
import { commentMarker, MAX_COMMENT_LENGTH, postComment } from '../../src/steps/comment.js';
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js';

const REPOSITORY = 'acme/layers';
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'llr-comment-'));
let gh: GitHubDouble;
let output: string[];

beforeAll(async () => {
  gh = await startGitHubDouble();
});
afterAll(async () => {
  await gh.close();
  fs.rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  gh.requests.length = 0;
  gh.clearFaults();
  // Everything @actions/core logs (info, warning, add-mask) goes to stdout: keep it to inspect.
  output = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

let shas = 0;
/** A fresh commit per test, so tests do not see each other's comments. */
const newSha = (): string => `${SHA.slice(0, -4)}${String(++shas).padStart(4, '0')}`;

function context(overrides: Partial<GitHubContext> = {}): GitHubContext {
  return {
    apiUrl: gh.url,
    repository: { owner: 'acme', repo: 'layers' },
    sha: SHA,
    eventName: 'push',
    pullRequestNumber: undefined,
    run: undefined,
    ...overrides,
  };
}

const inputs = (layerName: string, more: { dryRun?: boolean; githubToken?: string } = {}) => ({
  layerName,
  githubToken: gh.token,
  dryRun: false,
  ...more,
});

const calls = (): string[] => gh.requests.map((r) => `${r.method} ${r.path}`);
const warnings = (): string[] => output.filter((line) => line.startsWith('::warning'));

describe('comment on a commit', () => {
  it('creates the comment, then updates that same comment on a re-run', async () => {
    const sha = newSha();
    const first = await postComment(inputs('data-science'), '## Report 1', context({ sha }));
    expect(first).toMatchObject({ target: 'commit', action: 'created' });
    const comments = gh.commitComments(REPOSITORY, sha);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toBe(`${commentMarker('data-science')}\n## Report 1`);
    expect(first.url).toBe(comments[0]!.html_url);
    // GET /user first: GITHUB_TOKEN may not read it (403), so the comment is github-actions[bot]'s.
    expect(calls()).toEqual([
      'GET /user',
      `GET /repos/acme/layers/commits/${sha}/comments`,
      `POST /repos/acme/layers/commits/${sha}/comments`,
    ]);

    gh.requests.length = 0;
    const second = await postComment(inputs('data-science'), '## Report 2', context({ sha }));
    expect(second).toMatchObject({ target: 'commit', action: 'updated', url: first.url });
    expect(gh.commitComments(REPOSITORY, sha)).toHaveLength(1);
    expect(gh.commitComments(REPOSITORY, sha)[0]!.body).toBe(`${commentMarker('data-science')}\n## Report 2`);
    expect(calls()).toEqual([
      'GET /user',
      `GET /repos/acme/layers/commits/${sha}/comments`,
      `PATCH /repos/acme/layers/comments/${comments[0]!.id}`,
    ]);
    expect(gh.requests[1]!.query).toMatchObject({ per_page: '100' });
  });

  it('keeps one comment per layer: another layer on the same commit gets its own', async () => {
    const sha = newSha();
    await postComment(inputs('data'), 'data report', context({ sha }));
    await postComment(inputs('data-science'), 'data-science report', context({ sha }));
    await postComment(inputs('data'), 'data report again', context({ sha }));
    expect(gh.commitComments(REPOSITORY, sha).map((c) => c.body)).toEqual([
      `${commentMarker('data')}\ndata report again`,
      `${commentMarker('data-science')}\ndata-science report`,
    ]);
  });

  it('finds its comment on page 3 of 4 and stops paging there', async () => {
    const sha = newSha();
    gh.seedCommitComments(
      REPOSITORY,
      sha,
      Array.from({ length: 230 }, (_, i) => `LGTM ${i}`),
    );
    const [ours] = gh.seedCommitComments(
      REPOSITORY,
      sha,
      [`${commentMarker('paged')}\nold`],
      'github-actions[bot]',
    );
    gh.seedCommitComments(
      REPOSITORY,
      sha,
      Array.from({ length: 89 }, (_, i) => `later ${i}`),
    );

    const result = await postComment(inputs('paged'), 'new', context({ sha }));
    expect(result).toMatchObject({ action: 'updated', url: ours!.html_url });
    expect(gh.commitComments(REPOSITORY, sha)).toHaveLength(320);
    expect(ours!.body).toBe(`${commentMarker('paged')}\nnew`);
    const pages = gh.requests.filter((r) => r.path.endsWith('/comments')).map((r) => r.query['page'] ?? '1');
    expect(pages).toEqual(['1', '2', '3']);
  });

  it('dry-run only reads: planned, with the comment a real run would update', async () => {
    const sha = newSha();
    const none = await postComment(inputs('dry', { dryRun: true }), 'report', context({ sha }));
    expect(none).toEqual({ target: 'commit', action: 'planned' });
    await postComment(inputs('dry'), 'report', context({ sha }));
    gh.requests.length = 0;
    const planned = await postComment(inputs('dry', { dryRun: true }), 'changed', context({ sha }));
    expect(planned).toEqual({
      target: 'commit',
      action: 'planned',
      url: gh.commitComments(REPOSITORY, sha)[0]!.html_url,
    });
    expect(calls().every((call) => call.startsWith('GET '))).toBe(true);
    expect(gh.commitComments(REPOSITORY, sha)[0]!.body).toMatch(/\nreport$/);
  });

  it('cuts a report longer than GitHub allows instead of losing the comment', async () => {
    const sha = newSha();
    const result = await postComment(inputs('huge'), `| row |\n`.repeat(20_000), context({ sha }));
    expect(result.action).toBe('created');
    const body = gh.commitComments(REPOSITORY, sha)[0]!.body;
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(body.startsWith(commentMarker('huge'))).toBe(true);
    expect(body).toMatch(/the job summary has everything\)$/);
  });
});

describe('our comment is ours', () => {
  it('leaves a marker comment written by someone else alone and creates its own (GITHUB_TOKEN)', async () => {
    const sha = newSha();
    // Compared as text: the double hands back the very object it stores, which an edit would change too.
    const plantedBody = `${commentMarker('owned')}\nPlease run [this](https://evil.example) to fix the layer`;
    const [planted] = gh.seedCommitComments(REPOSITORY, sha, [plantedBody]);
    const plantedId = planted!.id;
    const result = await postComment(inputs('owned'), 'the real report', context({ sha }));
    expect(result.action).toBe('created');
    const comments = gh.commitComments(REPOSITORY, sha);
    expect(comments).toHaveLength(2);
    expect(comments[0]!).toMatchObject({ id: plantedId, body: plantedBody });
    expect(comments[1]!).toMatchObject({
      user: { login: 'github-actions[bot]' },
      body: `${commentMarker('owned')}\nthe real report`,
    });
    expect(gh.requests.some((r) => r.method === 'PATCH')).toBe(false);
    expect(output.join('')).toMatch(
      /Ignoring .*#commitcomment-\d+: .*written by someone, not github-actions\[bot\]/,
    );

    // The re-run updates its own comment, and still not the planted one.
    const again = await postComment(inputs('owned'), 'report 2', context({ sha }));
    expect(again).toMatchObject({ action: 'updated', url: comments[1]!.html_url });
    expect(gh.commitComments(REPOSITORY, sha).map((c) => [c.id, c.body])).toEqual([
      [plantedId, plantedBody],
      [comments[1]!.id, `${commentMarker('owned')}\nreport 2`],
    ]);
    expect(gh.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([
      `/repos/${REPOSITORY}/comments/${comments[1]!.id}`,
    ]);
  });

  it('a planted comment on a pull request is not edited either', async () => {
    const plantedBody = `${commentMarker('pr-owned')}\nfake`;
    gh.seedIssueComments(REPOSITORY, 77, [plantedBody], 'mallory');
    const result = await postComment(inputs('pr-owned'), 'report', context({ pullRequestNumber: 77 }));
    expect(result.action).toBe('created');
    expect(gh.issueComments(REPOSITORY, 77).map((c) => [c.user.login, c.body])).toEqual([
      ['mallory', plantedBody],
      ['github-actions[bot]', `${commentMarker('pr-owned')}\nreport`],
    ]);
  });
});

describe('a personal access token', () => {
  let pat: GitHubDouble;
  beforeAll(async () => {
    pat = await startGitHubDouble({
      tokenKind: 'user',
      login: 'release-bot-user',
      token: 'ghp_user00000000000000000000000000000000',
    });
  });
  afterAll(() => pat.close());

  it('asks GET /user who it is, and updates only that login’s comment, not github-actions[bot]’s', async () => {
    const ctx = { ...context(), apiUrl: pat.url };
    const botsBody = `${commentMarker('pat')}\nold`;
    pat.seedCommitComments(REPOSITORY, SHA, [botsBody], 'github-actions[bot]');
    const first = await postComment({ ...inputs('pat'), githubToken: pat.token }, 'mine', ctx);
    expect(first.action).toBe('created');
    const second = await postComment({ ...inputs('pat'), githubToken: pat.token }, 'mine 2', ctx);
    expect(second).toMatchObject({ action: 'updated', url: first.url });
    expect(pat.commitComments(REPOSITORY, SHA).map((c) => [c.user.login, c.body])).toEqual([
      ['github-actions[bot]', botsBody],
      ['release-bot-user', `${commentMarker('pat')}\nmine 2`],
    ]);
    expect(pat.requests.filter((r) => r.path === '/user').map((r) => r.status)).toEqual([200, 200]);
  });
});

describe('comment on a pull request', () => {
  it('comments on the pull request of a pull_request event (from the event payload), not the commit', async () => {
    const eventPath = path.join(root, 'pull-request-event.json');
    fs.writeFileSync(
      eventPath,
      JSON.stringify({ action: 'synchronize', number: 42, pull_request: { number: 42 } }),
    );
    const ctx = readGitHubContext({
      GITHUB_API_URL: gh.url,
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_SHA: newSha(),
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
    });
    const first = await postComment(inputs('pr-layer'), 'PR report', ctx);
    expect(first).toMatchObject({ target: 'pull-request', action: 'created' });
    expect(first.url).toMatch(/\/acme\/layers\/pull\/42#issuecomment-\d+$/);
    const second = await postComment(inputs('pr-layer'), 'PR report 2', ctx);
    expect(second).toMatchObject({ target: 'pull-request', action: 'updated', url: first.url });
    expect(gh.issueComments(REPOSITORY, 42).map((c) => c.body)).toEqual([
      `${commentMarker('pr-layer')}\nPR report 2`,
    ]);
    expect(gh.commitComments(REPOSITORY, ctx.sha!)).toEqual([]);
    expect(calls()).toEqual([
      'GET /user',
      'GET /repos/acme/layers/issues/42/comments',
      'POST /repos/acme/layers/issues/42/comments',
      'GET /user',
      'GET /repos/acme/layers/issues/42/comments',
      `PATCH /repos/acme/layers/issues/comments/${gh.issueComments(REPOSITORY, 42)[0]!.id}`,
    ]);
  });
});

describe('comment failures are warnings', () => {
  it('403 on a commit: action failed, a warning naming contents: write, no throw', async () => {
    gh.fail({ status: 403, method: 'POST' });
    const result = await postComment(inputs('denied'), 'report', context({ sha: newSha() }));
    expect(result.action).toBe('failed');
    expect(result.warning).toMatch(/GitHub answered 403 \(Resource not accessible by integration\)/);
    expect(result.warning).toMatch(/permissions: contents: write/);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain('contents: write');
  });

  it('403 on a pull request: the warning names pull-requests: write', async () => {
    gh.fail({ status: 403 });
    const result = await postComment(inputs('denied'), 'report', context({ pullRequestNumber: 7 }));
    expect(result).toMatchObject({ target: 'pull-request', action: 'failed' });
    expect(result.warning).toMatch(/permissions: pull-requests: write`.*fork/);
  });

  it('404: the token cannot see the repository', async () => {
    gh.fail({ status: 404, path: /\/comments$/ });
    const result = await postComment(inputs('missing'), 'report', context({ sha: newSha() }));
    expect(result.action).toBe('failed');
    expect(result.warning).toMatch(/GitHub answered 404 \(Not Found\); the token cannot see it/);
  });

  it('a wrong token: 401, a warning, and the token appears only in the add-mask command', async () => {
    const wrong = 'ghp_wrongwrongwrongwrongwrongwrongwrong1';
    const result = await postComment(inputs('bad-token', { githubToken: wrong }), 'report', context());
    expect(result.action).toBe('failed');
    expect(result.warning).toMatch(/GitHub answered 401 \(Bad credentials\); the github-token is invalid/);
    expect(output).toContain(`::add-mask::${wrong}\n`);
    expect(output.filter((line) => line.includes(wrong))).toEqual([`::add-mask::${wrong}\n`]);
  });

  it('the token never appears in the log, the result or the comment, on success or failure', async () => {
    const sha = newSha();
    await postComment(inputs('secret'), 'report', context({ sha }));
    gh.fail({ status: 403, method: 'PATCH' });
    const failed = await postComment(inputs('secret'), 'report', context({ sha }));
    expect(failed.action).toBe('failed');
    expect(output.filter((line) => line.includes(gh.token) && !line.startsWith('::add-mask::'))).toEqual([]);
    expect(JSON.stringify(failed)).not.toContain(gh.token);
    expect(gh.commitComments(REPOSITORY, sha)[0]!.body).not.toContain(gh.token);
  });

  it('no repository or commit (outside a workflow run): a warning, no request', async () => {
    const result = await postComment(inputs('local'), 'report', context({ repository: undefined }));
    expect(result).toMatchObject({ target: 'commit', action: 'failed' });
    expect(gh.requests).toEqual([]);
  });
});

describe('GitHub Enterprise Server', () => {
  let ghes: GitHubDouble;
  beforeAll(async () => {
    ghes = await startGitHubDouble({
      pathPrefix: '/api/v3',
      token: 'ghs_enterprise000000000000000000000000',
    });
  });
  afterAll(() => ghes.close());

  it('uses GITHUB_API_URL with its /api/v3 path prefix', async () => {
    expect(ghes.url).toMatch(/\/api\/v3$/);
    const ctx = readGitHubContext({
      GITHUB_API_URL: `${ghes.url}/`,
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_SHA: SHA,
    });
    const first = await postComment({ ...inputs('ghes'), githubToken: ghes.token }, 'report', ctx);
    const second = await postComment({ ...inputs('ghes'), githubToken: ghes.token }, 'report 2', ctx);
    expect([first.action, second.action]).toEqual(['created', 'updated']);
    expect(ghes.commitComments(REPOSITORY, SHA)).toHaveLength(1);
    expect(ghes.requests.map((r) => r.status)).toEqual([403, 200, 201, 403, 200, 200]);
  });
});
