export const id = 130;
export const ids = [130];
export const modules = {

/***/ 3871:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LT: () => (/* binding */ checkDockerEngine),
/* harmony export */   Ny: () => (/* binding */ currentUser),
/* harmony export */   Oe: () => (/* binding */ runLimited),
/* harmony export */   RT: () => (/* binding */ tail),
/* harmony export */   fQ: () => (/* binding */ runArgs),
/* harmony export */   kN: () => (/* binding */ checkArchitecture),
/* harmony export */   mz: () => (/* binding */ BUILD_PIDS_LIMIT),
/* harmony export */   oH: () => (/* binding */ dockerOutput)
/* harmony export */ });
/* unused harmony exports CommandError, docker, probeArgs, HARDENING, SMALL_PIDS_LIMIT */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _runtimes_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4049);



class CommandError extends Error {
    command;
    exitCode;
    stderrTail;
    constructor(command, exitCode, stderrTail, what) {
        super(`${what} failed (exit code ${exitCode})${stderrTail ? `:\n${stderrTail}` : ''}`);
        this.command = command;
        this.exitCode = exitCode;
        this.stderrTail = stderrTail;
        this.name = 'CommandError';
    }
}
/** The last lines of a command's error output: what a reader needs to see in a failure message. */
function tail(text, lines = 25) {
    return text.trimEnd().split('\n').slice(-lines).join('\n');
}
/** Runs `docker <args>`; throws CommandError with the stderr tail on a non-zero exit. */
async function docker(exec, args, { what, stream = true }) {
    const output = await dockerOutput(exec, args, { what, stream });
    if (output.exitCode !== 0)
        throw commandError(output, what);
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
async function dockerOutput(exec, args, { what, stream = true }) {
    const token = stream ? (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)() : undefined;
    let endsLine = true;
    const echo = (data) => {
        if (data.length === 0 || !stream)
            return;
        endsLine = data[data.length - 1] === 0x0a;
        process.stdout.write(data);
    };
    if (token) {
        process.stdout.write(`::stop-commands::${token}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`);
        process.stdout.write(`[command]docker ${args.map(shownArg).join(' ')}${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`);
    }
    try {
        return await exec('docker', args, {
            ignoreReturnCode: true,
            silent: true,
            listeners: { stdout: echo, stderr: echo },
        });
    }
    catch (error) {
        throw new Error(`${what} failed: cannot run docker (${error.message}); is Docker installed?`, {
            cause: error,
        });
    }
    finally {
        // The resume token must start a line of its own, or commands stay off for the rest of the step.
        if (token)
            process.stdout.write(`${endsLine ? '' : node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}::${token}::${node_os__WEBPACK_IMPORTED_MODULE_1__.EOL}`);
    }
}
/** An argument as the log shows it: a multi-line script by its first line and its length. */
function shownArg(arg) {
    const lines = arg.trimEnd().split('\n');
    return lines.length > 1 ? `'${lines[0]} …' (${lines.length} lines)` : arg;
}
function commandError(output, what) {
    let detail = tail(output.stderr || output.stdout);
    if (/Unable to find image .* locally/.test(output.stderr)) {
        detail +=
            '\nThe image is not on this runner and could not be pulled: check its name, or log in to its registry.';
    }
    return new CommandError('docker', output.exitCode, detail, what);
}
/** Fails early, with a useful message, when no Docker engine answers. */
async function checkDockerEngine(exec) {
    const output = await docker(exec, ['version', '--format', '{{.Server.Version}} {{.Server.Arch}}'], {
        what: 'contacting the Docker engine',
        stream: false,
    });
    const [version = '', arch = ''] = output.stdout.trim().split(/\s+/);
    return { version, architecture: (0,_runtimes_index_js__WEBPACK_IMPORTED_MODULE_2__/* .architectureOf */ .NJ)(arch) };
}
/**
 * Before anything is built: can the engine run `image` for `architecture`? Natively, yes; otherwise
 * only with an emulator registered in binfmt_misc, which a quick run of the image itself shows (a
 * missing one fails with "exec format error" after the pull). Throws an error that says what to do.
 */
async function checkArchitecture(exec, engine, image, architecture, purpose) {
    if (engine.architecture === architecture)
        return;
    const output = await exec('docker', probeArgs(image, architecture), {
        ignoreReturnCode: true,
        silent: true,
    });
    if (output.exitCode === 0)
        return;
    const detail = tail(output.stderr || output.stdout, 5);
    if (!/exec format error|exec user process caused|cannot execute binary/i.test(detail)) {
        throw new CommandError('docker', output.exitCode, detail, `Starting ${image} for ${purpose}`);
    }
    throw new Error(`This runner's Docker engine runs ${engine.architecture ?? 'another architecture'} containers and cannot run ` +
        `${(0,_runtimes_index_js__WEBPACK_IMPORTED_MODULE_2__/* .dockerPlatform */ .o)(architecture)} ones, which ${purpose} needs: no emulator (qemu-user-static) is registered ` +
        'with binfmt_misc. Add the step `docker/setup-qemu-action@v3` before this one, or run the job on a runner ' +
        `of that architecture (e.g. runs-on: ubuntu-24.04-arm for arm64)` +
        (purpose.startsWith('the build')
            ? '; for a Python layer, cross-install: true installs the wheels for it without running it.'
            : '.') +
        `
${detail}`);
}
/** `docker run` of a no-op in the image, entrypoint overridden: the cheapest check that it starts. */
function probeArgs(image, architecture) {
    return runArgs({
        image,
        architecture,
        mounts: [],
        entrypoint: 'sh',
        network: 'none',
        command: ['-c', ':'],
    });
}
/**
 * A build runs code nobody here wrote (setup.py, npm lifecycle scripts, gem extensions, Maven plugins).
 * Every container runs with no capabilities and can't regain any through a setuid binary; a fork bomb
 * stops at the pids limit. No capability is added back: builds, strip and smoke tests run as the
 * runner's user (see `user`) and only write to their bind mounts and /tmp, which needs none.
 */
const HARDENING = ['--security-opt', 'no-new-privileges', '--cap-drop', 'ALL'];
/** Builds: JVMs (Maven, Gradle) and parallel npm / pip installs run hundreds of threads. */
const BUILD_PIDS_LIMIT = 4096;
/** Probes, strip and smoke tests: one interpreter and its threads. */
const SMALL_PIDS_LIMIT = 512;
/** The argument array of `docker run` for a container description. Pure, so tests can check it exactly. */
function runArgs(run) {
    const args = ['run', ...(run.name ? ['--name', run.name] : ['--rm'])];
    args.push('--platform', (0,_runtimes_index_js__WEBPACK_IMPORTED_MODULE_2__/* .dockerPlatform */ .o)(run.architecture), ...HARDENING);
    args.push('--pids-limit', String(run.pidsLimit ?? SMALL_PIDS_LIMIT));
    if (run.memoryBytes !== undefined) {
        args.push('--memory', String(run.memoryBytes), '--memory-swap', String(run.memoryBytes));
    }
    if (run.user)
        args.push('--user', run.user);
    if (run.network)
        args.push('--network', run.network);
    if (run.entrypoint)
        args.push('--entrypoint', run.entrypoint);
    if (run.workdir)
        args.push('--workdir', run.workdir);
    for (const mount of run.mounts) {
        // --mount, unlike -v, never creates a missing host path and does not split on ':'.
        const fields = ['type=bind', `source=${mount.host}`, `target=${mount.container}`];
        if (mount.readonly)
            fields.push('readonly');
        args.push('--mount', fields.map(csvField).join(','));
    }
    for (const [name, value] of Object.entries(run.env ?? {}))
        args.push('--env', `${name}=${value}`);
    args.push(run.image, ...run.command);
    return args;
}
/** How often a kill is tried again while `docker run` has not yet created the container. */
const KILL_RETRY_MS = 1000;
/**
 * Runs a container under `limits`, streaming its output (see dockerOutput). On timeout it kills this
 * container, found by its own random name, and no other; a container the kernel killed for memory
 * (OOMKilled, or exit 137 with no kill of ours) fails with a message that names build-memory. The
 * container is removed afterwards, after its state was read.
 */
async function runLimited(exec, run, what, limits) {
    const name = `lambda-layer-release-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)()}`;
    const silently = { ignoreReturnCode: true, silent: true };
    let timedOut = false;
    let killer;
    const kill = () => {
        timedOut = true;
        void exec('docker', ['kill', name], silently).catch(() => undefined);
        killer = setTimeout(kill, KILL_RETRY_MS);
    };
    killer = setTimeout(kill, limits.timeoutMs);
    let output;
    try {
        output = await dockerOutput(exec, runArgs({ ...run, name }), { what });
    }
    finally {
        clearTimeout(killer);
    }
    try {
        if (timedOut && output.exitCode !== 0) {
            throw new Error(`${what} was stopped after build-timeout (${limits.timeoutInput} minutes): it had not finished. ` +
                'Raise build-timeout, or look in the log for what it waited on (a prompt, a download, a lock).');
        }
        if (output.exitCode === 0)
            return;
        if (output.exitCode === 137 || (await oomKilled(exec, name))) {
            throw new Error(`${what} was killed (exit code ${output.exitCode}) for using more memory than build-memory ` +
                `(${limits.memoryInput}) allows. Raise build-memory (e.g. build-memory: 8g), or build with less ` +
                'parallelism.');
        }
        throw commandError(output, what);
    }
    finally {
        await exec('docker', ['rm', '--force', name], silently).catch(() => undefined);
    }
}
async function oomKilled(exec, name) {
    const output = await exec('docker', ['inspect', '--format', '{{.State.OOMKilled}}', name], {
        ignoreReturnCode: true,
        silent: true,
    });
    return output.exitCode === 0 && output.stdout.trim() === 'true';
}
/** --mount takes CSV: a field with a comma or a quote is quoted, quotes doubled. */
function csvField(field) {
    return /[",]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
/** The runner's `uid:gid`, or undefined where the platform has none. */
function currentUser() {
    return typeof process.getuid === 'function' && typeof process.getgid === 'function'
        ? `${process.getuid()}:${process.getgid()}`
        : undefined;
}


/***/ }),

/***/ 8300:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   C8: () => (/* binding */ modulePathsIn),
/* harmony export */   HX: () => (/* binding */ checkLayout)
/* harmony export */ });
/* unused harmony exports LayoutError, describeLayout, expectedLayout */
/* harmony import */ var _runtimes_index_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4049);

class LayoutError extends Error {
    constructor(problem, found, expected) {
        super(`${problem}\nFound layout:\n${found.map((line) => `  ${line}`).join('\n') || '  (nothing)'}\n` +
            `Expected for this runtime:\n${expected.map((line) => `  ${line}`).join('\n')}`);
        this.name = 'LayoutError';
    }
}
/** Folder outline of a tree, two levels deep below each root folder, with file counts. */
function describeLayout(entries, depth = 4) {
    const counts = new Map();
    for (const entry of entries) {
        if (entry.type !== 'file')
            continue;
        const parts = entry.path.split('/');
        const key = parts.length > depth
            ? `${parts.slice(0, depth).join('/')}/`
            : parts.length === 1
                ? parts[0]
                : `${parts.slice(0, -1).join('/')}/`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .slice(0, 40)
        .map(([key, count]) => (key.endsWith('/') ? `${key} (${count} file${count === 1 ? '' : 's'})` : key));
}
/** The layouts this runtime reads, as a reader would write them. */
function expectedLayout(runtime) {
    const family = (0,_runtimes_index_js__WEBPACK_IMPORTED_MODULE_0__/* .familyOf */ .Ap)(runtime);
    const lines = runtime.modulePaths.map((modulePath) => `${modulePath}/`);
    for (const root of family.roots) {
        if (!lines.some((line) => line.startsWith(`${root}/`)))
            lines.push(`${root}/`);
    }
    return lines;
}
/** The runtime's module paths that hold files no more specific module path (listed first) holds. */
function modulePathsIn(entries, runtime) {
    // Another version's folder (python/lib/python3.13/ inside python/) is not this runtime's.
    const pattern = (0,_runtimes_index_js__WEBPACK_IMPORTED_MODULE_0__/* .familyOf */ .Ap)(runtime).versionedFolder;
    const files = entries.filter((entry) => entry.type === 'file' && (pattern?.exec(entry.path)?.[2] ?? runtime.version) === runtime.version);
    return runtime.modulePaths.filter((dir, index) => files.some((file) => file.path.startsWith(`${dir}/`) &&
        !runtime.modulePaths.slice(0, index).some((specific) => file.path.startsWith(`${specific}/`))));
}
/**
 * Throws LayoutError when the tree cannot work as a layer for `runtime` and every runtime it declares
 * (`declared`, of the same family): each must find its packages.
 */
function checkLayout(entries, runtime, declared = [runtime]) {
    const outline = describeLayout(entries);
    const expected = expectedLayout(runtime);
    const fail = (problem) => {
        throw new LayoutError(problem, outline, expected);
    };
    const files = entries.filter((entry) => entry.type === 'file');
    if (files.length === 0)
        fail('The layer is empty: the build produced no files.');
    const roots = (0,_runtimes_index_js__WEBPACK_IMPORTED_MODULE_0__/* .familyOf */ .Ap)(runtime).roots;
    const strays = [...new Set(files.map((file) => file.path.split('/')[0]))].filter((top) => !roots.includes(top));
    if (strays.length > 0) {
        fail(`The layer has content outside the folders ${runtime.id} reads (${roots.map((r) => `${r}/`).join(', ')}): ` +
            `${strays.join(', ')}. Lambda extracts a layer to /opt; files elsewhere are never loaded.`);
    }
    for (const root of roots) {
        if (files.some((file) => file.path.startsWith(`${root}/${root}/`))) {
            fail(`The layer nests ${root}/${root}/: zip the contents of the build folder, not the folder itself.`);
        }
    }
    const under = (dir) => files.some((file) => file.path.startsWith(`${dir}/`));
    const modulePaths = modulePathsIn(entries, runtime);
    const family = (0,_runtimes_index_js__WEBPACK_IMPORTED_MODULE_0__/* .familyOf */ .Ap)(runtime);
    const runtimes = [runtime, ...declared.filter((other) => other.id !== runtime.id)];
    const wrongVersion = [
        ...new Set(files.map((file) => versionedDir(file.path, runtimes)).filter(Boolean)),
    ];
    if (wrongVersion.length > 0) {
        const ids = runtimes.map((r) => r.id).join(', ');
        fail(`The layer installs into ${wrongVersion.join(', ')}, which ${ids} ${runtimes.length === 1 ? 'does' : 'do'} not read. ` +
            `Build with the ${runtime.id} image or set runtime to the version the packages were built for.`);
    }
    for (const other of runtimes) {
        const missing = missingVersionFolder(files, other);
        if (missing) {
            fail(`The layer declares ${other.id} but has no ${missing}/ and nothing under the folders every version ` +
                `reads: ${other.id} would not find its packages. Build for each version (the default build does, ` +
                `in each version's build image), or remove ${other.id} from compatible-runtimes.`);
        }
    }
    const languageRoot = family.languageRoot;
    if (languageRoot !== undefined &&
        family.withoutModulePath &&
        under(languageRoot) &&
        modulePaths.length === 0) {
        fail(`The layer has a ${languageRoot}/ folder ${family.withoutModulePath}.`);
    }
    if (!family.roots.some((root) => under(root) || files.some((file) => file.path === root))) {
        fail(`The layer has no ${family.roots.map((root) => `${root}/`).join(', ')}.`);
    }
    return { modulePaths, outline };
}
/** A versioned folder of the family for none of the runtimes' versions (python3.12 vs python3.11). */
function versionedDir(filePath, runtimes) {
    const match = (0,_runtimes_index_js__WEBPACK_IMPORTED_MODULE_0__/* .familyOf */ .Ap)(runtimes[0]).versionedFolder?.exec(filePath);
    return match && !runtimes.some((runtime) => runtime.version === match[2]) ? `${match[1]}/` : undefined;
}
/**
 * The runtime's own version folder, when the layer has version folders but not this one, and nothing in
 * the folders every version reads (`python/` for a pure-Python layer): the runtime would find nothing.
 */
function missingVersionFolder(files, runtime) {
    const pattern = (0,_runtimes_index_js__WEBPACK_IMPORTED_MODULE_0__/* .familyOf */ .Ap)(runtime).versionedFolder;
    if (!pattern)
        return undefined;
    const versioned = runtime.modulePaths.filter((dir) => pattern.test(`${dir}/`));
    const shared = runtime.modulePaths.filter((dir) => !pattern.test(`${dir}/`));
    // python/ holds every version's folder too: only what is outside them is shared.
    const holds = (dir) => files.some((file) => file.path.startsWith(`${dir}/`) && !pattern.test(file.path));
    const anyVersionFolder = files.some((file) => pattern.test(file.path));
    if (!anyVersionFolder || versioned.some((dir) => files.some((f) => f.path.startsWith(`${dir}/`)))) {
        return undefined;
    }
    if (shared.some(holds))
        return undefined;
    return versioned[0];
}


/***/ }),

