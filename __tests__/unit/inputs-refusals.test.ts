/**
 * Every hostile or careless input of issue 17 (and the input mistakes of issue 11), run through the real
 * pipeline against the AWS double over HTTP, with steps that would publish and roll out: each must be
 * refused with a message naming the input, and the double must have seen no write at all. The time of
 * each refusal is printed (a figure, not an assertion).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ZipFile } from 'yazl';
import { getInputs } from '../../src/inputs/index.js';
import { postComment } from '../../src/steps/comment.js';
import { startAwsDouble, type AwsDouble } from '../support/aws-double.js';
import { release, SIX, workspaceWithZip } from '../support/release.js';

const REGION = 'us-east-1';
const OTHER_ACCOUNT = '999999999999';
/** Operations that change nothing; anything else the double saw is a write. */
const READS = /^(Get|List)|^GetCallerIdentity$/;
const TOKEN = 'ghs_abcdefghijklmnopqrstuvwxyz0123456789';

let aws: AwsDouble;
let dir: string;
const timings: [string, number][] = [];

async function zipWithDuplicate(file: string): Promise<void> {
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from('A = 1\n'), 'python/a.py');
  zip.addBuffer(Buffer.from('A = 2\n'), 'python/a.py');
  zip.end();
  await new Promise<void>((resolve, reject) =>
    zip.outputStream.pipe(fs.createWriteStream(file)).on('close', resolve).on('error', reject),
  );
}

beforeAll(async () => {
  aws = await startAwsDouble();
  for (const name of ['api-one', 'api-two', 'api-three', 'api-four', 'api-five']) {
    aws.seedFunction({ region: REGION, name, runtime: 'python3.11' });
  }
  dir = await workspaceWithZip(SIX);
  fs.writeFileSync(path.join(dir, 'requirements.txt'), 'six\n');
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'requirements.txt'), 'six\n');
  fs.mkdirSync(path.join(dir, 'folder.zip'));
  fs.writeFileSync(path.join(dir, 'notes.zip'), 'this is text, not a zip\n');
  execFileSync('mkfifo', [path.join(dir, 'fifo.zip')]);
  await zipWithDuplicate(path.join(dir, 'dup.zip'));
});

afterAll(async () => {
  await aws.close();
  const rows = timings.map(([label, ms]) => `  ${ms.toFixed(0).padStart(5)} ms  ${label}`);
  const slowest = Math.max(...timings.map(([, ms]) => ms));
  process.stderr.write(
    `refusals (${timings.length}), slowest ${slowest.toFixed(0)} ms:\n${rows.join('\n')}\n`,
  );
});

const fn = (name: string, region = REGION, account = '123456789012'): string =>
  `arn:aws:lambda:${region}:${account}:function:${name}`;

