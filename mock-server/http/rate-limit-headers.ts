import type { RateDecision } from '../core/rate-limit.js';

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
