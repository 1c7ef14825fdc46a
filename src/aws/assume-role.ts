/**
 * Credentials for another account: STS AssumeRole with the job's own credentials, shared by every
 * region's client of that account and refreshed before they expire, so a roll-out longer than a
 * session (an hour by default) keeps going. The SDK's clients also re-ask a provider whose credentials
 * are within five minutes of expiring; this provider then assumes the role again, once for all callers.
 */
import type { STSClient } from '@aws-sdk/client-sts';

export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export type CredentialProvider = () => Promise<TemporaryCredentials>;

/** What the SDK's clients allow before they ask again; a shorter session refreshes at a quarter of its life. */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** An hour: IAM's default MaxSessionDuration, so any role accepts it. */
const SESSION_SECONDS = 3600;

/** `sts` makes (or reuses) the client on first use: a run that assumes no role never loads STS. */
export function assumedRole(
  sts: () => Promise<STSClient>,
  roleArn: string,
  roleSessionName: string,
): CredentialProvider {
  let current: Promise<TemporaryCredentials> | undefined;
  let refreshAt = 0;
  const assume = async (): Promise<TemporaryCredentials> => {
    const asked = Date.now();
    const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const { Credentials: c } = await (
      await sts()
    ).send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: roleSessionName,
        DurationSeconds: SESSION_SECONDS,
      }),
    );
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new Error(`STS answered AssumeRole of ${roleArn} without credentials`);
    }
    const expires = c.Expiration.getTime();
    refreshAt = expires - Math.min(REFRESH_MARGIN_MS, (expires - asked) / 4);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  };
  return () => {
    if (!current || Date.now() >= refreshAt) {
      refreshAt = Infinity; // callers meanwhile share this request
      const next = assume();
      current = next;
      // A failed AssumeRole is not kept: the next caller tries again (and gets STS's error if it fails).
      next.catch(() => {
        if (current === next) {
          current = undefined;
          refreshAt = 0;
        }
      });
    }
    return current;
  };
}

/**
 * The session name CloudTrail shows for every call in another account: the repository and the run id,
 * in the characters STS allows ([\w+=,.@-], 2 to 64), keeping the run id whole.
 */
export function sessionName(env: NodeJS.ProcessEnv): string {
  const run = (env['GITHUB_RUN_ID'] ?? '').replace(/[^\w+=,.@-]/g, '');
  const repository = (env['GITHUB_REPOSITORY'] || 'lambda-layer-release').replace(/[^\w+=,.@-]/g, '-');
  const suffix = run ? `@${run.slice(0, 40)}` : '';
  return `${repository.slice(0, 64 - suffix.length)}${suffix}`.padEnd(2, '-');
}
