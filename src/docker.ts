/**
 * Docker through @actions/exec, always with argument arrays: no value ever passes through a shell.
 */
import type { ExecOutput, ExecOptions } from '@actions/exec';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import type { Architecture } from './runtimes/index.js';
import { architectureOf, dockerPlatform } from './runtimes/index.js';

export type Exec = (command: string, args: string[], options?: ExecOptions) => Promise<ExecOutput>;

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number,
    readonly stderrTail: string,
    what: string,
  ) {
    super(`${what} failed (exit code ${exitCode})${stderrTail ? `:\n${stderrTail}` : ''}`);
    this.name = 'CommandError';
  }
}

/** The last lines of a command's error output: what a reader needs to see in a failure message. */
export function tail(text: string, lines = 25): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export interface RunOptions {
  /** What the command does, for error messages ("building the layer"). */
  readonly what: string;
  /** Echo the command's output to the log as it runs (default true). */
  readonly stream?: boolean;
}

/** Runs `docker <args>`; throws CommandError with the stderr tail on a non-zero exit. */
export async function docker(
  exec: Exec,
  args: string[],
  { what, stream = true }: RunOptions,
): Promise<ExecOutput> {
  const output = await dockerOutput(exec, args, { what, stream });
  if (output.exitCode !== 0) throw commandError(output, what);
  return output;
}

/**
 * Runs `docker <args>` and returns its output whatever the exit code. What it echoes to the log (the
 * output of code nobody here wrote: setup.py, npm scripts, an imported module) is fenced between
 * `::stop-commands::<token>` and `::<token>::`, so a line in it such as `::set-output …`,
 * `::add-mask::…` or `##[warning]…` is shown, never obeyed. The token is new for every run and is never
 * in the container's reach. The command line and the container's stdout and stderr are echoed here, all
 * to stdout as @actions/exec would, so the fence holds for them in order; a script passed as one argument
 * (`python3 -c <smoke.py>`) is shown as its first line and a line count, not whole.
 */
export async function dockerOutput(
  exec: Exec,
  args: string[],
  { what, stream = true }: RunOptions,
): Promise<ExecOutput> {
  const token = stream ? randomUUID() : undefined;
  let endsLine = true;
  const echo = (data: Buffer): void => {
    if (data.length === 0 || !stream) return;
    endsLine = data[data.length - 1] === 0x0a;
    process.stdout.write(data);
  };
  if (token) {
    process.stdout.write(`::stop-commands::${token}${os.EOL}`);
    process.stdout.write(`[command]docker ${args.map(shownArg).join(' ')}${os.EOL}`);
  }
  try {
    return await exec('docker', args, {
      ignoreReturnCode: true,
      silent: true,
      listeners: { stdout: echo, stderr: echo },
    });
  } catch (error) {
    throw new Error(`${what} failed: cannot run docker (${(error as Error).message}); is Docker installed?`, {
      cause: error,
    });
  } finally {
    // The resume token must start a line of its own, or commands stay off for the rest of the step.
    if (token) process.stdout.write(`${endsLine ? '' : os.EOL}::${token}::${os.EOL}`);
  }
}

/** An argument as the log shows it: a multi-line script by its first line and its length. */
function shownArg(arg: string): string {
  const lines = arg.trimEnd().split('\n');
  return lines.length > 1 ? `'${lines[0]} …' (${lines.length} lines)` : arg;
}

function commandError(output: ExecOutput, what: string): CommandError {
  let detail = tail(output.stderr || output.stdout);
  if (/Unable to find image .* locally/.test(output.stderr)) {
    detail +=
      '\nThe image is not on this runner and could not be pulled: check its name, or log in to its registry.';
  }
  return new CommandError('docker', output.exitCode, detail, what);
}

export interface DockerEngine {
  readonly version: string;
  /** The architecture the engine runs natively; undefined for one Lambda has no name for. */
  readonly architecture: Architecture | undefined;
}

/** Fails early, with a useful message, when no Docker engine answers. */
export async function checkDockerEngine(exec: Exec): Promise<DockerEngine> {
  const output = await docker(exec, ['version', '--format', '{{.Server.Version}} {{.Server.Arch}}'], {
    what: 'contacting the Docker engine',
    stream: false,
  });
  const [version = '', arch = ''] = output.stdout.trim().split(/\s+/);
  return { version, architecture: architectureOf(arch) };
}

