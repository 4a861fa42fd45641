import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { DomainError } from '../core/errors.js';
import { hashKey } from '../core/keys.js';
import type { AppEnv } from './app-env.js';

/** The header that carries the per-process control token (`KeyApi.controlToken`, printed by keyguard serve). */
export const CONTROL_TOKEN_HEADER = 'X-Keyguard-Control-Token';

/**
 * Any page the developer's browser opens could otherwise reset the mock or move its clock, so
 * every control route wants the token, compared in constant time through its hash. app.ts puts
 * this in front of every route group under /__keyguard.
 */
export function requireControlToken(tokenHash: Buffer): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    checkControlToken(c.req.header(CONTROL_TOKEN_HEADER), tokenHash);
    await next();
  };
}

function checkControlToken(token: string | undefined, tokenHash: Buffer): void {
  if (token === undefined) {
    throw new DomainError('forbidden', 'missing_control_token', `The test-control routes need the control token printed at start (KeyApi.controlToken): send it in ${CONTROL_TOKEN_HEADER}.`);
  }
  if (!timingSafeEqual(hashKey(token), tokenHash)) {
    throw new DomainError('forbidden', 'invalid_control_token', `${CONTROL_TOKEN_HEADER} does not hold this server's control token: use the one it printed at start (each run makes a new one).`);
  }
}
