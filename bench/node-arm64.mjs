/**
 * 12. An arm64 Node.js layer on an x86_64 runner: sharp 0.35.5 (a prebuilt addon and libvips in one
 * optional package per platform) from its package-lock.json, built and smoke-tested for nodejs22.x three
 * ways in one run: for x86_64, for arm64 with `cross-install` (npm in the x86_64 build image picks the
 * arm64 packages; the smoke test runs in the arm64 runtime image under qemu), and for arm64 under
 * emulation (the whole build in the arm64 build image under qemu). Goal: cross-install ≤ 1.3 × x86_64.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log, repo, run, runAction, s, scratch, table } from './lib.mjs';

const REGISTRY = process.env.LLR_STAND_IN_REGISTRY || 'llr-stand-in.invalid';
const RUNTIME = 'nodejs22.x';
const IMAGES = ['x86_64', 'arm64'].flatMap((arch) => [
  `${REGISTRY}/sam/build-${RUNTIME}:latest-${arch}`,
  `${REGISTRY}/lambda/nodejs:22-${arch}`,
]);
const FIXTURE = path.join(repo, '__tests__/fixtures/node-locks/sharp-npm');

async function ensureImages() {
  if ((await run('docker', ['image', 'inspect', ...IMAGES])).code === 0) return;
  for (const [script, args] of [
    ['docker-up.sh', []],
    ['stand-in-images.sh', [RUNTIME, `${RUNTIME}/arm64`]],
  ]) {
    log(`scripts/${script} ${args.join(' ')}`);
    const result = await run('bash', [path.join(repo, 'scripts', script), ...args]);
    if (result.code !== 0) throw new Error(`${script} failed:\n${result.stdout}${result.stderr}`);
  }
}

/** The @img packages in a built layer: which platforms' binaries it carries. */
function platformPackages(zipTree) {
  const dir = path.join(zipTree, 'nodejs', 'node_modules', '@img');
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((n) => n.startsWith('sharp-'))
        .sort()
    : [];
}

/** Starts each image once, so that no run pays for the first read of an image (or qemu's first start). */
async function warmUp() {
  for (const image of IMAGES) {
    const platform = image.endsWith('arm64') ? 'linux/arm64' : 'linux/amd64';
    await run('docker', ['run', '--rm', '--platform', platform, '--entrypoint', 'node', image, '-e', '0']);
  }
}

export async function bench() {
  await ensureImages();
  await warmUp();
  const runs = [];
  const measure = async (label, inputs) => {
    const dir = scratch('node-arm64');
    for (const file of fs.readdirSync(FIXTURE))
      fs.copyFileSync(path.join(FIXTURE, file), path.join(dir, file));
    log(label);
    const result = await runAction(dir, {
      steps: 'build,smoke-test',
      'layer-name': 'sharp-layer',
      runtime: RUNTIME,
      'image-registry': REGISTRY,
      ...inputs,
    });
    if (result.code !== 0) throw new Error(`${label}: the action failed:\n${result.stdout.slice(-3000)}`);
    // The build's tree stays under RUNNER_TEMP: no post step runs here.
    const temp = fs.readdirSync(dir).find((name) => name.startsWith('.runner-temp-'));
    const layer = path.join(
      dir,
      temp ?? '',
      'lambda-layer-release',
      `sharp-layer-${RUNTIME}-${inputs.architecture}`,
      'layer',
    );
    const row = { label, ...result, platforms: platformPackages(layer) };
    runs.push(row);
    fs.rmSync(dir, { recursive: true, force: true });
    return row;
  };

  const x86 = await measure('x86_64', { architecture: 'x86_64' });
  const cross = await measure('arm64, cross-install', { architecture: 'arm64', 'cross-install': 'true' });
  const emulated = await measure('arm64, under emulation', { architecture: 'arm64' });

  const ratio = cross.seconds / x86.seconds;
  const buildRatio = cross.stepSeconds.build / x86.stepSeconds.build;
  const body = [
    `sharp 0.35.5 from a package-lock.json (npm ci, with the npm 10.9 of the ${RUNTIME} stand-ins), steps`,
    '`build,smoke-test`, each a fresh `node dist/index.js`; arm64 containers run under qemu-user-static.',
    'The build fetches sharp and its platform packages from the npm registry on every run (no cache); each',
    'image is started once before the runs, so none pays for its first start.',
    '',
    table(
      ['Run', 'Wall time', 'build', 'smoke-test', 'sharp platform packages in the layer'],
      runs.map((r) => [
        r.label,
        s(r.seconds),
        s(r.stepSeconds.build),
        s(r.stepSeconds['smoke-test']),
        r.platforms.join(', ') || '—',
      ]),
    ),
    '',
    `- cross-install: ${s(cross.seconds)}, ${ratio.toFixed(2)} × the x86_64 run (goal ≤ 1.3 ×: ${ratio <= 1.3 ? '✅' : '❌'}); ` +
      `under emulation ${s(emulated.seconds)}, ${(emulated.seconds / x86.seconds).toFixed(2)} ×.`,
    `- Its build step takes ${s(cross.stepSeconds.build)}, ${buildRatio.toFixed(2)} × x86_64's ${s(x86.stepSeconds.build)}: ` +
      'the install itself costs nothing extra. The difference is the smoke test, which must load sharp on arm64 and ' +
      `so runs the arm64 runtime image under qemu (${s(cross.stepSeconds['smoke-test'])} against ${s(x86.stepSeconds['smoke-test'])}); ` +
      "emulation is CPU-bound, so it grows most with the machine's load (given above).",
  ].join('\n');
  return {
    body,
    goals: [
      [
        'Node.js arm64 layer (sharp), cross-install ≤ 1.3 × the x86_64 run',
        `${ratio.toFixed(2)} ×`,
        ratio <= 1.3,
      ],
      ['… its build step ≤ 1.3 × the x86_64 build step', `${buildRatio.toFixed(2)} ×`, buildRatio <= 1.3],
    ],
  };
}