/***/ 4784:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ pinnedList),
/* harmony export */   A: () => (/* binding */ listPackages)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream_consumers__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8321);
/* harmony import */ var node_stream_consumers__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_stream_consumers__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _zip_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4358);
/**
 * What a built layer contains, read from the package metadata the installer left behind:
 * the pinned package list (for the layer description) and the module names to import in the smoke test.
 */




const readers = {
    python: pythonPackages,
    nodejs: nodePackages,
    java: javaPackages,
    ruby: rubyPackages,
    provided: executables,
};
/** How each ecosystem writes a pinned package: `numpy==2.1.3`, `axios@1.7.9`, `commons-text:1.13.1`, `rack-3.1.8`. */
const PIN_SEPARATORS = {
    python: '==',
    nodejs: '@',
    java: ':',
    ruby: '-',
    provided: '',
};
/** Packages installed in the layer's module folders, sorted by name. */
async function listPackages(family, layerDir, modulePaths) {
    const packages = await readers[family](layerDir, modulePaths);
    return packages.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
}
/** `numpy==2.1.3 pandas==2.2.3` or `axios@1.7.9`: the pinned list people recognise. */
function pinnedList(family, packages) {
    const separator = PIN_SEPARATORS[family];
    return packages.map((p) => (p.version ? `${p.name}${separator}${p.version}` : p.name)).join(' ');
}
async function readText(file) {
    try {
        return await node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile(file, 'utf8');
    }
    catch {
        return undefined;
    }
}
async function entries(dir) {
    try {
        return (await node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir(dir)).sort();
    }
    catch {
        return [];
    }
}
/** From each `*.dist-info`: name and version from METADATA, modules from top_level.txt or RECORD. */
async function pythonPackages(layerDir, modulePaths) {
    const packages = [];
    for (const modulePath of modulePaths) {
        const dir = node_path__WEBPACK_IMPORTED_MODULE_1__.join(layerDir, modulePath);
        const names = await entries(dir);
        const present = new Set(names.map((name) => importableName(name)).filter(Boolean));
        for (const distInfo of names.filter((name) => name.endsWith('.dist-info'))) {
            const metadata = (await readText(node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, distInfo, 'METADATA'))) ?? '';
            const [fallbackName = distInfo, fallbackVersion = '?'] = distInfo
                .replace(/\.dist-info$/, '')
                .split('-');
            const name = /^Name: (.+)$/m.exec(metadata)?.[1]?.trim() ?? fallbackName;
            const version = /^Version: (.+)$/m.exec(metadata)?.[1]?.trim() ?? fallbackVersion;
            const topLevel = await readText(node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, distInfo, 'top_level.txt'));
            const record = topLevel === undefined ? await readText(node_path__WEBPACK_IMPORTED_MODULE_1__.join(dir, distInfo, 'RECORD')) : undefined;
            const candidates = (topLevel ?? record ?? '')
                .split('\n')
                .map((line) => line.split(',')[0].split('/')[0].trim())
                .map((first) => importableName(first))
                .filter((module) => !!module && present.has(module));
            packages.push({ name, version, imports: [...new Set(candidates)].sort() });
        }
    }
    return packages;
}
/** The module a site-packages entry provides (`yaml/` → yaml, `six.py` → six, `_foo.cpython-311-x86_64-linux-gnu.so` → _foo). */
function importableName(entry) {
    if (entry.endsWith('.dist-info') || entry.endsWith('.data') || entry === '__pycache__' || entry === 'bin') {
        return undefined;
    }
    const module = entry
        .replace(/\.py$/, '')
        .replace(/\.(cpython|abi3|cp)[^/]*\.(so|pyd)$/, '')
        .replace(/\.so$/, '');
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(module) ? module : undefined;
}
/** The dependencies of nodejs/package.json (or every top-level package when there is none). */
async function nodePackages(layerDir, modulePaths) {
    const packages = [];
    for (const modulePath of modulePaths) {
        const modulesDir = node_path__WEBPACK_IMPORTED_MODULE_1__.join(layerDir, modulePath);
        const manifest = await readText(node_path__WEBPACK_IMPORTED_MODULE_1__.join(modulesDir, '..', 'package.json'));
        let names;
        if (manifest !== undefined) {
            names = Object.keys(JSON.parse(manifest).dependencies ?? {});
        }
        else {
            names = [];
            for (const entry of await entries(modulesDir)) {
                if (entry.startsWith('.'))
                    continue;
                if (entry.startsWith('@'))
                    names.push(...(await entries(node_path__WEBPACK_IMPORTED_MODULE_1__.join(modulesDir, entry))).map((n) => `${entry}/${n}`));
                else
                    names.push(entry);
            }
        }
        for (const name of names) {
            const installed = await readText(node_path__WEBPACK_IMPORTED_MODULE_1__.join(modulesDir, name, 'package.json'));
            const version = installed === undefined
                ? 'missing'
                : (JSON.parse(installed).version ?? '?');
            packages.push({ name, version, imports: [name] });
        }
    }
    return packages;
}
/** The jars in java/lib, named and versioned by their Maven metadata, else by their file names. */
async function javaPackages(layerDir, modulePaths) {
    const packages = [];
    for (const modulePath of modulePaths) {
        for (const jar of (await entries(node_path__WEBPACK_IMPORTED_MODULE_1__.join(layerDir, modulePath))).filter((n) => n.endsWith('.jar'))) {
            const coordinates = await mavenCoordinates(node_path__WEBPACK_IMPORTED_MODULE_1__.join(layerDir, modulePath, jar));
            const match = /^(.+?)-(\d[^-]*(?:-[A-Za-z][\w.]*)?)\.jar$/.exec(jar);
            packages.push({
                name: coordinates?.name ?? match?.[1] ?? jar.replace(/\.jar$/, ''),
                version: coordinates?.version ?? match?.[2] ?? '?',
                imports: [jar],
            });
        }
    }
    return packages;
}
/**
 * artifactId and version from a jar's META-INF/maven/<group>/<artifact>/pom.properties (a shaded jar
 * has several: the one its file name starts with). Undefined for a jar without them, or no zip at all,
 * which the smoke test then reports.
 */
async function mavenCoordinates(jar) {
    const found = [];
    try {
        const zip = await (0,_zip_js__WEBPACK_IMPORTED_MODULE_3__/* .openZip */ .QH)(jar, { lazyEntries: true });
        for await (const entry of zip.eachEntry()) {
            if (!/^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(entry.fileName))
                continue;
            const properties = await (0,node_stream_consumers__WEBPACK_IMPORTED_MODULE_2__.text)(await zip.openReadStreamPromise(entry));
            const name = /^artifactId=(.+)$/m.exec(properties)?.[1]?.trim();
            const version = /^version=(.+)$/m.exec(properties)?.[1]?.trim();
            if (name && version)
                found.push({ name, version });
        }
    }
    catch {
        return undefined;
    }
    const file = node_path__WEBPACK_IMPORTED_MODULE_1__.basename(jar);
    return found.find((c) => file.startsWith(`${c.name}-`)) ?? (found.length === 1 ? found[0] : undefined);
}
/**
 * The gems in the layer's gem folder (from specifications/*.gemspec); the ones the Gemfile names
 * (ruby/Gemfile.lock's DEPENDENCIES, written by the default build) are the ones to require.
 */
async function rubyPackages(layerDir, modulePaths) {
    const lock = (await readText(node_path__WEBPACK_IMPORTED_MODULE_1__.join(layerDir, 'ruby', 'Gemfile.lock'))) ?? '';
    const dependencies = /^DEPENDENCIES\n((?: {2}.*\n?)*)/m.exec(lock)?.[1] ?? '';
    const direct = new Set(dependencies
        .split('\n')
        .map((line) => /^ {2}([^\s!(]+)/.exec(line)?.[1])
        .filter((name) => !!name));
    const packages = [];
    for (const modulePath of modulePaths) {
        const specifications = node_path__WEBPACK_IMPORTED_MODULE_1__.join(layerDir, modulePath, 'specifications');
        for (const file of (await entries(specifications)).filter((n) => n.endsWith('.gemspec'))) {
            const spec = (await readText(node_path__WEBPACK_IMPORTED_MODULE_1__.join(specifications, file))) ?? '';
            const name = /\.name = "([^"]+)"/.exec(spec)?.[1] ?? file.replace(/\.gemspec$/, '');
            const version = /\.version = "([^"]+)"/.exec(spec)?.[1] ?? '?';
            packages.push({ name, version, imports: direct.has(name) ? [name] : [] });
        }
    }
    return packages;
}
/** A custom runtime's executables: the bootstrap Lambda starts, and every file in bin/. */
async function executables(layerDir) {
    const found = [];
    const isFile = (file) => node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat(node_path__WEBPACK_IMPORTED_MODULE_1__.join(layerDir, file)).then((stat) => stat.isFile(), () => false);
    if (await isFile('bootstrap'))
        found.push('bootstrap');
    for (const name of await entries(node_path__WEBPACK_IMPORTED_MODULE_1__.join(layerDir, 'bin'))) {
        if (await isFile(`bin/${name}`))
            found.push(`bin/${name}`);
    }
    return found.map((file) => ({ name: file, version: '', imports: [file] }));
}


/***/ }),

/***/ 4358:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Dx: () => (/* binding */ writeDeterministicZip),
/* harmony export */   JE: () => (/* binding */ extractZip),
/* harmony export */   QH: () => (/* binding */ openZip),
/* harmony export */   WZ: () => (/* binding */ summarizeTree),
/* harmony export */   Z4: () => (/* binding */ MAX_UNZIPPED_BYTES),
/* harmony export */   nT: () => (/* binding */ listTree),
/* harmony export */   sN: () => (/* binding */ fileSha256)
/* harmony export */ });
/* unused harmony export byteLimit */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var p_limit__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(370);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_5__);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(7975);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_6___default = /*#__PURE__*/__webpack_require__.n(node_util__WEBPACK_IMPORTED_MODULE_6__);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(8522);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_7___default = /*#__PURE__*/__webpack_require__.n(node_zlib__WEBPACK_IMPORTED_MODULE_7__);
/* harmony import */ var yauzl__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(663);
/**
 * Deterministic layer zips: the same tree gives the same bytes (so the same CodeSha256), whatever the
 * file mtimes, creation order, umask or TZ. Entries are sorted by path (UTF-8 byte order), every
 * directory gets an entry (so empty directories survive), times are fixed, modes normalised to
 * 0644 / 0755 / dir 0755, and links inside the root are stored as what they point to.
 *
 * Files are read and deflated in pieces ahead of the writer, several at once in libuv's threadpool (so
 * every core works), within a bounded window; the zip is written by a small writer here (yazl deflates
 * one entry at a time, or keeps every compressed buffer until the end) and hashed on its way to disk.
 */










