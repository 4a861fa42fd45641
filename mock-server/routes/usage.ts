import { createRoute } from '@hono/zod-openapi';
import { ADMIN } from '../core/scopes.js';
import type { AppContext, KeyApiHono } from '../http/app-env.js';
import { guard } from '../http/guard.js';
import { ok, problems, SECURITY } from '../http/openapi.js';
import { USAGE_PATH, UsageReport, usageReport } from '../usage.js';

/** `GET /v1/usage` (`admin:*`): the dashboard's Overview, and any script's. */
export function usageRoutes(app: KeyApiHono, deps: AppContext): void {
  const route = createRoute({
    method: 'get',
    path: USAGE_PATH,
    tags: ['Usage'],
    summary: 'Request volume, success rate and error rate per key over the last hour and day (admin:*); does not consume quota',
    security: SECURITY,
    // Without consuming quota: watching must not use up what is watched.
    middleware: [guard(deps, ADMIN, false)],
    responses: { 200: ok(UsageReport, 'Usage from the request journal'), ...problems(401, 403) },
  });
  app.openapi(route, (c) => {
    const report = usageReport({
      environment: deps.environment,
      now: deps.clock.now(),
      keys: deps.state().keys.list(),
      records: deps.journal.kept(),
    });
    return c.json(report, 200);
  });
}
