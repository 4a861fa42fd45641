import { createRoute } from '@hono/zod-openapi';
import { parseDuration } from '../core/clock.js';
import { validationFailed } from '../core/errors.js';
import type { AppContext, KeyApiHono } from '../http/app-env.js';
import { CONTROL_SECURITY, jsonBody, plain, problems } from '../http/openapi.js';
import * as S from '../schemas.js';

/**
 * Test control for the standalone server, where a test cannot reach the mock's objects:
 * move the clock, reset to the seeded state, read the journal. Test-only: never expose a
 * mock with these routes beyond 127.0.0.1. app.ts puts the control token in front of them.
 */
export function controlRoutes(app: KeyApiHono, deps: AppContext): void {
  const tags = ['Test control (test-only)'];
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