const FILE_MODE = 0o100644;
const EXEC_MODE = 0o100755;
const DIR_MODE = 0o40755;
/** Files are deflated in pieces of this size, in parallel (a constant: the zip's bytes depend on it). */
const PIECE = 1 << 20;
/** Each piece is deflated with the 32 KiB before it (deflate's window) as its dictionary. */
const DICTIONARY = 32 << 10;
/** Pieces read and deflated ahead of the writer, at most: WINDOW × PIECE bytes, plus their deflated copies. */
const WINDOW = 16;
const deflateRawAsync = (0,node_util__WEBPACK_IMPORTED_MODULE_6__.promisify)(node_zlib__WEBPACK_IMPORTED_MODULE_7__.deflateRaw);
/** Files hashed at once (libuv's threadpool has four threads; the rest queue there). */
const PARALLEL_ENTRIES = 16;
/** The sorted walk of `root`, links inside the root resolved; throws on links that escape or dangle. */
async function listTree(root) {
    const { entries } = await walk(root);
    return entries.map(({ path, type, size, executable }) => ({ path, type, size, executable }));
}
async function writeDeterministicZip(root, outFile, options = {}) {
    const level = options.compressionLevel ?? 6;
    if (!Number.isInteger(level) || level < 0 || level > 9) {
        throw new Error(`compressionLevel must be an integer from 0 to 9, got ${level}`);
    }
    const { rootReal, entries } = await walk(root);
    const files = entries.filter((entry) => entry.type === 'file');
    if (files.length === 0)
        throw new Error(`Layer root ${root} is empty: it contains no files to zip.`);
    const file = node_path__WEBPACK_IMPORTED_MODULE_3___default().resolve(outFile);
    if (isInside(rootReal, node_path__WEBPACK_IMPORTED_MODULE_3___default().join(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.realpath)(node_path__WEBPACK_IMPORTED_MODULE_3___default().dirname(file)), node_path__WEBPACK_IMPORTED_MODULE_3___default().basename(file)))) {
        throw new Error(`The zip ${file} must be written outside the layer root ${root}.`);
    }
    if (entries.length > 0xffff)
        throw new Error(`The layer has ${entries.length} entries; a zip holds 65,535.`);
    const treeHash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    const out = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(file, 'w');
    const zip = new ZipWriter(out);
    const pieces = new Pieces(files, level);
    try {
        for (const entry of entries) {
            if (entry.type === 'dir') {
                await zip.add({ name: `${entry.path}/`, mode: DIR_MODE, method: 0, crc: 0, size: 0 }, []);
                treeHash.update(treeLine(entry));
                continue;
            }
            const fields = {
                name: entry.path,
                mode: entry.executable ? EXEC_MODE : FILE_MODE,
                method: level ? 8 : 0,
            };
            const contentHash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
            let crc = 0;
            const count = pieceCount(entry);
            if (count === 1) {
                // The usual case: CRC and sizes go in the local header, no data descriptor.
                const { raw, data } = await pieces.take();
                contentHash.update(raw);
                await zip.add({ ...fields, crc: (0,node_zlib__WEBPACK_IMPORTED_MODULE_7__.crc32)(raw), size: raw.length }, [data]);
            }
            else {
                await zip.begin(fields);
                for (let i = 0; i < count; i++) {
                    const { raw, data } = await pieces.take();
                    contentHash.update(raw);
                    crc = (0,node_zlib__WEBPACK_IMPORTED_MODULE_7__.crc32)(raw, crc);
                    await zip.data(data);
                }
                await zip.finish(crc, entry.size);
            }
            treeHash.update(treeLine(entry, contentHash.digest('hex')));
        }
        await zip.end();
    }
    catch (err) {
        await pieces.drain();
        await out.close();
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.rm)(file, { force: true });
        throw err;
    }
    await out.close();
    return {
        file,
        zipSize: zip.size,
        unzippedSize: files.reduce((sum, entry) => sum + entry.size, 0),
        fileCount: files.length,
        codeSha256: zip.sha256(),
        treeHash: treeHash.digest('hex'),
    };
}
/** The tree hash, size and file count of `root`, as writeDeterministicZip reports them, without a zip. */
async function summarizeTree(root, 
/** SHA-256 (hex) of files already known, by path (what extractZip answers): not read again. */
known = new Map()) {
    const { entries } = await walk(root);
    const treeHash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    let unzippedSize = 0;
    let fileCount = 0;
    // Files are hashed several at once; the lines go into the tree hash in order.
    const limit = (0,p_limit__WEBPACK_IMPORTED_MODULE_9__/* ["default"] */ .A)(PARALLEL_ENTRIES);
    const sums = entries.map((entry) => entry.type === 'dir'
        ? undefined
        : (known.get(entry.path) ?? limit(() => fileSha256(entry.source, 'hex'))));
    for (const [index, entry] of entries.entries()) {
        if (entry.type === 'dir') {
            treeHash.update(treeLine(entry));
            continue;
        }
        treeHash.update(treeLine(entry, await sums[index]));
        unzippedSize += entry.size;
        fileCount++;
    }
    return { treeHash: treeHash.digest('hex'), unzippedSize, fileCount };
}
/** SHA-256 of a file, streamed (base64 is how Lambda reports a zip's CodeSha256). */
async function fileSha256(file, encoding) {
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_5__.pipeline)((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(file), hash);
    return hash.digest(encoding);
}
/**
 * One line per entry: `<content sha256 hex> <644|755> <JSON path>` for a file, `dir 755 <JSON path>` for
 * a directory. Directories are included because empty ones are part of the zip too.
 */
function treeLine(entry, sha256 = '') {
    const path = JSON.stringify(entry.path);
    return entry.type === 'dir' ? `dir 755 ${path}\n` : `${sha256} ${entry.executable ? 755 : 644} ${path}\n`;
}
const pieceCount = (entry) => Math.max(1, Math.ceil(entry.size / PIECE));
/**
 * Reads and deflates the files' pieces ahead of the writer, in order, several at a time: zlib's async
 * calls run in libuv's threadpool, so every core works while earlier pieces are written. A piece after
 * the first is deflated with the 32 KiB before it as its dictionary and ends with a sync flush, so the
 * pieces of a file concatenate into one deflate stream (as pigz does) that is as small as one made in a
 * single pass. At most WINDOW pieces are in memory.
 */
class Pieces {
    queue = [];
    files;
    level;
    file = 0;
    piece = 0;
    constructor(files, level) {
        this.files = files;
        this.level = level;
        this.fill();
    }
    /** The next piece, in file order. */
    async take() {
        const next = this.queue.shift();
        this.fill();
        return next;
    }
    /** Waits for the pieces still being read, so that no file stays open after a failure. */
    async drain() {
        this.file = this.files.length;
        await Promise.allSettled(this.queue);
    }
    fill() {
        while (this.queue.length < WINDOW && this.file < this.files.length) {
            const entry = this.files[this.file];
            const last = this.piece === pieceCount(entry) - 1;
            const reading = this.pack(entry, this.piece * PIECE, last);
            reading.catch(() => { }); // reported when its turn comes
            this.queue.push(reading);
            if (last)
                [this.file, this.piece] = [this.file + 1, 0];
            else
                this.piece++;
        }
    }
    async pack(entry, offset, last) {
        const length = Math.min(PIECE, entry.size - offset);
        const before = Math.min(DICTIONARY, offset);
        const bytes = Buffer.allocUnsafe(before + length);
        const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(entry.source, 'r');
        try {
            const { bytesRead } = await handle.read(bytes, 0, bytes.length, offset - before);
            if (bytesRead !== bytes.length)
                throw new Error(`${entry.path} changed while it was being zipped`);
        }
        finally {
            await handle.close();
        }
        const raw = bytes.subarray(before);
        if (this.level === 0)
            return { raw, data: raw };
        const data = await deflateRawAsync(raw, {
            level: this.level,
            ...(before ? { dictionary: bytes.subarray(0, before) } : {}),
            finishFlush: last ? node_zlib__WEBPACK_IMPORTED_MODULE_7__.constants.Z_FINISH : node_zlib__WEBPACK_IMPORTED_MODULE_7__.constants.Z_SYNC_FLUSH,
        });
        return { raw, data };
    }
}
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const DATA_DESCRIPTOR = 0x08074b50;
const UTF8_NAMES = 1 << 11;
const SIZES_AFTER_DATA = 1 << 3;
const VERSION_NEEDED = 20;
const VERSION_MADE_BY = (3 << 8) | 20; // Unix, so that unzip and Lambda apply the modes
/** 1981-01-01 00:00 as a DOS date; the DOS time is 0. */
const DOS_DATE = ((1981 - 1980) << 9) | (1 << 5) | 1;
/**
 * A minimal zip writer, no zip64 (a layer is far below 4 GiB and 65,535 entries): CRC and sizes in the
 * local header when known before the data, else in a data descriptor after it; one central directory.
 */
class ZipWriter {
    size = 0;
    out;
    hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    central = [];
    open;
    constructor(out) {
        this.out = out;
    }
    async add(fields, data) {
        const compressedSize = data.reduce((sum, chunk) => sum + chunk.length, 0);
        const entry = { ...fields, flags: UTF8_NAMES, compressedSize, offset: this.size };
        await this.write([header(entry, false), ...data]);
        this.central.push(header(entry, true));
    }
    /** Starts an entry whose CRC and compressed size come after its data (see finish). */
    async begin(fields) {
        this.open = {
            ...fields,
            crc: 0,
            size: 0,
            flags: UTF8_NAMES | SIZES_AFTER_DATA,
            compressedSize: 0,
            offset: this.size,
        };
        await this.write([header(this.open, false)]);
    }
    async data(chunk) {
        this.open.compressedSize += chunk.length;
        await this.write([chunk]);
    }
    async finish(crc, size) {
        const entry = { ...this.open, crc, size };
        const descriptor = Buffer.alloc(16);
        descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
        descriptor.writeUInt32LE(crc, 4);
        descriptor.writeUInt32LE(entry.compressedSize, 8);
        descriptor.writeUInt32LE(size, 12);
        await this.write([descriptor]);
        this.central.push(header(entry, true));
        this.open = undefined;
    }
    async end() {
        const directory = Buffer.concat(this.central);
        const end = Buffer.alloc(22);
        end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
        end.writeUInt16LE(this.central.length, 8);
        end.writeUInt16LE(this.central.length, 10);
        end.writeUInt32LE(directory.length, 12);
        end.writeUInt32LE(this.size, 16);
        await this.write([directory, end]);
    }
    sha256() {
        return this.hash.digest('base64');
    }
    async write(chunks) {
        for (const chunk of chunks) {
            this.hash.update(chunk);
            this.size += chunk.length;
        }
        if (this.size > 0xffffffff)
            throw new Error('The zip would be over 4 GiB, far more than a layer can be.');
        await this.out.writev(chunks);
    }
}
/** A local file header, or the entry's central directory record. */
function header(entry, central) {
    const name = Buffer.from(entry.name);
    const fixed = central ? 46 : 30;
    const buffer = Buffer.alloc(fixed + name.length);
    let at = 0;
    const u16 = (value) => (at = buffer.writeUInt16LE(value, at));
    const u32 = (value) => (at = buffer.writeUInt32LE(value >>> 0, at));
    u32(central ? CENTRAL_HEADER : LOCAL_HEADER);
    if (central)
        u16(VERSION_MADE_BY);
    u16(VERSION_NEEDED);
    u16(entry.flags);
    u16(entry.method);
    u16(0); // DOS time
    u16(DOS_DATE);
    const deferred = !central && entry.flags & SIZES_AFTER_DATA;
    u32(deferred ? 0 : entry.crc);
    u32(deferred ? 0 : entry.compressedSize);
    u32(deferred ? 0 : entry.size);
    u16(name.length);
    u16(0); // extra field length
    if (central) {
        u16(0); // comment length
        u16(0); // disk number
        u16(0); // internal attributes
        u32(entry.mode << 16);
        u32(entry.offset);
    }
    name.copy(buffer, fixed);
    return buffer;
}
async function walk(root) {
    let rootReal;
    try {
        rootReal = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.realpath)(root);
    }
    catch {
        throw new Error(`Layer root ${root} does not exist.`);
    }
    if (!(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(rootReal)).isDirectory())
        throw new Error(`Layer root ${root} is not a directory.`);
    const entries = [];
    // `ancestors` holds the real paths of the directories being walked: following a link into one is a cycle.
    async function visit(dirReal, dirPath, ancestors) {
        for (const name of await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readdir)(dirReal)) {
            const relPath = dirPath ? `${dirPath}/${name}` : name;
            if (name.includes('\\')) {
                throw new Error(`${relPath}: a backslash in a name would read as a folder separator in a zip.`);
            }
            let source = node_path__WEBPACK_IMPORTED_MODULE_3___default().join(dirReal, name);
            let stats = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.lstat)(source);
            if (stats.isSymbolicLink()) {
                const link = await resolveLink(rootReal, source, relPath);
                if (ancestors.includes(link)) {
                    throw new Error(`Symlink ${relPath} -> ${await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readlink)(source)} makes a cycle (it points to its own parent).`);
                }
                source = link;
                stats = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.stat)(source);
            }
            if (stats.isDirectory()) {
                entries.push({ path: relPath, type: 'dir', size: 0, executable: false, source });
                await visit(source, relPath, [...ancestors, source]);
            }
            else if (stats.isFile()) {
                const executable = (stats.mode & 0o111) !== 0;
                entries.push({ path: relPath, type: 'file', size: stats.size, executable, source });
            }
            else {
                throw new Error(`${relPath} is not a regular file, directory or symlink; it cannot go in a layer.`);
            }
        }
    }
    await visit(rootReal, '', [rootReal]);
    const keyed = entries.map((entry) => ({ key: Buffer.from(entry.path), entry }));
    keyed.sort((a, b) => Buffer.compare(a.key, b.key));
    return { rootReal, entries: keyed.map(({ entry }) => entry) };
}
/** The real path a link resolves to; refuses links that point outside the root or to nothing. */
async function resolveLink(rootReal, link, relPath) {
    const target = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readlink)(link);
    const refuse = (why) => new Error(`Symlink ${relPath} -> ${target} ${why}; a layer may only hold links to files inside its root.`);
    const lexical = node_path__WEBPACK_IMPORTED_MODULE_3___default().resolve(node_path__WEBPACK_IMPORTED_MODULE_3___default().dirname(link), target);
    if (!isInside(rootReal, lexical))
        throw refuse('points outside the layer root');
    let real;
    try {
        real = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.realpath)(lexical);
    }
    catch (err) {
        throw refuse(`dangles (${err.code ?? String(err)})`);
    }
    if (!isInside(rootReal, real))
        throw refuse('resolves outside the layer root');
    return real;
}
function isInside(dir, candidate) {
    const relative = node_path__WEBPACK_IMPORTED_MODULE_3___default().relative(dir, candidate);
    return relative !== '..' && !relative.startsWith(`..${(node_path__WEBPACK_IMPORTED_MODULE_3___default().sep)}`) && !node_path__WEBPACK_IMPORTED_MODULE_3___default().isAbsolute(relative);
}
/** yauzl's own messages for names that are absolute, climb with `..`, or hold a backslash. */
const UNSAFE_NAME = /^(absolute path|invalid relative path|invalid characters in fileName): /;
/** yauzl's message when an entry inflates to more bytes than the central directory says. */
const TOO_MANY_BYTES = /^too many bytes in the stream/;
/** Lambda's limit for a function and all its layers, unzipped. */
const MAX_UNZIPPED_BYTES = 262_144_000;
/**
 * Extracts `zipFile` into `destDir` (created if needed; existing files are not overwritten), restoring
 * executable bits as 0755 / 0644; answers each file's SHA-256 (hex) by path. Refuses entries that would land outside `destDir` (zip-slip) and link
 * entries. Zip bombs: a zip whose central directory declares more than `maxBytes` unzipped is refused
 * before anything is written, and an entry that inflates past its declared size stops right there, so
 * no more than the declared sizes (at most `maxBytes`) ever reach the disk.
 */
