/**
 * STS AssumeRole and GetCallerIdentity for the double, in the awsQuery protocol that @aws-sdk/client-sts speaks (a
 * form-encoded POST with `Action` and `Version`, an XML answer, XML `<ErrorResponse>` errors).
 *
 * Roles exist only once created (`createRole`), each trusting the accounts it names (by default the
 * double's main account), as IAM refuses anything else. Credentials it issues map their access key to
 * the role's account; every other service of the double then acts as that account. Credentials expire:
 * requests signed with expired ones get `ExpiredTokenException`, as AWS answers them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { wallMs } from './clock.js';
import { AwsError, xmlEscape } from './http.js';

export interface RoleModel {
  readonly arn: string;
  readonly accountId: string;
  readonly name: string;
  /** Accounts whose principals may assume it. */
  readonly trust: readonly string[];
  /** MaxSessionDuration, seconds (IAM's default 3600). */
  readonly maxSessionSeconds: number;
}

export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly accountId: string;
  readonly roleArn: string;
  readonly sessionName: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

export interface StsOptions {
  /**
   * Lifetime of the credentials AssumeRole issues, overriding DurationSeconds (a test of credentials that
   * expire mid-roll-out; AWS's shortest is 900 s). Default: DurationSeconds.
   */
  credentialSeconds?: number;
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export const stsError = (status: number, code: string, message: string): AwsError =>
  new AwsError(status, code, message, { Type: status >= 500 ? 'Receiver' : 'Sender' });

export class StsService {
  readonly roles = new Map<string, RoleModel>();
  /** By access key id. */
  readonly issued = new Map<string, IssuedCredentials>();

  constructor(private readonly options: StsOptions = {}) {}

  createRole(accountId: string, name: string, trust: readonly string[], maxSessionSeconds = 3600): RoleModel {
    const role = { arn: `arn:aws:iam::${accountId}:role/${name}`, accountId, name, trust, maxSessionSeconds };
    this.roles.set(role.arn, role);
    return role;
  }

  /**
   * The account a request acts as, from its access key: `main` for the double's own key, the role's
   * account for issued credentials (which must carry their session token and not be expired).
   */
  accountOf(
    accessKeyId: string,
    sessionToken: string | undefined,
    main: { key: string; account: string },
  ): string {
    // Long-term keys (any but the ASIA… keys STS issues) act as the main account, as before accounts existed.
    if (accessKeyId === main.key || !accessKeyId.startsWith('ASIA')) return main.account;
    const issued = this.issued.get(accessKeyId);
    if (!issued || issued.sessionToken !== sessionToken) {
      throw new AwsError(
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      );
    }
    if (wallMs() >= issued.expiresAt) {
      throw new AwsError(
        403,
        'ExpiredTokenException',
        'The security token included in the request is expired',
      );
    }
    return issued.accountId;
  }

  handle(callerAccount: string, form: URLSearchParams): string {
    const action = form.get('Action');
    if (form.get('Version') !== '2011-06-15') {
      throw stsError(
        400,
        'InvalidAction',
        `Could not find operation ${action} for version ${form.get('Version')}`,
      );
    }
    if (action === 'GetCallerIdentity') return this.callerIdentity(callerAccount);
    if (action !== 'AssumeRole')
      throw stsError(400, 'InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
    return this.assumeRole(callerAccount, form);
  }

  /** Who the credentials are: the double's user in the main account, or the account a role is in. */
  private callerIdentity(callerAccount: string): string {
    return (
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
      `<Arn>arn:aws:iam::${callerAccount}:user/aws-double</Arn><UserId>AIDAAWSDOUBLE0000USER</UserId>` +
      `<Account>${callerAccount}</Account></GetCallerIdentityResult>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
    );
  }

  private assumeRole(callerAccount: string, form: URLSearchParams): string {
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    const duration = form.get('DurationSeconds');
    const problems: string[] = [];
    if (roleArn.length < 20 || roleArn.length > 2048) {
      problems.push(
        `Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length between 20 and 2048`,
      );
    }
    if (!SESSION_NAME.test(sessionName)) {
      problems.push(
        `Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]* and length between 2 and 64`,
      );
    }
    const seconds = duration === null ? 3600 : Number(duration);
    if (!Number.isInteger(seconds) || seconds < 900 || seconds > 43200) {
      problems.push(
        `Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`,
      );
    }
    if (problems.length > 0) {
      throw stsError(
        400,
        'ValidationError',
        `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`,
      );
    }
    const role = this.roles.get(roleArn);
    if (!ROLE_ARN.test(roleArn) || !role || !role.trust.includes(callerAccount)) {
      throw stsError(
        403,
        'AccessDenied',
        `User: arn:aws:iam::${callerAccount}:user/double is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    }
    if (seconds > role.maxSessionSeconds) {
      throw stsError(
        400,
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      );
    }
    const issued: IssuedCredentials = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
      accountId: role.accountId,
      roleArn,
      sessionName,
      expiresAt: wallMs() + (this.options.credentialSeconds ?? seconds) * 1000,
    };
    this.issued.set(issued.accessKeyId, issued);
    const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
    return [
      '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
      '<AssumeRoleResult>',
      '<AssumedRoleUser>',
      `<AssumedRoleId>${roleId}:${xmlEscape(sessionName)}</AssumedRoleId>`,
      `<Arn>arn:aws:sts::${role.accountId}:assumed-role/${xmlEscape(role.name)}/${xmlEscape(sessionName)}</Arn>`,
      '</AssumedRoleUser>',
      '<Credentials>',
      `<AccessKeyId>${issued.accessKeyId}</AccessKeyId>`,
      `<SecretAccessKey>${xmlEscape(issued.secretAccessKey)}</SecretAccessKey>`,
      `<SessionToken>${xmlEscape(issued.sessionToken)}</SessionToken>`,
      `<Expiration>${new Date(issued.expiresAt).toISOString()}</Expiration>`,
      '</Credentials>',
      '</AssumeRoleResult>',
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>`,
      '</AssumeRoleResponse>',
    ].join('');
  }
}

/** STS's awsQuery error body. */
export function stsErrorBody(e: AwsError): string {
  const type = (e.extra['Type'] as string | undefined) ?? 'Sender';
  return (
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
    `<Error><Type>${type}</Type><Code>${xmlEscape(e.type)}</Code><Message>${xmlEscape(e.message)}</Message></Error>` +
    `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}
