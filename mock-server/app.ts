import { timingSafeEqual } from 'node:crypto';
import { createRoute, OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { VERSION } from '../src/version.js';
import { authenticate, readCredential, type Credential } from './core/auth.js';
import { parseDuration } from './core/clock.js';
import { ApiError, notFound, validationFailed } from './core/errors.js';
import { fieldErrors } from './core/fields.js';
import { deleteKey, issueKey, recordPermissionUse, recordUse, regenerateKey, updateKey } from './core/key-admin.js';
import { hashKey } from './core/keys.js';
import { rateLimitHeaders, type RateDecision } from './core/rate-limit.js';
import { createResource, updateResource } from './core/resources.js';
import { ADMIN, hasPermission, type Permission } from './core/scopes.js';
import type { Collection, KeyRecord } from './core/store.js';
import * as S from './schemas.js';
import { BodyBudget } from './http/body-budget.js';
import type { MockState } from './core/state.js';
import type { AppDeps } from './http/app-deps.js';
import { problemResponse, TITLES } from './http/problem.js';
import { displayPath, redactKeyRuns } from './http/redact.js';
import { keyView, newKeyView, rateLimitView } from './views.js';
import { usageRoute } from './usage.js';


/** What the routes share: the deps and the app's own body budget. */
type AppContext = AppDeps & { budget: BodyBudget };

type AppEnv = {
  Variables: {
    credential?: Credential;
    key?: KeyRecord;
    permission?: Permission;
    decision?: RateDecision;
    /** The rate-limit headers of this request, written by `send` or `problem`. */
    rateHeaders?: Record<string, string>;
    /** Set once a response carries `rateHeaders`. */
    sent?: boolean;
    outcome?: string;
  };
};

export interface KeyApiApp {
  fetch: (request: Request) => Promise<Response>;
  /** The OpenAPI 3.1 document of every route, generated from the same schemas that validate requests. */
  openApiDocument: () => unknown;
}

export const MAX_BODY_BYTES = 1024 * 1024;
/** Request bodies held at once, over all requests: 32 bodies at the limit. */
export const MAX_BUFFERED_BYTES = 32 * MAX_BODY_BYTES;


const BODYLESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/**
 * The key API as one fetch-style app: Hono routes its requests the same way inside an msw
 * handler and behind a Node socket. Cross-cutting concerns are middleware (the journal,
 * the body limit, `guard` for auth + rate limit + permission); every error becomes an
 * RFC 9457 problem in `onError`, the one place errors turn into HTTP.
 */
export function createApp(appDeps: AppDeps): KeyApiApp {
  const deps: AppContext = { ...appDeps, budget: new BodyBudget(MAX_BUFFERED_BYTES, MAX_BODY_BYTES) };
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationFailed(fieldErrors(result.error));
    },
  });

  app.use('/v1/*', journalEntry(deps));
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      // The rest of the body is never read: the Node adapter closes the connection after this answer.
      throw new ApiError(413, 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES} bytes (1 MB): send less.`);
    },
  });
  app.use('*', (c, next) => (BODYLESS.has(c.req.method) ? next() : limit(c, next)));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer sk_…' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'x-api-key' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'controlToken', {
    type: 'apiKey',
    in: 'header',
    name: CONTROL_TOKEN_HEADER,
    description: 'The per-process token keyguard serve prints at start (KeyApi.controlToken); test-control routes only.',
  });

  keyRoutes(app, deps);
  rateLimitRoute(app, deps);
  usageRoute(app, deps, { admin: guard(deps, ADMIN, false), security: SECURITY, ok, problems });
  resourceRoutes(app, deps);
  if (deps.controlTokenHash) controlRoutes(app, deps, deps.controlTokenHash);

  for (const [name, status, description] of ANY_ROUTE_PROBLEMS) {
    app.openAPIRegistry.registerComponent('responses', name, {
      description,
      headers: PROBLEM_HEADERS[status],
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
  }

  let document: OpenApiDocument | undefined;
  const openApiDocument = (): unknown => (document ??= withHostProblem(app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'keyguard mock key API',
        version: VERSION,
        description:
          'The key API of the seed documents, offline: keys with scopes, rate limits, expiry and environments. Errors are RFC 9457 problem details with a stable `code` and a `message`. Routes under /__keyguard are test-only. Any path that is not listed answers components.responses.RouteNotFound (404 route_not_found), any method a listed path lacks answers MethodNotAllowed (405 with Allow), and keyguard serve answers HostNotAllowed (421) on every route to a request naming a host it does not serve.',
      },
    }) as unknown as OpenApiDocument));
  app.get('/openapi.json', (c) => c.json(openApiDocument() as object));
  methodNotAllowed(app);

  app.notFound((c) => {
    throw notFound('route_not_found', `There is no route ${c.req.method} ${displayPath(c.req.path)}: see /openapi.json for the API.`);
  });
  app.onError((error, c) => problem(c, toApiError(error)));

  // Hono answers a promise for any route with async middleware (every API route): passed on as it is.
  return { fetch: (request) => Promise.resolve(app.fetch(request)), openApiDocument };
}

// ---------------------------------------------------------------- cross-cutting

/**
 * Authenticates the key, applies its rate limit and checks one permission, in that order,
 * and sets the rate-limit headers. The limit check and the consumption happen in one
 * synchronous step (`limiter.take`), so parallel requests can never overspend. Requests that
 * fail authentication or are refused by the limit consume nothing; `consume: false`
 * (`GET /v1/rate-limit`) only looks.
 */
function guard(deps: AppContext, permission: Permission | null, consume = true): MiddlewareHandler<AppEnv> {
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

/**
 * A JSON answer with the request's rate-limit headers. Headers as a plain object let the
 * Node adapter write them straight to the socket, which keeps the hot path lean (see bench/).
 */
function send<T, S extends ContentfulStatusCode>(c: Context<AppEnv>, body: T, status: S): Response & TypedResponse<JSONParsed<T>, S, 'json'> {
  // The request's own header object, used once: no copy on the hot path.
  const headers = c.get('rateHeaders') ?? {};
  headers['Content-Type'] = 'application/json';
  c.set('sent', true);
  return new Response(JSON.stringify(body), { status, headers }) as Response & TypedResponse<JSONParsed<T>, S, 'json'>;
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

/** Records every /v1 request in the journal once its response is known. */
function journalEntry(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const atMs = deps.clock.now();
    await next();
    const key = c.get('key');
    const decision = c.get('decision');
    deps.journal.record({
      atMs,
      method: c.req.method,
      path: displayPath(c.req.path),
      key_id: key?.id ?? null,
      key_prefix: c.get('credential')?.prefix ?? null,
      permission: c.get('permission') ?? null,
      status: c.res.status,
      outcome: c.get('outcome') ?? 'ok',
      remaining: decision ? { hour: decision.hour.remaining, minute: decision.minute.remaining } : null,
    });
  };
}

/** Answers 405 with an `Allow` header on every documented path, for the methods it does not have. */
function methodNotAllowed(app: OpenAPIHono<AppEnv>): void {
  const allowed = new Map<string, string[]>();
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route') continue;
    const path = definition.route.path.replace(/\{(\w+)\}/g, ':$1');
    allowed.set(path, [...(allowed.get(path) ?? []), definition.route.method.toUpperCase()]);
  }
  for (const [path, methods] of allowed) {
    const allow = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
    app.all(path, (c) => {
      throw new ApiError(
        405,
        'method_not_allowed',
        `${c.req.method} is not allowed on ${displayPath(c.req.path)}: use ${allow.join(', ')}.`,
        { allowed: allow },
        { Allow: allow.join(', ') },
      );
    });
  }
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    // Raised by Hono's JSON validator and media-type gate.
    if (error.status === 400) return new ApiError(400, 'malformed_json', 'The request body is not valid JSON: check quotes, commas and brackets.');
    if (error.status === 415) {
      return new ApiError(415, 'unsupported_media_type', 'Send the request body as JSON with "Content-Type: application/json".');
    }
    return new ApiError(error.status, 'http_error', error.message);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ApiError(500, 'internal_error', `The mock server failed: ${redactKeyRuns(reason.split('\n')[0] ?? '')}`);
}

/** The one place an error becomes HTTP, with the request's rate-limit headers when it had any. */
function problem(c: Context<AppEnv>, error: ApiError): Response {
  c.set('outcome', error.code);
  c.set('sent', true);
  return problemResponse(error, c.req.path, c.get('rateHeaders'));
}

// ---------------------------------------------------------------- OpenAPI helpers

/** Problems any request can get whatever its route: documented once, under components.responses. */
const ANY_ROUTE_PROBLEMS: Array<[string, number, string]> = [
  ['RouteNotFound', 404, 'route_not_found: the path is not one of the API\'s'],
  ['MethodNotAllowed', 405, 'method_not_allowed: the path exists without this method; Allow lists those it has'],
  ['HostNotAllowed', 421, 'host_not_allowed (keyguard serve): the request named a host the server does not serve'],
];

type OpenApiDocument = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

/** Every operation of keyguard serve can answer 421 (the Host check runs before routing). */
function withHostProblem(document: OpenApiDocument): OpenApiDocument {
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations)) operation.responses['421'] ??= { $ref: '#/components/responses/HostNotAllowed' };
  }
  return document;
}

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

function ok<T extends z.ZodType>(schema: T, description: string) {
  return { description, headers: RATE_LIMIT_HEADERS, content: { 'application/json': { schema } } };
}

/** A success response without rate-limit headers (test-control routes are not rate limited). */
function plain<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

function problemResponseConfig(status: number) {
  return {
    description: TITLES[status] ?? 'Error',
    headers: PROBLEM_HEADERS[status] ?? RATE_LIMIT_HEADERS_IF_AUTHENTICATED,
    content: { 'application/problem+json': { schema: S.Problem } },
  };
}

function problems(...statuses: number[]) {
  const out: Record<number, ReturnType<typeof problemResponseConfig>> = {};
  for (const status of statuses) out[status] = problemResponseConfig(status);
  return out;
}

function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

const SECURITY: Array<Record<string, string[]>> = [{ bearer: [] }, { apiKey: [] }];
const CONTROL_SECURITY: Array<Record<string, string[]>> = [{ controlToken: [] }];
/** What any authenticated route can answer besides success. */
const AUTH_PROBLEMS = [401, 403, 429];
/** A change with a JSON body: besides auth, bad bodies, a state file that could not be written (500) and a full body budget (503). */
const WRITE_PROBLEMS = [...AUTH_PROBLEMS, 400, 413, 415, 422, 500, 503];
/** A change without a body to check (DELETE, regenerate). */
const CHANGE_PROBLEMS = [...AUTH_PROBLEMS, 404, 500];

// ---------------------------------------------------------------- /v1/api-keys

function keyRoutes(app: OpenAPIHono<AppEnv>, deps: AppContext): void {
  const admin = guard(deps, ADMIN);
  const tags = ['API keys'];
  const now = () => deps.clock.now();
  const caller = (c: Context<AppEnv>) => c.get('key') as KeyRecord;
  const find = (id: string): KeyRecord => {
    const record = deps.state().keys.get(id);
    if (!record) throw notFound('key_not_found', `There is no API key ${id}: list keys with GET /v1/api-keys.`);
    return record;
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/api-keys',
      tags,
      summary: 'Create a key; the full key is in this response only',
      security: SECURITY,
      middleware: [admin],
      request: { body: jsonBody(S.CreateApiKey) },
      responses: { 201: ok(S.NewApiKey, 'The new key, shown once'), ...problems(...WRITE_PROBLEMS) },
    }),
    (c) => {
      const body = c.req.valid('json');
      const { record, key } = deps.write(() => issueKey(deps.state().keys, body, deps.keyContext, caller(c)));
      return send(c, newKeyView(record, key, now()), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/api-keys',
      tags,
      summary: 'List keys (prefix only, never the full key)',
      security: SECURITY,
      middleware: [admin],
      responses: { 200: ok(S.ApiKeyList, 'Every key that is not deleted'), ...problems(...AUTH_PROBLEMS) },
    }),
    (c) => send(c, { data: deps.state().keys.list().map((record) => keyView(record, now())) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/api-keys/{id}',
      tags,
      summary: 'Key details with usage',
      security: SECURITY,
      middleware: [admin],
      request: { params: S.IdParams },
      responses: { 200: ok(S.ApiKey, 'The key'), ...problems(...AUTH_PROBLEMS, 404) },
    }),
    (c) => send(c, keyView(find(c.req.valid('param').id), now()), 200),
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/api-keys/{id}',
      tags,
      summary: 'Update name, description, permissions, expiry or active status',
      security: SECURITY,
      middleware: [admin],
      request: { params: S.IdParams, body: jsonBody(S.UpdateApiKey) },
      responses: { 200: ok(S.ApiKey, 'The updated key'), ...problems(...WRITE_PROBLEMS, 404) },
    }),
    (c) => {
      const record = find(c.req.valid('param').id);
      const patch = c.req.valid('json');
      deps.write(() => {
        updateKey(record, patch, deps.keyContext, caller(c));
        deps.state().keys.touch(record);
      });
      return send(c, keyView(record, now()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/api-keys/{id}',
      tags,
      summary: 'Delete (revoke) a key; requests with it fail at once',
      security: SECURITY,
      middleware: [admin],
      request: { params: S.IdParams },
      responses: { 200: ok(S.Deleted, 'The key is gone'), ...problems(...CHANGE_PROBLEMS) },
    }),
    (c) => {
      const record = find(c.req.valid('param').id);
      deps.write(() => deleteKey(deps.state().keys, record, deps.keyContext));
      return send(c, { id: record.id, deleted: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/api-keys/{id}/regenerate',
      tags,
      summary: 'Replace the key: the old one stops working at once, the new one is shown once',
      security: SECURITY,
      middleware: [admin],
      request: { params: S.IdParams },
      responses: { 200: ok(S.NewApiKey, 'The same key id with a new key'), ...problems(...CHANGE_PROBLEMS, 413, 503) },
    }),
    (c) => {
      const record = find(c.req.valid('param').id);
      const key = deps.write(() => regenerateKey(deps.state().keys, record, deps.keyContext));
      return send(c, newKeyView(record, key, now()), 200);
    },
  );
}

function rateLimitRoute(app: OpenAPIHono<AppEnv>, deps: AppContext): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/rate-limit',
      tags: ['Rate limits'],
      summary: "The calling key's quota; does not consume any",
      security: SECURITY,
      middleware: [guard(deps, null, false)],
      responses: { 200: ok(S.RateLimitStatus, 'The hourly window (and the minute window)'), ...problems(401) },
    }),
    (c) => send(c, rateLimitView(c.get('key') as KeyRecord, c.get('decision') as RateDecision), 200),
  );
}

// ---------------------------------------------------------------- /v1/tasks, /v1/projects, /v1/users

type Stamped = { id: string; created_at: string; updated_at: string };
type Fields<T> = Partial<Omit<T, keyof Stamped>>;
/** A handler's context once the route's validator has checked the JSON body. */
type ResourceContext<T> = Context<AppEnv, string, { out: { json: Fields<T> } }>;

interface ResourceSpec<T extends Stamped> {
  path: string;
  tag: string;
  idKind: string;
  noun: string;
  item: z.ZodType<T>;
  create: z.ZodType<Fields<T>>;
  update: z.ZodType<Fields<T>>;
  defaults: Omit<T, keyof Stamped>;
  collection: (state: MockState) => Collection<T>;
  read: Permission;
  write: Permission;
  remove: Permission;
}

/** Three small resources exist so that every scope can be exercised: list, create, get, update, delete. */
function resourceRoutes(app: OpenAPIHono<AppEnv>, deps: AppContext): void {
  resource(app, deps, {
    path: '/v1/tasks',
    tag: 'Tasks',
    idKind: 'task',
    noun: 'task',
    item: S.Task,
    create: S.CreateTask,
    update: S.UpdateTask,
    defaults: { title: '', description: null, status: 'todo', project_id: null },
    collection: (state) => state.tasks,
    read: 'tasks:read',
    write: 'tasks:write',
    remove: 'tasks:delete',
  });
  resource(app, deps, {
    path: '/v1/projects',
    tag: 'Projects',
    idKind: 'proj',
    noun: 'project',
    item: S.Project,
    create: S.CreateProject,
    update: S.UpdateProject,
    defaults: { name: '', description: null },
    collection: (state) => state.projects,
    read: 'projects:read',
    write: 'projects:write',
    remove: 'projects:delete',
  });
  // The seed defines no users:delete scope: deleting a user is an admin's job.
  resource(app, deps, {
    path: '/v1/users',
    tag: 'Users',
    idKind: 'user',
    noun: 'user',
    item: S.User,
    create: S.CreateUser,
    update: S.UpdateUser,
    defaults: { name: '', email: '', role: 'member' },
    collection: (state) => state.users,
    read: 'users:read',
    write: 'users:write',
    remove: ADMIN,
  });
}

function resource<T extends Stamped>(
  app: OpenAPIHono<AppEnv>,
  deps: AppContext,
  spec: ResourceSpec<T>,
): void {
  const tags = [spec.tag];
  const one = `${spec.path}/{id}`;
  const items = () => spec.collection(deps.state());
  const find = (id: string): T => {
    const item = items().get(id);
    if (!item) throw notFound(`${spec.noun}_not_found`, `There is no ${spec.noun} ${id}: list them with GET ${spec.path}.`);
    return item;
  };
  // Hono's typed handlers cannot follow a schema chosen at run time; each handler returns the spec's own item schema.
  const route = (config: Parameters<typeof createRoute>[0], handler: (c: ResourceContext<T>) => Response) =>
    app.openapi(createRoute(config), handler as never);

  route(
    {
      method: 'get',
      path: spec.path,
      tags,
      summary: `List ${spec.noun}s (${spec.read})`,
      security: SECURITY,
      middleware: [guard(deps, spec.read)],
      responses: { 200: ok(S.listOf(spec.item), `Every ${spec.noun}`), ...problems(...AUTH_PROBLEMS) },
    },
    (c) => send(c, { data: items().list() }, 200),
  );
  route(
    {
      method: 'post',
      path: spec.path,
      tags,
      summary: `Create a ${spec.noun} (${spec.write})`,
      security: SECURITY,
      middleware: [guard(deps, spec.write)],
      request: { body: jsonBody(spec.create) },
      responses: { 201: ok(spec.item, `The new ${spec.noun}`), ...problems(...WRITE_PROBLEMS) },
    },
    (c) => {
      const fields = c.req.valid('json');
      const item = deps.write(() => createResource(items(), spec.idKind, fields, spec.defaults, deps.clock.now(), deps.random));
      return send(c, item, 201);
    },
  );
  route(
    {
      method: 'get',
      path: one,
      tags,
      summary: `Get a ${spec.noun} (${spec.read})`,
      security: SECURITY,
      middleware: [guard(deps, spec.read)],
      request: { params: S.IdParams },
      responses: { 200: ok(spec.item, `The ${spec.noun}`), ...problems(...AUTH_PROBLEMS, 404) },
    },
    (c) => send(c, find(c.req.param('id') as string), 200),
  );
  route(
    {
      method: 'patch',
      path: one,
      tags,
      summary: `Update a ${spec.noun} (${spec.write})`,
      security: SECURITY,
      middleware: [guard(deps, spec.write)],
      request: { params: S.IdParams, body: jsonBody(spec.update) },
      responses: { 200: ok(spec.item, `The updated ${spec.noun}`), ...problems(...WRITE_PROBLEMS, 404) },
    },
    (c) => {
      const item = find(c.req.param('id') as string);
      const patch = c.req.valid('json');
      const updated = deps.write(() => {
        const changed = updateResource(item, patch, deps.clock.now());
        items().set(changed);
        return changed;
      });
      return send(c, updated, 200);
    },
  );
  route(
    {
      method: 'delete',
      path: one,
      tags,
      summary: `Delete a ${spec.noun} (${spec.remove})`,
      security: SECURITY,
      middleware: [guard(deps, spec.remove)],
      request: { params: S.IdParams },
      responses: { 200: ok(S.Deleted, `The ${spec.noun} is gone`), ...problems(...CHANGE_PROBLEMS) },
    },
    (c) => {
      const item = find(c.req.param('id') as string);
      deps.write(() => items().delete(item.id));
      return send(c, { id: item.id, deleted: true }, 200);
    },
  );
}

// ---------------------------------------------------------------- /__keyguard (test-only)

/** The header that carries the per-process control token (`KeyApi.controlToken`, printed by keyguard serve). */
export const CONTROL_TOKEN_HEADER = 'X-Keyguard-Control-Token';

/**
 * Any page the developer's browser opens could otherwise reset the mock or move its clock, so
 * every control route wants the token, compared in constant time through its hash.
 */
function checkControlToken(token: string | undefined, tokenHash: Buffer): void {
  if (token === undefined) {
    throw new ApiError(403, 'missing_control_token', `The test-control routes need the control token printed at start (KeyApi.controlToken): send it in ${CONTROL_TOKEN_HEADER}.`);
  }
  if (!timingSafeEqual(hashKey(token), tokenHash)) {
    throw new ApiError(403, 'invalid_control_token', `${CONTROL_TOKEN_HEADER} does not hold this server's control token: use the one it printed at start (each run makes a new one).`);
  }
}

