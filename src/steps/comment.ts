/**
 * Comment step: puts the run's report where a reviewer looks — on the pull request for pull request
 * events, else on the commit (GITHUB_SHA). A hidden marker per layer lets a re-run find its own comment
 * and update it, so a commit or pull request carries one comment per layer however often it runs.
 * Only a comment written by the token's own identity counts as ours: anyone can paste the marker into
 * a comment, and the action must never edit what someone else wrote.
 * The comment is a courtesy: a failure here is a warning, never a failed release.
 */
import * as core from '@actions/core';
import { githubClient, type GitHubClient, type GitHubContext } from '../github.js';
import type { Inputs } from '../inputs/index.js';

export type CommentTarget = 'commit' | 'pull-request';

export interface CommentResult {
  readonly target: CommentTarget;
  readonly action: 'created' | 'updated' | 'planned' | 'failed';
  /** The comment's page (for 'planned', the existing comment a real run would update). */
  readonly url?: string;
  readonly warning?: string;
}

type CommentInputs = Pick<Inputs, 'githubToken' | 'layerName' | 'dryRun'>;

/** GitHub refuses comment bodies longer than this. */
export const MAX_COMMENT_LENGTH = 65_536;

export function commentMarker(layerName: string): string {
  return `<!-- lambda-layer-release:${layerName} -->`;
}

/** The marker, then the report, cut to GitHub's limit (a long package table must not lose the comment). */
export function commentBody(layerName: string, body: string): string {
  const text = `${commentMarker(layerName)}\n${body}`;
  if (text.length <= MAX_COMMENT_LENGTH) return text;
  const note = '\n\n… (cut to fit GitHub’s comment limit; the job summary has everything)';
  return text.slice(0, MAX_COMMENT_LENGTH - note.length) + note;
}

export async function postComment(
  inputs: CommentInputs,
  body: string,
  context: GitHubContext,
  /** Aborts the requests (a cancelled run's deadline): the comment then is a warning, not a hang. */
  signal?: AbortSignal,
): Promise<CommentResult> {
  const target: CommentTarget = context.pullRequestNumber === undefined ? 'commit' : 'pull-request';
  const fail = (warning: string): CommentResult => {
    core.warning(warning, { title: 'Comment not posted' });
    return { target, action: 'failed', warning };
  };
  if (!inputs.githubToken) return fail('No github-token: the report was not posted as a comment.');
  core.setSecret(inputs.githubToken);
  if (!context.repository || (target === 'commit' && !context.sha)) {
    return fail('GITHUB_REPOSITORY or GITHUB_SHA is not set: there is no commit to comment on.');
  }
  const octokit = await githubClient(inputs.githubToken, context.apiUrl, signal);
  const thread = threadFor(octokit, context);
  const marker = commentMarker(inputs.layerName);
  try {
    const existing = await findComment(thread, marker, await tokenLogin(octokit));
    if (inputs.dryRun) {
      core.info(`dry-run: would ${existing ? `update ${existing.html_url}` : `comment on ${thread.title}`}.`);
      return { target, action: 'planned', ...(existing ? { url: existing.html_url } : {}) };
    }
    const text = commentBody(inputs.layerName, body);
    const { data } = existing ? await thread.update(existing.id, text) : await thread.create(text);
    core.info(`${existing ? 'Updated' : 'Posted'} the report on ${thread.title}: ${data.html_url}`);
    return { target, action: existing ? 'updated' : 'created', url: data.html_url };
  } catch (error) {
    return fail(explain(error, target, thread.title, context));
  }
}

interface Comment {
  readonly id: number;
  readonly body?: string;
  readonly html_url: string;
  readonly user?: { readonly login: string } | null;
}

/** Who comments with GITHUB_TOKEN (and any GitHub App installation token without its own slug). */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

/**
 * The login the token comments as. A personal or user token can ask GET /user; an installation token
 * (GITHUB_TOKEN) may not (403) and always comments as github-actions[bot].
 */
export async function tokenLogin(octokit: GitHubClient): Promise<string> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch (error) {
    if ((error as { status?: number }).status !== 403) throw error;
    return ACTIONS_BOT_LOGIN;
  }
}

