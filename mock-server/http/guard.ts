import type { MiddlewareHandler } from 'hono';
import { authenticate, authorize } from '../core/auth.js';
import { recordPermissionUse, recordUse } from '../core/key-admin.js';
import { limitExceeded } from '../core/rate-limit.js';
import type { Permission } from '../core/scopes.js';
import type { AppContext, AppEnv } from './app-env.js';
import { BODYLESS } from './body-limit.js';
import { readCredential } from './credential.js';
import { rateLimitHeaders } from './rate-limit-headers.js';

/**
 * Authenticates the key, applies its rate limit and checks one permission, in that order,
 * and sets the rate-limit headers. The limit check and the consumption happen in one
 * synchronous step (`limiter.take`), so parallel requests can never overspend. Requests that
 * fail authentication or are refused by the limit consume nothing; `consume: false`
 * (`GET /v1/rate-limit`, `GET /v1/usage`) only looks.
 */
export function guard(deps: AppContext, permission: Permission | null, consume = true): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const credential = readCredential(c.req.raw.headers);
    c.set('credential', credential);
    let release: (() => void) | undefined;
    if (!BODYLESS.has(c.req.method)) {
      // A request without a working key is refused before its body is read, so bodies of
      // strangers never take memory; the body of a key's request counts against the budget.
      authenticate(credential.key, deps.state().keys, deps.environment, deps.clock.now());
      release = deps.budget.reserve(c.req.raw.headers);
      // The whole body, into the cache the JSON validator reads, before anything is decided:
      // a key revoked while its request's body was still arriving must not act once it has arrived.
      try {
        await c.req.text();
      } catch (error) {
        release();
        throw error;
      }
    }
    try {
      const now = deps.clock.now();
      const key = authenticate(credential.key, deps.state().keys, deps.environment, now);
      c.set('key', key);
      const decision = consume ? deps.limiter.take(key.id, key.rate_limit, now) : deps.limiter.peek(key.id, key.rate_limit, now);
      c.set('decision', decision);
      const headers = rateLimitHeaders(decision, now);
      c.set('rateHeaders', headers);
      if (!decision.allowed) throw limitExceeded(decision);
      recordUse(key, now);
      // Usage is saved with the next change, as before the log: a read is not worth an fsync.
      deps.state().keys.touch(key);
      if (permission) {
        c.set('permission', permission);
        authorize(key, permission);
      }
      await next();
      if (permission && c.res.status < 400) {
        recordPermissionUse(key, permission, now);
        deps.state().keys.touch(key);
      }
      // A response made without `send` (c.json) still gets the headers, the slower way.
      if (!c.get('sent')) for (const name in headers) c.res.headers.set(name, headers[name] as string);
    } finally {
      release?.();
    }
  };
}