/** [label, inputs over a publish + roll-out of layer.zip, the message expected in the error]. */
const CASES: [string, Record<string, string>, RegExp][] = [
  // 1-2. globs
  [
    'an unclosed bracket glob',
    { 'function-filter': '[' },
    /function-filter: "\[" is not a function name glob/,
  ],
  ['a glob with a shell character', { 'function-filter': 'api-*;ls' }, /function-filter: "api-\*;ls"/],
  ['a glob with ! inside', { 'function-filter': 'api!' }, /function-filter: "api!" .*! outside a bracket/],
  // 4. ARNs
  [
    'a function ARN of another account',
    { functions: fn('api-one', REGION, OTHER_ACCOUNT) },
    /functions: ".*:999999999999:function:api-one" is in account 999999999999, but the credentials are for 123456789012/,
  ],
  [
    'a function ARN of an unknown partition',
    { functions: 'arn:aws-bogus:lambda:us-east-1:123456789012:function:api-one' },
    /functions: .* names the partition "aws-bogus", but us-east-1 is in aws/,
  ],
  [
    'a function ARN in a region not published to',
    { functions: `api-one ${fn('api-two', 'eu-west-1')}` },
    /functions: ".*eu-west-1.*" is in eu-west-1, which is not among regions \(us-east-1\)/,
  ],
  [
    'a layer ARN of another account',
    { 'layer-name': `arn:aws:lambda:${REGION}:${OTHER_ACCOUNT}:layer:shared`, steps: 'build,publish' },
    /layer-name: ".*" is in account 999999999999, but the credentials are for 123456789012/,
  ],
  [
    'a layer ARN with a version',
    { 'layer-name': `arn:aws:lambda:${REGION}:123456789012:layer:shared:3` },
    /layer-name: ".*:3" is not allowed/,
  ],
  // 5. zip-file of the wrong kind
  [
    'a FIFO as zip-file',
    { 'zip-file': 'fifo.zip' },
    /zip-file: "fifo.zip" is a FIFO \(named pipe\), not a file/,
  ],
  ['a folder as zip-file', { 'zip-file': 'folder.zip' }, /zip-file: "folder.zip" is a folder, not a file/],
  ['a text file as zip-file', { 'zip-file': 'notes.zip' }, /zip-file: "notes.zip" is not a zip archive/],
  [
    'a zip with a duplicate entry',
    { 'zip-file': 'dup.zip' },
    /zip-file: "dup.zip" holds "python\/a.py" more than once/,
  ],
  // 6. github-token
  ['a token with a line break', { 'github-token': `${TOKEN}\nx` }, /github-token: has a space, line break/],
  [
    'a token with an invisible character',
    { 'github-token': `${TOKEN}\u200b` },
    /github-token: .*invisible character \(character 41 of 41\)/,
  ],
  [
    'a token with a character that is not ASCII',
    { 'github-token': `${TOKEN.slice(0, -1)}é` },
    /github-token: has a character that is not ASCII \(character 40 of 40\)/,
  ],
  // 7. names by the services' rules
  [
    'an SSM name too long with its ARN',
    { 'ssm-parameter': `/${'a'.repeat(1000)}` },
    /ssm-parameter: .* with its ARN in us-east-1 it passes Systems Manager's 1,011/,
  ],
  [
    'an SSM name with 16 levels',
    { 'ssm-parameter': `/${Array(16).fill('l').join('/')}` },
    /ssm-parameter: .* has 16 levels; Systems Manager allows at most 15/,
  ],
  ['an SSM name with //', { 'ssm-parameter': '/layers//arn' }, /ssm-parameter: .* has an empty level/],
  ['an SSM name ending in /', { 'ssm-parameter': '/layers/arn/' }, /ssm-parameter: .* has an empty level/],
  ['an SSM name with ..', { 'ssm-parameter': '/layers/../arn' }, /ssm-parameter: .* has a \. or \.\. level/],
  ['an SSM name with .', { 'ssm-parameter': '/layers/./arn' }, /ssm-parameter: .* has a \. or \.\. level/],
  ['an SSM name with / but no leading /', { 'ssm-parameter': 'layers/arn' }, /must start with \//],
  ['an SSM name in the aws namespace', { 'ssm-parameter': '/aws/x' }, /must not start with aws or ssm/],
  ['an IP address as bucket', { 's3-bucket': '192.168.1.1' }, /s3-bucket: .* formatted as an IP address/],
  ['an xn-- bucket', { 's3-bucket': 'xn--bucket' }, /s3-bucket: .* must not start with xn--/],
  ['an -s3alias bucket', { 's3-bucket': 'layers-s3alias' }, /s3-bucket: .* must not end with -s3alias/],
  ['a bucket with ..', { 's3-bucket': 'my..bucket' }, /s3-bucket: .* two adjacent periods/],
  ['a bucket placeholder other than region', { 's3-bucket': 'layers-{foo}' }, /has the placeholder \{foo\}/],
  [
    'a bucket that {region} makes too long',
    { 's3-bucket': `${'b'.repeat(55)}-{region}` },
    /s3-bucket: .* becomes "b+-us-east-1", which is 65 characters; S3 allows 3 to 63/,
  ],
  [
    'an image reference in capitals',
    { 'smoke-image': 'UPPER/Case:tag' },
    /smoke-image: "UPPER\/Case:tag" is not a Docker image reference .* path component "Case"/,
  ],
  ['an image with an empty tag', { 'smoke-image': 'alpine:' }, /smoke-image: "alpine:" .* has the tag ""/],
  ['an image starting with -', { 'smoke-image': '--privileged' }, /smoke-image: "--privileged"/],
  ['a region no partition has', { regions: 'us-east-9' }, /regions: "us-east-9" is not an AWS region name/],
  [
    'regions of two partitions',
    { regions: 'us-east-1 cn-north-1' },
    /regions: aws: us-east-1; aws-cn: cn-north-1 are in different AWS partitions/,
  ],
  // 8. wrong kinds and ignored inputs
  [
    'a folder as manifest',
    { 'zip-file': '', steps: 'build,publish', manifest: '.' },
    /manifest: "." is a folder, not a file/,
  ],
  [
    'a file as working-directory',
    { 'zip-file': '', steps: 'build,publish', 'working-directory': 'requirements.txt' },
    /working-directory: "requirements.txt" is a file, not a folder/,
  ],
  [
    'a manifest outside working-directory',
    { 'zip-file': '', steps: 'build,publish', 'working-directory': 'sub', manifest: '../requirements.txt' },
    /manifest: "..\/requirements.txt" is outside working-directory/,
  ],
  [
    'install-args with zip-file',
    { 'install-args': '--no-deps' },
    /install-args: cannot be combined with zip-file/,
  ],
  [
    'cross-install with zip-file',
    { 'cross-install': 'true' },
    /cross-install: cannot be combined with zip-file/,
  ],
  ['manifest with zip-file', { manifest: 'requirements.txt' }, /manifest: cannot be combined with zip-file/],
  [
    'working-directory with zip-file',
    { 'working-directory': 'sub' },
    /working-directory: cannot be combined/,
  ],
  [
    'build-image with zip-file',
    { 'build-image': 'alpine:3' },
    /build-image: cannot be combined with zip-file/,
  ],
  ['extras with zip-file', { extras: 's3' }, /extras: cannot be combined with zip-file/],
  [
    'groups with build-command',
    { 'zip-file': '', steps: 'build,publish', 'build-command': 'make', groups: 'lambda' },
    /groups: cannot be combined with build-command/,
  ],
  [
    'extras for a requirements file',
    { 'zip-file': '', steps: 'build,publish', extras: 's3' },
    /extras: only a Python lock \(uv\.lock, poetry\.lock, Pipfile\.lock\) has extras; the build installs requirements\.txt/,
  ],
  [
    'a group that is not a name',
    { 'zip-file': '', steps: 'build,publish', groups: 'lambda,b;c' },
    /groups: "b;c" is not a name/,
  ],
  [
    'install-args with build-command',
    { 'zip-file': '', steps: 'build,publish', 'build-command': 'make', 'install-args': '-q' },
    /install-args: cannot be combined with build-command/,
  ],
  [
    'ssm asked for without ssm-parameter',
    { steps: 'build,publish,ssm' },
    /steps: ssm is asked for, but it needs ssm-parameter/,
  ],
  [
    'a canary as big as the list',
    { functions: 'api-one api-two api-three api-four api-five', canary: '1000' },
    /canary: 1000 is not fewer than the 5 function\(s\) listed/,
  ],
  [
    'a filter that excludes every listed function',
    { functions: 'api-one api-two', 'function-filter': '!api-*' },
    /function-filter: !api-\* matches none of the functions listed/,
  ],
  // issue 11: wait: false with what needs the outcome of each update
  ['wait: false with canary', { wait: 'false', canary: '1' }, /wait: false cannot be combined with canary/],
  [
    'wait: false with rollback',
    { wait: 'false', 'on-failure': 'rollback' },
    /wait: false cannot be combined with on-failure: rollback/,
  ],
  [
    'wait: false with update-aliases',
    { wait: 'false', 'update-aliases': 'true' },
    /wait: false cannot be combined with update-aliases/,
  ],
  [
    'wait: false with alarms',
    { wait: 'false', alarms: 'errors' },
    /wait: false cannot be combined with alarms/,
  ],
  // 10. lengths in code points
  ['257 emoji as description', { description: '🙂'.repeat(257) }, /description: 257 characters is too long/],
];

describe('hostile and careless inputs are refused before anything is written', () => {
  it.each(CASES)('%s', async (label, inputs, message) => {
    const before = aws.requests.length;
    // Whatever other cases (in any order) left on the double, this one changes none of it.
    const state = aws.snapshot();
    const started = performance.now();
    const report = await release(aws, dir, {
      steps: 'build,publish,roll-out',
      'layer-name': 'refused-layer',
      functions: 'api-one',
      ...inputs,
    });
    timings.push([label, performance.now() - started]);
    expect(report.error, 'the run must fail').toBeDefined();
    expect(report.error).toMatch(message);
    expect(report.error).not.toContain(TOKEN);
    const writes = aws.requests.slice(before).filter((r) => !READS.test(r.operation));
    expect(writes.map((r) => r.operation)).toEqual([]);
    expect(aws.snapshot()).toBe(state);
  });

  it('holds every case of the issue', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(45);
  });
});