/** The commit's or the pull request's comments, behind one interface. */
interface Thread {
  readonly title: string;
  pages(): AsyncIterable<{ data: Comment[] }>;
  create(body: string): Promise<{ data: Comment }>;
  update(id: number, body: string): Promise<{ data: Comment }>;
}

function threadFor(octokit: GitHubClient, context: GitHubContext): Thread {
  const { owner, repo } = context.repository!;
  const number = context.pullRequestNumber;
  const perPage = 100; // GitHub's maximum: fewest requests on a busy commit or pull request
  if (number !== undefined) {
    const issue = { owner, repo, issue_number: number };
    return {
      title: `pull request #${number} in ${owner}/${repo}`,
      pages: () =>
        octokit.paginate.iterator(octokit.rest.issues.listComments, { ...issue, per_page: perPage }),
      create: (body) => octokit.rest.issues.createComment({ ...issue, body }),
      update: (id, body) => octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body }),
    };
  }
  const commit = { owner, repo, commit_sha: context.sha! };
  return {
    title: `commit ${context.sha!.slice(0, 7)} in ${owner}/${repo}`,
    pages: () =>
      octokit.paginate.iterator(octokit.rest.repos.listCommentsForCommit, { ...commit, per_page: perPage }),
    create: (body) => octokit.rest.repos.createCommitComment({ ...commit, body }),
    update: (id, body) => octokit.rest.repos.updateCommitComment({ owner, repo, comment_id: id, body }),
  };
}

/** Walks the pages only until this layer's comment, written by `login`, turns up. */
async function findComment(thread: Thread, marker: string, login: string): Promise<Comment | undefined> {
  for await (const page of thread.pages()) {
    for (const comment of page.data.filter((c) => c.body?.includes(marker))) {
      const author = comment.user?.login ?? '(unknown)';
      if (author.toLowerCase() === login.toLowerCase()) return comment;
      core.info(
        `Ignoring ${comment.html_url}: it carries this layer's marker but was written by ${author}, not ${login}.`,
      );
    }
  }
  return undefined;
}

/** What went wrong and what to change; GitHub's own message is kept, the token never appears. */
function explain(error: unknown, target: CommentTarget, title: string, context: GitHubContext): string {
  const e = error as Error & { status?: number; response?: unknown };
  // Octokit reports a request that never got an answer as status 500 without a response: say what failed.
  if (e.response === undefined) return `Could not comment on ${title}: ${networkFailure(e, context.apiUrl)}.`;
  const permission = target === 'commit' ? 'contents: write' : 'pull-requests: write';
  const answer = `GitHub answered ${e.status} (${e.message.split(' - ')[0]})`;
  switch (e.status) {
    case 401:
      return `Could not comment on ${title}: ${answer}; the github-token is invalid or expired.`;
    case 403:
      return (
        `Could not comment on ${title}: ${answer}; give the job \`permissions: ${permission}\`` +
        (target === 'pull-request' ? ' (a pull request from a fork gets a read-only token)' : '') +
        '.'
      );
    case 404:
      return (
        `Could not comment on ${title}: ${answer}; the token cannot see it (it needs \`${permission}\`), ` +
        `or GITHUB_API_URL (${context.apiUrl}) is not this repository's API.`
      );
    default:
      return `Could not comment on ${title}: ${e.status === undefined ? e.message : answer}.`;
  }
}

/** The cause of a request that got no HTTP answer (DNS, refused, TLS, timeout), never an invented status. */
function networkFailure(error: Error, apiUrl: string): string {
  const codes: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as Error & { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    if (e.name === 'AbortError' || e.name === 'TimeoutError') codes.push('TIMEOUT');
  }
  const host = URL.canParse(apiUrl) ? new URL(apiUrl).host : apiUrl;
  const code = codes[0];
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the DNS lookup of ${host} failed (${code})`;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return `the connection to ${host} failed (${code})`;
  if (code && /TIMEOUT|ETIMEDOUT/.test(code)) return `the request to ${host} timed out (${code})`;
  if (code && /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
    return `TLS with ${host} failed (${code})`;
  // No cause to name: keep the client's message, without anything that could be the token.
  return `no answer from ${host} (${error.message.replace(/(token|bearer)\s+\S+/gi, '$1 ***')})`;
}
