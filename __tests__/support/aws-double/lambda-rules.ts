import { Runtime } from '@aws-sdk/client-lambda';
import { AwsError, type Reply } from './http.js';

/** Lambda's documented limits, as the service enforces them. */
export const LAMBDA_LIMITS = {
  layersPerFunction: 5,
  unzippedBytes: 262_144_000,
  /** Largest request body (a 50 MB zip, base64 in JSON). */
  requestBytes: 69_905_067,
  layerNameLength: 140,
  descriptionLength: 256,
  licenseInfoLength: 512,
  compatibleRuntimes: 15,
  compatibleArchitectures: 2,
  listFunctionsPage: 50,
  listLayersPage: 50,
  defaultCodeStorageBytes: 80_530_636_800,
} as const;

export const RUNTIMES = new Set<string>(Object.values(Runtime));
export const ARCHITECTURES = new Set(['x86_64', 'arm64']);

export const LAYER_NAME_PATTERN =
  '(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+';
export const LAYER_VERSION_ARN_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)';
export const FUNCTION_NAME_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
export const FUNCTION_NAME_PARTS =
  /^(?:arn:[a-zA-Z-]*:lambda:)?(?:(?<region>(?:eusc-)?[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?(?:(?<account>\d{12}):)?(?:function:)?(?<name>[a-zA-Z0-9-_.]+)(?::(?<qualifier>\$LATEST|[a-zA-Z0-9-_]+))?$/;
export const ROLE_PATTERN = 'arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+';
export const STATEMENT_ID_PATTERN = '([a-zA-Z0-9-_]+)';
export const PRINCIPAL_PATTERN = '\\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root';
export const ORG_ID_PATTERN = 'o-[a-z0-9]{10,32}';
export const ALIAS_PATTERN = '(?!^[0-9]+$)([a-zA-Z0-9-_]+)';
export const VERSION_PATTERN = '(\\$LATEST|[0-9]+)';

export const STALE_REVISION =
  'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id';

export interface LambdaOptions {
  accountId: string;
  organizationId?: string;
  updateLatencyMs: number;
  codeStorageLimitBytes: number;
  /** Base URL of the double, for `Location` download links. */
  url: string;
  /** Answer in the forms LocalStack and moto use (see `AwsDoubleOptions.flavour`). */
  emulator: boolean;
  /** false: no RevisionId on functions and aliases, also in the aws flavour (see `AwsDoubleOptions`). */
  revisionIds?: boolean;
}

export interface LambdaRequest {
  operation: string;
  region: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** Set by an `update-fails` fault: how the update will end. */
  failUpdate?: { reason?: string; reasonCode?: string };
}

export const lambdaError = (
  status: number,
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => new AwsError(status, type, message, { Type: status >= 500 ? 'Service' : 'User', ...extra }, headers);

export const invalidParameter = (message: string) =>
  lambdaError(400, 'InvalidParameterValueException', message);
export const notFound = (message: string) => lambdaError(404, 'ResourceNotFoundException', message);
export const conflict = (message: string) => lambdaError(409, 'ResourceConflictException', message);
export const preconditionFailed = (message: string) =>
  lambdaError(412, 'PreconditionFailedException', message);
export const serviceException = () =>
  lambdaError(500, 'ServiceException', 'An internal error occurred. Please retry the request.');
export const tooManyRequests = (retryAfterSeconds: number) =>
  lambdaError(
    429,
    'TooManyRequestsException',
    'Rate exceeded',
    { Reason: 'CallerRateLimitExceeded' },
    { 'Retry-After': String(retryAfterSeconds) },
  );
export const requestTooLarge = (operation: string) =>
  lambdaError(
    413,
    'RequestEntityTooLargeException',
    `Request must be smaller than ${LAMBDA_LIMITS.requestBytes} bytes for the ${operation} operation`,
  );
export const accessDenied = (message: string) => lambdaError(403, 'AccessDeniedException', message);
export const LAYER_NOT_FOUND = 'The resource you requested does not exist.';

/** Coral-style constraint checking: all violations of a request, reported together as a ValidationException. */
export class Constraints {
  private readonly violations: string[] = [];

  pattern(value: unknown, at: string, pattern: string): this {
    if (typeof value === 'string' && !new RegExp(`^(?:${pattern})$`).test(value))
      this.violations.push(
        `Value '${value}' at '${at}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
      );
    return this;
  }

  maxLength(value: unknown, at: string, max: number): this {
    const length = typeof value === 'string' || Array.isArray(value) ? value.length : undefined;
    if (length !== undefined && length > max)
      this.violations.push(
        `Value ${show(value)} at '${at}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
      );
    return this;
  }

  minLength(value: unknown, at: string, min: number): this {
    const length = typeof value === 'string' || Array.isArray(value) ? value.length : undefined;
    if (length !== undefined && length < min)
      this.violations.push(
        `Value ${show(value)} at '${at}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`,
      );
    return this;
  }

  range(value: unknown, at: string, min: number, max: number): this {
    if (typeof value === 'number' && value < min)
      this.violations.push(
        `Value '${value}' at '${at}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
      );
    if (typeof value === 'number' && value > max)
      this.violations.push(
        `Value '${value}' at '${at}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
      );
    return this;
  }

  required(value: unknown, at: string): this {
    if (value === undefined || value === null)
      this.violations.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
    return this;
  }

  members(values: unknown, at: string, allowed: ReadonlySet<string>): this {
    if (Array.isArray(values) && values.some((v) => typeof v !== 'string' || !allowed.has(v)))
      this.violations.push(
        `Value ${show(values)} at '${at}' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${[...allowed].join(', ')}]]`,
      );
    return this;
  }

  eachPattern(values: unknown, at: string, pattern: string): this {
    if (
      Array.isArray(values) &&
      values.some((v) => typeof v !== 'string' || !new RegExp(`^(?:${pattern})$`).test(v))
    )
      this.violations.push(
        `Value ${show(values)} at '${at}' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy regular expression pattern: ${pattern}]`,
      );
    return this;
  }

  check(): void {
    const n = this.violations.length;
    if (n === 0) return;
    throw new AwsError(
      400,
      'ValidationException',
      `${n} validation error${n > 1 ? 's' : ''} detected: ${this.violations.join('; ')}`,
      {},
      {
        // What Lambda's front end sends; the SDK keeps the part before ':'.
        'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/',
      },
    );
  }
}

export function show(value: unknown): string {
  return Array.isArray(value) ? `'[${value.join(', ')}]'` : `'${String(value)}'`;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
export const strList = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

/** Opaque pagination markers, like Lambda's. */
export const encodeMarker = (value: string | number): string =>
  Buffer.from(JSON.stringify({ after: value })).toString('base64url');
export function decodeMarker(marker: string | null): string | number | undefined {
  if (marker === null || marker === '') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(marker, 'base64url').toString()) as { after?: unknown };
    if (typeof parsed.after === 'string' || typeof parsed.after === 'number') return parsed.after;
  } catch {
    // fall through
  }
  throw invalidParameter('Invalid marker value.');
}

/** The reply of a delete: Lambda's 204 without a body, or an emulator's 200 with `{}` (moto). */
export function deleted(options: Pick<LambdaOptions, 'emulator'>): Reply {
  return options.emulator ? { status: 200, body: {} } : { status: 204 };
}

/** A date as moto writes CreatedDate and LastModified: `2024-01-31 12:34:56` (no `T`, no zone). */
export function motoDate(iso: string): string {
  return iso.slice(0, 19).replace('T', ' ');
}

export function maxItems(query: URLSearchParams, max: number, upper: number): number {
  const raw = query.get('MaxItems');
  if (raw === null) return max;
  const n = Number(raw);
  new Constraints().range(n, 'maxItems', 1, upper).check();
  return Math.min(n, max);
}

export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
