import { createRoute, z, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Env, MiddlewareHandler } from 'hono';
import { isoSeconds } from './core/clock.js';
import type { JournalEntry } from './core/journal.js';
import { usageAt } from './core/key-admin.js';
import type { KeyRecord } from './core/store.js';
import type { AppDeps } from './app.js';
import * as S from './schemas.js';

/**
 * `GET /v1/usage`: request volume, success rate and error rate per key over the last hour and
 * day, computed from the request journal on the server's clock (so time travel moves it too).
 * The dashboard's Overview reads it; so can any script with an `admin:*` key.
 */
export const USAGE_PATH = '/v1/usage';

const WINDOWS = {
  last_hour: { spanMs: 3_600_000, buckets: 12 },
  last_day: { spanMs: 86_400_000, buckets: 24 },
} as const;

const count = z.int().min(0);
const rate = z.number().min(0).max(1).nullable().openapi({ description: 'A ratio from 0 to 1; null when there were no requests.' });
const timestamp = z.string().openapi({ format: 'date-time', example: '2025-10-14T10:30:00Z' });

const UsageWindow = z
  .strictObject({
    requests: count,
    succeeded: count.openapi({ description: 'Responses with a status below 400.' }),
    failed: count,
    success_rate: rate,
    bucket_seconds: z.int(),
    buckets: z.array(z.strictObject({ start: timestamp, requests: count, failed: count })).openapi({
      description: 'Equal slices of the window, oldest first; the last one ends now.',
    }),
  })
  .openapi('UsageWindow');

export const UsageReport = z
  .strictObject({
    environment: S.ApiKey.shape.environment,
    now: timestamp.openapi({ description: "The server's clock." }),
    total_keys: count,
    active_keys: count.openapi({ description: 'Keys that authenticate now: active and not expired.' }),
    last_hour: UsageWindow,
    last_day: UsageWindow,
    keys: z.array(
      z.strictObject({
        id: z.string(),
        name: z.string(),
        prefix: z.string(),
        active: z.boolean(),
        last_used: timestamp.nullable(),
        usage: S.ApiKey.shape.usage,
        last_day: z
          .strictObject({ requests: count, failed: count, error_rate: rate })
          .openapi({ description: 'Requests that authenticated with this key in the last 24 hours.' }),
      }),
    ),
  })
  .openapi('UsageReport');

export type UsageReport = z.infer<typeof UsageReport>;

export interface UsageInput {
  environment: UsageReport['environment'];
  now: number;
  keys: readonly KeyRecord[];
  /** The journal, oldest first. */
  entries: readonly JournalEntry[];
}

/**
 * The report, from journal entries: a request fails when its status is 400 or more. Reads of
 * this report itself are left out, so a dashboard polling it does not move the figures it shows.
 */
export function usageReport({ environment, now, keys, entries }: UsageInput): UsageReport {
  const requests = entries
    .filter((entry) => entry.path !== USAGE_PATH)
    .map((entry) => ({ atMs: Date.parse(entry.at), keyId: entry.key_id, failed: entry.status >= 400 }))
    .filter((request) => request.atMs <= now);
  const dayStart = now - WINDOWS.last_day.spanMs;
  const perKey = new Map<string, { requests: number; failed: number }>();
  for (const request of requests) {
    if (request.keyId === null || request.atMs <= dayStart) continue;
    const tally = perKey.get(request.keyId) ?? { requests: 0, failed: 0 };
    tally.requests++;
    if (request.failed) tally.failed++;
    perKey.set(request.keyId, tally);
  }
  return {
    environment,
    now: isoSeconds(now),
    total_keys: keys.length,
    active_keys: keys.filter((key) => key.active && (key.expires_at === null || key.expires_at > now)).length,
    last_hour: usageWindow(requests, now, WINDOWS.last_hour),
    last_day: usageWindow(requests, now, WINDOWS.last_day),
    keys: keys.map((key) => {
      const tally = perKey.get(key.id) ?? { requests: 0, failed: 0 };
      return {
        id: key.id,
        name: key.name,
        prefix: key.prefix,
        active: key.active,
        last_used: key.last_used === null ? null : isoSeconds(key.last_used),
        usage: usageAt(key.usage, now),
        last_day: { ...tally, error_rate: ratio(tally.failed, tally.requests) },
      };
    }),
  };
}

function usageWindow(
  requests: ReadonlyArray<{ atMs: number; failed: boolean }>,
  now: number,
  { spanMs, buckets: count }: { spanMs: number; buckets: number },
): z.infer<typeof UsageWindow> {
  const start = now - spanMs;
  const bucketMs = spanMs / count;
  const buckets = Array.from({ length: count }, (_, index) => ({
    start: isoSeconds(start + index * bucketMs),
    requests: 0,
    failed: 0,
  }));
  for (const request of requests) {
    if (request.atMs <= start) continue;
    // A request at exactly `now` belongs to the last bucket, not to one past the end.
    const bucket = buckets[Math.min(Math.floor((request.atMs - start) / bucketMs), count - 1)] as (typeof buckets)[number];
    bucket.requests++;
    if (request.failed) bucket.failed++;
  }
  const total = buckets.reduce((sum, bucket) => sum + bucket.requests, 0);
  const failed = buckets.reduce((sum, bucket) => sum + bucket.failed, 0);
  return {
    requests: total,
    succeeded: total - failed,
    failed,
    success_rate: ratio(total - failed, total),
    bucket_seconds: bucketMs / 1000,
    buckets,
  };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

type ResponseConfig = RouteConfig['responses'][string];

/** The app's own building blocks, so this route authenticates and documents itself like every other. */
export interface RouteKit<E extends Env> {
  /** Authentication and `admin:*`, without consuming quota: watching must not use up what is watched. */
  admin: MiddlewareHandler<E>;
  security: RouteConfig['security'];
  ok: <T extends z.ZodType>(schema: T, description: string) => ResponseConfig;
  problems: (...statuses: number[]) => Record<number, ResponseConfig>;
}

export function usageRoute<E extends Env>(
  app: OpenAPIHono<E>,
  deps: Pick<AppDeps, 'environment' | 'clock' | 'journal' | 'state'>,
  kit: RouteKit<E>,
): void {
  const route = createRoute({
    method: 'get',
    path: USAGE_PATH,
    tags: ['Usage'],
    summary: 'Request volume, success rate and error rate per key over the last hour and day (admin:*); does not consume quota',
    security: kit.security,
    middleware: [kit.admin],
    responses: { 200: kit.ok(UsageReport, 'Usage from the request journal'), ...kit.problems(401, 403) },
  });
  app.openapi(route, (c) => {
    const report = usageReport({
      environment: deps.environment,
      now: deps.clock.now(),
      keys: deps.state().keys.list(),
      entries: deps.journal.entries(),
    });
    return c.json(report, 200);
  });
}
