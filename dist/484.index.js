export const id = 484;
export const ids = [484];
export const modules = {

/***/ 8126:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  _O: () => (/* binding */ USER_AGENT),
  e7: () => (/* binding */ awsClients)
});

// UNUSED EXPORTS: LAMBDA_QUOTAS, abortable

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-lambda/dist-cjs/index.js
var dist_cjs = __webpack_require__(1696);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ssm/dist-cjs/index.js
var client_ssm_dist_cjs = __webpack_require__(4736);
// EXTERNAL MODULE: ./node_modules/p-throttle/index.js
var p_throttle = __webpack_require__(5992);
;// CONCATENATED MODULE: ./src/aws/assume-role.ts
/** What the SDK's clients allow before they ask again; a shorter session refreshes at a quarter of its life. */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** An hour: IAM's default MaxSessionDuration, so any role accepts it. */
const SESSION_SECONDS = 3600;
/** `sts` makes (or reuses) the client on first use: a run that assumes no role never loads STS. */
function assumedRole(sts, roleArn, roleSessionName) {
    let current;
    let refreshAt = 0;
    const assume = async () => {
        const asked = Date.now();
        const { AssumeRoleCommand } = await __webpack_require__.e(/* import() */ 695).then(__webpack_require__.t.bind(__webpack_require__, 1695, 19));
        const { Credentials: c } = await (await sts()).send(new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: roleSessionName,
            DurationSeconds: SESSION_SECONDS,
        }));
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
function sessionName(env) {
    const run = (env['GITHUB_RUN_ID'] ?? '').replace(/[^\w+=,.@-]/g, '');
    const repository = (env['GITHUB_REPOSITORY'] || 'lambda-layer-release').replace(/[^\w+=,.@-]/g, '-');
    const suffix = run ? `@${run.slice(0, 40)}` : '';
    return `${repository.slice(0, 64 - suffix.length)}${suffix}`.padEnd(2, '-');
}

;// CONCATENATED MODULE: ./src/aws/clients.ts




const USER_AGENT = ['lambda-layer-release', '0.1.0'];
const common = {
    // Adaptive mode adds client-side rate limiting on throttles on top of the standard backoff.
    retryMode: 'adaptive',
    maxAttempts: 8,
    customUserAgent: [USER_AGENT],
};
/**
 * Lambda's default request quotas per account and region: GetFunction has its own bucket, every
 * other control-plane call (ListFunctions, UpdateFunctionConfiguration, PublishLayerVersion, …)
 * shares one. The action paces itself below them, so throttling is the exception, not the method.
 */
const LAMBDA_QUOTAS = { getFunctionPerSecond: 90, controlPlanePerSecond: 15 };
/**
 * Clients are made on first use and reused, so retries and pacing are shared per account and region
 * (Lambda's quotas are per account and region); one credential provider per role serves every region.
 */
function awsClients(env = process.env, inFlight) {
    const cache = new Map();
    /** Makes the client on first use (abortable once the run is cancelled) and reuses it. */
    const get = (key, make) => {
        if (!cache.has(key)) {
            const made = make();
            cache.set(key, made instanceof Promise
                ? made.then((client) => abortable(client, inFlight))
                : abortable(made, inFlight));
        }
        return cache.get(key);
    };
    // Regional endpoints (the SDK's default): a call stays in the partition the run publishes to.
    const sts = (region) => get(`sts:${region}`, async () => new (await __webpack_require__.e(/* import() */ 695).then(__webpack_require__.t.bind(__webpack_require__, 1695, 19))).STSClient({ region, ...common }));
    const roles = new Map();
    const role = (arn, region) => {
        if (!roles.has(arn))
            roles.set(arn, assumedRole(() => sts(region), arn, sessionName(env)));
        return roles.get(arn);
    };
    return {
        lambda: (region, roleArn) => get(`lambda:${roleArn ?? ''}:${region}`, () => paced(new dist_cjs/* LambdaClient */.Nox({
            region,
            ...common,
            // The middleware stack resolved once per command class, not once per request (nothing adds
            // middleware to one command): the roll-out's hot path. Other clients send a few requests.
            cacheMiddleware: true,
            ...(roleArn ? { credentials: role(roleArn, region) } : {}),
        }))),
        assumeRole: async (roleArn, region) => void (await role(roleArn, region)()),
        sts,
        s3: (region) => get(`s3:${region}`, async () => new (await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19))).S3Client({ region, ...common })),
        ssm: (region) => get(`ssm:${region}`, () => new client_ssm_dist_cjs/* SSMClient */.jBj({ region, ...common })),
        cloudwatch: (region) => get(`cloudwatch:${region}`, async () => new (await __webpack_require__.e(/* import() */ 85).then(__webpack_require__.t.bind(__webpack_require__, 4085, 19))).CloudWatchClient({ region, ...common })),
    };
}
/**
 * Once `signal` aborts (a cancelled run, src/cancel.ts), every call of `client` — in flight, retrying,
 * waiting for a pacing slot, or not sent yet — rejects with the signal's reason, so a cancelled run
 * reports within seconds instead of waiting out backoffs. A request already on the wire may still
 * reach AWS: the caller reports it as in flight.
 */
function abortable(client, signal) {
    if (!signal)
        return client;
    // Every client's stack takes the same middleware; its generic types differ per service.
    client.middlewareStack.add((next) => async (args) => {
        signal.throwIfAborted();
        let stop = () => undefined;
        const aborted = new Promise((_, reject) => {
            stop = () => reject(signal.reason);
            signal.addEventListener('abort', stop, { once: true });
        });
        try {
            return await Promise.race([next(args), aborted]);
        }
        finally {
            signal.removeEventListener('abort', stop);
        }
    }, { step: 'initialize', priority: 'high', name: 'lambdaLayerReleaseCancel' });
    return client;
}
/**
 * Every attempt (retries included: the middleware sits inside the retry loop) waits for a slot of
 * its quota. A strict sliding window never lets more than the quota through in any second.
 */
function paced(client) {
    const slot = (perSecond) => (0,p_throttle/* default */.A)({ limit: perSecond, interval: 1000, strict: true })(async () => undefined);
    const getFunctionSlot = slot(LAMBDA_QUOTAS.getFunctionPerSecond);
    const controlPlaneSlot = slot(LAMBDA_QUOTAS.controlPlanePerSecond);
    client.middlewareStack.add((next, context) => async (args) => {
        await (context.commandName === 'GetFunctionCommand' ? getFunctionSlot : controlPlaneSlot)();
        return next(args);
    }, { step: 'finalizeRequest', priority: 'low', name: 'lambdaLayerReleasePacing' });
    return client;
}


/***/ }),

/***/ 3484:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  planReason: () => (/* binding */ planReason),
  proposal: () => (/* binding */ proposal),
  runPipeline: () => (/* binding */ runPipeline)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var lib_core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/github.ts
var github = __webpack_require__(9248);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(370);
;// CONCATENATED MODULE: ./src/aws/regions.ts
/**
 * Work done once per region, where one region's failure must not hide what happened in the others:
 * every region is tried, and the results and the failures come back side by side.
 */

async function inEachRegion(regions, work, options = {}) {
    const limit = (0,p_limit/* default */.A)(Math.max(1, options.concurrency ?? regions.length));
    const explain = options.explain ?? describeError;
    const settled = await Promise.allSettled(regions.map((region) => limit(() => work(region))));
    const results = [];
    const failures = [];
    settled.forEach((outcome, index) => {
        const region = regions[index];
        if (outcome.status === 'fulfilled')
            results.push(outcome.value);
        else
            failures.push({ region, error: explain(outcome.reason, region) });
    });
    return { results, failures };
}
/** `ResourceConflictException: …` for an AWS error, the bare message for a plain Error. */
function describeError(error) {
    const e = error;
    return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
}

// EXTERNAL MODULE: ./src/inputs/index.ts + 10 modules
var src_inputs = __webpack_require__(9187);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/host-guard.ts
var host_guard = __webpack_require__(3585);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./node_modules/yauzl/index.js
var yauzl = __webpack_require__(663);
;// CONCATENATED MODULE: ./src/layer/zip-reuse.ts
/**
 * Reusing the zip of the last build (issue 33). writeDeterministicZip answers an index of what it wrote
 * (each file's SHA-256, size, CRC and where its compressed bytes lie in the zip); the download cache
 * keeps the zip and its index. The next build then
 * - takes the compressed bytes of every file whose content is unchanged from that zip instead of
 *   deflating it again (PreviousZip, used by the writer): the new zip is byte-identical to one written
 *   from scratch, because the same bytes at the same level with the same zlib deflate the same;
 * - or writes the unchanged files straight into a layer folder (extractIndexed), each checked against
 *   its SHA-256, without unpacking the whole zip.
 * A reused piece is inflated and compared with the file's bytes before it goes into a zip, and an
 * extracted file is checked against the index: a corrupt or tampered cache never reaches a layer.
 */









/**
 * Pieces smaller than this are deflated and inflated on the main thread: for them a trip through
 * libuv's threadpool (a zlib stream, its callbacks) costs more than the work. Measured here: 2.5 KB
 * pieces take 8 × less CPU inline, 43 KB ones about the same main-thread time either way.
 */
const ON_MAIN_THREAD = 32 << 10;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const isCount = (value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
/** The reason an index entry is malformed, or undefined when it is well formed. */
function malformed(entry, piece) {
    if (typeof entry !== 'object' || entry === null)
        return 'not an object';
    if (typeof entry.path !== 'string' || entry.path === '')
        return 'no path';
    if (typeof entry.sha256 !== 'string' || !SHA256_HEX.test(entry.sha256))
        return 'no hex sha256';
    for (const field of ['size', 'crc', 'dataOffset', 'dataLength']) {
        if (!isCount(entry[field]))
            return `${field} is not a byte count`;
    }
    if (typeof entry.executable !== 'boolean')
        return 'executable is not a boolean';
    if (entry.pieces !== undefined) {
        if (!Array.isArray(entry.pieces) || !entry.pieces.every(isCount))
            return 'pieces are not byte counts';
        if (piece && entry.pieces.length !== Math.ceil(entry.size / piece))
            return 'pieces do not match its size';
        if (entry.pieces.reduce((sum, length) => sum + length, 0) !== entry.dataLength) {
            return 'pieces do not add up to dataLength';
        }
    }
    return undefined;
}
/**
 * The previous zip, opened for reuse: its entries by content and by path, and its compressed pieces,
 * each handed out only once it is checked to inflate to exactly the bytes it stands for.
 */
class PreviousZip {
    handle;
    byContent = new Map();
    byPath = new Map();
    constructor(handle, entries) {
        this.handle = handle;
        for (const entry of entries) {
            const key = `${entry.size} ${entry.sha256}`;
            this.byContent.set(key, [...(this.byContent.get(key) ?? []), entry]);
            this.byPath.set(entry.path, entry);
        }
    }
    /**
     * Opens `reuse.zipFile` when its index was written at `level` with this zlib and piece size; else
     * answers why not (reuse is only ever an optimisation: nothing here throws).
     */
    static async open(reuse, level, piece) {
        const { index } = reuse;
        if (level === 0)
            return { skipped: 'level 0 stores files: there is nothing to save' };
        if (typeof index !== 'object' || index === null || !Array.isArray(index.entries)) {
            return { skipped: 'the index is not one writeDeterministicZip wrote' };
        }
        if (index.level !== level)
            return { skipped: `it was written at level ${index.level}, not ${level}` };
        if (index.zlib !== process.versions.zlib) {
            return { skipped: `it was deflated by zlib ${index.zlib}, not ${process.versions.zlib}` };
        }
        if (index.piece !== piece)
            return { skipped: `it was deflated in pieces of ${index.piece} bytes` };
        let handle;
        let size;
        try {
            handle = await (0,promises_.open)(reuse.zipFile, 'r');
            size = (await handle.stat()).size;
        }
        catch (err) {
            return { skipped: `${reuse.zipFile} cannot be read (${err.code ?? err})` };
        }
        const usable = index.entries.filter((entry) => !malformed(entry, piece) && entry.dataOffset + entry.dataLength <= size);
        return new PreviousZip(handle, usable);
    }
    /** The previous entries with this content (a file of one piece: its hash is known before deflating). */
    ofContent(size, sha256) {
        return this.byContent.get(`${size} ${sha256}`) ?? [];
    }
    /** The previous entry at this path with this size (a file in pieces: checked piece by piece). */
    atPath(filePath, size) {
        const entry = this.byPath.get(filePath);
        return entry?.size === size ? [entry] : [];
    }
    /** The first of `candidates` whose piece `number` checks out (see piece). */
    async firstPiece(candidates, ...args) {
        for (const candidate of candidates) {
            const data = await this.piece(candidate, ...args);
            if (data)
                return data;
        }
        return undefined;
    }
    /**
     * Piece `number` of `entry`'s compressed data, if it inflates (after `dictionary`, the 32 KiB before
     * it) to exactly `raw`, ending the stream if `last`, else at a byte boundary without ending it (as a
     * sync flush does); undefined otherwise, or when it cannot be read.
     */
    async piece(entry, number, raw, dictionary, last) {
        const lengths = entry.pieces ?? [entry.dataLength];
        const length = lengths[number];
        if (length === undefined || last !== (number === lengths.length - 1))
            return undefined;
        const offset = entry.dataOffset + lengths.slice(0, number).reduce((sum, l) => sum + l, 0);
        try {
            // A piece that is not the last gets an empty final block (fixed Huffman: 03 00): it must be read
            // to the last byte for the stream to end, so a piece that ended the stream early is refused.
            const data = Buffer.allocUnsafe(length + (last ? 0 : 2));
            const bytesRead = raw.length < ON_MAIN_THREAD
                ? (0,external_node_fs_.readSync)(this.handle.fd, data, 0, length, offset)
                : (await this.handle.read(data, 0, length, offset)).bytesRead;
            if (bytesRead !== length)
                return undefined;
            if (!last)
                data.set([0x03, 0x00], length);
            const inflated = await inflateExactly(data, raw.length, dictionary);
            return inflated?.equals(raw) ? data.subarray(0, length) : undefined;
        }
        catch {
            return undefined;
        }
    }
    async close() {
        await this.handle.close();
    }
}
/**
 * Inflates raw deflate `data` that must end the stream exactly at its last byte and give at most `max`
 * bytes; undefined when it does not (in zlib's threadpool, like zlib.inflateRaw).
 */
function inflateExactly(data, max, dictionary) {
    const options = {
        finishFlush: external_node_zlib_.constants.Z_FINISH,
        // Room for all it may give at once: one trip through the threadpool, not one per 16 KiB.
        chunkSize: Math.max(external_node_zlib_.constants.Z_MIN_CHUNK, max + 1),
        ...(dictionary ? { dictionary } : {}),
    };
    if (max < ON_MAIN_THREAD) {
        try {
            // `info` answers the engine too (its bytesWritten: the input it read), which the types omit.
            const info = { ...options, maxOutputLength: Math.max(1, max), info: true };
            const { buffer, engine } = (0,external_node_zlib_.inflateRawSync)(data, info);
            return Promise.resolve(buffer.length <= max && engine.bytesWritten === data.length ? buffer : undefined);
        }
        catch {
            return Promise.resolve(undefined);
        }
    }
    return new Promise((resolve) => {
        const engine = (0,external_node_zlib_.createInflateRaw)(options);
        const chunks = [];
        let size = 0;
        engine.on('data', (chunk) => {
            size += chunk.length;
            if (size > max)
                engine.destroy(new Error('too long'));
            else
                chunks.push(chunk);
        });
        engine.on('error', () => resolve(undefined));
        engine.on('end', () => resolve(engine.bytesWritten === data.length ? Buffer.concat(chunks, size) : undefined));
        engine.end(data);
    });
}
// ---- extracting by the index ----------------------------------------------------------------------
const LOCAL_HEADER = 0x04034b50;
const LOCAL_HEADER_SIZE = 30;
/** Entries extracted at once: their inflating runs in libuv's threadpool. */
const PARALLEL_EXTRACTIONS = 8;
/** Entries up to this size are read, inflated and checked in memory before they are written. */
const IN_MEMORY = 1 << 20;
/**
 * Writes the given entries of `zipFile` (a zip writeDeterministicZip wrote; `entries` from its index)
 * into `destDir`: each entry's compressed bytes are read at its dataOffset and inflated, several at
 * once, and its size and SHA-256 checked against the index (a mismatch throws, naming the entry and the
 * zip, and leaves no file of that entry behind). Files are 0755 when executable, else 0644; folders are
 * made as needed; an existing file is never overwritten; a path that is absolute, climbs with `..` or
 * would land outside `destDir` (through a linked folder too) is refused before anything is written.
 */
async function extractIndexed(zipFile, entries, destDir) {
    const refuse = (entry, why) => new Error(`Refusing to extract ${entry ? `${JSON.stringify(entry.path)} of ` : ''}${zipFile}: ${why}`);
    for (const entry of entries) {
        const wrong = malformed(entry) ?? unsafePath(entry.path);
        if (wrong)
            throw refuse(entry, `its index entry is unusable (${wrong}).`);
    }
    const dest = external_node_path_default().resolve(destDir);
    await (0,promises_.mkdir)(dest, { recursive: true });
    const destReal = await (0,promises_.realpath)(dest);
    const handle = await (0,promises_.open)(zipFile, 'r');
    try {
        const zipSize = (await handle.stat()).size;
        const folders = new Map();
        // A folder is made once, and must resolve inside destDir (a linked folder may point elsewhere).
        const folder = (dir) => {
            let made = folders.get(dir);
            if (!made) {
                made = (async () => {
                    await (0,promises_.mkdir)(dir, { recursive: true });
                    if (!(0,host_guard/* isInside */.FK)(destReal, await (0,promises_.realpath)(dir))) {
                        throw refuse(undefined, `${dir} resolves outside ${dest}.`);
                    }
                })();
                folders.set(dir, made);
            }
            return made;
        };
        const limit = (0,p_limit/* default */.A)(PARALLEL_EXTRACTIONS);
        const written = await Promise.all(entries.map((entry) => limit(async () => {
            const target = external_node_path_default().resolve(dest, ...entry.path.split('/'));
            if (!(0,host_guard/* isInside */.FK)(dest, target))
                throw refuse(entry, `it would land outside ${dest}.`);
            await folder(external_node_path_default().dirname(target));
            await extractEntry(handle, zipFile, zipSize, entry, target, (why) => refuse(entry, why));
            return entry.size;
        })));
        return { files: written.length, bytes: written.reduce((sum, size) => sum + size, 0) };
    }
    finally {
        await handle.close();
    }
}
async function extractEntry(zip, zipFile, zipSize, entry, target, refuse) {
    const mode = entry.executable ? 0o755 : 0o644;
    const inMemory = entry.size <= IN_MEMORY;
    // A small file is read, inflated and written right here, as unzip does: the threadpool's trips
    // (read, open, write, chmod, close) would cost more than the work.
    const small = entry.size < ON_MAIN_THREAD;
    const { method, data } = await localEntry(zip, zipSize, entry, { inMemory, small }, refuse);
    const mismatch = (size, sha256) => size !== entry.size
        ? `it holds ${size} bytes, the index says ${entry.size} (corrupt cache?).`
        : sha256 !== entry.sha256
            ? `its SHA-256 is ${sha256}, the index says ${entry.sha256} (corrupt cache?).`
            : undefined;
    if (!inMemory)
        return streamEntry(zipFile, entry, { method, target, mode }, mismatch, refuse);
    const content = method === 0 ? data : await inflateExactly(data, entry.size);
    if (!content)
        throw refuse('its data does not inflate (corrupt cache?).');
    const wrong = mismatch(content.length, (0,external_node_crypto_.createHash)('sha256').update(content).digest('hex'));
    if (wrong)
        throw refuse(wrong);
    if (small)
        return writeSmall(target, content, mode);
    const file = await (0,promises_.open)(target, 'wx', mode);
    try {
        await file.writeFile(content);
        await file.chmod(mode); // the umask may have cleared bits at creation
    }
    finally {
        await file.close();
    }
}
/** Reads and checks the entry's local header at the index's offset (with its data, when in memory). */
async function localEntry(zip, zipSize, entry, { inMemory, small }, refuse) {
    const name = Buffer.from(entry.path);
    const headerAt = entry.dataOffset - LOCAL_HEADER_SIZE - name.length;
    if (headerAt < 0 || entry.dataOffset + entry.dataLength > zipSize) {
        throw refuse(`its data (${entry.dataLength} bytes at ${entry.dataOffset}) is not in the zip (truncated?).`);
    }
    const header = Buffer.allocUnsafe(LOCAL_HEADER_SIZE + name.length + (inMemory ? entry.dataLength : 0));
    const bytesRead = small
        ? (0,external_node_fs_.readSync)(zip.fd, header, 0, header.length, headerAt)
        : (await zip.read(header, 0, header.length, headerAt)).bytesRead;
    if (bytesRead !== header.length)
        throw refuse('the zip ends before its data (truncated?).');
    const method = header.readUInt16LE(8);
    if (header.readUInt32LE(0) !== LOCAL_HEADER ||
        !header.subarray(LOCAL_HEADER_SIZE, LOCAL_HEADER_SIZE + name.length).equals(name) ||
        (method !== 0 && method !== 8)) {
        throw refuse(`the zip has no entry of that name at the index's offset ${entry.dataOffset}.`);
    }
    return { method, data: header.subarray(LOCAL_HEADER_SIZE + name.length) };
}
/** A large file is streamed: inflated on its way to disk, and removed if it is not what the index says. */
async function streamEntry(zipFile, entry, { method, target, mode }, mismatch, refuse) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let size = 0;
    const file = await (0,promises_.open)(target, 'wx', mode); // an existing file fails here, untouched
    try {
        await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(zipFile, {
            start: entry.dataOffset,
            end: entry.dataOffset + entry.dataLength - 1,
            highWaterMark: IN_MEMORY,
        }), method === 0 ? new external_node_stream_.PassThrough() : (0,external_node_zlib_.createInflateRaw)({ chunkSize: IN_MEMORY }), new external_node_stream_.Transform({
            transform(chunk, _encoding, callback) {
                size += chunk.length;
                if (size > entry.size)
                    return callback(refuse(`it inflates past the index's ${entry.size} bytes.`));
                hash.update(chunk);
                callback(null, chunk);
            },
        }), file.createWriteStream());
        const wrong = mismatch(size, hash.digest('hex'));
        if (wrong)
            throw refuse(wrong);
        await (0,promises_.chmod)(target, mode);
    }
    catch (err) {
        await (0,promises_.rm)(target, { force: true });
        throw err instanceof Error && err.message.startsWith('Refusing')
            ? err
            : refuse(`its data does not inflate (${err.message}; corrupt cache?).`);
    }
}
/** Writes a new file (never over an existing one) with exactly `mode` (the umask may clear bits). */
function writeSmall(target, content, mode) {
    const fd = (0,external_node_fs_.openSync)(target, 'wx', mode);
    try {
        (0,external_node_fs_.writeFileSync)(fd, content);
        (0,external_node_fs_.fchmodSync)(fd, mode);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** Why a zip entry path may not be written under a folder, or undefined when it may. */
function unsafePath(name) {
    if (name.startsWith('/') || external_node_path_default().isAbsolute(name) || /^[A-Za-z]:/.test(name))
        return 'an absolute path';
    if (name.includes('\\') || name.includes('\0'))
        return 'a backslash or NUL in the path';
    const parts = name.split('/');
    if (parts.includes('..'))
        return 'a path that climbs with ..';
    if (parts.some((part) => part === '' || part === '.'))
        return 'an empty or . path segment';
    return undefined;
}

;// CONCATENATED MODULE: ./src/layer/zip.ts
/**
 * Deterministic layer zips: the same tree gives the same bytes (so the same CodeSha256), whatever the
 * file mtimes, creation order, umask or TZ. Entries are sorted by path (UTF-8 byte order), every
 * directory gets an entry (so empty directories survive), times are fixed, modes normalised to
 * 0644 / 0755 / dir 0755, and links inside the root are stored as what they point to.
 *
 * Files are read and deflated in pieces ahead of the writer, several at once in libuv's threadpool (so
 * every core works), within a bounded window; pieces under 32 KiB are read and deflated on the main
 * thread, where they cost less than a trip through the threadpool. The zip is written by a small
 * writer here (yazl deflates one entry at a time, or keeps every compressed buffer until the end),
 * hashed on its way to disk.
 * The writer answers an index of what it wrote, and can take the compressed bytes of unchanged files
 * from the previous zip instead of deflating them again (src/layer/zip-reuse.ts).
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
const deflateRawAsync = (0,external_node_util_.promisify)(external_node_zlib_.deflateRaw);
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
    const file = external_node_path_default().resolve(outFile);
    if ((0,host_guard/* isInside */.FK)(rootReal, external_node_path_default().join(await (0,promises_.realpath)(external_node_path_default().dirname(file)), external_node_path_default().basename(file)))) {
        throw new Error(`The zip ${file} must be written outside the layer root ${root}.`);
    }
    if (entries.length > 0xffff)
        throw new Error(`The layer has ${entries.length} entries; a zip holds 65,535.`);
    const opened = !options.reuse
        ? undefined
        : external_node_path_default().resolve(options.reuse.zipFile) === file
            ? { skipped: 'the previous zip is the one being written' }
            : await PreviousZip.open(options.reuse, level, PIECE);
    const previous = opened instanceof PreviousZip ? opened : undefined;
    const reused = { files: 0, bytes: 0, ...(opened && !previous ? opened : {}) };
    const treeHash = (0,external_node_crypto_.createHash)('sha256');
    const index = { level, zlib: process.versions.zlib, piece: PIECE, entries: [] };
    const zip = new ZipWriter(await (0,promises_.open)(file, 'w'));
    const pieces = new Pieces(files, level, previous);
    try {
        for (const entry of entries) {
            if (entry.type === 'dir') {
                await zip.add({ name: `${entry.path}/`, mode: DIR_MODE, method: 0, crc: 0, size: 0 }, []);
                treeHash.update(treeLine(entry));
                continue;
            }
            const written = await writeFileEntry(zip, pieces, entry, level, reused);
            index.entries.push(written);
            treeHash.update(treeLine(entry, written.sha256));
        }
        await zip.end();
    }
    catch (err) {
        await pieces.drain();
        await zip.close();
        await (0,promises_.rm)(file, { force: true });
        throw err;
    }
    finally {
        await previous?.close();
    }
    await zip.close();
    return {
        file,
        zipSize: zip.size,
        unzippedSize: files.reduce((sum, entry) => sum + entry.size, 0),
        fileCount: files.length,
        codeSha256: zip.sha256(),
        treeHash: treeHash.digest('hex'),
        index,
        reused,
    };
}
/** Writes one file's entry from its pieces; answers its index entry and counts what was reused. */
async function writeFileEntry(zip, pieces, entry, level, reused) {
    const fields = {
        name: entry.path,
        mode: entry.executable ? EXEC_MODE : FILE_MODE,
        method: level ? 8 : 0,
    };
    const { path, size, executable } = entry;
    const count = pieceCount(entry);
    if (count === 1) {
        // The usual case: CRC and sizes go in the local header, no data descriptor.
        const { raw, data, sha256, fromPrevious } = await pieces.take();
        const crc = (0,external_node_zlib_.crc32)(raw);
        const dataOffset = await zip.add({ ...fields, crc, size: raw.length }, [data]);
        if (fromPrevious)
            [reused.files, reused.bytes] = [reused.files + 1, reused.bytes + size];
        return { path, sha256: sha256, size, crc, dataOffset, dataLength: data.length, executable };
    }
    const contentHash = (0,external_node_crypto_.createHash)('sha256');
    let crc = 0;
    const lengths = [];
    // A piece from the previous zip is used only while every piece before it was too: the same bytes
    // before it, the same dictionary, so the same deflated bytes as a fresh write.
    let unchanged = true;
    const dataOffset = await zip.begin(fields);
    for (let i = 0; i < count; i++) {
        const piece = await pieces.take();
        let { data } = piece;
        if (piece.fromPrevious && !unchanged)
            data = await piece.deflate();
        unchanged &&= piece.fromPrevious;
        if (unchanged)
            reused.bytes += piece.raw.length;
        contentHash.update(piece.raw);
        crc = (0,external_node_zlib_.crc32)(piece.raw, crc);
        lengths.push(data.length);
        await zip.data(data);
    }
    await zip.finish(crc, size);
    if (unchanged)
        reused.files++;
    const dataLength = lengths.reduce((sum, length) => sum + length, 0);
    const sha256 = contentHash.digest('hex');
    return { path, sha256, size, crc, dataOffset, dataLength, executable, pieces: lengths };
}
/** The tree hash, size and file count of `root`, as writeDeterministicZip reports them, without a zip. */
async function summarizeTree(root, 
/** SHA-256 (hex) of files already known, by path (what extractZip answers): not read again. */
known = new Map()) {
    const { entries } = await walk(root);
    const treeHash = (0,external_node_crypto_.createHash)('sha256');
    let unzippedSize = 0;
    let fileCount = 0;
    // Files are hashed several at once; the lines go into the tree hash in order.
    const limit = (0,p_limit/* default */.A)(PARALLEL_ENTRIES);
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
    const hash = (0,external_node_crypto_.createHash)('sha256');
    await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(file), hash);
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
/** Output room for deflating `size` bytes in one call (zlib's deflateBound for stored blocks, and some). */
const deflatedRoom = (size) => Math.max(external_node_zlib_.constants.Z_MIN_CHUNK, size + (size >> 10) + 64);
const pieceCount = (entry) => Math.max(1, Math.ceil(entry.size / PIECE));
/**
 * Reads and deflates the files' pieces ahead of the writer, in order, several at a time: zlib's async
 * calls run in libuv's threadpool, so every core works while earlier pieces are written. A piece after
 * the first is deflated with the 32 KiB before it as its dictionary and ends with a sync flush, so the
 * pieces of a file concatenate into one deflate stream (as pigz does) that is as small as one made in a
 * single pass. At most WINDOW pieces are in memory.
 *
 * With a previous zip, a file of one piece whose content it holds (by SHA-256 and size, at any path),
 * or a piece of a larger file at the same path and size, takes the previous compressed bytes instead,
 * once they are checked to inflate to exactly this piece (so a changed file is never reused).
 */
class Pieces {
    queue = [];
    files;
    level;
    previous;
    file = 0;
    piece = 0;
    constructor(files, level, previous) {
        this.files = files;
        this.level = level;
        this.previous = previous;
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
            const reading = this.pack(entry, this.piece, last);
            reading.catch(() => { }); // reported when its turn comes
            this.queue.push(reading);
            if (last)
                [this.file, this.piece] = [this.file + 1, 0];
            else
                this.piece++;
        }
    }
    async pack(entry, number, last) {
        const offset = number * PIECE;
        const length = Math.min(PIECE, entry.size - offset);
        const before = Math.min(DICTIONARY, offset);
        const bytes = Buffer.allocUnsafe(before + length);
        const bytesRead = entry.size < ON_MAIN_THREAD
            ? readSmall(entry.source, bytes)
            : await readAt(entry.source, bytes, offset - before);
        if (bytesRead !== bytes.length)
            throw new Error(`${entry.path} changed while it was being zipped`);
        const raw = bytes.subarray(before);
        const dictionary = before ? bytes.subarray(0, before) : undefined;
        const single = pieceCount(entry) === 1;
        const sha256 = single ? (0,external_node_crypto_.createHash)('sha256').update(raw).digest('hex') : undefined;
        const deflate = async () => {
            if (this.level === 0)
                return raw;
            const options = {
                level: this.level,
                ...(dictionary ? { dictionary } : {}),
                finishFlush: last ? external_node_zlib_.constants.Z_FINISH : external_node_zlib_.constants.Z_SYNC_FLUSH,
                // Room for the whole piece at once: one trip through the threadpool, not one per 16 KiB.
                chunkSize: deflatedRoom(raw.length),
            };
            // The same bytes either way; a small piece costs less here than its trip through the threadpool.
            return raw.length < ON_MAIN_THREAD ? (0,external_node_zlib_.deflateRawSync)(raw, options) : deflateRawAsync(raw, options);
        };
        const candidates = single
            ? this.previous?.ofContent(raw.length, sha256)
            : this.previous?.atPath(entry.path, entry.size);
        const reused = candidates?.length && (await this.previous.firstPiece(candidates, number, raw, dictionary, last));
        if (reused)
            return { raw, data: reused, fromPrevious: true, deflate, ...(sha256 ? { sha256 } : {}) };
        return { raw, data: await deflate(), fromPrevious: false, deflate, ...(sha256 ? { sha256 } : {}) };
    }
}
/** Reads `buffer.length` bytes of `file` at `position` (through the threadpool); answers the count read. */
async function readAt(file, buffer, position) {
    const handle = await (0,promises_.open)(file, 'r');
    try {
        return (await handle.read(buffer, 0, buffer.length, position)).bytesRead;
    }
    finally {
        await handle.close();
    }
}
/** The same for a small file, from its start, right here: three threadpool trips cost more than it. */
function readSmall(file, buffer) {
    const fd = (0,external_node_fs_.openSync)(file, 'r');
    try {
        return (0,external_node_fs_.readSync)(fd, buffer, 0, buffer.length, 0);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
const zip_LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const DATA_DESCRIPTOR = 0x08074b50;
const UTF8_NAMES = 1 << 11;
const SIZES_AFTER_DATA = 1 << 3;
const VERSION_NEEDED = 20;
const VERSION_MADE_BY = (3 << 8) | 20; // Unix, so that unzip and Lambda apply the modes
/** 1981-01-01 00:00 as a DOS date; the DOS time is 0. */
const DOS_DATE = ((1981 - 1980) << 9) | (1 << 5) | 1;
/** The writer writes once this many bytes, or chunks, are waiting (one threadpool trip for many entries). */
const FLUSH_BYTES = 1 << 20;
const FLUSH_CHUNKS = 256;
/**
 * A minimal zip writer, no zip64 (a layer is far below 4 GiB and 65,535 entries): CRC and sizes in the
 * local header when known before the data, else in a data descriptor after it; one central directory.
 */
class ZipWriter {
    size = 0;
    out;
    hash = (0,external_node_crypto_.createHash)('sha256');
    central = [];
    open;
    constructor(out) {
        this.out = out;
    }
    /** Writes a whole entry; answers the offset of its data. */
    async add(fields, data) {
        const compressedSize = data.reduce((sum, chunk) => sum + chunk.length, 0);
        const entry = { ...fields, flags: UTF8_NAMES, compressedSize, offset: this.size };
        const local = header(entry, false);
        await this.write([local, ...data]);
        this.central.push(header(entry, true));
        return entry.offset + local.length;
    }
    /** Starts an entry whose CRC and compressed size come after its data (see finish); answers where its data starts. */
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
        return this.size;
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
        await this.flush();
    }
    sha256() {
        return this.hash.digest('base64');
    }
    async close() {
        await this.out.close();
    }
    /** Bytes hashed and counted but not yet on disk: small entries are written together, not one by one. */
    pending = [];
    pendingBytes = 0;
    async write(chunks) {
        for (const chunk of chunks) {
            this.hash.update(chunk);
            this.size += chunk.length;
            this.pendingBytes += chunk.length;
            this.pending.push(chunk);
        }
        if (this.size > 0xffffffff)
            throw new Error('The zip would be over 4 GiB, far more than a layer can be.');
        if (this.pendingBytes >= FLUSH_BYTES || this.pending.length >= FLUSH_CHUNKS)
            await this.flush();
    }
    async flush() {
        const chunks = this.pending;
        [this.pending, this.pendingBytes] = [[], 0];
        if (chunks.length > 0)
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
    u32(central ? CENTRAL_HEADER : zip_LOCAL_HEADER);
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
        rootReal = await (0,promises_.realpath)(root);
    }
    catch {
        throw new Error(`Layer root ${root} does not exist.`);
    }
    if (!(await (0,promises_.stat)(rootReal)).isDirectory())
        throw new Error(`Layer root ${root} is not a directory.`);
    const entries = [];
    // `ancestors` holds the real paths of the directories being walked: following a link into one is a cycle.
    async function visit(dirReal, dirPath, ancestors) {
        // Read right here: a trip through the threadpool per name costs far more than the lstat.
        for (const name of (0,external_node_fs_.readdirSync)(dirReal)) {
            const relPath = dirPath ? `${dirPath}/${name}` : name;
            if (name.includes('\\')) {
                throw new Error(`${relPath}: a backslash in a name would read as a folder separator in a zip.`);
            }
            let source = external_node_path_default().join(dirReal, name);
            let stats = (0,external_node_fs_.lstatSync)(source);
            if (stats.isSymbolicLink()) {
                const link = await resolveLink(rootReal, source, relPath);
                if (ancestors.includes(link)) {
                    throw new Error(`Symlink ${relPath} -> ${await (0,promises_.readlink)(source)} makes a cycle (it points to its own parent).`);
                }
                source = link;
                stats = (0,external_node_fs_.statSync)(source);
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
    const target = await (0,promises_.readlink)(link);
    const refuse = (why) => new Error(`Symlink ${relPath} -> ${target} ${why}; a layer may only hold links to files inside its root.`);
    const lexical = external_node_path_default().resolve(external_node_path_default().dirname(link), target);
    if (!(0,host_guard/* isInside */.FK)(rootReal, lexical))
        throw refuse('points outside the layer root');
    let real;
    try {
        real = await (0,promises_.realpath)(lexical);
    }
    catch (err) {
        throw refuse(`dangles (${err.code ?? String(err)})`);
    }
    if (!(0,host_guard/* isInside */.FK)(rootReal, real))
        throw refuse('resolves outside the layer root');
    return real;
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
    const dest = external_node_path_default().resolve(destDir);
    const refuse = (why) => new Error(`Refusing to extract ${zipFile}: ${why}`);
    await (0,promises_.mkdir)(dest, { recursive: true });
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
            await zip_extractEntry(zip, entry, dest, { budget, folders, hashes }, refuse);
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
async function zip_extractEntry(zip, entry, dest, { budget, folders, hashes, }, refuse) {
    const target = external_node_path_default().resolve(dest, entry.fileName);
    if (!(0,host_guard/* isInside */.FK)(dest, target)) {
        throw refuse(`entry ${JSON.stringify(entry.fileName)} would be written outside ${dest} (zip-slip).`);
    }
    const mode = entry.externalFileAttributes >>> 16;
    const folder = async (dir) => {
        if (folders.has(dir))
            return;
        await (0,promises_.mkdir)(dir, { recursive: true });
        folders.add(dir);
    };
    if (entry.fileName.endsWith('/'))
        return folder(target);
    if ((mode & external_node_fs_.constants.S_IFMT) === external_node_fs_.constants.S_IFLNK) {
        throw refuse(`entry ${JSON.stringify(entry.fileName)} is a symbolic link.`);
    }
    const fileMode = mode & 0o111 ? 0o755 : 0o644;
    await folder(external_node_path_default().dirname(target));
    const allowed = Math.min(entry.uncompressedSize, budget.left);
    budget.left -= allowed;
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const lies = () => refuse(`entry ${JSON.stringify(entry.fileName)} inflates to more than the ${entry.uncompressedSize} bytes its ` +
        'central directory declares (a zip bomb?); extraction stopped there.');
    try {
        await (0,external_node_stream_promises_.pipeline)(await zip.openReadStreamPromise(entry), byteLimit(allowed, lies), 
        // Hashed on the way to disk: summarizeTree need not read the file again.
        new external_node_stream_.Transform({
            transform(chunk, _encoding, callback) {
                hash.update(chunk);
                callback(null, chunk);
            },
        }), (0,external_node_fs_.createWriteStream)(target, { flags: 'wx', mode: fileMode }));
        hashes.set(external_node_path_default().relative(dest, target).split((external_node_path_default()).sep).join('/'), hash.digest('hex'));
    }
    catch (err) {
        throw err instanceof Error && TOO_MANY_BYTES.test(err.message) ? lies() : err;
    }
    await (0,promises_.chmod)(target, fileMode); // the umask may have cleared bits at creation
}
/**
 * Passes at most `max` bytes through and fails with `tooMany()` on the chunk that would pass it, before
 * that chunk is written. (yauzl checks each entry against its declared size too; this also holds the
 * total, and does not depend on how a library reads the central directory.)
 */
function byteLimit(max, tooMany) {
    let seen = 0;
    return new external_node_stream_.Transform({
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
class ChunkedFileReader extends yauzl/* RandomAccessReader */.lJ {
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
        return new external_node_stream_.Readable({
            highWaterMark: READ_CHUNK,
            read(size) {
                const length = Math.min(size, end - position);
                if (length <= 0) {
                    this.push(null);
                    return;
                }
                const buffer = Buffer.allocUnsafe(length);
                (0,external_node_fs_.read)(fd, buffer, 0, length, position, (error, bytes) => {
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
        (0,external_node_fs_.close)(this.fd, (error) => callback(error ?? null));
    }
}
/** fs.read until `length` bytes are in, or an error (a file that ends early is one). */
function readFully(fd, buffer, offset, length, position, callback) {
    (0,external_node_fs_.read)(fd, buffer, offset, length, position, (error, bytes) => {
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
    const fd = await (0,external_node_util_.promisify)(external_node_fs_.open)(file, 'r');
    try {
        const { size } = await (0,external_node_util_.promisify)(external_node_fs_.fstat)(fd);
        const reader = new ChunkedFileReader(fd, size);
        return await (0,yauzl/* fromRandomAccessReaderPromise */.or)(reader, size, options);
    }
    catch (error) {
        (0,external_node_fs_.close)(fd, () => undefined);
        throw error;
    }
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-lambda/dist-cjs/index.js
var dist_cjs = __webpack_require__(1696);
;// CONCATENATED MODULE: ./src/look-ups/functions.ts
/**
 * Finds the functions a `functions:` list names, in one region, as fast as Lambda's quotas allow.
 *
 * GetFunction has its own quota (100 req/s; the client paces at 90), so a short list is read with
 * GetFunction calls in parallel. A long list would take (names ÷ 90) seconds that way: 1,000 names, 11 s.
 * ListFunctions returns 50 configurations per call at 15 calls/s (750 functions a second), which is
 * faster unless the region holds many more functions than the list names, and how many it holds is not
 * known in advance. So past LIST_THRESHOLD names both run at once, each in its own quota, and the first
 * to finish answers (the other is aborted); if one of them is not allowed (no lambda:ListFunctions in
 * the role), the other still answers.
 * Either way the answer is the configuration of each function found and the names not found.
 * Read only: the preflight (src/preflight/reach.ts) and the roll-out's discovery (src/steps/consumers.ts)
 * both ask through here.
 */


/** About one second of GetFunction quota: more names than this are found faster by listing. */
const LIST_THRESHOLD = 90;
/** GetFunction calls in flight at once; the client's pacing keeps them under the quota. */
const PARALLEL_LOOK_UPS = 25;
const lookUpKey = (role, region) => `${role ?? ''} ${region}`;
/** Listed names apply to every account and region; a function ARN only to its own. */
function namesIn(selection, region, account) {
    return selection.names.filter((name) => {
        if (!name.startsWith('arn:'))
            return true;
        const [, , , arnRegion, arnAccount] = name.split(':');
        return arnRegion === region && (account === undefined || arnAccount === account);
    });
}
/** `names` are function names or ARNs of this region; `found` keeps their order. */
async function lookUpFunctions(lambda, names) {
    if (names.length <= LIST_THRESHOLD)
        return byGetFunction(lambda, names);
    const race = new AbortController();
    try {
        return await Promise.any([
            byGetFunction(lambda, names, race.signal),
            byListing(lambda, names, race.signal),
        ]);
    }
    catch (error) {
        // Both failed: GetFunction's error says the most about the names.
        throw error instanceof AggregateError ? error.errors[0] : error;
    }
    finally {
        race.abort();
    }
}
async function byGetFunction(lambda, names, abortSignal) {
    const limit = (0,p_limit/* default */.A)(PARALLEL_LOOK_UPS);
    const results = await Promise.all(names.map((name) => limit(async () => {
        abortSignal?.throwIfAborted();
        try {
            const command = new dist_cjs/* GetFunctionCommand */.YF5({ FunctionName: name });
            return (await lambda.send(command, abortSignal ? { abortSignal } : {})).Configuration;
        }
        catch (error) {
            if (error.name !== 'ResourceNotFoundException')
                throw error;
            return undefined;
        }
    })));
    return {
        found: results.filter((fn) => fn !== undefined),
        missing: names.filter((_, index) => results[index] === undefined),
        scanned: names.length,
    };
}
async function byListing(lambda, names, abortSignal) {
    const byName = new Map();
    let marker;
    do {
        // Page by page (not the SDK's paginator), so that the losing side of the race stops at once.
        const page = await lambda.send(new dist_cjs/* ListFunctionsCommand */.xRr({ MaxItems: 50, Marker: marker }), {
            abortSignal,
        });
        for (const fn of page.Functions ?? [])
            byName.set(fn.FunctionName, fn);
        marker = page.NextMarker || undefined;
    } while (marker !== undefined);
    // An ARN names a function of this region and account (checked before the run): its last field is the name.
    const nameOf = (name) => name.slice(name.lastIndexOf(':') + 1);
    return {
        found: names.map((name) => byName.get(nameOf(name))).filter((fn) => fn !== undefined),
        missing: names.filter((name) => !byName.has(nameOf(name))),
        scanned: byName.size,
    };
}

;// CONCATENATED MODULE: ./src/look-ups/targets.ts
/** `own`: the job's own account (reached with its credentials, never through account-role). */
function rolloutTargets(inputs, own) {
    const accounts = inputs.accounts ?? [];
    if (accounts.length === 0)
        return [{ account: own }];
    return accounts.map((account) => account === own || !inputs.accountRole
        ? { account }
        : { account, role: inputs.accountRole.replaceAll('{account}', account) });
}

;// CONCATENATED MODULE: ./src/preflight/reach.ts
/**
 * What the roll-out will reach, checked before anything is written: every account other than the job's
 * own needs `account-role`, and that role is assumed now (the credentials are kept for the roll-out, so
 * this costs no extra STS call); every listed function name or ARN is looked up in every account and
 * region it applies to, and one that exists in none of them is refused. The look-ups are handed to the
 * roll-out, which reuses them instead of asking Lambda again (src/steps/accounts.ts).
 */





/** `caller` answers the job's own account (STS, asked once and only when needed). */
async function checkReach(inputs, deps, caller) {
    const lookUps = new Map();
    if (!inputs.steps.includes('roll-out'))
        return { problems: [], lookUps };
    // The job's own account; its id is asked of STS only when a name needs it (an ARN, another account).
    let targets = [{ account: '' }];
    const arns = inputs.functions.mode === 'list' && inputs.functions.names.some((n) => n.startsWith('arn:'));
    if (inputs.accounts.length === 0 && arns)
        targets = [{ account: await caller() }];
    if (inputs.accounts.length > 0) {
        const own = await caller();
        const roleless = inputs.accountRole ? [] : inputs.accounts.filter((account) => account !== own);
        if (roleless.length > 0) {
            return {
                problems: [
                    `account-role: needed for accounts ${roleless.join(', ')}: the job's credentials are for ${own}, ` +
                        'and another account is reached through a role, e.g. arn:aws:iam::{account}:role/layer-rollout',
                ],
                lookUps,
            };
        }
        targets = rolloutTargets(inputs, own);
    }
    const unreachable = [];
    const limit = (0,p_limit/* default */.A)(inputs.maxParallelAccounts);
    await Promise.all(targets.map((target) => limit(async () => {
        const reason = await reachTarget(inputs, deps, target, lookUps);
        if (reason)
            unreachable.push(reason);
    })));
    if (unreachable.length > 0) {
        // on-failure: continue rolls out in the accounts it reaches and reports the others (as before).
        if (inputs.onFailure !== 'continue')
            return { problems: unreachable, lookUps };
        for (const reason of unreachable)
            lib_core/* warning */.$e(reason);
        return { problems: [], lookUps };
    }
    return { problems: missingFunctions(inputs, targets, lookUps), lookUps };
}
/** Assumes the target's role and looks the listed functions up in each region; the reason it failed. */
async function reachTarget(inputs, deps, target, lookUps) {
    const { functions, regions } = inputs;
    if (target.role) {
        try {
            await deps.assumeRole(target.role, regions[0]);
        }
        catch (error) {
            return (`account-role: ${JSON.stringify(target.role)} could not be assumed for account ${target.account}: ` +
                `${describeError(error)}; its trust policy must allow sts:AssumeRole by the job's role`);
        }
    }
    if (functions.mode !== 'list')
        return undefined;
    const where = target.account ? ` of account ${target.account}` : '';
    try {
        await Promise.all(regions.map(async (region) => {
            const names = namesIn(functions, region, target.account || undefined);
            if (names.length === 0)
                return;
            lookUps.set(lookUpKey(target.role, region), await lookUpFunctions(deps.lambda(region, target.role), names));
        }));
    }
    catch (error) {
        return (`functions: the listed functions could not be looked up${where}: ${describeError(error)} ` +
            '(the role needs lambda:GetFunction)');
    }
    return undefined;
}
/** Names shown one by one; a list of a thousand typos is summed up after these. */
const SHOWN = 10;
/** Listed names that exist in none of the accounts and regions they apply to. */
function missingFunctions(inputs, targets, lookUps) {
    if (inputs.functions.mode !== 'list')
        return [];
    const selection = inputs.functions;
    const askedIn = (name) => targets.flatMap((target) => inputs.regions
        .filter((region) => namesIn(selection, region, target.account || undefined).includes(name))
        .map((region) => lookUps.get(lookUpKey(target.role, region))));
    const accounts = targets.length > 1 ? ' of any of the accounts' : '';
    const missing = selection.names.filter((name) => {
        const asked = askedIn(name);
        return asked.length > 0 && asked.every((lookUp) => lookUp.missing.includes(name));
    });
    const lines = missing.slice(0, SHOWN).map((name) => {
        const hint = ['auto', 'none'].includes(name.toLowerCase())
            ? `; write ${name.toLowerCase()} in lower case`
            : '';
        const regions = name.startsWith('arn:') ? name.split(':')[3] : inputs.regions.join(', ');
        return `functions: ${JSON.stringify(name)} does not exist in ${regions}${accounts}${hint}; check the name`;
    });
    if (missing.length > SHOWN) {
        lines.push(`functions: ${missing.length - SHOWN} more of the names listed do not exist either`);
    }
    return lines;
}

;// CONCATENATED MODULE: ./src/look-ups/alarms.ts
/** DescribeAlarms accepts at most 100 names per request. */
const NAMES_PER_REQUEST = 100;
/** The state of each named alarm in `region` (one request per 100 names), and the names not found. */
async function describeAlarms(client, region, names) {
    const states = [];
    const missing = [];
    for (let start = 0; start < names.length; start += NAMES_PER_REQUEST) {
        const AlarmNames = names.slice(start, start + NAMES_PER_REQUEST);
        let NextToken;
        const seen = new Set();
        // CloudWatch's client is parsed only by a run with `alarms` (a chunk of its own in dist/).
        const { DescribeAlarmsCommand } = await __webpack_require__.e(/* import() */ 85).then(__webpack_require__.t.bind(__webpack_require__, 4085, 19));
        do {
            const page = await client.send(new DescribeAlarmsCommand({ AlarmNames, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken }));
            for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
                seen.add(alarm.AlarmName);
                states.push({
                    region,
                    name: alarm.AlarmName,
                    state: alarm.StateValue ?? 'INSUFFICIENT_DATA',
                    ...(alarm.StateReason ? { reason: alarm.StateReason } : {}),
                });
            }
            NextToken = page.NextToken || undefined;
        } while (NextToken);
        missing.push(...AlarmNames.filter((name) => !seen.has(name)));
    }
    return { states, missing };
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ssm/dist-cjs/index.js
var client_ssm_dist_cjs = __webpack_require__(4736);
;// CONCATENATED MODULE: ./src/look-ups/parameter.ts
/**
 * The SSM parameter as it is (type, value, version), read without decryption. The preflight refuses a
 * parameter of another type before anything is written (src/preflight/resources.ts); the ssm step
 * decides from it whether to write (src/steps/put-parameter.ts).
 */

/** The parameter as it is (type, value, version), or undefined when it does not exist. */
async function currentParameter(ssm, name) {
    try {
        // Without decryption: a SecureString is refused by its type, its value is never needed.
        const { Parameter: p } = await ssm.send(new client_ssm_dist_cjs/* GetParameterCommand */.lhy({ Name: name, WithDecryption: false }));
        return { type: p?.Type ?? 'String', value: p?.Value ?? '', version: p?.Version ?? 0 };
    }
    catch (error) {
        if (error.name === 'ParameterNotFound')
            return undefined;
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/preflight/resources.ts
/**
 * The AWS resources the writing steps depend on, read once per region before anything is written:
 * the CloudWatch alarms of the gate (each must exist, none may be in ALARM), the SSM parameter (absent,
 * or a String the ssm step may overwrite) and the S3 bucket publish uploads through (it must exist, in
 * the region it serves). Every problem names the input and the value.
 */




async function resourceProblems(inputs, deps) {
    const perRegion = await Promise.all(inputs.regions.map(async (region) => [
        ...(await alarmProblems(inputs, deps, region)),
        ...(await parameterProblems(inputs, deps, region)),
        ...(await bucketProblems(inputs, deps, region)),
    ]));
    return perRegion.flat();
}
async function alarmProblems(inputs, deps, region) {
    if (!inputs.steps.includes('roll-out') || inputs.alarms.length === 0)
        return [];
    try {
        const { states, missing } = await describeAlarms(await deps.cloudwatch(region), region, inputs.alarms);
        return [
            ...missing.map((name) => `alarms: ${JSON.stringify(name)} is not an alarm in ${region}; check the name (CloudWatch alarms ` +
                'are per region: each must exist in every region of regions)'),
            ...states
                .filter((alarm) => alarm.state === 'ALARM')
                .map((alarm) => `alarms: ${JSON.stringify(alarm.name)} is in ALARM in ${region}` +
                `${alarm.reason ? ` (${alarm.reason})` : ''}; nothing is published or rolled out while it fires`),
        ];
    }
    catch (error) {
        return [
            `alarms: could not read ${inputs.alarms.join(', ')} in ${region}: ${describeError(error)} ` +
                '(the role needs cloudwatch:DescribeAlarms)',
        ];
    }
}
async function parameterProblems(inputs, deps, region) {
    const name = inputs.ssmParameter;
    if (name === undefined || !inputs.steps.includes('ssm'))
        return [];
    const shown = JSON.stringify(name);
    try {
        const existing = await currentParameter(deps.ssm(region), name);
        if (!existing || existing.type === 'String')
            return [];
        // A SecureString may hold a secret someone else put there: the ssm step never overwrites it.
        return [
            `ssm-parameter: ${shown} in ${region} is a ${existing.type}; the layer ARN goes in a String ` +
                'parameter, so choose another name (or delete that parameter)',
        ];
    }
    catch (error) {
        return [
            `ssm-parameter: could not read ${shown} in ${region}: ${describeError(error)} ` +
                '(the role needs ssm:GetParameter)',
        ];
    }
}
/** HeadBucket: 404 is a bucket that does not exist; 403 (no s3:ListBucket) cannot tell, and passes. */
async function bucketProblems(inputs, deps, region) {
    if (inputs.s3Bucket === undefined || !inputs.steps.includes('publish'))
        return [];
    const bucket = inputs.s3Bucket.replaceAll('{region}', region);
    const shown = `s3-bucket: ${JSON.stringify(bucket)}`;
    let found;
    try {
        const { HeadBucketCommand } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19)); // S3 only for `s3-bucket`
        found = (await (await deps.s3(region)).send(new HeadBucketCommand({ Bucket: bucket }))).BucketRegion;
    }
    catch (error) {
        const e = error;
        const status = e.$metadata?.httpStatusCode;
        found = e.$response?.headers?.['x-amz-bucket-region'];
        if (status === 404) {
            return [
                `${shown} does not exist (publishing in ${region} uploads to it); create it in ${region} or fix the name`,
            ];
        }
        if (!found) {
            lib_core/* info */.pq(`${shown}: could not check it in ${region} (${describeError(error)}); publish will tell.`);
            return [];
        }
    }
    if (found && found !== region) {
        return [
            `${shown} is in ${found}, but Lambda in ${region} reads layer zips only from a bucket in ${region}; ` +
                'use one bucket per region, e.g. my-artifacts-{region}',
        ];
    }
    return [];
}

;// CONCATENATED MODULE: ./src/preflight/index.ts
/**
 * The input checks that need I/O, run once before the first step: nothing is built, published or
 * changed until they pass. getInputs() stays synchronous and offline; what it cannot know is here:
 * - whether `zip-file` is a zip at all, with files in it, that extracts to one tree (no entry named twice);
 * - the account behind the credentials (STS GetCallerIdentity, asked only when an input needs it): every
 *   ARN given as an input must name it, and every other account in `accounts` needs `account-role`;
 * - what the roll-out will reach: each role assumed, each listed function found (src/preflight/reach.ts);
 * - the alarms, the SSM parameter and the S3 bucket, read in every region (src/preflight/resources.ts).
 * Every problem found is reported at once. docs/preflight.md lists the checks and their permissions.
 */







async function preflight(inputs, deps) {
    const caller = callerAccount(inputs, deps);
    const [zip, accounts, reach, resources] = await Promise.all([
        zipProblems(inputs),
        accountProblems(inputs, caller),
        checkReach(inputs, deps, caller),
        resourceProblems(inputs, deps),
    ]);
    const problems = [...zip, ...accounts, ...reach.problems, ...resources];
    if (problems.length > 0)
        throw new src_inputs/* InputError */.dz(problems);
    return { lookUps: reach.lookUps };
}
/** The job's own account, asked of STS once, on first need. */
function callerAccount(inputs, deps) {
    let asked;
    const ask = async () => {
        const region = inputs.regions[0];
        let account;
        try {
            const { GetCallerIdentityCommand } = await __webpack_require__.e(/* import() */ 695).then(__webpack_require__.t.bind(__webpack_require__, 1695, 19)); // only when an input needs it
            account = (await (await deps.sts(region)).send(new GetCallerIdentityCommand({}))).Account;
        }
        catch (error) {
            throw new Error(`Could not learn the caller's account from STS GetCallerIdentity in ${region} (needed to check ` +
                `the ARNs and accounts given as inputs): ${describeError(error)}`, { cause: error });
        }
        if (!account)
            throw new Error('STS GetCallerIdentity answered without an Account');
        lib_core/* info */.pq(`Credentials are for account ${account}.`);
        return account;
    };
    return () => (asked ??= ask());
}
/** ARNs given as inputs, for the steps that will act on them. */
function accountClaims(inputs) {
    const claims = [];
    if (inputs.layerAccount !== undefined && inputs.steps.includes('publish')) {
        claims.push({ input: 'layer-name', value: inputs.layerName, account: inputs.layerAccount });
    }
    if (inputs.functions.mode === 'list' && inputs.steps.includes('roll-out')) {
        for (const name of inputs.functions.names.filter((n) => n.startsWith('arn:'))) {
            const account = name.split(':')[4];
            // A consumer account given in `accounts` is reached through its role (src/look-ups/targets.ts).
            if (!inputs.accounts.includes(account))
                claims.push({ input: 'functions', value: name, account });
        }
    }
    return claims;
}
async function accountProblems(inputs, caller) {
    const claims = accountClaims(inputs);
    if (claims.length === 0)
        return []; // names only: no STS call, no extra permission needed
    const account = await caller();
    return claims
        .filter((claim) => claim.account !== account)
        .map((claim) => claim.input === 'layer-name'
        ? `layer-name: ${JSON.stringify(claim.value)} is in account ${claim.account}, but the credentials ` +
            `are for ${account}; a layer can only be published in the caller's own account (give the name alone, ` +
            'or use credentials of that account)'
        : `functions: ${JSON.stringify(claim.value)} is in account ${claim.account}, but the credentials are ` +
            `for ${account}; only the caller's own functions can be updated (use credentials of that account)`);
}
// ---- zip-file -------------------------------------------------------------------------------------
/** Reads the zip's central directory only (nothing is extracted); every problem names the input. */
async function zipProblems(inputs) {
    if (inputs.zipFile === undefined || !inputs.steps.includes('build'))
        return [];
    const shown = JSON.stringify(external_node_path_.relative(inputs.workspace, inputs.zipFile));
    let zip;
    try {
        zip = await openZip(inputs.zipFile, { lazyEntries: true, autoClose: false });
    }
    catch (error) {
        return [`zip-file: ${shown} is not a zip archive that can be read (${error.message})`];
    }
    const seen = new Set();
    const repeated = new Set();
    let files = 0;
    try {
        for await (const entry of zip.eachEntry()) {
            if (!entry.fileName.endsWith('/'))
                files++;
            // `dir/` and `dir` are one path once extracted.
            const name = entry.fileName.replace(/\/+$/, '');
            if (seen.has(name))
                repeated.add(entry.fileName);
            seen.add(name);
        }
    }
    catch (error) {
        return [`zip-file: ${shown} has a damaged central directory (${error.message})`];
    }
    finally {
        zip.close();
    }
    if (files === 0) {
        return [`zip-file: ${shown} holds no files (a layer needs at least one); check the step that made it`];
    }
    if (repeated.size === 0)
        return [];
    const names = [...repeated].slice(0, 5).map((name) => JSON.stringify(name));
    return [
        `zip-file: ${shown} holds ${names.join(', ')}${repeated.size > 5 ? ` and ${repeated.size - 5} more` : ''} ` +
            'more than once; a layer extracts to one tree, so rebuild the zip with each path once',
    ];
}

// EXTERNAL MODULE: ./src/report/index.ts + 8 modules
var src_report = __webpack_require__(8639);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(4942);
// EXTERNAL MODULE: external "node:stream/consumers"
var consumers_ = __webpack_require__(8321);
;// CONCATENATED MODULE: ./src/layer/zip-packages.ts
/**
 * Package names and versions read straight from a layer zip, for the "what changed" diff. The same
 * reader serves the zip just built (a local file) and the version that was live before (Lambda's
 * download link, read with HTTP range requests: the central directory and a few small files, never the
 * whole zip, which for a data-science layer is 100 MB).
 *
 * Versions come from names Lambda layers carry anyway: `numpy-2.4.6.dist-info`, `gems/…/specifications/
 * rack-3.1.8.gemspec`, `java/lib/commons-text-1.13.1.jar`, npm's `node_modules/.package-lock.json` (or each
 * top-level package.json); a custom runtime's executables are compared by CRC-32.
 */





/** A npm lock or a package.json bigger than this is not a package list worth reading. */
const MAX_METADATA_BYTES = 8 * 1024 * 1024;
/** Top-level package.json files read one by one when npm left no lock in node_modules. */
const MAX_PACKAGE_JSONS = 300;
async function packagesInZipFile(file, family) {
    const zip = await openZip(file, { lazyEntries: true, autoClose: false });
    try {
        return await packagesIn(zip, family);
    }
    finally {
        zip.close();
    }
}
/** The zip behind a URL that answers range requests (a presigned S3 link), `size` bytes long. */
async function packagesInZipUrl(url, size, family) {
    const reader = new HttpRangeReader(url, size);
    const zip = await (0,yauzl/* fromRandomAccessReaderPromise */.or)(reader, size, { lazyEntries: true, autoClose: false });
    try {
        return await packagesIn(zip, family);
    }
    finally {
        zip.close();
    }
}
async function packagesIn(zip, family) {
    const entries = [];
    for await (const entry of zip.eachEntry())
        entries.push(entry);
    const found = await READERS[family](entries, (entry) => readEntry(zip, entry));
    const unique = new Map(found.map((p) => [`${p.name}\0${p.version}`, p]));
    return [...unique.values()].sort((a, b) => a.name.localeCompare(b.name, 'en'));
}
const READERS = {
    python: async (entries) => names(entries, /^python\/(?:lib\/python\d+\.\d+\/site-packages\/)?([^/]+)-([^/-]+)\.dist-info\/$/),
    java: async (entries) => names(entries, /^java\/lib\/([^/]+?)-(\d[^/-]*(?:-[A-Za-z][\w.]*)?)\.jar$/),
    ruby: async (entries) => names(entries, /^ruby\/gems\/[^/]+\/specifications\/([^/]+?)-(\d[^/-]*)(?:-[^/]+)?\.gemspec$/),
    nodejs: nodePackages,
    provided: async (entries) => entries
        .filter((e) => e.fileName === 'bootstrap' || /^bin\/[^/]+$/.test(e.fileName))
        .map((e) => ({ name: e.fileName, version: `crc32:${e.crc32.toString(16).padStart(8, '0')}` })),
};
/** Name and version from each entry (file or folder, stated or implied) whose path matches. */
function names(entries, pattern) {
    const found = [];
    const seen = new Set();
    for (const entry of entries) {
        // Zips need not list folders: a dist-info folder is implied by the files in it.
        for (const candidate of [entry.fileName, ...parents(entry.fileName)]) {
            if (seen.has(candidate))
                continue;
            seen.add(candidate);
            const match = pattern.exec(candidate);
            if (match)
                found.push({ name: match[1], version: match[2] });
        }
    }
    return found;
}
function parents(fileName) {
    const parts = fileName.split('/');
    return parts.slice(1).map((_, i) => `${parts.slice(0, i + 1).join('/')}/`);
}
const NODE_MODULES = /^nodejs\/(?:node\d+\/)?node_modules\//;
async function nodePackages(entries, read) {
    const locks = entries.filter((e) => /^nodejs\/(?:node\d+\/)?node_modules\/\.package-lock\.json$/.test(e.fileName));
    const found = [];
    for (const lock of locks.filter((e) => e.uncompressedSize <= MAX_METADATA_BYTES)) {
        const parsed = JSON.parse(await read(lock));
        for (const [key, value] of Object.entries(parsed.packages ?? {})) {
            const name = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(key)?.[1];
            if (name && value.version)
                found.push({ name, version: value.version });
        }
    }
    if (locks.length > 0)
        return found;
    const manifests = entries
        .filter((e) => {
        const rest = e.fileName.replace(NODE_MODULES, '');
        return rest !== e.fileName && /^(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/.test(rest);
    })
        .slice(0, MAX_PACKAGE_JSONS);
    for (const manifest of manifests.filter((e) => e.uncompressedSize <= MAX_METADATA_BYTES)) {
        try {
            const parsed = JSON.parse(await read(manifest));
            const folder = manifest.fileName.replace(NODE_MODULES, '').replace(/\/package\.json$/, '');
            found.push({ name: parsed.name ?? folder, version: parsed.version ?? '?' });
        }
        catch {
            // A package.json that is not JSON is not a package this diff can describe.
        }
    }
    return found;
}
async function readEntry(zip, entry) {
    return (0,consumers_.text)(await zip.openReadStreamPromise(entry));
}
/**
 * yauzl's random access over HTTP: reads go through a cache of 256 KiB blocks, and a miss fetches
 * 1 MiB ahead, because yauzl reads the central directory one small header at a time.
 */
class HttpRangeReader extends yauzl/* RandomAccessReader */.lJ {
    url;
    size;
    static BLOCK = 256 * 1024;
    static READ_AHEAD_BLOCKS = 4;
    blocks = new Map();
    client = new lib/* HttpClient */.Qq('lambda-layer-release', [], { allowRetries: true, maxRetries: 2 });
    constructor(url, size) {
        super();
        this.url = url;
        this.size = size;
    }
    _readStreamForRange(start, end) {
        const stream = new external_node_stream_.PassThrough();
        this.bytes(start, end).then((buffer) => stream.end(buffer), (error) => stream.destroy(error));
        return stream;
    }
    close(callback) {
        this.client.dispose();
        callback(null);
    }
    async bytes(start, end) {
        const { BLOCK, READ_AHEAD_BLOCKS } = HttpRangeReader;
        const first = Math.floor(start / BLOCK);
        const last = Math.floor((end - 1) / BLOCK);
        const parts = [];
        for (let block = first; block <= last; block++) {
            if (!this.blocks.has(block))
                await this.fetch(block, Math.max(last, block + READ_AHEAD_BLOCKS - 1));
            parts.push(this.blocks.get(block));
        }
        // Most reads are a 46-byte header inside one block: a view, never a copy of the block.
        const joined = parts.length === 1 ? parts[0] : Buffer.concat(parts);
        return joined.subarray(start - first * BLOCK, end - first * BLOCK);
    }
    async fetch(firstBlock, lastBlock) {
        const { BLOCK } = HttpRangeReader;
        const from = firstBlock * BLOCK;
        const to = Math.min((lastBlock + 1) * BLOCK, this.size) - 1;
        const response = await this.client.get(this.url, { Range: `bytes=${from}-${to}` });
        const status = response.message.statusCode ?? 0;
        const body = await response.readBodyBuffer();
        if (status !== 206 && status !== 200) {
            throw new Error(`downloading the layer version answered HTTP ${status}`);
        }
        // A server that ignores Range sends the whole zip: keep all of it.
        const base = status === 200 ? 0 : from;
        const lastKept = status === 200 ? Math.floor((this.size - 1) / BLOCK) : lastBlock;
        for (let block = base / BLOCK; block <= lastKept; block++) {
            const piece = body.subarray(block * BLOCK - base, Math.min((block + 1) * BLOCK, this.size) - base);
            if (piece.length > 0)
                this.blocks.set(block, piece);
        }
    }
}

;// CONCATENATED MODULE: ./src/report/changes.ts
/**
 * What changed in the packages: the zip just built against the version that was live before (the
 * newest version before this run, in the first region that has one). Both sides are read from the zips
 * themselves, the old one through Lambda's download link, so the diff is right for versions published by
 * anyone, by any tool, and needs nothing stored beside them.
 */



/** PEP 503-style: `Typing_Extensions` and `typing-extensions` are one package. */
const key = (name) => name.toLowerCase().replace(/[-_.]+/g, '-');
/** Compares dotted versions number by number (`2.4.10` > `2.4.9`). */
function compareVersions(a, b) {
    return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}
function diffPackages(before, after) {
    const group = (list) => {
        const map = new Map();
        for (const p of list)
            map.set(key(p.name), [...(map.get(key(p.name)) ?? []), p]);
        return map;
    };
    const old = group(before);
    const now = group(after);
    const changes = [];
    let unchanged = 0;
    for (const name of [...new Set([...old.keys(), ...now.keys()])].sort()) {
        const was = (old.get(name) ?? []).map((p) => p.version).sort(compareVersions);
        const is = (now.get(name) ?? []).map((p) => p.version).sort(compareVersions);
        const display = (now.get(name) ?? old.get(name))[0].name;
        if (was.join() === is.join()) {
            unchanged += 1;
        }
        else if (was.length === 0) {
            changes.push({ name: display, kind: 'added', after: is.join(', ') });
        }
        else if (is.length === 0) {
            changes.push({ name: display, kind: 'removed', before: was.join(', ') });
        }
        else {
            const opaque = was.length > 1 || is.length > 1 || was[0].startsWith('crc32:');
            const order = compareVersions(is[0], was[0]);
            const kind = opaque || order === 0 ? 'changed' : order > 0 ? 'upgraded' : 'downgraded';
            changes.push({ name: display, kind, before: was.join(', '), after: is.join(', ') });
        }
    }
    return { changes, unchanged };
}
/**
 * The diff for a run that published (or would publish) a version; undefined when nothing new was
 * published. Never throws: a diff that cannot be made is a note in the report, not a failed release.
 */
async function packageChanges(layerName, family, artifact, layers, deps) {
    const fresh = layers.filter((l) => l.published);
    if (fresh.length === 0)
        return undefined;
    try {
        const after = await packagesInZipFile(artifact.zipFile, family);
        const base = fresh.find((l) => l.previousVersion !== undefined);
        if (!base)
            return { ...diffPackages([], after) };
        const previous = await deps
            .lambda(base.region)
            .send(new dist_cjs/* GetLayerVersionCommand */.VK5({ LayerName: layerName, VersionNumber: base.previousVersion }));
        const location = previous.Content?.Location;
        const size = previous.Content?.CodeSize;
        if (!location || !size)
            throw new Error('Lambda gave no download link for it');
        const before = await packagesInZipUrl(location, size, family);
        const against = {
            region: base.region,
            version: base.previousVersion,
            layerVersionArn: previous.LayerVersionArn ?? `${base.layerArn}:${base.previousVersion}`,
        };
        return { against, ...diffPackages(before, after) };
    }
    catch (error) {
        const message = `Could not read the packages of the previous version: ${error.message}`;
        lib_core/* warning */.$e(message, { title: 'Package diff' });
        return { changes: [], unchanged: 0, error: message };
    }
}

// EXTERNAL MODULE: ./src/aws/clients.ts + 1 modules
var clients = __webpack_require__(8126);
;// CONCATENATED MODULE: ./src/log.ts
/**
 * Text that came from the build, the layer or the repository (a file name, a module name, a line a
 * container printed), made one log line. The runner reads a line break (\n, \r, …) in the log as the
 * start of a new line, and a line that starts with `::` or `##[` as a workflow command: so every control
 * character is shown as an escape, never written.
 */
function oneLine(text) {
    return text.replace(/[\p{Cc}\u0085\u2028\u2029]/gu, (char) => `\\u${char.codePointAt(0).toString(16).padStart(4, '0')}`);
}

;// CONCATENATED MODULE: ./src/sbom/metadata.ts
/**
 * Reading package metadata the build wrote, which is hostile to the host like everything the build
 * leaves (src/host-guard.ts): only regular files, only up to a size, only valid UTF-8, and every value
 * checked before it goes into the SBOM. A problem is a MetadataError that says what is wrong in words,
 * never what the file holds; the reader then names the package by its folder.
 */

/** package.json, METADATA, a gemspec, a jar's manifest: real ones are a few kB, the largest ~300 kB. */
const metadata_MAX_METADATA_BYTES = 1024 * 1024;
/** RECORD lists every file of a Python package: tens of thousands of lines for the largest. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;
/** Longest name, version or licence taken from metadata. */
const MAX_VALUE_LENGTH = 256;
class MetadataError extends Error {
    name = 'MetadataError';
}
const decoder = new TextDecoder('utf-8', { fatal: true });
/** The text of a metadata file; undefined when there is none. Throws MetadataError for anything else amiss. */
async function readMetadata(file, maxBytes = metadata_MAX_METADATA_BYTES) {
    let stat;
    try {
        stat = await promises_.stat(file);
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return undefined;
        throw new MetadataError(`${baseName(file)} cannot be read`);
    }
    if (!stat.isFile())
        throw new MetadataError(`${baseName(file)} is not a file`);
    if (stat.size > maxBytes)
        throw new MetadataError(`${baseName(file)} is larger than ${mib(maxBytes)}`);
    let bytes;
    try {
        bytes = await promises_.readFile(file);
    }
    catch {
        throw new MetadataError(`${baseName(file)} cannot be read`);
    }
    return decodeMetadata(bytes, baseName(file), maxBytes);
}
/** Bytes of a metadata file (read from disk or from a jar) as text, or a MetadataError naming `what`. */
function decodeMetadata(bytes, what, maxBytes = metadata_MAX_METADATA_BYTES) {
    if (bytes.byteLength > maxBytes)
        throw new MetadataError(`${what} is larger than ${mib(maxBytes)}`);
    let text;
    try {
        text = decoder.decode(bytes);
    }
    catch {
        throw new MetadataError(`${what} is not UTF-8 text`);
    }
    if (text.includes('\0'))
        throw new MetadataError(`${what} is not text (it holds NUL bytes)`);
    return text.replace(/^\uFEFF/, '');
}
/** JSON of a metadata file, or a MetadataError. */
function parseJson(text, what) {
    try {
        return JSON.parse(text);
    }
    catch {
        throw new MetadataError(`${what} is not valid JSON`);
    }
}
/**
 * A name, version or licence from metadata: a string of printable characters, at most 256 long.
 * Undefined when absent; a MetadataError when present but not plausible (an object, a line break,
 * a control character, a page of text).
 */
function plainValue(value, what) {
    if (value === undefined || value === null)
        return undefined;
    if (typeof value !== 'string')
        throw new MetadataError(`its ${what} is not a string`);
    const trimmed = value.trim();
    if (trimmed === '')
        return undefined;
    if (trimmed.length > MAX_VALUE_LENGTH)
        throw new MetadataError(`its ${what} is longer than ${MAX_VALUE_LENGTH} characters`);
    if (/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(trimmed))
        throw new MetadataError(`its ${what} holds control characters`);
    return trimmed;
}
/** A version: a plain value without white space. */
function versionValue(value, what = 'version') {
    const version = plainValue(value, what);
    if (version !== undefined && /\s/.test(version))
        throw new MetadataError(`its ${what} holds white space`);
    return version;
}
function baseName(file) {
    return file.slice(file.lastIndexOf('/') + 1);
}
function mib(bytes) {
    return `${bytes / 1024 / 1024} MiB`;
}

;// CONCATENATED MODULE: ./src/sbom/tree.ts
/** Small helpers the readers share: listing a folder of the layer, and recording a skipped metadata file. */




/** The names in a folder, sorted; none when it is not there (or not a folder). */
async function entries(dir) {
    try {
        return (await promises_.readdir(dir)).sort();
    }
    catch {
        return [];
    }
}
/** The names of the sub-folders (not links) of a folder, sorted. */
async function folders(dir) {
    try {
        const found = await promises_.readdir(dir, { withFileTypes: true });
        return found
            .filter((entry) => entry.isDirectory())
            .map((entry) => entry.name)
            .sort();
    }
    catch {
        return [];
    }
}
/** Why a package folder's metadata was skipped: a MetadataError says it in words; anything else is "unreadable". */
function skip(folder, error) {
    const reason = error instanceof MetadataError ? error.message : 'its metadata cannot be read';
    return { folder: oneLine(folder), reason };
}
/** `{ key: value }`, or `{}` when the value is undefined: optional fields stay absent. */
function optional(key, value) {
    return (value === undefined ? {} : { [key]: value });
}
/** Reads can overlap: package folders are many small files, and a build may hold thousands. */
const limit = (0,p_limit/* default */.A)(16);
/** `read` for each item, up to 16 at a time; what they found joined in the items' order. */
async function readEach(items, read) {
    const results = await Promise.all(items.map((item) => limit(() => read(item))));
    return {
        packages: results.flatMap((r) => r.packages),
        skipped: results.flatMap((r) => r.skipped),
    };
}

;// CONCATENATED MODULE: ./src/sbom/java.ts
/**
 * Java packages: one per jar in the layer's jar folders, named by the Maven metadata inside it
 * (META-INF/maven/<group>/<artifact>/pom.properties, the one the file name starts with), licensed by
 * its manifest's Bundle-License or its pom.xml's <licenses>; the other Maven artifacts of a shaded jar
 * are listed inside it. A jar without Maven metadata is named by its file name.
 */





/** Licence URLs that Bundle-License and pom.xml use for exactly one SPDX licence. */
const LICENCE_URLS = [
    [/^https?:\/\/(www\.)?apache\.org\/licenses\/LICENSE-2\.0(\.txt|\.html)?$/i, 'Apache-2.0'],
    [/^https?:\/\/(www\.)?opensource\.org\/licenses\/MIT(\.php)?$/i, 'MIT'],
    [/^https?:\/\/(www\.)?opensource\.org\/licenses\/BSD-3-Clause(\.php)?$/i, 'BSD-3-Clause'],
    [/^https?:\/\/(www\.)?eclipse\.org\/legal\/epl-2\.0\/?$/i, 'EPL-2.0'],
    [/^https?:\/\/(www\.)?eclipse\.org\/legal\/epl-v10\.html$/i, 'EPL-1.0'],
];
/** Maven metadata files read from one jar (a shaded jar has one per artifact it bundles). */
const MAX_POM_PROPERTIES = 500;
async function javaPackages(layerDir, modulePaths) {
    const jars = [];
    for (const modulePath of modulePaths) {
        const names = await entries(external_node_path_.join(layerDir, modulePath));
        jars.push(...names.filter((n) => n.endsWith('.jar')).map((n) => `${modulePath}/${n}`));
    }
    return readEach(jars, async (where) => {
        const sha256 = await fileSha256(external_node_path_.join(layerDir, where), 'hex').catch(() => undefined);
        try {
            return {
                packages: [{ ...(await jar(external_node_path_.join(layerDir, where), where)), ...optional('sha256', sha256) }],
                skipped: [],
            };
        }
        catch (error) {
            const listed = { ...byFileName(external_node_path_.basename(where), where), ...optional('sha256', sha256) };
            return { packages: [listed], skipped: [skip(where, error)] };
        }
    });
}
async function jar(file, where) {
    let zip;
    try {
        zip = await openZip(file, { lazyEntries: true, autoClose: false });
    }
    catch {
        throw new MetadataError('the jar is not a zip file');
    }
    try {
        const read = (entry) => java_readEntry(zip, entry);
        const poms = [];
        let manifest = '';
        const pomXml = new Map();
        for await (const entry of zip.eachEntry()) {
            const maven = /^META-INF\/maven\/([^/]+)\/([^/]+)\/(pom\.properties|pom\.xml)$/.exec(entry.fileName);
            if (maven?.[3] === 'pom.properties' && poms.length < MAX_POM_PROPERTIES) {
                poms.push(coordinates(await read(entry), maven[1], maven[2]));
            }
            else if (maven)
                pomXml.set(`${maven[1]}/${maven[2]}`, entry);
            else if (entry.fileName === 'META-INF/MANIFEST.MF')
                manifest = await read(entry);
        }
        const name = external_node_path_.basename(file);
        const main = poms.find((c) => name.startsWith(`${c.artifact}-`) || name === `${c.artifact}.jar`) ??
            (poms.length === 1 ? poms[0] : undefined);
        const attributes = manifestAttributes(manifest);
        const pom = main && pomXml.get(`${main.group}/${main.artifact}`);
        const licences = bundleLicences(attributes.get('bundle-license')) ?? pomLicences(pom ? await read(pom) : '');
        const bundled = poms
            .filter((c) => c !== main)
            .map((c) => ({ ...mavenPackage(c, where), owns: [] }))
            .sort((a, b) => (`${a.group}:${a.name}` < `${b.group}:${b.name}` ? -1 : 1));
        const own = main ? mavenPackage(main, where) : byManifest(attributes, name, where);
        return { ...own, licences, ...(bundled.length > 0 ? { bundled } : {}) };
    }
    finally {
        zip.close();
    }
}
async function java_readEntry(zip, entry) {
    const what = entry.fileName.slice(entry.fileName.lastIndexOf('/') + 1);
    if (entry.uncompressedSize > metadata_MAX_METADATA_BYTES)
        throw new MetadataError(`its ${what} is larger than ${metadata_MAX_METADATA_BYTES / 1024 / 1024} MiB`);
    try {
        return decodeMetadata(await (0,consumers_.buffer)(await zip.openReadStreamPromise(entry)), what);
    }
    catch (error) {
        if (error instanceof MetadataError)
            throw error;
        throw new MetadataError(`its ${what} cannot be read from the jar`);
    }
}
function coordinates(properties, groupFolder, artifactFolder) {
    const value = (key) => new RegExp(`^${key}=(.*)$`, 'm').exec(properties)?.[1]?.trim();
    return {
        group: plainValue(value('groupId') ?? groupFolder, 'groupId'),
        artifact: plainValue(value('artifactId') ?? artifactFolder, 'artifactId'),
        ...optional('version', versionValue(value('version'))),
    };
}
function mavenPackage(c, where) {
    return {
        ecosystem: 'maven',
        group: c.group,
        name: c.artifact,
        ...optional('version', c.version),
        licences: [],
        path: where,
        owns: [],
    };
}
/** MANIFEST.MF's main attributes: `Name: value` lines, continued by lines that start with a space. */
function manifestAttributes(manifest) {
    const attributes = new Map();
    const lines = manifest.split(/\r?\n/);
    let key;
    for (const line of lines) {
        if (line === '')
            break; // the main section ends at the first blank line
        if (line.startsWith(' ') && key)
            attributes.set(key, attributes.get(key) + line.slice(1));
        else {
            const colon = line.indexOf(':');
            key = colon > 0 ? line.slice(0, colon).toLowerCase() : undefined;
            if (key)
                attributes.set(key, line.slice(colon + 1).trim());
        }
    }
    return attributes;
}
/** OSGi's Bundle-License: `Apache-2.0;link="…", MIT` or a URL; undefined when the manifest has none. */
function bundleLicences(header) {
    if (!header)
        return undefined;
    const clauses = header.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).slice(0, 16);
    const names = clauses.map((clause, i) => {
        const name = clause.split(';')[0].trim().replace(/^"|"$/g, '');
        return LICENCE_URLS.find(([url]) => url.test(name))?.[1] ?? plainValue(name, `Bundle-License[${i}]`);
    });
    return names.filter((name) => name !== undefined);
}
/** The <name> of each <license> in pom.xml's <licenses>. */
function pomLicences(pom) {
    const section = /<licenses>([\s\S]*?)<\/licenses>/.exec(pom)?.[1] ?? '';
    return [...section.matchAll(/<license>([\s\S]*?)<\/license>/g)].slice(0, 16).flatMap((match, i) => {
        const name = /<name>\s*([^<]*?)\s*<\/name>/.exec(match[1])?.[1];
        const url = /<url>\s*([^<]*?)\s*<\/url>/.exec(match[1])?.[1];
        const id = url ? LICENCE_URLS.find(([pattern]) => pattern.test(url))?.[1] : undefined;
        const licence = id ?? plainValue(name, `pom.xml license ${i + 1}`);
        return licence ? [licence] : [];
    });
}
/** A jar without Maven metadata: Implementation-Title and -Version, else Bundle-SymbolicName, else its name. */
function byManifest(attributes, file, where) {
    const title = plainValue(attributes.get('implementation-title'), 'Implementation-Title');
    const version = versionValue(attributes.get('implementation-version') ?? attributes.get('bundle-version'));
    if (title === undefined || version === undefined)
        return byFileName(file, where);
    return { ecosystem: 'maven', name: title, version, licences: [], path: where, owns: [] };
}
/** `commons-text-1.13.1.jar` → commons-text 1.13.1 (no group: no package URL). */
function byFileName(file, where) {
    const match = /^(.+?)-(\d[^-]*(?:-[A-Za-z][\w.]*)?)\.jar$/.exec(file);
    const name = match?.[1] ?? file.replace(/\.jar$/, '');
    return {
        ecosystem: 'maven',
        name,
        ...optional('version', match?.[2]),
        licences: [],
        path: where,
        owns: [],
    };
}

;// CONCATENATED MODULE: ./src/sbom/node.ts
/**
 * Node.js packages: every package folder under the layer's node_modules folders, nested ones too
 * (`a/node_modules/b`) and pnpm's store (`.pnpm/<id>/node_modules/<name>`); name, version and licence
 * from its package.json. Links are not followed: pnpm's top-level links point into its store, which
 * is read itself.
 */



/** Deeper nesting than this is no install npm makes: a loop or a hostile tree. */
const MAX_DEPTH = 32;
async function node_nodePackages(layerDir, modulePaths) {
    const found = await Promise.all(modulePaths.map((modules) => packageFolders(layerDir, modules, 0)));
    return readEach(found.flat(), (folder) => onePackage(layerDir, folder));
}
/** The package folders of one node_modules folder (a layer path), each followed by those nested in it. */
async function packageFolders(layerDir, modules, depth) {
    if (depth > MAX_DEPTH)
        return [];
    const withNested = async (folder) => [
        folder,
        ...(await packageFolders(layerDir, `${folder}/node_modules`, depth + 1)),
    ];
    const all = (names, each) => Promise.all(names.map(each)).then((lists) => lists.flat());
    return all(await folders(external_node_path_.join(layerDir, modules)), async (name) => {
        const here = `${modules}/${name}`;
        if (name === '.pnpm') {
            return all(await folders(external_node_path_.join(layerDir, here)), (id) => packageFolders(layerDir, `${here}/${id}/node_modules`, depth + 1));
        }
        if (name.startsWith('@')) {
            return all(await folders(external_node_path_.join(layerDir, here)), (scoped) => withNested(`${here}/${scoped}`));
        }
        return name.startsWith('.') ? [] : withNested(here);
    });
}
async function onePackage(layerDir, folder) {
    const fromFolder = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(folder)[1];
    try {
        const manifest = await readMetadata(external_node_path_.join(layerDir, folder, 'package.json'));
        // A folder without package.json is no package (npm leaves none such; a build script might).
        return { packages: manifest === undefined ? [] : [described(manifest, folder, fromFolder)], skipped: [] };
    }
    catch (error) {
        const listed = {
            ...nameParts(fromFolder),
            ecosystem: 'npm',
            licences: [],
            path: folder,
            owns: [`${folder}/`],
        };
        return { packages: [listed], skipped: [skip(folder, error)] };
    }
}
function described(manifest, folder, fromFolder) {
    const json = parseJson(manifest, 'package.json');
    if (typeof json !== 'object' || json === null || Array.isArray(json))
        throw new MetadataError('package.json is not a JSON object');
    const fields = json;
    const name = plainValue(fields['name'], 'name') ?? fromFolder;
    if (/\s/.test(name))
        throw new MetadataError('its name holds white space');
    return {
        ...nameParts(name),
        ecosystem: 'npm',
        ...optional('version', versionValue(fields['version'])),
        licences: licences(fields),
        path: folder,
        owns: [`${folder}/`],
    };
}
/** `@scope/name` as group and name. */
function nameParts(name) {
    const scoped = /^(@[^/]+)\/(.+)$/.exec(name);
    return scoped ? { group: scoped[1], name: scoped[2] } : { name };
}
/** `license` (an SPDX expression, or the old `{ type }`), else the old `licenses: [{ type }]`. */
function licences(fields) {
    const typeOf = (value) => typeof value === 'object' && value !== null ? value['type'] : value;
    const license = plainValue(typeOf(fields['license']), 'license');
    // "SEE LICENSE IN <file>" and "UNLICENSED" say there is no open licence to name.
    if (license && !/^(SEE LICEN[CS]E IN |UNLICENSED$)/i.test(license))
        return [license];
    const list = fields['licenses'];
    if (!Array.isArray(list))
        return [];
    return list
        .slice(0, 16)
        .map((entry, i) => plainValue(typeOf(entry), `licenses[${i}]`))
        .filter((value) => value !== undefined);
}

;// CONCATENATED MODULE: ./src/sbom/python.ts
/**
 * Python packages: one per `*.dist-info` (or setuptools' `*.egg-info`) folder in the layer's
 * site-packages folders. Name, version and licence from METADATA (PKG-INFO), the files it owns from
 * RECORD (where its compiled extensions are).
 */



/**
 * Trove classifiers that name exactly one SPDX licence. The others ("BSD License", "Apache Software
 * License": no version, no clause count) are kept as names.
 */
const CLASSIFIER_IDS = {
    'MIT License': 'MIT',
    'MIT No Attribution License (MIT-0)': 'MIT-0',
    'ISC License (ISCL)': 'ISC',
    'Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
    'The Unlicense (Unlicense)': 'Unlicense',
    'Zero-Clause BSD (0BSD)': '0BSD',
    'Python Software Foundation License': 'PSF-2.0',
    'Boost Software License 1.0 (BSL-1.0)': 'BSL-1.0',
    'Apache Software License 2.0 (Apache-2.0)': 'Apache-2.0',
};
async function pythonPackages(layerDir, modulePaths) {
    const folders = [];
    for (const modulePath of modulePaths) {
        for (const name of await entries(external_node_path_.join(layerDir, modulePath)))
            folders.push({ modulePath, name });
    }
    return readEach(folders, async ({ modulePath, name }) => {
        const match = /^(.+?)-([^-]+)\.(dist|egg)-info$/.exec(name);
        if (!match)
            return { packages: [], skipped: [] };
        const folder = `${modulePath}/${name}`;
        try {
            return {
                packages: [await distribution(layerDir, modulePath, folder, match[3] === 'dist')],
                skipped: [],
            };
        }
        catch (error) {
            const listed = {
                ecosystem: 'pypi',
                name: match[1],
                version: match[2],
                licences: [],
                path: folder,
                owns: [],
            };
            return { packages: [listed], skipped: [skip(folder, error)] };
        }
    });
}
async function distribution(layerDir, modulePath, folder, wheel) {
    const file = external_node_path_.join(layerDir, folder, wheel ? 'METADATA' : 'PKG-INFO');
    const text = await readMetadata(file);
    if (text === undefined)
        throw new MetadataError(`${wheel ? 'METADATA' : 'PKG-INFO'} is missing`);
    const headers = parseHeaders(text);
    const name = plainValue(headers.get('name')?.[0], 'Name');
    if (name === undefined)
        throw new MetadataError('it has no Name');
    return {
        ecosystem: 'pypi',
        name,
        ...optional('version', versionValue(headers.get('version')?.[0], 'Version')),
        licences: python_licences(headers),
        path: folder,
        owns: await recordedFiles(layerDir, modulePath, folder),
    };
}
/** The header fields of a core metadata file (RFC 822 style), up to the blank line before the description. */
function parseHeaders(text) {
    const headers = new Map();
    let last;
    for (const line of text.split(/\r?\n/)) {
        if (line === '')
            break;
        if (/^[ \t]/.test(line)) {
            // A continuation: only a licence text spans lines, and it is never a licence name.
            if (last)
                last[last.length - 1] += '\n';
            continue;
        }
        const colon = line.indexOf(':');
        if (colon <= 0)
            throw new MetadataError('its header is not in the core metadata format');
        const key = line.slice(0, colon).trim().toLowerCase();
        last = headers.get(key) ?? [];
        last.push(line.slice(colon + 1).trim());
        headers.set(key, last);
    }
    return headers;
}
/** License-Expression (PEP 639), else a one-line License, else the licence classifiers. */
function python_licences(headers) {
    const expression = plainValue(headers.get('license-expression')?.[0], 'License-Expression');
    if (expression)
        return [expression];
    const license = headers.get('license')?.[0];
    // A License field that holds the licence's text (several lines, or a page) names nothing.
    if (license && !license.includes('\n') && license.length <= 100 && !/^unknown$/i.test(license)) {
        return [plainValue(license, 'License')];
    }
    return (headers.get('classifier') ?? [])
        .filter((classifier) => classifier.startsWith('License ::'))
        .map((classifier) => classifier.split('::').at(-1).trim())
        .map((name) => CLASSIFIER_IDS[name] ?? plainValue(name, 'license classifier'))
        .filter((licence, i, all) => licence && all.indexOf(licence) === i);
}
/** Every file RECORD lists, as a layer path (its entries are relative to site-packages). */
async function recordedFiles(layerDir, modulePath, folder) {
    const record = await readMetadata(external_node_path_.join(layerDir, folder, 'RECORD'), MAX_RECORD_BYTES);
    if (record === undefined)
        return [];
    const files = [];
    for (const line of record.split(/\r?\n/)) {
        const file = line.startsWith('"')
            ? /^"((?:[^"]|"")*)"/.exec(line)?.[1]?.replaceAll('""', '"')
            : line.split(',')[0];
        if (!file)
            continue;
        const inLayer = external_node_path_.posix.normalize(`${modulePath}/${file}`);
        if (!inLayer.startsWith('../'))
            files.push(inLayer);
    }
    return files;
}

;// CONCATENATED MODULE: ./src/sbom/ruby.ts
/**
 * Ruby gems: one per `specifications/*.gemspec` in the layer's gem folders, the stub RubyGems writes
 * on install. Its name, version, platform and licences are read as text, never evaluated; the gem's
 * folders (`gems/<gem>`, `extensions/<platform>/<abi>/<gem>`) hold its native extensions.
 */



async function rubyPackages(layerDir, modulePaths) {
    const specs = [];
    for (const modulePath of modulePaths) {
        const extensions = await extensionFolders(layerDir, modulePath);
        for (const file of await entries(external_node_path_.join(layerDir, modulePath, 'specifications'))) {
            const full = /^(.+)\.gemspec$/.exec(file)?.[1];
            if (!full)
                continue;
            const owns = [`${modulePath}/gems/${full}/`, ...extensions.filter((e) => e.endsWith(`/${full}/`))];
            specs.push({ where: `${modulePath}/specifications/${file}`, full, owns });
        }
    }
    return readEach(specs, async ({ where, full, owns }) => {
        try {
            return { packages: [await gem(layerDir, where, owns)], skipped: [] };
        }
        catch (error) {
            // rack-3.1.8 or nokogiri-1.18.1-x86_64-linux-gnu: the version is the first part after a dash that starts with a digit.
            const [, name = full, version] = /^(.+?)-(\d[^-]*)(?:-.+)?$/.exec(full) ?? [];
            const listed = {
                ecosystem: 'gem',
                name,
                ...optional('version', version),
                licences: [],
                path: where,
                owns,
            };
            return { packages: [listed], skipped: [skip(where, error)] };
        }
    });
}
async function gem(layerDir, where, owns) {
    const spec = await readMetadata(external_node_path_.join(layerDir, where));
    if (spec === undefined)
        throw new MetadataError('the gemspec cannot be read');
    const name = plainValue(stringField(spec, 'name'), 'name');
    if (name === undefined)
        throw new MetadataError('its gemspec has no name');
    const platform = plainValue(stringField(spec, 'platform'), 'platform');
    const licences = (arrayField(spec, 'licenses') ?? [stringField(spec, 'license')])
        .map((licence, i) => plainValue(licence, `licenses[${i}]`))
        .filter((licence) => licence !== undefined);
    return {
        ecosystem: 'gem',
        name,
        ...optional('version', versionValue(stringField(spec, 'version') ?? versionRequirement(spec))),
        ...(platform && platform !== 'ruby' ? { qualifiers: { platform } } : {}),
        licences,
        path: where,
        owns,
    };
}
const STRING = String.raw `"([^"\\\n]*)"(?:\.freeze)?`;
/** `s.name = "rack".freeze` → rack. */
function stringField(spec, field) {
    return new RegExp(String.raw `^\s*s\.${field} = ${STRING}\s*$`, 'm').exec(spec)?.[1];
}
/** `s.version = Gem::Version.new("1.0")`, as some stubs write it. */
function versionRequirement(spec) {
    return /^\s*s\.version = Gem::Version\.new\("([^"\\\n]*)"\)/m.exec(spec)?.[1];
}
/** `s.licenses = ["MIT".freeze, "Ruby".freeze]` → MIT, Ruby. */
function arrayField(spec, field) {
    const list = new RegExp(String.raw `^\s*s\.${field} = \[([^\]\n]*)\]\s*$`, 'm').exec(spec)?.[1];
    if (list === undefined)
        return undefined;
    return [...list.matchAll(new RegExp(STRING, 'g'))].slice(0, 16).map((match) => match[1]);
}
/** `<modulePath>/extensions/<platform>/<abi>/<gem>/` folders. */
async function extensionFolders(layerDir, modulePath) {
    const found = [];
    const root = `${modulePath}/extensions`;
    for (const platform of await folders(external_node_path_.join(layerDir, root))) {
        for (const abi of await folders(external_node_path_.join(layerDir, root, platform))) {
            for (const gemFolder of await folders(external_node_path_.join(layerDir, root, platform, abi))) {
                found.push(`${root}/${platform}/${abi}/${gemFolder}/`);
            }
        }
    }
    return found;
}

;// CONCATENATED MODULE: ./src/sbom/inventory.ts
/**
 * What the layer tree holds, for the bill of materials: the packages each family's reader finds in
 * the module folders (one entry per package, wherever it is installed), the native files the native
 * check read, each inside the package that owns it, and the files that belong to no package.
 */








const inventory_READERS = {
    python: pythonPackages,
    nodejs: node_nodePackages,
    java: javaPackages,
    ruby: rubyPackages,
    provided: async () => ({ packages: [], skipped: [] }),
};
async function takeInventory(family, layerDir, modulePaths, nativeFiles) {
    const found = await inventory_READERS[family](layerDir, modulePaths);
    const merged = mergeByIdentity(found.packages);
    const owners = new Owners(merged.map((entry) => entry.found));
    const native = new Map();
    const loose = [];
    for (const file of nativeFiles) {
        const owner = owners.of(file.path);
        if (owner)
            native.set(owner, [...(native.get(owner) ?? []), file]);
        else
            loose.push({ path: file.path, native: file });
    }
    if (family === 'provided') {
        const elf = new Set(nativeFiles.map((f) => f.path));
        for (const file of await executables(layerDir))
            if (!elf.has(file))
                loose.push({ path: file });
    }
    const packages = merged.map(({ first, found: all }) => ({
        ...first,
        licences: [...new Set(all.flatMap((p) => p.licences))],
        paths: [...new Set(all.map((p) => p.path))].sort(),
        native: all.flatMap((p) => native.get(p) ?? []).sort((a, b) => (a.path < b.path ? -1 : 1)),
    }));
    const files = await Promise.all(loose
        .sort((a, b) => (a.path < b.path ? -1 : 1))
        .map(async (file) => ({ ...file, sha256: await fileSha256(external_node_path_.join(layerDir, file.path), 'hex') })));
    return { packages, files, skipped: found.skipped };
}
/** The identity of a package: what its package URL says (name compared as its ecosystem compares names). */
function identity(p) {
    const name = p.ecosystem === 'pypi' ? p.name.toLowerCase().replace(/[-_.]+/g, '-') : p.name;
    return JSON.stringify([p.ecosystem, p.group ?? '', name, p.version ?? '', p.qualifiers ?? {}]);
}
/** One entry per package identity (a package installed in several folders is one package), in found order. */
function mergeByIdentity(packages) {
    const byIdentity = new Map();
    for (const p of packages) {
        const key = identity(p);
        const entry = byIdentity.get(key);
        if (entry)
            entry.found.push(p);
        else
            byIdentity.set(key, { first: p, found: [p] });
    }
    return [...byIdentity.values()];
}
/** Which package owns a layer path: one that lists the file, else the deepest folder that holds it. */
class Owners {
    files = new Map();
    folders = [];
    constructor(packages) {
        for (const p of packages.flat()) {
            for (const owned of p.owns) {
                if (owned.endsWith('/'))
                    this.folders.push([owned, p]);
                else if (!this.files.has(owned))
                    this.files.set(owned, p);
            }
        }
        this.folders.sort((a, b) => b[0].length - a[0].length);
    }
    of(file) {
        return this.files.get(file) ?? this.folders.find(([folder]) => file.startsWith(folder))?.[1];
    }
}
/** A custom runtime's executables: the bootstrap Lambda starts, and every file in bin/. */
async function executables(layerDir) {
    const isFile = (file) => promises_.lstat(external_node_path_.join(layerDir, file)).then((stat) => stat.isFile(), () => false);
    const found = [];
    if (await isFile('bootstrap'))
        found.push('bootstrap');
    for (const name of await entries(external_node_path_.join(layerDir, 'bin'))) {
        if (await isFile(`bin/${name}`))
            found.push(`bin/${name}`);
    }
    return found;
}

// EXTERNAL MODULE: ./src/sbom/summary.ts
var sbom_summary = __webpack_require__(1669);
;// CONCATENATED MODULE: ./src/sbom/index.ts
/**
 * The layer's bill of materials: a CycloneDX 1.6 JSON file beside the zip, listing every package the
 * layer tree holds (src/sbom/inventory.ts), written by the build step for a built or a given zip.
 *
 * It never fails the release: a package folder whose metadata is unreadable, huge or hostile gets one
 * warning naming the folder (never quoting the file) and is listed by its folder name, and an SBOM that
 * cannot be written at all is a warning too.
 */








/** `<zip without .zip>.cdx.json`, beside the zip (so the post step removes it with the zip). */
function sbomFileOf(zipFile) {
    return `${zipFile.replace(/\.zip$/, '')}.cdx.json`;
}
/** Writes the SBOM; undefined (and a warning) when it cannot. */
async function writeSbom(layer, artifact) {
    try {
        return await write(layer, artifact);
    }
    catch (error) {
        lib_core/* warning */.$e(`No SBOM was written: ${oneLine(error.message)}. The release goes on without it.`, {
            title: 'SBOM',
        });
        return undefined;
    }
}
async function write(layer, artifact) {
    const { layerDir, layout, nativeFiles, codeSha256, contentHash, buildKey } = artifact;
    const inventory = await takeInventory(layer.runtime.family, layerDir, layout.modulePaths, nativeFiles);
    for (const { folder, reason } of inventory.skipped) {
        lib_core/* warning */.$e(`SBOM: skipped the metadata of ${folder}: ${reason}. It is listed by its folder name.`, {
            title: 'SBOM',
        });
    }
    const { renderBom } = await Promise.all(/* import() */[__webpack_require__.e(450), __webpack_require__.e(591)]).then(__webpack_require__.bind(__webpack_require__, 4591)); // the CycloneDX libraries: a chunk of their own
    const zipSha256 = Buffer.from(codeSha256, 'base64').toString('hex');
    const { json, licences } = renderBom(inventory, {
        name: layer.layerName,
        runtimes: [...new Set([layer.runtime.id, ...layer.compatibleRuntimes])],
        architecture: layer.architecture,
        zipSha256,
        codeSha256,
        contentHash,
        ...(buildKey ? { buildKey } : {}),
        ...(layer.licenseInfo ? { licenseInfo: layer.licenseInfo } : {}),
        serialNumber: serialNumber(contentHash, zipSha256),
        tool: { name: clients/* USER_AGENT */._O[0], version: clients/* USER_AGENT */._O[1] },
    });
    const file = sbomFileOf(artifact.zipFile);
    await promises_.writeFile(file, json);
    const summary = (0,sbom_summary/* summarize */.e)(file, licences, inventory.files.length, inventory.skipped.length);
    lib_core/* info */.pq(`SBOM ${file} (${summary.format}): ${(0,sbom_summary/* sbomLine */.E)(summary)}.`);
    return summary;
}
/**
 * An RFC 4122 name-based UUID (version 5, SHA-1) of the layer's content hash and zip hash: the same
 * layer gets the same serial number, another layer another one.
 */
function serialNumber(contentHash, zipSha256) {
    const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex'); // RFC 4122's URL namespace
    const name = `https://github.com/lambda-layer-release/lambda-layer-release/sbom/${contentHash}/${zipSha256}`;
    const bytes = (0,external_node_crypto_.createHash)('sha1').update(namespace).update(name).digest().subarray(0, 16);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

;// CONCATENATED MODULE: ./src/layer/pinned.ts
/**
 * Whether a manifest fixes every version the build installs, so that the same bytes build the same
 * layer: only then can a re-run trust a build key instead of building. Each ecosystem has its own rule;
 * anything not pinned is built every time, and `reason` says why, naming files and line numbers (never
 * quoting a line: an include may lead anywhere). Every file is read through src/host-guard.ts, which
 * refuses (throws RefusedFileError for) a file outside the working directory or a link out of it.
 */


const CHECKERS = {
    python: (manifest, root) => pythonPinning(manifest, root, new Set()),
    nodejs: nodePinning,
    ruby: (manifest, root) => withLockFile(manifest, root, ['Gemfile.lock']),
    java: (manifest, root) => /\.gradle(\.kts)?$/.test(manifest) ? gradlePinning(manifest, root) : mavenPinning(manifest, root),
    provided: async () => ({
        pinned: false,
        reason: 'a custom runtime is built by its Makefile, which can fetch anything',
    }),
};
/**
 * `root`: the working directory, which every file read must stay in. `lockPath`: the lock that decides
 * (src/manifests/detect.ts); a lock file pins every version by itself (a requirements file is checked
 * line by line).
 */
async function checkPinning(family, manifestPath, root, lock) {
    if ((await readText(root, manifestPath)) === undefined) {
        return { pinned: false, reason: `${(0,host_guard/* shownIn */.fz)(root, manifestPath)} cannot be read` };
    }
    if (lock !== undefined && lock.format !== 'requirements.txt') {
        const lockPath = external_node_path_.join(root.dir, lock.path);
        if ((await readText(root, lockPath)) === undefined)
            return notPinned(`${lock.path} cannot be read`);
        return { pinned: true, files: [manifestPath, lockPath] };
    }
    return CHECKERS[family](manifestPath, root);
}
/** The text of a file in `root`; undefined when there is none; throws when the host may not read it. */
async function readText(root, file) {
    return (await (0,host_guard/* readRepoFile */.v6)(root, file))?.toString('utf8');
}
const notPinned = (reason) => ({ pinned: false, reason });
async function withLockFile(manifest, root, lockFiles) {
    const dir = external_node_path_.dirname(manifest);
    const present = [];
    for (const name of lockFiles) {
        if ((await readText(root, external_node_path_.join(dir, name))) !== undefined)
            present.push(external_node_path_.join(dir, name));
    }
    if (present.length === 0)
        return notPinned(`no ${lockFiles.join(' or ')} beside ${external_node_path_.basename(manifest)}`);
    return { pinned: true, files: [manifest, ...present] };
}
// ---- Node.js ------------------------------------------------------------------------------------------
/** Every Node.js lock: each fixes every version its tool installs (src/manifests/node-tools.ts). */
const NODE_LOCKS = [
    'package-lock.json',
    'npm-shrinkwrap.json',
    'pnpm-lock.yaml',
    'yarn.lock',
    'bun.lock',
];
/**
 * The tools' settings beside package.json that change what a frozen install puts in node_modules
 * (pnpm's overrides, patches and build allowances, hooks, Bun's settings): in the key with the lock.
 * Not .npmrc, .yarnrc or .yarnrc.yml: they may hold credentials, which the host never reads.
 */
const NODE_SETTINGS = ['pnpm-workspace.yaml', '.pnpmfile.cjs', 'bunfig.toml'];
async function nodePinning(manifest, root) {
    const locked = await withLockFile(manifest, root, NODE_LOCKS);
    if (!locked.pinned)
        return locked;
    const dir = external_node_path_.dirname(manifest);
    const settings = [];
    for (const name of NODE_SETTINGS) {
        if ((await readText(root, external_node_path_.join(dir, name))) !== undefined)
            settings.push(external_node_path_.join(dir, name));
    }
    return { pinned: true, files: [...locked.files, ...settings] };
}
// ---- Python -------------------------------------------------------------------------------------------
// `name[extra]==1.2.3` or `===`, with an optional environment marker; no wildcard (`==1.*`).
const PYTHON_PIN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*===?\s*[^\s*,;]+\s*(;.*)?$/;
const INCLUDE = /^(?:-r|--requirement|-c|--constraint)(?:\s*=?\s*|\s+)(\S+)$/;
const EDITABLE = /^(?:-e|--editable)\b/;
// Options that change where packages come from, not which versions: the file's bytes are in the key.
const OPTION = /^-/;
/** Logical lines of a requirements file: continuations joined, comments and blank lines dropped. */
function requirementLines(text) {
    const lines = [];
    let start = 0;
    let joined = '';
    text.split(/\r?\n/).forEach((raw, i) => {
        if (joined === '')
            start = i + 1;
        if (raw.endsWith('\\')) {
            joined += `${raw.slice(0, -1)} `;
            return;
        }
        const line = (joined + raw).replace(/(^|\s)#.*$/, '').trim();
        joined = '';
        if (line.length > 0)
            lines.push({ text: line, number: start });
    });
    return lines;
}
/** Why one requirement line is not pinned, or undefined when it is. */
function unpinnedRequirement(line) {
    if (EDITABLE.test(line))
        return 'an editable install follows its source';
    if (OPTION.test(line))
        return undefined;
    if (/\s--hash[=\s]/.test(` ${line}`))
        return undefined;
    const requirement = line.replace(/\s+--\S+.*$/, '');
    if (/:\/\/|^\.{0,2}\/|^[A-Za-z]:\\/.test(requirement) || /\s@\s/.test(requirement)) {
        return 'a URL or path without --hash can change under the same name';
    }
    if (!PYTHON_PIN.test(requirement))
        return 'not name==version';
    return undefined;
}
async function pythonPinning(file, root, seen) {
    seen.add(file);
    const text = await readText(root, file);
    if (text === undefined)
        return notPinned(`${(0,host_guard/* shownIn */.fz)(root, file)} cannot be read`);
    const files = [file];
    for (const { text: line, number } of requirementLines(text)) {
        const where = `${(0,host_guard/* shownIn */.fz)(root, file)} line ${number}`;
        const include = INCLUDE.exec(line);
        if (include) {
            const target = external_node_path_.resolve(external_node_path_.dirname(file), include[1]);
            if (seen.has(target))
                continue;
            const inner = await included(target, root, seen, where);
            if (!inner.pinned)
                return notPinned(`${where} → ${inner.reason}`);
            files.push(...inner.files);
            continue;
        }
        const reason = unpinnedRequirement(line);
        if (reason)
            return notPinned(`${where}: ${reason}`);
    }
    return { pinned: true, files };
}
/** A -r / -c include; a refusal names the including line, not the path it gives (which could be anything). */
async function included(target, root, seen, where) {
    try {
        return await pythonPinning(target, root, seen);
    }
    catch (error) {
        if (!(error instanceof host_guard/* RefusedFileError */.pc) || error.file !== (0,host_guard/* shownIn */.fz)(root, target))
            throw error;
        const reason = {
            outside: `includes a file outside ${root.name}`,
            kept: 'includes a file the build is kept from (credentials may be there)',
            'not a file': `includes something that ${error.reason}`,
        }[error.why];
        throw new host_guard/* RefusedFileError */.pc(where, reason, error.why);
    }
}
// ---- Java -------------------------------------------------------------------------------------------
/** Why a pom.xml's versions can move, or undefined when every one is fixed. */
function unpinnedPom(pom) {
    const withoutComments = pom.replace(/<!--[\s\S]*?-->/g, '');
    const properties = new Map();
    const block = /<properties>([\s\S]*?)<\/properties>/.exec(withoutComments)?.[1] ?? '';
    for (const [, name, value] of block.matchAll(/<([\w.-]+)>([^<]*)<\/\1>/g))
        properties.set(name, value.trim());
    // The project's own version: the first <version> outside the parent and the nested sections.
    const ownVersion = /<version>([^<]*)<\/version>/.exec(withoutComments.replace(/<(parent|dependencies|dependencyManagement|build|profiles|reporting)>[\s\S]*?<\/\1>/g, ''))?.[1];
    if (ownVersion)
        properties.set('project.version', ownVersion.trim());
    // The versions that choose what is downloaded; the project's own (often x-SNAPSHOT) does not.
    const chosen = /<(dependency|plugin|parent|extension)>([\s\S]*?)<\/\1>/g;
    for (const [, , body] of withoutComments.matchAll(chosen)) {
        const raw = /<version>([^<]*)<\/version>/.exec(body)?.[1];
        if (raw === undefined)
            continue;
        const version = raw
            .trim()
            .replace(/\$\{([^}]+)\}/g, (whole, name) => properties.get(name) ?? whole);
        if (/\$\{/.test(version))
            return `version ${raw.trim()} is defined outside pom.xml`;
        if (/^[[(]|[\])]$|,/.test(version))
            return `version range ${version}`;
        if (/SNAPSHOT$/i.test(version))
            return `snapshot version ${version}`;
        if (version === 'LATEST' || version === 'RELEASE')
            return `version ${version}`;
    }
    return undefined;
}
async function mavenPinning(manifest, root) {
    const reason = unpinnedPom((await readText(root, manifest)) ?? '');
    return reason ? notPinned(`${external_node_path_.basename(manifest)}: ${reason}`) : { pinned: true, files: [manifest] };
}
async function gradlePinning(manifest, root) {
    const locked = await withLockFile(manifest, root, ['gradle.lockfile']);
    if (!locked.pinned)
        return notPinned(`${locked.reason} (run gradle dependencies --write-locks)`);
    const settings = await withLockFile(manifest, root, ['settings.gradle', 'settings.gradle.kts']);
    return { pinned: true, files: [...locked.files, ...(settings.pinned ? settings.files.slice(1) : [])] };
}

;// CONCATENATED MODULE: ./src/steps/build-key.ts
/**
 * The build key: a hash of everything that decides what a build of a fully pinned manifest puts in the
 * layer. It is kept in each layer version's description; when the newest version in every region
 * carries this run's key, the build and the smoke test are skipped and that version is used as it is.
 */







/** Bumped whenever a default build command in src/runtimes/build-recipes.ts changes what it installs or how. */
const BUILD_RECIPE_VERSION = 1;
/** Hex characters of the key kept in the description (128 bits): room is short there. */
const KEY_LENGTH = 32;
const MARKER = /(?:^|\s)build:([0-9a-f]+)(?:\s|$)/;
/** ` build:<key>`, the marker the description carries next to the content hash. */
function buildKeyMarker(buildKey) {
    return ` build:${buildKey}`;
}
/** The build key kept in a layer version's description, if any. */
function buildKeyOf(description) {
    return MARKER.exec(description ?? '')?.[1];
}
/** Decides whether this run builds; logs why when it must. */
async function planBuild(inputs, deps) {
    if (inputs.zipFile !== undefined)
        return { build: true };
    const pinning = await checkPinning(inputs.runtime.family, external_node_path_.join(inputs.workingDirectory, inputs.manifest), (0,host_guard/* workingRoot */.qW)(inputs), inputs.manifestSource.lock);
    if (!pinning.pinned) {
        lib_core/* info */.pq(`Building: the manifest is not fully pinned (${pinning.reason}), so only a build can tell what changed.`);
        return { build: true };
    }
    const buildKey = await computeBuildKey(inputs, pinning.files, deps);
    lib_core/* info */.pq(`Build key ${buildKey} (${inputs.manifest} and its lock files, runtime, image, build settings).`);
    const why = inputs.forceBuild
        ? 'force-build is on'
        : !inputs.skipUnchanged
            ? 'skip-unchanged is off'
            : !inputs.steps.includes('publish')
                ? 'this run does not publish, so there is no version to reuse'
                : undefined;
    if (why) {
        lib_core/* info */.pq(`Building: ${why}.`);
        return { build: true, buildKey };
    }
    const { results, failures } = await inEachRegion(inputs.regions, (region) => newestVersion(deps.lambda(region), inputs.layerName, region));
    const mismatch = failures.map((f) => `${f.region}: the newest version could not be read (${f.error})`)[0] ??
        results.map((newest, i) => differs(newest, inputs, buildKey, inputs.regions[i])).find(Boolean);
    if (mismatch) {
        lib_core/* info */.pq(`Building: ${mismatch}.`);
        return { build: true, buildKey };
    }
    const versions = results.map((newest) => ({
        region: newest.region,
        layerVersionArn: newest.arn,
        version: newest.version,
    }));
    const numbers = [...new Set(versions.map((v) => v.version))].join(', ');
    const message = `unchanged since version ${numbers} (build key ${buildKey.slice(0, 12)}…): nothing built`;
    return { build: false, buildKey, versions, message };
}
/** The key over everything that decides the layer's content; `files` are the manifest and lock files. */
async function computeBuildKey(inputs, files, deps) {
    const contents = [];
    for (const file of files) {
        const bytes = (await (0,host_guard/* readRepoFile */.v6)((0,host_guard/* workingRoot */.qW)(inputs), file)) ?? Buffer.alloc(0);
        const name = external_node_path_.relative(inputs.workingDirectory, file).split(external_node_path_.sep).join('/');
        contents.push([name, (0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')]);
    }
    const facts = {
        recipe: BUILD_RECIPE_VERSION,
        runtime: inputs.runtime.id,
        architecture: inputs.architecture,
        buildImage: inputs.buildImage,
        buildImageId: await localImageId(inputs.buildImage, deps),
        installArgs: inputs.installArgs,
        buildCommand: inputs.buildCommand ?? null,
        crossInstall: inputs.crossInstall,
        trim: inputs.trim,
        files: contents,
        // What the lock installs of itself, and with which tool (src/manifests/).
        ...(inputs.manifestSource.lock && inputs.manifestSource.lock.format !== 'requirements.txt'
            ? {
                packageManager: inputs.manifestSource.packageManager,
                extras: inputs.extras,
                groups: inputs.groups,
            }
            : {}),
    };
    return (0,external_node_crypto_.createHash)('sha256').update(JSON.stringify(facts)).digest('hex').slice(0, KEY_LENGTH);
}
/**
 * The image's ID when it is on this runner; otherwise none (a fresh hosted runner has no image before
 * the build pulls it, on every run alike, so the key stays comparable between such runs).
 */
async function localImageId(image, deps) {
    try {
        const output = await deps.exec('docker', ['image', 'inspect', '--format', '{{.Id}}', image], {
            ignoreReturnCode: true,
            silent: true,
        });
        return output.exitCode === 0 ? output.stdout.trim() : null;
    }
    catch {
        return null; // no Docker here: the build will say so
    }
}
/**
 * The newest version by number. One page is enough on AWS (newest first); emulators ignore MaxItems and
 * the order, so the page is searched rather than its first item trusted.
 */
async function newestVersion(lambda, layerName, region) {
    let listed;
    try {
        listed = await lambda.send(new dist_cjs/* ListLayerVersionsCommand */.icq({ LayerName: layerName, MaxItems: 1 }));
    }
    catch (error) {
        if (error.name === 'ResourceNotFoundException')
            return undefined;
        throw error;
    }
    const newest = (listed.LayerVersions ?? [])
        .filter((v) => v.Version !== undefined && v.LayerVersionArn)
        .reduce((best, v) => (best === undefined || v.Version > best.Version ? v : best), undefined);
    return (newest && {
        region,
        arn: newest.LayerVersionArn,
        version: newest.Version,
        description: newest.Description ?? '',
        compatibleRuntimes: newest.CompatibleRuntimes ?? [],
        compatibleArchitectures: newest.CompatibleArchitectures ?? [],
        // Emulators answer an absent license as "".
        licenseInfo: newest.LicenseInfo || undefined,
    });
}
/** Why a region's newest version cannot stand for this run's build, or undefined when it can. */
function differs(newest, inputs, buildKey, region) {
    if (!newest)
        return `${region} has no version of ${inputs.layerName} yet`;
    const found = buildKeyOf(newest.description);
    if (found !== buildKey) {
        return `${region}: version ${newest.version} has ${found ? `build key ${found.slice(0, 12)}…` : 'no build key'}`;
    }
    const sameSet = (a, b) => a.length === b.length && a.every((item) => b.includes(item));
    if (!sameSet(newest.compatibleRuntimes, inputs.compatibleRuntimes) ||
        !sameSet(newest.compatibleArchitectures, [inputs.architecture]) ||
        newest.licenseInfo !== inputs.licenseInfo) {
        return `${region}: version ${newest.version} declares other compatible runtimes, architectures or license`;
    }
    return undefined;
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./src/runtimes/index.ts + 5 modules
var src_runtimes = __webpack_require__(4049);
;// CONCATENATED MODULE: ./src/docker.ts



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
    const token = stream ? (0,external_node_crypto_.randomUUID)() : undefined;
    let endsLine = true;
    const echo = (data) => {
        if (data.length === 0 || !stream)
            return;
        endsLine = data[data.length - 1] === 0x0a;
        process.stdout.write(data);
    };
    if (token) {
        process.stdout.write(`::stop-commands::${token}${external_node_os_.EOL}`);
        process.stdout.write(`[command]docker ${args.map(shownArg).join(' ')}${external_node_os_.EOL}`);
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
            process.stdout.write(`${endsLine ? '' : external_node_os_.EOL}::${token}::${external_node_os_.EOL}`);
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
    return { version, architecture: (0,src_runtimes/* architectureOf */.NJ)(arch) };
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
        `${(0,src_runtimes/* dockerPlatform */.o)(architecture)} ones, which ${purpose} needs: no emulator (qemu-user-static) is registered ` +
        'with binfmt_misc. Add the step `docker/setup-qemu-action@v3` before this one, or run the job on a runner ' +
        `of that architecture (e.g. runs-on: ubuntu-24.04-arm for arm64)` +
        (purpose.startsWith('the build')
            ? '; for a Python or Node.js layer, cross-install: true installs its packages for it without running it.'
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
    args.push('--platform', (0,src_runtimes/* dockerPlatform */.o)(run.architecture), ...HARDENING);
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
 * container is removed afterwards, after its state was read. Answers the exit code: 0, or
 * `limits.answerExitCode`.
 */
async function runLimited(exec, run, what, limits) {
    const name = `lambda-layer-release-${(0,external_node_crypto_.randomUUID)()}`;
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
        if (output.exitCode === 0 || output.exitCode === limits.answerExitCode)
            return output.exitCode;
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

// EXTERNAL MODULE: ./src/manifests/detect.ts
var detect = __webpack_require__(4211);
// EXTERNAL MODULE: ./src/inputs/limits.ts
var limits = __webpack_require__(6497);
// EXTERNAL MODULE: ./src/manifests/node-tools.ts
var node_tools = __webpack_require__(4682);
;// CONCATENATED MODULE: ./src/manifests/markers.ts
/**
 * PEP 508 environment markers as the lock readers combine them: a marker is kept in disjunctive normal
 * form (an OR of ANDs of comparisons), so that a package's marker can be built as the OR over every
 * path from the project of the AND of the markers on its edges. Nothing is evaluated here: pip does
 * that in the build image, for the target Python. Comparisons are kept as written (quotes normalized
 * to single quotes, spaces to one), which is how uv and Poetry print them.
 */
const ALWAYS = [[]];
const NEVER = [];
const VARIABLE = /^(python_version|python_full_version|os_name|sys_platform|platform_release|platform_system|platform_version|platform_machine|platform_python_implementation|implementation_name|implementation_version|extra|extras|dependency_groups)$/;
const OPERATORS = ['===', '==', '!=', '<=', '>=', '~=', '<', '>', 'not in', 'in'];
class MarkerError extends Error {
    name = 'MarkerError';
}
/** The most characters a marker may have; a lock's are short. */
const MAX_MARKER = 4096;
function tokenize(text) {
    if (text.length > MAX_MARKER)
        throw new MarkerError('a marker longer than 4096 characters');
    const tokens = [];
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        if (c === ' ' || c === '\t')
            i++;
        else if (c === '(' || c === ')') {
            tokens.push({ kind: c, text: c });
            i++;
        }
        else if (c === '"' || c === "'") {
            const end = text.indexOf(c, i + 1);
            if (end < 0)
                throw new MarkerError('an unclosed quote in a marker');
            const value = text.slice(i + 1, end);
            if (/['"\\\n\r]/.test(value))
                throw new MarkerError('a marker value with quotes or line breaks');
            tokens.push({ kind: 'string', text: value });
            i = end + 1;
        }
        else if (/[<>=!~]/.test(c)) {
            const op = /^(===|==|!=|<=|>=|~=|<|>)/.exec(text.slice(i))?.[1];
            if (!op)
                throw new MarkerError('an unknown operator in a marker');
            tokens.push({ kind: 'op', text: op });
            i += op.length;
        }
        else if (/[A-Za-z_]/.test(c)) {
            const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))[0];
            tokens.push({ kind: 'word', text: word });
            i += word.length;
        }
        else
            throw new MarkerError('a character a marker cannot hold');
    }
    return tokens;
}
/** Parses a PEP 508 marker into DNF; throws MarkerError (never quoting the marker) when it is not one. */
function parseMarker(text) {
    const tokens = tokenize(text);
    let pos = 0;
    const peek = () => tokens[pos];
    const isWord = (word) => peek()?.kind === 'word' && peek().text === word;
    let depth = 0;
    const orExpr = () => {
        let result = andExpr();
        while (isWord('or')) {
            pos++;
            result = or(result, andExpr());
        }
        return result;
    };
    const andExpr = () => {
        let result = atom();
        while (isWord('and')) {
            pos++;
            result = and(result, atom());
        }
        return result;
    };
    const value = () => {
        const token = tokens[pos++];
        if (token?.kind === 'string')
            return { text: `'${token.text}'`, variable: false };
        if (token?.kind === 'word' && VARIABLE.test(token.text))
            return { text: token.text, variable: true };
        throw new MarkerError('a marker that is not PEP 508');
    };
    const operator = () => {
        const token = tokens[pos++];
        if (token?.kind === 'op')
            return token.text;
        if (token?.kind === 'word' && token.text === 'in')
            return 'in';
        if (token?.kind === 'word' && token.text === 'not' && isWord('in')) {
            pos++;
            return 'not in';
        }
        throw new MarkerError('a marker that is not PEP 508');
    };
    const atom = () => {
        if (peek()?.kind === '(') {
            if (++depth > 32)
                throw new MarkerError('a marker nested more than 32 deep');
            pos++;
            const inner = orExpr();
            if (tokens[pos++]?.kind !== ')')
                throw new MarkerError('an unclosed parenthesis in a marker');
            depth--;
            return inner;
        }
        const left = value();
        const op = operator();
        const right = value();
        if (left.variable === right.variable || !OPERATORS.includes(op)) {
            throw new MarkerError('a marker that is not PEP 508');
        }
        return [[`${left.text} ${op} ${right.text}`]];
    };
    const result = orExpr();
    if (pos !== tokens.length)
        throw new MarkerError('a marker that is not PEP 508');
    return result;
}
/** Removes repeated and absorbed ANDs (one that holds all of another's comparisons adds nothing). */
function simplify(terms) {
    const unique = new Map();
    for (const term of terms) {
        const sorted = [...new Set(term)].sort();
        unique.set(sorted.join('\0'), sorted);
    }
    const all = [...unique.values()].sort((a, b) => a.length - b.length);
    const kept = [];
    for (const term of all) {
        if (!kept.some((smaller) => smaller.every((atom) => term.includes(atom))))
            kept.push(term);
    }
    return kept.sort((a, b) => a.length - b.length || a.join(' ').localeCompare(b.join(' ')));
}
function or(a, b) {
    return simplify([...a, ...b]);
}
/** The AND of two markers; the ANDs multiply out, bounded so that a hostile lock cannot blow up. */
function and(a, b) {
    if (a.length * b.length > 4096)
        throw new MarkerError('markers that multiply out to more than 4096 terms');
    return simplify(a.flatMap((x) => b.map((y) => [...x, ...y])));
}
function isAlways(marker) {
    return marker.length === 1 && marker[0].length === 0;
}
function equal(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
}
/** The marker as requirements files print it: `a and b or c` with parentheses around each AND of an OR. */
function markerText(marker) {
    if (isAlways(marker))
        return '';
    if (marker.length === 1)
        return marker[0].join(' and ');
    return marker.map((term) => (term.length > 1 ? `(${term.join(' and ')})` : term.join(''))).join(' or ');
}

// EXTERNAL MODULE: ./node_modules/smol-toml/dist/index.js + 8 modules
var dist = __webpack_require__(3292);
;// CONCATENATED MODULE: ./src/manifests/python/read.ts
/** What the Python lock readers share: bounded reading and parsing, the checked patterns, Lines, LockError and the types. */





/** The most bytes of a lock or project file the host reads. */
const MAX_LOCK_BYTES = 32 * 1024 * 1024;
/** The deepest nesting of tables and arrays a lock may have (uv's and Poetry's go 4 deep). */
const MAX_LOCK_DEPTH = 16;
/** A lock the action will not use: names the file (and line) and why, never its contents. */
class LockError extends Error {
    name = 'LockError';
}
/** PEP 503 normalized name. */
const normalize = (name) => name.toLowerCase().replace(/[-_.]+/g, '-');
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,200}[A-Za-z0-9])?$/;
const VERSION = /^[A-Za-z0-9](?:[A-Za-z0-9.+!_-]{0,120})$/;
const HASH = /^(sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})$/;
const read_URL = /^(?:https?|git\+https?|git\+ssh|ssh):\/\/[A-Za-z0-9._~:/?#[\]@!$&()*+,;=%-]{1,2000}$/;
// ---- reading ----------------------------------------------------------------------------------------
/** The text of a repository file, bounded; undefined when it is not there. */
async function readBounded(root, file, shown) {
    const found = (0,host_guard/* locate */.x5)(file, [root]);
    if (found.status === 'found' && found.kind === 'file') {
        const { size } = await (0,promises_.stat)(found.real);
        if (size > MAX_LOCK_BYTES) {
            throw new LockError(`${shown} is ${size} bytes; the action reads at most ${MAX_LOCK_BYTES} bytes of a lock`);
        }
    }
    const bytes = await (0,host_guard/* readRepoFile */.v6)(root, file);
    if (bytes === undefined)
        return undefined;
    if (bytes.length > MAX_LOCK_BYTES) {
        throw new LockError(`${shown} is ${bytes.length} bytes; the action reads at most ${MAX_LOCK_BYTES} bytes of a lock`);
    }
    return bytes.toString('utf8');
}
/** Refuses nesting deeper than MAX_LOCK_DEPTH (a lock's tables and arrays go a few levels deep). */
function checkDepth(value, shown, depth = 0) {
    if (depth > MAX_LOCK_DEPTH)
        throw new LockError(`${shown} nests more than ${MAX_LOCK_DEPTH} levels deep`);
    if (Array.isArray(value))
        for (const item of value)
            checkDepth(item, shown, depth + 1);
    else if (value !== null && typeof value === 'object' && !(value instanceof Date))
        for (const item of Object.values(value))
            checkDepth(item, shown, depth + 1);
}
/** Bracket nesting of the raw text, checked before any parser sees it (a parser recurses on it). */
function checkRawDepth(text, shown) {
    let depth = 0;
    let line = 1;
    let quote = '';
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '\n')
            line++;
        if (quote) {
            if (c === '\\')
                i++;
            else if (c === quote)
                quote = '';
        }
        else if (c === '"' || c === "'")
            quote = c;
        else if (c === '[' || c === '{') {
            if (++depth > MAX_LOCK_DEPTH * 2) {
                throw new LockError(`${shown} line ${line}: nested more than ${MAX_LOCK_DEPTH * 2} brackets deep`);
            }
        }
        else if (c === ']' || c === '}')
            depth = Math.max(0, depth - 1);
        else if (c === '#' && !shown.endsWith('.json')) {
            const end = text.indexOf('\n', i);
            i = end < 0 ? text.length : end - 1;
        }
    }
}
function parseTomlFile(text, shown) {
    checkRawDepth(text, shown);
    let data;
    try {
        data = (0,dist/* parse */.qg)(text);
    }
    catch (error) {
        const line = error.line;
        throw new LockError(`${shown}${line ? ` line ${line}` : ''}: not valid TOML`);
    }
    checkDepth(data, shown);
    return data;
}
function parseJsonFile(text, shown) {
    checkRawDepth(text, shown);
    let data;
    try {
        data = JSON.parse(text);
    }
    catch (error) {
        const at = /position (\d+)/.exec(error.message)?.[1];
        const line = at === undefined ? undefined : text.slice(0, Number(at)).split('\n').length;
        throw new LockError(`${shown}${line ? ` line ${line}` : ''}: not valid JSON`);
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        throw new LockError(`${shown}: not a JSON object`);
    }
    checkDepth(data, shown);
    return data;
}
const isTable = (value) => value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
const tableOf = (value) => (isTable(value) ? value : {});
const arrayOf = (value) => (Array.isArray(value) ? value : []);
const stringOf = (value) => typeof value === 'string' ? value : undefined;
/** Where things are in a lock's text, for messages: the line of the n-th `[[package]]`, of a JSON key. */
class Lines {
    text;
    shown;
    packageLines = [];
    /** Offsets of every line break, for the line of a position (binary search). */
    breaks = [];
    constructor(text, shown) {
        this.text = text;
        this.shown = shown;
        for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1))
            this.breaks.push(at);
        for (const match of text.matchAll(/^[ \t]*\[\[package\]\][ \t]*\r?$/gm)) {
            this.packageLines.push(this.lineAt(match.index));
        }
    }
    lineAt(position) {
        let low = 0;
        let high = this.breaks.length;
        while (low < high) {
            const mid = (low + high) >> 1;
            if (this.breaks[mid] < position)
                low = mid + 1;
            else
                high = mid;
        }
        return low + 1;
    }
    ofPackage(index) {
        const line = this.packageLines[index];
        return line === undefined ? this.shown : `${this.shown} line ${line}`;
    }
    keyLines;
    /** `file line N` of the first `"key": {` (one pass over the text, made when first asked). */
    ofKey(key) {
        if (!this.keyLines) {
            this.keyLines = new Map();
            for (const match of this.text.matchAll(/"([^"\\\n]{1,300})"\s*:\s*\{/g)) {
                if (!this.keyLines.has(match[1]))
                    this.keyLines.set(match[1], this.lineAt(match.index));
            }
        }
        const line = this.keyLines.get(key);
        return line === undefined ? this.shown : `${this.shown} line ${line}`;
    }
}
function checked(value, pattern, where, what) {
    if (typeof value !== 'string' || !pattern.test(value))
        throw new LockError(`${where}: ${what} is not valid`);
    return value;
}
function markerOf(value, where) {
    if (value === undefined || value === '' || value === '*')
        return ALWAYS;
    if (typeof value !== 'string')
        throw new LockError(`${where}: a marker is not a string`);
    try {
        return parseMarker(value);
    }
    catch (error) {
        throw new LockError(`${where}: ${error instanceof MarkerError ? error.message : 'a marker that is not PEP 508'}`);
    }
}
/** A path source inside working-directory, as a '/'-separated path relative to it; refused otherwise. */
function insidePath(root, base, relative, where) {
    if (relative.includes('\0') || /[\n\r]/.test(relative))
        throw new LockError(`${where}: a path source is not valid`);
    const absolute = external_node_path_.resolve(base, relative);
    const found = (0,host_guard/* locate */.x5)(absolute, [root]);
    if (found.status === 'refused') {
        throw new LockError(`${where}: a path source ${found.reason}; only working-directory is mounted into the build`);
    }
    if (found.status === 'missing')
        throw new LockError(`${where}: a path source does not exist`);
    const shown = external_node_path_.relative(root.dir, absolute).split(external_node_path_.sep).join('/');
    if (!/^[A-Za-z0-9._+/-]*$/.test(shown))
        throw new LockError(`${where}: a path source has characters pip cannot take`);
    return shown;
}
// ---- shared by the formats ---------------------------------------------------------------------------
const PEP508 = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(\(?[^;@]*?\)?)?\s*(?:@\s*([^;]+?))?\s*(?:;\s*(.*))?$/;
function checkChoices(options, extras, groups, shown) {
    const unknown = (asked, known, what) => {
        const missing = asked.filter((name) => !known.includes(normalize(name)));
        if (missing.length > 0) {
            throw new LockError(`${what}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in ${shown}; ` +
                `it has ${known.length > 0 ? known.join(', ') : 'none'}`);
        }
    };
    unknown(options.extras, extras, 'extras');
    unknown(options.groups, groups, 'groups');
}
function sortRequirements(list) {
    return list.sort((a, b) => a.name.localeCompare(b.name) || (a.version ?? '').localeCompare(b.version ?? ''));
}
/** Python's `json.dumps(value, sort_keys=True, separators=…)` with its default ensure_ascii. */
function pythonJson(value, itemSeparator, keySeparator) {
    const text = (v) => {
        if (v === null || v === undefined)
            return 'null';
        if (typeof v === 'boolean')
            return v ? 'true' : 'false';
        if (typeof v === 'number' || typeof v === 'bigint')
            return String(v);
        if (typeof v === 'string') {
            return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        }
        if (v instanceof Date)
            return text(v.toISOString());
        if (Array.isArray(v))
            return `[${v.map(text).join(itemSeparator)}]`;
        const entries = Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, item]) => `${text(k)}${keySeparator}${text(item)}`).join(itemSeparator)}}`;
    };
    return text(value);
}
/** Replaces `extra == 'x'` comparisons by what the chosen extras make them (pip sees no extra). */
function settleExtras(marker, extras) {
    const chosen = new Set(extras.map(normalize));
    const terms = [];
    for (const term of marker) {
        let keep = true;
        const rest = [];
        for (const atom of term) {
            const match = /^extra (==|!=) '([^']*)'$/.exec(atom);
            if (!match)
                rest.push(atom);
            else if ((match[1] === '==') !== chosen.has(normalize(match[2])))
                keep = false;
        }
        if (keep)
            terms.push(rest);
    }
    return or(NEVER, terms);
}

;// CONCATENATED MODULE: ./src/manifests/python/uv.ts


function uvDependencies(list, where) {
    return arrayOf(list).map((entry) => {
        const dep = tableOf(entry);
        return {
            name: normalize(checked(dep.name, NAME, where, 'a dependency name')),
            version: dep.version === undefined ? undefined : checked(dep.version, VERSION, where, 'a version'),
            source: isTable(dep.source) ? dep.source : undefined,
            marker: markerOf(dep.marker, where),
            extras: arrayOf(dep.extra).map((extra) => normalize(checked(extra, NAME, where, 'an extra'))),
        };
    });
}
function uvGroups(table, where) {
    return new Map(Object.entries(tableOf(table)).map(([group, list]) => [normalize(group), uvDependencies(list, where)]));
}
function readUvPackages(data, lines) {
    return arrayOf(data.package).map((entry, index) => {
        const raw = tableOf(entry);
        const where = lines.ofPackage(index);
        return {
            index,
            name: normalize(checked(raw.name, NAME, where, 'the package name')),
            version: raw.version === undefined ? undefined : checked(raw.version, VERSION, where, 'the version'),
            source: tableOf(raw.source),
            dependencies: uvDependencies(raw.dependencies, where),
            optional: uvGroups(raw['optional-dependencies'], where),
            groups: uvGroups(raw['dev-dependencies'], where),
            raw,
        };
    });
}
const sameSource = (a, b) => a === undefined || JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
/**
 * uv.lock → the list `uv export --frozen --no-dev --no-emit-project` prints: every package reached from
 * the project, with the OR over paths of the AND of the markers along each path.
 */
function exportUv(text, shown, pyproject, options, root, lockDir) {
    const data = parseTomlFile(text, shown);
    const lines = new Lines(text, shown);
    const version = data.version;
    if (version !== 1)
        throw new LockError(`${shown}: lock version ${String(version)} is not one the action reads (1)`);
    const packages = readUvPackages(data, lines);
    const projectName = stringOf(tableOf(pyproject.project).name);
    const rootPackage = packages.find((p) => projectName !== undefined && p.name === normalize(projectName)) ??
        packages.find((p) => p.source.editable === '.' || p.source.virtual === '.');
    if (!rootPackage)
        throw new LockError(`${shown}: no package for the project of pyproject.toml`);
    checkUvFresh(rootPackage, pyproject, lines, shown);
    checkChoices(options, [...rootPackage.optional.keys()], [...rootPackage.groups.keys()], shown);
    const perPackage = walkUv(packages, rootPackage, options, lines);
    const warnings = [];
    const requirements = [];
    for (const pkg of packages) {
        // An `extra == 'x'` on an edge holds when x was chosen; pip, reading a list, sees no extra.
        const marker = settleExtras(perPackage.get(pkg.index) ?? NEVER, options.extras);
        if (marker.length === 0 || pkg === rootPackage)
            continue;
        const requirement = uvRequirement(pkg, marker, lines.ofPackage(pkg.index), root, lockDir, warnings);
        if (requirement)
            requirements.push(requirement);
    }
    return { requirements: sortRequirements(requirements), warnings };
}
/**
 * The marker of every package reached from the project (its dependencies, the chosen extras and
 * groups): nodes are (package, extra or ''), and each node's marker is the OR over the paths to it of
 * the AND of the edge markers along each; a package's marker is the OR over its nodes.
 */
function walkUv(packages, rootPackage, options, lines) {
    const byName = new Map();
    for (const pkg of packages)
        byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
    const find = (dep, where) => {
        const matches = (byName.get(dep.name) ?? []).filter((p) => p.name === dep.name &&
            (dep.version === undefined || p.version === dep.version) &&
            sameSource(dep.source, p.source));
        if (matches.length !== 1) {
            throw new LockError(`${where}: dependency ${dep.name} matches ${matches.length} packages of the lock`);
        }
        return matches[0];
    };
    // Nodes are (package, extra or ''); markers grow until nothing changes (cycles included).
    const markers = new Map();
    const byKey = new Map();
    const queue = [];
    const reach = (pkg, extra, marker) => {
        const key = `${pkg.index}\0${extra}`;
        const before = markers.get(key) ?? NEVER;
        const after = or(before, marker);
        if (JSON.stringify(after) === JSON.stringify(before))
            return;
        markers.set(key, after);
        byKey.set(key, pkg);
        queue.push([pkg, extra, after]);
    };
    const edges = (deps, from, marker) => {
        const where = lines.ofPackage(from.index);
        for (const dep of deps) {
            const target = find(dep, where);
            const along = and(marker, dep.marker);
            reach(target, '', along);
            for (const extra of dep.extras)
                reach(target, extra, along);
        }
    };
    edges(rootPackage.dependencies, rootPackage, ALWAYS);
    for (const extra of options.extras)
        edges(rootPackage.optional.get(normalize(extra)) ?? [], rootPackage, ALWAYS);
    for (const group of options.groups)
        edges(rootPackage.groups.get(normalize(group)) ?? [], rootPackage, ALWAYS);
    let steps = 0;
    for (let head = 0; head < queue.length; head++) {
        if (++steps > 200_000)
            throw new LockError(`${lines.shown}: the dependency graph does not settle`);
        const [pkg, extra, marker] = queue[head];
        // A node queued again with a wider marker is walked once, with the widest.
        if (markers.get(`${pkg.index}\0${extra}`) !== marker)
            continue;
        edges(extra === '' ? pkg.dependencies : (pkg.optional.get(extra) ?? []), pkg, marker);
    }
    const perPackage = new Map();
    for (const [key, marker] of markers) {
        const pkg = byKey.get(key);
        perPackage.set(pkg.index, or(perPackage.get(pkg.index) ?? NEVER, marker));
    }
    return perPackage;
}
function uvRequirement(pkg, marker, where, root, lockDir, warnings) {
    const { source } = pkg;
    const hashes = [tableOf(pkg.raw.sdist), ...arrayOf(pkg.raw.wheels).map(tableOf)]
        .map((file) => file.hash)
        .filter((hash) => hash !== undefined)
        .map((hash) => checked(hash, HASH, where, 'a hash'))
        .sort();
    if (source.virtual !== undefined)
        return undefined; // a virtual member installs nothing itself
    const local = stringOf(source.editable) ?? stringOf(source.directory) ?? stringOf(source.path);
    if (local !== undefined) {
        return { name: pkg.name, marker, hashes: [], path: insidePath(root, lockDir, local, where) };
    }
    if (source.git !== undefined) {
        const url = gitUrl(checked(source.git, /^https?:\/\/\S+$|^ssh:\/\/\S+$/, where, 'a git source'), where);
        warnings.push(`${where}: ${pkg.name} comes from git (${url}); a git source carries no hash`);
        return { name: pkg.name, marker, hashes: [], url };
    }
    if (source.url !== undefined) {
        const url = checked(source.url, read_URL, where, 'a URL source');
        if (hashes.length === 0)
            warnings.push(`${where}: ${pkg.name} comes from ${url} without a hash`);
        return { name: pkg.name, marker, hashes, url };
    }
    const version = pkg.version;
    if (version === undefined)
        throw new LockError(`${where}: a registry package without a version`);
    if (hashes.length === 0)
        warnings.push(`${where}: ${pkg.name}==${version} has no hash in the lock`);
    return { name: pkg.name, version, marker, hashes };
}
/** uv's `https://host/repo?rev=x&subdirectory=y#<commit>` → pip's `git+https://host/repo@<commit>#subdirectory=y`. */
function gitUrl(source, where) {
    const hash = source.indexOf('#');
    const commit = hash < 0 ? '' : source.slice(hash + 1);
    const base = (hash < 0 ? source : source.slice(0, hash)).split('?');
    const subdirectory = new URLSearchParams(base[1] ?? '').get('subdirectory');
    if (!/^[0-9a-f]{7,64}$/.test(commit))
        throw new LockError(`${where}: a git source without a commit`);
    const url = `git+${base[0]}@${commit}${subdirectory ? `#subdirectory=${subdirectory}` : ''}`;
    return checked(url, read_URL, where, 'a git source');
}
/** A requirement as compared for staleness: name, extras and specifier (markers are uv's to normalize). */
function requirementKey(name, extras, specifier) {
    const spec = specifier.replace(/\s+/g, '').split(',').filter(Boolean).sort().join(',');
    return `${normalize(name)}[${[...extras].map(normalize).sort().join(',')}]${spec}`;
}
/** name, extras, specifier (or `@url`) and marker of a PEP 508 requirement; undefined when it is none. */
function pep508(text) {
    const match = typeof text === 'string' ? PEP508.exec(text) : null;
    if (!match)
        return undefined;
    const extras = (match[2] ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean);
    const specifier = match[4] ? `@${match[4].trim()}` : (match[3] ?? '').trim().replace(/^\(|\)$/g, '');
    return { name: match[1], extras, specifier, marker: match[5] ?? '' };
}
/**
 * uv records the project's requirements in the lock (`requires-dist`); a pyproject.toml that asks for
 * others makes it stale. Compared by name, extras and version specifier; a requirement with a
 * `[tool.uv.sources]` entry by name only (uv records the source instead).
 */
function checkUvFresh(rootPackage, pyproject, lines, shown) {
    const metadata = tableOf(rootPackage.raw.metadata);
    if (metadata['requires-dist'] === undefined)
        return; // a lock from before uv recorded it
    const project = tableOf(pyproject.project);
    const sources = new Set(Object.keys(tableOf(tableOf(tableOf(pyproject.tool).uv).sources)).map(normalize));
    const key = (name, extras, specifier) => sources.has(normalize(name)) ? normalize(name) : requirementKey(name, extras, specifier);
    const wanted = [];
    const lists = [project.dependencies, ...Object.values(tableOf(project['optional-dependencies']))];
    for (const list of lists) {
        for (const text of arrayOf(list)) {
            const requirement = pep508(text);
            if (requirement)
                wanted.push(key(requirement.name, requirement.extras, requirement.specifier));
        }
    }
    const recorded = arrayOf(metadata['requires-dist']).map((entry) => {
        const dep = tableOf(entry);
        const url = stringOf(dep.url) ?? stringOf(dep.git);
        const specifier = stringOf(dep.specifier) ?? (url ? `@${url}` : '');
        return key(stringOf(dep.name) ?? '', arrayOf(dep.extras).map(String), specifier);
    });
    const same = wanted.length === recorded.length && [...wanted].sort().join('\n') === [...recorded].sort().join('\n');
    if (!same) {
        throw new LockError(`${lines.ofPackage(rootPackage.index)}: ${shown} is stale: pyproject.toml asks for other requirements than ` +
            'the lock records. Run `uv lock` and commit uv.lock (the action never re-locks)');
    }
}

;// CONCATENATED MODULE: ./src/manifests/python/poetry.ts
/** poetry.lock: the list exported from Poetry's lock, checked fresh by its content-hash. */



/** Poetry's content-hash of pyproject.toml (Locker._get_content_hash, Poetry 1.x and 2.x). */
function poetryContentHash(pyproject) {
    const project = tableOf(pyproject.project);
    const poetry = tableOf(tableOf(pyproject.tool).poetry);
    const relevantProject = {};
    for (const key of ['requires-python', 'dependencies', 'optional-dependencies']) {
        if (project[key] !== undefined)
            relevantProject[key] = project[key];
    }
    const legacy = ['dependencies', 'source', 'extras', 'dev-dependencies'];
    const relevantPoetry = {};
    const hasProject = Object.keys(relevantProject).length > 0;
    for (const key of [...legacy, 'group']) {
        const data = poetry[key];
        if (data === undefined && (!legacy.includes(key) || hasProject))
            continue;
        relevantPoetry[key] = data ?? null;
    }
    const content = hasProject
        ? { project: relevantProject, tool: { poetry: relevantPoetry } }
        : relevantPoetry;
    return (0,external_node_crypto_.createHash)('sha256')
        .update(pythonJson(content, ', ', ': '))
        .digest('hex');
}
function poetryDependencies(table, where) {
    const list = [];
    for (const [name, spec] of Object.entries(tableOf(table))) {
        for (const one of Array.isArray(spec) ? spec : [spec]) {
            const constraint = tableOf(one);
            list.push({
                name: normalize(checked(name, NAME, where, 'a dependency name')),
                marker: markerOf(constraint.markers, where),
                optional: constraint.optional === true,
                extras: arrayOf(constraint.extras).map((e) => normalize(String(e))),
            });
        }
    }
    return list;
}
/** The root requirements of a Poetry project: main (and chosen groups), and the extras' names. */
function poetryRoots(pyproject, options, shown) {
    const project = tableOf(pyproject.project);
    const poetry = tableOf(tableOf(pyproject.tool).poetry);
    const deps = [];
    const fromPep508 = (list, marker) => {
        for (const requirement of arrayOf(list)) {
            const match = typeof requirement === 'string' ? PEP508.exec(requirement) : null;
            if (!match)
                continue;
            const extras = (match[2] ?? '')
                .split(',')
                .map((e) => normalize(e.trim()))
                .filter(Boolean);
            deps.push({
                name: normalize(match[1]),
                marker: and(marker, markerOf(match[5] ?? '', shown)),
                optional: false,
                extras,
            });
        }
    };
    fromPep508(project.dependencies, ALWAYS);
    const optional = tableOf(project['optional-dependencies']);
    const poetryExtras = tableOf(poetry.extras);
    for (const extra of options.extras) {
        fromPep508(optional[extra], ALWAYS);
        for (const name of arrayOf(poetryExtras[extra]))
            deps.push({ name: normalize(String(name)), marker: ALWAYS, optional: false, extras: [] });
    }
    deps.push(...poetryDependencies(poetry.dependencies, shown).filter((d) => d.name !== 'python' && !d.optional));
    const groupTable = tableOf(poetry.group);
    const groups = Object.keys(groupTable).map(normalize);
    if (poetry['dev-dependencies'] !== undefined)
        groups.push('dev');
    for (const group of options.groups) {
        const table = normalize(group) === 'dev' && poetry['dev-dependencies'] !== undefined
            ? poetry['dev-dependencies']
            : tableOf(groupTable[group]).dependencies;
        deps.push(...poetryDependencies(table, shown));
    }
    const extraNames = [...Object.keys(optional), ...Object.keys(poetryExtras)].map(normalize);
    checkChoices(options, extraNames, groups, shown);
    return { deps, groups };
}
function exportPoetry(text, shown, pyproject, options, root, lockDir) {
    const data = parseTomlFile(text, shown);
    const lines = new Lines(text, shown);
    const metadata = tableOf(data.metadata);
    if (metadata['content-hash'] !== poetryContentHash(pyproject)) {
        throw new LockError(`${shown} is stale: its content-hash does not match pyproject.toml. Run \`poetry lock\` and commit ` +
            'poetry.lock (the action never re-locks)');
    }
    const packages = arrayOf(data.package).map(tableOf);
    const { deps: roots } = poetryRoots(pyproject, options, shown);
    const perPackage = packages.some((pkg) => pkg.groups !== undefined)
        ? poetryGroupMarkers(packages, options, lines)
        : walkPoetry(packages, roots, lines);
    const warnings = [];
    const requirements = [...perPackage].map(([index, marker]) => poetryRequirement(packages[index], marker, lines.ofPackage(index), { root, lockDir, warnings }));
    return { requirements: sortRequirements(requirements), warnings };
}
/** Lock 2.1 (Poetry 2): each package lists its groups and its marker per group. */
function poetryGroupMarkers(packages, options, lines) {
    const chosen = ['main', ...options.groups.map(normalize)];
    const perPackage = new Map();
    packages.forEach((pkg, index) => {
        const where = lines.ofPackage(index);
        let marker = NEVER;
        for (const group of arrayOf(pkg.groups).map(String)) {
            if (!chosen.includes(normalize(group)))
                continue;
            const raw = isTable(pkg.markers) ? pkg.markers[group] : pkg.markers;
            marker = or(marker, markerOf(raw, where));
        }
        marker = settleExtras(marker, options.extras);
        if (marker.length > 0)
            perPackage.set(index, marker);
    });
    return perPackage;
}
/** Lock 2.0 and older: walks from the project's requirements, markers along every path. */
function walkPoetry(packages, roots, lines) {
    const byName = new Map();
    packages.forEach((pkg, index) => {
        const name = normalize(checked(pkg.name, NAME, lines.ofPackage(index), 'the package name'));
        byName.set(name, [...(byName.get(name) ?? []), index]);
    });
    const perPackage = new Map();
    const parsed = new Map();
    const seen = new Map();
    const queue = [];
    const keyOf = (index, extras) => `${index}\0${[...extras].sort().join(',')}`;
    const reach = (dep, marker) => {
        for (const index of byName.get(dep.name) ?? []) {
            const key = keyOf(index, dep.extras);
            const next = or(seen.get(key) ?? NEVER, and(marker, dep.marker));
            if (JSON.stringify(next) === JSON.stringify(seen.get(key)))
                continue;
            seen.set(key, next);
            perPackage.set(index, or(perPackage.get(index) ?? NEVER, next));
            queue.push([index, next, dep.extras]);
        }
    };
    for (const dep of roots)
        reach(dep, ALWAYS);
    for (let head = 0; head < queue.length; head++) {
        if (head > 200_000)
            throw new LockError(`${lines.shown}: the dependency graph does not settle`);
        const [index, marker, extras] = queue[head];
        // A node queued again with a wider marker is walked once, with the widest.
        if (seen.get(keyOf(index, extras)) !== marker)
            continue;
        const pkg = packages[index];
        if (!parsed.has(index))
            parsed.set(index, poetryDependencies(pkg.dependencies, lines.ofPackage(index)));
        const wanted = new Set(extras.flatMap((extra) => arrayOf(tableOf(pkg.extras)[extra]).map((e) => normalize(String(e).split(/[\s([;]/)[0]))));
        for (const dep of parsed.get(index))
            if (!dep.optional || wanted.has(dep.name))
                reach(dep, marker);
    }
    return perPackage;
}
/** One package of poetry.lock as a line of the list: a path, git or URL source, or a registry pin. */
function poetryRequirement(pkg, marker, where, at) {
    const name = normalize(checked(pkg.name, NAME, where, 'the package name'));
    const source = tableOf(pkg.source);
    const hashes = arrayOf(pkg.files).map((file) => checked(tableOf(file).hash, HASH, where, 'a hash'));
    const type = stringOf(source.type);
    if (type === 'directory' || type === 'file') {
        return { name, marker, hashes: [], path: insidePath(at.root, at.lockDir, String(source.url), where) };
    }
    if (type === 'git') {
        const commit = checked(source.resolved_reference, /^[0-9a-f]{7,64}$/, where, 'a git commit');
        const sub = stringOf(source.subdirectory);
        const git = `git+${String(source.url)}@${commit}${sub ? `#subdirectory=${sub}` : ''}`;
        const url = checked(git, read_URL, where, 'a git source');
        at.warnings.push(`${where}: ${name} comes from git (${url}); a git source carries no hash`);
        return { name, marker, hashes: [], url };
    }
    if (type === 'url')
        return { name, marker, hashes, url: checked(source.url, read_URL, where, 'a URL source') };
    // A registry package (PyPI or a source the lock names: its URL is never used; pip's index options are the user's).
    const version = checked(pkg.version, VERSION, where, 'the version');
    if (hashes.length === 0)
        at.warnings.push(`${where}: ${name}==${version} has no hash in the lock`);
    return { name, version, marker, hashes };
}

;// CONCATENATED MODULE: ./src/manifests/python/pipfile.ts
/** Pipfile.lock: the list exported from Pipenv's lock, checked fresh by the Pipfile's hash. */



/** Pipenv's hash of a Pipfile (plette's Pipfile.get_hash): the sources, requires and every category. */
function pipfileHash(pipfile) {
    const sources = pipfile.source ?? [{ name: 'pypi', url: 'https://pypi.org/simple', verify_ssl: true }];
    const data = {
        _meta: { sources, requires: pipfile.requires ?? {} },
        default: pipfile.packages ?? {},
        develop: pipfile['dev-packages'] ?? {},
    };
    const sections = [
        'source',
        'packages',
        'dev-packages',
        'requires',
        'scripts',
        'pipfile',
        'pipenv',
        'default',
        'develop',
    ];
    for (const [category, values] of Object.entries(pipfile)) {
        if (!sections.includes(category))
            data[category] = values;
    }
    return (0,external_node_crypto_.createHash)('sha256')
        .update(pythonJson(data, ',', ':'))
        .digest('hex');
}
function exportPipfile(text, shown, pipfile, options, root, lockDir) {
    const data = parseJsonFile(text, shown);
    const lines = new Lines(text, shown);
    const recorded = tableOf(tableOf(tableOf(data._meta).hash)).sha256;
    if (recorded !== pipfileHash(pipfile)) {
        throw new LockError(`${shown} is stale: its hash does not match Pipfile. Run \`pipenv lock\` and commit Pipfile.lock ` +
            '(the action never re-locks)');
    }
    const categories = Object.keys(data).filter((key) => key !== '_meta' && key !== 'default');
    checkChoices({ extras: [], groups: options.groups }, [], categories.map(normalize), shown);
    if (options.extras.length > 0) {
        throw new LockError(`extras: ${shown} has no extras of its own; name the packages in Pipfile's [packages]`);
    }
    const chosen = [
        'default',
        ...categories.filter((c) => options.groups.map(normalize).includes(normalize(c))),
    ];
    const merged = new Map();
    const warnings = [];
    for (const category of chosen) {
        for (const [rawName, value] of Object.entries(tableOf(data[category]))) {
            const where = lines.ofKey(rawName);
            const entry = tableOf(value);
            const name = normalize(checked(rawName, NAME, where, 'a package name'));
            const marker = markerOf(entry.markers, where);
            const hashes = arrayOf(entry.hashes).map((hash) => checked(hash, HASH, where, 'a hash'));
            let requirement;
            if (entry.path !== undefined ||
                (entry.file !== undefined && !/^[a-z+]+:\/\//.test(String(entry.file)))) {
                requirement = {
                    name,
                    marker,
                    hashes: [],
                    path: insidePath(root, lockDir, String(entry.path ?? entry.file), where),
                };
            }
            else if (entry.git !== undefined) {
                const ref = checked(entry.ref, /^[0-9a-f]{7,64}$/, where, 'a git commit');
                const url = checked(`git+${String(entry.git).replace(/^git\+/, '')}@${ref}`, read_URL, where, 'a git source');
                warnings.push(`${where}: ${name} comes from git (${url}); a git source carries no hash`);
                requirement = { name, marker, hashes: [], url };
            }
            else if (entry.file !== undefined) {
                requirement = { name, marker, hashes, url: checked(entry.file, read_URL, where, 'a URL source') };
            }
            else {
                const version = checked(String(entry.version ?? '').replace(/^==/, ''), VERSION, where, 'the version');
                if (hashes.length === 0)
                    warnings.push(`${where}: ${name}==${version} has no hash in the lock`);
                requirement = { name, version, marker, hashes };
            }
            const before = merged.get(name);
            merged.set(name, before ? { ...before, marker: or(before.marker, requirement.marker) } : requirement);
        }
    }
    return { requirements: sortRequirements([...merged.values()]), warnings };
}

;// CONCATENATED MODULE: ./src/manifests/python/index.ts
/**
 * Python locks (issue 30): uv.lock, poetry.lock and Pipfile.lock are turned, on the host, into a pinned
 * requirements list with hashes that the build image's pip installs with `--require-hashes --no-deps`,
 * so no locking tool is needed in the image and `cross-install` works as with a requirements file.
 *
 * The lock is read as data from a repository that may be hostile: bounded in size and depth, every
 * name, version, hash, marker and URL checked against a strict pattern before it reaches the list, no
 * index option ever taken from it, and paths refused when they lead out of working-directory (through
 * the host guard's resolver). Messages name the file and line, never what the file holds.
 */










/** One requirement as pip reads it, without its hashes: `name==1.0 ; marker`, or a path or URL source. */
function requirementSpec(req) {
    const marker = isAlways(req.marker) ? '' : ` ; ${markerText(req.marker)}`;
    const spec = req.path !== undefined
        ? `${req.name} @ file://${src_runtimes/* CONTAINER_SOURCE */.E3}/${req.path}`
        : req.url !== undefined
            ? `${req.name} @ ${req.url}`
            : `${req.name}==${req.version}`;
    return `${spec}${marker}`;
}
/** Lines of the hashed list (`--require-hashes`), and of the unhashed one (paths, git) pip installs after it. */
function renderRequirements(exported) {
    const hashed = [];
    const unhashed = [];
    for (const req of exported.requirements) {
        const spec = requirementSpec(req);
        if (req.hashes.length === 0)
            unhashed.push(spec);
        else
            hashed.push([spec, ...req.hashes.map((hash) => `    --hash=${hash}`)].join(' \\\n'));
    }
    const text = (lines) => (lines.length > 0 ? `${lines.join('\n')}\n` : '');
    return { hashed: text(hashed), unhashed: text(unhashed) };
}
const PYTHON_LOCKS = new Set(['uv.lock', 'poetry.lock', 'Pipfile.lock']);
function isPythonLock(source) {
    return source.lock !== undefined && PYTHON_LOCKS.has(source.lock.format);
}
/** Reads the lock of `source` and its project file (both through the host guard) and exports the list. */
async function exportPythonLock(source, root, options) {
    const lock = source.lock;
    const lockPath = external_node_path_.join(root.dir, lock.path);
    const projectPath = external_node_path_.join(root.dir, source.manifest);
    const text = await readBounded(root, lockPath, lock.path);
    if (text === undefined)
        throw new LockError(`${lock.path} does not exist`);
    const projectText = await readBounded(root, projectPath, source.manifest);
    if (projectText === undefined)
        throw new LockError(`${source.manifest} does not exist`);
    const project = parseTomlFile(projectText, source.manifest);
    const lockDir = external_node_path_.dirname(lockPath);
    switch (lock.format) {
        case 'uv.lock':
            return exportUv(text, lock.path, project, options, root, lockDir);
        case 'poetry.lock':
            return exportPoetry(text, lock.path, project, options, root, lockDir);
        default:
            return exportPipfile(text, lock.path, project, options, root, lockDir);
    }
}

// EXTERNAL MODULE: ./src/sandbox.ts
var sandbox = __webpack_require__(6004);
;// CONCATENATED MODULE: ./src/steps/build-container.ts
/**
 * The build container: what the host prepares from a lock before it runs (a Python lock's exported
 * requirements, the tool for a pnpm, Yarn or Bun lock), the container's mounts, environment and recipe,
 * and the guard every container that writes the layer runs through. src/steps/build.ts drives it.
 */













/** The architecture the build container runs: the runner's own for a cross-install, else the layer's. */
function buildArchitecture(inputs) {
    return inputs.crossInstall ? (0,src_runtimes/* runnerArchitecture */.Je)() : inputs.architecture;
}
/**
 * A Python lock, exported on the host: its list (which the layer cache reads too) and the pinned,
 * hashed requirements the build installs; undefined for any other build.
 */
async function lockedRequirements(inputs) {
    if (inputs.buildCommand !== undefined || !isPythonLock(inputs.manifestSource))
        return undefined;
    const exported = await exportPythonLock(inputs.manifestSource, (0,host_guard/* workingRoot */.qW)(inputs), {
        extras: inputs.extras,
        groups: inputs.groups,
    });
    for (const warning of exported.warnings)
        lib_core/* warning */.$e(oneLine(warning));
    const count = exported.requirements.length;
    lib_core/* info */.pq(`${inputs.manifestSource.lock.path}: ${count} package${count === 1 ? '' : 's'} locked for this layer` +
        `${inputs.extras.length > 0 ? ` (extras ${inputs.extras.join(', ')})` : ''}` +
        `${inputs.groups.length > 0 ? ` (groups ${inputs.groups.join(', ')})` : ''}; dev groups left out.`);
    return { exported, locked: renderRequirements(exported) };
}
/**
 * A pnpm, Yarn or Bun lock is installed by its own tool, at the version package.json's packageManager
 * names or else the one for the lock's format (src/manifests/node-tools.ts); undefined for every other
 * build. Throws, before any container runs, when the tool cannot install this lock as asked.
 */
function lockInstallOf(inputs) {
    const { lock, packageManager } = inputs.manifestSource;
    const tool = packageManager.name;
    if (inputs.buildCommand !== undefined || lock === undefined || !(tool in node_tools/* LOCK_TOOL_NAMES */.ad))
        return undefined;
    const lockFile = external_node_path_.join(inputs.workingDirectory, lock.path);
    const head = (0,detect/* readHead */.zy)((0,host_guard/* workingRoot */.qW)(inputs), lockFile, node_tools/* LOCK_HEAD_BYTES */.V0).toString('utf8');
    const plan = (0,node_tools/* planNodeTool */.Gm)({ name: tool, version: packageManager.version }, lock.path, head, buildArchitecture(inputs));
    if (inputs.crossInstall) {
        const problem = (0,node_tools/* crossInstallProblem */.$b)(plan);
        if (problem)
            throw new Error(`cross-install: ${problem}.`);
    }
    lib_core/* info */.pq(`${node_tools/* LOCK_TOOL_NAMES */.ad[plan.tool]} ${plan.version} (${plan.from === 'packageManager' ? 'packageManager in package.json' : `the version for ${lock.path}'s format`}) ` +
        `installs ${lock.path} in the build container: frozen, without devDependencies.`);
    return { plan, lock: lock.path };
}
/** Without a network the tool must come from the download cache: say so before building. */
function refuseToolOffline(inputs, { plan }, downloads) {
    if (inputs.buildNetwork !== 'none')
        return;
    if (downloads && external_node_fs_.existsSync(external_node_path_.join(downloads.host, 'tools', plan.file)))
        return;
    const tool = `${node_tools/* LOCK_TOOL_NAMES */.ad[plan.tool]} ${plan.version}`;
    throw new Error(`build-network: none: ${tool} is installed in the build container from the npm registry ` +
        `(${plan.package}), and ${downloads ? 'the download cache holds no copy of it' : 'without cache: true there is no download cache to hold it'}. ` +
        'Provide it with cache: true and one run with a network (build-network: bridge or a network that reaches ' +
        `your registry): the cache then keeps ${tool} for the runs without one. Or install with your own build-command.`);
}
async function runBuildContainer(inputs, deps, work, layerDir, downloads, prepared = {}) {
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
        const recipe = recipeOf(inputs, lockFiles.length > 0, prepared);
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
        user: currentUser(),
        pidsLimit: BUILD_PIDS_LIMIT,
        network: inputs.buildNetwork,
        memoryBytes: inputs.buildMemory,
        command,
    };
    const exitCode = await writesLayer(layerDir, `the build in ${inputs.buildImage}`, () => runLimited(deps.exec, run, `Building the layer in ${inputs.buildImage}`, {
        timeoutMs: inputs.buildTimeout * 60_000,
        timeoutInput: String(inputs.buildTimeout),
        memoryInput: (0,limits/* memoryText */.FC)(inputs.buildMemory),
        ...(prepared.reuse ? { answerExitCode: REUSE_REFUSED } : {}),
    }));
    return exitCode === 0 ? 'built' : 'reuse refused';
}
/** src/smoke/pip-reuse.py's and npm-reuse.mjs's exit code when the last build's packages cannot be reused after all. */
const REUSE_REFUSED = 3;
function recipeOf(inputs, hasLock, prepared) {
    const crossArchitecture = inputs.crossInstall ? inputs.architecture : undefined;
    const { installArgs, manifest, runtime } = inputs;
    return (0,src_runtimes/* defaultBuild */.MA)(runtime, manifest, installArgs, hasLock, crossArchitecture, prepared.locked, prepared.lockInstall, prepared.reuse);
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
        lib_core/* info */.pq(oneLine(`Hidden from the build: ${view.hidden.map((h) => `${h.path} (${h.how})`).join(', ')}.`));
    }
    return view.mounts;
}
/** The package manager's download cache (src/steps/download-cache.ts), where the tool looks for it. */
function mountDownloadCache(downloads, mounts, env) {
    mounts.push({ host: downloads.host, container: downloads.container });
    Object.assign(env, downloads.env);
}

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
/** Said instead of a save on a pull request's run (`cache` is restore-only there: docs/security.md). */
const NOT_SAVED_ON_A_PULL_REQUEST = "cache: not saved: this run builds a pull request's code, whose cache a release build would restore.";
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
        // A ledger that measured nothing cannot weigh a restore (restoreCostsMore): not worth an entry.
        if (pending.ledger.download || pending.ledger.restore) {
            const folder = ledgerFolder(pending.path);
            await fs.mkdir(folder, { recursive: true });
            await fs.writeFile(path.join(folder, LEDGER_FILE), JSON.stringify(pending.ledger));
            await cache.saveCache([folder], LEDGER_PREFIX + key);
        }
        core.info(`cache: saved ${pending.what ?? 'the downloads'} as ${key} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
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
    // npm's cache at the top (as before), the lock tools' tarballs, stores and caches in folders of their
    // own below it (src/smoke/node-install.mjs).
    nodejs: () => ({
        tool: 'npm',
        env: { npm_config_cache: CONTAINER_CACHE, LLR_CACHE_DIR: CONTAINER_CACHE },
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
                lib_core/* info */.pq(NOT_SAVED_ON_A_PULL_REQUEST);
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
/** The manifest, the lock that decides it and the lock files beside it, as the cache key's last part. */
async function manifestHash(inputs) {
    const manifest = external_node_path_.join(inputs.workingDirectory, inputs.manifest);
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const lock = inputs.manifestSource.lock?.path;
    const names = [
        external_node_path_.basename(manifest),
        ...(lock ? [external_node_path_.relative(external_node_path_.dirname(manifest), external_node_path_.join(inputs.workingDirectory, lock))] : []),
        ...NODE_LOCKS,
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

;// CONCATENATED MODULE: ./src/layer/packages.ts
/**
 * What a built layer contains, read from the package metadata the installer left behind:
 * the pinned package list (for the layer description) and the module names to import in the smoke test.
 */




const readers = {
    python: packages_pythonPackages,
    nodejs: packages_nodePackages,
    java: packages_javaPackages,
    ruby: packages_rubyPackages,
    provided: packages_executables,
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
/** A file's text, or undefined when it cannot be read. */
async function packages_readText(file) {
    try {
        return await promises_.readFile(file, 'utf8');
    }
    catch {
        return undefined;
    }
}
async function packages_entries(dir) {
    try {
        return (await promises_.readdir(dir)).sort();
    }
    catch {
        return [];
    }
}
/** From each `*.dist-info`: name and version from METADATA, modules from top_level.txt or RECORD. */
async function packages_pythonPackages(layerDir, modulePaths) {
    const packages = [];
    for (const modulePath of modulePaths) {
        const dir = external_node_path_.join(layerDir, modulePath);
        const names = await packages_entries(dir);
        const present = new Set(names.map((name) => importableName(name)).filter(Boolean));
        for (const distInfo of names.filter((name) => name.endsWith('.dist-info'))) {
            const metadata = (await packages_readText(external_node_path_.join(dir, distInfo, 'METADATA'))) ?? '';
            const [fallbackName = distInfo, fallbackVersion = '?'] = distInfo
                .replace(/\.dist-info$/, '')
                .split('-');
            const name = /^Name: (.+)$/m.exec(metadata)?.[1]?.trim() ?? fallbackName;
            const version = /^Version: (.+)$/m.exec(metadata)?.[1]?.trim() ?? fallbackVersion;
            const topLevel = await packages_readText(external_node_path_.join(dir, distInfo, 'top_level.txt'));
            const record = topLevel === undefined ? await packages_readText(external_node_path_.join(dir, distInfo, 'RECORD')) : undefined;
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
async function packages_nodePackages(layerDir, modulePaths) {
    const packages = [];
    for (const modulePath of modulePaths) {
        const modulesDir = external_node_path_.join(layerDir, modulePath);
        const manifest = await packages_readText(external_node_path_.join(modulesDir, '..', 'package.json'));
        let names;
        if (manifest !== undefined) {
            names = Object.keys(JSON.parse(manifest).dependencies ?? {});
        }
        else {
            names = [];
            for (const entry of await packages_entries(modulesDir)) {
                if (entry.startsWith('.'))
                    continue;
                if (entry.startsWith('@'))
                    names.push(...(await packages_entries(external_node_path_.join(modulesDir, entry))).map((n) => `${entry}/${n}`));
                else
                    names.push(entry);
            }
        }
        for (const name of names) {
            const installed = await packages_readText(external_node_path_.join(modulesDir, name, 'package.json'));
            const version = installed === undefined
                ? 'missing'
                : (JSON.parse(installed).version ?? '?');
            packages.push({ name, version, imports: [name] });
        }
    }
    return packages;
}
/** The jars in java/lib, named and versioned by their Maven metadata, else by their file names. */
async function packages_javaPackages(layerDir, modulePaths) {
    const packages = [];
    for (const modulePath of modulePaths) {
        for (const jar of (await packages_entries(external_node_path_.join(layerDir, modulePath))).filter((n) => n.endsWith('.jar'))) {
            const coordinates = await mavenCoordinates(external_node_path_.join(layerDir, modulePath, jar));
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
        const zip = await openZip(jar, { lazyEntries: true });
        for await (const entry of zip.eachEntry()) {
            if (!/^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(entry.fileName))
                continue;
            const properties = await (0,consumers_.text)(await zip.openReadStreamPromise(entry));
            const name = /^artifactId=(.+)$/m.exec(properties)?.[1]?.trim();
            const version = /^version=(.+)$/m.exec(properties)?.[1]?.trim();
            if (name && version)
                found.push({ name, version });
        }
    }
    catch {
        return undefined;
    }
    const file = external_node_path_.basename(jar);
    return found.find((c) => file.startsWith(`${c.name}-`)) ?? (found.length === 1 ? found[0] : undefined);
}
/**
 * The gems in the layer's gem folder (from specifications/*.gemspec); the ones the Gemfile names
 * (ruby/Gemfile.lock's DEPENDENCIES, written by the default build) are the ones to require.
 */
async function packages_rubyPackages(layerDir, modulePaths) {
    const lock = (await packages_readText(external_node_path_.join(layerDir, 'ruby', 'Gemfile.lock'))) ?? '';
    const dependencies = /^DEPENDENCIES\n((?: {2}.*\n?)*)/m.exec(lock)?.[1] ?? '';
    const direct = new Set(dependencies
        .split('\n')
        .map((line) => /^ {2}([^\s!(]+)/.exec(line)?.[1])
        .filter((name) => !!name));
    const packages = [];
    for (const modulePath of modulePaths) {
        const specifications = external_node_path_.join(layerDir, modulePath, 'specifications');
        for (const file of (await packages_entries(specifications)).filter((n) => n.endsWith('.gemspec'))) {
            const spec = (await packages_readText(external_node_path_.join(specifications, file))) ?? '';
            const name = /\.name = "([^"]+)"/.exec(spec)?.[1] ?? file.replace(/\.gemspec$/, '');
            const version = /\.version = "([^"]+)"/.exec(spec)?.[1] ?? '?';
            packages.push({ name, version, imports: direct.has(name) ? [name] : [] });
        }
    }
    return packages;
}
/** A custom runtime's executables: the bootstrap Lambda starts, and every file in bin/. */
async function packages_executables(layerDir) {
    const found = [];
    const isFile = (file) => promises_.stat(external_node_path_.join(layerDir, file)).then((stat) => stat.isFile(), () => false);
    if (await isFile('bootstrap'))
        found.push('bootstrap');
    for (const name of await packages_entries(external_node_path_.join(layerDir, 'bin'))) {
        if (await isFile(`bin/${name}`))
            found.push(`bin/${name}`);
    }
    return found.map((file) => ({ name: file, version: '', imports: [file] }));
}

;// CONCATENATED MODULE: ./src/cache/python-reuse.ts
/**
 * Which Python packages a build can take from the last build's layer instead of installing them again:
 * a package pinned by name, version (and hashes, when given) that the last build installed with the
 * same runtime, image and settings (the cache key holds those). Only an exact pin is reused; anything
 * else is installed by pip as always.
 *
 * What each installed package owns comes from pip's own record of it (`*.dist-info/RECORD`).
 */





const normalizeName = (name) => name.toLowerCase().replace(/[-_.]+/g, '-');
const PIN = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*===?\s*([^\s*,;]+)\s*(?:;.*)?$/;
const python_reuse_HASH = /\s--hash[=\s]\s*(\S+)/g;
/** Options a requirements file may hold that only say where packages come from. */
const SOURCE_OPTION = /^(?:-i|--index-url|--extra-index-url|--no-index|-f|--find-links|--trusted-host|--prefer-binary|--only-binary|--no-binary|--require-hashes)(?:[=\s]|$)/;
/**
 * The pins of a requirements file, or why it has something else (an include, an editable, a URL, an
 * unpinned requirement, a per-requirement option other than --hash).
 */
function pinnedRequirements(text) {
    const requirements = [];
    const options = [];
    for (const { text: line, number } of requirementLines(text)) {
        if (line.startsWith('-')) {
            if (!SOURCE_OPTION.test(line))
                return { reason: `line ${number} holds an option other than an index` };
            options.push(line);
            continue;
        }
        const hashes = [...line.matchAll(python_reuse_HASH)].map((m) => m[1]).sort();
        const spec = line.replace(python_reuse_HASH, '').trim();
        const pin = PIN.exec(spec);
        if (!pin || /\s--/.test(` ${spec}`))
            return { reason: `line ${number} is not name==version` };
        const extras = (pin[2] ?? '')
            .split(',')
            .map((e) => e.trim())
            .filter(Boolean);
        requirements.push({ name: normalizeName(pin[1]), version: pin[3], extras, hashes, text: line });
    }
    return { requirements, options, resolves: true };
}
/** The pins of a lock's export; undefined when it has path or git sources (installed without hashes). */
function pinnedLock(exported) {
    const requirements = [];
    for (const req of exported.requirements) {
        const pinned = req.version !== undefined && req.path === undefined && req.url === undefined;
        if (!pinned || req.hashes.length === 0)
            return undefined;
        const hashes = [...req.hashes].sort();
        requirements.push({
            name: normalizeName(req.name),
            version: req.version,
            extras: [],
            hashes,
            text: `${requirementSpec(req)} ${hashes.map((h) => `--hash=${h}`).join(' ')}`,
        });
    }
    return { requirements, options: [], resolves: false };
}
/** The pins to reuse and those left to install, given the last build's packages and zip entries. */
function planPythonReuse(list, cached, inZip) {
    const byPin = new Map(cached.map((dist) => [pinKey(dist), dist]));
    const reuse = [];
    const install = [];
    const files = new Set();
    for (const req of list.requirements) {
        const dist = byPin.get(pinKey(req));
        if (dist && dist.files.length > 0 && dist.files.every((file) => inZip.has(file))) {
            reuse.push(req);
            for (const file of dist.files)
                files.add(file);
        }
        else
            install.push(req);
    }
    return { reuse, install, files: [...files].sort() };
}
const pinKey = (pin) => JSON.stringify([normalizeName(pin.name), pin.version.toLowerCase(), [...pin.hashes].sort()]);
/** The requirements file for the packages left to install: the options, then their lines. */
function missingRequirements(list, install) {
    return [...list.options, ...install.map((req) => req.text)].map((line) => `${line}\n`).join('');
}
/**
 * The packages installed in `installDir` of the layer, each with the layer paths it owns (from its
 * RECORD, as pip's --target lays them out), matched to this build's pins for their hashes. A package
 * whose record is missing, or leads out of the install folder, is left out.
 */
async function installedDists(layerDir, installDir, list, inZip) {
    const root = external_node_path_.join(layerDir, installDir);
    const pins = new Map(list.requirements.map((req) => [`${req.name} ${req.version.toLowerCase()}`, req]));
    const dists = [];
    let names;
    try {
        names = await promises_.readdir(root);
    }
    catch {
        return [];
    }
    for (const folder of names.filter((name) => name.endsWith('.dist-info'))) {
        const metadata = (await packages_readText(external_node_path_.join(root, folder, 'METADATA'))) ?? '';
        const record = await packages_readText(external_node_path_.join(root, folder, 'RECORD'));
        const name = /^Name:\s*(.+)$/m.exec(metadata)?.[1]?.trim();
        const version = /^Version:\s*(.+)$/m.exec(metadata)?.[1]?.trim();
        if (!name || !version || !record)
            continue;
        const files = recordFiles(record, installDir);
        if (!files)
            continue;
        const pin = pins.get(`${normalizeName(name)} ${version.toLowerCase()}`);
        dists.push({
            name: normalizeName(name),
            version: pin?.version ?? version,
            hashes: pin?.hashes ?? [],
            files: files.filter((file) => inZip.has(file)),
        });
    }
    return dists;
}
/**
 * The layer paths a RECORD lists. pip writes them relative to the package folder of a `--home` install
 * (`lib/python/`), whose home becomes the target: `../../bin/f2py` is `bin/f2py` of the target.
 */
function recordFiles(record, installDir) {
    const files = [];
    for (const line of record.split(/\r?\n/)) {
        if (line === '')
            continue;
        const entry = line.startsWith('"')
            ? /^"((?:[^"]|"")*)"/.exec(line)?.[1]?.replaceAll('""', '"')
            : line.split(',')[0];
        if (!entry)
            return undefined;
        const inHome = external_node_path_.posix.normalize(`lib/python/${entry}`);
        if (inHome.startsWith('../') || external_node_path_.posix.isAbsolute(entry))
            return undefined;
        const inTarget = inHome.startsWith('lib/python/') ? inHome.slice('lib/python/'.length) : inHome;
        files.push(`${installDir}/${inTarget}`);
    }
    return files;
}

;// CONCATENATED MODULE: ./src/cache/npm-reuse.ts
/**
 * Which npm packages a build can take from the last build's layer instead of installing them again: a
 * package-lock.json entry (its path and every field: version, integrity, dependencies, flags) that the
 * last build installed. The packages left come as the tarballs the lock names, downloaded where npm would,
 * checked against the lock's integrity and unpacked where `npm ci` would put them
 * (src/smoke/npm-reuse.mjs). npm's own
 * record of the tree, node_modules/.package-lock.json, is written in the form the last build's npm
 * wrote it, which the last build showed this code reproduces byte for byte.
 *
 * Only what that covers exactly is fetched: a package with an install script, programs (`bin`), a
 * platform condition, bundled dependencies or an optional flag is installed by `npm ci` as always.
 */


const LAYER_ROOT = 'nodejs';
const HIDDEN_LOCK = 'node_modules/.package-lock.json';
/** The lock, or why it is not one this reuse reads. */
function readNpmLock(text) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        return { reason: 'is not JSON' };
    }
    const { packages, ...fields } = (parsed ?? {});
    // lockfileVersion 2 also keeps npm 6's `dependencies` tree, which npm's record of node_modules does not.
    const top = without(fields, 'dependencies');
    if (typeof top.lockfileVersion !== 'number' || top.lockfileVersion < 2 || !packages) {
        return { reason: 'has no `packages` list (lockfileVersion 1)' };
    }
    return { top, packages: packages };
}
const without = (value, field) => Object.fromEntries(Object.entries(value).filter(([name]) => name !== field));
/** The fields of package.json that npm records in the lock's root entry, and whose change it checks. */
const ROOT_FIELDS = [
    'dependencies',
    'devDependencies',
    'optionalDependencies',
    'peerDependencies',
    'bundleDependencies',
    'workspaces',
];
/**
 * Why `npm ci` might not take the lock as it is with this package.json (npm refuses a lock out of sync,
 * and reads overrides and workspaces its own way); undefined when package.json asks what the lock says.
 */
function outOfSync(manifest, lock) {
    if (manifest.overrides !== undefined)
        return 'package.json has overrides';
    const root = lock.packages[''] ?? {};
    const empty = (value) => value === undefined || (0,external_node_util_.isDeepStrictEqual)(value, {});
    const changed = ROOT_FIELDS.find((field) => !(empty(manifest[field]) && empty(root[field])) && !(0,external_node_util_.isDeepStrictEqual)(manifest[field], root[field]));
    return changed && `package.json's ${changed} are not the lock's: npm ci decides`;
}
/** The entries `npm ci --omit=dev` installs, unless npm skips them for the platform. */
const wanted = (lock) => Object.keys(lock.packages).filter((key) => key !== '' && !lock.packages[key].dev);
/** npm's order of lock paths (`localeCompare` in English, as @isaacs/string-locale-compare). */
const npmOrder = (a, b) => a.localeCompare(b, 'en');
/** node_modules/.package-lock.json as npm writes it for `installed`, in `form`. */
function renderHidden(lock, installed, form) {
    const packages = {};
    for (const key of [...installed].sort(npmOrder)) {
        const entry = lock.packages[key];
        packages[key] = form === 'as-locked' ? entry : without(entry, 'resolved');
    }
    return `${JSON.stringify({ ...lock.top, packages }, null, 2)}\n`;
}
/** The form npm wrote `text` in for this lock and tree; undefined when neither reproduces it exactly. */
function hiddenFormOf(text, lock, installed) {
    const forms = ['as-locked', 'without-resolved'];
    return forms.find((form) => renderHidden(lock, installed, form) === text);
}
/** The name a lock path installs (`node_modules/@s/x/node_modules/y` → `y`). */
const nameAt = (key) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
/** The node_modules folder a lock path is in (`node_modules/@s/x/node_modules/y` → `node_modules/@s/x/node_modules/`). */
const folderOf = (key) => key.slice(0, key.length - nameAt(key).length);
/** The programs an entry links into its folder's .bin, by name (npm's rule for a string `bin`). */
function binNames(key, entry) {
    if (typeof entry.bin === 'string')
        return [(entry.name ?? nameAt(key)).replace(/^@[^/]+\//, '')];
    return Object.keys(entry.bin ?? {});
}
/**
 * Which installed entry owns each file (or empty folder) of the layer (a package's files; a program in
 * a .bin folder, by the package that declares it), or why one has no single owner. npm's own record
 * and the manifest copies the build writes beside node_modules are nobody's.
 */
function ownersOf(paths, lock, installed, folders = false) {
    const owned = new Map([...installed].map((key) => [key, []]));
    const bins = new Map();
    for (const key of installed) {
        for (const bin of binNames(key, lock.packages[key])) {
            const at = `${folderOf(key)}.bin/${bin}`;
            bins.set(at, [...(bins.get(at) ?? []), key]);
        }
    }
    for (const file of paths) {
        if (!file.startsWith(`${LAYER_ROOT}/`))
            return { reason: `${file} is outside ${LAYER_ROOT}/` };
        const rel = file.slice(LAYER_ROOT.length + 1);
        if (!folders && (!rel.includes('/') || rel === HIDDEN_LOCK))
            continue; // manifest copies, npm's record
        const owner = ownerOf(rel, installed, bins);
        if (typeof owner !== 'string')
            return owner;
        owned.get(owner).push(file);
    }
    return owned;
}
function ownerOf(rel, installed, bins) {
    const parts = rel.split('/');
    let owner;
    let at = 0;
    while (parts[at] === 'node_modules' && at + 2 < parts.length) {
        if (parts[at + 1] === '.bin') {
            const providers = bins.get(parts.slice(0, at + 3).join('/')) ?? [];
            if (providers.length !== 1 || at + 3 !== parts.length) {
                return { reason: `${rel} is not the program of exactly one package` };
            }
            return providers[0];
        }
        const length = parts[at + 1].startsWith('@') ? 2 : 1;
        const key = parts.slice(0, at + 1 + length).join('/');
        if (!installed.has(key))
            break;
        owner = key;
        at += 1 + length;
    }
    return owner ?? { reason: `${rel} belongs to no package the lock installs` };
}
/** A lock path npm installs into: node_modules/<name> (scoped or not), nested any number of times. */
const PACKAGE_PATH = /^node_modules\/(?:@[^/.][^/]*\/)?[^/.@][^/]*(?:\/node_modules\/(?:@[^/.][^/]*\/)?[^/.@][^/]*)*$/;
/** What the last build's layer gives this build, and what npm still fetches; or why it cannot. */
function planNpmReuse(lock, cache, dists, inZip) {
    const filesOf = new Map(dists.map((dist) => [dist.name, dist.files]));
    const reuse = new Set();
    const toFetch = [];
    for (const key of wanted(lock)) {
        if (!PACKAGE_PATH.test(key))
            return { reason: `${key} is not a node_modules folder` };
        const entry = lock.packages[key];
        if ((0,external_node_util_.isDeepStrictEqual)(cache.skipped[key], entry))
            continue; // skipped again, as npm would
        const files = filesOf.get(key);
        const same = (0,external_node_util_.isDeepStrictEqual)(cache.installed[key], entry);
        if (same && files && files.length > 0 && files.every((file) => inZip.has(file)))
            reuse.add(key);
        else
            toFetch.push(key);
    }
    // A package fetched anew is unpacked as one folder: what the last build had inside it comes anew too.
    for (const key of [...reuse]) {
        if (toFetch.some((parent) => key.startsWith(`${parent}/`))) {
            reuse.delete(key);
            toFetch.push(key);
        }
    }
    const fetch = [];
    for (const key of toFetch.sort(npmOrder)) {
        const entry = lock.packages[key];
        const why = cannotFetch(entry);
        if (why)
            return { reason: `${key} ${why}` };
        fetch.push({ path: key, url: entry.resolved, integrity: entry.integrity });
    }
    const installed = [...reuse, ...toFetch];
    const programs = new Map();
    for (const key of installed) {
        for (const bin of binNames(key, lock.packages[key])) {
            const at = `${folderOf(key)}${bin}`;
            const other = programs.get(at);
            if (other)
                return { reason: `${key} and ${other} both link the program ${bin}` };
            programs.set(at, key);
        }
    }
    const files = [...reuse].flatMap((key) => filesOf.get(key)).sort();
    const folders = [];
    for (const key of reuse) {
        for (const folder of cache.folders[key] ?? []) {
            if (unsafePath(folder) !== undefined || !folder.startsWith(`${LAYER_ROOT}/${key}/`)) {
                return { reason: `the last build's index gives ${key} the folder ${folder} (corrupt cache?)` };
            }
            folders.push(folder);
        }
    }
    return { reuse: [...reuse].sort(npmOrder), files, folders, fetch, installed };
}
/** Why npm's tarball alone is not the package `npm ci` installs; undefined when it is. */
function cannotFetch(entry) {
    if (entry.link)
        return 'is a link to a folder';
    if (entry.hasInstallScript)
        return 'has an install script';
    if (entry.bin)
        return 'links programs (bin)';
    if (entry.os || entry.cpu || entry.libc)
        return 'is for some platforms only';
    if (entry.optional || entry.devOptional)
        return 'is optional (npm may skip it)';
    if (entry.inBundle || entry.bundleDependencies)
        return 'bundles dependencies';
    if (typeof entry.version !== 'string')
        return 'has no version';
    if (typeof entry.integrity !== 'string' || !/(^|\s)sha512-/.test(entry.integrity)) {
        return 'has no sha512 integrity';
    }
    // A lock written with omit-lockfile-registry-resolved leaves the URL to the registry's metadata.
    if (entry.resolved === undefined)
        return 'has no resolved URL';
    if (!/^https?:\/\/\S+\.tgz$/.test(entry.resolved))
        return 'does not come from a registry';
    return undefined;
}

;// CONCATENATED MODULE: ./src/steps/layer-cache.ts
/**
 * `cache: true` for a build whose every version is pinned (a Python lock or requirements file of exact
 * pins; an npm package-lock.json): the cache keeps the last build's layer itself — its zip and an
 * index of what the zip holds — rather than the tool's downloads. The next build with a changed pin
 * puts the unchanged packages back from that zip while pip installs, or npm fetches, only the changed
 * ones, then zips reusing the compressed bytes of every file that did not change. The result is the
 * layer a build from nothing makes, byte for byte; when the reuse cannot promise that, the build
 * installs everything, as without a cache.
 */














/** What the cache folder holds: the last layer's zip and this index of it. */
const ZIP = 'layer.zip';
const INDEX = 'index.json';
/** Bumped when the index's shape or meaning changes: an older cache is then not reused. */
const INDEX_VERSION = 2;
/**
 * Restores the last layer when `cache` is on and this build can reuse one; undefined otherwise.
 * `exported`: the build's Python lock, as the build step exported it.
 */
async function restoreLayerCache(inputs, exported) {
    if (inputs.cache === 'off' || inputs.zipFile !== undefined)
        return undefined;
    const pins = await pinsOf(inputs, exported);
    if (!pins)
        return undefined;
    const cache = await __webpack_require__.e(/* import() */ 31).then(__webpack_require__.bind(__webpack_require__, 5031));
    if (!cache.isFeatureAvailable())
        return undefined; // the download cache says so
    const folder = external_node_path_.join(inputs.tempDir, 'lambda-layer-release-cache', 'layer');
    await promises_.mkdir(folder, { recursive: true });
    const keys = await layerKeys(inputs);
    const started = Date.now();
    let restoredKey;
    try {
        restoredKey = await cache.restoreCache([folder], keys.key, keys.restoreKeys);
    }
    catch (error) {
        lib_core/* warning */.$e(`cache: could not restore ${keys.key}: ${error.message}`);
    }
    const index = restoredKey ? await readIndex(folder) : undefined;
    if (restoredKey && index) {
        const bytes = (await promises_.stat(external_node_path_.join(folder, ZIP))).size;
        lib_core/* info */.pq(`cache: restored the last build's layer (${megabytes(bytes)}) from ${restoredKey} in ` +
            `${((Date.now() - started) / 1000).toFixed(1)} s.`);
    }
    else
        lib_core/* info */.pq(`cache: no layer kept yet for ${keys.key}; this build's layer will be.`);
    const zipFile = external_node_path_.join(folder, ZIP);
    return {
        ...(index ? { zipReuse: { zipFile, index: index.zip } } : {}),
        // Putting back runs alongside the container; a failure there is answered by alongside.
        prepare: async (layerDir) => {
            if (!index)
                return undefined;
            const last = { index, zipFile, inZip: new Map(index.zip.entries.map((e) => [e.path, e])) };
            return pins.tool === 'pip' ? putBack(pins.list, last, layerDir) : putBackNpm(pins.lock, last, layerDir);
        },
        keep: async (layerDir, builtZip, zipIndex, tree) => {
            if (index && restoredKey === keys.key)
                return; // the same manifest: this layer is the one kept
            if (inputs.cache === 'restore-only') {
                lib_core/* info */.pq(NOT_SAVED_ON_A_PULL_REQUEST);
                return;
            }
            await promises_.rm(folder, { recursive: true, force: true });
            await promises_.mkdir(folder, { recursive: true });
            await promises_.copyFile(builtZip, external_node_path_.join(folder, ZIP));
            const inZip = new Set(zipIndex.entries.map((entry) => entry.path));
            const saved = {
                version: INDEX_VERSION,
                zip: zipIndex,
                ...(pins.tool === 'pip'
                    ? { dists: await installedDists(layerDir, inputs.runtime.installDir, pins.list, inZip) }
                    : await npmIndex(layerDir, pins.lock, inZip, tree)),
            };
            await promises_.writeFile(external_node_path_.join(folder, INDEX), JSON.stringify(saved));
            const bytes = (await promises_.stat(builtZip)).size;
            const pending = { path: folder, ledger: { key: keys.key, bytes }, what: 'the layer' };
            lib_core/* saveState */.LZ(SAVE_STATE, JSON.stringify(pending));
            lib_core/* info */.pq(`cache: this layer (${megabytes(bytes)}) is saved as ${keys.key} after the job's steps (post step).`);
        },
    };
}
/** This build's pins, when they can be reused: a Python lock or exact pins, or an npm lock. */
async function pinsOf(inputs, exported) {
    if (inputs.buildCommand !== undefined)
        return undefined;
    if (inputs.runtime.family === 'nodejs')
        return npmLockOf(inputs);
    if (inputs.runtime.family !== 'python')
        return undefined;
    // A layer installed again per Python version (native code for several) is not one install to reuse.
    const installDirs = inputs.compatibleRuntimes.map((id) => (0,src_runtimes/* findRuntime */.w4)(id)?.installDir);
    if (installDirs.some((dir) => dir !== undefined && dir !== inputs.runtime.installDir))
        return undefined;
    if (exported) {
        const list = pinnedLock(exported);
        return list && { tool: 'pip', list };
    }
    // pip resolves a requirements file in the container: for another architecture it cannot check the pins.
    if (inputs.crossInstall)
        return undefined;
    const text = await (0,host_guard/* readRepoFile */.v6)((0,host_guard/* workingRoot */.qW)(inputs), external_node_path_.join(inputs.workingDirectory, inputs.manifest));
    if (!text)
        return undefined;
    const list = pinnedRequirements(text.toString('utf8'));
    if ('reason' in list) {
        lib_core/* info */.pq(`cache: the download cache is kept instead of the layer: ${inputs.manifest} ${list.reason}.`);
        return undefined;
    }
    return { tool: 'pip', list };
}
/** The npm lock `npm ci` installs; undefined for pnpm, Yarn, Bun and a package.json without a lock. */
async function npmLockOf(inputs) {
    const { lock, packageManager } = inputs.manifestSource;
    if (!lock || packageManager.name !== 'npm')
        return undefined;
    const text = await (0,host_guard/* readRepoFile */.v6)((0,host_guard/* workingRoot */.qW)(inputs), external_node_path_.join(inputs.workingDirectory, lock.path));
    if (!text)
        return undefined;
    const read = readNpmLock(text.toString('utf8'));
    const manifest = await (0,host_guard/* readRepoFile */.v6)((0,host_guard/* workingRoot */.qW)(inputs), external_node_path_.join(inputs.workingDirectory, inputs.manifest));
    const fields = parsed(manifest?.toString('utf8'));
    const why = 'reason' in read
        ? `${lock.path} ${read.reason}`
        : fields
            ? outOfSync(fields, read)
            : `${inputs.manifest} is not JSON`;
    if (why || 'reason' in read) {
        lib_core/* info */.pq(`cache: the download cache is kept instead of the layer: ${why}.`);
        return undefined;
    }
    return { tool: 'npm', lock: read };
}
/**
 * Starts writing `files` of the last zip (and the empty `folders`) into the layer; the build container
 * runs meanwhile, and a failure is answered by alongside.
 */
function startPutBack(last, layerDir, files, folders = []) {
    const ready = (async () => {
        await extractIndexed(last.zipFile, files.map((file) => last.inZip.get(file)), layerDir);
        for (const folder of folders)
            await promises_.mkdir(external_node_path_.join(layerDir, folder), { recursive: true });
    })();
    ready.catch(() => undefined); // answered by alongside
    return ready;
}
/** Puts the reusable part of the last layer into `layerDir`; the rest is the tool's. */
async function putBack(list, last, layerDir) {
    const plan = planPythonReuse(list, last.index.dists, new Set(last.inZip.keys()));
    if (plan.reuse.length === 0)
        return undefined;
    const names = (reqs) => reqs.map((r) => `${r.name} ${r.version}`).join(', ');
    lib_core/* info */.pq(`cache: ${plan.reuse.length} of ${list.requirements.length} pinned packages come back from the last ` +
        `build (${names(plan.reuse)}); pip installs ${plan.install.length > 0 ? names(plan.install) : 'nothing'} meanwhile.`);
    const extras = Object.fromEntries(list.requirements.filter((r) => r.extras.length > 0).map((r) => [r.name, r.extras]));
    return {
        install: {
            tool: 'pip',
            requirements: missingRequirements(list, plan.install),
            plan: JSON.stringify({ resolves: list.resolves, extras }),
        },
        ready: startPutBack(last, layerDir, plan.files),
    };
}
/**
 * Puts the last layer's unchanged npm packages back while npm fetches the others
 * (src/smoke/npm-reuse.mjs); once both are done, checks each package's version and writes npm's
 * record of the tree as the last build's npm wrote it.
 */
async function putBackNpm(lock, last, layerDir) {
    const npm = last.index.npm;
    if (!npm)
        return undefined;
    const plan = planNpmReuse(lock, npm, last.index.dists, new Set(last.inZip.keys()));
    if ('reason' in plan) {
        lib_core/* info */.pq(`cache: npm installs every package: ${plan.reason}.`);
        return undefined;
    }
    if (plan.reuse.length === 0)
        return undefined;
    const fetched = plan.fetch.map((f) => `${nameAt(f.path)} ${lock.packages[f.path].version}`);
    lib_core/* info */.pq(`cache: ${plan.reuse.length} of ${plan.installed.length} npm packages come back from the last build; ` +
        `the build container downloads ${fetched.length > 0 ? fetched.join(', ') : 'nothing'} meanwhile.`);
    const root = external_node_path_.join(layerDir, LAYER_ROOT);
    return {
        install: { tool: 'npm', fetch: JSON.stringify(plan.fetch) },
        ready: startPutBack(last, layerDir, plan.files, plan.folders),
        finish: async () => {
            for (const key of plan.installed) {
                const want = lock.packages[key].version;
                const have = parsed(await packages_readText(external_node_path_.join(root, key, 'package.json')))?.version;
                if (have !== want)
                    return `${key} holds ${have ?? 'no package.json'}, not ${want}`;
            }
            await promises_.writeFile(external_node_path_.join(root, HIDDEN_LOCK), renderHidden(lock, plan.installed, npm.hidden));
            return undefined;
        },
    };
}
/** A JSON object's fields; undefined when the text is not one (npm ci then says what is wrong). */
function parsed(text) {
    try {
        return JSON.parse(text ?? '');
    }
    catch {
        return undefined;
    }
}
/**
 * What the next build needs to reuse this npm layer: each installed package's files and empty folders,
 * the entries npm skipped, and the form of npm's record; nothing to reuse when a file has no single
 * owner or the record is in a form this action does not write.
 */
async function npmIndex(layerDir, lock, inZip, tree) {
    const installed = wanted(lock).filter((key) => inZip.has(`${LAYER_ROOT}/${key}/package.json`));
    const keys = new Set(installed);
    const parents = new Set(tree.map((entry) => external_node_path_.posix.dirname(entry.path)));
    const empty = tree.filter((entry) => entry.type === 'dir' && !parents.has(entry.path)).map((e) => e.path);
    const files = ownersOf([...inZip], lock, keys);
    const folders = ownersOf(empty, lock, keys, true);
    const record = await packages_readText(external_node_path_.join(layerDir, LAYER_ROOT, HIDDEN_LOCK));
    const hidden = record === undefined ? undefined : hiddenFormOf(record, lock, installed);
    if ('reason' in files || 'reason' in folders || !hidden) {
        const why = 'reason' in files ? files.reason : 'reason' in folders ? folders.reason : undefined;
        lib_core/* info */.pq(`cache: the next build installs every npm package again: ` +
            `${why ?? `npm's record of the tree (${HIDDEN_LOCK}) is not in a form this action writes`}.`);
        return { dists: [] };
    }
    const pick = (from) => Object.fromEntries(from.map((key) => [key, lock.packages[key]]));
    const dists = installed.map((key) => ({
        name: key,
        version: lock.packages[key].version ?? '',
        hashes: [lock.packages[key].integrity ?? ''],
        files: files.get(key),
    }));
    const folderOf = Object.fromEntries([...folders].filter(([, list]) => list.length > 0));
    const skipped = wanted(lock).filter((key) => !keys.has(key));
    return { dists, npm: { installed: pick(installed), skipped: pick(skipped), hidden, folders: folderOf } };
}
/**
 * Runs the build container while the reused packages are still being put back: once they are (or
 * could not be), the file the container waits for is moved into the layer folder; it is gone again
 * when the container is done.
 */
async function alongside(layerDir, ready, container) {
    if (!ready)
        return container();
    const running = container();
    running.catch(() => undefined); // answered below, after the marker
    let state = 'ready';
    try {
        await ready;
    }
    catch (error) {
        lib_core/* warning */.$e(`cache: the last build's layer cannot be used: ${error.message}`);
        state = 'failed';
    }
    const marker = external_node_path_.join(layerDir, src_runtimes/* REUSE_READY */.jO);
    await promises_.writeFile(`${marker}.part`, state);
    await promises_.rename(`${marker}.part`, marker);
    try {
        return await running;
    }
    finally {
        await promises_.rm(marker, { force: true });
    }
}
/** Exact per build settings and manifest; any earlier layer of the same settings as a fallback. */
async function layerKeys(inputs) {
    const settings = (0,external_node_crypto_.createHash)('sha256')
        .update(JSON.stringify([
        INDEX_VERSION,
        BUILD_RECIPE_VERSION,
        inputs.buildImage,
        inputs.installArgs,
        inputs.crossInstall,
        inputs.trim,
        inputs.manifest,
        inputs.extras,
        inputs.groups,
    ]))
        .digest('hex')
        .slice(0, 16);
    const prefix = `lambda-layer-release-${inputs.runtime.id}-${inputs.architecture}-layer-${settings}-`;
    return { key: `${prefix}${await manifestHash(inputs)}`, restoreKeys: [prefix] };
}
async function readIndex(folder) {
    try {
        const index = JSON.parse(await promises_.readFile(external_node_path_.join(folder, INDEX), 'utf8'));
        await promises_.access(external_node_path_.join(folder, ZIP));
        return index.version === INDEX_VERSION && Array.isArray(index.zip?.entries) && Array.isArray(index.dists)
            ? index
            : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/layer/layout.ts

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
    const family = (0,src_runtimes/* familyOf */.Ap)(runtime);
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
    const pattern = (0,src_runtimes/* familyOf */.Ap)(runtime).versionedFolder;
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
    const roots = (0,src_runtimes/* familyOf */.Ap)(runtime).roots;
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
    const family = (0,src_runtimes/* familyOf */.Ap)(runtime);
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
    const match = (0,src_runtimes/* familyOf */.Ap)(runtimes[0]).versionedFolder?.exec(filePath);
    return match && !runtimes.some((runtime) => runtime.version === match[2]) ? `${match[1]}/` : undefined;
}
/**
 * The runtime's own version folder, when the layer has version folders but not this one, and nothing in
 * the folders every version reads (`python/` for a pure-Python layer): the runtime would find nothing.
 */
function missingVersionFolder(files, runtime) {
    const pattern = (0,src_runtimes/* familyOf */.Ap)(runtime).versionedFolder;
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
 * (a file in one version's folder is checked only against that version). `installedOn`: the machine a
 * cross-install ran on, when it is not the layer's architecture.
 */
async function checkNativeCode(layerDir, entries, runtimes, architecture, installedOn) {
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
        const variant = variantProblem(elf, elves, architecture, installedOn);
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
    const files = elves.map((elf) => nativeFile(elf, layer)).sort((a, b) => (a.path < b.path ? -1 : 1));
    return { elfFiles: elves.length, notes, files };
}
const MACHINE_IDS = {
    [EM.x86_64]: 'x86_64',
    [EM.aarch64]: 'arm64',
    [EM.i386]: 'i386',
    [EM.arm]: 'arm',
};
function nativeFile(elf, layer) {
    const glibc = newestNeeded(elf, layer).get('GLIBC');
    return {
        path: elf.path,
        type: elf.type === 'executable' ? 'executable' : 'shared',
        machine: MACHINE_IDS[elf.machine] ?? `elf-machine-${elf.machine}`,
        ...(glibc ? { glibc } : {}),
    };
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
function variantProblem(elf, elves, architecture, installedOn) {
    const fits = (other) => other.machine === MACHINE[architecture] && !isMusl(other);
    if (elf.machine !== MACHINE[architecture]) {
        const name = external_node_path_.posix.basename(elf.path);
        const tolerated = elves.some((other) => fits(other) && external_node_path_.posix.basename(other.path) === name);
        const nodePackage = nodePackageOf(elf.path);
        if (installedOn && installedOn !== architecture && elf.machine === MACHINE[installedOn] && nodePackage) {
            // npm, pnpm, Yarn and Bun choose prebuilt packages by platform, but an install script compiles
            // for the machine it runs on: the runner's, under cross-install.
            return {
                message: `is built for ${MACHINE_NAMES[elf.machine]}: package ${nodePackage} compiled it at install time on the ` +
                    `runner's ${installedOn} (cross-install), and an addon compiled during the install cannot target ` +
                    `${architecture}; build under emulation instead (cross-install: false), which compiles it in the ${architecture} build image`,
                tolerated,
            };
        }
        return {
            message: `is built for ${MACHINE_NAMES[elf.machine] ?? `ELF machine ${elf.machine}`}, but the layer is for ${architecture}: ` +
                `build it in the ${architecture} build image, or set architecture to the one it was built for`,
            tolerated,
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
        const shown = folder ? file.slice(folder.length + 1) : file;
        const owner = nodePackageOf(file);
        // A path that starts with the package names it already.
        return owner && !shown.startsWith(`${owner}/`) ? `${shown} (package ${owner})` : shown;
    };
}
// The innermost node_modules/<name> or node_modules/@scope/<name> holding a file.
const NODE_PACKAGE = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!(?:.*\/)?node_modules\/)/;
/** The Node.js package that brought a file (the one whose folder holds it), if any. */
function nodePackageOf(file) {
    return NODE_PACKAGE.exec(file)?.[1];
}
const VERSIONED = /^(GLIBC|GLIBCXX|CXXABI)_(\d+(?:\.\d+)+)$/;
/** The newest version of each kind the file needs that the layer does not bring itself. */
function newestNeeded(elf, layer) {
    const newest = new Map();
    for (const need of elf.versionNeeds) {
        for (const version of need.versions) {
            const match = VERSIONED.exec(version);
            if (!match || layer.defines(need.file, version))
                continue;
            const kind = match[1];
            const current = newest.get(kind);
            if (current === undefined || native_compareVersions(match[2], current) > 0)
                newest.set(kind, match[2]);
        }
    }
    return newest;
}
function versionProblems(elf, runtimes, layer) {
    const newest = newestNeeded(elf, layer);
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
            if (native_compareVersions(version, limit) <= 0)
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
function native_compareVersions(a, b) {
    const x = a.split('.').map(Number);
    const y = b.split('.').map(Number);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const difference = (x[i] ?? 0) - (y[i] ?? 0);
        if (difference !== 0)
            return difference;
    }
    return 0;
}

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
    for (const entry of await trim_walk(layerDir)) {
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
async function trim_walk(root, relative = '') {
    const found = [];
    const dirents = await promises_.readdir(external_node_path_.join(root, relative), { withFileTypes: true });
    for (const dirent of dirents.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const entryPath = relative ? `${relative}/${dirent.name}` : dirent.name;
        found.push({ path: entryPath, dir: dirent.isDirectory() });
        if (dirent.isDirectory())
            found.push(...(await trim_walk(root, entryPath)));
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
    for (const entry of await trim_walk(target)) {
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

// EXTERNAL MODULE: ./node_modules/npm-install-checks/lib/index.js
var npm_install_checks_lib = __webpack_require__(919);
;// CONCATENATED MODULE: ./src/layer/platform-packages.ts
/**
 * Packages for another platform in a Node.js layer. npm, pnpm and Yarn install one build of a native
 * package per platform as optional dependencies whose package.json declares `os`, `cpu` and `libc`;
 * an older package manager (npm before 10.4 ignores `libc`) leaves the others in node_modules, where
 * Node.js never loads them on Lambda (linux, glibc, the layer's architecture). They are dropped from
 * the layer, each named in the log; whatever the target does load is still checked by native.ts.
 */



/** Lambda as npm describes a platform (process.platform, process.arch, npm's libc family). */
const TARGET_CPU = { x86_64: 'x64', arm64: 'arm64' };
// node_modules/<name>/package.json or node_modules/@scope/<name>/package.json, at any depth.
const PACKAGE_JSON = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;
/**
 * Removes from `layerDir` every installed package whose `os`, `cpu` or `libc` the target does not
 * match, with npm's own rules (npm-install-checks); answers what it removed, by folder.
 */
async function dropOtherPlatformPackages(layerDir, entries, architecture) {
    const target = { os: 'linux', cpu: TARGET_CPU[architecture], libc: 'glibc' };
    const dropped = [];
    // Outermost first: a dropped package takes the packages nested in its own node_modules with it.
    const manifests = entries
        .filter((entry) => entry.type === 'file' && PACKAGE_JSON.test(entry.path))
        .sort((a, b) => a.path.split('/').length - b.path.split('/').length);
    for (const entry of manifests) {
        const folder = external_node_path_.posix.dirname(entry.path);
        if (dropped.some((d) => folder.startsWith(`${d.folder}/`)))
            continue;
        const manifest = platformFields(await readManifest(external_node_path_.join(layerDir, entry.path)));
        if (!manifest || !fitsNot(manifest, target))
            continue;
        await promises_.rm(external_node_path_.join(layerDir, folder), { recursive: true, force: true });
        dropped.push({
            name: `${typeof manifest.name === 'string' ? manifest.name : external_node_path_.posix.basename(folder)}` +
                `${typeof manifest.version === 'string' ? `@${manifest.version}` : ''}`,
            folder,
            declares: ['os', 'cpu', 'libc']
                .filter((field) => manifest[field] !== undefined && fitsNot({ [field]: manifest[field] }, target))
                .map((field) => `${field} ${[manifest[field]].flat().join(', ')}`)
                .join('; '),
        });
    }
    return dropped.sort((a, b) => (a.folder < b.folder ? -1 : 1));
}
/** The manifest with only the platform fields npm can read (a string or a list of strings). */
function platformFields(manifest) {
    if (!manifest)
        return undefined;
    const valid = (value) => typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    const fields = ['os', 'cpu', 'libc'].filter((field) => valid(manifest[field]));
    return {
        name: manifest.name,
        version: manifest.version,
        ...Object.fromEntries(fields.map((f) => [f, manifest[f]])),
    };
}
function fitsNot(manifest, target) {
    try {
        (0,npm_install_checks_lib.checkPlatform)(manifest, false, target);
        return false;
    }
    catch (error) {
        if (error.code === 'EBADPLATFORM')
            return true;
        throw error;
    }
}
async function readManifest(file) {
    try {
        const parsed = JSON.parse(await promises_.readFile(file, 'utf8'));
        return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
    }
    catch {
        // Not a package manifest npm could read either: npm would not have skipped it, nor do we.
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/steps/build.ts
/**
 * Build step: installs the layer's dependencies inside the Lambda build image, checks the folder
 * layout, and writes a deterministic zip. With `zip-file`, reads and checks that zip instead.
 */




















/** Lambda's limit for a zip uploaded directly in the API request; larger ones go through S3. */
const MAX_DIRECT_UPLOAD_BYTES = 50 * 1024 * 1024;
async function buildLayer(inputs, deps) {
    const work = await freshDir((0,src_inputs/* workDirOf */.sQ)(inputs));
    const layerDir = external_node_path_.join(work, 'layer');
    await promises_.mkdir(layerDir);
    const zipFile = external_node_path_.join(work, `${inputs.layerName}.zip`);
    if (inputs.zipFile) {
        lib_core/* info */.pq(`Using the given zip ${inputs.zipFile}; nothing is built.`);
        const hashes = await extractZip(inputs.zipFile, layerDir);
        await (0,host_guard/* guardLayerTree */.f0)(layerDir, `extracting ${external_node_path_.basename(inputs.zipFile)}`);
        const dropped = await dropOtherPlatforms(inputs, layerDir);
        const { layout, packages, nativeFiles } = await inspect(layerDir, inputs);
        const zip = await givenZip(inputs.zipFile, zipFile, layerDir, hashes, dropped.length > 0);
        return finish({
            ...zip,
            layerDir,
            layout,
            packages,
            nativeFiles,
            contentHash: contentHash(zip.treeHash, inputs, ''),
            given: true,
            ...(dropped.length > 0 ? { dropped } : {}),
        });
    }
    // Before any container: a Python lock is read (and a stale one refused); which tool installs a pnpm,
    // Yarn or Bun lock, and whether it can.
    const lock = await lockedRequirements(inputs);
    const locked = lock?.locked;
    const lockInstall = lockInstallOf(inputs);
    const engine = await checkDockerEngine(deps.exec);
    const architecture = buildArchitecture(inputs);
    lib_core/* info */.pq(`Docker engine ${engine.version} (${engine.architecture ?? 'unknown architecture'}); ` +
        `building in ${inputs.buildImage} (${architecture}` +
        `${architecture === inputs.architecture ? '' : `, installing for ${inputs.architecture}`}).`);
    lib_core/* info */.pq(inputs.buildCommand === undefined
        ? (0,detect/* describeSource */.B6)(inputs.manifestSource)
        : `build-command installs (the manifest ${inputs.manifest} is only read for the build key).`);
    await checkEmulation(inputs, deps, engine);
    // A pinned Python build keeps its last layer; any other keeps the tool's downloads.
    const layerCache = await restoreLayerCache(inputs, lock?.exported);
    const downloads = layerCache ? undefined : await restoreDownloadCache(inputs);
    if (lockInstall)
        refuseToolOffline(inputs, lockInstall, downloads);
    const buildStarted = Date.now();
    await install(inputs, deps, { work, layerDir, downloads, layerCache }, { locked, lockInstall });
    const buildImages = [
        inputs.buildImage,
        ...(await buildOtherVersions(inputs, deps, work, layerDir, downloads, locked)),
    ];
    await downloads?.keep(buildStarted); // the post step saves it, after the release
    const dropped = await dropOtherPlatforms(inputs, layerDir);
    const trim = inputs.trim ? await trimTree(inputs, deps, layerDir) : undefined;
    const { layout, packages, nativeFiles, tree } = await inspect(layerDir, inputs);
    const { index, reused, ...zip } = await writeDeterministicZip(layerDir, zipFile, {
        reuse: layerCache?.zipReuse,
    });
    if (reused.files > 0) {
        lib_core/* info */.pq(`Zip: ${reused.files} unchanged files (${mb(reused.bytes)}) keep their compressed bytes from the last build's zip.`);
    }
    else if (reused.skipped)
        lib_core/* info */.pq(`Zip: nothing taken from the last build's zip: ${reused.skipped}.`);
    await layerCache?.keep(layerDir, zip.file, index, tree);
    return finish({
        ...zip,
        zipFile,
        layerDir,
        layout,
        packages,
        nativeFiles,
        contentHash: contentHash(zip.treeHash, inputs, buildImages.join(' ')),
        given: false,
        ...(trim ? { trim } : {}),
        ...(dropped.length > 0 ? { dropped } : {}),
    });
}
/**
 * The build container, with the last build's unchanged packages put back alongside when the layer
 * cache has them; when they cannot be reused after all, the layer is installed again from nothing.
 */
async function install(inputs, deps, where, prepared) {
    const { work, layerDir, downloads } = where;
    const reuse = await where.layerCache?.prepare(layerDir);
    const reused = { ...prepared, ...(reuse ? { reuse: reuse.install } : {}) };
    const outcome = await alongside(layerDir, reuse?.ready, () => runBuildContainer(inputs, deps, work, layerDir, downloads, reused));
    const unfinished = outcome === 'built' ? await reuse?.finish?.() : 'the line above says why';
    if (unfinished === undefined)
        return;
    lib_core/* info */.pq(`cache: the last build's packages cannot be reused here (${unfinished}); installing all.`);
    await freshDir(layerDir);
    await runBuildContainer(inputs, deps, work, layerDir, downloads, prepared);
}
/**
 * A given zip is published as the user's bytes, hashed as a rebuilt zip would be (from the hashes
 * taken while extracting); only when packages were dropped from it is it written anew.
 */
async function givenZip(given, zipFile, layerDir, hashes, changed) {
    if (changed) {
        const { file, ...zip } = await writeDeterministicZip(layerDir, zipFile);
        lib_core/* info */.pq(`The given zip is written anew without the dropped packages: ${file}`);
        return { ...zip, zipFile: file };
    }
    const tree = await summarizeTree(layerDir, hashes);
    await promises_.copyFile(given, zipFile);
    return {
        ...tree,
        zipFile,
        zipSize: (await promises_.stat(zipFile)).size,
        codeSha256: await fileSha256(zipFile, 'base64'),
    };
}
/** Node.js packages for another platform that an older package manager left: never loaded on Lambda. */
async function dropOtherPlatforms(inputs, layerDir) {
    if (inputs.runtime.family !== 'nodejs')
        return [];
    const dropped = await dropOtherPlatformPackages(layerDir, await listTree(layerDir), inputs.architecture);
    for (const { name, folder, declares } of dropped) {
        lib_core/* info */.pq(oneLine(`Dropped ${name} (${folder}): it is for ${declares}, and Lambda (linux, ${inputs.architecture}, glibc) ` +
            "never loads it; a package manager that ignores package.json's os, cpu and libc installed it"));
    }
    return dropped;
}
/** Says before building, not halfway, when this runner cannot run an image the run needs. */
async function checkEmulation(inputs, deps, engine) {
    await checkArchitecture(deps.exec, engine, inputs.buildImage, buildArchitecture(inputs), 'the build');
    for (const other of otherVersions(inputs)) {
        const image = (0,src_runtimes/* defaultBuildImage */.$Y)(other, buildArchitecture(inputs), inputs.imageRegistry);
        await checkArchitecture(deps.exec, engine, image, buildArchitecture(inputs), `the build for ${other.id}`);
    }
    if (inputs.steps.includes('smoke-test')) {
        for (const runtime of declaredRuntimes(inputs)) {
            const image = smokeImageFor(inputs, runtime);
            await checkArchitecture(deps.exec, engine, image, inputs.architecture, `the smoke test of ${runtime.id}`);
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
async function buildOtherVersions(inputs, deps, work, layerDir, downloads, locked) {
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
        await runBuildContainer({ ...inputs, runtime: other, buildImage: image }, deps, work, layerDir, downloads, { locked });
        images.push(image);
    }
    return images;
}
/** Moves an install without ELF files from `installDir` to `shared`; false (and nothing moved) otherwise. */
async function movePureInstall(layerDir, installDir, shared) {
    const from = external_node_path_.join(layerDir, installDir);
    const to = external_node_path_.join(layerDir, shared);
    if (await hasNativeCode(from, await listTree(from)))
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
            const args = runArgs({
                image: inputs.buildImage,
                architecture,
                mounts: [{ host: layerDir, container: src_runtimes/* CONTAINER_LAYER */.gs }],
                user: currentUser(),
                network: 'none',
                entrypoint: 'strip',
                command: ['--strip-debug', ...files.slice(start, start + 200).map((f) => `${src_runtimes/* CONTAINER_LAYER */.gs}/${f}`)],
            });
            const output = await writesLayer(layerDir, `strip in ${inputs.buildImage}`, () => deps.exec('docker', args, { ignoreReturnCode: true, silent: true }));
            if (output.exitCode !== 0) {
                return `strip --strip-debug failed in ${inputs.buildImage} (exit code ${output.exitCode}): ${tail(output.stderr, 3)}`;
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
async function inspect(layerDir, inputs) {
    const entries = await listTree(layerDir);
    // Before the tree is zipped (or a given zip hashed): an oversized build fails in seconds.
    refuseOversize(entries.reduce((sum, entry) => sum + entry.size, 0));
    const layout = checkLayout(entries, inputs.runtime, declaredRuntimes(inputs));
    const packages = await listPackages(inputs.runtime.family, layerDir, layout.modulePaths);
    lib_core/* info */.pq(`Layout:\n${layout.outline.map((line) => `  ${oneLine(line)}`).join('\n')}`);
    const runtimes = declaredRuntimes(inputs);
    const native = await checkNativeCode(layerDir, entries, runtimes, inputs.architecture, inputs.crossInstall ? buildArchitecture(inputs) : undefined);
    for (const note of native.notes)
        lib_core/* info */.pq(oneLine(`Native code: ${note}`));
    if (native.elfFiles > 0) {
        lib_core/* info */.pq(`Native code: ${native.elfFiles} ELF file(s) fit ${inputs.architecture} and ` +
            `${runtimes.map((r) => r.id).join(', ')} (glibc, libstdc++ and libraries).`);
    }
    return { layout, packages, nativeFiles: native.files, tree: entries };
}
/** The runtimes that will load the layer: the one it is built for and every compatible one. */
function declaredRuntimes(inputs) {
    const ids = new Set([inputs.runtime.id, ...inputs.compatibleRuntimes]);
    return [...ids].map((id) => (0,src_runtimes/* findRuntime */.w4)(id)).filter((r) => r !== undefined);
}
function refuseOversize(unzippedSize) {
    if (unzippedSize > MAX_UNZIPPED_BYTES) {
        throw new Error(`The layer is ${mb(unzippedSize)} unzipped; Lambda allows at most ${mb(MAX_UNZIPPED_BYTES)} ` +
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

;// CONCATENATED MODULE: ./src/steps/comment.ts
/**
 * Comment step: puts the run's report where a reviewer looks — on the pull request for pull request
 * events, else on the commit (GITHUB_SHA). A hidden marker per layer lets a re-run find its own comment
 * and update it, so a commit or pull request carries one comment per layer however often it runs.
 * Only a comment written by the token's own identity counts as ours: anyone can paste the marker into
 * a comment, and the action must never edit what someone else wrote.
 * The comment is a courtesy: a failure here is a warning, never a failed release.
 */


/** GitHub refuses comment bodies longer than this. */
const MAX_COMMENT_LENGTH = 65_536;
function commentMarker(layerName) {
    return `<!-- lambda-layer-release:${layerName} -->`;
}
/** The marker, then the report, cut to GitHub's limit (a long package table must not lose the comment). */
function commentBody(layerName, body) {
    const text = `${commentMarker(layerName)}\n${body}`;
    if (text.length <= MAX_COMMENT_LENGTH)
        return text;
    const note = '\n\n… (cut to fit GitHub’s comment limit; the job summary has everything)';
    return text.slice(0, MAX_COMMENT_LENGTH - note.length) + note;
}
async function postComment(inputs, body, context, 
/** Aborts the requests (a cancelled run's deadline): the comment then is a warning, not a hang. */
signal) {
    const target = context.pullRequestNumber === undefined ? 'commit' : 'pull-request';
    const fail = (warning) => {
        lib_core/* warning */.$e(warning, { title: 'Comment not posted' });
        return { target, action: 'failed', warning };
    };
    if (!inputs.githubToken)
        return fail('No github-token: the report was not posted as a comment.');
    lib_core/* setSecret */.Pq(inputs.githubToken);
    if (!context.repository || (target === 'commit' && !context.sha)) {
        return fail('GITHUB_REPOSITORY or GITHUB_SHA is not set: there is no commit to comment on.');
    }
    const octokit = await (0,github/* githubClient */.$f)(inputs.githubToken, context.apiUrl, signal);
    const thread = threadFor(octokit, context);
    const marker = commentMarker(inputs.layerName);
    try {
        const existing = await findComment(thread, marker, await tokenLogin(octokit));
        if (inputs.dryRun) {
            lib_core/* info */.pq(`dry-run: would ${existing ? `update ${existing.html_url}` : `comment on ${thread.title}`}.`);
            return { target, action: 'planned', ...(existing ? { url: existing.html_url } : {}) };
        }
        const text = commentBody(inputs.layerName, body);
        const { data } = existing ? await thread.update(existing.id, text) : await thread.create(text);
        lib_core/* info */.pq(`${existing ? 'Updated' : 'Posted'} the report on ${thread.title}: ${data.html_url}`);
        return { target, action: existing ? 'updated' : 'created', url: data.html_url };
    }
    catch (error) {
        return fail(explain(error, target, thread.title, context));
    }
}
/** Who comments with GITHUB_TOKEN (and any GitHub App installation token without its own slug). */
const ACTIONS_BOT_LOGIN = 'github-actions[bot]';
/**
 * The login the token comments as. A personal or user token can ask GET /user; an installation token
 * (GITHUB_TOKEN) may not (403) and always comments as github-actions[bot].
 */
async function tokenLogin(octokit) {
    try {
        return (await octokit.rest.users.getAuthenticated()).data.login;
    }
    catch (error) {
        if (error.status !== 403)
            throw error;
        return ACTIONS_BOT_LOGIN;
    }
}
function threadFor(octokit, context) {
    const { owner, repo } = context.repository;
    const number = context.pullRequestNumber;
    const perPage = 100; // GitHub's maximum: fewest requests on a busy commit or pull request
    if (number !== undefined) {
        const issue = { owner, repo, issue_number: number };
        return {
            title: `pull request #${number} in ${owner}/${repo}`,
            pages: () => octokit.paginate.iterator(octokit.rest.issues.listComments, { ...issue, per_page: perPage }),
            create: (body) => octokit.rest.issues.createComment({ ...issue, body }),
            update: (id, body) => octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body }),
        };
    }
    const commit = { owner, repo, commit_sha: context.sha };
    return {
        title: `commit ${context.sha.slice(0, 7)} in ${owner}/${repo}`,
        pages: () => octokit.paginate.iterator(octokit.rest.repos.listCommentsForCommit, { ...commit, per_page: perPage }),
        create: (body) => octokit.rest.repos.createCommitComment({ ...commit, body }),
        update: (id, body) => octokit.rest.repos.updateCommitComment({ owner, repo, comment_id: id, body }),
    };
}
/** Walks the pages only until this layer's comment, written by `login`, turns up. */
async function findComment(thread, marker, login) {
    for await (const page of thread.pages()) {
        for (const comment of page.data.filter((c) => c.body?.includes(marker))) {
            const author = comment.user?.login ?? '(unknown)';
            if (author.toLowerCase() === login.toLowerCase())
                return comment;
            lib_core/* info */.pq(`Ignoring ${comment.html_url}: it carries this layer's marker but was written by ${author}, not ${login}.`);
        }
    }
    return undefined;
}
/** What went wrong and what to change; GitHub's own message is kept, the token never appears. */
function explain(error, target, title, context) {
    const e = error;
    // Octokit reports a request that never got an answer as status 500 without a response: say what failed.
    if (e.response === undefined)
        return `Could not comment on ${title}: ${networkFailure(e, context.apiUrl)}.`;
    const permission = target === 'commit' ? 'contents: write' : 'pull-requests: write';
    const answer = `GitHub answered ${e.status} (${e.message.split(' - ')[0]})`;
    switch (e.status) {
        case 401:
            return `Could not comment on ${title}: ${answer}; the github-token is invalid or expired.`;
        case 403:
            return (`Could not comment on ${title}: ${answer}; give the job \`permissions: ${permission}\`` +
                (target === 'pull-request' ? ' (a pull request from a fork gets a read-only token)' : '') +
                '.');
        case 404:
            return (`Could not comment on ${title}: ${answer}; the token cannot see it (it needs \`${permission}\`), ` +
                `or GITHUB_API_URL (${context.apiUrl}) is not this repository's API.`);
        default:
            return `Could not comment on ${title}: ${e.status === undefined ? e.message : answer}.`;
    }
}
/** The cause of a request that got no HTTP answer (DNS, refused, TLS, timeout), never an invented status. */
function networkFailure(error, apiUrl) {
    const codes = [];
    for (let e = error; e instanceof Error; e = e.cause) {
        const code = e.code;
        if (typeof code === 'string')
            codes.push(code);
        if (e.name === 'AbortError' || e.name === 'TimeoutError')
            codes.push('TIMEOUT');
    }
    const host = URL.canParse(apiUrl) ? new URL(apiUrl).host : apiUrl;
    const code = codes[0];
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        return `the DNS lookup of ${host} failed (${code})`;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET')
        return `the connection to ${host} failed (${code})`;
    if (code && /TIMEOUT|ETIMEDOUT/.test(code))
        return `the request to ${host} timed out (${code})`;
    if (code && /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
        return `TLS with ${host} failed (${code})`;
    // No cause to name: keep the client's message, without anything that could be the token.
    return `no answer from ${host} (${error.message.replace(/(token|bearer)\s+\S+/gi, '$1 ***')})`;
}

;// CONCATENATED MODULE: ./src/aws/arn.ts
/**
 * Layer ARNs compared as Lambda compares them: exactly, field by field, never by substring
 * (`data-science-layer` is not `data-science-layer-v2`, nor the same name in another account or region).
 */
const LAYER_VERSION_ARN = /^arn:(aws[a-zA-Z-]*):lambda:([a-z0-9-]+):(\d{12}):layer:([a-zA-Z0-9_-]+):(\d+)$/;
function parseLayerVersionArn(arn) {
    const match = LAYER_VERSION_ARN.exec(arn);
    if (!match)
        return undefined;
    const [, partition, region, account, name, version] = match;
    return { partition, region, account, name, version: Number(version) };
}
/** `arn:aws:lambda:us-east-1:123456789012:layer:name:7` → `arn:aws:lambda:us-east-1:123456789012:layer:name` */
function layerArnOf(layerVersionArn) {
    return layerVersionArn.replace(/:\d+$/, '');
}
/** True when `layerVersionArn` is a version of exactly the layer `layerArn` (ARN without version). */
function isVersionOf(layerVersionArn, layerArn) {
    return parseLayerVersionArn(layerVersionArn) !== undefined && layerArnOf(layerVersionArn) === layerArn;
}

;// CONCATENATED MODULE: ./src/sbom/upload.ts
/**
 * With s3-bucket, the SBOM goes next to the zip: `<key of the zip without .zip>.cdx.json`, in the same
 * bucket. It is a record for people and scanners, not part of the release: a failed upload is a warning.
 */



async function uploadSbom(deps, region, bucket, zipKey, file) {
    const key = `${zipKey.replace(/\.zip$/, '')}.cdx.json`;
    try {
        const { PutObjectCommand } = await __webpack_require__.e(/* import() */ 711).then(__webpack_require__.t.bind(__webpack_require__, 3711, 19)); // with S3: only for `s3-bucket`
        const client = await deps.s3(region);
        await client.send(new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: await promises_.readFile(file),
            ContentType: 'application/vnd.cyclonedx+json',
        }));
        lib_core/* info */.pq(`${region}: uploaded the SBOM to s3://${bucket}/${key}`);
    }
    catch (error) {
        lib_core/* warning */.$e(`${region}: could not upload the SBOM to s3://${bucket}/${key}: ${oneLine(error.message)}. ` +
            'The layer is published all the same; the SBOM is still the `sbom` output.', { title: 'SBOM' });
    }
}

;// CONCATENATED MODULE: ./src/steps/publish.ts
/**
 * Publish step: a new layer version in every region — unless the newest version already has this
 * exact content, in which case that version is used and nothing is published (re-runs are no-ops).
 * Zips over 50 MB (or any zip, with s3-bucket) go through S3 in the same region.
 */









const MAX_DESCRIPTION = 256;
/** Regions published at the same time: each is a handful of calls, mostly the upload. */
const REGION_CONCURRENCY = 4;
/**
 * The description ends with the build key (a pinned build) and the content hash, so a later run can
 * recognise this content, before building (src/steps/build-key.ts) or after.
 */
function layerDescription(inputs, artifact) {
    const marker = `${artifact.buildKey ? buildKeyMarker(artifact.buildKey) : ''} sha256:${artifact.contentHash}`;
    const text = inputs.description ?? (pinnedList(inputs.runtime.family, artifact.packages) || inputs.layerName);
    const room = MAX_DESCRIPTION - marker.length;
    return `${text.length > room ? `${text.slice(0, room - 1)}…` : text}${marker}`;
}
async function publish(inputs, artifact, deps) {
    const viaS3 = inputs.s3Bucket !== undefined || artifact.zipSize > MAX_DIRECT_UPLOAD_BYTES;
    if (viaS3 && inputs.s3Bucket === undefined) {
        throw new Error(`The layer zip is ${mb(artifact.zipSize)}; Lambda accepts at most ${mb(MAX_DIRECT_UPLOAD_BYTES)} in a direct ` +
            'upload. Set s3-bucket to a bucket in each region (e.g. my-artifacts-{region}) to publish through S3.');
    }
    const { results: layers, failures } = await inEachRegion(inputs.regions, (region) => publishInRegion(inputs, artifact, deps, region), { concurrency: REGION_CONCURRENCY });
    for (const failure of failures)
        lib_core/* error */.z3(`${failure.region}: ${failure.error}`, { title: 'Publish failed' });
    return { layers, failures };
}
/** Uses the versions found unchanged before the build (by build key): shares them, publishes nothing. */
async function reuseVersions(inputs, versions, deps) {
    const { results: layers, failures } = await inEachRegion(versions.map((v) => v.region), async (region) => {
        const { layerVersionArn, version } = versions.find((v) => v.region === region);
        lib_core/* info */.pq(`${region}: using version ${version}, built from the same inputs; nothing published.`);
        const sharedWith = await share(deps.lambda(region), inputs, layerVersionArn, version, region, true);
        return {
            region,
            ...versionFields(layerVersionArn),
            published: false,
            planned: inputs.dryRun,
            sharedWith,
        };
    }, { concurrency: REGION_CONCURRENCY });
    for (const failure of failures)
        lib_core/* error */.z3(`${failure.region}: ${failure.error}`, { title: 'Publish failed' });
    return { layers, failures };
}
async function publishInRegion(inputs, artifact, deps, region) {
    const lambda = deps.lambda(region);
    const description = layerDescription(inputs, artifact);
    const newest = await publish_newestVersion(lambda, inputs.layerName);
    if (newest && inputs.skipUnchanged) {
        const unchanged = await sameContent(lambda, inputs, artifact, newest.version, newest.description);
        if (unchanged) {
            lib_core/* info */.pq(`${region}: version ${newest.version} already has this content; nothing published.`);
            const sharedWith = await share(lambda, inputs, newest.arn, newest.version, region, true);
            return { region, ...versionFields(newest.arn), published: false, planned: inputs.dryRun, sharedWith };
        }
    }
    if (inputs.dryRun) {
        const version = (newest?.version ?? 0) + 1;
        const layerArn = newest ? layerArnOf(newest.arn) : `(new layer ${inputs.layerName})`;
        lib_core/* info */.pq(`${region}: dry-run, would publish version ${version}.`);
        return {
            region,
            layerArn,
            layerVersionArn: `${layerArn}:${version}`,
            version,
            published: true,
            planned: true,
            sharedWith: inputs.shareWith,
            previousVersion: newest?.version,
        };
    }
    const content = await uploadContent(inputs, artifact, deps, region);
    const published = await lambda.send(new dist_cjs/* PublishLayerVersionCommand */.cl_({
        LayerName: inputs.layerName,
        Description: description,
        Content: content,
        LicenseInfo: inputs.licenseInfo,
        CompatibleRuntimes: inputs.compatibleRuntimes,
        CompatibleArchitectures: [inputs.architecture],
    }));
    if (published.Content?.CodeSha256 && published.Content.CodeSha256 !== artifact.codeSha256) {
        throw new Error(`Lambda reports CodeSha256 ${published.Content.CodeSha256} for version ${published.Version}, ` +
            `but the zip has ${artifact.codeSha256}: the upload was altered.`);
    }
    const arn = published.LayerVersionArn;
    lib_core/* info */.pq(`${region}: published ${arn}`);
    const sharedWith = await share(lambda, inputs, arn, published.Version, region, false);
    return {
        region,
        ...versionFields(arn),
        published: true,
        planned: false,
        sharedWith,
        previousVersion: newest?.version,
    };
}
/**
 * The version with the highest number. Lambda lists newest first and honours MaxItems, so one call
 * with MaxItems 1 answers it. Emulators (moto) ignore MaxItems and list oldest first: when a page holds
 * more than the one asked for, every page is searched, for as long as there is a NextMarker.
 */
async function publish_newestVersion(lambda, layerName) {
    try {
        let newest;
        for await (const page of (0,dist_cjs/* paginateListLayerVersions */.Y9l)({ client: lambda, pageSize: 1, stopOnSameToken: true }, { LayerName: layerName })) {
            const items = page.LayerVersions ?? [];
            for (const item of items)
                if ((item.Version ?? 0) > (newest?.Version ?? 0))
                    newest = item;
            if (items.length <= 1)
                break;
        }
        return (newest && {
            arn: newest.LayerVersionArn,
            version: newest.Version,
            description: newest.Description ?? '',
        });
    }
    catch (error) {
        if (error.name === 'ResourceNotFoundException')
            return undefined;
        throw error;
    }
}
/**
 * Same zip bytes, same content hash, same declared runtimes, architecture and license. An unset field
 * and an empty one are the same: emulators answer `""` and `[]` (or null) where Lambda leaves them out.
 */
async function sameContent(lambda, inputs, artifact, version, description) {
    if (!description.includes(`sha256:${artifact.contentHash}`))
        return false;
    const existing = await lambda.send(new dist_cjs/* GetLayerVersionCommand */.VK5({ LayerName: inputs.layerName, VersionNumber: version }));
    return (existing.Content?.CodeSha256 === artifact.codeSha256 &&
        sameSet(existing.CompatibleRuntimes, inputs.compatibleRuntimes) &&
        sameSet(existing.CompatibleArchitectures, [inputs.architecture]) &&
        (existing.LicenseInfo || undefined) === (inputs.licenseInfo || undefined));
}
function sameSet(a, b) {
    const left = new Set(a ?? []);
    const right = new Set(b ?? []);
    return left.size === right.size && [...left].every((item) => right.has(item));
}
async function uploadContent(inputs, artifact, deps, region) {
    if (inputs.s3Bucket === undefined)
        return { ZipFile: await external_node_fs_.promises.readFile(artifact.zipFile) };
    const bucket = inputs.s3Bucket.replaceAll('{region}', region);
    // Keyed by content, so a retried run overwrites the same object instead of piling up new ones.
    const key = `lambda-layer-release/${inputs.layerName}/${artifact.contentHash}.zip`;
    lib_core/* info */.pq(`${region}: uploading ${mb(artifact.zipSize)} to s3://${bucket}/${key}`);
    const { Upload } = await Promise.all(/* import() */[__webpack_require__.e(711), __webpack_require__.e(358)]).then(__webpack_require__.t.bind(__webpack_require__, 2358, 19)); // with S3: only for `s3-bucket`
    await new Upload({
        client: await deps.s3(region),
        params: {
            Bucket: bucket,
            Key: key,
            Body: external_node_fs_.createReadStream(artifact.zipFile),
            ContentType: 'application/zip',
        },
        partSize: 16 * 1024 * 1024,
        queueSize: 4,
    }).done();
    if (artifact.sbom)
        await uploadSbom(deps, region, bucket, key, artifact.sbom.file);
    return { S3Bucket: bucket, S3Key: key };
}
/** Grants each principal in share-with; a statement that exists already (a re-run) is not an error. */
async function share(lambda, inputs, arn, version, region, existing) {
    const shared = [];
    // A reused version usually has its grants from the run that published it: read them once.
    const granted = existing && !inputs.dryRun && inputs.shareWith.length > 0
        ? await grantedStatements(lambda, inputs.layerName, version)
        : new Set();
    for (const principal of inputs.shareWith) {
        const statementId = `lambda-layer-release-${principal === '*' ? 'public' : principal}`;
        const organization = principal.startsWith('o-');
        if (principal === '*') {
            lib_core/* warning */.$e(`${region}: ${arn} is shared publicly: every AWS account can use it.`, {
                title: 'Public layer',
            });
        }
        if (inputs.dryRun || granted.has(statementId)) {
            shared.push(principal);
            continue;
        }
        try {
            await lambda.send(new dist_cjs/* AddLayerVersionPermissionCommand */.zjw({
                LayerName: inputs.layerName,
                VersionNumber: version,
                StatementId: statementId,
                Action: 'lambda:GetLayerVersion',
                Principal: organization ? '*' : principal,
                OrganizationId: organization ? principal : undefined,
            }));
        }
        catch (error) {
            if (error.name !== 'ResourceConflictException')
                throw error;
            lib_core/* info */.pq(`${region}: ${principal} already has access to version ${version}.`);
        }
        shared.push(principal);
    }
    return shared;
}
async function grantedStatements(lambda, layerName, version) {
    try {
        const { Policy } = await lambda.send(new dist_cjs/* GetLayerVersionPolicyCommand */.fCq({ LayerName: layerName, VersionNumber: version }));
        const statements = JSON.parse(Policy ?? '{}').Statement ?? [];
        return new Set(statements.map((statement) => statement.Sid ?? ''));
    }
    catch (error) {
        if (error.name === 'ResourceNotFoundException')
            return new Set(); // no policy yet
        throw error;
    }
}
function versionFields(layerVersionArn) {
    return {
        layerArn: layerArnOf(layerVersionArn),
        layerVersionArn,
        version: Number(layerVersionArn.split(':').at(-1)),
    };
}

;// CONCATENATED MODULE: ./src/steps/forward-only.ts
/**
 * Forward only: two releases of one layer may overlap (no `concurrency` group, two workflows, a manual
 * dispatch beside a push), and the older one must never move anything back. Version numbers are the
 * order: a layer version published later has a higher number, in its region. So a function, alias or
 * SSM parameter is moved only from an older version of this layer to this run's, and a newer version
 * seen anywhere — on a function, or listed between waves — means a newer release supersedes this run:
 * it starts nothing more and leaves the rest to that release (docs/steps.md, "Overlapping releases").
 */




/** The version of `layerArn` that `arn` names, when it names one. */
function versionOf(arn, layerArn) {
    return arn && isVersionOf(arn, layerArn) ? parseLayerVersionArn(arn)?.version : undefined;
}
/** "is on version 3, newer than this run's 2: left alone". */
function newerWords(version, ours) {
    return `is on version ${version}, newer than this run's ${ours}: left alone`;
}
/** The roll-out: an entry moves only from an older version of this layer to `ours`. */
function forwardOnly(ours) {
    return (entry) => {
        const version = parseLayerVersionArn(entry)?.version;
        return version !== undefined && version > ours ? { version, why: newerWords(version, ours) } : undefined;
    };
}
/** The rollback: an entry goes back only while it is still this run's version (`ours`). */
function stillOurs(ours) {
    return (entry) => {
        if (entry === ours)
            return undefined;
        const version = parseLayerVersionArn(entry)?.version;
        return {
            ...(version === undefined ? {} : { version }),
            why: `not rolled back: now on version ${version}`,
        };
    };
}
/** "seen on race-1 in us-east-1", "listed in us-east-1 between waves". */
function seenWords(s) {
    return s.function ? `seen on ${s.function} in ${s.region}` : `listed in ${s.region} between waves`;
}
/** "superseded by version 3 (seen on race-1 in us-east-1)". */
function supersededWords(s) {
    return `superseded by version ${s.version} (${seenWords(s)})`;
}
/** A function not started once the run is superseded: on a newer version already, or left to that release. */
function notStarted(from, ours, by) {
    return from !== undefined && from > ours
        ? { status: 'newer', reason: newerWords(from, ours) }
        : { status: 'superseded', reason: supersededWords(by) };
}
/** The higher of two sightings (a run is superseded by the newest release it saw). */
function newest(a, b) {
    if (!a || !b)
        return a ?? b;
    return b.version > a.version ? b : a;
}
/** A sighting, when `version` of `layer` is newer than the run's (on `fn`, or listed). */
function sighting(layer, version, fn) {
    if (version === undefined || version <= layer.version)
        return undefined;
    return { region: layer.region, version, ...(fn === undefined ? {} : { function: fn }) };
}
/**
 * What the roll-out has seen of newer releases of this layer: once one is seen (`by`), it starts no
 * further update. The first sighting is said once, as a notice.
 */
class Supersession {
    layers;
    lambda;
    beforeNotice;
    by;
    constructor(layers, lambda, 
    /** Called before the notice (the roll-out's batched log lines go first). */
    beforeNotice = () => undefined) {
        this.layers = layers;
        this.lambda = lambda;
        this.beforeNotice = beforeNotice;
    }
    see(found) {
        const first = !this.by && found;
        this.by = newest(this.by, found);
        if (!first)
            return;
        this.beforeNotice();
        lib_core/* notice */.lm(`${supersededWords(found)}: this run starts no further update and leaves the rest to that release.`, { title: 'Roll-out superseded' });
    }
    /** Between waves: lists the layer's newest version in these regions (nothing once superseded). */
    async listed(regions) {
        if (this.by)
            return;
        const here = this.layers.filter((layer) => regions.includes(layer.region));
        this.see(await listedNewer(here, this.lambda));
    }
}
/**
 * Between waves: the newest version of the layer in each region (one ListLayerVersions call each; see
 * src/steps/publish.ts for why one page answers it on Lambda and on emulators). A listing that fails is
 * a warning: each function's own check still keeps it from moving backwards.
 */
async function listedNewer(layers, lambda) {
    let found;
    for (const layer of layers) {
        try {
            const version = (await publish_newestVersion(lambda(layer.region), layer.layerArn))?.version;
            found = newest(found, sighting(layer, version));
        }
        catch (error) {
            lib_core/* warning */.$e(`${layer.region}: could not list the layer's versions: ${describeError(error)}`);
        }
    }
    return found;
}
/** Discovery already found a function on a newer version: the run starts no wave at all. */
function seenInDiscovery(discoveries) {
    let found;
    for (const { layer, consumers } of discoveries) {
        for (const fn of consumers) {
            const entry = fn.Layers?.find((l) => l.Arn && isVersionOf(l.Arn, layer.layerArn))?.Arn;
            found = newest(found, sighting(layer, versionOf(entry, layer.layerArn), fn.FunctionName ?? '?'));
        }
    }
    return found;
}

;// CONCATENATED MODULE: ./src/steps/put-parameter.ts
/**
 * SSM step: writes the layer version ARN to a String parameter in every region the layer is in, so
 * other stacks can read `{{resolve:ssm:…}}` instead of hard-coding a version. A re-run with the same
 * ARN writes nothing (no new parameter version, no change notifications downstream). Forward only
 * (src/steps/forward-only.ts): a parameter that holds a newer version of this layer is left as it is,
 * and a newer one another run wrote between our read and our write is put back.
 */






async function putParameter(inputs, layers, deps) {
    const name = inputs.ssmParameter;
    if (name === undefined)
        throw new Error('internal: the ssm step runs only with ssm-parameter');
    // Every region is tried: one region's missing permission must not hide what happened in the others.
    const byRegion = new Map(layers.map((layer) => [layer.region, layer]));
    const { results: writes, failures } = await inEachRegion(layers.map((layer) => layer.region), (region) => writeInRegion(name, byRegion.get(region), inputs.dryRun, deps.ssm(region), deps.cancel?.signal), { explain: (error, region) => put_parameter_explain(error, name, byRegion.get(region)) });
    // Each message names its parameter and region already.
    for (const failure of failures)
        lib_core/* error */.z3(failure.error, { title: 'SSM parameter not written' });
    return { writes, failures };
}
async function writeInRegion(name, layer, dryRun, ssm, 
/** A cancelled run writes no parameter it has not written yet. */
cancelled) {
    const { region, layerVersionArn: value } = layer;
    const existing = await currentParameter(ssm, name);
    if (existing && existing.type !== 'String') {
        // A SecureString may hold a secret someone else put there; overwriting it would lose it.
        throw new Error(`SSM parameter ${name} in ${region} is a ${existing.type}; use a String parameter ` +
            '(delete it or choose another ssm-parameter name; this action does not overwrite it)');
    }
    const result = { region, name, value, planned: dryRun };
    const held = versionOf(existing?.value, layer.layerArn);
    if (existing && held !== undefined && held > layer.version) {
        lib_core/* info */.pq(`${region}: ${name} ${newerWords(held, layer.version)}.`);
        return { ...result, value: existing.value, version: existing.version, changed: false, newer: held };
    }
    if (existing?.value === value) {
        lib_core/* info */.pq(`${region}: ${name} already holds ${value} (version ${existing.version}); not written.`);
        return { ...result, version: existing.version, changed: false };
    }
    if (dryRun) {
        lib_core/* info */.pq(`${region}: dry-run, would ${existing ? 'update' : 'create'} ${name} = ${value}.`);
        return { ...result, version: (existing?.version ?? 0) + 1, changed: true };
    }
    cancelled?.throwIfAborted();
    const written = await writeForward(ssm, name, layer, existing?.version ?? 0);
    lib_core/* info */.pq(`${region}: ${existing ? 'updated' : 'created'} ${name} = ${written.value} (version ${written.version}).`);
    return { ...result, ...written, changed: true };
}
const put = (ssm, name, value) => ssm.send(new client_ssm_dist_cjs/* PutParameterCommand */.ihh({ Name: name, Value: value, Type: 'String', DataType: 'text', Overwrite: true }));
/**
 * Writes the layer's ARN; when the parameter's version then jumped by more than one, others wrote in
 * between (SSM has no conditional write): the newest version of this layer among their values is
 * put back, and checked the same way (a few rounds at most).
 */
async function writeForward(ssm, name, layer, readVersion) {
    let value = layer.layerVersionArn;
    let before = readVersion;
    let newer;
    for (let round = 0;; round++) {
        const version = (await put(ssm, name, value)).Version;
        const between = await newestBetween(ssm, name, layer.layerArn, before, version);
        if (between === undefined || between.version <= (versionOf(value, layer.layerArn) ?? 0) || round >= 3)
            return { value, version, ...(newer === undefined ? {} : { newer }) };
        lib_core/* info */.pq(`${layer.region}: a newer release wrote version ${between.version} of the layer to ${name} meanwhile; putting it back.`);
        ({ value, version: newer } = between);
        before = version;
    }
}
/** The newest version of this layer among the parameter's versions after `from` and before `to`. */
async function newestBetween(ssm, name, layerArn, from, to) {
    let found;
    for (let v = from + 1; v < to; v++) {
        const { Parameter: p } = await ssm.send(new client_ssm_dist_cjs/* GetParameterCommand */.lhy({ Name: `${name}:${v}`, WithDecryption: false }));
        const version = versionOf(p?.Value, layerArn);
        if (version !== undefined && version > (found?.version ?? 0))
            found = { value: p.Value, version };
    }
    return found;
}
/** An error message that names the parameter and region and, where it can, what to change. */
function put_parameter_explain(error, name, layer) {
    const e = error;
    const where = `SSM parameter ${name} in ${layer.region}`;
    switch (e.name) {
        case 'AccessDeniedException': {
            const ref = parseLayerVersionArn(layer.layerVersionArn);
            const arn = `arn:${ref?.partition ?? 'aws'}:ssm:${layer.region}:${ref?.account ?? '<account>'}:parameter/${name.replace(/^\//, '')}`;
            return `${where}: access denied; the role needs ssm:GetParameter and ssm:PutParameter on ${arn} (${e.message})`;
        }
        case 'ValidationException':
            return `${where}: SSM refused the name or value; use letters, digits and _ . - /, a path starting with /, not starting with aws or ssm (${e.message})`;
        default:
            return e.message.startsWith('SSM parameter ') ? e.message : `${where}: ${e.name}: ${e.message}`;
    }
}

;// CONCATENATED MODULE: ./src/steps/retention.ts
/**
 * keep-versions: after a successful run, deletes layer versions older than the newest N — but never
 * one that a function still uses, in $LATEST or in any published function version, and never one that
 * is shared with another account, an organization or the public (their functions are not ours to list).
 */



async function applyRetention(inputs, layers, deps) {
    const results = [];
    for (const layer of layers) {
        results.push(await retainInRegion(inputs, layer, deps.lambda(layer.region)));
    }
    return results;
}
async function retainInRegion(inputs, layer, lambda) {
    // Any order, any page size: emulators (moto) ignore MaxItems and list oldest first; sorted below.
    const listed = new Set();
    for await (const page of (0,dist_cjs/* paginateListLayerVersions */.Y9l)({ client: lambda, stopOnSameToken: true }, { LayerName: inputs.layerName })) {
        for (const item of page.LayerVersions ?? [])
            if (item.Version !== undefined)
                listed.add(item.Version);
    }
    const versions = [...listed];
    // In a dry-run the new version is only planned: count it as the newest, as a real run would.
    if (layer.planned && layer.published)
        versions.push(layer.version);
    versions.sort((a, b) => b - a);
    const candidates = versions.slice(inputs.keepVersions).filter((version) => version !== layer.version);
    const result = {
        region: layer.region,
        deleted: [],
        keptInUse: {},
        planned: inputs.dryRun,
    };
    if (candidates.length === 0)
        return result;
    const inUse = await versionsInUse(lambda, layer.layerArn);
    for (const version of candidates) {
        const users = inUse.get(version);
        if (users) {
            result.keptInUse[version] = users;
            lib_core/* info */.pq(`${layer.region}: keeping version ${version}, still used by ${users.join(', ')}`);
            continue;
        }
        const sharedWith = await grantees(lambda, inputs.layerName, version, layer.layerArn.split(':')[4]);
        if (sharedWith.length > 0) {
            result.keptShared = {
                ...result.keptShared,
                [version]: sharedWith,
            };
            lib_core/* info */.pq(`${layer.region}: keeping version ${version}, shared with ${sharedWith.join(', ')}`);
            continue;
        }
        if (!inputs.dryRun) {
            await lambda.send(new dist_cjs/* DeleteLayerVersionCommand */.KnR({ LayerName: inputs.layerName, VersionNumber: version }));
        }
        result.deleted.push(version);
        lib_core/* info */.pq(`${layer.region}: ${inputs.dryRun ? 'would delete' : 'deleted'} version ${version}`);
    }
    return result;
}
/** Who other than `owner` the version's policy grants (account ids, organization ids, `*`). */
async function grantees(lambda, layerName, version, owner) {
    let policy;
    try {
        ({ Policy: policy } = await lambda.send(new dist_cjs/* GetLayerVersionPolicyCommand */.fCq({ LayerName: layerName, VersionNumber: version })));
    }
    catch (error) {
        if (error.name === 'ResourceNotFoundException')
            return []; // no policy: not shared
        throw error;
    }
    const statements = JSON.parse(policy || '{}').Statement ?? [];
    const who = statements.map((statement) => {
        const org = statement.Condition?.StringEquals?.['aws:PrincipalOrgID'];
        if (org)
            return org;
        const principal = typeof statement.Principal === 'string' ? statement.Principal : statement.Principal?.AWS;
        return String(principal ?? '*').replace(/^arn:[^:]+:iam::(\d{12}):root$/, '$1');
    });
    return [...new Set(who.filter((principal) => principal !== owner))];
}
/** Version → names of the functions (and function versions) that reference it. */
async function versionsInUse(lambda, layerArn) {
    const inUse = new Map();
    // FunctionVersion ALL: published versions behind aliases keep their layers and must keep working.
    for await (const page of (0,dist_cjs/* paginateListFunctions */.fVs)({ client: lambda, pageSize: 50 }, { FunctionVersion: 'ALL' })) {
        for (const fn of page.Functions ?? []) {
            for (const layer of fn.Layers ?? []) {
                if (!layer.Arn || !isVersionOf(layer.Arn, layerArn))
                    continue;
                const version = parseLayerVersionArn(layer.Arn).version;
                const name = fn.Version && fn.Version !== '$LATEST' ? `${fn.FunctionName}:${fn.Version}` : fn.FunctionName;
                inUse.set(version, [...(inUse.get(version) ?? []), name]);
            }
        }
    }
    return inUse;
}

// EXTERNAL MODULE: ./src/glob.ts
var glob = __webpack_require__(5601);
;// CONCATENATED MODULE: ./src/steps/consumers.ts
/**
 * Which functions of a region the roll-out moves: every function whose Layers hold a version of exactly
 * this layer (or the listed functions), minus those the filter, the runtimes or the architecture leave
 * out, and minus those Lambda cannot update (container images, functions in State Failed).
 */




async function findConsumers(lambda, inputs, layer, account, known) {
    const { candidates, notFound, scanned } = inputs.functions.mode === 'list'
        ? await readListed(lambda, inputs.functions, layer.region, account, known)
        : await scanAll(lambda, layer.layerArn);
    const consumers = [];
    const skipped = [];
    for (const fn of candidates) {
        if (!matchesFilter(fn.FunctionName, inputs.functionFilter))
            continue;
        const reason = whyNotMoved(fn, inputs, layer.layerArn);
        if (reason) {
            skipped.push({
                ...(account ? { account } : {}),
                region: layer.region,
                functionName: fn.FunctionName,
                fromVersion: versionIn(fn, layer.layerArn),
                reason,
            });
        }
        else
            consumers.push(fn);
    }
    return { layer, consumers, skipped, notFound, scanned };
}
function whyNotMoved(fn, inputs, layerArn) {
    if (fn.PackageType === 'Image')
        return 'a container-image function cannot use layers';
    if (entryIndex(fn, layerArn) < 0)
        return 'does not use this layer';
    if (fn.State === 'Failed') {
        return `Lambda reports State Failed (${fn.StateReasonCode ?? 'no code'}: ${fn.StateReason ?? 'no reason'}); fix the function first`;
    }
    if (fn.Runtime && !inputs.compatibleRuntimes.includes(fn.Runtime)) {
        return `runtime ${fn.Runtime} is not among the layer's compatible runtimes (${inputs.compatibleRuntimes.join(', ')})`;
    }
    const architecture = fn.Architectures?.[0] ?? 'x86_64';
    if (architecture !== inputs.architecture) {
        return `architecture ${architecture} does not match the layer's ${inputs.architecture}`;
    }
    return undefined;
}
/**
 * Parallel GetFunction calls, raced by one listing for a long list (src/look-ups/functions.ts), unless the
 * preflight already looked them up (`known`).
 */
async function readListed(lambda, selection, region, account, known) {
    const { found, missing, scanned } = known ?? (await lookUpFunctions(lambda, namesIn(selection, region, account)));
    return { candidates: found, notFound: missing, scanned };
}
async function scanAll(lambda, layerArn) {
    const candidates = [];
    let scanned = 0;
    // ListFunctions returns each configuration with its Layers and RevisionId: no read per function needed.
    for await (const page of (0,dist_cjs/* paginateListFunctions */.fVs)({ client: lambda, pageSize: 50 }, {})) {
        scanned += page.Functions?.length ?? 0;
        candidates.push(...(page.Functions ?? []).filter((fn) => entryIndex(fn, layerArn) >= 0));
    }
    return { candidates, notFound: [], scanned };
}
function entryIndex(fn, layerArn) {
    return (fn.Layers ?? []).findIndex((layer) => layer.Arn !== undefined && isVersionOf(layer.Arn, layerArn));
}
/** The version of `layerArn` that `fn` uses, if any. */
function versionIn(fn, layerArn) {
    const entry = fn.Layers?.[entryIndex(fn, layerArn)]?.Arn;
    return entry ? parseLayerVersionArn(entry)?.version : undefined;
}
/** Shell globs (src/glob.ts): `*`, `?`, `[a-z]`, `[!x]`; a leading `!` excludes. Validated in getInputs. */
function matchesFilter(name, globs) {
    let filter = compiledFilters.get(globs);
    if (!filter)
        compiledFilters.set(globs, (filter = (0,glob/* compileFilter */.gB)(globs)));
    return filter.matches(name);
}
const compiledFilters = new WeakMap();

;// CONCATENATED MODULE: ./src/steps/accounts.ts
/**
 * Discovery across the accounts a roll-out reaches (which accounts, through which role:
 * src/look-ups/targets.ts). It runs in every account and region, `max-parallel-accounts` accounts at a
 * time; an account whose role cannot be assumed (or whose functions cannot be listed) is a failure of
 * that account, with the error AWS gave, and `on-failure` decides what it means for the others
 * (src/steps/roll-out.ts).
 */




/** The account that owns the published layer (and whose credentials the job has). */
function layerAccount(layers) {
    return layers[0]?.layerArn.split(':')[4] ?? '';
}
/**
 * Consumers in every account and region, in the order of the targets, then of the layers' regions.
 * Accounts are discovered in parallel; within one, its regions too (each region has its own quota).
 */
async function discoverAccounts(inputs, targets, layers, deps, lookUps = new Map()) {
    const limit = (0,p_limit/* default */.A)(inputs.maxParallelAccounts ?? 10);
    const settled = await Promise.all(targets.map((target) => limit(async () => {
        try {
            if (target.role) {
                await deps.assumeRole(target.role, layers[0].region).catch((error) => {
                    throw new Error(`could not assume ${target.role}: ${describeError(error)}`);
                });
            }
            const found = await Promise.all(layers.map((layer) => findConsumers(deps.lambda(layer.region, target.role), inputs, layer, target.account, 
            // What the preflight found before the first write: not asked again.
            lookUps.get(lookUpKey(target.role, layer.region)))));
            return found.map((discovery) => ({ ...discovery, target }));
        }
        catch (error) {
            return { account: target.account, reason: describeError(error) };
        }
    })));
    return {
        discoveries: settled.filter((s) => Array.isArray(s)).flat(),
        failures: settled.filter((s) => !Array.isArray(s)),
    };
}

;// CONCATENATED MODULE: ./src/steps/alarms.ts

function alarmGate(names, cloudwatch) {
    return {
        configured: names.length > 0,
        async firing(regions) {
            if (names.length === 0)
                return [];
            const states = await Promise.all(regions.map(async (region) => {
                const { states, missing } = await describeAlarms(await cloudwatch(region), region, names);
                // A name that matches no alarm is a typo or a region without it: a gate that watches nothing must not pass silently.
                if (missing.length > 0) {
                    throw new Error(`alarms: ${missing.join(', ')} not found in ${region}; check the names (CloudWatch alarms are per region)`);
                }
                return states;
            }));
            return states.flat().filter((alarm) => alarm.state === 'ALARM');
        },
    };
}

;// CONCATENATED MODULE: ./src/steps/function-outcomes.ts
/**
 * What happened to each function of a roll-out (the summary and the comment read it) and its line in
 * the log: one line per function, written in batches, a failure as an error annotation at once. Also
 * the outcomes of listed functions that discovery skipped or found in no region.
 */


const NOT_FOUND = 'the function does not exist in this region';
function base(wave, target, fn) {
    return {
        account: target.account,
        region: wave.layer.region,
        functionName: fn.FunctionName,
        toVersion: wave.layer.version,
        fromVersion: versionIn(fn, wave.layer.layerArn),
        wave: wave.number,
    };
}
/** Listed functions that were skipped or that exist in no region (of an account). */
function listedOutcomes(discoveries, multi) {
    const outcomes = discoveries.flatMap((d) => d.skipped.map((s) => ({
        ...s,
        account: d.target.account,
        status: 'skipped',
        toVersion: d.layer.version,
    })));
    const regions = [...new Set(discoveries.map((d) => d.layer.region))];
    const accounts = [...new Set(discoveries.map((d) => d.target.account))];
    // A name is looked up in every account and region it applies to (findConsumers.notFound lists only those).
    const found = (name) => discoveries.some((d) => !d.notFound.includes(name) &&
        (!name.startsWith('arn:') ||
            (name.split(':')[3] === d.layer.region && name.split(':')[4] === d.target.account)));
    const reported = new Set();
    for (const account of accounts) {
        const mine = discoveries.filter((d) => d.target.account === account);
        for (const name of new Set(mine.flatMap((d) => d.notFound))) {
            const first = mine.find((d) => d.notFound.includes(name));
            const somewhere = found(name);
            // A name that exists nowhere is one failure, not one per account.
            if (!somewhere && reported.has(name))
                continue;
            reported.add(name);
            const nowhere = `function not found in ${regions.join(', ')}${multi ? ` of any account` : ''}`;
            outcomes.push({
                account,
                region: first.layer.region,
                functionName: name,
                toVersion: first.layer.version,
                status: somewhere ? 'skipped' : 'failed',
                reason: somewhere ? NOT_FOUND : nowhere,
            });
        }
    }
    return outcomes;
}
function logOutcome(outcome, multi, log) {
    const move = `${outcome.fromVersion ?? '?'} → ${outcome.toVersion}`;
    const where = multi ? `${outcome.account} ${outcome.region}` : outcome.region;
    if (outcome.status === 'newer') {
        const account = multi ? ` (${outcome.account}, ${outcome.region})` : '';
        log.add(`  ${outcome.functionName}${account} ${outcome.reason}`);
    }
    else if (outcome.status === 'failed') {
        log.flush(); // the lines before it first: the log stays in order
        lib_core/* error */.z3(`${outcome.functionName} (${where}): ${outcome.reason}`, {
            title: 'Roll-out failed',
        });
    }
    else {
        const account = multi ? ` (${outcome.account})` : '';
        log.add(`  ${outcome.status.padEnd(9)} ${outcome.functionName}${account} ${move} (${outcome.seconds?.toFixed(1)} s)`);
    }
}

;// CONCATENATED MODULE: ./src/steps/aliases.ts
/**
 * update-aliases: the roll-out changes only $LATEST, so an alias that points at a published version
 * keeps the old layer. With update-aliases, each such alias moves to a version published from $LATEST —
 * but only when the version it points at equals $LATEST in every field Lambda freezes into a version,
 * with exactly this layer's entry swapped. Moving the alias then ships the new layer and nothing else.
 */



const sorted = (values) => [...(values ?? [])].sort();
/**
 * The fields Lambda freezes into a published version (besides the layers, compared separately), each
 * normalised so that absent and empty compare equal, as emulators answer either.
 */
const FROZEN_FIELDS = {
    code: (c) => c.CodeSha256 ?? '',
    handler: (c) => c.Handler ?? '',
    runtime: (c) => c.Runtime ?? '',
    'memory size': (c) => c.MemorySize,
    timeout: (c) => c.Timeout,
    role: (c) => c.Role ?? '',
    environment: (c) => Object.entries(c.Environment?.Variables ?? {}).sort(),
    architecture: (c) => sorted(c.Architectures ?? ['x86_64']),
    VPC: (c) => [
        sorted(c.VpcConfig?.SubnetIds),
        sorted(c.VpcConfig?.SecurityGroupIds),
        c.VpcConfig?.Ipv6AllowedForDualStack ?? false,
    ],
    'ephemeral storage': (c) => c.EphemeralStorage?.Size ?? 512,
    tracing: (c) => c.TracingConfig?.Mode ?? 'PassThrough',
    'KMS key': (c) => c.KMSKeyArn ?? '',
    'dead-letter queue': (c) => c.DeadLetterConfig?.TargetArn ?? '',
    'file systems': (c) => (c.FileSystemConfigs ?? []).map((f) => `${f.Arn}=${f.LocalMountPath}`).sort(),
    logging: (c) => [
        c.LoggingConfig?.LogFormat ?? 'Text',
        c.LoggingConfig?.ApplicationLogLevel ?? '',
        c.LoggingConfig?.SystemLogLevel ?? '',
        c.LoggingConfig?.LogGroup ?? '',
    ],
    SnapStart: (c) => c.SnapStart?.ApplyOn ?? 'None',
    'image config': (c) => c.ImageConfigResponse?.ImageConfig ?? {},
    'code signing': (c) => c.SigningProfileVersionArn ?? '',
};
/**
 * The fields in which `version` differs from `latest`, when `version`'s entry of this layer is swapped
 * for the new one. Empty: publishing $LATEST releases exactly this layer change.
 */
function releaseDifferences(version, latest, layer) {
    const differences = Object.entries(FROZEN_FIELDS)
        .filter(([, read]) => JSON.stringify(read(version)) !== JSON.stringify(read(latest)))
        .map(([field]) => field);
    const swapped = (version.Layers ?? []).map((l) => l.Arn && isVersionOf(l.Arn, layer.layerArn) ? layer.layerVersionArn : l.Arn);
    const latestLayers = (latest.Layers ?? []).map((l) => l.Arn);
    if (JSON.stringify(swapped) !== JSON.stringify(latestLayers))
        differences.push('other layers');
    return differences;
}
/**
 * Moves the aliases of one function whose version uses another version of `layer`, to one version
 * published from `latest` ($LATEST as our update left it). Every move is pushed onto `moves` the moment
 * it happens, so that when a later call fails, the caller still knows which aliases to put back.
 */
async function moveAliases(lambda, functionName, latest, layer, dryRun, moves) {
    let published;
    for await (const page of (0,dist_cjs/* paginateListAliases */._O$)({ client: lambda }, { FunctionName: functionName })) {
        for (const alias of page.Aliases ?? []) {
            const from = alias.FunctionVersion;
            if (!alias.Name || !from || from === '$LATEST')
                continue; // an alias of $LATEST follows by itself
            const skip = (reason) => void moves.push({ alias: alias.Name, fromVersion: from, status: 'skipped', reason });
            if (Object.keys(alias.RoutingConfig?.AdditionalVersionWeights ?? {}).length > 0) {
                skip('it shifts traffic between versions; left to the deployment that set it up');
                continue;
            }
            const version = await lambda.send(new dist_cjs/* GetFunctionConfigurationCommand */.qA6({ FunctionName: functionName, Qualifier: from }));
            const entry = (version.Layers ?? []).find((l) => l.Arn && isVersionOf(l.Arn, layer.layerArn));
            if (!entry || entry.Arn === layer.layerVersionArn)
                continue;
            const held = versionOf(entry.Arn, layer.layerArn);
            if (held > layer.version) {
                skip(`version ${from} ${newerWords(held, layer.version)}`); // forward only
                continue;
            }
            const differences = releaseDifferences(version, latest, layer);
            if (differences.length > 0) {
                skip(`version ${from} differs from $LATEST in ${differences.join(', ')}: publishing $LATEST would release that too`);
                continue;
            }
            if (dryRun) {
                moves.push({ alias: alias.Name, fromVersion: from, status: 'planned' });
                continue;
            }
            published ??= await publishChecked(lambda, functionName, latest, layer);
            const backwards = await movedMeanwhile(lambda, functionName, alias, published);
            if (backwards) {
                skip(backwards);
                continue;
            }
            try {
                await lambda.send(new dist_cjs/* UpdateAliasCommand */.lqC({
                    FunctionName: functionName,
                    Name: alias.Name,
                    FunctionVersion: published,
                    ...(alias.RevisionId ? { RevisionId: alias.RevisionId } : {}),
                }));
                moves.push({ alias: alias.Name, fromVersion: from, toVersion: published, status: 'moved' });
            }
            catch (error) {
                if (error.name !== 'PreconditionFailedException')
                    throw error;
                skip('someone moved it during the roll-out; left where they put it');
            }
        }
    }
}
/**
 * Forward only: why the alias must not go to `published` — someone moved it since it was listed (read
 * again when there is no RevisionId to make the update conditional: emulators), or `published` is not
 * newer than the version it points at — or undefined.
 */
async function movedMeanwhile(lambda, functionName, listed, published) {
    const now = listed.RevisionId
        ? listed
        : await lambda.send(new dist_cjs/* GetAliasCommand */.MES({ FunctionName: functionName, Name: listed.Name }));
    if (now.FunctionVersion !== listed.FunctionVersion)
        return `someone moved it to ${now.FunctionVersion} during the roll-out; left where they put it`;
    if (Number(published) <= Number(now.FunctionVersion))
        return `it points at version ${now.FunctionVersion}, not older than ${published}: left alone`;
    return undefined;
}
/**
 * Publishes exactly the $LATEST that was checked: Lambda refuses the call when the code (CodeSha256) or
 * anything else (RevisionId) changed since; then waits until the version is Active.
 */
async function publishChecked(lambda, functionName, latest, layer) {
    const version = await lambda.send(new dist_cjs/* PublishVersionCommand */.D3m({
        FunctionName: functionName,
        ...(latest.CodeSha256 ? { CodeSha256: latest.CodeSha256 } : {}),
        ...(latest.RevisionId ? { RevisionId: latest.RevisionId } : {}),
        Description: `lambda-layer-release: ${layer.layerVersionArn.split(':').slice(-2).join(':')}`,
    }));
    await (0,dist_cjs/* waitUntilPublishedVersionActive */.S6K)({ client: lambda, minDelay: 0.5, maxDelay: 5, maxWaitTime: 300 }, { FunctionName: functionName, Qualifier: version.Version });
    return version.Version;
}
/**
 * rollback: points moved aliases back at the versions they had, with the alias's current RevisionId; an
 * alias that someone moved elsewhere since is left where they put it.
 */
async function restoreAliases(lambda, functionName, moves) {
    const restored = [];
    for (const move of moves) {
        if (move.status !== 'moved') {
            restored.push(move);
            continue;
        }
        const alias = await lambda.send(new dist_cjs/* GetAliasCommand */.MES({ FunctionName: functionName, Name: move.alias }));
        if (alias.FunctionVersion !== move.toVersion) {
            restored.push({ ...move, reason: `moved to ${alias.FunctionVersion} by someone else; left there` });
            continue;
        }
        await lambda.send(new dist_cjs/* UpdateAliasCommand */.lqC({
            FunctionName: functionName,
            Name: move.alias,
            FunctionVersion: move.fromVersion,
            ...(alias.RevisionId ? { RevisionId: alias.RevisionId } : {}),
        }));
        restored.push({ ...move, status: 'restored' });
    }
    return restored;
}

// EXTERNAL MODULE: external "node:timers/promises"
var external_node_timers_promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: ./src/cancel.ts
var cancel = __webpack_require__(833);
;// CONCATENATED MODULE: ./src/steps/function-update.ts
/**
 * One function's layer entry, moved from one version to another, safely: only that entry changes (the
 * other layers and their order stay), with the RevisionId read just before (a concurrent change makes
 * Lambda answer 412: read again, re-apply, their change survives). A function that is busy — an update
 * in progress (409), just created (`Pending`), or `Inactive` — is waited for first; whatever happened to
 * someone else's update, our outcome is decided by our own update only.
 */





/** Attempts at one function when other writers keep changing it (412) or keep it busy (409). */
const MAX_ATTEMPTS = 8;
/** How long to wait for Lambda to finish one update, or to make a function Active. */
const MAX_WAIT_SECONDS = 600;
/**
 * An update Lambda answered `InProgress` is never done at once, and the waiter's first poll is
 * immediate: waiting this long first saves the polls that could only answer `InProgress` (Lambda takes
 * a second or more to apply a layer change). With 500 ms, a roll-out not short of CPU polled twice per
 * function; with 1 s, once — half of a large roll-out's GetFunction requests, each a signed request.
 */
const FIRST_POLL_MS = 1000;
/**
 * The run was cancelled while this function was being moved. `sent`: our update went to Lambda (or
 * may have: the call was cut off), so the function is on its old or its new entry — Lambda applies
 * a Layers list whole — and Lambda had not confirmed which; otherwise it was not changed.
 */
class UpdateInterrupted extends Error {
    sent;
    constructor(sent) {
        super(sent
            ? 'in flight when the run was cancelled: the update was sent, Lambda had not confirmed it'
            : 'the run was cancelled before its update was sent');
        this.sent = sent;
        this.name = 'UpdateInterrupted';
    }
}
/**
 * Moves `functionName`'s entry of `layerArn` to `to`, re-reading the configuration whenever Lambda
 * says it changed or is busy. With `wait`, returns only once Lambda applied it (throws when our own
 * update ended `Failed`). The `guard` decides on the configuration the update is made against: `known`
 * only when it carries a RevisionId (Lambda then refuses the update if it is stale: 412, read again),
 * otherwise (emulators) one read right before the update.
 */
async function replaceEntry(lambda, functionName, layerArn, to, known, options) {
    const stage = { sent: false };
    try {
        return await moveEntry(lambda, functionName, layerArn, to, known, options, stage);
    }
    catch (error) {
        if (options.signal?.aborted && (0,cancel/* isCancellation */.iB)(error))
            throw new UpdateInterrupted(stage.sent);
        throw error;
    }
}
async function moveEntry(lambda, functionName, layerArn, to, known, options, stage) {
    const notes = [];
    const { signal } = options;
    let current = known?.RevisionId || options.dryRun ? known : undefined;
    for (let attempt = 1;; attempt++) {
        current ??= await readFunction(lambda, functionName);
        const before = (current.Layers ?? []).map((l) => l.Arn);
        const index = before.findIndex((arn) => isVersionOf(arn, layerArn));
        if (index < 0)
            throw new Error('it no longer uses this layer (changed by someone else during the roll-out)');
        const left = before[index] === to ? undefined : options.guard?.(before[index]);
        if (left)
            return { before, after: before, changed: false, notes, left };
        const after = before.with(index, to);
        if (before[index] === to || options.dryRun) {
            return { before, after, changed: before[index] !== to, notes };
        }
        if (isBusy(current)) {
            current = await waitUntilIdle(lambda, functionName, notes, signal);
            continue;
        }
        signal?.throwIfAborted();
        let updated;
        stage.sent = true;
        try {
            updated = await lambda.send(new dist_cjs/* UpdateFunctionConfigurationCommand */.Zlw({
                FunctionName: functionName,
                Layers: after,
                // Emulators may not answer a RevisionId: then there is nothing to pin.
                ...(current.RevisionId ? { RevisionId: current.RevisionId } : {}),
            }));
        }
        catch (error) {
            const name = error.name;
            const retriable = name === 'PreconditionFailedException' || name === 'ResourceConflictException';
            if (!retriable || attempt >= MAX_ATTEMPTS)
                throw error;
            stage.sent = false; // Lambda refused it: nothing changed
            lib_core/* debug */.Yz(`${functionName}: ${name} on attempt ${attempt}; reading it again`);
            // 412: someone changed the function since we read it. 409: it is busy (another update, Pending,
            // Inactive). Either way: wait until it is idle, read again, re-apply on top of their change.
            current =
                name === 'ResourceConflictException'
                    ? await waitUntilIdle(lambda, functionName, notes, signal)
                    : undefined;
            continue;
        }
        if (options.wait) {
            if (updated.LastUpdateStatus === 'InProgress')
                await (0,external_node_timers_promises_.setTimeout)(FIRST_POLL_MS, undefined, { signal });
            updated = await waitForOurUpdate(lambda, functionName, signal);
        }
        return { before, after, changed: true, updated, notes };
    }
}
async function readFunction(lambda, functionName) {
    return (await lambda.send(new dist_cjs/* GetFunctionCommand */.YF5({ FunctionName: functionName }))).Configuration;
}
function isBusy(config) {
    return (config.LastUpdateStatus === 'InProgress' || config.State === 'Pending' || config.State === 'Inactive');
}
/**
 * Waits until nobody's update is running and the function is Active, and returns its configuration.
 * Another writer's update that ended Failed is noted, not thrown: it says nothing about ours.
 */
async function waitUntilIdle(lambda, functionName, notes, signal) {
    let config = await readFunction(lambda, functionName);
    const waiterConfig = {
        client: lambda,
        minDelay: 0.5,
        maxDelay: 5,
        maxWaitTime: MAX_WAIT_SECONDS,
        ...(signal ? { abortSignal: signal } : {}),
    };
    if (config.State === 'Pending' || config.State === 'Inactive') {
        lib_core/* info */.pq(`  ${functionName} is ${config.State}; waiting until it is Active`);
        await (0,dist_cjs/* waitUntilFunctionActiveV2 */._RC)(waiterConfig, { FunctionName: functionName }).catch(() => undefined);
        signal?.throwIfAborted();
    }
    if (config.LastUpdateStatus === 'InProgress' || config.State !== 'Active') {
        // The updated-waiter stops with an error when that update Failed: theirs, so only worth a note.
        await (0,dist_cjs/* waitUntilFunctionUpdatedV2 */.rWV)(waiterConfig, { FunctionName: functionName }).catch(() => undefined);
        signal?.throwIfAborted();
        config = await readFunction(lambda, functionName);
        if (config.LastUpdateStatus === 'Failed') {
            notes.push(`another update of this function failed meanwhile (${config.LastUpdateStatusReasonCode ?? 'Failed'}: ` +
                `${config.LastUpdateStatusReason ?? 'no reason given'})`);
        }
    }
    if (config.State === 'Pending' || config.State === 'Inactive' || config.LastUpdateStatus === 'InProgress') {
        throw new Error(`it stayed busy for ${MAX_WAIT_SECONDS} s (State ${config.State}, LastUpdateStatus ${config.LastUpdateStatus})`);
    }
    return config;
}
/** Waits until our update is applied; throws with Lambda's reason when it Failed. */
async function waitForOurUpdate(lambda, functionName, signal) {
    const done = await (0,dist_cjs/* waitUntilFunctionUpdatedV2 */.rWV)({
        client: lambda,
        minDelay: 0.5,
        maxDelay: 5,
        maxWaitTime: MAX_WAIT_SECONDS,
        ...(signal ? { abortSignal: signal } : {}),
    }, { FunctionName: functionName }).catch(() => undefined);
    signal?.throwIfAborted();
    // The waiter's last answer already is the configuration Lambda applied; only a failure is read again
    // (for its reason). One GetFunction less per function counts across thousands of functions.
    const config = done?.final?.Configuration ?? (await readFunction(lambda, functionName));
    if (config.LastUpdateStatus === 'Failed') {
        throw new Error(`the update failed: ${config.LastUpdateStatusReasonCode ?? 'Failed'}: ${config.LastUpdateStatusReason ?? 'no reason given'}`);
    }
    if (config.LastUpdateStatus === 'InProgress') {
        throw new Error(`the update did not finish within ${MAX_WAIT_SECONDS} s (LastUpdateStatus InProgress)`);
    }
    return config;
}

;// CONCATENATED MODULE: ./src/steps/rollback.ts
/**
 * on-failure: rollback. After a failed roll-out, every function this run moved goes back to the version
 * it had, with its aliases, in every account and region; a function that is no longer on this run's
 * version (a newer release moved it meanwhile) is left as it is (src/steps/forward-only.ts).
 */






/**
 * on-failure: rollback, across every region. Puts this layer's entry back to the version each function
 * had, in every function this run changed (including one whose update failed but was applied), and
 * points its moved aliases back. Only that entry is touched, with the same locking, so changes others
 * made meanwhile survive; when nobody else changed the function this restores its exact previous Layers.
 */
async function rollBack(outcomes, layers, targets, inputs, deps) {
    lib_core/* warning */.$e('The roll-out failed; rolling back every function this run changed, in every account and region.');
    // Each account and region has its own quota: as many at once as the roll-out itself used.
    const accountsAtOnce = Math.min(targets.length, inputs.maxParallelAccounts ?? 10);
    const limit = (0,p_limit/* default */.A)(inputs.maxParallel * Math.max(1, accountsAtOnce));
    const layerOf = new Map(layers.map((layer) => [layer.region, layer]));
    const roleOf = new Map(targets.map((target) => [target.account, target.role]));
    return Promise.all(outcomes.map((outcome) => limit(async () => {
        if (outcome.status !== 'updated' && outcome.status !== 'failed')
            return outcome;
        if (outcome.fromVersion === undefined)
            return outcome;
        const cancelled = deps.cancel?.reason;
        if (cancelled)
            return { ...outcome, reason: `${outcome.reason ?? 'moved'}; not rolled back: cancelled` };
        const role = outcome.account === undefined ? undefined : roleOf.get(outcome.account);
        return restore(outcome, layerOf.get(outcome.region), role, deps);
    })));
}
async function restore(outcome, layer, role, deps) {
    const lambda = deps.lambda(layer.region, role);
    const previous = `${layer.layerArn}:${outcome.fromVersion}`;
    const started = deps.now();
    try {
        const { changed, left } = await replaceEntry(lambda, outcome.functionName, layer.layerArn, previous, undefined, { wait: true, dryRun: false, signal: deps.cancel?.signal, guard: stillOurs(layer.layerVersionArn) });
        // Moved on by someone else since (a newer release): theirs to keep, aliases included.
        if (left)
            return { ...outcome, reason: [outcome.reason, left.why].filter(Boolean).join('; ') };
        const aliases = outcome.aliases && (await restoreAliases(lambda, outcome.functionName, outcome.aliases));
        const restoredAliases = aliases?.some((a) => a.status === 'restored') ?? false;
        if (!changed && !restoredAliases)
            return outcome; // a failed update that Lambda did not apply
        const where = outcome.account ? `${outcome.account} ${outcome.region}` : outcome.region;
        lib_core/* info */.pq(`  ↩ ${outcome.functionName} (${where}): back on version ${outcome.fromVersion}`);
        return outcome.status === 'failed'
            ? { ...outcome, aliases, reason: `${outcome.reason}; rolled back` }
            : { ...outcome, aliases, status: 'rolled-back', reason: 'rolled back after a failure' };
    }
    catch (error) {
        if (error instanceof UpdateInterrupted) {
            const verb = error.sent ? 'in flight' : 'not started';
            const status = error.sent ? 'in-flight' : outcome.status;
            return { ...outcome, status, reason: `rollback to version ${outcome.fromVersion} ${verb}: cancelled` };
        }
        return {
            ...outcome,
            status: 'failed',
            seconds: (outcome.seconds ?? 0) + (deps.now() - started) / 1000,
            reason: `rollback failed: ${describeError(error)}${outcome.reason ? ` (after: ${outcome.reason})` : ''}`,
        };
    }
}

;// CONCATENATED MODULE: ./src/steps/wave-plan.ts
/**
 * The roll-out's waves, decided before any update: the canary (the first `canary` consumers of the first
 * account's first region), then one wave per region in the order given, each holding every account's
 * consumers in that region; and the plan's lines in the log.
 */

/**
 * The canary (the first N consumers of the first account's first region), then one wave per region in
 * the order given, each holding every account's consumers in that region.
 */
function planWaves(discoveries, layers, canary, multi) {
    const waves = [];
    const first = discoveries[0];
    const head = first ? first.consumers.slice(0, canary) : [];
    layers.forEach((layer) => {
        const parts = discoveries
            .filter((d) => d.layer.region === layer.region)
            .map((d) => ({
            target: d.target,
            functions: d === first ? d.consumers.slice(head.length) : d.consumers,
        }))
            .filter((part) => part.functions.length > 0);
        const inCanaryRegion = head.length > 0 && first.layer.region === layer.region;
        if (inCanaryRegion) {
            waves.push({
                number: waves.length + 1,
                label: `canary in ${multi ? `${first.target.account} ` : ''}${layer.region}`,
                layer,
                parts: [{ target: first.target, functions: head }],
                bake: parts.length > 0 || layers.length > 1,
                endsRegion: parts.length === 0,
                canary: true,
            });
        }
        if (parts.length > 0 || !inCanaryRegion) {
            const label = multi ? `${layer.region}, ${parts.length} account(s)` : layer.region;
            waves.push({
                number: waves.length + 1,
                label,
                layer,
                parts,
                bake: false,
                endsRegion: true,
                canary: false,
            });
        }
    });
    return waves;
}
const sizeOf = (wave) => wave.parts.reduce((sum, p) => sum + p.functions.length, 0);
function describeWave(wave) {
    return {
        number: wave.number,
        region: wave.layer.region,
        label: wave.label,
        functions: sizeOf(wave),
        accounts: wave.parts.length,
    };
}
function logPlan(discoveries, waves, failures, dryRun) {
    const multi = new Set(discoveries.map((d) => d.target.account)).size + failures.length > 1;
    for (const d of discoveries) {
        const where = multi ? `${d.target.account} ${d.layer.region}` : d.layer.region;
        const names = dryRun && d.consumers.length > 0 ? `: ${d.consumers.map((fn) => fn.FunctionName).join(', ')}` : '';
        lib_core/* info */.pq(`${where}: ${d.consumers.length} function(s) to move to version ${d.layer.version} ` +
            `(${d.scanned} scanned, ${d.skipped.length} skipped)${names}`);
    }
    for (const f of failures)
        lib_core/* error */.z3(`account ${f.account}: ${f.reason}`, { title: 'Roll-out account failed' });
    lib_core/* info */.pq(`Waves: ${waves.map((w) => `${w.number}. ${w.label} (${sizeOf(w)})`).join(' → ')}`);
}

;// CONCATENATED MODULE: ./src/log-batch.ts
/**
 * Log lines written in batches. A roll-out of thousands of functions logs one line per function, and
 * one write per line costs a system call and a wake-up of the runner's reader each (a tenth of the
 * CPU per function in a 10,000-function roll-out). Lines keep their order and appear at most
 * `maxDelayMs` late: a batch is written when it holds `maxLines` lines, `maxDelayMs` after its first
 * line, or on flush() — which callers do before anything else they log (an error, the next wave).
 */

class LineBatch {
    write;
    maxLines;
    maxDelayMs;
    lines = [];
    timer;
    constructor(write = lib_core/* info */.pq, maxLines = 200, maxDelayMs = 1000) {
        this.write = write;
        this.maxLines = maxLines;
        this.maxDelayMs = maxDelayMs;
    }
    add(line) {
        this.lines.push(line);
        if (this.lines.length >= this.maxLines)
            this.flush();
        else
            this.timer ??= setTimeout(() => this.flush(), this.maxDelayMs);
    }
    flush() {
        clearTimeout(this.timer);
        this.timer = undefined;
        if (this.lines.length === 0)
            return;
        const text = this.lines.join('\n');
        this.lines = [];
        this.write(text);
    }
}

;// CONCATENATED MODULE: ./src/steps/move-function.ts






async function moveFunction(inputs, wave, target, fn, deps) {
    const { layer } = wave;
    const lambda = deps.lambda(layer.region, target.role);
    const started = deps.now();
    const seconds = () => (deps.now() - started) / 1000;
    let outcome = { ...base(wave, target, fn), status: 'failed' };
    try {
        const change = await replaceEntry(lambda, fn.FunctionName, layer.layerArn, layer.layerVersionArn, fn, {
            ...inputs,
            signal: deps.cancel?.signal,
            guard: forwardOnly(layer.version),
        });
        const fromVersion = change.before
            .map((arn) => versionOf(arn, layer.layerArn))
            .find((v) => v !== undefined);
        if (change.left) {
            return { ...outcome, fromVersion, status: 'newer', reason: change.left.why, seconds: seconds() };
        }
        const status = !change.changed ? 'unchanged' : inputs.dryRun ? 'planned' : 'updated';
        const nowOn = versionIn(change.updated ?? {}, layer.layerArn);
        const movedOn = nowOn !== undefined && nowOn > layer.version;
        const notes = [
            ...change.notes,
            ...(movedOn ? [`then moved on to version ${nowOn} by a newer release`] : []),
        ];
        outcome = {
            ...outcome,
            fromVersion,
            status,
            layersBefore: change.before,
            layersAfter: change.after,
            ...(notes.length > 0 ? { reason: notes.join('; ') } : {}),
            ...(movedOn ? { nowOn } : {}),
        };
        if (!inputs.updateAliases || movedOn)
            return { ...outcome, seconds: seconds() };
        // $LATEST as our update left it (in a dry-run: as it would be).
        const latest = change.updated ?? { ...fn, Layers: change.after.map((Arn) => ({ Arn })) };
        const moves = [];
        try {
            await moveAliases(lambda, fn.FunctionName, latest, layer, inputs.dryRun, moves);
            return { ...outcome, aliases: moves, seconds: seconds() };
        }
        catch (error) {
            const reason = `$LATEST updated, but moving its aliases failed: ${describeError(error)}`;
            return { ...outcome, aliases: moves, status: 'failed', seconds: seconds(), reason };
        }
    }
    catch (error) {
        if (error instanceof UpdateInterrupted) {
            const status = error.sent ? 'in-flight' : 'not-started';
            return { ...outcome, status, seconds: seconds(), reason: error.message };
        }
        return { ...outcome, status: 'failed', seconds: seconds(), reason: describeError(error) };
    }
}

;// CONCATENATED MODULE: ./src/steps/waves.ts
/**
 * Runs the planned waves one after another and decides what follows each: a failed canary stops
 * everything after it; a failed function or an alarm in ALARM stops the later waves unless on-failure
 * is `continue`; a cancel, or a newer release of the layer (src/steps/forward-only.ts), starts nothing
 * more. Within a wave, `max-parallel-accounts` accounts at a time, each `max-parallel` functions at a
 * time; with `canary-wait`, the canary bakes while the alarms are watched.
 */








class WaveRunner {
    inputs;
    deps;
    gate;
    multi;
    outcomes = [];
    alarms = [];
    stopped;
    /** Newer releases of this layer seen so far: once one is, nothing more starts. */
    newer;
    /** Regions with at least one wave done: their alarms are watched from then on. */
    touched = new Set();
    /** One line per function, written in batches (thousands of functions: one write each is CPU). */
    log = new LineBatch();
    constructor(inputs, deps, gate, layers, 
    /** The roll-out spans accounts: name them beside functions. */
    multi) {
        this.inputs = inputs;
        this.deps = deps;
        this.gate = gate;
        this.multi = multi;
        this.newer = new Supersession(layers, deps.lambda, () => this.log.flush());
    }
    async wave(wave, total) {
        const cancelled = this.deps.cancel?.reason;
        if (cancelled && !this.stopped)
            this.stopped = `the run was cancelled (${cancelled})`;
        if (this.stopped) {
            for (const { target, functions } of wave.parts) {
                for (const fn of functions) {
                    this.outcomes.push({ ...base(wave, target, fn), status: 'not-started', reason: this.stopped });
                }
            }
            return;
        }
        // Between waves: a newer release may have been published meanwhile (e.g. during the bake).
        if (wave.number > 1 && !this.inputs.dryRun)
            await this.newer.listed([...this.touched, wave.layer.region]);
        if (this.newer.by) {
            for (const { target, functions } of wave.parts)
                for (const fn of functions)
                    this.outcomes.push(this.leftToNewer(wave, target, fn));
            this.log.flush();
            return;
        }
        lib_core/* info */.pq(`Wave ${wave.number}/${total}: ${wave.label}, ${sizeOf(wave)} function(s)`);
        this.touched.add(wave.layer.region);
        const outcomes = await this.update(wave);
        this.outcomes.push(...outcomes);
        const failed = outcomes
            .filter((o) => o.status === 'failed')
            .map((f) => (this.multi ? `${f.functionName} (${f.account})` : f.functionName));
        if (failed.length > 0 && wave.canary) {
            this.stopped = `the canary failed (${failed.join(', ')})`;
            return;
        }
        if (failed.length > 0 && this.inputs.onFailure !== 'continue') {
            this.stopped = `wave ${wave.number} (${wave.label}) failed: ${failed.join(', ')} (on-failure: ${this.inputs.onFailure})`;
            return;
        }
        if (this.inputs.dryRun)
            return;
        if (wave.bake && this.inputs.canaryWait > 0)
            await this.bake(wave);
        else if (wave.endsRegion || wave.bake)
            await this.checkAlarms(wave);
    }
    /**
     * `max-parallel-accounts` accounts at a time, each with its own `max-parallel` functions at a time
     * (each account and region has its own quota). A stop reaches every account of the wave: none starts
     * another function, and an account not started yet starts none.
     */
    async update(wave) {
        const accounts = (0,p_limit/* default */.A)(this.inputs.maxParallelAccounts ?? 10);
        let stop;
        try {
            const perAccount = await Promise.all(wave.parts.map(({ target, functions }) => accounts(() => {
                const limit = (0,p_limit/* default */.A)(this.inputs.maxParallel);
                return Promise.all(functions.map((fn) => limit(async () => {
                    const cancelled = this.deps.cancel?.reason;
                    if (stop || cancelled) {
                        const reason = stop ?? `the run was cancelled (${cancelled})`;
                        return { ...base(wave, target, fn), status: 'not-started', reason };
                    }
                    if (this.newer.by)
                        return this.leftToNewer(wave, target, fn);
                    const outcome = await moveFunction(this.inputs, wave, target, fn, this.deps);
                    this.newer.see(sighting(wave.layer, outcome.nowOn ?? newerOf(outcome), outcome.functionName));
                    if (outcome.status === 'failed' && (this.inputs.onFailure !== 'continue' || wave.canary)) {
                        stop = `an earlier update failed (on-failure: ${this.inputs.onFailure})`;
                    }
                    logOutcome(outcome, this.multi, this.log);
                    return outcome;
                })));
            })));
            return perAccount.flat();
        }
        finally {
            this.log.flush(); // also when a wave throws: no line is left behind
        }
    }
    /** A function of a wave that starts nothing more: left on its newer version, or to the newer release. */
    leftToNewer(wave, target, fn) {
        const known = base(wave, target, fn);
        const outcome = { ...known, ...notStarted(known.fromVersion, wave.layer.version, this.newer.by) };
        if (outcome.status === 'newer')
            logOutcome(outcome, this.multi, this.log);
        return outcome;
    }
    /** canary-wait: watches the alarms of every region while the canary bakes. */
    async bake(wave) {
        lib_core/* info */.pq(`Canary succeeded; baking ${this.inputs.canaryWait} s before the next wave`);
        const step = this.gate.configured ? Math.min(this.inputs.canaryWait, 10) : this.inputs.canaryWait;
        for (let waited = 0; waited < this.inputs.canaryWait; waited += step) {
            await this.deps.sleep(Math.min(step, this.inputs.canaryWait - waited) * 1000);
            if (this.deps.cancel?.reason)
                return;
            if (await this.checkAlarms(wave))
                return;
        }
    }
    /** True when an alarm fired (recorded as a failure; on-failure decides what follows). */
    async checkAlarms(wave) {
        // An alarm that cannot be read is not a green light.
        const firing = await this.gate.firing([...this.touched]).catch((error) => [
            {
                region: wave.layer.region,
                name: '(DescribeAlarms)',
                state: 'UNKNOWN',
                reason: describeError(error),
            },
        ]);
        if (firing.length === 0)
            return false;
        this.alarms.push(...firing);
        for (const alarm of firing) {
            lib_core/* error */.z3(`${alarm.name} (${alarm.region}) is in ALARM after wave ${wave.number}: ${alarm.reason ?? ''}`, {
                title: 'Roll-out alarm',
            });
        }
        if (this.inputs.onFailure !== 'continue') {
            this.stopped = `alarm ${firing.map((a) => a.name).join(', ')} fired after wave ${wave.number} (on-failure: ${this.inputs.onFailure})`;
        }
        return true;
    }
}
/** The newer version a function was found on (status `newer`). */
const newerOf = (outcome) => outcome.status === 'newer' ? outcome.fromVersion : undefined;

;// CONCATENATED MODULE: ./src/steps/roll-out.ts








class RolloutError extends Error {
    result;
    constructor(result) {
        super(RolloutError.message(result));
        this.result = result;
        this.name = 'RolloutError';
    }
    static message(result) {
        if (result.cancelled)
            return `Roll-out cancelled (${result.cancelled}): ${cancelCounts(result.functions)}`;
        const failed = result.functions.filter((f) => f.status === 'failed');
        const accountFailures = result.accountFailures ?? [];
        const lines = [
            ...accountFailures.map((a) => `  account ${a.account}: ${a.reason}`),
            ...failed.map((f) => `  ${f.functionName} (${where(f, result)}): ${f.reason}`),
            ...(result.alarms ?? []).map((a) => `  alarm ${a.name} (${a.region}) is in ALARM${a.reason ? `: ${a.reason}` : ''}`),
        ];
        const what = [
            accountFailures.length > 0 ? `in ${accountFailures.length} account(s)` : '',
            failed.length > 0 ? `for ${failed.length} function(s)` : '',
            (result.alarms ?? []).length > 0 ? `on ${result.alarms.length} alarm(s) in ALARM` : '',
        ].filter(Boolean);
        const rolledBack = result.rolledBack ? ' (rolled back)' : '';
        return `Roll-out failed ${what.join(' and ')}${rolledBack}:\n${lines.join('\n')}`;
    }
}
/** "2 moved, 1 in flight, 3 not yet moved". */
function cancelCounts(functions) {
    const n = (status) => functions.filter((f) => f.status === status).length;
    return `${n('updated')} moved, ${n('in-flight')} in flight, ${n('not-started')} not yet moved`;
}
/** `us-east-1`, or `111111111111 us-east-1` when the roll-out spans accounts. */
function where(f, result) {
    return (result.accounts ?? []).length > 1 && f.account ? `${f.account} ${f.region}` : f.region;
}
async function rollOut(inputs, layers, deps, 
/** The listed functions as the preflight found them (src/preflight/reach.ts). */
lookUps) {
    const regions = layers.map((layer) => layer.region);
    const gate = alarmGate(inputs.alarms ?? [], (region) => {
        if (!deps.cloudwatch)
            throw new Error('internal: alarms given without a CloudWatch client');
        return deps.cloudwatch(region);
    });
    const targets = rolloutTargets(inputs, layerAccount(layers));
    const accounts = targets.map((t) => t.account);
    const { discoveries, failures } = await discoverAccounts(inputs, targets, layers, deps, lookUps);
    const scanned = {};
    for (const d of discoveries)
        scanned[d.layer.region] = (scanned[d.layer.region] ?? 0) + d.scanned;
    const listed = listedOutcomes(discoveries, accounts.length > 1);
    const waves = planWaves(discoveries, layers, inputs.canary, accounts.length > 1);
    logPlan(discoveries, waves, failures, inputs.dryRun);
    const reach = {
        ...(accounts.length > 1 || inputs.accounts?.length ? { accounts } : {}),
        ...(failures.length > 0 ? { accountFailures: failures } : {}),
    };
    // Before the first update: an alarm already firing refuses the whole roll-out.
    const firing = await gate.firing(regions);
    if (firing.length > 0) {
        const result = {
            functions: [...listed],
            scanned,
            ...reach,
            waves: waves.map(describeWave),
            alarms: firing,
            stopped: 'an alarm was in ALARM before the roll-out: nothing was changed',
        };
        throw new RolloutError(result);
    }
    const run = new WaveRunner(inputs, deps, gate, layers, accounts.length > 1);
    run.newer.see(seenInDiscovery(discoveries));
    if (failures.length > 0 && inputs.onFailure !== 'continue') {
        run.stopped =
            `account ${failures.map((f) => f.account).join(', ')} could not be reached before the roll-out ` +
                `(on-failure: ${inputs.onFailure}): nothing was changed`;
    }
    for (const wave of waves)
        await run.wave(wave, waves.length);
    let functions = [...listed, ...run.outcomes];
    const failed = functions.some((f) => f.status === 'failed') || run.alarms.length > 0 || failures.length > 0;
    let rolledBack = false;
    // A cancel does not roll back: the runner kills the process within seconds, and every function is
    // whole on its old or new entry; a re-run with the same inputs moves the rest (docs/cancel.md).
    const cancelled = deps.cancel?.reason;
    if (failed && inputs.onFailure === 'rollback' && !inputs.dryRun && !cancelled) {
        functions = [...listed, ...(await rollBack(run.outcomes, layers, targets, inputs, deps))];
        rolledBack = true;
    }
    const result = {
        functions,
        scanned,
        ...reach,
        waves: waves.map(describeWave),
        ...(run.alarms.length > 0 ? { alarms: run.alarms } : {}),
        ...(run.stopped ? { stopped: run.stopped } : {}),
        ...(run.newer.by ? { superseded: run.newer.by } : {}),
        ...(rolledBack ? { rolledBack } : {}),
        ...(deps.cancel?.reason ? { cancelled: deps.cancel.reason } : {}),
    };
    if (failed || result.cancelled)
        throw new RolloutError(result);
    return result;
}

;// CONCATENATED MODULE: ./src/steps/smoke-test.ts
/**
 * Smoke-test step: extracts the layer zip, mounts it read-only at /opt in the Lambda runtime image
 * (entrypoint overridden, no network) and imports every module, one by one — once for each runtime
 * the layer declares, each in its own runtime image, since each reads its own folders.
 */










class SmokeTestError extends Error {
    result;
    constructor(result) {
        const lines = result.runs
            .filter((run) => run.imports.some((r) => !r.ok))
            .map((run) => {
            const failed = run.imports.filter((r) => !r.ok);
            return (`Smoke test failed in ${run.image}: ${failed.length} of ${run.imports.length} imports failed:\n` +
                failed.map((r) => `  ${r.module}: ${r.error}`).join('\n'));
        });
        super(lines.join('\n'));
        this.result = result;
        this.name = 'SmokeTestError';
    }
}
const smoke_test_MARKER = 'LLR-SMOKE ';
async function smokeTest(inputs, artifact, deps) {
    // Test the zip's content, not the build folder: what is published is what is imported.
    const opt = external_node_path_.join(external_node_path_.dirname(artifact.layerDir), 'opt');
    await promises_.rm(opt, { recursive: true, force: true });
    await extractZip(artifact.zipFile, opt);
    const entries = await listTree(opt);
    const runs = [];
    try {
        for (const runtime of declaredRuntimes(inputs)) {
            runs.push(await smokeRuntime(inputs, runtime, artifact, opt, entries, deps));
        }
    }
    finally {
        await promises_.rm(opt, { recursive: true, force: true });
    }
    const result = { image: runs[0].image, imports: runs[0].imports, runs };
    if (runs.some((run) => run.imports.some((r) => !r.ok)))
        throw new SmokeTestError(result);
    return result;
}
async function smokeRuntime(inputs, runtime, artifact, opt, entries, deps) {
    const image = smokeImageFor(inputs, runtime);
    // Each runtime reads its own folders: python3.13 the packages in python/lib/python3.13/site-packages.
    const modulePaths = modulePathsIn(entries, runtime);
    const modules = await modulesToImport(inputs, runtime, artifact, opt, modulePaths);
    if (modules.length === 0) {
        lib_core/* warning */.$e(`The smoke test found no modules to import for ${runtime.id} (no package metadata); name them in smoke-imports.`);
        return { runtime: runtime.id, image, imports: [] };
    }
    lib_core/* info */.pq(oneLine(`${runtime.id}: importing ${modules.length} module(s) in ${image}: ${modules.join(', ')}`));
    const recipe = (0,src_runtimes/* smokeRecipe */.WQ)(runtime, modulePaths, inputs.architecture);
    const args = runArgs({
        image,
        architecture: inputs.architecture,
        mounts: await smokeMounts(recipe, opt, artifact),
        env: { HOME: '/tmp', ...recipe.env },
        workdir: recipe.workdir,
        entrypoint: recipe.program,
        user: currentUser(),
        network: 'none',
        command: [...recipe.args, ...modules],
    });
    // Streamed (fenced: see dockerOutput), so a crash's whole trace is in the log.
    const output = await dockerOutput(deps.exec, args, { what: `The smoke test in ${image}` });
    const imports = importResults(modules, output, image);
    logResults(runtime, imports);
    return { runtime: runtime.id, image, imports };
}
/** smoke-imports, or every module the runtime's packages provide (read again for another runtime's folders). */
async function modulesToImport(inputs, runtime, artifact, opt, modulePaths) {
    const packages = runtime.id === inputs.runtime.id
        ? artifact.packages
        : await listPackages(runtime.family, opt, modulePaths);
    return inputs.smokeImports ?? [...new Set(packages.flatMap((p) => p.imports))];
}
/** The layer read-only at /opt, and the recipe's files (written beside the build) under CONTAINER_TOOLS. */
async function smokeMounts(recipe, opt, artifact) {
    const mounts = [{ host: opt, container: '/opt', readonly: true }];
    const tools = external_node_path_.join(external_node_path_.dirname(artifact.layerDir), 'smoke-tools');
    if (recipe.files) {
        await promises_.rm(tools, { recursive: true, force: true });
        await promises_.mkdir(tools);
        for (const [name, content] of Object.entries(recipe.files)) {
            await promises_.writeFile(external_node_path_.join(tools, name), content, { mode: 0o644 });
        }
        mounts.push({ host: tools, container: src_runtimes/* CONTAINER_TOOLS */.A$, readonly: true });
    }
    return mounts;
}
/** Each module's result: its result line, or why it has none (the crash, or an earlier one). */
function importResults(modules, output, image) {
    const reported = new Map();
    for (const line of output.stdout.split('\n')) {
        if (line.startsWith(smoke_test_MARKER)) {
            const result = JSON.parse(line.slice(smoke_test_MARKER.length));
            reported.set(result.module, result);
        }
    }
    if (reported.size === 0 && output.exitCode !== 0) {
        throw new Error(`Smoke test could not start in ${image} (exit code ${output.exitCode}):\n${tail(output.stderr)}`);
    }
    // A module without a result line is the one the interpreter died on (e.g. a native library
    // built for another architecture); the ones after it never ran.
    const crashed = modules.find((module) => !reported.has(module));
    return modules.map((module) => reported.get(module) ?? {
        module,
        ok: false,
        error: module === crashed
            ? `the interpreter exited with code ${output.exitCode} while importing it: ${tail(output.stderr, 5)}`
            : 'not tried: an earlier import crashed the interpreter',
    });
}
function logResults(runtime, imports) {
    for (const result of imports) {
        if (result.ok) {
            const notes = [result.detail, result.ms === undefined ? undefined : `${result.ms} ms`].filter(Boolean);
            // The result line comes from the container, where the layer's code ran: one line, no commands.
            lib_core/* info */.pq(oneLine(`  ok   ${result.module}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`));
        }
        else {
            lib_core/* error */.z3(`Import of ${result.module} failed in ${runtime.id}: ${result.error}`, {
                title: 'Smoke test',
            });
        }
    }
}

;// CONCATENATED MODULE: ./src/pipeline.ts
/**
 * The ordered steps. Each runs in its own log group, is timed, and leaves its result in the Report;
 * a step takes only what the steps before it produced.
 */














const TITLES = {
    build: 'Build the layer',
    'smoke-test': 'Smoke-test the layer',
    publish: 'Publish the layer version',
    'roll-out': 'Roll out to functions',
    ssm: 'Write the SSM parameter',
    comment: 'Comment on the commit or pull request',
};
/** Events whose code is a proposal: the steps that write to AWS only plan (see planReason). */
const PLAN_EVENTS = ['pull_request', 'pull_request_target'];
/** The steps that write to AWS; keep-versions (retention) runs only with publish. */
const WRITING_STEPS = ['publish', 'roll-out', 'ssm'];
/**
 * Why this run's code (or what it builds) is a pull request's rather than the repository's own, or
 * undefined. A workflow_run event runs the default branch's workflow, but one triggered by a fork's
 * pull request typically builds what that pull request brought (its artifacts, its head commit).
 */
function proposal(context) {
    const { eventName, triggeringRun } = context;
    if (eventName !== undefined && PLAN_EVENTS.includes(eventName))
        return `a ${eventName} event`;
    if (eventName !== 'workflow_run')
        return undefined;
    // Without a readable payload nothing says whose code it is: plan, as for a fork.
    const event = triggeringRun?.event;
    if (event === undefined || PLAN_EVENTS.includes(event)) {
        if (triggeringRun && !triggeringRun.fromFork)
            return undefined;
        const from = triggeringRun?.headRepository
            ? `the fork ${triggeringRun.headRepository}`
            : 'an unknown repository';
        return `a workflow_run event triggered by a ${event ?? 'pull request (unknown event)'} run from ${from}`;
    }
    return undefined;
}
/**
 * Why this run only plans, or undefined when it may write. Code from a pull request (and, with
 * pull_request_target, the base repository's secrets) must not release: plan on the pull request,
 * apply on merge, unless the workflow opts in with allow-pull-requests.
 */
function planReason(inputs, context) {
    const why = proposal(context);
    if (why === undefined)
        return undefined;
    if (inputs.allowPullRequests || inputs.dryRun)
        return undefined;
    if (!inputs.steps.some((step) => WRITING_STEPS.includes(step)))
        return undefined;
    return (`this run is for ${why}, so publish, roll-out, ssm and keep-versions only plan and ` +
        'nothing is written to AWS; release from a push to the default branch, or set allow-pull-requests: true.');
}
async function runPipeline(inputs, deps, report) {
    const context = (report.context = (0,github/* readGitHubContext */.L7)());
    const reason = planReason(inputs, context);
    if (reason) {
        report.plan = { reason };
        lib_core/* notice */.lm(`Plan only: ${reason}`, { title: 'Plan only' });
    }
    // A pull request's run may use the download cache, never fill it: a release build restores it.
    const building = proposal(context) && inputs.cache === 'restore-and-save' ? { ...inputs, cache: 'restore-only' } : inputs;
    // The comment still posts for real: on a pull request it is where the plan is shown.
    const writes = reason ? { ...inputs, dryRun: true } : inputs;
    report.layerName = inputs.layerName;
    report.runtime = inputs.runtime.id;
    report.architecture = inputs.architecture;
    report.dryRun = writes.dryRun;
    for (const { step, reason } of inputs.skipped)
        report.steps.push({ step, status: 'skipped', note: reason });
    // Input checks that need AWS or the disk: before the first step, so a bad input changes nothing.
    const { lookUps } = await preflight(inputs, deps);
    await runSteps({ inputs, writes, building, deps, report, context, lookUps, layers: [] });
    if (reason)
        lib_core/* info */.pq(`Plan (nothing was written to AWS): ${(0,src_report/* planFacts */.pE)(report).join('; ') || 'no changes'}.`);
}
/** Runs the chosen steps in order; a failed or cancelled run still posts its comment, saying so. */
async function runSteps(run) {
    const { inputs, deps, report } = run;
    const runStep = (step) => timed(step, `${TITLES[step]} (${step})`, () => STEPS[step](run), deps, report);
    try {
        for (const step of inputs.steps) {
            const signal = deps.cancel.reason;
            if (signal) {
                // Stopped before this step; the comment still posts (below), saying so.
                report.cancelled ??= { signal, step };
                const note = `not started: cancelled (${signal})`;
                if (step !== 'comment')
                    report.steps.push({ step, status: 'cancelled', note });
                deps.cancel.throwIfCancelled();
            }
            if (step === 'comment')
                await keepVersions(run);
            if (step === 'smoke-test' && report.unchanged) {
                const note = `${report.unchanged.message}; tested when it was built`;
                report.steps.push({ step, status: 'skipped', note });
                continue;
            }
            await runStep(step);
        }
        deps.cancel.throwIfCancelled();
        if (!inputs.steps.includes('comment'))
            await keepVersions(run);
    }
    catch (error) {
        (0,src_report/* noteCancel */.LU)(report, deps.cancel);
        // The comment is where people look: a failed (or cancelled) run posts it too, with the failure in it.
        if (inputs.steps.includes('comment') && !report.steps.some((s) => s.step === 'comment')) {
            report.error = error instanceof Error ? error.message : String(error);
            await runStep('comment');
        }
        throw error;
    }
}
/**
 * Old versions go only after everything else succeeded, so a failed run never loses a fallback;
 * before the comment, so the comment says what was deleted.
 */
async function keepVersions({ inputs, writes, layers, deps, report }) {
    if (inputs.keepVersions === 0 || layers.length === 0)
        return;
    const title = `Delete old layer versions (keep ${inputs.keepVersions})`;
    const body = async () => {
        report.retention = await applyRetention(writes, layers, deps);
        return 'done';
    };
    await timed('keep-versions', title, body, deps, report);
}
/** Each step: what it does with the run, and its note for the summary. */
const STEPS = {
    build: buildStep,
    'smoke-test': async ({ inputs, deps, report, artifact }) => {
        try {
            report.smoke = await smokeTest(inputs, needArtifact(artifact), deps);
        }
        catch (error) {
            if (error instanceof SmokeTestError)
                report.smoke = error.result;
            throw error;
        }
        return 'imports ok';
    },
    publish: publishStep,
    'roll-out': async ({ writes, layers, deps, report, lookUps }) => {
        try {
            report.rollout = await rollOut(writes, layers, deps, lookUps);
        }
        catch (error) {
            if (error instanceof RolloutError)
                report.rollout = error.result;
            throw error;
        }
        return 'rolled out';
    },
    ssm: async ({ inputs, writes, layers, deps, report }) => {
        const result = (report.parameter = await putParameter(writes, layers, deps));
        if (result.failures.length > 0) {
            throw new Error(`Writing ${inputs.ssmParameter} failed in ${result.failures.length} of ${layers.length} regions:\n` +
                result.failures.map((f) => `  ${f.error}`).join('\n'));
        }
        return 'written';
    },
    comment: async ({ inputs, deps, report, context }) => {
        // A comment that cannot be posted is a warning (postComment never throws): the release stands.
        const body = (0,src_report/* renderComment */.wQ)(report, inputs.commentDetails);
        report.comment = await postComment(inputs, body, context, deps.cancel.deadline);
        return report.comment.action;
    },
};
function needArtifact(artifact) {
    if (!artifact)
        throw new Error('internal: no layer artifact before a step that needs one');
    return artifact;
}
/** Builds the layer, unless the build key says the published version already holds this content. */
async function buildStep(run) {
    const { inputs, building, deps, report } = run;
    const plan = (run.plan = await planBuild(inputs, deps));
    if (!plan.build) {
        lib_core/* info */.pq(`The layer is ${plan.message}.`);
        const versions = plan.versions.map((v) => v.version);
        report.unchanged = { message: plan.message, buildKey: plan.buildKey, versions };
        return plan.message;
    }
    const built = await buildLayer(building, deps);
    const artifact = plan.buildKey ? { ...built, buildKey: plan.buildKey } : built;
    const sbom = await writeSbom(inputs, artifact);
    run.artifact = report.artifact = sbom ? { ...artifact, sbom } : artifact;
    return 'built';
}
/** Publishes (or reuses, when nothing was built) a version in every region, and the package diff. */
async function publishStep(run) {
    const { inputs, writes, deps, report, plan, artifact } = run;
    const result = (report.publish =
        plan?.build === false
            ? await reuseVersions(writes, plan.versions, deps)
            : await publish(writes, needArtifact(artifact), deps));
    run.layers = result.layers;
    const family = inputs.runtime.family;
    // A reused version (nothing built) has the same packages: there is nothing to compare.
    if (artifact)
        report.changes = await packageChanges(inputs.layerName, family, artifact, run.layers, deps);
    if (result.failures.length > 0) {
        throw new Error(`Publishing failed in ${result.failures.length} of ${inputs.regions.length} regions:\n` +
            result.failures.map((f) => `  ${f.region}: ${f.error}`).join('\n'));
    }
    return 'published';
}
async function timed(step, title, body, deps, report) {
    const started = deps.now();
    const seconds = () => (deps.now() - started) / 1000;
    report.running = step;
    try {
        const note = await lib_core/* group */.Os(title, body);
        report.steps.push({ step, status: 'succeeded', seconds: seconds(), note });
    }
    catch (error) {
        // Whatever a step throws once the run is cancelled (a removed container's exit code, an aborted
        // call) is the cancel, not a failure of the step.
        const signal = deps.cancel.reason;
        const note = signal ? `cancelled (${signal})` : error.message.split('\n')[0];
        (0,src_report/* noteCancel */.LU)(report, deps.cancel);
        report.steps.push({ step, status: signal ? 'cancelled' : 'failed', seconds: seconds(), note });
        throw error;
    }
    finally {
        delete report.running;
    }
}


/***/ })

};
