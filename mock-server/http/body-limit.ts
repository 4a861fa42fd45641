import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './app-env.js';
import { httpError } from './error-table.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Request bodies held at once, over all requests: 32 bodies at the limit. */
export const MAX_BUFFERED_BYTES = 32 * MAX_BODY_BYTES;

/** Methods whose requests carry no body to read or limit. */
export const BODYLESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/** Refuses a request body over MAX_BODY_BYTES with 413, as it arrives. */
export function limitBodies(): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      // The rest of the body is never read: the Node adapter closes the connection after this answer.
      throw httpError('too_large', 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES} bytes (1 MB): send less.`);
    },
  });
  return (c, next) => (BODYLESS.has(c.req.method) ? next() : limit(c, next));
}
