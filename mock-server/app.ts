import { OpenAPIHono } from '@hono/zod-openapi';
import { TrieRouter } from 'hono/router/trie-router';
import { notFound, validationFailed } from './core/errors.js';
import { fieldErrors } from './core/fields.js';
import type { AppDeps, Connection } from './http/app-deps.js';
import type { AppContext, AppEnv, RouteGroup } from './http/app-env.js';
import { BodyBudget } from './http/body-budget.js';
import { limitBodies, MAX_BODY_BYTES, MAX_BUFFERED_BYTES } from './http/body-limit.js';
import { requireControlToken } from './http/control-token.js';
import { asKnownError } from './http/errors.js';
import { journalEntry } from './http/journal-entry.js';
import { methodNotAllowed } from './http/method-not-allowed.js';
import { documentOf, registerAnyRouteProblems, registerSecuritySchemes } from './http/openapi.js';
import { displayPath } from './http/redact.js';
import { problem } from './http/respond.js';
import { observeRequests } from './http/observe.js';
import { alertRoutes } from './routes/alerts.js';
import { controlRoutes } from './routes/control.js';
import { eventRoutes } from './routes/events.js';
import { faultRoutes } from './routes/faults.js';
import { keyRoutes } from './routes/keys.js';
import { rateLimitRoutes } from './routes/rate-limit.js';
import { resourceRoutes } from './routes/resources.js';
import { usageRoutes } from './routes/usage.js';
import { webhookRoutes } from './routes/webhooks.js';


export interface KeyApiApp {
  /** `connection`: where the request came from, as the adapter knows it (for key.new_source). */
  fetch: (request: Request, connection?: Connection) => Promise<Response>;
  /** The OpenAPI 3.1 document of every route, generated from the same schemas that validate requests. */
  openApiDocument: () => unknown;
}

/**
 * The route groups of the API, in the order the OpenAPI document lists them. A new group is a
 * module under routes/ and one entry here.
 */
const API_ROUTES: RouteGroup[] = [keyRoutes, rateLimitRoutes, usageRoutes, resourceRoutes, eventRoutes, alertRoutes];

/** The test-control groups under /__keyguard: they exist only with a control token, and all sit behind it. */
const CONTROL_ROUTES: RouteGroup[] = [controlRoutes, faultRoutes, webhookRoutes];

/**
 * The key API as one fetch-style app: Hono routes its requests the same way inside an msw
 * handler and behind a Node socket. This module only assembles: the HTTP layer (http/) holds the
 * middleware (the journal, the body limit, the guard for auth + rate limit + permission) and
 * turns every error into an RFC 9457 problem in `onError`, the one place errors become HTTP;
 * each group of routes (routes/) calls the domain core (core/).
 */
export function createApp(appDeps: AppDeps): KeyApiApp {
  const deps: AppContext = { ...appDeps, budget: new BodyBudget(MAX_BUFFERED_BYTES, MAX_BODY_BYTES) };
  const app = new OpenAPIHono<AppEnv>({
    router: new TrieRouter(),
    defaultHook: (result) => {
      if (!result.success) throw validationFailed(fieldErrors(result.error));
    },
  });

  app.use('/v1/*', journalEntry(deps));
  app.use('/v1/*', observeRequests(deps));
  app.use('*', limitBodies());
  registerSecuritySchemes(app);

  for (const group of API_ROUTES) group(app, deps);
  if (deps.controlTokenHash) {
    // Before the groups: Hono runs handlers in the order they were added.
    app.use('/__keyguard/*', requireControlToken(deps.controlTokenHash));
    for (const group of CONTROL_ROUTES) group(app, deps);
  }
  registerAnyRouteProblems(app);

  const openApiDocument = documentOf(app);
  app.get('/openapi.json', (c) => c.json(openApiDocument() as object));
  methodNotAllowed(app);

  app.notFound((c) => {
    throw notFound('route_not_found', `There is no route ${c.req.method} ${displayPath(c.req.path)}: see /openapi.json for the API.`);
  });
  app.onError((error, c) => problem(c, asKnownError(error)));

  // Hono answers a promise for any route with async middleware (every API route): passed on as it is.
  return { fetch: (request, connection) => Promise.resolve(app.fetch(request, connection)), openApiDocument };
}