/**
 * Before anything is built: can the engine run `image` for `architecture`? Natively, yes; otherwise
 * only with an emulator registered in binfmt_misc, which a quick run of the image itself shows (a
 * missing one fails with "exec format error" after the pull). Throws an error that says what to do.
 */
export async function checkArchitecture(
  exec: Exec,
  engine: DockerEngine,
  image: string,
  architecture: Architecture,
  purpose: string,
): Promise<void> {
  if (engine.architecture === architecture) return;
  const output = await exec('docker', probeArgs(image, architecture), {
    ignoreReturnCode: true,
    silent: true,
  });
  if (output.exitCode === 0) return;
  const detail = tail(output.stderr || output.stdout, 5);
  if (!/exec format error|exec user process caused|cannot execute binary/i.test(detail)) {
    throw new CommandError('docker', output.exitCode, detail, `Starting ${image} for ${purpose}`);
  }
  throw new Error(
    `This runner's Docker engine runs ${engine.architecture ?? 'another architecture'} containers and cannot run ` +
      `${dockerPlatform(architecture)} ones, which ${purpose} needs: no emulator (qemu-user-static) is registered ` +
      'with binfmt_misc. Add the step `docker/setup-qemu-action@v3` before this one, or run the job on a runner ' +
      `of that architecture (e.g. runs-on: ubuntu-24.04-arm for arm64)` +
      (purpose.startsWith('the build')
        ? '; for a Python or Node.js layer, cross-install: true installs its packages for it without running it.'
        : '.') +
      `
${detail}`,
  );
}

/** `docker run` of a no-op in the image, entrypoint overridden: the cheapest check that it starts. */
export function probeArgs(image: string, architecture: Architecture): string[] {
  return runArgs({
    image,
    architecture,
    mounts: [],
    entrypoint: 'sh',
    network: 'none',
    command: ['-c', ':'],
  });
}

/** host path → container path; `readonly` mounts with :ro. */
export interface Mount {
  readonly host: string;
  readonly container: string;
  readonly readonly?: boolean;
}

export interface ContainerRun {
  readonly image: string;
  readonly architecture: Architecture;
  readonly mounts: readonly Mount[];
  readonly env?: Readonly<Record<string, string>>;
  readonly workdir?: string;
  readonly entrypoint?: string;
  /** `uid:gid` so files written to bind mounts belong to the runner's user, not root. */
  readonly user?: string;
  /** `none`, `bridge` or the name of a network (build-network); unset: Docker's default bridge. */
  readonly network?: string;
  /** Hard memory limit in bytes (build-memory); swap is not added on top of it. */
  readonly memoryBytes?: number;
  /** Container name, so that this container and no other can be stopped; with it, no --rm (see runLimited). */
  readonly name?: string;
  /** At most this many processes and threads in the container (default SMALL_PIDS_LIMIT). */
  readonly pidsLimit?: number;
  readonly command: readonly string[];
}

/**
 * A build runs code nobody here wrote (setup.py, npm lifecycle scripts, gem extensions, Maven plugins).
 * Every container runs with no capabilities and can't regain any through a setuid binary; a fork bomb
 * stops at the pids limit. No capability is added back: builds, strip and smoke tests run as the
 * runner's user (see `user`) and only write to their bind mounts and /tmp, which needs none.
 */
export const HARDENING = ['--security-opt', 'no-new-privileges', '--cap-drop', 'ALL'] as const;
/** Builds: JVMs (Maven, Gradle) and parallel npm / pip installs run hundreds of threads. */
export const BUILD_PIDS_LIMIT = 4096;
/** Probes, strip and smoke tests: one interpreter and its threads. */
export const SMALL_PIDS_LIMIT = 512;

