import type { z } from '@hono/zod-openapi';
import { VERSION } from '../../src/version.js';
import * as S from '../schemas.js';
import type { KeyApiHono } from './app-env.js';
import { CONTROL_TOKEN_HEADER } from './control-token.js';
import { TITLES } from './problem.js';

// The OpenAPI side of the routes: what their responses look like on the wire (headers, problem
// bodies, security), for the route modules to describe themselves with, and the document.

const integer = { type: 'integer' as const };
const text = { type: 'string' as const };
type Header = { description: string; schema: typeof integer | typeof text; required: boolean };

/** Rate-limit headers as every authenticated success carries them. */
const RATE_LIMIT_HEADERS: Record<string, Header> = {
  'X-RateLimit-Limit': { description: 'Requests allowed in the current hour.', schema: integer, required: true },
  'X-RateLimit-Remaining': { description: 'Requests left in the current hour.', schema: integer, required: true },
  'X-RateLimit-Reset': { description: 'When the hour window resets, epoch seconds.', schema: integer, required: true },
  'RateLimit-Policy': { description: 'IETF draft: both windows, e.g. "hour";q=1000;w=3600, "minute";q=100;w=60', schema: text, required: true },
  RateLimit: { description: 'IETF draft: remaining and reset seconds of both windows.', schema: text, required: true },
};

/** The same on an error: present once the key has authenticated and the limit was consulted. */
const RATE_LIMIT_HEADERS_IF_AUTHENTICATED: Record<string, Header> = Object.fromEntries(
  Object.entries(RATE_LIMIT_HEADERS).map(([name, header]) => [name, { ...header, required: false, description: `${header.description} Sent when the key authenticated.` }]),
);

const RETRY_AFTER: Header = { description: 'Seconds to wait before retrying.', schema: integer, required: true };

/** The headers each problem status carries besides Content-Type. */
const PROBLEM_HEADERS: Record<number, Record<string, Header>> = {
  401: {
    'WWW-Authenticate': {
      description: 'RFC 9110 challenge: Bearer, with error="invalid_token" when a key was sent but refused.',
      schema: text,
      required: true,
    },
  },
  405: { Allow: { description: 'The methods the path has.', schema: text, required: true } },
  429: { 'Retry-After': RETRY_AFTER, ...RATE_LIMIT_HEADERS },
  503: { 'Retry-After': RETRY_AFTER },
};

/** An authenticated success: the schema with the rate-limit headers. */
export function ok<T extends z.ZodType>(schema: T, description: string) {
  return { description, headers: RATE_LIMIT_HEADERS, content: { 'application/json': { schema } } };
}

/** A success response without rate-limit headers (test-control routes are not rate limited). */
export function plain<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

function problemResponseConfig(status: number) {
  return {
    description: TITLES[status] ?? 'Error',
    headers: PROBLEM_HEADERS[status] ?? RATE_LIMIT_HEADERS_IF_AUTHENTICATED,
    content: { 'application/problem+json': { schema: S.Problem } },
  };
}

/** The problem answers a route documents, by status. */
export function problems(...statuses: number[]) {
  const out: Record<number, ReturnType<typeof problemResponseConfig>> = {};
  for (const status of statuses) out[status] = problemResponseConfig(status);
  return out;
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

export const SECURITY: Array<Record<string, string[]>> = [{ bearer: [] }, { apiKey: [] }];
export const CONTROL_SECURITY: Array<Record<string, string[]>> = [{ controlToken: [] }];
/** What any authenticated route can answer besides success. */
export const AUTH_PROBLEMS = [401, 403, 429];
/** A change with a JSON body: besides auth, bad bodies, a state file that could not be written (500) and a full body budget (503). */
export const WRITE_PROBLEMS = [...AUTH_PROBLEMS, 400, 413, 415, 422, 500, 503];
/** A change without a body to check (DELETE, regenerate). */
export const CHANGE_PROBLEMS = [...AUTH_PROBLEMS, 404, 500];

/** The ways in: a key (Bearer or x-api-key) for the API, the control token for /__keyguard. */
export function registerSecuritySchemes(app: KeyApiHono): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer sk_…' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'x-api-key' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'controlToken', {
    type: 'apiKey',
    in: 'header',
    name: CONTROL_TOKEN_HEADER,
    description: 'The per-process token keyguard serve prints at start (KeyApi.controlToken); test-control routes only.',
  });
}

/** Problems any request can get whatever its route: documented once, under components.responses. */
const ANY_ROUTE_PROBLEMS: Array<[string, number, string]> = [
  ['RouteNotFound', 404, 'route_not_found: the path is not one of the API\'s'],
  ['MethodNotAllowed', 405, 'method_not_allowed: the path exists without this method; Allow lists those it has'],
  ['HostNotAllowed', 421, 'host_not_allowed (keyguard serve): the request named a host the server does not serve'],
];

export function registerAnyRouteProblems(app: KeyApiHono): void {
  for (const [name, status, description] of ANY_ROUTE_PROBLEMS) {
    app.openAPIRegistry.registerComponent('responses', name, {
      description,
      headers: PROBLEM_HEADERS[status],
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  }
}

type OpenApiDocument = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

/** The OpenAPI 3.1 document of every route registered on `app`, made on first use. */
export function documentOf(app: KeyApiHono): () => unknown {
  let document: OpenApiDocument | undefined;
  return () =>
    (document ??= withHostProblem(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: 'keyguard mock key API',
          version: VERSION,
          description:
            'The key API of the seed documents, offline: keys with scopes, rate limits, expiry and environments. Errors are RFC 9457 problem details with a stable `code` and a `message`. Routes under /__keyguard are test-only. Any path that is not listed answers components.responses.RouteNotFound (404 route_not_found), any method a listed path lacks answers MethodNotAllowed (405 with Allow), and keyguard serve answers HostNotAllowed (421) on every route to a request naming a host it does not serve.',
        },
      }) as unknown as OpenApiDocument,
    ));
}

/** Every operation of keyguard serve can answer 421 (the Host check runs before routing). */
function withHostProblem(document: OpenApiDocument): OpenApiDocument {
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations)) operation.responses['421'] ??= { $ref: '#/components/responses/HostNotAllowed' };
  }
  return document;
}
