import { createHash, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { crc32 } from 'node:zlib';
import {
  type BlobStore,
  blobStream,
  concatBlobs,
  crc32Base64,
  type Digests,
  type StoredBlob,
} from './blobs.js';
import { wallMs } from './clock.js';
import { AwsError, decodeAwsChunked, type Reply, xmlAll, xmlEscape, xmlOne } from './http.js';
import type { BucketModel, DoubleState, MultipartUpload, ObjectModel } from './model.js';

const MIN_PART_BYTES = 5 * 1024 * 1024;

const s3Error = (
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => new AwsError(status, code, message, extra, headers);

export const s3Internal = () =>
  s3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
export const s3SlowDown = () => s3Error(503, 'SlowDown', 'Please reduce your request rate.');

const noSuchBucket = (bucket: string) =>
  s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
const noSuchKey = (key: string) =>
  s3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
const noSuchUpload = (uploadId: string) =>
  s3Error(
    404,
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    {
      UploadId: uploadId,
    },
  );

export interface S3Route {
  operation: string;
  bucket?: string;
  key?: string;
}

/** Bucket and key from a path-style (`/bucket/key`) or virtual-hosted (`bucket.localhost:PORT`) request. */
export function routeS3(
  method: string,
  host: string | undefined,
  pathname: string,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
): S3Route {
  const hostname = (host ?? '').replace(/:\d+$/, '');
  const virtual = /^(.+)\.localhost$/.exec(hostname)?.[1];
  const path = pathname.replace(/^\//, '');
  let bucket: string | undefined;
  let rawKey: string;
  if (virtual) {
    bucket = virtual;
    rawKey = path;
  } else {
    const slash = path.indexOf('/');
    bucket = (slash < 0 ? path : path.slice(0, slash)) || undefined;
    rawKey = slash < 0 ? '' : path.slice(slash + 1);
  }
  const key = rawKey ? decodeURIComponent(rawKey) : undefined;
  const op = (operation: string): S3Route => ({
    operation,
    ...(bucket !== undefined ? { bucket: decodeURIComponent(bucket) } : {}),
    ...(key !== undefined ? { key } : {}),
  });
  if (bucket === undefined) return op(method === 'GET' ? 'ListBuckets' : 'Unknown');
  if (key === undefined) {
    if (method === 'PUT') return op('CreateBucket');
    if (method === 'HEAD') return op('HeadBucket');
    if (method === 'DELETE') return op('DeleteBucket');
    if (method === 'GET' && query.get('list-type') === '2') return op('ListObjectsV2');
    return op('Unknown');
  }
  switch (method) {
    case 'PUT':
      if (query.has('uploadId') && query.has('partNumber')) return op('UploadPart');
      if (headers['x-amz-copy-source']) return op('CopyObject');
      return op('PutObject');
    case 'POST':
      if (query.has('uploads')) return op('CreateMultipartUpload');
      if (query.has('uploadId')) return op('CompleteMultipartUpload');
      return op('Unknown');
    case 'DELETE':
      return op(query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject');
    case 'HEAD':
      return op('HeadObject');
    case 'GET':
      return op(query.has('uploadId') ? 'ListParts' : 'GetObject');
    default:
      return op('Unknown');
  }
}

export interface S3Request {
  route: S3Route;
  region: string;
  req: IncomingMessage;
  query: URLSearchParams;
}

const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
const COMPUTED: Partial<Record<string, keyof Digests>> = {
  crc32: 'crc32Base64',
  sha1: 'sha1Base64',
  sha256: 'sha256Base64',
};

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

/** S3, REST XML: buckets, objects (big ones on disk) and multipart uploads. */
export class S3Service {
  constructor(
    private readonly state: DoubleState,
    private readonly blobs: BlobStore,
  ) {}

  createBucket(region: string, name: string): BucketModel {
    const bucket: BucketModel = { name, region, objects: new Map(), uploads: new Map() };
    this.state.buckets.set(name, bucket);
    return bucket;
  }

  async handle(r: S3Request): Promise<Reply> {
    switch (r.route.operation) {
      case 'CreateBucket':
        return this.createBucketOp(r);
      case 'HeadBucket':
        this.bucket(r);
        return { status: 200, headers: { 'x-amz-bucket-region': this.bucket(r).region } };
      case 'DeleteBucket': {
        const b = this.bucket(r);
        if (b.objects.size)
          throw s3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', {
            BucketName: b.name,
          });
        this.state.buckets.delete(b.name);
        return { status: 204 };
      }
      case 'ListObjectsV2':
        return this.listObjects(r);
      case 'PutObject':
        return this.putObject(r);
      case 'GetObject':
      case 'HeadObject':
        return this.getObject(r, r.route.operation === 'HeadObject');
      case 'DeleteObject':
        this.bucket(r).objects.delete(r.route.key ?? '');
        return { status: 204 };
      case 'CreateMultipartUpload':
        return this.createMultipartUpload(r);
      case 'UploadPart':
        return this.uploadPart(r);
      case 'CompleteMultipartUpload':
        return this.completeMultipartUpload(r);
      case 'AbortMultipartUpload': {
        const b = this.bucket(r);
        const id = r.query.get('uploadId') ?? '';
        if (!b.uploads.delete(id)) throw noSuchUpload(id);
        return { status: 204 };
      }
      default:
        throw s3Error(
          501,
          'NotImplemented',
          `The aws double does not implement ${r.route.operation} (${r.req.method} ${r.req.url}).`,
        );
    }
  }

  private bucket(r: S3Request): BucketModel {
    const name = r.route.bucket ?? '';
    const b = this.state.buckets.get(name);
    if (!b) throw noSuchBucket(name);
    if (b.region !== r.region)
      throw s3Error(
        400,
        'AuthorizationHeaderMalformed',
        `The authorization header is malformed; the region '${r.region}' is wrong; expecting '${b.region}'`,
        { Region: b.region },
        { 'x-amz-bucket-region': b.region },
      );
    return b;
  }

  private async createBucketOp(r: S3Request): Promise<Reply> {
    const name = r.route.bucket ?? '';
    let body = '';
    for await (const chunk of r.req as AsyncIterable<Buffer>) body += chunk.toString();
    const constraint = xmlOne(body, 'LocationConstraint');
    const region = constraint || 'us-east-1';
    if (region !== r.region)
      throw s3Error(
        400,
        'IllegalLocationConstraintException',
        constraint
          ? `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`
          : 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
      );
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name))
      throw s3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name });
    if (this.state.buckets.has(name)) {
      if (region === 'us-east-1') return { status: 200, headers: { Location: `/${name}` } };
      throw s3Error(
        409,
        'BucketAlreadyOwnedByYou',
        'Your previous request to create the named bucket succeeded and you already own it.',
        { BucketName: name },
      );
    }
    this.createBucket(region, name);
    return { status: 200, headers: { Location: `/${name}` } };
  }

  /** Reads an upload body (plain, or aws-chunked with trailing checksums) and checks its declared digests. */
  private async receive(
    r: S3Request,
  ): Promise<{ stored: StoredBlob; checksum?: { algorithm: string; value: string } }> {
    const h = r.req.headers;
    const chunked =
      String(h['content-encoding'] ?? '').includes('aws-chunked') ||
      String(h['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
    const trailers: Record<string, string> = {};
    const source = chunked
      ? decodeAwsChunked(r.req as AsyncIterable<Buffer>, trailers)
      : (r.req as AsyncIterable<Buffer>);
    const stored = await this.blobs.store(source);
    const decodedLength = h['x-amz-decoded-content-length'];
    if (chunked && decodedLength !== undefined && Number(decodedLength) !== stored.blob.size)
      throw s3Error(
        400,
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header.',
      );
    const md5 = h['content-md5'];
    if (typeof md5 === 'string' && Buffer.from(stored.md5Hex, 'hex').toString('base64') !== md5)
      throw s3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    let checksum: { algorithm: string; value: string } | undefined;
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const value =
        (h[`x-amz-checksum-${algorithm}`] as string | undefined) ?? trailers[`x-amz-checksum-${algorithm}`];
      if (value === undefined) continue;
      const digest = COMPUTED[algorithm];
      if (digest && stored[digest] !== value)
        throw s3Error(
          400,
          'BadDigest',
          `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
        );
      checksum = { algorithm, value };
    }
    return checksum ? { stored, checksum } : { stored };
  }

  private async putObject(r: S3Request): Promise<Reply> {
    const b = this.bucket(r);
    const { stored, checksum } = await this.receive(r);
    const object: ObjectModel = {
      key: r.route.key ?? '',
      blob: stored.blob,
      etag: `"${stored.md5Hex}"`,
      digests: digestsOf(stored),
      contentType: String(r.req.headers['content-type'] ?? 'binary/octet-stream'),
      lastModified: new Date(Math.floor(wallMs() / 1000) * 1000),
      // S3 computes a CRC64NVME full-object checksum when the client sends none; the double keeps CRC32.
      checksum: checksum
        ? { ...checksum, type: 'FULL_OBJECT' }
        : { algorithm: 'crc32', value: stored.crc32Base64, type: 'FULL_OBJECT' },
      metadata: metadataOf(r.req.headers),
    };
    b.objects.set(object.key, object);
    return {
      status: 200,
      headers: {
        ETag: object.etag,
        'x-amz-server-side-encryption': 'AES256',
        ...(checksum
          ? { [`x-amz-checksum-${checksum.algorithm}`]: checksum.value, 'x-amz-checksum-type': 'FULL_OBJECT' }
          : {}),
      },
    };
  }

  private getObject(r: S3Request, head: boolean): Reply {
    const b = this.bucket(r);
    const key = r.route.key ?? '';
    const object = b.objects.get(key);
    if (!object) throw noSuchKey(key);
    const headers: Record<string, string> = {
      'Content-Type': object.contentType,
      ETag: object.etag,
      'Last-Modified': object.lastModified.toUTCString(),
      'Accept-Ranges': 'bytes',
      'x-amz-server-side-encryption': 'AES256',
    };
    for (const [k, v] of Object.entries(object.metadata)) headers[`x-amz-meta-${k}`] = v;
    const size = object.blob.size;
    const range = parseRange(r.req.headers.range, size);
    if (range === 'invalid')
      throw s3Error(416, 'InvalidRange', 'The requested range is not satisfiable', {
        ActualObjectSize: size,
      });
    if (range) {
      headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
      headers['Content-Length'] = String(range.end - range.start + 1);
      return { status: 206, headers, ...(head ? {} : { body: blobStream(object.blob, range) }) };
    }
    if (r.req.headers['x-amz-checksum-mode'] === 'ENABLED' && object.checksum) {
      headers[`x-amz-checksum-${object.checksum.algorithm}`] = object.checksum.value;
      headers['x-amz-checksum-type'] = object.checksum.type;
    }
    headers['Content-Length'] = String(size);
    return { status: 200, headers, ...(head ? {} : { body: blobStream(object.blob) }) };
  }

  private listObjects(r: S3Request): Reply {
    const b = this.bucket(r);
    const prefix = r.query.get('prefix') ?? '';
    const maxKeys = Math.min(1000, Number(r.query.get('max-keys') ?? 1000));
    const token = r.query.get('continuation-token');
    const startAfter = token
      ? Buffer.from(token, 'base64url').toString()
      : (r.query.get('start-after') ?? '');
    const keys = [...b.objects.keys()].filter((k) => k.startsWith(prefix) && k > startAfter).sort();
    const page = keys.slice(0, maxKeys);
    const truncated = keys.length > page.length;
    const contents = page
      .map((k) => {
        const o = b.objects.get(k) as ObjectModel;
        return `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.blob.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join('');
    const next = truncated
      ? `<NextContinuationToken>${Buffer.from(page.at(-1) ?? '').toString('base64url')}</NextContinuationToken>`
      : '';
    return {
      status: 200,
      headers: { 'Content-Type': 'application/xml' },
      body: xml(
        `<ListBucketResult ${NS}><Name>${xmlEscape(b.name)}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
      ),
    };
  }

  private createMultipartUpload(r: S3Request): Reply {
    const b = this.bucket(r);
    const algorithm = r.req.headers['x-amz-checksum-algorithm'];
    const upload: MultipartUpload = {
      uploadId: randomUUID().replace(/-/g, ''),
      key: r.route.key ?? '',
      contentType: String(r.req.headers['content-type'] ?? 'binary/octet-stream'),
      ...(typeof algorithm === 'string' ? { checksumAlgorithm: algorithm.toLowerCase() } : {}),
      metadata: metadataOf(r.req.headers),
      parts: new Map(),
    };
    b.uploads.set(upload.uploadId, upload);
    r.req.resume();
    return {
      status: 200,
      headers: {
        'Content-Type': 'application/xml',
        ...(upload.checksumAlgorithm
          ? {
              'x-amz-checksum-algorithm': upload.checksumAlgorithm.toUpperCase(),
              'x-amz-checksum-type': 'COMPOSITE',
            }
          : {}),
      },
      body: xml(
        `<InitiateMultipartUploadResult ${NS}><Bucket>${xmlEscape(b.name)}</Bucket><Key>${xmlEscape(upload.key)}</Key><UploadId>${upload.uploadId}</UploadId></InitiateMultipartUploadResult>`,
      ),
    };
  }

  private upload(b: BucketModel, r: S3Request): MultipartUpload {
    const id = r.query.get('uploadId') ?? '';
    const upload = b.uploads.get(id);
    if (!upload || upload.key !== r.route.key) throw noSuchUpload(id);
    return upload;
  }

  private async uploadPart(r: S3Request): Promise<Reply> {
    const b = this.bucket(r);
    const upload = this.upload(b, r);
    const partNumber = Number(r.query.get('partNumber'));
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000)
      throw s3Error(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', {
        ArgumentName: 'partNumber',
        ArgumentValue: String(r.query.get('partNumber')),
      });
    const { stored, checksum } = await this.receive(r);
    const etag = `"${stored.md5Hex}"`;
    const computed = upload.checksumAlgorithm ? COMPUTED[upload.checksumAlgorithm] : undefined;
    const partChecksum =
      checksum ??
      (upload.checksumAlgorithm && computed
        ? { algorithm: upload.checksumAlgorithm, value: stored[computed] }
        : undefined);
    upload.parts.set(partNumber, {
      partNumber,
      blob: stored.blob,
      etag,
      md5Hex: stored.md5Hex,
      ...(partChecksum ? { checksum: partChecksum } : {}),
    });
    return {
      status: 200,
      headers: {
        ETag: etag,
        ...(partChecksum ? { [`x-amz-checksum-${partChecksum.algorithm}`]: partChecksum.value } : {}),
      },
    };
  }

  private async completeMultipartUpload(r: S3Request): Promise<Reply> {
    const b = this.bucket(r);
    const upload = this.upload(b, r);
    let body = '';
    for await (const chunk of r.req as AsyncIterable<Buffer>) body += chunk.toString();
    const requested = xmlAll(body, 'Part').map((p) => ({
      partNumber: Number(xmlOne(p, 'PartNumber')),
      etag: xmlOne(p, 'ETag') ?? '',
      checksums: Object.fromEntries(
        CHECKSUM_ALGORITHMS.map((a) => [a, xmlOne(p, `Checksum${a.toUpperCase()}`)] as const).filter(
          (e): e is readonly [(typeof CHECKSUM_ALGORITHMS)[number], string] => e[1] !== undefined,
        ),
      ),
    }));
    if (requested.length === 0)
      throw s3Error(
        400,
        'MalformedXML',
        'The XML you provided was not well-formed or did not validate against our published schema',
      );
    const invalidPart = () =>
      s3Error(
        400,
        'InvalidPart',
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      );
    const parts = requested.map((p, i) => {
      if (i > 0 && p.partNumber <= (requested[i - 1]?.partNumber ?? 0))
        throw s3Error(
          400,
          'InvalidPartOrder',
          'The list of parts was not in ascending order. Parts must be ordered by part number.',
        );
      const part = upload.parts.get(p.partNumber);
      if (!part || part.etag.replace(/"/g, '') !== p.etag.replace(/"/g, '')) throw invalidPart();
      for (const [algorithm, value] of Object.entries(p.checksums))
        if (part.checksum?.algorithm !== algorithm || part.checksum.value !== value) throw invalidPart();
      return part;
    });
    parts.forEach((part, i) => {
      if (i < parts.length - 1 && part.blob.size < MIN_PART_BYTES)
        throw s3Error(
          400,
          'EntityTooSmall',
          'Your proposed upload is smaller than the minimum allowed object size.',
          {
            ProposedSize: part.blob.size,
            MinSizeAllowed: MIN_PART_BYTES,
          },
        );
    });
    const stored = await this.blobs.store(concatBlobs(parts.map((p) => p.blob)));
    const etag = `"${createHash('md5')
      .update(Buffer.concat(parts.map((p) => Buffer.from(p.md5Hex, 'hex'))))
      .digest('hex')}-${parts.length}"`;
    const checksum = compositeChecksum(
      upload.checksumAlgorithm,
      parts.map((p) => p.checksum),
    );
    b.objects.set(upload.key, {
      key: upload.key,
      blob: stored.blob,
      etag,
      digests: digestsOf(stored),
      contentType: upload.contentType,
      lastModified: new Date(Math.floor(wallMs() / 1000) * 1000),
      ...(checksum
        ? {
            checksum: {
              algorithm: upload.checksumAlgorithm ?? '',
              value: checksum,
              type: 'COMPOSITE' as const,
            },
          }
        : {}),
      metadata: upload.metadata,
    });
    b.uploads.delete(upload.uploadId);
    const checksumXml =
      checksum && upload.checksumAlgorithm
        ? `<Checksum${upload.checksumAlgorithm.toUpperCase()}>${checksum}</Checksum${upload.checksumAlgorithm.toUpperCase()}><ChecksumType>COMPOSITE</ChecksumType>`
        : '';
    return {
      status: 200,
      headers: { 'Content-Type': 'application/xml', 'x-amz-server-side-encryption': 'AES256' },
      body: xml(
        `<CompleteMultipartUploadResult ${NS}><Location>/${xmlEscape(b.name)}/${xmlEscape(upload.key)}</Location><Bucket>${xmlEscape(b.name)}</Bucket><Key>${xmlEscape(upload.key)}</Key><ETag>${xmlEscape(etag)}</ETag>${checksumXml}</CompleteMultipartUploadResult>`,
      ),
    };
  }
}

function digestsOf(stored: StoredBlob): Digests {
  return {
    md5Hex: stored.md5Hex,
    sha256Base64: stored.sha256Base64,
    sha1Base64: stored.sha1Base64,
    crc32Base64: stored.crc32Base64,
  };
}

/** S3's COMPOSITE checksum: the checksum of the concatenated part checksums, suffixed with the part count. */
function compositeChecksum(
  algorithm: string | undefined,
  parts: ({ algorithm: string; value: string } | undefined)[],
): string | undefined {
  if (!algorithm || parts.some((p) => p?.algorithm !== algorithm)) return undefined;
  const raw = Buffer.concat(parts.map((p) => Buffer.from(p?.value ?? '', 'base64')));
  let value: string;
  if (algorithm === 'crc32') value = crc32Base64(crc32(raw));
  else if (algorithm === 'sha1' || algorithm === 'sha256')
    value = createHash(algorithm).update(raw).digest('base64');
  else return undefined;
  return `${value}-${parts.length}`;
}

function metadataOf(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (k.startsWith('x-amz-meta-') && typeof v === 'string') out[k.slice('x-amz-meta-'.length)] = v;
  return out;
}

function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'invalid' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const [, a = '', z = ''] = m;
  let start: number;
  let end: number;
  if (a === '') {
    start = Math.max(0, size - Number(z));
    end = size - 1;
  } else {
    start = Number(a);
    end = z === '' ? size - 1 : Math.min(Number(z), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}
