import { createRoute, z } from '@hono/zod-openapi';
import { EVENTS_PATH } from '../alerts.js';
import { EVENT_TYPES } from '../core/events.js';
import { ADMIN } from '../core/scopes.js';
import type { AppContext, KeyApiHono } from '../http/app-env.js';
import { guard } from '../http/guard.js';
import { ok, problems, SECURITY } from '../http/openapi.js';
import { send } from '../http/respond.js';

const EXTENSION = { 'x-keyguard-extension': true };

export const KeyEventSchema = z
  .strictObject({
    id: z.string().openapi({ example: 'evt_4eC39HqLyjWDarjtT1zd' }),
    type: z.enum(EVENT_TYPES),
    created_at: z.string().openapi({ format: 'date-time', description: "On the mock's clock." }),
    key_id: z.string().nullable().openapi({ description: 'The key the event is about; null for a failed authentication with a key the mock does not know.' }),
    data: z.record(z.string(), z.unknown()).openapi({
      description:
        'What happened. Key events carry name, prefix (never the key), plan, permissions, active, expires_at, auto_renew; key.updated adds changed (the fields sent); key.regenerated previous_prefix; key.expiring expires_at (and renews_at); key.renewed previous_expires_at, expires_at, terms; key.auth_failed reason (the 401 code), prefix, source; key.rate_limited and key.quota_exceeded window, prefix, source; key.new_source source, prefix, known_sources.',
    }),
  })
  .openapi('KeyEvent', { description: "keyguard's extension: one event, as GET /v1/events lists it and webhooks deliver it.", ...EXTENSION });

const EventList = z
  .strictObject({ data: z.array(KeyEventSchema), has_more: z.boolean().openapi({ description: 'More events are older than the last one: ask again with starting_after.' }) })
  .openapi('KeyEventList', EXTENSION);

const EventsQuery = z.object({
  type: z.enum(EVENT_TYPES).optional().openapi({ param: { name: 'type', in: 'query' }, description: 'Only events of this type.' }),
  key_id: z.string().optional().openapi({ param: { name: 'key_id', in: 'query' }, description: 'Only events about this key.' }),
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ param: { name: 'limit', in: 'query' }, description: '1 to 100, default 20.' }),
  starting_after: z.string().optional().openapi({ param: { name: 'starting_after', in: 'query' }, description: 'An event id: the page of events older than it.' }),
});

const SIGNATURE_HEADERS = z.object({
  'webhook-id': z.string().openapi({ description: 'The event id (the same on every retry: deduplicate on it).' }),
  'webhook-timestamp': z.string().openapi({ description: 'Unix seconds of this attempt, on the real clock (receivers compare it with theirs to refuse replays).' }),
  'webhook-signature': z.string().openapi({
    description: 'v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}" keyed with the base64-decoded secret after whsec_> (Standard Webhooks).',
  }),
});

/** `GET /v1/events` (`admin:*`), and the events as webhooks in the OpenAPI document. */
export function eventRoutes(app: KeyApiHono, deps: AppContext): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: EVENTS_PATH,
      tags: ['Events'],
      summary: "keyguard's extension: what happened to keys, newest first (admin:*); does not consume quota",
      description:
        'Key lifecycle (created, updated, regenerated, revoked), expiry (expiring 30 days ahead, expired, renewed) and monitoring (auth_failed, rate_limited, quota_exceeded, new_source) events since start or reset, on the mock\'s clock. The same events are POSTed, signed, to every --webhook URL.',
      security: SECURITY,
      // Watching must not use up what is watched.
      middleware: [guard(deps, ADMIN, false)],
      request: { query: EventsQuery },
      responses: { 200: ok(EventList, 'Events, newest first'), ...problems(401, 403, 422) },
      ...EXTENSION,
    }),
    (c) => send(c, deps.events.list(c.req.valid('query')), 200),
  );

  for (const type of EVENT_TYPES) {
    app.openAPIRegistry.registerWebhook({
      method: 'post',
      path: type,
      tags: ['Events'],
      summary: `${type}, POSTed to each --webhook URL (keyguard's extension)`,
      description:
        'Signed as Standard Webhooks: verify webhook-signature over "{webhook-id}.{webhook-timestamp}.{body}" with the secret keyguard serve prints (api.webhooks.secret). A key\'s events arrive in order; a failed delivery (no 2xx within 10 s) is retried after 5 s, 30 s, 2 min, 10 min and 1 h of the mock\'s clock, then given up.',
      request: { headers: SIGNATURE_HEADERS, body: { required: true, content: { 'application/json': { schema: KeyEventSchema } } } },
      responses: { 200: { description: 'Any 2xx acknowledges the delivery' } },
      ...EXTENSION,
    });
  }
}
