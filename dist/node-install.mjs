// Installs a Node.js lock with its own tool (pnpm, Yarn v1, Yarn Berry, Bun), frozen and without dev
// dependencies, into the layer's nodejs/node_modules. Runs in the build container, in the layer's nodejs/
// folder, as the runner's user; the action writes it unchanged and passes every value in the
// environment (src/runtimes/build-recipes.ts). Every program runs with an argument array.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const env = process.env;
const tool = env.LLR_TOOL; // pnpm | yarn | yarn-berry | bun
const version = env.LLR_TOOL_VERSION;
const toolName = env.LLR_TOOL_NAME; // "pnpm 10.34.9", for messages
const project = env.LLR_PROJECT_DIR; // the manifest's folder in the (read-only) source mount
const lock = env.LLR_LOCK; // the lock's file name
const shownLock = env.LLR_LOCK_SHOWN; // and its path as the user knows it
const targetCpu = env.LLR_TARGET_CPU ?? ''; // x64 or arm64 for a cross-install, else empty
const extraArgs = JSON.parse(env.LLR_INSTALL_ARGS ?? '[]');
const cache = env.LLR_CACHE_DIR ?? '/tmp/lambda-layer-release-cache';
const here = process.cwd();

function fail(message) {
  console.error(`lambda-layer-release: ${message}`);
  process.exit(1);
}

function run(program, args, extraEnv = {}) {
  const result = spawnSync(program, args, { stdio: 'inherit', env: { ...env, ...extraEnv } });
  if (result.error) fail(`${program} could not start: ${result.error.message}`);
  return result.status ?? 1;
}

/** The project as the tool expects it: its folder, without node_modules and .git, copied here. */
function copyProject() {
  fs.cpSync(project, here, {
    recursive: true,
    filter: (source) => !['node_modules', '.git'].includes(path.basename(source)) || source === project,
  });
}

/** The tool's npm package, from the download cache or else the npm registry; returns how to start it. */
function installTool() {
  const tools = path.join(cache, 'tools');
  const tarball = path.join(tools, env.LLR_TOOL_FILE);
  if (!fs.existsSync(tarball)) {
    const download = fs.mkdtempSync('/tmp/llr-tool-');
    console.log(`Downloading ${toolName} (${env.LLR_TOOL_PACKAGE}) from the npm registry.`);
    const status = run('npm', ['pack', env.LLR_TOOL_PACKAGE, '--pack-destination', download, '--silent'], {
      npm_config_update_notifier: 'false',
    });
    const packed = fs.readdirSync(download).filter((name) => name.endsWith('.tgz'));
    if (status !== 0 || packed.length !== 1) {
      fail(
        `could not download ${toolName} (${env.LLR_TOOL_PACKAGE}) from the npm registry (npm pack exit code ${status})`,
      );
    }
    fs.mkdirSync(tools, { recursive: true });
    fs.copyFileSync(path.join(download, packed[0]), `${tarball}.partial`);
    fs.renameSync(`${tarball}.partial`, tarball);
  }
  const unpacked = fs.mkdtempSync('/tmp/llr-tool-');
  if (run('tar', ['-xzf', tarball, '-C', unpacked]) !== 0) fail(`could not unpack ${tarball}`);
  const root = path.join(unpacked, 'package');
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const command = tool === 'yarn-berry' ? 'yarn' : tool;
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[command];
  const file = path.join(root, bin ?? path.join('bin', command));
  if (!fs.existsSync(file)) fail(`${env.LLR_TOOL_PACKAGE} holds no ${command} program`);
  const text = fs.readFileSync(file).subarray(0, 64).toString('latin1');
  if (text.startsWith('\x7fELF')) {
    fs.chmodSync(file, 0o755);
    return [file];
  }
  return [process.execPath, file];
}

const atLeast = (wanted) => {
  const have = version.split(/[.-]/).map(Number);
  const want = wanted.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
};

/** The tool's arguments and environment for a frozen, production-only install into ./node_modules. */
function installCommand(start) {
  const target = targetCpu ? { os: 'linux', cpu: targetCpu, libc: 'glibc' } : undefined;
  const flags = target ? [`--cpu=${target.cpu}`, `--os=${target.os}`, `--libc=${target.libc}`] : [];
  switch (tool) {
    case 'pnpm': {
      // Lambda reads /opt/nodejs/node_modules: a flat (hoisted) tree, as npm makes it.
      const args = ['install', '--frozen-lockfile', '--prod', '--config.node-linker=hoisted'];
      args.push(`--config.store-dir=${path.join(cache, 'pnpm-store')}`, '--reporter=append-only');
      if (target && atLeast('10.14.0')) args.push(...flags);
      else if (target) addPnpmArchitectures(target);
      return { args: [...start, ...args], env: {} };
    }
    case 'yarn':
      return {
        args: [
          ...start,
          'install',
          '--frozen-lockfile',
          '--production',
          '--non-interactive',
          '--no-progress',
        ],
        env: { YARN_CACHE_FOLDER: path.join(cache, 'yarn') },
      };
    case 'yarn-berry': {
      refusePlugNPlay();
      if (target) writeHomeYarnrc(target);
      // `workspaces focus --production` is Yarn Berry's install without devDependencies; it re-resolves
      // a stale lock silently, so an immutable install without build scripts checks the lock first.
      return {
        check: [...start, 'install', '--immutable', '--mode=skip-build'],
        args: [...start, 'workspaces', 'focus', '--all', '--production'],
        env: {
          YARN_ENABLE_IMMUTABLE_INSTALLS: 'true',
          YARN_NODE_LINKER: 'node-modules',
          YARN_ENABLE_TELEMETRY: '0',
          YARN_ENABLE_GLOBAL_CACHE: 'true',
          YARN_GLOBAL_FOLDER: path.join(cache, 'yarn-berry'),
        },
      };
    }
    case 'bun': {
      const args = ['install', '--frozen-lockfile', '--production', '--no-progress'];
      args.push(`--cache-dir=${path.join(cache, 'bun')}`);
      if (atLeast('1.3.0')) args.push('--linker=hoisted');
      // --libc came after --cpu and --os: passed only when this Bun has it.
      if (target) args.push(...(bunHas('--libc=') ? flags : flags.slice(0, 2)));
      return { args: [...start, ...args], env: { BUN_INSTALL_CACHE_DIR: path.join(cache, 'bun') } };
    }
    default:
      return fail(`unknown tool ${tool}`);
  }
}

