import type { Context, MiddlewareHandler } from 'hono';
import type { Connection } from './app-deps.js';
import type { AppContext, AppEnv } from './app-env.js';
import { presentedKeyId } from './presented-key.js';

/**
 * Brings expiry up to date before a request is authenticated (an auto-renewing key is renewed
 * before anything can find it expired), and tells the monitor how each request ended once it is
 * answered: failed authentication, rate limits, new source addresses become events.
 */
export function observeRequests(deps: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    deps.settleExpiry();
    await next();
    const status = c.res.status;
    const credential = c.get('credential');
    let keyId = c.get('key')?.id ?? null;
    // A 401 for a revoked, expired or inactive key still names the key it was.
    if (status === 401 && keyId === null && credential) keyId = presentedKeyId(c.req.raw.headers, deps.state().keys) ?? null;
    deps.monitor.observe({
      key_id: keyId,
      key_prefix: credential?.prefix ?? null,
      status,
      outcome: c.get('outcome') ?? 'ok',
      window: c.get('decision')?.deniedBy,
      source: sourceOf(c),
    });
  };
}

function sourceOf(c: Context<AppEnv>): string | undefined {
  return (c.env as Connection | undefined)?.source;
}
