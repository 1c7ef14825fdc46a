/**
 * STS for the double: GetCallerIdentity, in STS's own protocol (awsQuery: a form-encoded POST with
 * `Action` and `Version`, answered in XML; errors as `<ErrorResponse>`). As strict as STS about the
 * request's shape: a GET, another content type, a missing or other Version, or an unknown Action is
 * refused the way STS refuses it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AwsError, type Reply, readBody, xmlEscape } from './http.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const VERSION = '2011-06-15';

export class StsService {
  constructor(
    private readonly accountId: string,
    /** The identity the double's credentials stand for. */
    private readonly userName = 'aws-double',
  ) {}

  async handle(req: IncomingMessage): Promise<{ operation: string; reply: Reply }> {
    const { body } = await readBody(req, 64 * 1024);
    const contentType = String(req.headers['content-type'] ?? '');
    if (req.method !== 'POST' || !contentType.startsWith('application/x-www-form-urlencoded')) {
      throw new AwsError(400, 'InvalidAction', 'Could not find operation for this request');
    }
    const form = new URLSearchParams(body.toString('utf8'));
    const operation = form.get('Action') ?? 'Unknown';
    if (form.get('Version') !== VERSION) {
      throw new AwsError(
        400,
        'InvalidAction',
        `Could not find operation ${operation} for version ${form.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
      );
    }
    if (operation !== 'GetCallerIdentity') {
      throw new AwsError(
        400,
        'InvalidAction',
        `Could not find operation ${operation} for version ${VERSION}`,
      );
    }
    const result =
      `<Arn>${xmlEscape(`arn:aws:iam::${this.accountId}:user/${this.userName}`)}</Arn>` +
      `<UserId>AIDAAWSDOUBLE0000USER</UserId><Account>${this.accountId}</Account>`;
    return {
      operation,
      reply: {
        status: 200,
        headers: { 'content-type': 'text/xml' },
        body:
          `<${operation}Response xmlns="${STS_NAMESPACE}"><${operation}Result>${result}</${operation}Result>` +
          `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${operation}Response>`,
      },
    };
  }
}

/** STS's error document (awsQuery): `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/>`. */
export function stsErrorBody(e: AwsError): string {
  const type = e.status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>${type}</Type><Code>${xmlEscape(e.type)}</Code>` +
    `<Message>${xmlEscape(e.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}
