/**
 * The demo's second half (scripts/demo.sh prepares Docker and the wheels): starts the local AWS and
 * GitHub API doubles, seeds version 1 of the layer (a real layer zip of older packages, so the report
 * shows what changed) and two functions that use it, and runs `node dist/index.js` with all six steps
 * exactly as the Actions runner would.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startAwsDouble } from '../__tests__/support/aws-double.js';
import { startGitHubDouble } from '../__tests__/support/github-double.js';
import { version1Zip } from './demo-seed.js';

const [repo, out] = process.argv.slice(2) as [string, string];
const region = 'eu-west-1';
const layerName = 'demo-python-deps';
const runtime = 'python3.13';

const aws = await startAwsDouble({ updateLatencyMs: 500 });
const github = await startGitHubDouble();
try {
  const old = await aws.seedLayerVersion({
    region,
    name: layerName,
    content: await version1Zip(out),
    compatibleRuntimes: [runtime],
    compatibleArchitectures: ['x86_64'],
  });
  const powertools = await aws.seedLayerVersion({ region, name: 'powertools' });
  aws.seedFunction({
    region,
    name: 'orders-api',
    runtime,
    layers: [powertools.LayerVersionArn, old.LayerVersionArn],
  });
  aws.seedFunction({ region, name: 'billing-worker', runtime, layers: [old.LayerVersionArn] });
  aws.seedFunction({ region, name: 'look-alike', runtime, layers: [`${old.LayerArn}-v2:1`] });

  fs.writeFileSync(path.join(out, 'output'), '');
  fs.writeFileSync(path.join(out, 'summary'), '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...aws.env(region),
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'acme/layers',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_WORKSPACE: repo,
    RUNNER_TEMP: out,
    GITHUB_OUTPUT: path.join(out, 'output'),
    GITHUB_STEP_SUMMARY: path.join(out, 'summary'),
    INPUT_STEPS: 'build,smoke-test,publish,roll-out,ssm,comment',
    'INPUT_LAYER-NAME': layerName,
    INPUT_RUNTIME: runtime,
    INPUT_ARCHITECTURE: 'x86_64',
    // The stand-in images that scripts/demo.sh makes (scripts/stand-in-images.sh).
    'INPUT_IMAGE-REGISTRY': process.env.LLR_STAND_IN_REGISTRY || 'llr-stand-in.invalid',
    'INPUT_WORKING-DIRECTORY': 'examples/python-layer',
    'INPUT_INSTALL-ARGS': '--no-index --find-links .wheels',
    'INPUT_SSM-PARAMETER': `/layers/${layerName}/arn`,
    'INPUT_GITHUB-TOKEN': github.token,
    'INPUT_MAX-PARALLEL': '25',
    'INPUT_ON-FAILURE': 'rollback',
  };
  const child = spawn(process.execPath, [path.join(repo, 'dist/index.js')], { env, stdio: 'inherit' });
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));

  console.log('\n--- After the run (read from the local AWS and GitHub doubles) ---');
  for (const name of ['orders-api', 'billing-worker', 'look-alike']) {
    console.log(
      `${name}: ${aws.state
        .fn(region, name)!
        .config.Layers!.map((l) => l.Arn)
        .join(', ')}`,
    );
  }
  console.log(
    `SSM /layers/${layerName}/arn = ${aws.state.parameter(region, `/layers/${layerName}/arn`)?.Value}`,
  );
  const comments = github.commitComments('acme/layers', env.GITHUB_SHA!);
  console.log(`Commit comments: ${comments.length} (${comments[0]?.html_url ?? 'none'})`);
  process.exitCode = status ?? 1;
} finally {
  await aws.close();
  await github.close();
}
