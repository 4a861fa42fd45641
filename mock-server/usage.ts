import { z } from '@hono/zod-openapi';
import { isoSeconds } from './core/clock.js';
import type { JournalRecord } from './core/journal.js';
import { usageAt } from './core/key-admin.js';
import type { KeyRecord } from './core/store.js';
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
  /** The journal's records, oldest first. */
  records: ReadonlyArray<Pick<JournalRecord, 'atMs' | 'path' | 'key_id' | 'status'>>;
}

/**
 * The report, from the journal's records: a request fails when its status is 400 or more. Reads of
 * this report itself are left out, so a dashboard polling it does not move the figures it shows.
 * One pass over the records, tallying into both windows and the keys at once: a poll of a full
 * journal allocates nothing per request.
 */
export function usageReport({ environment, now, keys, records }: UsageInput): UsageReport {
  const hour = new WindowTally(now, WINDOWS.last_hour);
  const day = new WindowTally(now, WINDOWS.last_day);
  const perKey = new Map<string, { requests: number; failed: number }>();
  for (const record of records) {
    if (record.path === USAGE_PATH || record.atMs > now) continue;
    const failed = record.status >= 400;
    hour.add(record.atMs, failed);
    if (!day.add(record.atMs, failed) || record.key_id === null) continue;
    let tally = perKey.get(record.key_id);
    if (!tally) perKey.set(record.key_id, (tally = { requests: 0, failed: 0 }));
    tally.requests++;
    if (failed) tally.failed++;
  }
  return {
    environment,
    now: isoSeconds(now),
    total_keys: keys.length,
    active_keys: keys.filter((key) => key.active && (key.expires_at === null || key.expires_at > now)).length,
    last_hour: hour.report(),
    last_day: day.report(),
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

/** Requests and failures in equal buckets of the window (start, now]. */
class WindowTally {
  private readonly start: number;
  private readonly bucketMs: number;
  private readonly requests: number[];
  private readonly failed: number[];

  constructor(now: number, { spanMs, buckets }: { spanMs: number; buckets: number }) {
    this.start = now - spanMs;
    this.bucketMs = spanMs / buckets;
    this.requests = new Array<number>(buckets).fill(0);
    this.failed = new Array<number>(buckets).fill(0);
  }

  /** Counts a request if it falls in the window; says whether it did. */
  add(atMs: number, failed: boolean): boolean {
    if (atMs <= this.start) return false;
    // A request at exactly `now` belongs to the last bucket, not to one past the end.
    const index = Math.min(Math.floor((atMs - this.start) / this.bucketMs), this.requests.length - 1);
    this.requests[index] = (this.requests[index] as number) + 1;
    if (failed) this.failed[index] = (this.failed[index] as number) + 1;
    return true;
  }

  report(): z.infer<typeof UsageWindow> {
    const requests = this.requests.reduce((sum, count) => sum + count, 0);
    const failed = this.failed.reduce((sum, count) => sum + count, 0);
    return {
      requests,
      succeeded: requests - failed,
      failed,
      success_rate: ratio(requests - failed, requests),
      bucket_seconds: this.bucketMs / 1000,
      buckets: this.requests.map((count, index) => ({
        start: isoSeconds(this.start + index * this.bucketMs),
        requests: count,
        failed: this.failed[index] as number,
      })),
    };
  }
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