describe('what is accepted instead of refused', () => {
  const read = (values: Record<string, string>) => {
    vi.unstubAllEnvs();
    for (const [name, value] of Object.entries({
      steps: 'build,publish,roll-out',
      'layer-name': 'accepted',
      runtime: 'python3.11',
      'zip-file': 'layer.zip',
      ...values,
    })) {
      vi.stubEnv(`INPUT_${name.toUpperCase()}`, value);
    }
    return getInputs({ GITHUB_WORKSPACE: dir, RUNNER_TEMP: os.tmpdir() });
  };

  it('uses each region, function and account once, in the order given', () => {
    const inputs = read({
      regions: 'eu-west-1,us-east-1,eu-west-1',
      functions: 'api-one api-two api-one',
      'share-with': '111122223333 111122223333 444455556666',
    });
    expect(inputs.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(inputs.functions).toEqual({ mode: 'list', names: ['api-one', 'api-two'] });
    expect(inputs.shareWith).toEqual(['111122223333', '444455556666']);
  });

  it('counts characters as code points: 200 emoji are 200 characters', () => {
    expect(read({ regions: REGION, description: '🙂'.repeat(200) }).description).toHaveLength(400);
  });

  it('accepts the names AWS and Docker accept', () => {
    const inputs = read({
      regions: 'us-gov-west-1 us-gov-east-1',
      's3-bucket': 'layers.{region}-artifacts',
      'ssm-parameter': `/${Array(15).fill('l').join('/')}`,
      'smoke-image': 'localhost:5000/team/lambda_python__x:3.12-x86_64@sha256:' + 'a'.repeat(64),
    });
    expect(inputs.regions).toEqual(['us-gov-west-1', 'us-gov-east-1']);
  });

  it('publishes once when a region is given twice, and the outputs agree', async () => {
    const report = await release(aws, dir, {
      'layer-name': 'twice-layer',
      regions: `${REGION},${REGION}`,
    });
    expect(report.error).toBeUndefined();
    expect(report.publish!.layers.map((l) => [l.region, l.version])).toEqual([[REGION, 1]]);
  });

  it('asks STS who the caller is (awsQuery over HTTP) and accepts the caller’s own ARNs', async () => {
    const before = aws.requests.length;
    const report = await release(aws, dir, {
      steps: 'build,publish,roll-out',
      'layer-name': `arn:aws:lambda:${REGION}:123456789012:layer:own-layer`,
      functions: fn('api-one'),
      'dry-run': 'true',
    });
    expect(report.error).toBeUndefined();
    const sts = aws.requests.slice(before).filter((r) => r.service === 'sts');
    expect(sts.map((r) => [r.operation, r.status])).toEqual([['GetCallerIdentity', 200]]);
  });

  it('does not call STS when no ARN is given, and the run succeeds without it', async () => {
    const before = aws.requests.length;
    const report = await release(aws, dir, {
      'layer-name': 'names-only',
      functions: 'none',
      'dry-run': 'true',
    });
    expect(report.error).toBeUndefined();
    expect(report.publish!.layers).toMatchObject([{ region: REGION, version: 1, planned: true }]);
    const seen = aws.requests.slice(before);
    expect(seen.map((r) => r.operation)).toContain('ListLayerVersions');
    expect(seen.filter((r) => r.service === 'sts')).toEqual([]);
  });

  it('reports an STS failure as what it is, before publishing', async () => {
    aws.faults.add({ kind: 'http500', service: 'sts', times: Infinity });
    try {
      const report = await release(aws, dir, {
        'layer-name': `arn:aws:lambda:${REGION}:123456789012:layer:sts-down`,
        functions: 'none',
      });
      expect(report.error).toMatch(
        /Could not learn the caller's account from STS GetCallerIdentity in us-east-1/,
      );
      expect(
        aws.state.region(REGION).layers.has(`arn:aws:lambda:${REGION}:123456789012:layer:sts-down`),
      ).toBe(false);
    } finally {
      aws.faults.clear();
    }
  });

  // 30 stars: a backtracking matcher would take hours here (seconds per star added), so the run would
  // not end within the test's timeout; the time of the whole run is printed, not asserted.
  it('runs a 30-star filter against the longest function name to the end: no match, no error', async () => {
    const v1 = await aws.seedLayerVersion({ region: REGION, name: 'glob-layer', content: Buffer.from('v1') });
    aws.seedFunction({
      region: REGION,
      name: 'a'.repeat(64),
      runtime: 'python3.11',
      layers: [v1.LayerVersionArn],
    });
    const started = performance.now();
    const report = await release(aws, dir, {
      steps: 'build,publish,roll-out',
      'layer-name': 'glob-layer',
      'function-filter': `${'*a'.repeat(30)}*b`,
    });
    timings.push(['(accepted) 30-star filter against 64 a’s, whole run', performance.now() - started]);
    expect(report.error).toBeUndefined();
    expect(report.rollout!.functions).toEqual([]);
  });
});

describe('the comment step never invents an HTTP status', () => {
  it('says the DNS lookup failed for a host that does not exist', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const result = await postComment({ githubToken: TOKEN, layerName: 'x', dryRun: false }, 'body', {
        repository: { owner: 'o', repo: 'r' },
        sha: 'a'.repeat(40),
        apiUrl: 'http://no-such-host.invalid',
        eventName: 'push',
        pullRequestNumber: undefined,
        run: undefined,
      });
      expect(result.warning).toMatch(
        /the DNS lookup of no-such-host\.invalid failed \((ENOTFOUND|EAI_AGAIN)\)/,
      );
      expect(result.warning).not.toMatch(/answered/);
      expect(result.warning).not.toContain(TOKEN);
    } finally {
      write.mockRestore();
    }
  });

  it('says the connection failed when nothing answers', async () => {
    // A port that was just free: nothing listens there, so the connection is refused.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const result = await postComment({ githubToken: TOKEN, layerName: 'x', dryRun: false }, 'body', {
        repository: { owner: 'o', repo: 'r' },
        sha: 'a'.repeat(40),
        apiUrl: `http://127.0.0.1:${port}`,
        eventName: 'push',
        pullRequestNumber: undefined,
        run: undefined,
      });
      expect(result.action).toBe('failed');
      expect(result.warning).toMatch(
        new RegExp(`the connection to 127\\.0\\.0\\.1:${port} failed \\(ECONNREFUSED\\)`),
      );
      expect(result.warning).not.toMatch(/answered 500/);
      expect(result.warning).not.toContain(TOKEN);
    } finally {
      write.mockRestore();
    }
  });
});

