import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { Service } from './http.js';

export type FaultKind =
  /** 500 `ServiceException` (Lambda), `InternalServerError` (SSM), `InternalError` (S3). */
  | 'http500'
  /** 429 `TooManyRequestsException` (Lambda), `ThrottlingException` (SSM), 503 `SlowDown` (S3). */
  | 'throttle'
  /** 409 `ResourceConflictException` "… An update is in progress …" (Lambda only). */
  | 'conflict'
  /** 412 `PreconditionFailedException` (Lambda only). */
  | 'precondition-failed'
  /** Destroys the socket: the SDK sees a reset/hang-up. With `afterApplying`, the operation happens first. */
  | 'drop-connection'
  /** The request succeeds, but the update then ends `LastUpdateStatus: Failed` (UpdateFunctionConfiguration). */
  | 'update-fails'
  /**
   * Another actor changes the function right before this request is handled (default: MemorySize + 64 and
   * an environment variable `CONCURRENT_CHANGE`), so a RevisionId the caller read earlier is stale.
   */
  | 'concurrent-change'
  /** Holds the request `delayMs` (or until `until` settles) before handling it. */
  | 'delay'
  /**
   * 403 `AccessDeniedException` as IAM words it ("… is not authorized to perform: lambda:Operation on
   * resource: …"): a missing permission in the caller's policy (Lambda and SSM).
   */
  | 'access-denied'
  /**
   * Holds the request (with `afterApplying`: its answer, the operation done) until the test releases
   * it: a run stops there while another runs (see `AwsDouble.pause`).
   */
  | 'pause';

/** A change another actor makes to a function: fields to merge, or a mutation of the configuration. */
export type FunctionChange = Partial<FunctionConfiguration> | ((config: FunctionConfiguration) => void);

export interface FaultSpec {
  kind: FaultKind;
  service?: Service;
  /** Operation name(s), e.g. `UpdateFunctionConfiguration`. Defaults for `update-fails`/`concurrent-change`. */
  operation?: string | readonly string[];
  /** Matches the function named in the request path (name or ARN). */
  functionName?: string;
  /** Matches the layer named in the request path (name or ARN). */
  layerName?: string;
  region?: string;
  /** Matches requests acting as this account (the main account's or assumed-role credentials). */
  account?: string;
  /** Fires from the nth matching request on (1-based; default 1). */
  nth?: number;
  /** How many matching requests it fires for (default 1; `Infinity` for every one). */
  times?: number;
  /** `update-fails`: LastUpdateStatusReason / ReasonCode. */
  reason?: string;
  reasonCode?: string;
  /** `concurrent-change`: what the other actor changes. */
  change?: FunctionChange;
  /** `concurrent-change`: leave the function `InProgress` this long after the change (default 0: not at all). */
  inProgressMs?: number;
  /** `drop-connection`: perform the operation, then drop the response (a lost response). */
  afterApplying?: boolean;
  /** `delay`: milliseconds. */
  delayMs?: number;
  /** `delay`: hold the request until this settles instead (an event of the test, not a time). */
  until?: Promise<unknown>;
  /** `throttle`: Retry-After seconds (Lambda). */
  retryAfterSeconds?: number;
  /** `pause`: the hold the request waits on (made by `AwsDouble.pause`). */
  pause?: Pause;
}

/**
 * A request held by a `pause` fault: `reached` resolves once one is held (with what it was), and the
 * request goes on when the test calls `release()` (also before it arrived: then it is not held).
 */
export class Pause {
  readonly reached: Promise<FaultTarget>;
  private arrived!: (target: FaultTarget) => void;
  private released = false;
  private resume: (() => void) | undefined;

  constructor() {
    this.reached = new Promise((resolve) => (this.arrived = resolve));
  }

  /** Called by the double for the held request; resolves on release. */
  hold(target: FaultTarget): Promise<void> {
    this.arrived(target);
    if (this.released) return Promise.resolve();
    return new Promise((resolve) => (this.resume = resolve));
  }

  release(): void {
    this.released = true;
    this.resume?.();
  }
}

export interface Fault {
  readonly spec: Readonly<FaultSpec>;
  /** Matching requests seen so far. */
  readonly matched: number;
  /** Times it fired. */
  readonly fired: number;
  remove(): void;
}

export interface FaultTarget {
  service: Service;
  operation: string;
  region: string;
  account?: string;
  functionName?: string;
  layerName?: string;
}

const DEFAULT_OPERATIONS: Partial<Record<FaultKind, readonly string[]>> = {
  'update-fails': ['UpdateFunctionConfiguration'],
  'concurrent-change': ['UpdateFunctionConfiguration'],
};

class FaultEntry implements Fault {
  matched = 0;
  fired = 0;
  constructor(
    readonly spec: Readonly<FaultSpec>,
    private readonly owner: Faults,
  ) {}

  remove(): void {
    this.owner.remove(this);
  }

  matches(t: FaultTarget): boolean {
    const s = this.spec;
    const operations =
      s.operation === undefined
        ? DEFAULT_OPERATIONS[s.kind]
        : typeof s.operation === 'string'
          ? [s.operation]
          : s.operation;
    if (s.service && s.service !== t.service) return false;
    if (operations && !operations.includes(t.operation)) return false;
    if (s.region && s.region !== t.region) return false;
    if (s.account && s.account !== t.account) return false;
    if (s.functionName && lastName(s.functionName, 'function') !== t.functionName) return false;
    if (s.layerName && lastName(s.layerName, 'layer') !== t.layerName) return false;
    return true;
  }
}

/** The bare name in an ARN (`…:function:NAME[:qualifier]`, `…:layer:NAME[:version]`), or the name itself. */
export function lastName(nameOrArn: string, kind: 'function' | 'layer'): string {
  const parts = nameOrArn.split(':');
  const i = parts.indexOf(kind);
  return i >= 0 ? (parts[i + 1] ?? '') : (parts[0] ?? '');
}

/** Injectable faults, checked in the order they were added; every matching fault counts the request. */
export class Faults {
  private entries: FaultEntry[] = [];

  add(spec: FaultSpec): Fault {
    const entry = new FaultEntry({ nth: 1, times: 1, ...spec }, this);
    this.entries.push(entry);
    return entry;
  }

  remove(fault: Fault): void {
    this.entries = this.entries.filter((e) => e !== fault);
  }

  clear(): void {
    this.entries = [];
  }

  get list(): readonly Fault[] {
    return this.entries;
  }

  /** Counts the request against every matching fault; returns those that fire for it. */
  take(target: FaultTarget): FaultSpec[] {
    const firing: FaultSpec[] = [];
    for (const e of this.entries) {
      if (!e.matches(target)) continue;
      e.matched += 1;
      const nth = e.spec.nth ?? 1;
      const times = e.spec.times ?? 1;
      if (e.matched >= nth && e.fired < times) {
        e.fired += 1;
        firing.push(e.spec);
      }
    }
    return firing;
  }
}
