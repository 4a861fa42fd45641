import type { Context, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import type { DomainError } from '../core/errors.js';
import type { AppEnv } from './app-env.js';
import type { ErrorKind } from './error-table.js';
import { problemResponse } from './problem.js';

/**
 * A JSON answer with the request's rate-limit headers. Headers as a plain object let the
 * Node adapter write them straight to the socket, which keeps the hot path lean (see bench/).
 */
export function send<T, S extends ContentfulStatusCode>(c: Context<AppEnv>, body: T, status: S): Response & TypedResponse<JSONParsed<T>, S, 'json'> {
  // The request's own header object, used once: no copy on the hot path.
  const headers = c.get('rateHeaders') ?? {};
  headers['Content-Type'] = 'application/json';
  c.set('sent', true);
  return new Response(JSON.stringify(body), { status, headers }) as Response & TypedResponse<JSONParsed<T>, S, 'json'>;
}

/** The one place an error becomes HTTP, with the request's rate-limit headers when it had any. */
export function problem(c: Context<AppEnv>, error: DomainError<ErrorKind>): Response {
  c.set('outcome', error.code);
  c.set('sent', true);
  return problemResponse(error, c.req.path, c.get('rateHeaders'));
}
