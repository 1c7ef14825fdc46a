/**
 * Reports of the four kinds of run people read (a release, a no-op re-run, a failure, a plan on a pull
 * request), shaped like the real steps' results of a numpy + pandas + pyarrow layer. The render tests
 * assert on them; `npm run preview` renders them as HTML pages.
 */
import type { GitHubContext } from '../../src/github.js';
import type { Report } from '../../src/report/index.js';
import type { LayerArtifact } from '../../src/steps/build.js';
import type { FunctionOutcome } from '../../src/steps/roll-out.js';

const ACCOUNT = '123456789012';
const arn = (region: string, version: number): string =>
  `arn:aws:lambda:${region}:${ACCOUNT}:layer:ds-layer:${version}`;

export const CONTEXT: GitHubContext = {
  apiUrl: 'https://api.github.com',
  repository: { owner: 'acme', repo: 'layers' },
  sha: '4f2c9a1b7d3e5f60718293a4b5c6d7e8f9012345',
  eventName: 'push',
  pullRequestNumber: undefined,
  run: { serverUrl: 'https://github.com', id: '9876543210', number: '42', attempt: '2' },
};

const PACKAGES = [
  ['numpy', '2.4.6', ['numpy']],
  ['pandas', '2.3.1', ['pandas']],
  ['pyarrow', '21.0.0', ['pyarrow']],
  ['python-dateutil', '2.9.0.post0', ['dateutil']],
  ['PyYAML', '6.0.2', ['_yaml', 'yaml']],
  ['six', '1.17.0', ['six']],
  ['tzdata', '2025.2', ['tzdata']],
] as const;

export function artifact(): LayerArtifact {
  return {
    zipFile: '/home/runner/work/_temp/lambda-layer-release/ds-layer/layer.zip',
    layerDir: '/home/runner/work/_temp/lambda-layer-release/ds-layer/layer',
    zipSize: 96_812_345,
    unzippedSize: 306_123_456 - 100_000_000,
    fileCount: 5337,
    codeSha256: 'b1U0v3mZ5Yx0fJ2Q9wB6m8eVb0b1oJcV6uJ6zR5y4Ak=',
    treeHash: 'c'.repeat(64),
    contentHash: '3f6c0e5a9d2b47e1a8c3f0d9b6e2a4c7e1f3b5d7a9c0e2f4a6b8d0c2e4f6a8b0',
    layout: { modulePaths: ['python'], outline: [] },
    packages: PACKAGES.map(([name, version, imports]) => ({ name, version, imports: [...imports] })),
    nativeFiles: [],
    given: false,
    sbom: {
      file: '/home/runner/work/_temp/lambda-layer-release/ds-layer/layer.cdx.json',
      format: 'CycloneDX 1.6',
      packages: PACKAGES.length,
      licensed: 6,
      licences: [
        { licence: 'BSD-3-Clause', packages: 3 },
        { licence: 'Apache-2.0', packages: 1 },
        { licence: 'Apache-2.0 OR BSD-3-Clause', packages: 1 },
        { licence: 'MIT', packages: 1 },
      ],
      files: 0,
      skipped: 0,
    },
  };
}

const functionNames = ['orders-api', 'orders-worker', 'billing', 'reports', 'nightly-export'];

function functions(status: FunctionOutcome['status'], from: number, to: number): FunctionOutcome[] {
  return functionNames.map((functionName, i) => ({
    region: i < 3 ? 'us-east-1' : 'eu-west-1',
    functionName,
    status,
    fromVersion: from,
    toVersion: to,
    seconds: 1.2 + i / 10,
  }));
}

const smokeRun = {
  runtime: 'python3.11',
  image: 'public.ecr.aws/lambda/python:3.11-x86_64',
  imports: [
    { module: 'numpy', ok: true, ms: 212.4 },
    { module: 'pandas', ok: true, ms: 1944.7 },
    { module: 'pyarrow', ok: true, ms: 388.1 },
    { module: 'dateutil', ok: true, ms: 0, alreadyLoaded: true },
    { module: 'yaml', ok: true, ms: 11.3 },
    { module: 'six', ok: true, ms: 0, alreadyLoaded: true },
    { module: 'tzdata', ok: true, ms: 0.4 },
  ],
};
const smoke = { image: smokeRun.image, imports: smokeRun.imports, runs: [smokeRun] };

function base(): Report {
  return {
    layerName: 'ds-layer',
    runtime: 'python3.11',
    architecture: 'x86_64',
    steps: [],
    dryRun: false,
    context: CONTEXT,
    artifact: artifact(),
    smoke,
  };
}

const step = (name: Report['steps'][number]['step'], seconds: number, note = 'done') =>
  ({ step: name, status: 'succeeded', seconds, note }) as const;