/**
 * Test control for the standalone server, where a test cannot reach the mock's objects:
 * move the clock, reset to the seeded state, read the journal. Test-only: never expose a
 * mock with these routes beyond 127.0.0.1.
 */
function controlRoutes(app: OpenAPIHono<AppEnv>, deps: AppContext, tokenHash: Buffer): void {
  const tags = ['Test control (test-only)'];
  app.use('/__keyguard/*', async (c, next) => {
    checkControlToken(c.req.header(CONTROL_TOKEN_HEADER), tokenHash);
    await next();
  });
  const nowIso = () => new Date(deps.clock.now()).toISOString();

  app.openapi(
    createRoute({ method: 'get', path: '/__keyguard/clock', tags, security: CONTROL_SECURITY, summary: "The mock's current time", responses: { 200: plain(S.ClockState, 'Now'), ...problems(403) } }),
    (c) => c.json({ now: nowIso() }, 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/__keyguard/clock',
      tags,
      security: CONTROL_SECURITY,
      summary: 'Move time forward (expiry, rate-limit windows) without sleeping',
      request: { body: jsonBody(S.AdvanceClock) },
      responses: { 200: plain(S.ClockState, 'The new time'), ...problems(400, 403, 413, 415, 422) },
    }),
    (c) => {
      const { advance } = c.req.valid('json');
      try {
        deps.clock.advance(parseDuration(advance));
      } catch (error) {
        throw validationFailed([{ field: 'advance', message: (error as Error).message }]);
      }
      return c.json({ now: nowIso() }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/__keyguard/reset',
      tags,
      security: CONTROL_SECURITY,
      summary: 'Back to the seeded state: keys, resources, usage, limits, journal and clock',
      responses: { 200: plain(S.ResetDone, 'Reset'), ...problems(403, 413, 500) },
    }),
    (c) => {
      deps.reset();
      return c.json({ reset: true as const, now: nowIso() }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/__keyguard/journal',
      tags,
      security: CONTROL_SECURITY,
      summary: 'Requests seen since start or reset: who called, which permission was checked, the outcome, the quota left',
      request: { query: S.JournalQuery },
      responses: { 200: plain(S.Journal, 'Oldest first'), ...problems(403, 422) },
    }),
    (c) => c.json({ data: deps.journal.entries(c.req.valid('query').after) }, 200),
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/__keyguard/journal', tags, security: CONTROL_SECURITY, summary: 'Forget the journal', responses: { 200: plain(S.Journal, 'Empty'), ...problems(403) } }),
    (c) => {
      deps.journal.clear();
      return c.json({ data: [] }, 200);
    },
  );
}
