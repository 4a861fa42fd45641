/**
 * Per-key rate limits with two fixed windows that apply at once: the clock hour and the
 * clock minute (UTC-aligned, like the seed's `reset_at` on the hour). Fixed windows are
 * exactly predictable: a window's quota comes back whole at its boundary, so a client can
 * spend a full minute's quota just before a boundary and another just after it. Exactness
 * under concurrency comes from `take` checking every window and then consuming every
 * window in one synchronous step: no request can slip in between.
 */
export const PLAN_NAMES = ['free', 'professional', 'enterprise'] as const;
export type PlanName = (typeof PLAN_NAMES)[number];

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

/**
 * Response headers for a decision. `X-RateLimit-*` describe the hourly window, as the
 * seed's example does (reset in epoch seconds); the IETF `RateLimit-Policy` / `RateLimit`
 * fields describe both windows (reset as seconds from now).
 */
export function rateLimitHeaders(decision: RateDecision, now: number): Record<string, string> {
  const { hour, minute } = decision;
  const hourReset = Math.ceil((hour.resetMs - now) / 1000);
  const minuteReset = Math.ceil((minute.resetMs - now) / 1000);
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': String(hour.limit),
    'X-RateLimit-Remaining': String(hour.remaining),
    'X-RateLimit-Reset': String(hour.resetMs / 1000),
    'RateLimit-Policy': `"hour";q=${hour.limit};w=3600, "minute";q=${minute.limit};w=60`,
    RateLimit: `"hour";r=${hour.remaining};t=${hourReset}, "minute";r=${minute.remaining};t=${minuteReset}`,
  };
  if (decision.retryAfter !== undefined) headers['Retry-After'] = String(decision.retryAfter);
  return headers;
}