/** The argument array of `docker run` for a container description. Pure, so tests can check it exactly. */
export function runArgs(run: ContainerRun): string[] {
  const args = ['run', ...(run.name ? ['--name', run.name] : ['--rm'])];
  args.push('--platform', dockerPlatform(run.architecture), ...HARDENING);
  args.push('--pids-limit', String(run.pidsLimit ?? SMALL_PIDS_LIMIT));
  if (run.memoryBytes !== undefined) {
    args.push('--memory', String(run.memoryBytes), '--memory-swap', String(run.memoryBytes));
  }
  if (run.user) args.push('--user', run.user);
  if (run.network) args.push('--network', run.network);
  if (run.entrypoint) args.push('--entrypoint', run.entrypoint);
  if (run.workdir) args.push('--workdir', run.workdir);
  for (const mount of run.mounts) {
    // --mount, unlike -v, never creates a missing host path and does not split on ':'.
    const fields = ['type=bind', `source=${mount.host}`, `target=${mount.container}`];
    if (mount.readonly) fields.push('readonly');
    args.push('--mount', fields.map(csvField).join(','));
  }
  for (const [name, value] of Object.entries(run.env ?? {})) args.push('--env', `${name}=${value}`);
  args.push(run.image, ...run.command);
  return args;
}

export interface Limits {
  /** Milliseconds before the container is killed (build-timeout). */
  readonly timeoutMs: number;
  /** The inputs that set the limits, as the user wrote them, for the messages. */
  readonly timeoutInput: string;
  readonly memoryInput: string;
  /** An exit code that is an answer, not a failure: returned like 0 (the reuse scripts' 3). */
  readonly answerExitCode?: number;
}

/** How often a kill is tried again while `docker run` has not yet created the container. */
const KILL_RETRY_MS = 1000;

/**
 * Runs a container under `limits`, streaming its output (see dockerOutput). On timeout it kills this
 * container, found by its own random name, and no other; a container the kernel killed for memory
 * (OOMKilled, or exit 137 with no kill of ours) fails with a message that names build-memory. The
 * container is removed afterwards, after its state was read. Answers the exit code: 0, or
 * `limits.answerExitCode`.
 */
export async function runLimited(
  exec: Exec,
  run: ContainerRun,
  what: string,
  limits: Limits,
): Promise<number> {
  const name = `lambda-layer-release-${randomUUID()}`;
  const silently = { ignoreReturnCode: true, silent: true } as const;
  let timedOut = false;
  let killer: NodeJS.Timeout | undefined;
  const kill = (): void => {
    timedOut = true;
    void exec('docker', ['kill', name], silently).catch(() => undefined);
    killer = setTimeout(kill, KILL_RETRY_MS);
  };
  killer = setTimeout(kill, limits.timeoutMs);
  let output: ExecOutput;
  try {
    output = await dockerOutput(exec, runArgs({ ...run, name }), { what });
  } finally {
    clearTimeout(killer);
  }
  try {
    if (timedOut && output.exitCode !== 0) {
      throw new Error(
        `${what} was stopped after build-timeout (${limits.timeoutInput} minutes): it had not finished. ` +
          'Raise build-timeout, or look in the log for what it waited on (a prompt, a download, a lock).',
      );
    }
    if (output.exitCode === 0 || output.exitCode === limits.answerExitCode) return output.exitCode;
    if (output.exitCode === 137 || (await oomKilled(exec, name))) {
      throw new Error(
        `${what} was killed (exit code ${output.exitCode}) for using more memory than build-memory ` +
          `(${limits.memoryInput}) allows. Raise build-memory (e.g. build-memory: 8g), or build with less ` +
          'parallelism.',
      );
    }
    throw commandError(output, what);
  } finally {
    await exec('docker', ['rm', '--force', name], silently).catch(() => undefined);
  }
}

async function oomKilled(exec: Exec, name: string): Promise<boolean> {
  const output = await exec('docker', ['inspect', '--format', '{{.State.OOMKilled}}', name], {
    ignoreReturnCode: true,
    silent: true,
  });
  return output.exitCode === 0 && output.stdout.trim() === 'true';
}

/** --mount takes CSV: a field with a comma or a quote is quoted, quotes doubled. */
function csvField(field: string): string {
  return /[",]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

/** The runner's `uid:gid`, or undefined where the platform has none. */
export function currentUser(): string | undefined {
  return typeof process.getuid === 'function' && typeof process.getgid === 'function'
    ? `${process.getuid()}:${process.getgid()}`
    : undefined;
}