async function extractZip(zipFile, destDir, options = {}) {
    const maxBytes = options.maxBytes ?? MAX_UNZIPPED_BYTES;
    const dest = node_path__WEBPACK_IMPORTED_MODULE_3___default().resolve(destDir);
    const refuse = (why) => new Error(`Refusing to extract ${zipFile}: ${why}`);
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(dest, { recursive: true });
    const zip = await openZip(zipFile, { lazyEntries: true, strictFileNames: true, autoClose: false });
    try {
        const entries = [];
        let declared = 0;
        for await (const entry of zip.eachEntry()) {
            entries.push(entry);
            if (!entry.fileName.endsWith('/'))
                declared += entry.uncompressedSize;
        }
        if (declared > maxBytes) {
            throw refuse(`its central directory declares ${declared.toLocaleString('en-US')} bytes unzipped, over the ` +
                `${maxBytes.toLocaleString('en-US')} bytes Lambda allows for a function and its layers; nothing was extracted.`);
        }
        const budget = { left: maxBytes };
        // One entry after the other, so a lying entry stops the extraction there; folders made once.
        const folders = new Set([dest]);
        const hashes = new Map();
        for (const entry of entries)
            await extractEntry(zip, entry, dest, { budget, folders, hashes }, refuse);
        return hashes;
    }
    catch (err) {
        if (err instanceof Error && UNSAFE_NAME.test(err.message)) {
            throw refuse(`unsafe entry name, it would escape ${dest} (zip-slip): ${err.message}`);
        }
        throw err;
    }
    finally {
        zip.close();
    }
}
async function extractEntry(zip, entry, dest, { budget, folders, hashes, }, refuse) {
    const target = node_path__WEBPACK_IMPORTED_MODULE_3___default().resolve(dest, entry.fileName);
    if (!isInside(dest, target)) {
        throw refuse(`entry ${JSON.stringify(entry.fileName)} would be written outside ${dest} (zip-slip).`);
    }
    const mode = entry.externalFileAttributes >>> 16;
    const folder = async (dir) => {
        if (folders.has(dir))
            return;
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(dir, { recursive: true });
        folders.add(dir);
    };
    if (entry.fileName.endsWith('/'))
        return folder(target);
    if ((mode & node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.S_IFMT) === node_fs__WEBPACK_IMPORTED_MODULE_1__.constants.S_IFLNK) {
        throw refuse(`entry ${JSON.stringify(entry.fileName)} is a symbolic link.`);
    }
    const fileMode = mode & 0o111 ? 0o755 : 0o644;
    await folder(node_path__WEBPACK_IMPORTED_MODULE_3___default().dirname(target));
    const allowed = Math.min(entry.uncompressedSize, budget.left);
    budget.left -= allowed;
    const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    const lies = () => refuse(`entry ${JSON.stringify(entry.fileName)} inflates to more than the ${entry.uncompressedSize} bytes its ` +
        'central directory declares (a zip bomb?); extraction stopped there.');
    try {
        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_5__.pipeline)(await zip.openReadStreamPromise(entry), byteLimit(allowed, lies), 
        // Hashed on the way to disk: summarizeTree need not read the file again.
        new node_stream__WEBPACK_IMPORTED_MODULE_4__.Transform({
            transform(chunk, _encoding, callback) {
                hash.update(chunk);
                callback(null, chunk);
            },
        }), (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(target, { flags: 'wx', mode: fileMode }));
        hashes.set(node_path__WEBPACK_IMPORTED_MODULE_3___default().relative(dest, target).split((node_path__WEBPACK_IMPORTED_MODULE_3___default().sep)).join('/'), hash.digest('hex'));
    }
    catch (err) {
        throw err instanceof Error && TOO_MANY_BYTES.test(err.message) ? lies() : err;
    }
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.chmod)(target, fileMode); // the umask may have cleared bits at creation
}
/**
 * Passes at most `max` bytes through and fails with `tooMany()` on the chunk that would pass it, before
 * that chunk is written. (yauzl checks each entry against its declared size too; this also holds the
 * total, and does not depend on how a library reads the central directory.)
 */
function byteLimit(max, tooMany) {
    let seen = 0;
    return new node_stream__WEBPACK_IMPORTED_MODULE_4__.Transform({
        transform(chunk, _encoding, callback) {
            seen += chunk.length;
            if (seen > max)
                callback(tooMany());
            else
                callback(null, chunk);
        },
    });
}
// ---- reading zips ---------------------------------------------------------------------------------
/*
 * yauzl over a local file, with its small reads served from memory. yauzl reads the central directory
 * one entry at a time (46 bytes, then the name and extra fields) and each entry's local header before
 * its data; over a plain file descriptor every one of those reads is a trip through libuv's threadpool.
 * For a zip of 20,000 small files that meant 40,000 trips just to list it. Here each small read is
 * answered from a 64 KiB chunk read once (the last 32 are kept), so listing a zip costs about what
 * reading its central directory costs. Entry data is still streamed straight from the file.
 */
/** Bytes read at once for a small read that misses; a larger read goes to the file directly. */
const READ_CHUNK = 64 << 10;
/** Chunks kept; the least recently used is dropped first. */
const READ_CHUNKS = 32;
class ChunkedFileReader extends yauzl__WEBPACK_IMPORTED_MODULE_8__/* .RandomAccessReader */ .lJ {
    /** Most recently used last. */
    chunks = [];
    fd;
    size;
    // Plain fields, not parameter properties: this file also runs under Node's type stripping.
    constructor(fd, size) {
        super();
        this.fd = fd;
        this.size = size;
    }
    read(buffer, offset, length, position, callback) {
        const at = this.chunks.findIndex(({ start, data }) => position >= start && position + length <= start + data.length);
        if (at >= 0) {
            const [{ start, data }] = this.chunks.splice(at, 1);
            this.chunks.push({ start, data });
            data.copy(buffer, offset, position - start, position - start + length);
            callback(null);
            return;
        }
        if (length > READ_CHUNK) {
            readFully(this.fd, buffer, offset, length, position, callback);
            return;
        }
        const data = Buffer.allocUnsafe(Math.max(length, Math.min(READ_CHUNK, this.size - position)));
        readFully(this.fd, data, 0, data.length, position, (error) => {
            if (error)
                return callback(error);
            this.chunks.push({ start: position, data });
            if (this.chunks.length > READ_CHUNKS)
                this.chunks.shift();
            data.copy(buffer, offset, 0, length);
            callback(null);
        });
    }
    /** Entry data, read from the shared descriptor (an fs.ReadStream would close it when destroyed). */
    _readStreamForRange(start, end) {
        const fd = this.fd;
        let position = start;
        return new node_stream__WEBPACK_IMPORTED_MODULE_4__.Readable({
            highWaterMark: READ_CHUNK,
            read(size) {
                const length = Math.min(size, end - position);
                if (length <= 0) {
                    this.push(null);
                    return;
                }
                const buffer = Buffer.allocUnsafe(length);
                (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.read)(fd, buffer, 0, length, position, (error, bytes) => {
                    if (error)
                        return this.destroy(error);
                    if (bytes === 0)
                        return this.destroy(new Error('unexpected end of the zip file'));
                    position += bytes;
                    this.push(buffer.subarray(0, bytes));
                });
            },
        });
    }
    close(callback) {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.close)(this.fd, (error) => callback(error ?? null));
    }
}
/** fs.read until `length` bytes are in, or an error (a file that ends early is one). */
function readFully(fd, buffer, offset, length, position, callback) {
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.read)(fd, buffer, offset, length, position, (error, bytes) => {
        if (error)
            return callback(error);
        if (bytes === 0 && length > 0)
            return callback(new Error('unexpected end of the zip file'));
        if (bytes < length)
            return readFully(fd, buffer, offset + bytes, length - bytes, position + bytes, callback);
        callback(null);
    });
}
/** yauzl's `open` (the same options and defaults), with the reads above. */
async function openZip(file, options = {}) {
    const fd = await (0,node_util__WEBPACK_IMPORTED_MODULE_6__.promisify)(node_fs__WEBPACK_IMPORTED_MODULE_1__.open)(file, 'r');
    try {
        const { size } = await (0,node_util__WEBPACK_IMPORTED_MODULE_6__.promisify)(node_fs__WEBPACK_IMPORTED_MODULE_1__.fstat)(fd);
        const reader = new ChunkedFileReader(fd, size);
        return await (0,yauzl__WEBPACK_IMPORTED_MODULE_8__/* .fromRandomAccessReaderPromise */ .or)(reader, size, options);
    }
    catch (error) {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.close)(fd, () => undefined);
        throw error;
    }
}


/***/ }),

/***/ 5625:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ oneLine)
/* harmony export */ });
/**
 * Text that came from the build, the layer or the repository (a file name, a module name, a line a
 * container printed), made one log line. The runner reads a line break (\n, \r, …) in the log as the
 * start of a new line, and a line that starts with `::` or `##[` as a workflow command: so every control
 * character is shown as an escape, never written.
 */
function oneLine(text) {
    return text.replace(/[\p{Cc}\u0085\u2028\u2029]/gu, (char) => `\\u${char.codePointAt(0).toString(16).padStart(4, '0')}`);
}


/***/ }),

/***/ 6130:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  MAX_DIRECT_UPLOAD_BYTES: () => (/* binding */ MAX_DIRECT_UPLOAD_BYTES),
  MAX_UNZIPPED_BYTES: () => (/* reexport */ layer_zip/* MAX_UNZIPPED_BYTES */.Z4),
  buildArchitecture: () => (/* binding */ buildArchitecture),
  buildLayer: () => (/* binding */ buildLayer),
  declaredRuntimes: () => (/* binding */ declaredRuntimes),
  mb: () => (/* binding */ mb),
  smokeImageFor: () => (/* binding */ smokeImageFor),
  workDirOf: () => (/* binding */ workDirOf)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var lib_core = __webpack_require__(3838);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/docker.ts
var docker = __webpack_require__(3871);
// EXTERNAL MODULE: ./src/host-guard.ts
var host_guard = __webpack_require__(3585);
// EXTERNAL MODULE: ./src/inputs/limits.ts
var limits = __webpack_require__(6497);
// EXTERNAL MODULE: ./src/log.ts
var log = __webpack_require__(5625);
;// CONCATENATED MODULE: ./src/cache/contents.ts
/**
 * What a download cache folder holds, and what a build did with it: which files it added (its new
 * downloads) and which restored files it read (what the manifest needs). Reads are seen through the
 * files' access times: set to the epoch after a restore, a read moves them forward (relatime and
 * strictatime mounts do; a noatime mount does not, and then nothing is pruned).
 */


/** Every file under `root` (none when it does not exist), except those under a top-level `ignore` name. */
async function listContents(root, ignore = []) {
    const files = new Map();
    let entries;
    try {
        entries = await promises_.readdir(root, { recursive: true, withFileTypes: true });
    }
    catch {
        return files;
    }
    for (const entry of entries) {
        if (!entry.isFile())
            continue;
        const file = external_node_path_.join(entry.parentPath, entry.name);
        const relative = external_node_path_.relative(root, file);
        if (ignore.includes(relative.split(external_node_path_.sep)[0]))
            continue;
        const stat = await promises_.stat(file);
        files.set(relative, { size: stat.size, mtimeMs: stat.mtimeMs, atimeMs: stat.atimeMs });
    }
    return files;
}
const totalBytes = (files) => [...files].reduce((sum, file) => sum + file.size, 0);
/** The files a build added or rewrote: its downloads. */
function newFiles(before, after) {
    const added = new Map();
    for (const [name, file] of after) {
        const old = before.get(name);
        if (!old || old.size !== file.size || old.mtimeMs !== file.mtimeMs)
            added.set(name, file);
    }
    return added;
}
/**
 * Marks every restored file unread (access time: the epoch; the modification time stays), then reads
 * one to learn whether this file system records reads. True when it does.
 */
async function markUnread(root, contents) {
    for (const [name, file] of contents) {
        await promises_.utimes(external_node_path_.join(root, name), 0, new Date(file.mtimeMs));
    }
    const probe = [...contents.keys()][0];
    if (probe === undefined)
        return false;
    const handle = await promises_.open(external_node_path_.join(root, probe));
    try {
        await handle.read(Buffer.alloc(1), 0, 1, 0);
    }
    finally {
        await handle.close();
    }
    const seen = (await promises_.stat(external_node_path_.join(root, probe))).atimeMs > 0;
    await promises_.utimes(external_node_path_.join(root, probe), 0, new Date(contents.get(probe).mtimeMs));
    return seen;
}
/** Restored files that the build neither read nor rewrote: what the manifest no longer needs. */
function unreadFiles(restored, after) {
    return [...restored.keys()].filter((name) => {
        const now = after.get(name);
        return now !== undefined && now.atimeMs === 0 && now.mtimeMs === restored.get(name).mtimeMs;
    });
}
/** Deletes these files of the cache folder. */
async function removeFiles(root, names) {
    for (const name of names)
        await promises_.rm(external_node_path_.join(root, name), { force: true });
}

;// CONCATENATED MODULE: ./src/cache/ledger.ts
/**
 * The ledger: a few facts saved beside each download cache, as a tiny cache entry of its own, so a
 * later run can weigh the restore before paying for it. It says how big the cache is, how fast the
 * build that saved it downloaded from the package index, and how fast the last restore ran.
 */
