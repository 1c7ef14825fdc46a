export const id = 184;
export const ids = [184];
export const modules = {

/***/ 184:
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
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/github.ts
var github = __webpack_require__(9248);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
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
// EXTERNAL MODULE: ./src/layer/zip.ts
var layer_zip = __webpack_require__(4358);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-lambda/dist-cjs/index.js
var dist_cjs = __webpack_require__(1696);
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

// EXTERNAL MODULE: ./src/glob.ts
var glob = __webpack_require__(5601);
;// CONCATENATED MODULE: ./src/steps/look-up.ts
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
 */


/** About one second of GetFunction quota: more names than this are found faster by listing. */
const LIST_THRESHOLD = 90;
/** GetFunction calls in flight at once; the client's pacing keeps them under the quota. */
const PARALLEL_LOOK_UPS = 25;
const lookUpKey = (role, region) => `${role ?? ''} ${region}`;
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
 * Parallel GetFunction calls, raced by one listing for a long list (src/steps/look-up.ts), unless the
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
/** Listed names apply to every account and region; a function ARN only to its own. */
function namesIn(selection, region, account) {
    return selection.names.filter((name) => {
        if (!name.startsWith('arn:'))
            return true;
        const [, , , arnRegion, arnAccount] = name.split(':');
        return arnRegion === region && (account === undefined || arnAccount === account);
    });
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
 * The accounts a roll-out reaches. Without `accounts`, the job's own account (the layer's). With it,
 * each listed account in the order given: the layer's own account through the job's credentials, every
 * other one through `account-role` assumed with them. Discovery runs in every account and region,
 * `max-parallel-accounts` accounts at a time; an account whose role cannot be assumed (or whose
 * functions cannot be listed) is a failure of that account, with the error AWS gave, and `on-failure`
 * decides what it means for the others (src/steps/roll-out.ts).
 */




/** The account that owns the published layer (and whose credentials the job has). */
function layerAccount(layers) {
    return layers[0]?.layerArn.split(':')[4] ?? '';
}
/** `own`: the job's own account (reached with its credentials, never through account-role). */
function rolloutTargets(inputs, own) {
    const accounts = inputs.accounts ?? [];
    if (accounts.length === 0)
        return [{ account: own }];
    return accounts.map((account) => account === own || !inputs.accountRole
        ? { account }
        : { account, role: inputs.accountRole.replaceAll('{account}', account) });
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
            core/* warning */.$e(reason);
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

;// CONCATENATED MODULE: ./src/steps/alarms.ts
/** DescribeAlarms accepts at most 100 names per request. */
const NAMES_PER_REQUEST = 100;
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
;// CONCATENATED MODULE: ./src/steps/put-parameter.ts
/**
 * SSM step: writes the layer version ARN to a String parameter in every region the layer is in, so
 * other stacks can read `{{resolve:ssm:…}}` instead of hard-coding a version. A re-run with the same
 * ARN writes nothing (no new parameter version, no change notifications downstream).
 */




async function putParameter(inputs, layers, deps) {
    const name = inputs.ssmParameter;
    if (name === undefined)
        throw new Error('internal: the ssm step runs only with ssm-parameter');
    // Every region is tried: one region's missing permission must not hide what happened in the others.
    const byRegion = new Map(layers.map((layer) => [layer.region, layer]));
    const { results: writes, failures } = await inEachRegion(layers.map((layer) => layer.region), (region) => writeInRegion(name, byRegion.get(region), inputs.dryRun, deps.ssm(region), deps.cancel?.signal), { explain: (error, region) => explain(error, name, byRegion.get(region)) });
    // Each message names its parameter and region already.
    for (const failure of failures)
        core/* error */.z3(failure.error, { title: 'SSM parameter not written' });
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
    if (existing?.value === value) {
        core/* info */.pq(`${region}: ${name} already holds ${value} (version ${existing.version}); not written.`);
        return { ...result, version: existing.version, changed: false };
    }
    if (dryRun) {
        core/* info */.pq(`${region}: dry-run, would ${existing ? 'update' : 'create'} ${name} = ${value}.`);
        return { ...result, version: (existing?.version ?? 0) + 1, changed: true };
    }
    cancelled?.throwIfAborted();
    const written = await ssm.send(new client_ssm_dist_cjs/* PutParameterCommand */.ihh({ Name: name, Value: value, Type: 'String', DataType: 'text', Overwrite: true }));
    core/* info */.pq(`${region}: ${existing ? 'updated' : 'created'} ${name} = ${value} (version ${written.Version}).`);
    return { ...result, version: written.Version, changed: true };
}
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
/** An error message that names the parameter and region and, where it can, what to change. */
function explain(error, name, layer) {
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
            core/* info */.pq(`${shown}: could not check it in ${region} (${describeError(error)}); publish will tell.`);
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
        core/* info */.pq(`Credentials are for account ${account}.`);
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
            // A consumer account given in `accounts` is reached through its role (src/steps/accounts.ts).
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
        zip = await (0,layer_zip/* openZip */.QH)(inputs.zipFile, { lazyEntries: true, autoClose: false });
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

// EXTERNAL MODULE: ./src/report/index.ts + 7 modules
var src_report = __webpack_require__(7696);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(4942);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/consumers"
var consumers_ = __webpack_require__(8321);
// EXTERNAL MODULE: ./node_modules/yauzl/index.js
var yauzl = __webpack_require__(663);
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
    const zip = await (0,layer_zip/* openZip */.QH)(file, { lazyEntries: true, autoClose: false });
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
        core/* warning */.$e(message, { title: 'Package diff' });
        return { changes: [], unchanged: 0, error: message };
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/host-guard.ts
var host_guard = __webpack_require__(3585);
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
    nodejs: (manifest, root) => withLockFile(manifest, root, ['package-lock.json', 'npm-shrinkwrap.json']),
    ruby: (manifest, root) => withLockFile(manifest, root, ['Gemfile.lock']),
    java: (manifest, root) => /\.gradle(\.kts)?$/.test(manifest) ? gradlePinning(manifest, root) : mavenPinning(manifest, root),
    provided: async () => ({
        pinned: false,
        reason: 'a custom runtime is built by its Makefile, which can fetch anything',
    }),
};
/** `root`: the working directory, which every file read must stay in. */
async function checkPinning(family, manifestPath, root) {
    if ((await readText(root, manifestPath)) === undefined) {
        return { pinned: false, reason: `${(0,host_guard/* shownIn */.fz)(root, manifestPath)} cannot be read` };
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
    const pinning = await checkPinning(inputs.runtime.family, external_node_path_.join(inputs.workingDirectory, inputs.manifest), (0,host_guard/* workingRoot */.qW)(inputs));
    if (!pinning.pinned) {
        core/* info */.pq(`Building: the manifest is not fully pinned (${pinning.reason}), so only a build can tell what changed.`);
        return { build: true };
    }
    const buildKey = await computeBuildKey(inputs, pinning.files, deps);
    core/* info */.pq(`Build key ${buildKey} (${inputs.manifest} and its lock files, runtime, image, build settings).`);
    const why = inputs.forceBuild
        ? 'force-build is on'
        : !inputs.skipUnchanged
            ? 'skip-unchanged is off'
            : !inputs.steps.includes('publish')
                ? 'this run does not publish, so there is no version to reuse'
                : undefined;
    if (why) {
        core/* info */.pq(`Building: ${why}.`);
        return { build: true, buildKey };
    }
    const { results, failures } = await inEachRegion(inputs.regions, (region) => newestVersion(deps.lambda(region), inputs.layerName, region));
    const mismatch = failures.map((f) => `${f.region}: the newest version could not be read (${f.error})`)[0] ??
        results.map((newest, i) => differs(newest, inputs, buildKey, inputs.regions[i])).find(Boolean);
    if (mismatch) {
        core/* info */.pq(`Building: ${mismatch}.`);
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

// EXTERNAL MODULE: ./src/steps/build.ts + 7 modules
var build = __webpack_require__(6130);
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
        core/* warning */.$e(warning, { title: 'Comment not posted' });
        return { target, action: 'failed', warning };
    };
    if (!inputs.githubToken)
        return fail('No github-token: the report was not posted as a comment.');
    core/* setSecret */.Pq(inputs.githubToken);
    if (!context.repository || (target === 'commit' && !context.sha)) {
        return fail('GITHUB_REPOSITORY or GITHUB_SHA is not set: there is no commit to comment on.');
    }
    const octokit = await (0,github/* githubClient */.$f)(inputs.githubToken, context.apiUrl, signal);
    const thread = threadFor(octokit, context);
    const marker = commentMarker(inputs.layerName);
    try {
        const existing = await findComment(thread, marker, await tokenLogin(octokit));
        if (inputs.dryRun) {
            core/* info */.pq(`dry-run: would ${existing ? `update ${existing.html_url}` : `comment on ${thread.title}`}.`);
            return { target, action: 'planned', ...(existing ? { url: existing.html_url } : {}) };
        }
        const text = commentBody(inputs.layerName, body);
        const { data } = existing ? await thread.update(existing.id, text) : await thread.create(text);
        core/* info */.pq(`${existing ? 'Updated' : 'Posted'} the report on ${thread.title}: ${data.html_url}`);
        return { target, action: existing ? 'updated' : 'created', url: data.html_url };
    }
    catch (error) {
        return fail(comment_explain(error, target, thread.title, context));
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
            core/* info */.pq(`Ignoring ${comment.html_url}: it carries this layer's marker but was written by ${author}, not ${login}.`);
        }
    }
    return undefined;
}
/** What went wrong and what to change; GitHub's own message is kept, the token never appears. */
function comment_explain(error, target, title, context) {
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/layer/packages.ts
var layer_packages = __webpack_require__(4784);
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
    const text = inputs.description ?? ((0,layer_packages/* pinnedList */.$)(inputs.runtime.family, artifact.packages) || inputs.layerName);
    const room = MAX_DESCRIPTION - marker.length;
    return `${text.length > room ? `${text.slice(0, room - 1)}…` : text}${marker}`;
}
async function publish(inputs, artifact, deps) {
    const viaS3 = inputs.s3Bucket !== undefined || artifact.zipSize > build.MAX_DIRECT_UPLOAD_BYTES;
    if (viaS3 && inputs.s3Bucket === undefined) {
        throw new Error(`The layer zip is ${(0,build.mb)(artifact.zipSize)}; Lambda accepts at most ${(0,build.mb)(build.MAX_DIRECT_UPLOAD_BYTES)} in a direct ` +
            'upload. Set s3-bucket to a bucket in each region (e.g. my-artifacts-{region}) to publish through S3.');
    }
    const { results: layers, failures } = await inEachRegion(inputs.regions, (region) => publishInRegion(inputs, artifact, deps, region), { concurrency: REGION_CONCURRENCY });
    for (const failure of failures)
        core/* error */.z3(`${failure.region}: ${failure.error}`, { title: 'Publish failed' });
    return { layers, failures };
}
/** Uses the versions found unchanged before the build (by build key): shares them, publishes nothing. */
async function reuseVersions(inputs, versions, deps) {
    const { results: layers, failures } = await inEachRegion(versions.map((v) => v.region), async (region) => {
        const { layerVersionArn, version } = versions.find((v) => v.region === region);
        core/* info */.pq(`${region}: using version ${version}, built from the same inputs; nothing published.`);
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
        core/* error */.z3(`${failure.region}: ${failure.error}`, { title: 'Publish failed' });
    return { layers, failures };
}
async function publishInRegion(inputs, artifact, deps, region) {
    const lambda = deps.lambda(region);
    const description = layerDescription(inputs, artifact);
    const newest = await publish_newestVersion(lambda, inputs.layerName);
    if (newest && inputs.skipUnchanged) {
        const unchanged = await sameContent(lambda, inputs, artifact, newest.version, newest.description);
        if (unchanged) {
            core/* info */.pq(`${region}: version ${newest.version} already has this content; nothing published.`);
            const sharedWith = await share(lambda, inputs, newest.arn, newest.version, region, true);
            return { region, ...versionFields(newest.arn), published: false, planned: inputs.dryRun, sharedWith };
        }
    }
    if (inputs.dryRun) {
        const version = (newest?.version ?? 0) + 1;
        const layerArn = newest ? layerArnOf(newest.arn) : `(new layer ${inputs.layerName})`;
        core/* info */.pq(`${region}: dry-run, would publish version ${version}.`);
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
    core/* info */.pq(`${region}: published ${arn}`);
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
    core/* info */.pq(`${region}: uploading ${(0,build.mb)(artifact.zipSize)} to s3://${bucket}/${key}`);
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
            core/* warning */.$e(`${region}: ${arn} is shared publicly: every AWS account can use it.`, {
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
            core/* info */.pq(`${region}: ${principal} already has access to version ${version}.`);
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
            core/* info */.pq(`${layer.region}: keeping version ${version}, still used by ${users.join(', ')}`);
            continue;
        }
        const sharedWith = await grantees(lambda, inputs.layerName, version, layer.layerArn.split(':')[4]);
        if (sharedWith.length > 0) {
            result.keptShared = {
                ...result.keptShared,
                [version]: sharedWith,
            };
            core/* info */.pq(`${layer.region}: keeping version ${version}, shared with ${sharedWith.join(', ')}`);
            continue;
        }
        if (!inputs.dryRun) {
            await lambda.send(new dist_cjs/* DeleteLayerVersionCommand */.KnR({ LayerName: inputs.layerName, VersionNumber: version }));
        }
        result.deleted.push(version);
        core/* info */.pq(`${layer.region}: ${inputs.dryRun ? 'would delete' : 'deleted'} version ${version}`);
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
    constructor(write = core/* info */.pq, maxLines = 200, maxDelayMs = 1000) {
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
var promises_ = __webpack_require__(8500);
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
 * update ended `Failed`).
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
    let current = known;
    for (let attempt = 1;; attempt++) {
        current ??= await readFunction(lambda, functionName);
        const before = (current.Layers ?? []).map((l) => l.Arn);
        const index = before.findIndex((arn) => isVersionOf(arn, layerArn));
        if (index < 0)
            throw new Error('it no longer uses this layer (changed by someone else during the roll-out)');
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
            core/* debug */.Yz(`${functionName}: ${name} on attempt ${attempt}; reading it again`);
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
                await (0,promises_.setTimeout)(FIRST_POLL_MS, undefined, { signal });
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
        core/* info */.pq(`  ${functionName} is ${config.State}; waiting until it is Active`);
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

;// CONCATENATED MODULE: ./src/steps/roll-out.ts
/**
 * Roll-out step: moves every function that uses this layer to the new version, in waves.
 *
 * Regions roll out one after another, in the order given; with `canary: N`, N functions of the first
 * account's first region go first and everything else waits for them (and for `canary-wait`). Each
 * region's wave spans every account (src/steps/accounts.ts): `max-parallel-accounts` accounts at a
 * time, and within each account `max-parallel` functions at a time; the Lambda client of each account
 * and region paces every call under that account's quotas (src/aws/clients.ts), so accounts add
 * throughput instead of sharing it. One failure policy spans every account and region: `stop` starts no
 * further account or wave once a function failed or an alarm fired, `rollback` puts back every function
 * (and alias) this run moved in any account and region, `continue` moves everything and reports. An
 * account that could not be reached fails before any update: `stop` and `rollback` then update nothing,
 * `continue` rolls out in the others. How one function moves: src/steps/function-update.ts.
 */










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
const NOT_FOUND = 'the function does not exist in this region';
/** "2 moved, 1 in flight, 3 not yet moved". */
function cancelCounts(functions) {
    const n = (status) => functions.filter((f) => f.status === status).length;
    return `${n('updated')} moved, ${n('in-flight')} in flight, ${n('not-started')} not yet moved`;
}
const cancelledBy = (deps) => deps.cancel?.reason;
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
    const run = new WaveRunner(inputs, deps, gate, accounts.length > 1);
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
    const cancelled = cancelledBy(deps);
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
        ...(rolledBack ? { rolledBack } : {}),
        ...(cancelledBy(deps) ? { cancelled: cancelledBy(deps) } : {}),
    };
    if (failed || result.cancelled)
        throw new RolloutError(result);
    return result;
}
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
        core/* info */.pq(`${where}: ${d.consumers.length} function(s) to move to version ${d.layer.version} ` +
            `(${d.scanned} scanned, ${d.skipped.length} skipped)${names}`);
    }
    for (const f of failures)
        core/* error */.z3(`account ${f.account}: ${f.reason}`, { title: 'Roll-out account failed' });
    core/* info */.pq(`Waves: ${waves.map((w) => `${w.number}. ${w.label} (${sizeOf(w)})`).join(' → ')}`);
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
// ---- waves ----------------------------------------------------------------------------------------
class WaveRunner {
    inputs;
    deps;
    gate;
    multi;
    outcomes = [];
    alarms = [];
    stopped;
    /** Regions with at least one wave done: their alarms are watched from then on. */
    touched = new Set();
    /** One line per function, written in batches (thousands of functions: one write each is CPU). */
    log = new LineBatch();
    constructor(inputs, deps, gate, 
    /** The roll-out spans accounts: name them beside functions. */
    multi) {
        this.inputs = inputs;
        this.deps = deps;
        this.gate = gate;
        this.multi = multi;
    }
    async wave(wave, total) {
        const cancelled = cancelledBy(this.deps);
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
        core/* info */.pq(`Wave ${wave.number}/${total}: ${wave.label}, ${sizeOf(wave)} function(s)`);
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
                    const cancelled = cancelledBy(this.deps);
                    if (stop || cancelled) {
                        const reason = stop ?? `the run was cancelled (${cancelled})`;
                        return { ...base(wave, target, fn), status: 'not-started', reason };
                    }
                    const outcome = await updateOne(this.inputs, wave, target, fn, this.deps);
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
    /** canary-wait: watches the alarms of every region while the canary bakes. */
    async bake(wave) {
        core/* info */.pq(`Canary succeeded; baking ${this.inputs.canaryWait} s before the next wave`);
        const step = this.gate.configured ? Math.min(this.inputs.canaryWait, 10) : this.inputs.canaryWait;
        for (let waited = 0; waited < this.inputs.canaryWait; waited += step) {
            await this.deps.sleep(Math.min(step, this.inputs.canaryWait - waited) * 1000);
            if (cancelledBy(this.deps))
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
            core/* error */.z3(`${alarm.name} (${alarm.region}) is in ALARM after wave ${wave.number}: ${alarm.reason ?? ''}`, {
                title: 'Roll-out alarm',
            });
        }
        if (this.inputs.onFailure !== 'continue') {
            this.stopped = `alarm ${firing.map((a) => a.name).join(', ')} fired after wave ${wave.number} (on-failure: ${this.inputs.onFailure})`;
        }
        return true;
    }
}
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
async function updateOne(inputs, wave, target, fn, deps) {
    const { layer } = wave;
    const lambda = deps.lambda(layer.region, target.role);
    const started = deps.now();
    const seconds = () => (deps.now() - started) / 1000;
    let outcome = { ...base(wave, target, fn), status: 'failed' };
    try {
        const change = await replaceEntry(lambda, fn.FunctionName, layer.layerArn, layer.layerVersionArn, fn, {
            ...inputs,
            signal: deps.cancel?.signal,
        });
        const status = !change.changed ? 'unchanged' : inputs.dryRun ? 'planned' : 'updated';
        const note = change.notes.length > 0 ? { reason: change.notes.join('; ') } : {};
        outcome = {
            ...outcome,
            fromVersion: parseLayerVersionArn(change.before.find((arn) => arn.startsWith(`${layer.layerArn}:`)))
                ?.version,
            status,
            layersBefore: change.before,
            layersAfter: change.after,
            ...note,
        };
        if (!inputs.updateAliases)
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
// ---- rollback -------------------------------------------------------------------------------------
/**
 * on-failure: rollback, across every region. Puts this layer's entry back to the version each function
 * had, in every function this run changed (including one whose update failed but was applied), and
 * points its moved aliases back. Only that entry is touched, with the same locking, so changes others
 * made meanwhile survive; when nobody else changed the function this restores its exact previous Layers.
 */
async function rollBack(outcomes, layers, targets, inputs, deps) {
    core/* warning */.$e('The roll-out failed; rolling back every function this run changed, in every account and region.');
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
        const cancelled = cancelledBy(deps);
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
        const { changed } = await replaceEntry(lambda, outcome.functionName, layer.layerArn, previous, undefined, { wait: true, dryRun: false, signal: deps.cancel?.signal });
        const aliases = outcome.aliases && (await restoreAliases(lambda, outcome.functionName, outcome.aliases));
        const restoredAliases = aliases?.some((a) => a.status === 'restored') ?? false;
        if (!changed && !restoredAliases)
            return outcome; // a failed update that Lambda did not apply
        const where = outcome.account ? `${outcome.account} ${outcome.region}` : outcome.region;
        core/* info */.pq(`  ↩ ${outcome.functionName} (${where}): back on version ${outcome.fromVersion}`);
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
function logOutcome(outcome, multi, log) {
    const move = `${outcome.fromVersion ?? '?'} → ${outcome.toVersion}`;
    const where = multi ? `${outcome.account} ${outcome.region}` : outcome.region;
    if (outcome.status === 'failed') {
        log.flush(); // the lines before it first: the log stays in order
        core/* error */.z3(`${outcome.functionName} (${where}): ${outcome.reason}`, {
            title: 'Roll-out failed',
        });
    }
    else {
        const account = multi ? ` (${outcome.account})` : '';
        log.add(`  ${outcome.status.padEnd(9)} ${outcome.functionName}${account} ${move} (${outcome.seconds?.toFixed(1)} s)`);
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var external_node_fs_promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: ./src/docker.ts
var docker = __webpack_require__(3871);
// EXTERNAL MODULE: ./src/log.ts
var log = __webpack_require__(5625);
// EXTERNAL MODULE: ./src/layer/layout.ts
var layout = __webpack_require__(8300);
// EXTERNAL MODULE: ./src/runtimes/index.ts + 5 modules
var runtimes = __webpack_require__(4049);
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
    await external_node_fs_promises_.rm(opt, { recursive: true, force: true });
    await (0,layer_zip/* extractZip */.JE)(artifact.zipFile, opt);
    const entries = await (0,layer_zip/* listTree */.nT)(opt);
    const runs = [];
    try {
        for (const runtime of (0,build.declaredRuntimes)(inputs)) {
            runs.push(await smokeRuntime(inputs, runtime, artifact, opt, entries, deps));
        }
    }
    finally {
        await external_node_fs_promises_.rm(opt, { recursive: true, force: true });
    }
    const result = { image: runs[0].image, imports: runs[0].imports, runs };
    if (runs.some((run) => run.imports.some((r) => !r.ok)))
        throw new SmokeTestError(result);
    return result;
}
async function smokeRuntime(inputs, runtime, artifact, opt, entries, deps) {
    const image = (0,build.smokeImageFor)(inputs, runtime);
    // Each runtime reads its own folders: python3.13 the packages in python/lib/python3.13/site-packages.
    const modulePaths = (0,layout/* modulePathsIn */.C8)(entries, runtime);
    const modules = await modulesToImport(inputs, runtime, artifact, opt, modulePaths);
    if (modules.length === 0) {
        core/* warning */.$e(`The smoke test found no modules to import for ${runtime.id} (no package metadata); name them in smoke-imports.`);
        return { runtime: runtime.id, image, imports: [] };
    }
    core/* info */.pq((0,log/* oneLine */.T)(`${runtime.id}: importing ${modules.length} module(s) in ${image}: ${modules.join(', ')}`));
    const recipe = (0,runtimes/* smokeRecipe */.WQ)(runtime, modulePaths, inputs.architecture);
    const args = (0,docker/* runArgs */.fQ)({
        image,
        architecture: inputs.architecture,
        mounts: await smokeMounts(recipe, opt, artifact),
        env: { HOME: '/tmp', ...recipe.env },
        workdir: recipe.workdir,
        entrypoint: recipe.program,
        user: (0,docker/* currentUser */.Ny)(),
        network: 'none',
        command: [...recipe.args, ...modules],
    });
    // Streamed (fenced: see dockerOutput), so a crash's whole trace is in the log.
    const output = await (0,docker/* dockerOutput */.oH)(deps.exec, args, { what: `The smoke test in ${image}` });
    const imports = importResults(modules, output, image);
    logResults(runtime, imports);
    return { runtime: runtime.id, image, imports };
}
/** smoke-imports, or every module the runtime's packages provide (read again for another runtime's folders). */
async function modulesToImport(inputs, runtime, artifact, opt, modulePaths) {
    const packages = runtime.id === inputs.runtime.id
        ? artifact.packages
        : await (0,layer_packages/* listPackages */.A)(runtime.family, opt, modulePaths);
    return inputs.smokeImports ?? [...new Set(packages.flatMap((p) => p.imports))];
}
/** The layer read-only at /opt, and the recipe's files (written beside the build) under CONTAINER_TOOLS. */
async function smokeMounts(recipe, opt, artifact) {
    const mounts = [{ host: opt, container: '/opt', readonly: true }];
    const tools = external_node_path_.join(external_node_path_.dirname(artifact.layerDir), 'smoke-tools');
    if (recipe.files) {
        await external_node_fs_promises_.rm(tools, { recursive: true, force: true });
        await external_node_fs_promises_.mkdir(tools);
        for (const [name, content] of Object.entries(recipe.files)) {
            await external_node_fs_promises_.writeFile(external_node_path_.join(tools, name), content, { mode: 0o644 });
        }
        mounts.push({ host: tools, container: runtimes/* CONTAINER_TOOLS */.A$, readonly: true });
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
        throw new Error(`Smoke test could not start in ${image} (exit code ${output.exitCode}):\n${(0,docker/* tail */.RT)(output.stderr)}`);
    }
    // A module without a result line is the one the interpreter died on (e.g. a native library
    // built for another architecture); the ones after it never ran.
    const crashed = modules.find((module) => !reported.has(module));
    return modules.map((module) => reported.get(module) ?? {
        module,
        ok: false,
        error: module === crashed
            ? `the interpreter exited with code ${output.exitCode} while importing it: ${(0,docker/* tail */.RT)(output.stderr, 5)}`
            : 'not tried: an earlier import crashed the interpreter',
    });
}
function logResults(runtime, imports) {
    for (const result of imports) {
        if (result.ok) {
            const notes = [result.detail, result.ms === undefined ? undefined : `${result.ms} ms`].filter(Boolean);
            // The result line comes from the container, where the layer's code ran: one line, no commands.
            core/* info */.pq((0,log/* oneLine */.T)(`  ok   ${result.module}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`));
        }
        else {
            core/* error */.z3(`Import of ${result.module} failed in ${runtime.id}: ${result.error}`, {
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
        core/* notice */.lm(`Plan only: ${reason}`, { title: 'Plan only' });
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
        core/* info */.pq(`Plan (nothing was written to AWS): ${(0,src_report/* planFacts */.pE)(report).join('; ') || 'no changes'}.`);
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
        core/* info */.pq(`The layer is ${plan.message}.`);
        const versions = plan.versions.map((v) => v.version);
        report.unchanged = { message: plan.message, buildKey: plan.buildKey, versions };
        return plan.message;
    }
    const built = await (0,build.buildLayer)(building, deps);
    run.artifact = report.artifact = plan.buildKey ? { ...built, buildKey: plan.buildKey } : built;
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
        const note = await core/* group */.Os(title, body);
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
