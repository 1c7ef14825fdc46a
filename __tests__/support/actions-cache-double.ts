/**
 * A local double of the Actions cache service, version 2 (what @actions/cache 6 speaks when
 * ACTIONS_CACHE_SERVICE_V2 is set): the Twirp/JSON "results" service at ACTIONS_RESULTS_URL
 * (CreateCacheEntry, FinalizeCacheEntryUpload, GetCacheEntryDownloadURL) and the blob store behind its
 * signed URLs, which @actions/cache writes with the Azure Blob SDK (Put Blob, or Put Block + Put Block
 * List) and reads with a plain GET. Served over real HTTP.
 *
 * As strict as the service where it refuses: a bearer token is required, an entry is written once
 * (key + version), a blob URL works only with its signature and for its own permission, a restore
 * matches only finalized entries of the same version, and restore keys match by prefix, newest first.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

const SERVICE = '/twirp/github.actions.results.api.v1.CacheService/';

export interface CacheEntry {
  readonly key: string;
  readonly version: string;
  readonly id: number;
  readonly created: number;
  size?: number;
  finalized: boolean;
}

export interface CacheRequest {
  readonly method: string;
  /** Twirp method name, or `blob:put`, `blob:block`, `blob:blocklist`, `blob:get`. */
  readonly operation: string;
  readonly status: number;
}

