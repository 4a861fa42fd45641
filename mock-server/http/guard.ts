import type { MiddlewareHandler } from 'hono';
import { authenticate, readCredential } from '../core/auth.js';
import { ApiError } from '../core/errors.js';
import { recordPermissionUse, recordUse } from '../core/key-admin.js';
import { rateLimitHeaders, type RateDecision } from '../core/rate-limit.js';
import { hasPermission, type Permission } from '../core/scopes.js';
import type { KeyRecord } from '../core/store.js';
import type { AppContext, AppEnv } from './app-env.js';
import { BODYLESS } from './body-limit.js';

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
      authenticate(credential, deps.state().keys, deps.environment, deps.clock.now());
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
      const key = authenticate(credential, deps.state().keys, deps.environment, now);
      c.set('key', key);
      const decision = consume ? deps.limiter.take(key.id, key.rate_limit, now) : deps.limiter.peek(key.id, key.rate_limit, now);
      c.set('decision', decision);
      const headers = rateLimitHeaders(decision, now);
      c.set('rateHeaders', headers);
      if (!decision.allowed) throw rateLimited(decision);
      recordUse(key, now);
      // Usage is saved with the next change, as before the log: a read is not worth an fsync.
      deps.state().keys.touch(key);
      if (permission) {
        c.set('permission', permission);
        if (!hasPermission(key.permissions, permission)) throw forbidden(key, permission);
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

function rateLimited(decision: RateDecision): ApiError {
  const window = decision.deniedBy ?? 'hour';
  const limit = decision[window].limit;
  return new ApiError(
    429,
    'rate_limited',
    `Rate limit exceeded: ${limit} requests per ${window} for this key. Retry after ${decision.retryAfter} seconds.`,
    { window },
  );
}

function forbidden(key: KeyRecord, permission: Permission): ApiError {
  const held = key.permissions.length > 0 ? key.permissions.join(', ') : 'no permissions';
  return new ApiError(
    403,
    'insufficient_permissions',
    `This key lacks the ${permission} permission (it has ${held}): add it with PATCH /v1/api-keys/${key.id}, or use a key that has it.`,
    { required: [permission], granted: key.permissions },
  );
}