describe('1,000 function names that do not exist', () => {
  it('are looked up by one listing, not 1,000 calls, and refused', async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `missing-${String(i).padStart(4, '0')}`);
    // GetFunction answers nothing until the run is over: the listing alone can answer, and the look-ups
    // that went out are those in flight at once (25), not 1,000, however busy the machine is.
    let answer!: () => void;
    const held = aws.faults.add({
      kind: 'delay',
      operation: 'GetFunction',
      until: new Promise<void>((resolve) => (answer = resolve)),
      times: Infinity,
    });
    const before = aws.requests.length;
    const started = performance.now();
    let report: Awaited<ReturnType<typeof release>>;
    let sent: number;
    try {
      report = await release(aws, dir, {
        steps: 'build,publish,roll-out',
        'layer-name': 'thousand-layer',
        functions: names.join(' '),
      });
      sent = held.matched;
    } finally {
      answer();
      aws.faults.clear();
    }
    // The held look-ups are answered (to nobody: the run abandoned them) before the next case starts.
    const answered = () => aws.requests.slice(before).filter((r) => r.fault === 'delay').length;
    while (answered() < sent) await new Promise((resolve) => setTimeout(resolve, 10));
    timings.push(['(preflight) 1,000 unknown function names', performance.now() - started]);
    expect(report.error).toMatch(/functions: "missing-0000" does not exist in us-east-1; check the name/);
    expect(report.error).toMatch(/functions: 990 more of the names listed do not exist either$/);
    const seen = aws.requests.slice(before);
    // Refused before anything was published.
    expect(seen.filter((r) => r.operation === 'PublishLayerVersion')).toEqual([]);
    expect(seen.filter((r) => r.operation === 'ListFunctions').length).toBeGreaterThan(0);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(25);
  });

  it('are still found with GetFunction when the role may not list functions', async () => {
    const names = Array.from({ length: 120 }, (_, i) => `denied-${i}`);
    aws.seedFunction({ region: REGION, name: 'denied-7', runtime: 'python3.11' });
    aws.faults.add({ kind: 'http500', operation: 'ListFunctions', times: Infinity });
    const before = aws.requests.length;
    try {
      const report = await release(aws, dir, {
        steps: 'build,publish,roll-out',
        'layer-name': 'denied-layer',
        functions: names.join(' '),
      });
      expect(report.error).toMatch(/functions: "denied-0" does not exist in us-east-1/);
      expect(report.error).not.toMatch(/"denied-7"/);
    } finally {
      aws.faults.clear();
    }
    const lookUps = aws.requests
      .slice(before)
      .filter((r) => r.operation === 'GetFunction' && r.functionName?.startsWith('denied-'));
    expect(new Set(lookUps.map((r) => r.functionName)).size).toBe(120);
  });

  it('a short list is read with GetFunction calls in flight together', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `short-${i}`);
    aws.faults.add({ kind: 'delay', operation: 'GetFunction', delayMs: 50, times: Infinity });
    const before = aws.requests.length;
    try {
      await release(aws, dir, {
        'layer-name': 'short-layer',
        steps: 'build,publish,roll-out',
        functions: names.join(' '),
      });
    } finally {
      aws.faults.clear();
    }
    const gets = aws.requests
      .slice(before)
      .filter((r) => r.operation === 'GetFunction' && r.functionName?.startsWith('short-'));
    expect(gets).toHaveLength(30);
    // Overlapping [arrival, arrival + duration] intervals: more than one look-up was in flight at once.
    const overlapping = gets.filter((a) =>
      gets.some((b) => b !== a && b.at >= a.at && b.at < a.at + a.durationMs),
    );
    expect(overlapping.length).toBeGreaterThan(0);
  });
});

