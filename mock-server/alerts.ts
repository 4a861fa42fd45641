import { z } from '@hono/zod-openapi';
import { isoSeconds } from './core/clock.js';
import type { KeyEvent } from './core/events.js';
import type { JournalRecord } from './core/journal.js';
import type { KeyRecord } from './core/store.js';
import { USAGE_PATH } from './usage.js';

/**
 * `GET /v1/alerts` (keyguard's extension): seed 004's "Alert on" list over the last 24 hours,
 * from the events and the request journal, on the mock's clock. The dashboard's Alerts panel
 * reads it.
 *
 * The spike rule, kept simple so a test can predict it: over the last 60 minutes, a key's minute
 * is a spike when it holds at least SPIKE_MIN_REQUESTS requests and more than SPIKE_FACTOR times
 * the median of the key's busy minutes (minutes with at least one request) in that hour.
 */
export const ALERTS_PATH = '/v1/alerts';
export const EVENTS_PATH = '/v1/events';
export const SPIKE_FACTOR = 3;
export const SPIKE_MIN_REQUESTS = 10;
const SPIKE_WINDOW_MS = 3_600_000;
const MINUTE_MS = 60_000;
const ALERT_WINDOW_MS = 86_400_000;
/** Reads of these do not count toward spikes: a dashboard polling them must not look like misuse. */
const WATCHING_PATHS = new Set([USAGE_PATH, ALERTS_PATH, EVENTS_PATH]);

const timestamp = z.string().openapi({ format: 'date-time' });
const count = z.int().min(0);
const keyRef = { key_id: z.string().nullable(), prefix: z.string().nullable(), name: z.string().nullable() };
const tally = z.strictObject({ ...keyRef, count, last_at: timestamp });

export const AlertsReport = z
  .strictObject({
    now: timestamp,
    window_hours: z.literal(24),
    failed_auth: z
      .array(z.strictObject({ ...keyRef, reason: z.string().openapi({ description: 'The 401 code, such as invalid_api_key.' }), count, last_at: timestamp }))
      .openapi({ description: 'key.auth_failed grouped by the prefix presented and the reason, most first.' }),
    rate_limited: z.array(tally).openapi({ description: 'key.rate_limited (the minute window) per key.' }),
    quota_exceeded: z.array(tally).openapi({ description: "key.quota_exceeded (the hour's quota) per key." }),
    new_sources: z.array(z.strictObject({ ...keyRef, source: z.string(), at: timestamp })),
    spikes: z.array(z.strictObject({ ...keyRef, minute: timestamp, requests: count, median: z.number() })).openapi({
      description: `Minutes of the last hour with at least ${SPIKE_MIN_REQUESTS} requests and more than ${SPIKE_FACTOR} times the median of the key's busy minutes.`,
    }),
    rule: z.strictObject({ spike_factor: z.number(), spike_min_requests: count, spike_window_minutes: count }),
  })
  .openapi('AlertsReport', { 'x-keyguard-extension': true });

export type AlertsReport = z.infer<typeof AlertsReport>;

export interface AlertsInput {
  now: number;
  keys: readonly KeyRecord[];
  events: readonly KeyEvent[];
  records: ReadonlyArray<Pick<JournalRecord, 'atMs' | 'path' | 'key_id'>>;
}

export function alertsReport({ now, keys, events, records }: AlertsInput): AlertsReport {
  const names = new Map(keys.map((key) => [key.id, key.name]));
  const ref = (keyId: string | null, prefix: unknown) => ({
    key_id: keyId,
    prefix: typeof prefix === 'string' ? prefix : null,
    name: keyId === null ? null : (names.get(keyId) ?? null),
  });
  const failed = new Map<string, AlertsReport['failed_auth'][number]>();
  const limited = new Map<string, AlertsReport['rate_limited'][number]>();
  const exceeded = new Map<string, AlertsReport['quota_exceeded'][number]>();
  const newSources: AlertsReport['new_sources'] = [];
  const since = now - ALERT_WINDOW_MS;
  for (const event of events) {
    const at = Date.parse(event.created_at);
    if (at <= since || at > now) continue;
    const { prefix } = event.data;
    if (event.type === 'key.auth_failed') {
      const reason = String(event.data.reason);
      bump(failed, `${String(prefix)} ${reason}`, () => ({ ...ref(event.key_id, prefix), reason, count: 0, last_at: '' }), event.created_at);
    } else if (event.type === 'key.rate_limited' || event.type === 'key.quota_exceeded') {
      const into = event.type === 'key.rate_limited' ? limited : exceeded;
      bump(into, String(event.key_id), () => ({ ...ref(event.key_id, prefix), count: 0, last_at: '' }), event.created_at);
    } else if (event.type === 'key.new_source') {
      newSources.push({ ...ref(event.key_id, prefix), source: String(event.data.source), at: event.created_at });
    }
  }
  const byCount = <T extends { count: number }>(map: Map<string, T>) => [...map.values()].sort((a, b) => b.count - a.count);
  return {
    now: isoSeconds(now),
    window_hours: 24,
    failed_auth: byCount(failed),
    rate_limited: byCount(limited),
    quota_exceeded: byCount(exceeded),
    new_sources: newSources.reverse(),
    spikes: spikes(now, records).map(({ keyId, minute, requests, median }) => ({
      ...ref(keyId, keys.find((key) => key.id === keyId)?.prefix),
      minute: isoSeconds(minute),
      requests,
      median,
    })),
    rule: { spike_factor: SPIKE_FACTOR, spike_min_requests: SPIKE_MIN_REQUESTS, spike_window_minutes: SPIKE_WINDOW_MS / MINUTE_MS },
  };
}

function bump<T extends { count: number; last_at: string }>(map: Map<string, T>, group: string, make: () => T, at: string): void {
  let entry = map.get(group);
  if (!entry) map.set(group, (entry = make()));
  entry.count++;
  entry.last_at = at;
}

/** Per key, its minutes of the last hour that break the spike rule. */
function spikes(now: number, records: AlertsInput['records']): Array<{ keyId: string; minute: number; requests: number; median: number }> {
  const since = now - SPIKE_WINDOW_MS;
  const perKey = new Map<string, Map<number, number>>();
  for (const record of records) {
    if (record.key_id === null || record.atMs <= since || record.atMs > now || WATCHING_PATHS.has(record.path)) continue;
    let minutes = perKey.get(record.key_id);
    if (!minutes) perKey.set(record.key_id, (minutes = new Map()));
    const minute = Math.floor(record.atMs / MINUTE_MS) * MINUTE_MS;
    minutes.set(minute, (minutes.get(minute) ?? 0) + 1);
  }
  const out: Array<{ keyId: string; minute: number; requests: number; median: number }> = [];
  for (const [keyId, minutes] of perKey) {
    const median = medianOf([...minutes.values()]);
    for (const [minute, requests] of minutes) {
      if (requests >= SPIKE_MIN_REQUESTS && requests > SPIKE_FACTOR * median) out.push({ keyId, minute, requests, median });
    }
  }
  return out.sort((a, b) => b.minute - a.minute);
}

function medianOf(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