/** Rates below this many bytes or seconds are noise, not a measurement. */
const MIN_BYTES = 1_000_000;
const MIN_SECONDS = 0.05;
const rate = (transfer) => transfer && transfer.bytes >= MIN_BYTES && transfer.seconds >= MIN_SECONDS
    ? transfer.bytes / transfer.seconds
    : undefined;
const mbps = (bytesPerSecond) => `${(bytesPerSecond / 1e6).toFixed(0)} MB/s`;
const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
/**
 * Why restoring the cache this ledger describes would cost more than downloading its files again, or
 * undefined when it pays (or nothing is known yet: then the restore itself is the measurement). At
 * best the build reuses every file of the cache, so the restore pays only when the cache service is
 * faster than the package index was.
 */
function restoreCostsMore(ledger) {
    const restoreRate = rate(ledger.restore);
    const downloadRate = rate(ledger.download);
    if (restoreRate === undefined || downloadRate === undefined)
        return undefined;
    const restoreSeconds = ledger.bytes / restoreRate;
    const downloadSeconds = ledger.bytes / downloadRate;
    if (restoreSeconds <= downloadSeconds)
        return undefined;
    return (`restoring ${megabytes(ledger.bytes)} would take about ${restoreSeconds.toFixed(1)} s ` +
        `(the last restore ran at ${mbps(restoreRate)}), more than downloading all of it again ` +
        `(about ${downloadSeconds.toFixed(1)} s at the ${mbps(downloadRate)} the last build downloaded at)`);
}
/** A ledger read back from its file; undefined when it is not one. */
function parseLedger(text) {
    try {
        const value = JSON.parse(text);
        if (typeof value.key !== 'string' || typeof value.bytes !== 'number')
            return undefined;
        const transfer = (t) => t && typeof t === 'object' && typeof t.bytes === 'number'
            ? { bytes: t.bytes, seconds: Number(t.seconds) }
            : undefined;
        const download = transfer(value.download);
        const restore = transfer(value.restore);
        return {
            key: value.key,
            bytes: value.bytes,
            ...(download ? { download } : {}),
            ...(restore ? { restore } : {}),
        };
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/cache/store.ts
/**
 * The download cache in the Actions cache service: its ledger (a tiny entry of its own, read before
 * the cache is restored) and the save, which the post step makes once the job's steps are done, so it
 * is never on the release's critical path. @actions/cache is imported only when used.
 */




/** The state (core.saveState) that hands a pending save from the main step to the post step. */
const SAVE_STATE = 'download-cache';
/** Ledger keys live beside the cache keys, under a prefix no cache key starts with. */
const LEDGER_PREFIX = 'ledger-';
const ledgerFolder = (cacheFolder) => `${cacheFolder}-ledger`;
const LEDGER_FILE = 'ledger.json';
/** The ledger of the newest cache these keys would restore; undefined when there is none. */
async function restoreLedger(cacheFolder, keys) {
    const cache = await __webpack_require__.e(/* import() */ 31).then(__webpack_require__.bind(__webpack_require__, 5031));
    const folder = ledgerFolder(cacheFolder);
    try {
        const restoreKeys = keys.restoreKeys.map((key) => LEDGER_PREFIX + key);
        const found = await cache.restoreCache([folder], LEDGER_PREFIX + keys.key, restoreKeys);
        if (!found)
            return undefined;
        return parseLedger(await promises_.readFile(external_node_path_.join(folder, LEDGER_FILE), 'utf8'));
    }
    catch (error) {
        lib_core/* debug */.Yz(`cache: no ledger: ${error.message}`);
        return undefined;
    }
}
/** The post step's save: the cache folder under its key, then its ledger. A failure is a warning. */
async function saveDownloadCache(pending) {
    const cache = await __webpack_require__.e(/* import() */ 31).then(__webpack_require__.bind(__webpack_require__, 5031));
    const { key } = pending.ledger;
    const started = Date.now();
    try {
        const id = await cache.saveCache([pending.path], key);
        if (id === -1)
            return;
        const folder = ledgerFolder(pending.path);
        await fs.mkdir(folder, { recursive: true });
        await fs.writeFile(path.join(folder, LEDGER_FILE), JSON.stringify(pending.ledger));
        await cache.saveCache([folder], LEDGER_PREFIX + key);
        core.info(`cache: saved the downloads as ${key} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }
    catch (error) {
        core.warning(`cache: could not save ${key}: ${error.message}`);
    }
}
/** The save the main step left for the post step, if any. */
function pendingSave() {
    const text = core.getState(SAVE_STATE);
    if (!text)
        return undefined;
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/steps/download-cache.ts
/**
 * `cache: true`: the package managers' download caches (pip, npm, Maven or Gradle, Bundler) are kept
 * between runs with the Actions cache and mounted into the build container where each tool looks.
 * The cache must pay for itself: it is restored only when the last measurements say that is faster
 * than downloading again, keeps only what the last build read, and is saved by the post step, after
 * the release, only when the build downloaded something new. A cache that cannot be restored or saved
 * is a warning: it only makes a build slower.
 */








/** Where the cache is mounted in the build container. */
const CONTAINER_CACHE = '/lambda-layer-release-cache';
const TOOL_CACHES = {
    python: () => ({ tool: 'pip', env: { PIP_CACHE_DIR: CONTAINER_CACHE }, ignore: ['selfcheck'] }),
    nodejs: () => ({
        tool: 'npm',
        env: { npm_config_cache: CONTAINER_CACHE },
        ignore: ['_logs', '_update-notifier-last-checked'],
    }),
    java: (manifest) => /\.gradle(\.kts)?$/.test(manifest)
        ? { tool: 'gradle', env: { GRADLE_USER_HOME: CONTAINER_CACHE } }
        : // The local repository is Maven's download cache; a system property in MAVEN_OPTS moves it in every version.
            { tool: 'maven', env: { MAVEN_OPTS: `-Dmaven.repo.local=${CONTAINER_CACHE}` } },
    ruby: () => ({
        tool: 'bundler',
        env: { BUNDLE_USER_CACHE: CONTAINER_CACHE, BUNDLE_GLOBAL_GEM_CACHE: 'true' },
    }),
    // A Makefile's downloads are its own business.
    provided: () => undefined,
};
/** The cache keys: exact per runtime, architecture, tool and manifest; any earlier one as a fallback. */
function cacheKeys(inputs, tool, manifestHash) {
    const prefix = `lambda-layer-release-${inputs.runtime.id}-${inputs.architecture}-${tool}-`;
    return { key: `${prefix}${manifestHash}`, restoreKeys: [prefix] };
}
/** Restores the download cache (when `cache` is on and the service is there); undefined otherwise. */
async function restoreDownloadCache(inputs) {
    if (inputs.cache === 'off' || inputs.zipFile !== undefined)
        return undefined;
    const toolCache = TOOL_CACHES[inputs.runtime.family](inputs.manifest);
    if (!toolCache) {
        lib_core/* info */.pq('cache: a custom runtime has no package manager cache to keep.');
        return undefined;
    }
    // @actions/cache (with Azure's storage client) is a fifth of the bundle: parsed only by a run that
    // uses the cache (ncc puts it in a chunk of its own).
    const cache = await __webpack_require__.e(/* import() */ 31).then(__webpack_require__.bind(__webpack_require__, 5031));
    if (!cache.isFeatureAvailable()) {
        lib_core/* warning */.$e('cache: the Actions cache service is not available to this step; building without it.');
        return undefined;
    }
    // A fixed folder: @actions/cache restores to the path it saved, relative to the workspace.
    const host = external_node_path_.join(inputs.tempDir, 'lambda-layer-release-cache', toolCache.tool);
    await promises_.mkdir(host, { recursive: true });
    const keys = cacheKeys(inputs, toolCache.tool, await manifestHash(inputs));
    const restore = await restoreWeighed(host, toolCache.tool, keys);
    // Only a file system that records reads tells what the build used; elsewhere nothing is dropped.
    const tracksReads = await markUnread(host, await listContents(host, toolCache.ignore));
    const restored = await listContents(host, toolCache.ignore);
    return {
        host,
        container: CONTAINER_CACHE,
        env: toolCache.env,
        keep: async (buildStarted) => {
            if (restore.key === keys.key)
                return undefined; // the same manifest: nothing new to keep
            const after = await listContents(host, toolCache.ignore);
            const added = newFiles(restored, after);
            const addedBytes = totalBytes(added.values());
            const unread = tracksReads ? unreadFiles(restored, after) : [];
            const worth = addedBytes >= WORTH_SAVING_BYTES || addedBytes >= totalBytes(after.values()) / 10;
            if (added.size === 0 || !worth) {
                lib_core/* info */.pq(`cache: not saved: the build downloaded nothing new worth keeping (${megabytes(addedBytes)}).`);
                return undefined;
            }
            if (inputs.cache === 'restore-only') {
                lib_core/* info */.pq(`cache: not saved: this run builds a pull request's code, whose cache a release build would restore.`);
                return undefined;
            }
            // What this manifest no longer reads stays out of the next restore.
            await removeFiles(host, unread);
            const lastDownload = Math.max(...[...added.values()].map((file) => file.mtimeMs));
            const ledger = {
                key: keys.key,
                bytes: totalBytes(after.values()) - unread.reduce((sum, name) => sum + after.get(name).size, 0),
                download: { bytes: addedBytes, seconds: Math.max(0, (lastDownload - buildStarted) / 1000) },
                ...(restore.transfer ? { restore: restore.transfer } : {}),
            };
            const dropped = unread.length > 0 ? `, without ${unread.length} file(s) this build did not read` : '';
            lib_core/* info */.pq(`cache: ${toolCache.tool} downloaded ${megabytes(addedBytes)} new; saved as ${keys.key} after the ` +
                `job's steps (post step)${dropped}.`);
            const pending = { path: host, ledger };
            lib_core/* saveState */.LZ(SAVE_STATE, JSON.stringify(pending));
            return pending;
        },
    };
}
/** A new cache is saved when the build downloaded at least this much, or a tenth of the cache. */
const WORTH_SAVING_BYTES = 1_000_000;
/**
 * Reads the ledger of the newest cache first, and restores the cache only when that pays: when the
 * last measurements say the cache service is slower than the package index, it says so and skips.
 */
async function restoreWeighed(host, tool, keys) {
    const cache = await __webpack_require__.e(/* import() */ 31).then(__webpack_require__.bind(__webpack_require__, 5031));
    const ledger = await restoreLedger(host, keys);
    const costlier = ledger && restoreCostsMore(ledger);
    if (costlier) {
        lib_core/* info */.pq(`cache: not restored: ${costlier}.`);
        return {};
    }
    const started = Date.now();
    try {
        const restoreKeys = ledger ? [ledger.key, ...keys.restoreKeys] : keys.restoreKeys;
        const key = await cache.restoreCache([host], keys.key, restoreKeys);
        if (!key) {
            lib_core/* info */.pq(`cache: no ${tool} cache yet for ${keys.key}.`);
            return {};
        }
        const seconds = (Date.now() - started) / 1000;
        const bytes = totalBytes((await listContents(host)).values());
        lib_core/* info */.pq(`cache: restored ${tool}'s downloads (${megabytes(bytes)}) from ${key} in ${seconds.toFixed(1)} s.`);
        return { key, transfer: { bytes, seconds } };
    }
    catch (error) {
        lib_core/* warning */.$e(`cache: could not restore ${keys.key}: ${error.message}`);
        return {};
    }
}
/** The manifest and the lock files beside it, as the cache key's last part. */
async function manifestHash(inputs) {
    const manifest = external_node_path_.join(inputs.workingDirectory, inputs.manifest);
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const names = [
        external_node_path_.basename(manifest),
        'package-lock.json',
        'npm-shrinkwrap.json',
        'Gemfile.lock',
        'gradle.lockfile',
    ];
    for (const name of [...new Set(names)]) {
        const bytes = await (0,host_guard/* readRepoFile */.v6)((0,host_guard/* workingRoot */.qW)(inputs), external_node_path_.join(external_node_path_.dirname(manifest), name));
        if (bytes)
            hash.update(name).update('\0').update(bytes).update('\0');
    }
    return hash.digest('hex').slice(0, 32);
}

// EXTERNAL MODULE: ./src/layer/layout.ts
var layer_layout = __webpack_require__(8300);
// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(370);
// EXTERNAL MODULE: ./src/runtimes/index.ts + 5 modules
var src_runtimes = __webpack_require__(4049);
;// CONCATENATED MODULE: ./src/layer/elf.ts
/**
 * A small reader of what the dynamic loader needs from an ELF file: its machine, its DT_NEEDED
 * libraries, its soname, and the symbol versions it needs (.gnu.version_r) and defines (.gnu.version_d).
 *
 * Written here because none of the npm ELF readers (elfy, elf-tools, elfinfo, elf-cam) parses the
 * version sections, and all are unmaintained. It reads what the loader reads, through the program
 * headers (PT_DYNAMIC and the PT_LOAD segments that map addresses to file offsets), so a file whose
 * section headers were stripped is read all the same; it reads only those parts, never the whole file.
 */

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
/** e_machine values of the machines this action names in messages. */
const EM = { i386: 3, arm: 40, x86_64: 62, aarch64: 183 };
class ElfFormatError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ElfFormatError';
    }
}
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT = {
    NULL: 0,
    NEEDED: 1,
    STRTAB: 5,
    STRSZ: 10,
    SONAME: 14,
    RPATH: 15,
    RUNPATH: 29,
    VERDEF: 0x6ffffffc,
    VERDEFNUM: 0x6ffffffd,
    VERNEED: 0x6ffffffe,
    VERNEEDNUM: 0x6fffffff,
};
const TYPES = { 1: 'relocatable', 2: 'executable', 3: 'shared', 4: 'core' };
// Guards against a corrupt file sending the reader on a long walk.
const MAX_ENTRIES = 1 << 16;
/** True when the first bytes are the ELF magic. */
function isElf(head) {
    return head.length >= 4 && ELF_MAGIC.equals(head.subarray(0, 4));
}
/** Reads the loader's view of an ELF file; undefined when the file is not ELF. */
async function readElf(file) {
    const handle = await promises_.open(file, 'r');
    try {
        const read = async (offset, length) => {
            const buffer = Buffer.alloc(length);
            const { bytesRead } = await handle.read(buffer, 0, length, offset);
            if (bytesRead < length)
                throw new ElfFormatError(`truncated at byte ${offset + bytesRead}`);
            return buffer;
        };
        const ident = Buffer.alloc(64);
        const { bytesRead } = await handle.read(ident, 0, 64, 0);
        if (!isElf(ident.subarray(0, bytesRead)))
            return undefined;
        return await parse(ident.subarray(0, bytesRead), read);
    }
    finally {
        await handle.close();
    }
}
function fields(bits, little) {
    return {
        u16: (b, at) => (little ? b.readUInt16LE(at) : b.readUInt16BE(at)),
        u32: (b, at) => (little ? b.readUInt32LE(at) : b.readUInt32BE(at)),
        word: bits === 32
            ? (b, at) => (little ? b.readUInt32LE(at) : b.readUInt32BE(at))
            : (b, at) => Number(little ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at)),
    };
}
/** The ELF header: class (32/64 bits), byte order, type, machine and where the program headers are. */
function parseHeader(header) {
    if (header.length < 52)
        throw new ElfFormatError('truncated ELF header');
    const bits = header[4] === 1 ? 32 : header[4] === 2 ? 64 : undefined;
    const little = header[5] === 1 ? true : header[5] === 2 ? false : undefined;
    if (bits === undefined || little === undefined)
        throw new ElfFormatError('unknown ELF class or data encoding');
    const f = fields(bits, little);
    return {
        bits,
        f,
        base: { machine: f.u16(header, 18), bits, type: TYPES[f.u16(header, 16)] ?? 'other' },
        phoff: f.word(header, bits === 64 ? 32 : 28),
        phentsize: f.u16(header, bits === 64 ? 54 : 42),
        phnum: f.u16(header, bits === 64 ? 56 : 44),
    };
}
/** The program header table: each segment's type and where it is in the file and in memory. */
async function readSegments({ bits, f, phoff, phentsize, phnum }, read) {
    const table = await read(phoff, phentsize * phnum);
    const segments = [];
    for (let i = 0; i < phnum; i++) {
        const at = i * phentsize;
        segments.push(bits === 64
            ? {
                type: f.u32(table, at),
                offset: f.word(table, at + 8),
                vaddr: f.word(table, at + 16),
                filesz: f.word(table, at + 32),
            }
            : {
                type: f.u32(table, at),
                offset: f.word(table, at + 4),
                vaddr: f.word(table, at + 8),
                filesz: f.word(table, at + 16),
            });
    }
    return segments;
}
/** The dynamic section: tag/value pairs up to DT_NULL. */
async function readDynamic({ bits, f }, segment, read) {
    const dynamic = await read(segment.offset, segment.filesz);
    const entrySize = bits === 64 ? 16 : 8;
    const entries = [];
    for (let at = 0; at + entrySize <= dynamic.length; at += entrySize) {
        const tag = f.word(dynamic, at);
        if (tag === DT.NULL)
            break;
        entries.push([tag, f.word(dynamic, at + entrySize / 2)]);
    }
    return entries;
}
/** Dynamic entries hold addresses; the PT_LOAD segment that maps one gives its place in the file. */
function fileOffsets(segments) {
    return (address) => {
        const load = segments.find((s) => s.type === PT_LOAD && address >= s.vaddr && address < s.vaddr + s.filesz);
        if (!load)
            throw new ElfFormatError(`address 0x${address.toString(16)} is in no loaded segment`);
        return load.offset + (address - load.vaddr);
    };
}
async function parse(headerBytes, read) {
    const header = parseHeader(headerBytes);
    const { base, f } = header;
    const empty = { needed: [], versionNeeds: [], versionDefinitions: [] };
    if (header.phnum === 0)
        return { ...base, ...empty };
    const segments = await readSegments(header, read);
    const interp = segments.find((s) => s.type === PT_INTERP);
    const interpreter = interp ? cString(await read(interp.offset, interp.filesz), 0) : undefined;
    const dynamicSegment = segments.find((s) => s.type === PT_DYNAMIC);
    if (!dynamicSegment)
        return { ...base, ...empty, ...(interpreter ? { interpreter } : {}) };
    const entries = await readDynamic(header, dynamicSegment, read);
    const value = (tag) => entries.find(([t]) => t === tag)?.[1];
    const fileOffset = fileOffsets(segments);
    const strtab = value(DT.STRTAB);
    const strsz = value(DT.STRSZ);
    if (strtab === undefined || strsz === undefined)
        return { ...base, ...empty };
    const strings = await read(fileOffset(strtab), strsz);
    const string = (offset) => {
        if (offset >= strings.length)
            throw new ElfFormatError(`string offset ${offset} beyond DT_STRSZ`);
        return cString(strings, offset);
    };
    const soname = value(DT.SONAME);
    const runpath = value(DT.RUNPATH) ?? value(DT.RPATH);
    return {
        ...base,
        ...(interpreter ? { interpreter } : {}),
        ...(soname !== undefined ? { soname: string(soname) } : {}),
        ...(runpath !== undefined ? { runpath: string(runpath) } : {}),
        needed: entries.filter(([tag]) => tag === DT.NEEDED).map(([, offset]) => string(offset)),
        versionNeeds: await versionNeeds(value(DT.VERNEED), value(DT.VERNEEDNUM), f, read, fileOffset, string),
        versionDefinitions: await versionDefinitions(value(DT.VERDEF), value(DT.VERDEFNUM), f, read, fileOffset, string),
    };
}
/** Elf_Verneed (16 bytes) → its Elf_Vernaux entries (16 bytes each); the same in ELF32 and ELF64. */
async function versionNeeds(address, count, f, read, fileOffset, string) {
    if (address === undefined || !count)
        return [];
    const needs = [];
    let at = fileOffset(address);
    for (let i = 0; i < Math.min(count, MAX_ENTRIES); i++) {
        const need = await read(at, 16);
        const [cnt, file, aux, next] = [f.u16(need, 2), f.u32(need, 4), f.u32(need, 8), f.u32(need, 12)];
        const versions = [];
        let auxAt = at + aux;
        for (let j = 0; j < Math.min(cnt, MAX_ENTRIES); j++) {
            const entry = await read(auxAt, 16);
            versions.push(string(f.u32(entry, 8)));
            const auxNext = f.u32(entry, 12);
            if (auxNext === 0)
                break;
            auxAt += auxNext;
        }
        needs.push({ file: string(file), versions });
        if (next === 0)
            break;
        at += next;
    }
    return needs;
}
/** Elf_Verdef (20 bytes) → its first Elf_Verdaux (8 bytes), which names the version it defines. */
async function versionDefinitions(address, count, f, read, fileOffset, string) {
    if (address === undefined || !count)
        return [];
    const names = [];
    let at = fileOffset(address);
    for (let i = 0; i < Math.min(count, MAX_ENTRIES); i++) {
        const definition = await read(at, 20);
        const [cnt, aux, next] = [f.u16(definition, 6), f.u32(definition, 12), f.u32(definition, 16)];
        if (cnt > 0)
            names.push(string(f.u32(await read(at + aux, 8), 0)));
        if (next === 0)
            break;
        at += next;
    }
    return names;
}
function cString(buffer, offset) {
    const end = buffer.indexOf(0, offset);
    return buffer.toString('utf8', offset, end < 0 ? buffer.length : end);
}

