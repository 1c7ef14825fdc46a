export const id = 333;
export const ids = [333];
export const modules = {

/***/ 1333:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  defaultDeps: () => (/* binding */ defaultDeps)
});

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(7187);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-lambda/dist-cjs/index.js
var dist_cjs = __webpack_require__(1696);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ssm/dist-cjs/index.js
var client_ssm_dist_cjs = __webpack_require__(4736);
;// CONCATENATED MODULE: ./node_modules/p-throttle/index.js
const states = new WeakMap();
const signalThrottleds = new WeakMap(); // AbortSignal -> {throttleds: Set<WeakRef>, listener: Function}

const finalizationRegistry = new FinalizationRegistry(({signalWeakRef, weakReference}) => {
	const signal = signalWeakRef.deref();
	if (!signal) {
		return; // Signal already GC'd
	}

	const registration = signalThrottleds.get(signal);
	if (registration) {
		registration.throttleds.delete(weakReference);
		if (registration.throttleds.size === 0) {
			// Remove the abort listener when no throttleds remain
			signal.removeEventListener('abort', registration.listener);
			signalThrottleds.delete(signal);
		}
	}
});

function pThrottle({limit, interval, strict, signal, onDelay, weight}) {
	if (!Number.isFinite(limit)) {
		throw new TypeError('Expected `limit` to be a finite number');
	}

	if (!Number.isFinite(interval)) {
		throw new TypeError('Expected `interval` to be a finite number');
	}

	if (limit < 0) {
		throw new TypeError('Expected `limit` to be >= 0');
	}

	if (interval < 0) {
		throw new TypeError('Expected `interval` to be >= 0');
	}

	if (weight !== undefined && typeof weight !== 'function') {
		throw new TypeError('Expected `weight` to be a function');
	}

	if (weight && interval === 0) {
		throw new TypeError('The `weight` option cannot be used with `interval` of 0');
	}

	// TODO: Uncomment in next major version (breaking change)
	// The combination of strict mode with interval=0 doesn't enforce the limit correctly
	// (minSpacing becomes 0, allowing unlimited calls in the same millisecond).
	// For now, we allow it to avoid breaking existing code, but it should be rejected in v9.
	// if (strict && interval === 0) {
	// 	throw new TypeError('The `strict` option cannot be used with `interval` of 0');
	// }

	const state = {
		queue: new Map(),
		strictTicks: [],
		// Track windowed algorithm state so it can be reset on abort
		currentTick: 0,
		activeWeight: 0,
	};
	const strictCapacity = Math.max(limit, 1);

	// Helper: insert tick maintaining sorted order by time (for weighted strict mode)
	const insertTickSorted = tickRecord => {
		// Optimization: append if it belongs at the end (common case - O(1))
		if (state.strictTicks.length === 0 || tickRecord.time >= state.strictTicks.at(-1).time) {
			state.strictTicks.push(tickRecord);
		} else {
			// Insert at correct position (rare case - O(n))
			const insertIndex = state.strictTicks.findIndex(tick => tick.time > tickRecord.time);
			state.strictTicks.splice(insertIndex, 0, tickRecord);
		}
	};

	function windowedDelay(requestWeight) {
		const now = Date.now();

		if ((now - state.currentTick) > interval) {
			state.activeWeight = requestWeight;
			state.currentTick = now;
			return 0;
		}

		if (state.activeWeight + requestWeight <= limit) {
			state.activeWeight += requestWeight;
		} else {
			state.currentTick += interval;
			state.activeWeight = requestWeight;
		}

		return state.currentTick - now;
	}

	function weightedDelay(requestWeight, now, ticks) {
		// Check both the requested time and future reservations that would share a window with this call. A smaller call must not steal capacity already reserved for a later, heavier call.
		const findBlockingTick = time => {
			let windowStart = 0;
			let windowWeight = 0;

			for (const [index, tick] of ticks.entries()) {
				if (tick.time >= time + interval) {
					break;
				}

				windowWeight += tick.weight;
				const windowEnd = Math.max(time, tick.time);
				while (windowStart <= index && ticks[windowStart].time <= windowEnd - interval) {
					windowWeight -= ticks[windowStart].weight;
					windowStart++;
				}

				if (windowWeight + requestWeight > limit) {
					return ticks[windowStart];
				}
			}
		};

		let nextExecutionTime = now;
		let blockingTick = findBlockingTick(nextExecutionTime);
		while (blockingTick) {
			nextExecutionTime = blockingTick.time + interval;
			blockingTick = findBlockingTick(nextExecutionTime);
		}

		const tickRecord = {
			time: nextExecutionTime,
			weight: requestWeight,
			isExecuted: false,
		};
		insertTickSorted(tickRecord);
		return {delay: Math.max(0, nextExecutionTime - now), tickRecord};
	}

	function strictDelay(requestWeight) {
		const now = Date.now();

		// Clear the queue if there's a significant delay since the last execution
		if (state.strictTicks.length > 0 && now - state.strictTicks.at(-1).time > interval) {
			state.strictTicks.length = 0;
		}

		// For weighted throttling, use time-based sliding window
		if (weight) {
			// Remove ticks outside the current interval window
			while (state.strictTicks.length > 0 && now - state.strictTicks[0].time >= interval) {
				state.strictTicks.shift();
			}

			return weightedDelay(requestWeight, now, state.strictTicks);
		}

		// For non-weighted throttling, use count-based queue (original algorithm)
		// If the queue is not full (treat limit 0 as capacity 1 for seeding), add the current time and execute immediately
		if (state.strictTicks.length < strictCapacity) {
			state.strictTicks.push({time: now, weight: requestWeight});
			return {delay: 0};
		}

		// Calculate next execution time: must be after oldest + interval,
		// AND must be after the most recent to prevent multiple calls bunching up
		const oldestTime = state.strictTicks[0].time;
		const mostRecentTime = state.strictTicks.at(-1).time;
		const baseTime = oldestTime + interval;
		// Add minimum spacing to prevent bunching (except for interval=0)
		const minSpacing = interval > 0 ? Math.ceil(interval / strictCapacity) : 0;
		const nextExecutionTime = baseTime <= mostRecentTime ? mostRecentTime + minSpacing : baseTime;

		// Shift the queue and add a record for the new execution
		state.strictTicks.shift();
		const tickRecord = {time: nextExecutionTime, weight: requestWeight};
		state.strictTicks.push(tickRecord);

		// Calculate the delay for the current execution
		return {delay: Math.max(0, nextExecutionTime - now), tickRecord};
	}

	const getDelay = strict ? strictDelay : windowedDelay;

	return function_ => {
		const throttled = function (...arguments_) {
			if (!throttled.isEnabled) {
				return (async () => function_.apply(this, arguments_))();
			}

			let timeoutId;
			return new Promise((resolve, reject) => {
				// Calculate weight for this call
				let requestWeight = 1;
				if (weight) {
					try {
						requestWeight = weight(...arguments_);
					} catch (error) {
						reject(error);
						return;
					}

					// Validate weight
					if (!Number.isFinite(requestWeight) || requestWeight < 0) {
						reject(new TypeError('Expected `weight` to be a finite non-negative number'));
						return;
					}

					if (requestWeight > limit) {
						reject(new TypeError(`Expected \`weight\` (${requestWeight}) to be <= \`limit\` (${limit})`));
						return;
					}
				}

				const delayResult = getDelay(requestWeight);
				const delay = strict ? delayResult.delay : delayResult;
				let tickRecord = strict ? delayResult.tickRecord : undefined;

				const execute = () => {
					// Revalidate weighted calls at execution time to account for timer drift
					if (tickRecord) {
						const actualTime = Date.now();

						if (weight) {
							const index = state.strictTicks.indexOf(tickRecord);
							if (index !== -1) {
								state.strictTicks.splice(index, 1);
							}

							const executedTicks = state.strictTicks.filter(tick => tick.isExecuted);
							const updatedDelayResult = weightedDelay(requestWeight, actualTime, executedTicks);
							tickRecord = updatedDelayResult.tickRecord;

							if (updatedDelayResult.delay > 0) {
								state.queue.delete(timeoutId);
								timeoutId = setTimeout(execute, updatedDelayResult.delay);
								state.queue.set(timeoutId, reject);
								return;
							}

							tickRecord.isExecuted = true;
						} else {
							tickRecord.time = actualTime;
						}
					}

					try {
						resolve(function_.apply(this, arguments_));
					} catch (error) {
						reject(error);
					}

					state.queue.delete(timeoutId);
				};

				if (delay > 0) {
					timeoutId = setTimeout(execute, delay);
					state.queue.set(timeoutId, reject);
					try {
						onDelay?.(...arguments_);
					} catch {}
				} else {
					execute();
				}
			});
		};

		signal?.throwIfAborted();

		if (signal) {
			let registration = signalThrottleds.get(signal);
			if (!registration) {
				registration = {
					throttleds: new Set(),
					listener: null,
				};

				registration.listener = () => {
					for (const weakReference of registration.throttleds) {
						const function_ = weakReference.deref();
						if (!function_) {
							continue;
						}

						const functionState = states.get(function_);
						if (!functionState) {
							continue;
						}

						for (const timeout of functionState.queue.keys()) {
							clearTimeout(timeout);
							functionState.queue.get(timeout)(signal.reason);
						}

						functionState.queue.clear();
						functionState.strictTicks.length = 0;
						// Reset windowed state so subsequent calls are not artificially delayed
						functionState.currentTick = 0;
						functionState.activeWeight = 0;
					}

					signalThrottleds.delete(signal);
				};

				signalThrottleds.set(signal, registration);
				signal.addEventListener('abort', registration.listener, {once: true});
			}

			const weakReference = new WeakRef(throttled);
			registration.throttleds.add(weakReference);
			finalizationRegistry.register(throttled, {
				signalWeakRef: new WeakRef(signal),
				weakReference,
			});
		}

		throttled.isEnabled = true;

		Object.defineProperty(throttled, 'queueSize', {
			get() {
				return state.queue.size;
			},
		});

		states.set(throttled, state);

		return throttled;
	};
}

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
    const slot = (perSecond) => pThrottle({ limit: perSecond, interval: 1000, strict: true })(async () => undefined);
    const getFunctionSlot = slot(LAMBDA_QUOTAS.getFunctionPerSecond);
    const controlPlaneSlot = slot(LAMBDA_QUOTAS.controlPlanePerSecond);
    client.middlewareStack.add((next, context) => async (args) => {
        await (context.commandName === 'GetFunctionCommand' ? getFunctionSlot : controlPlaneSlot)();
        return next(args);
    }, { step: 'finalizeRequest', priority: 'low', name: 'lambdaLayerReleasePacing' });
    return client;
}

// EXTERNAL MODULE: ./src/cancel.ts
var src_cancel = __webpack_require__(833);
;// CONCATENATED MODULE: ./src/deps.ts
/**
 * Everything the action does to the outside world goes through this object, so tests can
 * replace any part of it. `defaultDeps()` is what the runner uses.
 */




function defaultDeps(runId = (0,src_cancel/* newRunId */.F$)(), cancel = new src_cancel/* Cancellation */.mT()) {
    const containers = new src_cancel/* RunContainers */.EY(runId, exec/* getExecOutput */.H, cancel);
    return {
        ...awsClients(process.env, cancel.inFlight),
        exec: containers.exec,
        now: () => performance.now(),
        // A cancel ends a wait (a canary's bake) at once; the caller then sees deps.cancel and stops.
        sleep: (ms) => (0,promises_.setTimeout)(ms, undefined, { signal: cancel.signal }).catch(() => undefined),
        cancel,
        containers,
    };
}


/***/ })

};