describe('the AWS double’s STS', () => {
  const scope =
    'AWS4-HMAC-SHA256 Credential=AKIAAWSDOUBLE0000000/20261201/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0';
  const post = (body: string, init: RequestInit = {}) =>
    fetch(aws.url, {
      method: 'POST',
      headers: { authorization: scope, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
      ...init,
    });

  it('answers GetCallerIdentity in XML, as STS does', async () => {
    const response = await post('Action=GetCallerIdentity&Version=2011-06-15');
    expect(response.status).toBe(200);
    const xml = await response.text();
    expect(xml).toMatch(
      /^<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/,
    );
    expect(xml).toContain('<Account>123456789012</Account>');
    expect(xml).toContain('<Arn>arn:aws:iam::123456789012:user/aws-double</Arn>');
  });

  it.each([
    ['another version', 'Action=GetCallerIdentity&Version=2010-01-01', {}],
    ['no version', 'Action=GetCallerIdentity', {}],
    ['an unknown action', 'Action=DecodeAuthorizationMessage&Version=2011-06-15', {}],
    [
      'a JSON body',
      '{"Action":"GetCallerIdentity"}',
      { headers: { authorization: scope, 'content-type': 'application/json' } },
    ],
  ])('refuses %s with an awsQuery ErrorResponse', async (_label, body, init) => {
    const response = await post(body, init as RequestInit);
    expect(response.status).toBe(400);
    const xml = await response.text();
    expect(xml).toMatch(
      /<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/,
    );
  });
});
