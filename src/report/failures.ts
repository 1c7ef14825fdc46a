/**
 * AWS errors in plain words. An error reaches the report as text (`describeError` writes
 * `Code: message`); this finds the error code in it, says what it means and what to do next.
 */

export interface Explanation {
  /** The AWS error code (`AccessDeniedException`), or a short name for errors that have none. */
  readonly code: string;
  /** What happened, in plain words. */
  readonly meaning: string;
  /** What to do; absent when there is nothing general to say. */
  readonly next?: string;
}

interface Rule {
  readonly test: RegExp;
  readonly code: string | ((match: RegExpExecArray) => string);
  readonly meaning: (match: RegExpExecArray) => string;
  readonly next?: (match: RegExpExecArray) => string;
}

const RULES: readonly Rule[] = [
  {
    test: /\b(AccessDenied(?:Exception)?)\b[\s\S]*?not authorized to perform: ([a-z0-9-]+:[A-Za-z0-9]+)/,
    code: (m) => m[1]!,
    meaning: (m) => `the role may not call \`${m[2]}\``,
    next: (m) => `allow \`${m[2]}\` in the role's policy (see Permissions in the README)`,
  },
  {
    test: /\b(AccessDenied(?:Exception)?|UnauthorizedOperation)\b/,
    code: (m) => m[1]!,
    meaning: () => 'the role is not allowed to do this',
    next: () => "compare the role's policy with Permissions in the README",
  },
  {
    test: /\b(ResourceConflictException)\b/,
    code: (m) => m[1]!,
    meaning: () => 'another update of the same resource was in progress',
    next: () => 'wait for the other deployment to finish, then re-run',
  },
  {
    test: /\b(PreconditionFailedException)\b/,
    code: (m) => m[1]!,
    meaning: () => 'the function kept changing while it was being updated (another writer)',
    next: () => 'stop the other writer or re-run when it is done',
  },
  {
    test: /\b(ThrottlingException|TooManyRequestsException|Throttling|RequestLimitExceeded|Rate exceeded)\b/,
    code: (m) => (m[1] === 'Rate exceeded' ? 'Throttling' : m[1]!),
    meaning: () => "AWS throttled the calls: the account's request quota is shared with every other tool",
    next: () => 'lower max-parallel, or re-run when other deployments are done',
  },
  {
    test: /\b(UnrecognizedClientException|InvalidClientTokenId|InvalidSignatureException)\b/,
    code: (m) => m[1]!,
    meaning: () => 'AWS does not accept these credentials in this region',
    next: () =>
      'check the region name, and enable it for the account if it is an opt-in region; check configure-aws-credentials',
  },
  {
    test: /\b(ExpiredToken(?:Exception)?|RequestExpired)\b/,
    code: (m) => m[1]!,
    meaning: () => 'the credentials expired during the run',
    next: () => 'give configure-aws-credentials a longer role-duration-seconds',
  },
  {
    test: /\b(?:getaddrinfo|ENOTFOUND)\b|Invalid region|Region is invalid|UnknownEndpoint/,
    code: 'UnknownRegion',
    meaning: () => 'there is no AWS endpoint for this region',
    next: () => 'check the spelling in `regions` (e.g. eu-west-1)',
  },
  {
    test: /<!doctype|<html|is not valid JSON|Unexpected token '<'|Deserialization error/i,
    code: 'NotAnAwsResponse',
    meaning: () => 'the answer was a web page, not an AWS API response',
    next: () =>
      'a proxy or an `AWS_ENDPOINT_URL_*` setting is in the way; check the runner’s network settings',
  },
  {
    test: /\b(CodeStorageExceededException)\b/,
    code: (m) => m[1]!,
    meaning: () => "the account's Lambda code storage (75 GB per region) is full",
    next: () => 'delete old layer and function versions, e.g. with keep-versions',
  },
  {
    test: /\b(ResourceNotFoundException|ParameterNotFound|NoSuchBucket)\b/,
    code: (m) => m[1]!,
    meaning: () => 'AWS could not find the resource in this region',
    next: () => 'check the name and the region',
  },
  {
    test: /\b(InvalidParameterValueException|ValidationException|RequestEntityTooLargeException)\b/,
    code: (m) => m[1]!,
    meaning: () => 'AWS refused a value in the request',
  },
  {
    test: /\b(ServiceException|InternalFailure|ServiceUnavailable(?:Exception)?|InternalServerError)\b/,
    code: (m) => m[1]!,
    meaning: () => 'AWS had an internal error',
    next: () => 're-run; it usually passes',
  },
];

/** What an error text means; undefined when it names no AWS error this knows. */
export function explainAwsError(message: string): Explanation | undefined {
  for (const rule of RULES) {
    const match = rule.test.exec(message);
    if (!match) continue;
    return {
      code: typeof rule.code === 'string' ? rule.code : rule.code(match),
      meaning: rule.meaning(match),
      ...(rule.next ? { next: rule.next(match) } : {}),
    };
  }
  const code = /^([A-Z][A-Za-z]+(?:Exception|Error|Fault)): /.exec(message)?.[1];
  return code ? { code, meaning: 'AWS refused the request' } : undefined;
}

/** `AccessDeniedException` → `AccessDenied`: short enough for a verdict line. */
export function shortCode(code: string): string {
  return code.replace(/Exception$/, '');
}