;// CONCATENATED MODULE: ./src/layer/native.ts
/**
 * The static check of a layer's native code, before anything is published: every ELF file must be
 * for the layer's architecture, need no newer glibc, libstdc++ or C++ ABI than the OS of each runtime
 * that loads it, and need only libraries that the layer or that runtime's image provides.
 *
 * A smoke test cannot catch these: the stand-in and Debian-based images have a newer glibc than
 * Amazon Linux 2, and a wheel downloaded on a newer machine imports fine everywhere but on Lambda.
 */





const MACHINE = { x86_64: EM.x86_64, arm64: EM.aarch64 };
const MACHINE_NAMES = {
    [EM.x86_64]: 'x86_64',
    [EM.aarch64]: 'arm64 (aarch64)',
    [EM.i386]: 'i386 (32-bit x86)',
    [EM.arm]: '32-bit ARM',
};
/** Shown problems; the rest are counted. */
const MAX_SHOWN = 20;
// The smallest ELF header (ELF32) is 52 bytes: nothing smaller needs opening.
const MIN_ELF_SIZE = 52;
class NativeCodeError extends Error {
    problems;
    constructor(problems) {
        const shown = problems.slice(0, MAX_SHOWN).map((p) => `  ${p}`);
        if (problems.length > MAX_SHOWN)
            shown.push(`  … and ${problems.length - MAX_SHOWN} more`);
        super(`${problems.length} problem${problems.length === 1 ? '' : 's'} with native code in the layer; ` +
            `Lambda could not load it:\n${shown.join('\n')}`);
        this.problems = problems;
        this.name = 'NativeCodeError';
    }
}
/**
 * Throws NativeCodeError listing every problem; `runtimes` are the runtimes the layer declares
 * (a file in one version's folder is checked only against that version).
 */