let bunStart;
function bunHas(flag) {
  const help = spawnSync(bunStart[0], [...bunStart.slice(1), 'install', '--help'], { encoding: 'utf8' });
  return (help.stdout ?? '').includes(flag);
}

/** pnpm before 10.14 reads the target from package.json (pnpm.supportedArchitectures) only. */
function addPnpmArchitectures(target) {
  const file = path.join(here, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  manifest.pnpm = {
    ...manifest.pnpm,
    supportedArchitectures: { os: [target.os], cpu: [target.cpu], libc: [target.libc] },
  };
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Yarn Berry reads supportedArchitectures from the home folder's .yarnrc.yml too (HOME is /tmp here). */
function writeHomeYarnrc(target) {
  const home = env.HOME ?? '/tmp';
  fs.writeFileSync(
    path.join(home, '.yarnrc.yml'),
    `supportedArchitectures:\n  os: [${target.os}]\n  cpu: [${target.cpu}]\n  libc: [${target.libc}]\n`,
  );
}

/** A project that asks for Plug'n'Play cannot become a layer: Lambda resolves from node_modules only. */
function refusePlugNPlay() {
  const rc = path.join(here, '.yarnrc.yml');
  if (!fs.existsSync(rc)) return;
  const lines = fs.readFileSync(rc, 'utf8').split(/\r?\n/);
  const line = lines.findIndex((text) => /^nodeLinker:\s*["']?pnp["']?\s*(#.*)?$/.test(text));
  if (line >= 0) {
    fail(
      `.yarnrc.yml line ${line + 1} sets nodeLinker to Plug'n'Play, which cannot load from a layer: Lambda ` +
        'resolves packages from /opt/nodejs/node_modules, and a .pnp.cjs needs --require in every function. ' +
        'The action installs with nodeLinker: node-modules; remove that line (or set it to node-modules).',
    );
  }
}

/** Leaves package.json, the lock and node_modules; drops the tool's state files (some hold timestamps). */
function tidy(original) {
  for (const name of fs.readdirSync(here)) {
    if (!['package.json', lock, 'node_modules'].includes(name))
      fs.rmSync(path.join(here, name), { recursive: true });
  }
  fs.writeFileSync(path.join(here, 'package.json'), original);
  const modules = path.join(here, 'node_modules');
  if (!fs.existsSync(modules)) return;
  for (const name of fs.readdirSync(modules)) {
    if (name.startsWith('.') && name !== '.bin') fs.rmSync(path.join(modules, name), { recursive: true });
  }
}

/**
 * Runs the tool with its output in the log as it comes. pnpm and Yarn Berry print their errors on
 * stdout: on a failure its last lines go to stderr too, where the action's error message takes them from.
 */
function runTool(argv, extraEnv) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...env, ...extraEnv },
    });
    let last = [];
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      last = [...last, ...String(chunk).split('\n')].filter((line) => line.trim() !== '').slice(-12);
    });
    child.on('error', (error) => fail(`${argv[0]} could not start: ${error.message}`));
    child.on('close', (code) => {
      if (code !== 0 && last.length > 0) process.stderr.write(`${last.join('\n')}\n`);
      resolve(code ?? 1);
    });
  });
}

/**
 * The certificates npm is told to trust (its `cafile`, e.g. a network that re-signs TLS) for the tool
 * too: pnpm, Yarn and Bun do not all read npm's config, but each honours NODE_EXTRA_CA_CERTS.
 */
function npmCertificates() {
  if (env.NODE_EXTRA_CA_CERTS) return {};
  const cafile = spawnSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).stdout?.trim();
  return cafile && cafile !== 'null' && cafile !== 'undefined' && fs.existsSync(cafile)
    ? { NODE_EXTRA_CA_CERTS: cafile }
    : {};
}

copyProject();
const original = fs.readFileSync(path.join(here, 'package.json'));
const start = installTool();
bunStart = start;
const { args, check, env: toolEnv } = installCommand(start);
const shown = (argv) => argv.slice(start.length).join(' ');
Object.assign(toolEnv, npmCertificates());
let status = 0;
if (check) {
  console.log(`${toolName}: ${shown(check)}`);
  status = await runTool(check, { CI: 'true', ...toolEnv });
}
if (status === 0) {
  console.log(`${toolName}: ${shown(args)}${extraArgs.length ? ` ${extraArgs.join(' ')}` : ''}`);
  status = await runTool([...args, ...extraArgs], { CI: 'true', ...toolEnv });
}
if (status !== 0) {
  fail(
    `${toolName} could not install ${shownLock} (exit code ${status}). When its message says the lock does ` +
      `not match package.json, run \`${env.LLR_REFRESH}\` and commit ${shownLock}: the action installs ` +
      'exactly the lock and never re-locks.',
  );
}
tidy(original);