/** A release: version 2 published in two regions, five functions moved 1 → 2, SSM written. */
export function releaseReport(): Report {
  return {
    ...base(),
    steps: [
      step('build', 17.4),
      step('smoke-test', 4.1),
      step('publish', 6.3),
      step('roll-out', 3.2),
      step('ssm', 0.2),
      step('comment', 0.4),
    ],
    publish: {
      layers: ['us-east-1', 'eu-west-1'].map((region) => ({
        region,
        layerArn: arn(region, 2).replace(/:2$/, ''),
        layerVersionArn: arn(region, 2),
        version: 2,
        published: true,
        planned: false,
        sharedWith: [],
        previousVersion: 1,
      })),
      failures: [],
    },
    changes: {
      against: { region: 'us-east-1', version: 1, layerVersionArn: arn('us-east-1', 1) },
      changes: [
        { name: 'numpy', kind: 'upgraded', before: '2.4.5', after: '2.4.6' },
        { name: 'pyarrow', kind: 'added', after: '21.0.0' },
        { name: 'pytz', kind: 'removed', before: '2025.1' },
        { name: 'tzdata', kind: 'downgraded', before: '2025.3', after: '2025.2' },
      ],
      unchanged: 4,
    },
    rollout: { functions: functions('updated', 1, 2), scanned: { 'us-east-1': 42, 'eu-west-1': 17 } },
    parameter: {
      writes: ['us-east-1', 'eu-west-1'].map((region) => ({
        region,
        name: '/layers/ds-layer/arn',
        value: arn(region, 2),
        version: 2,
        changed: true,
        planned: false,
      })),
      failures: [],
    },
    comment: {
      target: 'commit',
      action: 'updated',
      url: 'https://github.com/acme/layers/commit/4f2c9a1#commitcomment-1',
    },
  };
}

/** The same commit again: nothing published, nothing moved. */
export function noOpReport(): Report {
  const release = releaseReport();
  return {
    ...release,
    steps: release.steps.map((s) => ({ ...s, seconds: s.step === 'build' ? 12.1 : 0.3 })),
    publish: {
      layers: release.publish!.layers.map((l) => ({ ...l, published: false, previousVersion: undefined })),
      failures: [],
    },
    changes: undefined,
    rollout: { functions: functions('unchanged', 2, 2), scanned: { 'us-east-1': 42, 'eu-west-1': 17 } },
    parameter: { writes: release.parameter!.writes.map((w) => ({ ...w, changed: false })), failures: [] },
  };
}

/** Publish fails in eu-west-1 (and the SDK chokes on an HTML page in a third region); nothing rolled out. */
export function failureReport(): Report {
  const release = releaseReport();
  const denied =
    'AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/layer-release/GitHubActions ' +
    'is not authorized to perform: lambda:PublishLayerVersion on resource: ' +
    'arn:aws:lambda:eu-west-1:123456789012:layer:ds-layer because no identity-based policy allows the ' +
    'lambda:PublishLayerVersion action';
  const html =
    'SyntaxError: Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: to see the ' +
    'raw response, inspect the hidden field {error}.$response on this object.';
  const error = `Publishing failed in 2 of 3 regions:\n  eu-west-1: ${denied}\n  ap-south-2: ${html}`;
  return {
    ...release,
    steps: [
      step('build', 17.4),
      step('smoke-test', 4.1),
      { step: 'publish', status: 'failed', seconds: 6.3, note: 'Publishing failed in 2 of 3 regions:' },
      step('comment', 0.4),
    ],
    publish: {
      layers: [release.publish!.layers[0]!],
      failures: [
        { region: 'eu-west-1', error: denied },
        { region: 'ap-south-2', error: html },
      ],
    },
    rollout: undefined,
    parameter: undefined,
    error,
  };
}

/** A pull request: version 3 would be published; five functions would move 2 → 3. */
export function planReport(): Report {
  const release = releaseReport();
  return {
    ...release,
    dryRun: true,
    context: { ...CONTEXT, eventName: 'pull_request', pullRequestNumber: 17 },
    publish: {
      layers: release.publish!.layers.map((l) => ({
        ...l,
        layerVersionArn: l.layerVersionArn.replace(/:2$/, ':3'),
        version: 3,
        planned: true,
        previousVersion: 2,
      })),
      failures: [],
    },
    changes: {
      against: { region: 'us-east-1', version: 2, layerVersionArn: arn('us-east-1', 2) },
      changes: [
        { name: 'pandas', kind: 'upgraded', before: '2.3.1', after: '2.3.2' },
        { name: 'polars', kind: 'added', after: '1.31.0' },
      ],
      unchanged: 6,
    },
    rollout: { functions: functions('planned', 2, 3), scanned: { 'us-east-1': 42, 'eu-west-1': 17 } },
    parameter: {
      writes: release.parameter!.writes.map((w) => ({
        ...w,
        value: w.value.replace(/:2$/, ':3'),
        version: 3,
        planned: true,
      })),
      failures: [],
    },
    comment: { target: 'pull-request', action: 'planned' },
  };
}

/**
 * An older release that a newer one overtook (docs/steps.md, Overlapping releases): one function moved,
 * one found on the newer version, the rest left to it; the parameter already held the newer version.
 */
export function supersededReport(): Report {
  const report = releaseReport();
  const [moved, found, ...rest] = functions('updated', 1, 2);
  const by = { region: 'us-east-1', version: 3, function: 'orders-worker' };
  return {
    ...report,
    rollout: {
      functions: [
        moved!,
        {
          ...found!,
          status: 'newer',
          fromVersion: 3,
          reason: "is on version 3, newer than this run's 2: left alone",
        },
        ...rest.map((f) => ({
          ...f,
          status: 'superseded' as const,
          reason: 'superseded by version 3 (seen on orders-worker in us-east-1)',
        })),
      ],
      scanned: { 'us-east-1': 42, 'eu-west-1': 17 },
      superseded: by,
    },
    parameter: {
      writes: report.parameter!.writes.map((w) => ({
        ...w,
        value: arn(w.region, 3),
        version: 3,
        changed: false,
        newer: 3,
      })),
      failures: [],
    },
  };
}

export const CASES = {
  release: releaseReport,
  'no-op': noOpReport,
  failure: failureReport,
  plan: planReport,
  superseded: supersededReport,
} as const;