async function checkNativeCode(layerDir, entries, runtimes, architecture) {
    const limit = (0,p_limit/* default */.A)(16);
    const candidates = entries.filter((e) => e.type === 'file' && e.size >= MIN_ELF_SIZE);
    const read = await Promise.all(candidates.map((entry) => limit(async () => {
        const info = await readElf(external_node_path_.join(layerDir, entry.path)).catch((error) => {
            throw new Error(`Cannot read ${entry.path} as ELF: ${error.message}`, { cause: error });
        });
        return info && { ...info, path: entry.path };
    })));
    // Object files and core dumps are never loaded.
    const elves = read.filter((e) => e !== undefined && (e.type === 'shared' || e.type === 'executable'));
    const layer = new LayerLibraries(entries, elves);
    const problems = [];
    const notes = [];
    const show = displayPath(runtimes);
    for (const elf of elves) {
        const variant = variantProblem(elf, elves, architecture);
        if (variant?.tolerated) {
            notes.push(`${show(elf.path)}: ${variant.message}; left alone, a variant beside it fits`);
            continue;
        }
        if (variant) {
            problems.push(`${show(elf.path)} ${variant.message}`);
            continue;
        }
        const loaders = runtimesLoading(elf.path, runtimes);
        problems.push(...versionProblems(elf, loaders, layer).map((p) => `${show(elf.path)} ${p}`));
        problems.push(...neededProblems(elf, loaders, layer).map((p) => `${show(elf.path)} ${p}`));
    }
    if (problems.length > 0)
        throw new NativeCodeError(problems);
    return { elfFiles: elves.length, notes };
}
/** What the layer itself provides: files by name, libraries by soname, and the versions they define. */
class LayerLibraries {
    names = new Set();
    definitions = new Map();
    constructor(entries, elves) {
        // By name anywhere in the layer, not by search path: a library found through an $ORIGIN rpath,
        // /opt/lib, or loaded earlier by its soname (as packages preload their bundled libraries) all count.
        for (const entry of entries)
            if (entry.type === 'file')
                this.names.add(external_node_path_.posix.basename(entry.path));
        for (const elf of elves) {
            for (const name of [external_node_path_.posix.basename(elf.path), elf.soname].filter((n) => n !== undefined)) {
                this.names.add(name);
                const defined = this.definitions.get(name) ?? new Set();
                for (const version of elf.versionDefinitions)
                    defined.add(version);
                this.definitions.set(name, defined);
            }
        }
    }
    has(library) {
        return this.names.has(external_node_path_.posix.basename(library));
    }
    /** True when a library of the layer with this name defines the version (the layer brings its own). */
    defines(library, version) {
        return this.definitions.get(external_node_path_.posix.basename(library))?.has(version) === true;
    }
}
function variantProblem(elf, elves, architecture) {
    const fits = (other) => other.machine === MACHINE[architecture] && !isMusl(other);
    if (elf.machine !== MACHINE[architecture]) {
        const name = external_node_path_.posix.basename(elf.path);
        return {
            message: `is built for ${MACHINE_NAMES[elf.machine] ?? `ELF machine ${elf.machine}`}, but the layer is for ${architecture}: ` +
                `build it in the ${architecture} build image, or set architecture to the one it was built for`,
            tolerated: elves.some((other) => fits(other) && external_node_path_.posix.basename(other.path) === name),
        };
    }
    if (isMusl(elf)) {
        const folder = external_node_path_.posix.dirname(elf.path);
        return {
            message: 'is built for musl libc (Alpine Linux); Lambda runs on Amazon Linux, with glibc: ' +
                'build it in the runtime\'s build image, or use a build for glibc ("linux-gnu", manylinux)',
            tolerated: elves.some((other) => fits(other) && external_node_path_.posix.dirname(other.path) === folder),
        };
    }
    return undefined;
}
function isMusl(elf) {
    return elf.needed.some((library) => /^libc\.musl-/.test(library)) || /ld-musl-/.test(elf.interpreter ?? '');
}
/** The declared runtimes that load a file: one version's folder is read by that version alone. */
function runtimesLoading(file, runtimes) {
    const versioned = runtimes.filter((runtime) => {
        const match = (0,src_runtimes/* familyOf */.Ap)(runtime).versionedFolder?.exec(file);
        return match !== null && match !== undefined;
    });
    if (versioned.length === 0)
        return [...runtimes];
    return versioned.filter((runtime) => (0,src_runtimes/* familyOf */.Ap)(runtime).versionedFolder.exec(file)[2] === runtime.version);
}
/** A path as a reader of the message knows it: inside the module folder, when it is in one. */
function displayPath(runtimes) {
    // bin/ and lib/ stay in the path: they say where the file is, not which package it belongs to.
    const folders = [...new Set(runtimes.flatMap((r) => r.modulePaths))]
        .filter((folder) => folder !== 'bin' && folder !== 'lib')
        .sort((a, b) => b.length - a.length);
    return (file) => {
        const folder = folders.find((f) => file.startsWith(`${f}/`));
        return folder ? file.slice(folder.length + 1) : file;
    };
}
const VERSIONED = /^(GLIBC|GLIBCXX|CXXABI)_(\d+(?:\.\d+)+)$/;
function versionProblems(elf, runtimes, layer) {
    // The newest version of each kind the file needs that the layer does not bring itself.
    const newest = new Map();
    for (const need of elf.versionNeeds) {
        for (const version of need.versions) {
            const match = VERSIONED.exec(version);
            if (!match || layer.defines(need.file, version))
                continue;
            const kind = match[1];
            const current = newest.get(kind);
            if (current === undefined || compareVersions(match[2], current) > 0)
                newest.set(kind, match[2]);
        }
    }
    const problems = [];
    for (const [os, group] of byOperatingSystem(runtimes)) {
        const spec = src_runtimes/* OPERATING_SYSTEMS */.nh[os];
        const limits = {
            GLIBC: [spec.glibc, `with glibc ${spec.glibc}`],
            GLIBCXX: [spec.glibcxx, `whose libstdc++ (GCC ${spec.gcc}) goes up to GLIBCXX_${spec.glibcxx}`],
            CXXABI: [spec.cxxabi, `whose libstdc++ (GCC ${spec.gcc}) goes up to CXXABI_${spec.cxxabi}`],
        };
        for (const [kind, version] of newest) {
            const [limit, what] = limits[kind];
            if (compareVersions(version, limit) <= 0)
                continue;
            problems.push(`needs ${kind}_${version}; ${runOn(group)} ${spec.name}${what.startsWith('with') ? ' ' : ', '}${what}: ` +
                remedy(group[0]));
        }
    }
    return problems;
}
function neededProblems(elf, runtimes, layer) {
    const problems = [];
    for (const library of elf.needed) {
        if (layer.has(library))
            continue;
        const lacking = runtimes.filter((runtime) => !src_runtimes/* OPERATING_SYSTEMS */.nh[runtime.os].libraries.includes(library) &&
            !(0,src_runtimes/* runtimeLibraries */.o_)(runtime).includes(library));
        if (lacking.length === 0)
            continue;
        const oses = [...new Set(lacking.map((r) => src_runtimes/* OPERATING_SYSTEMS */.nh[r.os].name))].join(', ');
        problems.push(`needs ${library}, which is neither in the layer nor in the ${lacking.map((r) => r.id).join(', ')} ` +
            `runtime (${oses}): add it to the layer's lib/ (on LD_LIBRARY_PATH), or beside the file with an $ORIGIN rpath`);
    }
    return problems;
}
function byOperatingSystem(runtimes) {
    const groups = new Map();
    for (const runtime of runtimes)
        groups.set(runtime.os, [...(groups.get(runtime.os) ?? []), runtime]);
    return groups;
}
function runOn(runtimes) {
    const ids = runtimes.map((r) => r.id);
    return ids.length === 1 ? `${ids[0]} runs on` : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)} run on`;
}
function remedy(runtime) {
    const other = (0,src_runtimes/* familyOf */.Ap)(runtime).compatibleBinaries;
    return `build in the ${runtime.id} build image${other ? `, or ${other}` : ''}`;
}
/** True when any file of the tree is ELF (a shared object, an executable): the tree holds native code. */
async function hasNativeCode(dir, entries) {
    for (const entry of entries) {
        if (entry.type !== 'file' || entry.size < MIN_ELF_SIZE)
            continue;
        const handle = await promises_.open(external_node_path_.join(dir, entry.path), 'r');
        try {
            const head = Buffer.alloc(4);
            await handle.read(head, 0, 4, 0);
            if (isElf(head))
                return true;
        }
        finally {
            await handle.close();
        }
    }
    return false;
}
/** Compares dotted version numbers numerically (2.9 < 2.26). */
function compareVersions(a, b) {
    const x = a.split('.').map(Number);
    const y = b.split('.').map(Number);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const difference = (x[i] ?? 0) - (y[i] ?? 0);
        if (difference !== 0)
            return difference;
    }
    return 0;
}

// EXTERNAL MODULE: ./src/layer/packages.ts
var layer_packages = __webpack_require__(4784);
;// CONCATENATED MODULE: ./src/layer/trim.ts
/**
 * The opt-in trim (`trim: true`): removes what a layer carries but no function loads, before the zip
 * is written. Every rule is conservative; the smoke test always runs after it, so a trim that breaks
 * an import fails the run instead of a function.
 */



// Test suites inside a package: never imported by the package itself.
const TEST_FOLDERS = new Set(['test', 'tests', '__tests__']);
// What importlib.metadata reads (METADATA, RECORD, entry_points.txt, top_level.txt), what
// pkg_resources still reads for old namespace packages, and license texts, which redistribution of
// the packages (a published layer is one) must keep.
const DIST_INFO_KEEP = /^(METADATA|RECORD|entry_points\.txt|top_level\.txt|namespace_packages\.txt|licenses|(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*)$/i;
const SHARED_OBJECT = /\.so(\.\d+)*$/;
async function trimLayer(layerDir, runtime, buildArchitecture, strip) {
    const bytesBefore = await treeSize(layerDir);
    const byRule = {};
    const notes = [];
    let removedFiles = 0;
    const removed = [];
    const remove = async (relative, rule) => {
        removed.push(relative);
        const target = external_node_path_.join(layerDir, relative);
        const { bytes, files } = await measure(target);
        await promises_.rm(target, { recursive: true, force: true });
        byRule[rule] = (byRule[rule] ?? 0) + bytes;
        removedFiles += files;
    };
    for (const folder of (0,src_runtimes/* trimFolders */.ax)(runtime))
        await remove(folder, 'gem cache and docs');
    const sharedObjects = [];
    for (const entry of await walk(layerDir)) {
        if (removed.some((folder) => entry.path.startsWith(`${folder}/`)))
            continue;
        const name = external_node_path_.posix.basename(entry.path);
        const parent = external_node_path_.posix.basename(external_node_path_.posix.dirname(entry.path));
        if (entry.dir && name === '__pycache__')
            await remove(entry.path, 'bytecode caches');
        else if (!entry.dir && name.endsWith('.pyc'))
            await remove(entry.path, 'bytecode caches');
        else if (entry.dir && TEST_FOLDERS.has(name) && insidePackage(entry.path, runtime))
            await remove(entry.path, 'test folders');
        else if (parent.endsWith('.dist-info') && !DIST_INFO_KEEP.test(name))
            await remove(entry.path, 'dist-info extras');
        else if (!entry.dir && SHARED_OBJECT.test(name))
            sharedObjects.push(entry.path);
    }
    // Only ELF files for the build image's own architecture: its strip knows no other.
    const strippable = [];
    let foreign = 0;
    for (const file of sharedObjects) {
        const machine = await elfMachineOf(external_node_path_.join(layerDir, file));
        if (machine === (0,src_runtimes/* elfMachine */.xP)(buildArchitecture))
            strippable.push(file);
        else if (machine !== undefined)
            foreign++;
    }
    if (foreign > 0) {
        notes.push(`${foreign} shared object(s) for another architecture than the build image's were not stripped`);
    }
    let strippedFiles = 0;
    if (strippable.length > 0) {
        const before = await sizes(layerDir, strippable);
        const failure = await strip(strippable);
        if (failure)
            notes.push(failure);
        else
            strippedFiles = strippable.length;
        byRule['debug symbols'] = before - (await sizes(layerDir, strippable));
    }
    const bytesAfter = await treeSize(layerDir);
    return {
        bytesBefore,
        bytesAfter,
        bytesSaved: bytesBefore - bytesAfter,
        removedFiles,
        strippedFiles,
        byRule,
        notes,
    };
}
/** `pkg/tests` is inside a package; `tests` right in a module path is a top-level package of that name. */
function insidePackage(relative, runtime) {
    const modulePath = runtime.modulePaths.find((dir) => relative.startsWith(`${dir}/`));
    if (modulePath === undefined)
        return false;
    const parts = relative.slice(modulePath.length + 1).split('/');
    // A scoped npm package (@scope/name) is one level deeper.
    const depth = parts[0].startsWith('@') ? parts.length - 1 : parts.length;
    return depth >= 2;
}
/** Every entry below `root`, parents before children; links are not followed. */
async function walk(root, relative = '') {
    const found = [];
    const dirents = await promises_.readdir(external_node_path_.join(root, relative), { withFileTypes: true });
    for (const dirent of dirents.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const entryPath = relative ? `${relative}/${dirent.name}` : dirent.name;
        found.push({ path: entryPath, dir: dirent.isDirectory() });
        if (dirent.isDirectory())
            found.push(...(await walk(root, entryPath)));
    }
    return found;
}
async function measure(target) {
    const stat = await promises_.lstat(target).catch(() => undefined);
    if (!stat)
        return { bytes: 0, files: 0 };
    if (!stat.isDirectory())
        return { bytes: stat.size, files: 1 };
    let bytes = 0;
    let files = 0;
    for (const entry of await walk(target)) {
        if (entry.dir)
            continue;
        bytes += (await promises_.lstat(external_node_path_.join(target, entry.path))).size;
        files++;
    }
    return { bytes, files };
}
async function treeSize(root) {
    return (await measure(root)).bytes;
}
async function sizes(root, files) {
    let total = 0;
    for (const file of files)
        total += (await promises_.stat(external_node_path_.join(root, file))).size;
    return total;
}
/** e_machine of an ELF file, or undefined for anything else. */
async function elfMachineOf(file) {
    const handle = await promises_.open(file, 'r');
    try {
        const header = Buffer.alloc(20);
        const { bytesRead } = await handle.read(header, 0, 20, 0);
        if (bytesRead < 20 || header.readUInt32BE(0) !== 0x7f454c46)
            return undefined;
        // EI_DATA 1 is little-endian, as on every architecture Lambda has.
        return header[5] === 1 ? header.readUInt16LE(18) : header.readUInt16BE(18);
    }
    finally {
        await handle.close();
    }
}

// EXTERNAL MODULE: ./src/sandbox.ts
var sandbox = __webpack_require__(6004);
// EXTERNAL MODULE: ./src/layer/zip.ts
var layer_zip = __webpack_require__(4358);
;// CONCATENATED MODULE: ./src/steps/build.ts
/**
 * Build step: installs the layer's dependencies inside the Lambda build image, checks the folder
 * layout, and writes a deterministic zip. With `zip-file`, reads and checks that zip instead.
 */

















/** Lambda's limit for a zip uploaded directly in the API request; larger ones go through S3. */
const MAX_DIRECT_UPLOAD_BYTES = 50 * 1024 * 1024;
/** The architecture the build container runs: the runner's own for a cross-install, else the layer's. */
function buildArchitecture(inputs) {
    return inputs.crossInstall ? (0,src_runtimes/* runnerArchitecture */.Je)() : inputs.architecture;
}
/** The build's temporary tree (build folder, zip, smoke-test copy); the post step removes it. */
function workDirOf(inputs) {
    return external_node_path_.join(inputs.tempDir, 'lambda-layer-release', `${inputs.layerName}-${inputs.runtime.id}-${inputs.architecture}`);
}
async function buildLayer(inputs, deps) {
    const work = await freshDir(workDirOf(inputs));
    const layerDir = external_node_path_.join(work, 'layer');
    await promises_.mkdir(layerDir);
    const zipFile = external_node_path_.join(work, `${inputs.layerName}.zip`);
    if (inputs.zipFile) {
        lib_core/* info */.pq(`Using the given zip ${inputs.zipFile}; nothing is built.`);
        const hashes = await (0,layer_zip/* extractZip */.JE)(inputs.zipFile, layerDir);
        await (0,host_guard/* guardLayerTree */.f0)(layerDir, `extracting ${external_node_path_.basename(inputs.zipFile)}`);
        const { layout, packages } = await inspect(layerDir, inputs);
        // Hash the tree as a rebuilt zip would (from the hashes taken while extracting); publish the
        // user's bytes unchanged.
        const tree = await (0,layer_zip/* summarizeTree */.WZ)(layerDir, hashes);
        await promises_.copyFile(inputs.zipFile, zipFile);
        return finish({
            ...tree,
            zipFile,
            zipSize: (await promises_.stat(zipFile)).size,
            codeSha256: await (0,layer_zip/* fileSha256 */.sN)(zipFile, 'base64'),
            layerDir,
            layout,
            packages,
            contentHash: contentHash(tree.treeHash, inputs, ''),
            given: true,
        });
    }
    const engine = await (0,docker/* checkDockerEngine */.LT)(deps.exec);
    const architecture = buildArchitecture(inputs);
    lib_core/* info */.pq(`Docker engine ${engine.version} (${engine.architecture ?? 'unknown architecture'}); ` +
        `building in ${inputs.buildImage} (${architecture}` +
        `${architecture === inputs.architecture ? '' : `, installing for ${inputs.architecture}`}).`);
    await checkEmulation(inputs, deps, engine);
    const downloads = await restoreDownloadCache(inputs);
    const buildStarted = Date.now();
    await runBuildContainer(inputs, deps, work, layerDir, downloads);
    const buildImages = [
        inputs.buildImage,
        ...(await buildOtherVersions(inputs, deps, work, layerDir, downloads)),
    ];
    await downloads?.keep(buildStarted); // the post step saves it, after the release
    const trim = inputs.trim ? await trimTree(inputs, deps, layerDir) : undefined;
    const { layout, packages } = await inspect(layerDir, inputs);
    const zip = await (0,layer_zip/* writeDeterministicZip */.Dx)(layerDir, zipFile);
    return finish({
        ...zip,
        zipFile,
        layerDir,
        layout,
        packages,
        contentHash: contentHash(zip.treeHash, inputs, buildImages.join(' ')),
        given: false,
        ...(trim ? { trim } : {}),
    });
}
/** Says before building, not halfway, when this runner cannot run an image the run needs. */
async function checkEmulation(inputs, deps, engine) {
    await (0,docker/* checkArchitecture */.kN)(deps.exec, engine, inputs.buildImage, buildArchitecture(inputs), 'the build');
    for (const other of otherVersions(inputs)) {
        const image = (0,src_runtimes/* defaultBuildImage */.$Y)(other, buildArchitecture(inputs), inputs.imageRegistry);
        await (0,docker/* checkArchitecture */.kN)(deps.exec, engine, image, buildArchitecture(inputs), `the build for ${other.id}`);
    }
    if (inputs.steps.includes('smoke-test')) {
        for (const runtime of declaredRuntimes(inputs)) {
            const image = smokeImageFor(inputs, runtime);
            await (0,docker/* checkArchitecture */.kN)(deps.exec, engine, image, inputs.architecture, `the smoke test of ${runtime.id}`);
        }
    }
}
/**
 * The declared runtimes that read packages from a folder of their own version (python/lib/pythonX.Y/
 * site-packages) and need the default build to install for them too; a build-command does its own.
 */
