import { createRoute } from '@hono/zod-openapi';
import type { RateDecision } from '../core/rate-limit.js';
import type { KeyRecord } from '../core/store.js';
import type { AppContext, KeyApiHono } from '../http/app-env.js';
import { guard } from '../http/guard.js';
import { ok, problems, SECURITY } from '../http/openapi.js';
import { send } from '../http/respond.js';
import * as S from '../schemas.js';
import { rateLimitView } from '../http/views.js';

/** `GET /v1/rate-limit`: what the calling key has left, without spending any of it. */
export function rateLimitRoutes(app: KeyApiHono, deps: AppContext): void {
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
