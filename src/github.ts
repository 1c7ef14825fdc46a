/**
 * The GitHub side of the run: where it happens (repository, commit, pull request) and an API client.
 * `@actions/github` builds its `context` once, when the module loads; reading the environment through
 * `readGitHubContext(env)` instead lets tests (and a future local mode) describe any event.
 */
import * as core from '@actions/core';
import type * as github from '@actions/github';
import * as fs from 'node:fs';

export interface GitHubRepository {
  readonly owner: string;
  readonly repo: string;
}

export interface GitHubContext {
  /** REST API root: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  readonly apiUrl: string;
  /** undefined outside a workflow run (GITHUB_REPOSITORY unset or malformed). */
  readonly repository: GitHubRepository | undefined;
  readonly sha: string | undefined;
  readonly eventName: string | undefined;
  /** The pull request the event is about (pull_request, pull_request_target, …), from the event payload. */
  readonly pullRequestNumber: number | undefined;
  /** The workflow run, for the report's link back to it; undefined outside a workflow run. */
  readonly run: WorkflowRun | undefined;
  /** For a workflow_run event: the run that triggered this one (from the event payload). */
  readonly triggeringRun?: TriggeringRun;
}

export interface TriggeringRun {
  /** The triggering run's event: push, pull_request, …; undefined when the payload does not say. */
  readonly event: string | undefined;
  /** owner/repo of the code it ran; undefined when the payload has none (a deleted fork). */
  readonly headRepository: string | undefined;
  /** True unless that code is this repository's own: a fork's, or of an unknown repository. */
  readonly fromFork: boolean;
}

export interface WorkflowRun {
  /** Web root: https://github.com, or the GitHub Enterprise Server host. */
  readonly serverUrl: string;
  readonly id: string;
  readonly number: string | undefined;
  readonly attempt: string | undefined;
}

export function readGitHubContext(env: NodeJS.ProcessEnv = process.env): GitHubContext {
  const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  return {
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    repository: owner && repo && rest.length === 0 ? { owner, repo } : undefined,
    sha: env.GITHUB_SHA || undefined,
    eventName: env.GITHUB_EVENT_NAME || undefined,
    pullRequestNumber: pullRequestNumber(payload),
    ...(env.GITHUB_EVENT_NAME === 'workflow_run'
      ? { triggeringRun: triggeringRun(payload, env.GITHUB_REPOSITORY) }
      : {}),
    run: env.GITHUB_RUN_ID
      ? {
          serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
          id: env.GITHUB_RUN_ID,
          number: env.GITHUB_RUN_NUMBER || undefined,
          attempt: env.GITHUB_RUN_ATTEMPT || undefined,
        }
      : undefined,
  };
}

/** The run's page (its attempt, when it is a re-run), or undefined outside a workflow run. */
export function runUrl(context: GitHubContext): string | undefined {
  const { run, repository } = context;
  if (!run || !repository) return undefined;
  const base = `${run.serverUrl}/${repository.owner}/${repository.repo}/actions/runs/${run.id}`;
  return run.attempt && run.attempt !== '1' ? `${base}/attempts/${run.attempt}` : base;
}

export function commitUrl(context: GitHubContext): string | undefined {
  const { run, repository, sha } = context;
  if (!repository || !sha) return undefined;
  const server = run?.serverUrl ?? 'https://github.com';
  return `${server}/${repository.owner}/${repository.repo}/commit/${sha}`;
}

interface EventPayload {
  readonly pull_request?: { readonly number?: unknown };
  readonly repository?: { readonly full_name?: unknown };
  readonly workflow_run?: {
    readonly event?: unknown;
    readonly head_repository?: { readonly full_name?: unknown } | null;
  };
}

function readPayload(eventPath: string | undefined): EventPayload {
  if (!eventPath) return {};
  try {
    const payload: unknown = JSON.parse(fs.readFileSync(eventPath, 'utf8'));
    return typeof payload === 'object' && payload !== null ? (payload as EventPayload) : {};
  } catch (error) {
    // Without the payload the comment goes on the commit: worth a note, not a failure.
    core.debug(`Could not read the event payload ${eventPath}: ${(error as Error).message}`);
    return {};
  }
}

function pullRequestNumber(payload: EventPayload): number | undefined {
  const number = payload.pull_request?.number;
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
}

/** What triggered a workflow_run event; a payload without the facts counts as a fork's, not as ours. */
function triggeringRun(payload: EventPayload, repository: string | undefined): TriggeringRun {
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : undefined;
  const run = payload.workflow_run;
  const headRepository = text(run?.head_repository?.full_name);
  const ownRepository = text(payload.repository?.full_name) ?? repository;
  return {
    event: text(run?.event),
    headRepository,
    fromFork:
      headRepository === undefined ||
      ownRepository === undefined ||
      headRepository.toLowerCase() !== ownRepository.toLowerCase(),
  };
}

export type GitHubClient = ReturnType<typeof github.getOctokit>;

/**
 * An Octokit for `apiUrl`. Its logger goes through @actions/core, so nothing reaches the console; its
 * errors only to debug, since callers decide what a failed request means (a comment's is a warning).
 * (The proxy settings of @actions/github follow the GITHUB_API_URL it saw when it loaded, which on a
 * runner is this same URL.) Octokit is imported here, when a comment is posted: a run that posts none
 * never parses it, and none parses it before its first log line.
 */
export async function githubClient(
  token: string,
  apiUrl: string,
  signal?: AbortSignal,
): Promise<GitHubClient> {
  const { getOctokit } = await import('@actions/github');
  return getOctokit(token, {
    baseUrl: apiUrl,
    ...(signal ? { request: { signal } } : {}),
    log: {
      debug: (message: string) => core.debug(message),
      info: (message: string) => core.debug(message),
      warn: (message: string) => core.warning(message),
      error: (message: string) => core.debug(message),
    },
  });
}