function otherVersions(inputs) {
    if (inputs.buildCommand !== undefined || !(0,src_runtimes/* familyOf */.Ap)(inputs.runtime).buildsPerVersion)
        return [];
    return declaredRuntimes(inputs).filter((runtime) => runtime.installDir !== inputs.runtime.installDir);
}
/**
 * After the build for `runtime`: when the layer also declares other versions, moves pure packages to
 * the folder every version reads, or installs again for each version in that version's build image
 * (native code is built for one interpreter). Returns the build images it used.
 */
async function buildOtherVersions(inputs, deps, work, layerDir, downloads) {
    const others = otherVersions(inputs);
    if (others.length === 0)
        return [];
    const shared = (0,src_runtimes/* familyOf */.Ap)(inputs.runtime).languageRoot;
    if (await movePureInstall(layerDir, inputs.runtime.installDir, shared)) {
        lib_core/* info */.pq(`No native code: installed once into ${shared}/, which ${declaredRuntimes(inputs)
            .map((r) => r.id)
            .join(', ')} all read.`);
        return [];
    }
    const images = [];
    for (const other of others) {
        const image = (0,src_runtimes/* defaultBuildImage */.$Y)(other, buildArchitecture(inputs), inputs.imageRegistry);
        lib_core/* info */.pq(`Native code: installing again for ${other.id} in ${image}, into ${other.installDir}/.`);
        await runBuildContainer({ ...inputs, runtime: other, buildImage: image }, deps, work, layerDir, downloads);
        images.push(image);
    }
    return images;
}
/** Moves an install without ELF files from `installDir` to `shared`; false (and nothing moved) otherwise. */
async function movePureInstall(layerDir, installDir, shared) {
    const from = external_node_path_.join(layerDir, installDir);
    const to = external_node_path_.join(layerDir, shared);
    if (await hasNativeCode(from, await (0,layer_zip/* listTree */.nT)(from)))
        return false;
    const names = await promises_.readdir(from);
    // A top-level package named like a folder on the way (python/lib) cannot move beside it.
    const onTheWay = external_node_path_.relative(to, from).split(external_node_path_.sep)[0];
    if (names.includes(onTheWay))
        return false;
    for (const name of names)
        await promises_.rename(external_node_path_.join(from, name), external_node_path_.join(to, name));
    await promises_.rm(external_node_path_.join(to, onTheWay), { recursive: true });
    return true;
}
/** The smoke test's image for a declared runtime: `smoke-image` for the one built for, else its default. */
function smokeImageFor(inputs, runtime) {
    return runtime.id === inputs.runtime.id
        ? inputs.smokeImage
        : (0,src_runtimes/* defaultRuntimeImage */.B5)(runtime, inputs.architecture, inputs.imageRegistry);
}
/** Trims the built tree; strip runs in the build image, where binutils matches the build. */
async function trimTree(inputs, deps, layerDir) {
    const architecture = buildArchitecture(inputs);
    const summary = await trimLayer(layerDir, inputs.runtime, architecture, async (files) => {
        for (let start = 0; start < files.length; start += 200) {
            const args = (0,docker/* runArgs */.fQ)({
                image: inputs.buildImage,
                architecture,
                mounts: [{ host: layerDir, container: src_runtimes/* CONTAINER_LAYER */.gs }],
                user: (0,docker/* currentUser */.Ny)(),
                network: 'none',
                entrypoint: 'strip',
                command: ['--strip-debug', ...files.slice(start, start + 200).map((f) => `${src_runtimes/* CONTAINER_LAYER */.gs}/${f}`)],
            });
            const output = await writesLayer(layerDir, `strip in ${inputs.buildImage}`, () => deps.exec('docker', args, { ignoreReturnCode: true, silent: true }));
            if (output.exitCode !== 0) {
                return `strip --strip-debug failed in ${inputs.buildImage} (exit code ${output.exitCode}): ${(0,docker/* tail */.RT)(output.stderr, 3)}`;
            }
        }
        return undefined;
    });
    const rules = Object.entries(summary.byRule)
        .filter(([, bytes]) => bytes > 0)
        .map(([rule, bytes]) => `${rule} ${kb(bytes)}`);
    lib_core/* info */.pq(`Trimmed ${kb(summary.bytesSaved)} (${summary.bytesBefore} → ${summary.bytesAfter} bytes): ` +
        `${summary.removedFiles} files removed, ${summary.strippedFiles} shared objects stripped` +
        `${rules.length > 0 ? `; ${rules.join(', ')}` : ''}.`);
    for (const note of summary.notes)
        lib_core/* warning */.$e(`Trim: ${note}`);
    return summary;
}
function kb(bytes) {
    return `${(bytes / 1024).toFixed(1)} KB`;
}
async function runBuildContainer(inputs, deps, work, layerDir, downloads) {
    const env = {
        // The container runs as the runner's user, which has no home folder in the image.
        HOME: '/tmp',
        LAYER_NAME: inputs.layerName,
        LAYER_RUNTIME: inputs.runtime.id,
        LAYER_ARCHITECTURE: inputs.architecture,
        LAYER_DIR: src_runtimes/* CONTAINER_LAYER */.gs,
        LAYER_INSTALL_DIR: `${src_runtimes/* CONTAINER_LAYER */.gs}/${inputs.runtime.installDir}`,
        LAYER_MANIFEST: `${src_runtimes/* CONTAINER_SOURCE */.E3}/${inputs.manifest}`,
    };
    const mounts = [{ host: layerDir, container: src_runtimes/* CONTAINER_LAYER */.gs }];
    // Files the action writes for the container (a script, a Gradle init script), mounted read-only.
    const tools = external_node_path_.join(work, 'tools');
    const writeTools = async (files) => {
        await promises_.mkdir(tools, { recursive: true });
        for (const [name, content] of Object.entries(files)) {
            await promises_.writeFile(external_node_path_.join(tools, name), content, { mode: 0o644 });
        }
        mounts.push({ host: tools, container: src_runtimes/* CONTAINER_TOOLS */.A$, readonly: true });
    };
    let command;
    let workdir;
    if (inputs.buildCommand !== undefined) {
        // The user's build-command is their own script, like a `run:` step: it runs from a file, and
        // every value it needs arrives in the environment, never spliced into its text.
        await writeTools({ 'build.sh': `${inputs.buildCommand}\n` });
        mounts.push(...(await sources(inputs, work, false)));
        command = ['bash', '-eo', 'pipefail', `${src_runtimes/* CONTAINER_TOOLS */.A$}/build.sh`];
        workdir = src_runtimes/* CONTAINER_SOURCE */.E3;
    }
    else {
        const lockFiles = lockFilesOf(inputs);
        const recipe = (0,src_runtimes/* defaultBuild */.MA)(inputs.runtime, inputs.manifest, inputs.installArgs, lockFiles.length > 0, inputs.crossInstall ? inputs.architecture : undefined);
        Object.assign(env, recipe.env);
        if (recipe.files)
            await writeTools(recipe.files);
        if (recipe.copyManifestTo)
            await copyManifest(inputs, lockFiles, external_node_path_.join(layerDir, recipe.copyManifestTo));
        // The default build only reads the sources.
        mounts.push(...(await sources(inputs, work, true)));
        command = recipe.command;
        workdir = recipe.workdir;
    }
    if (downloads)
        mountDownloadCache(downloads, mounts, env);
    const run = {
        image: inputs.buildImage,
        architecture: buildArchitecture(inputs),
        mounts,
        env,
        workdir,
        user: (0,docker/* currentUser */.Ny)(),
        pidsLimit: docker/* BUILD_PIDS_LIMIT */.mz,
        network: inputs.buildNetwork,
        memoryBytes: inputs.buildMemory,
        command,
    };
    await writesLayer(layerDir, `the build in ${inputs.buildImage}`, () => (0,docker/* runLimited */.Oe)(deps.exec, run, `Building the layer in ${inputs.buildImage}`, {
        timeoutMs: inputs.buildTimeout * 60_000,
        timeoutInput: String(inputs.buildTimeout),
        memoryInput: (0,limits/* memoryText */.FC)(inputs.buildMemory),
    }));
}
// The host reads the manifest and its lock files for the build: through the resolver, which refuses a
// link out of working-directory, into .git, or to anything but a file (src/host-guard.ts).
/** The family's lock files that lie beside the manifest. */
function lockFilesOf(inputs) {
    const dir = external_node_path_.dirname(external_node_path_.join(inputs.workingDirectory, inputs.manifest));
    return (0,src_runtimes/* familyOf */.Ap)(inputs.runtime)
        .lockFiles.map((name) => external_node_path_.join(dir, name))
        .filter((file) => (0,host_guard/* resolveRepoFile */.R2)((0,host_guard/* workingRoot */.qW)(inputs), file) !== undefined);
}
/** Copies the manifest (under the family's default name) and its lock files into `target`. */
async function copyManifest(inputs, lockFiles, target) {
    const root = (0,host_guard/* workingRoot */.qW)(inputs);
    await promises_.mkdir(target, { recursive: true });
    const manifest = external_node_path_.join(inputs.workingDirectory, inputs.manifest);
    const name = external_node_path_.basename((0,src_runtimes/* familyOf */.Ap)(inputs.runtime).defaultManifest);
    if (!(await (0,host_guard/* copyRepoFile */.KL)(root, manifest, external_node_path_.join(target, name)))) {
        throw new Error(`The manifest ${inputs.manifest} does not exist in ${inputs.workingDirectory}.`);
    }
    for (const file of lockFiles)
        await (0,host_guard/* copyRepoFile */.KL)(root, file, external_node_path_.join(target, external_node_path_.basename(file)));
}
/**
 * Every container that writes the layer runs through here: once it exits, and before the host moves,
 * trims, inspects or zips anything, the tree must hold nothing that leads out of it (src/host-guard.ts).
 */
async function writesLayer(layerDir, what, container) {
    const result = await container();
    await (0,host_guard/* guardLayerTree */.f0)(layerDir, what);
    return result;
}
/** The source folder's mounts, with the credentials in it covered (see src/sandbox.ts). */
async function sources(inputs, work, readonly) {
    const view = await (0,sandbox/* sourceView */.vr)({
        source: inputs.workingDirectory,
        container: src_runtimes/* CONTAINER_SOURCE */.E3,
        readonly,
        scratch: external_node_path_.join(work, 'sandbox'),
        tempDir: inputs.tempDir,
    });
    if (view.hidden.length > 0) {
        lib_core/* info */.pq((0,log/* oneLine */.T)(`Hidden from the build: ${view.hidden.map((h) => `${h.path} (${h.how})`).join(', ')}.`));
    }
    return view.mounts;
}
/** The package manager's download cache (src/steps/download-cache.ts), where the tool looks for it. */
function mountDownloadCache(downloads, mounts, env) {
    mounts.push({ host: downloads.host, container: downloads.container });
    Object.assign(env, downloads.env);
}
async function inspect(layerDir, inputs) {
    const entries = await (0,layer_zip/* listTree */.nT)(layerDir);
    // Before the tree is zipped (or a given zip hashed): an oversized build fails in seconds.
    refuseOversize(entries.reduce((sum, entry) => sum + entry.size, 0));
    const layout = (0,layer_layout/* checkLayout */.HX)(entries, inputs.runtime, declaredRuntimes(inputs));
    const packages = await (0,layer_packages/* listPackages */.A)(inputs.runtime.family, layerDir, layout.modulePaths);
    lib_core/* info */.pq(`Layout:\n${layout.outline.map((line) => `  ${(0,log/* oneLine */.T)(line)}`).join('\n')}`);
    const runtimes = declaredRuntimes(inputs);
    const native = await checkNativeCode(layerDir, entries, runtimes, inputs.architecture);
    for (const note of native.notes)
        lib_core/* info */.pq((0,log/* oneLine */.T)(`Native code: ${note}`));
    if (native.elfFiles > 0) {
        lib_core/* info */.pq(`Native code: ${native.elfFiles} ELF file(s) fit ${inputs.architecture} and ` +
            `${runtimes.map((r) => r.id).join(', ')} (glibc, libstdc++ and libraries).`);
    }
    return { layout, packages };
}
/** The runtimes that will load the layer: the one it is built for and every compatible one. */
function declaredRuntimes(inputs) {
    const ids = new Set([inputs.runtime.id, ...inputs.compatibleRuntimes]);
    return [...ids].map((id) => (0,src_runtimes/* findRuntime */.w4)(id)).filter((r) => r !== undefined);
}
function refuseOversize(unzippedSize) {
    if (unzippedSize > layer_zip/* MAX_UNZIPPED_BYTES */.Z4) {
        throw new Error(`The layer is ${mb(unzippedSize)} unzipped; Lambda allows at most ${mb(layer_zip/* MAX_UNZIPPED_BYTES */.Z4)} ` +
            'for a function and all its layers together. Remove packages or split the layer.');
    }
}
function finish(artifact) {
    refuseOversize(artifact.unzippedSize);
    if (artifact.zipSize > MAX_DIRECT_UPLOAD_BYTES) {
        lib_core/* warning */.$e(`The layer zip is ${mb(artifact.zipSize)}, above the ${mb(MAX_DIRECT_UPLOAD_BYTES)} Lambda accepts in a ` +
            'direct upload: publishing it needs s3-bucket.');
    }
    lib_core/* info */.pq(`Layer zip ${artifact.zipFile}: ${mb(artifact.zipSize)} (${mb(artifact.unzippedSize)} unzipped, ` +
        `${artifact.fileCount} files), CodeSha256 ${artifact.codeSha256}`);
    return artifact;
}
function contentHash(treeHash, inputs, buildImage) {
    return (0,external_node_crypto_.createHash)('sha256')
        .update(JSON.stringify([treeHash, inputs.runtime.id, inputs.architecture, buildImage]))
        .digest('hex');
}
function mb(bytes) {
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
async function freshDir(dir) {
    await promises_.rm(dir, { recursive: true, force: true });
    await promises_.mkdir(dir, { recursive: true });
    return dir;
}


/***/ })

};
