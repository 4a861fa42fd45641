import type { Context, MiddlewareHandler } from 'hono';
import type { Connection } from './app-deps.js';
import type { AppContext, AppEnv } from './app-env.js';
import { applyFault } from './faults.js';
import { presentedKeyId } from './presented-key.js';

/**
 * issue 19's part of every /v1 request, as one middleware (each level of Hono middleware costs the
 * hot path): expiry notices and renewals due are made before the request is authenticated (an
 * auto-renewing key is renewed before anything can find it expired); an armed fault that matches
 * answers instead of the routes; and once answered, the request tells the monitor how it ended
 * (failed authentication, rate limits, new source addresses become events).
 */
export function observeRequests(deps: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    deps.settleExpiry();
    const faulted = deps.faults.empty ? undefined : await applyFault(c, deps, connectionOf(c));
    if (faulted) return faulted;
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
      source: connectionOf(c)?.source,
    });
  };
}

function connectionOf(c: Context<AppEnv>): Connection | undefined {
  return c.env as Connection | undefined;
}
