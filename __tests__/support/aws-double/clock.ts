import { clearTimeout, setTimeout } from 'node:timers';

// Captured at load so that tests using vi.useFakeTimers() (which patches the globals) do not freeze the
// double's own clock: its update latencies and quotas always run on real time.
const perfNow = performance.now.bind(performance);
const dateNow = Date.now.bind(Date);

/** Monotonic milliseconds. */
export const monotonicMs = (): number => perfNow();
/** Wall-clock milliseconds since the epoch. */
export const wallMs = (): number => dateNow();

export function realTimeout(ms: number, fn: () => void): NodeJS.Timeout {
  const t = setTimeout(fn, ms);
  t.unref();
  return t;
}

export function cancelTimeout(t: NodeJS.Timeout | undefined): void {
  if (t) clearTimeout(t);
}

export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lambda's timestamp format, e.g. `2026-11-27T10:00:00.000+0000`. */
export function lambdaDate(ms = wallMs()): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/**
 * An account-and-region request quota: a token bucket refilled at `ratePerSecond`, holding at most
 * `burst` tokens (Lambda's documented quotas behave like a bucket whose burst equals the rate).
 */
export class TokenBucket {
  private tokens: number;
  private last = monotonicMs();

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number = ratePerSecond,
  ) {
    this.tokens = burst;
  }

  /** Takes a token if there is one; otherwise returns the seconds until the next one. */
  take(): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (this.ratePerSecond === Infinity) return { ok: true };
    const now = monotonicMs();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.tokens) / this.ratePerSecond)) };
  }
}
