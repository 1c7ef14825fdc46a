/**
 * A local double of the GitHub REST endpoints the comment step uses, for the real Octokit over real HTTP:
 *
 *   GET|POST /repos/{owner}/{repo}/commits/{sha}/comments     PATCH /repos/{owner}/{repo}/comments/{id}
 *   GET|POST /repos/{owner}/{repo}/issues/{n}/comments        PATCH /repos/{owner}/{repo}/issues/comments/{id}
 *   GET /user (403 for an installation token such as GITHUB_TOKEN, as on GitHub; the login for a user token)
 *
 * Like GitHub it pages lists (`per_page` default 30, at most 100, `page`) with a `Link` header, answers 401
 * unless the `Authorization` header carries the configured token (`token …` or `Bearer …`), refuses bodies
 * over 65,536 characters (422), and serves under a path prefix when asked (GitHub Enterprise Server's
 * `/api/v3`). Faults (`fail()`) answer chosen requests with 403, 404, … instead.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHubDoubleOptions {
  /** The only token accepted. Default `ghs_double0000000000000000000000000000`. */
  token?: string;
  /** Served under this path, e.g. `/api/v3` for GitHub Enterprise Server. Default: none. */
  pathPrefix?: string;
  /** Author of comments the token creates. Default `github-actions[bot]`. */
  login?: string;
  /**
   * `installation` (GITHUB_TOKEN, an app's token): GET /user answers 403 "Resource not accessible by
   * integration". `user` (a personal access token): GET /user answers the login. Default `installation`.
   */
  tokenKind?: 'installation' | 'user';
}

export interface DoubleComment {
  id: number;
  node_id: string;
  body: string;
  user: { login: string; id: number; type: 'Bot' | 'User' };
  html_url: string;
  url: string;
  created_at: string;
  updated_at: string;
  /** Commit comments. */
  commit_id?: string;
  /** Issue (pull request) comments. */
  issue_url?: string;
}

export interface GitHubRequestRecord {
  method: string;
  /** Path below the prefix, without the query. */
  path: string;
  query: Record<string, string>;
  status: number;
  /** Whether the Authorization header carried the token. */
  authorized: boolean;
}

export interface GitHubFault {
  status: number;
  /** GitHub's `message`; defaults by status (403 "Resource not accessible by integration", 404 "Not Found"). */
  message?: string;
  method?: string;
  /** Matches the path below the prefix. */
  path?: RegExp;
  /** How many matching requests it answers (default `Infinity`). */
  times?: number;
}