export interface ActionsCacheDouble {
  readonly url: string;
  readonly token: string;
  readonly entries: CacheEntry[];
  readonly requests: CacheRequest[];
  /** The environment that makes @actions/cache use this double (as the runner sets it for a job). */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export interface ActionsCacheDoubleOptions {
  /**
   * Writes a blob's bytes to a restore's response (default: at once). The benchmarks pass a paced
   * writer: a runner's link to the cache service is as limited as its link to a package index.
   */
  readonly send?: (res: http.ServerResponse, body: Buffer) => Promise<void>;
}

export async function startActionsCacheDouble(
  options: ActionsCacheDoubleOptions = {},
): Promise<ActionsCacheDouble> {
  const secret = randomBytes(32);
  const token = `cache-token-${randomBytes(8).toString('hex')}`;
  const entries: CacheEntry[] = [];
  const blobs = new Map<number, Buffer>();
  const blocks = new Map<string, Buffer>();
  const requests: CacheRequest[] = [];
  let nextId = 1;
  let clock = 0;

  const sign = (id: number, permission: 'r' | 'w'): string =>
    createHmac('sha256', secret).update(`${id}:${permission}`).digest('hex');
  const blobUrl = (id: number, permission: 'r' | 'w'): string =>
    `${url}/devstoreaccount1/actions-cache/${id}?sp=${permission}&sig=${sign(id, permission)}`;

  const twirp: Record<string, (body: Record<string, unknown>) => [number, unknown]> = {
    CreateCacheEntry: (body) => {
      const { key, version } = body as { key?: string; version?: string };
      if (!key || !version) return [400, { code: 'invalid_argument', msg: 'key and version are required' }];
      if (key.length > 512)
        return [400, { code: 'invalid_argument', msg: 'key is longer than 512 characters' }];
      if (entries.some((e) => e.key === key && e.version === version)) {
        return [
          409,
          { code: 'already_exists', msg: 'cache entry with the same key, version, and scope already exists' },
        ];
      }
      const entry: CacheEntry = { key, version, id: nextId++, created: ++clock, finalized: false };
      entries.push(entry);
      return [200, { ok: true, signed_upload_url: blobUrl(entry.id, 'w') }];
    },
    FinalizeCacheEntryUpload: (body) => {
      const { key, version, size_bytes } = body as { key?: string; version?: string; size_bytes?: string };
      const entry = entries.find((e) => e.key === key && e.version === version && !e.finalized);
      if (!entry) return [404, { code: 'not_found', msg: 'no cache entry is being uploaded for this key' }];
      const blob = blobs.get(entry.id);
      if (!blob || String(blob.length) !== String(size_bytes)) {
        return [
          400,
          { code: 'invalid_argument', msg: `uploaded ${blob?.length ?? 0} bytes, not ${size_bytes}` },
        ];
      }
      entry.size = blob.length;
      entry.finalized = true;
      return [200, { ok: true, entry_id: String(entry.id) }];
    },
    GetCacheEntryDownloadURL: (body) => {
      const {
        key,
        version,
        restore_keys = [],
      } = body as {
        key?: string;
        version?: string;
        restore_keys?: string[];
      };
      const ready = entries
        .filter((e) => e.finalized && e.version === version)
        .sort((a, b) => b.created - a.created);
      const match =
        ready.find((e) => e.key === key) ??
        restore_keys.map((prefix) => ready.find((e) => e.key.startsWith(prefix))).find(Boolean);
      if (!match) return [200, { ok: false }];
      return [200, { ok: true, signed_download_url: blobUrl(match.id, 'r'), matched_key: match.key }];
    },
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const reply = (
        operation: string,
        status: number,
        payload?: Buffer | string,
        headers: http.OutgoingHttpHeaders = {},
      ): void => {
        requests.push({ method: req.method ?? '', operation, status });
        res.writeHead(status, {
          'x-ms-request-id': randomBytes(8).toString('hex'),
          'x-ms-version': '2024-11-04',
          ...(payload !== undefined
            ? { 'content-length': Buffer.byteLength(payload) }
            : { 'content-length': 0 }),
          ...headers,
        });
        res.end(payload);
      };
      const requestUrl = new URL(req.url ?? '/', url);
      if (requestUrl.pathname.startsWith(SERVICE)) {
        const method = requestUrl.pathname.slice(SERVICE.length);
        const handler = twirp[method];
        const json = (status: number, value: unknown): void =>
          reply(method, status, JSON.stringify(value), { 'content-type': 'application/json' });
        if (req.method !== 'POST' || !handler)
          return json(404, { code: 'bad_route', msg: `no method ${method}` });
        if (req.headers.authorization !== `Bearer ${token}`) {
          return json(401, { code: 'unauthenticated', msg: 'a valid ACTIONS_RUNTIME_TOKEN is required' });
        }
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        } catch {
          return json(400, { code: 'malformed', msg: 'the body is not JSON' });
        }
        const [status, value] = handler(parsed);
        return json(status, value);
      }
      const blob = /^\/devstoreaccount1\/actions-cache\/(\d+)$/.exec(requestUrl.pathname);
      if (!blob) return reply('unknown', 404);
      const id = Number(blob[1]);
      const permission = requestUrl.searchParams.get('sp');
      const signature = Buffer.from(requestUrl.searchParams.get('sig') ?? '');
      const wanted = req.method === 'GET' || req.method === 'HEAD' ? 'r' : 'w';
      const expected = Buffer.from(sign(id, wanted));
      if (
        permission !== wanted ||
        signature.length !== expected.length ||
        !timingSafeEqual(signature, expected)
      ) {
        return reply(
          `blob:${req.method?.toLowerCase()}`,
          403,
          '<Error><Code>AuthenticationFailed</Code></Error>',
        );
      }
      if (wanted === 'r') {
        const bytes = blobs.get(id);
        if (!bytes) return reply('blob:get', 404, '<Error><Code>BlobNotFound</Code></Error>');
        if (options.send && req.method === 'GET') {
          requests.push({ method: 'GET', operation: 'blob:get', status: 200 });
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
          return void options.send(res, bytes);
        }
        return reply('blob:get', 200, req.method === 'HEAD' ? undefined : bytes, {
          'content-type': 'application/octet-stream',
          'content-length': bytes.length,
        });
      }
      if (entries.find((e) => e.id === id)?.finalized !== false) {
        return reply('blob:put', 409, '<Error><Code>BlobImmutable</Code></Error>');
      }
      const comp = requestUrl.searchParams.get('comp');
      const created = { etag: `"0x${id.toString(16)}"`, 'last-modified': new Date().toUTCString() };
      if (comp === 'block') {
        blocks.set(`${id}:${requestUrl.searchParams.get('blockid')}`, body);
        return reply('blob:block', 201, undefined, created);
      }
      if (comp === 'blocklist') {
        const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)</g)].map(
          (m) => m[1]!,
        );
        const parts = ids.map((blockId) => blocks.get(`${id}:${blockId}`));
        if (parts.some((part) => part === undefined)) {
          return reply('blob:blocklist', 400, '<Error><Code>InvalidBlockList</Code></Error>');
        }
        blobs.set(id, Buffer.concat(parts as Buffer[]));
        return reply('blob:blocklist', 201, undefined, created);
      }
      if (req.headers['x-ms-blob-type'] !== 'BlockBlob') {
        return reply('blob:put', 400, '<Error><Code>MissingRequiredHeader</Code></Error>');
      }
      blobs.set(id, body);
      return reply('blob:put', 201, undefined, created);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token,
    entries,
    requests,
    env: () => ({
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: `${url}/`,
      ACTIONS_RUNTIME_TOKEN: token,
    }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
