import type { IncomingMessage } from 'node:http';

export type Service = 'lambda' | 'ssm' | 's3' | 'monitoring' | 'sts';

/**
 * An AWS error as the double will put it on the wire. Each service renders it in its own protocol
 * (Lambda: `x-amzn-errortype` + JSON, SSM: `__type` JSON, S3: XML `<Error>`).
 */
export class AwsError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = type;
  }
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON value (serialized by the service), a string/Buffer, or a stream for S3 bodies. */
  body?: unknown;
}

/** The signing scope of a request: where the SDK thinks it is talking to. */
export interface Scope {
  accessKeyId: string;
  region: string;
  service: string;
}

const CREDENTIAL = /Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request/;

/** Region and service from the SigV4 Authorization header (or a presigned URL's X-Amz-Credential). */
export function signingScope(req: IncomingMessage, url: URL): Scope | undefined {
  const auth = req.headers.authorization;
  const credential = auth
    ? CREDENTIAL.exec(auth)
    : CREDENTIAL.exec(`Credential=${url.searchParams.get('X-Amz-Credential') ?? ''}`);
  if (!credential) return undefined;
  const [, accessKeyId = '', , region = '', service = ''] = credential;
  return { accessKeyId, region, service };
}

/** Reads a whole (small) request body; past `limit` it keeps draining but reports `tooLarge`. */
export async function readBody(
  req: IncomingMessage,
  limit = Infinity,
): Promise<{ body: Buffer; size: number; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return { body: size <= limit ? Buffer.concat(chunks) : Buffer.alloc(0), size, tooLarge: size > limit };
}

/**
 * Decodes `Content-Encoding: aws-chunked` (what the S3 client sends for streaming bodies with flexible
 * checksums: `STREAMING-UNSIGNED-PAYLOAD-TRAILER`, or signed chunks with `;chunk-signature=`):
 * `<hex size>[;ext]\r\n<bytes>\r\n` … `0\r\n<trailer>: <value>\r\n\r\n`. Trailers land in `trailers`.
 */
export async function* decodeAwsChunked(
  source: AsyncIterable<Buffer>,
  trailers: Record<string, string>,
): AsyncGenerator<Buffer> {
  let buffer: Buffer = Buffer.alloc(0);
  let remaining = -1; // bytes left in the current chunk; -1 = expecting a size line
  let inTrailers = false;
  let done = false;
  const fail = (why: string): never => {
    throw new AwsError(400, 'IncompleteBody', `Malformed aws-chunked body: ${why}`);
  };
  for await (const chunk of source) {
    if (done) continue;
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    for (;;) {
      if (remaining > 0) {
        if (buffer.length === 0) break;
        const take = Math.min(remaining, buffer.length);
        yield buffer.subarray(0, take);
        buffer = buffer.subarray(take);
        remaining -= take;
        if (remaining > 0) break;
        remaining = -2; // expecting the CRLF after the data
      }
      if (remaining === -2) {
        if (buffer.length < 2) break;
        if (buffer[0] !== 0x0d || buffer[1] !== 0x0a) fail('missing CRLF after chunk data');
        buffer = buffer.subarray(2);
        remaining = -1;
      }
      const eol = buffer.indexOf('\r\n');
      if (eol < 0) break;
      const line = buffer.subarray(0, eol).toString('latin1');
      buffer = buffer.subarray(eol + 2);
      if (inTrailers) {
        if (line === '') {
          done = true;
          break;
        }
        const colon = line.indexOf(':');
        if (colon < 0) fail(`bad trailer line ${JSON.stringify(line)}`);
        trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        continue;
      }
      const size = Number.parseInt(line.split(';')[0] ?? '', 16);
      if (!Number.isFinite(size) || size < 0) fail(`bad chunk size line ${JSON.stringify(line)}`);
      if (size === 0) {
        inTrailers = true;
        continue;
      }
      remaining = size;
    }
  }
  if (!done && !(inTrailers && buffer.length === 0)) fail('body ended early');
}

export function xmlEscape(value: string): string {
  return value.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );
}

export function xmlUnescape(value: string): string {
  return value.replace(/&(lt|gt|amp|apos|quot|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    switch (e) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'apos':
        return "'";
      case 'quot':
        return '"';
      default:
        return String.fromCodePoint(
          e.startsWith('#x') ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
        );
    }
  });
}

/** Text of every `<tag>…</tag>` in `xml` (no nesting of the same tag; enough for S3 request bodies). */
export function xmlAll(xml: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g');
  for (const m of xml.matchAll(re)) out.push(m[1] ?? '');
  return out;
}

export function xmlOne(xml: string, tag: string): string | undefined {
  const v = xmlAll(xml, tag)[0];
  return v === undefined ? undefined : xmlUnescape(v);
}