export interface GitHubDouble {
  /** The API root to put in GITHUB_API_URL (with the path prefix). */
  readonly url: string;
  readonly token: string;
  readonly requests: GitHubRequestRecord[];
  /** Comments on a commit / an issue or pull request, oldest first (live objects). */
  commitComments(repository: string, sha: string): DoubleComment[];
  issueComments(repository: string, number: number): DoubleComment[];
  /** Adds comments directly, e.g. other people's, authored by `login` (default `someone`). */
  seedCommitComments(
    repository: string,
    sha: string,
    bodies: readonly string[],
    login?: string,
  ): DoubleComment[];
  seedIssueComments(
    repository: string,
    number: number,
    bodies: readonly string[],
    login?: string,
  ): DoubleComment[];
  fail(fault: GitHubFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const MAX_BODY = 65_536;
const DEFAULT_MESSAGES: Record<number, string> = {
  401: 'Bad credentials',
  403: 'Resource not accessible by integration',
  404: 'Not Found',
  422: 'Validation Failed',
  500: 'Server Error',
};
const DOCS = 'https://docs.github.com/rest';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message = DEFAULT_MESSAGES[status] ?? 'Error',
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Kind = 'commit' | 'issue';

export async function startGitHubDouble(options: GitHubDoubleOptions = {}): Promise<GitHubDouble> {
  const token = options.token ?? 'ghs_double0000000000000000000000000000';
  const prefix = (options.pathPrefix ?? '').replace(/\/+$/, '');
  const login = options.login ?? 'github-actions[bot]';
  const tokenKind = options.tokenKind ?? 'installation';
  const requests: GitHubRequestRecord[] = [];
  const faults: (GitHubFault & { used: number })[] = [];
  // Commit comments and issue comments have separate id spaces and routes, as on GitHub.
  const threads = { commit: new Map<string, DoubleComment[]>(), issue: new Map<string, DoubleComment[]>() };
  const byId = { commit: new Map<number, DoubleComment>(), issue: new Map<number, DoubleComment>() };
  let nextId = 1000;
  let url = '';
  const webUrl = 'https://github.double';

  const thread = (kind: Kind, repository: string, key: string): DoubleComment[] => {
    const id = `${repository}@${key}`;
    let list = threads[kind].get(id);
    if (!list) threads[kind].set(id, (list = []));
    return list;
  };

  const add = (kind: Kind, repository: string, key: string, body: string, author: string): DoubleComment => {
    const id = ++nextId;
    const now = new Date().toISOString();
    const comment: DoubleComment = {
      id,
      node_id: `${kind === 'commit' ? 'CC' : 'IC'}_${id}`,
      body,
      user: {
        login: author,
        id: author === login ? 41898282 : 1,
        type: author.endsWith('[bot]') ? 'Bot' : 'User',
      },
      html_url:
        kind === 'commit'
          ? `${webUrl}/${repository}/commit/${key}#commitcomment-${id}`
          : `${webUrl}/${repository}/pull/${key}#issuecomment-${id}`,
      url: `${url}/repos/${repository}/${kind === 'commit' ? 'comments' : 'issues/comments'}/${id}`,
      created_at: now,
      updated_at: now,
      ...(kind === 'commit' ? { commit_id: key } : { issue_url: `${url}/repos/${repository}/issues/${key}` }),
    };
    thread(kind, repository, key).push(comment);
    byId[kind].set(id, comment);
    return comment;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { message: String(error) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', url);
    const method = req.method ?? 'GET';
    const record: GitHubRequestRecord = {
      method,
      path: requestUrl.pathname,
      query: Object.fromEntries(requestUrl.searchParams),
      status: 0,
      authorized: authorized(req.headers.authorization),
    };
    const raw = await readBody(req);
    try {
      if (!requestUrl.pathname.startsWith(`${prefix}/`)) throw new HttpError(404);
      record.path = requestUrl.pathname.slice(prefix.length);
      if (!record.authorized) throw new HttpError(401);
      const fault = faults.find(
        (f) =>
          f.used < (f.times ?? Infinity) &&
          (!f.method || f.method.toUpperCase() === method) &&
          (!f.path || f.path.test(record.path)),
      );
      if (fault) {
        fault.used += 1;
        throw new HttpError(fault.status, fault.message);
      }
      const { status, body, headers } = route(method, record.path, requestUrl.searchParams, raw);
      record.status = status;
      send(res, status, body, headers);
    } catch (error) {
      const e = error instanceof HttpError ? error : new HttpError(500, String(error));
      record.status = e.status;
      send(res, e.status, {
        message: e.message,
        documentation_url: DOCS,
        status: String(e.status),
        ...e.extra,
      });
    } finally {
      requests.push(record);
    }
  }

  function authorized(header: string | undefined): boolean {
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '');
    return match?.[1] === token;
  }

  function route(
    method: string,
    path: string,
    query: URLSearchParams,
    raw: string,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    let m: RegExpExecArray | null;
    if (path === '/user' && method === 'GET') {
      if (tokenKind === 'installation') throw new HttpError(403);
      return { status: 200, body: { login, id: 583231, type: 'User' } };
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/commits\/([^/]+)\/comments$/.exec(path))) {
      return threadRoute('commit', method, m[1]!, m[2]!, path, query, raw);
    }
    if ((m = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(path))) {
      return threadRoute('issue', method, m[1]!, m[2]!, path, query, raw);
    }
    if (
      (m = /^\/repos\/[^/]+\/[^/]+\/(comments|issues\/comments)\/(\d+)$/.exec(path)) &&
      method === 'PATCH'
    ) {
      const comment = byId[m[1] === 'comments' ? 'commit' : 'issue'].get(Number(m[2]));
      if (!comment) throw new HttpError(404);
      comment.body = bodyOf(raw);
      comment.updated_at = new Date().toISOString();
      return { status: 200, body: comment };
    }
    throw new HttpError(404);
  }

  function threadRoute(
    kind: Kind,
    method: string,
    repository: string,
    key: string,
    path: string,
    query: URLSearchParams,
    raw: string,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    if (method === 'POST') return { status: 201, body: add(kind, repository, key, bodyOf(raw), login) };
    if (method !== 'GET') throw new HttpError(404);
    const all = thread(kind, repository, key);
    const perPage = Math.min(Math.max(Number(query.get('per_page')) || 30, 1), 100);
    const page = Math.max(Number(query.get('page')) || 1, 1);
    const last = Math.max(Math.ceil(all.length / perPage), 1);
    const link = (n: number, rel: string) => `<${url}${path}?per_page=${perPage}&page=${n}>; rel="${rel}"`;
    const links = [
      ...(page > 1 ? [link(page - 1, 'prev'), link(1, 'first')] : []),
      ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
    ];
    return {
      status: 200,
      body: all.slice((page - 1) * perPage, page * perPage),
      ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}),
    };
  }

  function bodyOf(raw: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new HttpError(400, 'Problems parsing JSON');
    }
    const body = (parsed as { body?: unknown }).body;
    if (typeof body !== 'string' || body.length === 0)
      throw new HttpError(422, 'Validation Failed', {
        errors: [{ resource: 'Comment', code: 'missing_field', field: 'body' }],
      });
    if (body.length > MAX_BODY)
      throw new HttpError(422, 'Validation Failed', {
        errors: [
          {
            resource: 'Comment',
            code: 'custom',
            field: 'body',
            message: `body is too long (maximum is ${MAX_BODY} characters)`,
          },
        ],
      });
    return body;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;

  return {
    url,
    token,
    requests,
    commitComments: (repository, sha) => thread('commit', repository, sha),
    issueComments: (repository, number) => thread('issue', repository, String(number)),
    seedCommitComments: (repository, sha, bodies, author = 'someone') =>
      bodies.map((body) => add('commit', repository, sha, body, author)),
    seedIssueComments: (repository, number, bodies, author = 'someone') =>
      bodies.map((body) => add('issue', repository, String(number), body, author)),
    fail: (fault) => void faults.push({ ...fault, used: 0 }),
    clearFaults: () => void faults.splice(0),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(payload)),
    'x-github-request-id': `DOUBLE:${Math.random().toString(16).slice(2, 10)}`,
    ...headers,
  });
  res.end(payload);
}
