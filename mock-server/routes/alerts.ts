import { createRoute } from '@hono/zod-openapi';
import { ALERTS_PATH, AlertsReport, alertsReport } from '../alerts.js';
import { ADMIN } from '../core/scopes.js';
import type { AppContext, KeyApiHono } from '../http/app-env.js';
import { guard } from '../http/guard.js';
import { ok, problems, SECURITY } from '../http/openapi.js';

/** `GET /v1/alerts` (`admin:*`): the dashboard's Alerts panel, and any script's. */
export function alertRoutes(app: KeyApiHono, deps: AppContext): void {
  const route = createRoute({
    method: 'get',
    path: ALERTS_PATH,
    tags: ['Events'],
    summary: "keyguard's extension: failed authentication, rate-limit hits, quota exceeded, new sources and request spikes over the last 24 hours (admin:*); does not consume quota",
    security: SECURITY,
    middleware: [guard(deps, ADMIN, false)],
    responses: { 200: ok(AlertsReport, 'Alerts from the events and the request journal'), ...problems(401, 403) },
    'x-keyguard-extension': true,
  });
  app.openapi(route, (c) =>
    c.json(alertsReport({ now: deps.clock.now(), keys: deps.state().keys.list(), events: deps.events.all(), records: deps.journal.kept() }), 200),
  );
}
