import { DomainError } from './errors.js';
import type { PlanName } from './plan-names.js';

export { PLAN_NAMES, type PlanName } from './plan-names.js';

/**
 * Per-key rate limits with two fixed windows that apply at once: the clock hour and the
 * clock minute (UTC-aligned, like the seed's `reset_at` on the hour). Fixed windows are
 * exactly predictable: a window's quota comes back whole at its boundary, so a client can
 * spend a full minute's quota just before a boundary and another just after it. Exactness
 * under concurrency comes from `take` checking every window and then consuming every
 * window in one synchronous step: no request can slip in between.
 */
export interface RateLimit {
  per_hour: number;
  per_minute: number;
}

/** The seed's plans; Enterprise is custom, so its limits come with the key. */
export const PLAN_LIMITS: Record<Exclude<PlanName, 'enterprise'>, RateLimit> = {
  free: { per_hour: 1_000, per_minute: 100 },
  professional: { per_hour: 10_000, per_minute: 500 },
};

export type WindowName = 'hour' | 'minute';

const WINDOW_MS: Record<WindowName, number> = { hour: 3_600_000, minute: 60_000 };

export interface WindowStatus {
  limit: number;
  remaining: number;
  /** When the window's quota comes back whole, in epoch milliseconds. */
  resetMs: number;
}

export interface RateDecision {
  allowed: boolean;
  hour: WindowStatus;
  minute: WindowStatus;
  /** The window that refused the request (the one that frees up last if both did). */
  deniedBy?: WindowName;
  /** Whole seconds until the refusing window resets: `ceil(reset − now)`. */
  retryAfter?: number;
}

interface Counters {
  hourStart: number;
  hourCount: number;
  minuteStart: number;
  minuteCount: number;
}

export class RateLimiter {
  private readonly counters = new Map<string, Counters>();

  /** Consumes one request from both windows if both have room; otherwise consumes nothing. */
  take(keyId: string, limits: RateLimit, now: number): RateDecision {
    const counters = this.current(keyId, now);
    const hourFull = counters.hourCount >= limits.per_hour;
    const minuteFull = counters.minuteCount >= limits.per_minute;
    if (!hourFull && !minuteFull) {
      counters.hourCount++;
      counters.minuteCount++;
      return decision(counters, limits, true);
    }
    // When both are full, the hour frees up last, so it is the one to wait for.
    const deniedBy: WindowName = hourFull ? 'hour' : 'minute';
    const result = decision(counters, limits, false);
    result.deniedBy = deniedBy;
    result.retryAfter = Math.ceil((result[deniedBy].resetMs - now) / 1000);
    return result;
  }

  /** The state of both windows without consuming anything (`GET /v1/rate-limit`). */
  peek(keyId: string, limits: RateLimit, now: number): RateDecision {
    return decision(this.current(keyId, now), limits, true);
  }

  clear(): void {
    this.counters.clear();
  }

  private current(keyId: string, now: number): Counters {
    const hourStart = now - (now % WINDOW_MS.hour);
    const minuteStart = now - (now % WINDOW_MS.minute);
    let counters = this.counters.get(keyId);
    if (!counters) {
      counters = { hourStart, hourCount: 0, minuteStart, minuteCount: 0 };
      this.counters.set(keyId, counters);
    }
    if (counters.hourStart !== hourStart) {
      counters.hourStart = hourStart;
      counters.hourCount = 0;
    }
    if (counters.minuteStart !== minuteStart) {
      counters.minuteStart = minuteStart;
      counters.minuteCount = 0;
    }
    return counters;
  }
}

function decision(counters: Counters, limits: RateLimit, allowed: boolean): RateDecision {
  return {
    allowed,
    hour: {
      limit: limits.per_hour,
      remaining: Math.max(0, limits.per_hour - counters.hourCount),
      resetMs: counters.hourStart + WINDOW_MS.hour,
    },
    minute: {
      limit: limits.per_minute,
      remaining: Math.max(0, limits.per_minute - counters.minuteCount),
      resetMs: counters.minuteStart + WINDOW_MS.minute,
    },
  };
}

/** The refusal of a request the limit did not allow. */
export function limitExceeded(decision: RateDecision): DomainError {
  const window = decision.deniedBy ?? 'hour';
  const limit = decision[window].limit;
  return new DomainError(
    'rate_limited',
    'rate_limited',
    `Rate limit exceeded: ${limit} requests per ${window} for this key. Retry after ${decision.retryAfter} seconds.`,
    { window },
  );
}
