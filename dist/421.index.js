export const id = 421;
export const ids = [421];
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

/***/ 2421:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   defaultDeps: () => (/* binding */ defaultDeps)
/* harmony export */ });
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7187);
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8500);
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_timers_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _aws_clients_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8126);
/* harmony import */ var _cancel_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(833);
/**
 * Everything the action does to the outside world goes through this object, so tests can
 * replace any part of it. `defaultDeps()` is what the runner uses.
 */




function defaultDeps(runId = (0,_cancel_js__WEBPACK_IMPORTED_MODULE_3__/* .newRunId */ .F$)(), cancel = new _cancel_js__WEBPACK_IMPORTED_MODULE_3__/* .Cancellation */ .mT()) {
    const containers = new _cancel_js__WEBPACK_IMPORTED_MODULE_3__/* .RunContainers */ .EY(runId, _actions_exec__WEBPACK_IMPORTED_MODULE_0__/* .getExecOutput */ .H, cancel);
    return {
        ...(0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_2__/* .awsClients */ .e7)(process.env, cancel.inFlight),
        exec: containers.exec,
        now: () => performance.now(),
        // A cancel ends a wait (a canary's bake) at once; the caller then sees deps.cancel and stops.
        sleep: (ms) => (0,node_timers_promises__WEBPACK_IMPORTED_MODULE_1__.setTimeout)(ms, undefined, { signal: cancel.signal }).catch(() => undefined),
        cancel,
        containers,
    };
}


/***/ })

};
