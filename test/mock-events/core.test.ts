import { describe, expect, it } from 'vitest';
import { createClock } from '../../mock-server/core/clock.js';
import { EventLog, type EventType } from '../../mock-server/core/events.js';
import { ExpiryWatch } from '../../mock-server/core/expiry.js';
import { FaultRegistry } from '../../mock-server/core/faults.js';
import { cryptoRandom } from '../../mock-server/core/keys.js';
import { RequestMonitor } from '../../mock-server/core/monitor.js';
import { Scheduler } from '../../mock-server/core/scheduler.js';
import type { KeyRecord } from '../../mock-server/core/store.js';
import { sign, verify } from '../../mock-server/webhooks/signature.js';

const START = '2025-10-14T10:30:00Z';
const DAY = 86_400_000;

describe('the event log', () => {
  const log = () => new EventLog(createClock(START), cryptoRandom, 5);

  it('lists newest first, filters by type and key, and pages with starting_after', () => {
    const events = log();
    events.emit('key.created', 'key_a', {});
    events.emit('key.created', 'key_b', {});
    events.emit('key.updated', 'key_a', {});
    const all = events.list({ limit: 10 });
    expect(all.data.map((e) => [e.type, e.key_id])).toEqual([['key.updated', 'key_a'], ['key.created', 'key_b'], ['key.created', 'key_a']]);
    expect(events.list({ limit: 10, key_id: 'key_a' }).data).toHaveLength(2);
    expect(events.list({ limit: 10, type: 'key.created' }).data.map((e) => e.key_id)).toEqual(['key_b', 'key_a']);
    const first = events.list({ limit: 2 });
    expect(first.has_more).toBe(true);
    const second = events.list({ limit: 2, starting_after: first.data[1]?.id });
    expect(second).toEqual({ data: [all.data[2]], has_more: false });
  });

  it('publishes held events only when the change is released, never when it is discarded', () => {
    const events = log();
    const seen: EventType[] = [];
    events.subscribe((event) => seen.push(event.type));
    events.hold();
    events.emit('key.created', 'key_a', {});
    events.discard();
    events.hold();
    events.emit('key.revoked', 'key_a', {});
    expect(seen).toEqual([]);
    events.release();
    expect(seen).toEqual(['key.revoked']);
    expect(events.list({ limit: 10 }).data.map((e) => e.type)).toEqual(['key.revoked']);
  });

  it('keeps a bounded number of events', () => {
    const events = log();
    for (let i = 0; i < 20; i++) events.emit('key.updated', `key_${i}`, {});
    expect(events.list({ limit: 100 }).data.length).toBeLessThanOrEqual(7);
    expect(events.list({ limit: 1 }).data[0]?.key_id).toBe('key_19');
  });
});

describe('the request monitor', () => {
  it('turns 401s, 429s and new source addresses into events; a key\'s first address is not news', () => {
    const events = new EventLog(createClock(START), cryptoRandom);
    const monitor = new RequestMonitor(events);
    monitor.observe({ key_id: null, key_prefix: 'sk_test_abc...', status: 401, outcome: 'invalid_api_key', source: '127.0.0.1' });
    monitor.observe({ key_id: 'key_a', key_prefix: 'sk_test_def...', status: 200, outcome: 'ok', source: '127.0.0.1' });
    monitor.observe({ key_id: 'key_a', key_prefix: 'sk_test_def...', status: 200, outcome: 'ok', source: '127.0.0.1' });
    monitor.observe({ key_id: 'key_a', key_prefix: 'sk_test_def...', status: 200, outcome: 'ok', source: '127.0.0.2' });
    monitor.observe({ key_id: 'key_a', key_prefix: 'sk_test_def...', status: 429, outcome: 'rate_limited', window: 'minute', source: '127.0.0.2' });
    monitor.observe({ key_id: 'key_a', key_prefix: 'sk_test_def...', status: 429, outcome: 'rate_limited', window: 'hour', source: '127.0.0.2' });
    const listed = events.list({ limit: 10 }).data.reverse();
    expect(listed.map((e) => [e.type, e.key_id, e.data])).toEqual([
      ['key.auth_failed', null, { reason: 'invalid_api_key', prefix: 'sk_test_abc...', source: '127.0.0.1' }],
      ['key.new_source', 'key_a', { source: '127.0.0.2', prefix: 'sk_test_def...', known_sources: 1 }],
      ['key.rate_limited', 'key_a', { window: 'minute', prefix: 'sk_test_def...', source: '127.0.0.2' }],
      ['key.quota_exceeded', 'key_a', { window: 'hour', prefix: 'sk_test_def...', source: '127.0.0.2' }],
    ]);
  });
});

function record(fields: Partial<KeyRecord>): KeyRecord {
  return {
    id: 'key_a',
    hash: '00',
    prefix: 'sk_test_abc...',
    name: 'renewing',
    description: null,
    permissions: [],
    environment: 'test',
    plan: 'enterprise',
    rate_limit: { per_hour: 10, per_minute: 1 },
    active: true,
    created_at: Date.parse(START),
    expires_at: null,
    last_used: null,
    usage: { day: 0, requests_today: 0, month: 0, requests_this_month: 0, requests_total: 0 },
    permissions_used: {},
    ...fields,
  };
}

describe('expiry on the mock\'s clock', () => {
  const start = Date.parse(START);

  function run(key: KeyRecord, days: number[]) {
    const events = new EventLog(createClock(START), cryptoRandom);
    const watch = new ExpiryWatch();
    for (const day of days) {
      const now = start + day * DAY;
      if (watch.isDue(now)) for (const due of watch.collect([key], now)) watch.settle(due, now, events);
    }
    return { types: events.list({ limit: 100 }).data.reverse().map((e) => e.type) };
  }

  it('an auto-renewing key: key.expiring once 30 days ahead, renewed a day ahead by one term, and never past its expiry', () => {
    const key = record({ auto_renew: true, expires_at: start + 365 * DAY });
    const { types } = run(key, [0, 100, 334, 335, 336, 340, 363, 364, 365, 366]);
    expect(types).toEqual(['key.expiring', 'key.renewed']);
    expect(key.expires_at).toBe(start + 730 * DAY);
    const next = run(key, [699, 700, 729, 730]);
    expect(next.types).toEqual(['key.expiring', 'key.renewed']);
    expect(key.expires_at).toBe(start + 1095 * DAY);
  });

  it('a clock moved many terms at once renews once, far enough', () => {
    const key = record({ auto_renew: true, expires_at: start + 40 * DAY });
    const { types } = run(key, [1000]);
    expect(types).toEqual(['key.expiring', 'key.renewed']);
    expect(key.expires_at).toBeGreaterThan(start + 1001 * DAY);
  });

  it('a key without auto_renew: key.expiring once, then key.expired once', () => {
    const key = record({ plan: 'free', expires_at: start + 60 * DAY });
    const { types } = run(key, [0, 29, 30, 31, 59, 60, 61, 90]);
    expect(types).toEqual(['key.expiring', 'key.expired']);
    expect(key.expires_at).toBe(start + 60 * DAY);
  });
});

describe('faults', () => {
  const now = Date.parse(START);

  it('apply to the next request by default, to N requests with count, and for a window of mock time with duration', () => {
    const faults = new FaultRegistry(cryptoRandom);
    faults.add({ status: 503, path: '/v1/tasks' }, now);
    expect(faults.take({ method: 'GET', path: '/v1/projects' }, now)).toBeUndefined();
    expect(faults.take({ method: 'GET', path: '/v1/tasks' }, now)).toMatchObject({ status: 503, retry_after: 1, hits: 1 });
    expect(faults.take({ method: 'GET', path: '/v1/tasks' }, now)).toBeUndefined();
    faults.add({ status: 500, method: 'post', count: 2 }, now);
    expect(faults.take({ method: 'GET', path: '/v1/tasks' }, now)).toBeUndefined();
    expect(faults.take({ method: 'POST', path: '/v1/tasks' }, now)?.status).toBe(500);
    expect(faults.take({ method: 'POST', path: '/v1/x' }, now)?.status).toBe(500);
    expect(faults.empty).toBe(true);
    faults.add({ drop: true, duration: '1m', path: '/v1/*', key_id: 'key_a' }, now);
    expect(faults.needsKey).toBe(true);
    expect(faults.take({ method: 'GET', path: '/v1/tasks', key_id: 'key_b' }, now)).toBeUndefined();
    expect(faults.take({ method: 'GET', path: '/v1/tasks', key_id: 'key_a' }, now + 59_999)?.drop).toBe(true);
    expect(faults.take({ method: 'GET', path: '/v1/tasks', key_id: 'key_a' }, now + 60_000)).toBeUndefined();
    expect(faults.list(now + 60_000)).toEqual([]);
  });

  it.each([
    [{}, 'fault: says nothing to do: give a status, a delay or "drop": true'],
    [{ status: 404 }, 'status: must be one of 500, 502, 503, 429'],
    [{ drop: true, status: 500 }, 'fault: cannot both drop the connection and answer a status: choose one'],
    [{ delay: '1 hour' }, 'delay: duration "1 hour" is not understood'],
    [{ status: 500, colour: 'red' }, 'colour: is not a known field'],
  ])('refuse %j as invalid (a 422 over HTTP), naming the field', (spec, message) => {
    const faults = new FaultRegistry(cryptoRandom);
    expect(() => faults.add(spec, now)).toThrow(expect.objectContaining({ kind: 'invalid', code: 'validation_failed', message: expect.stringContaining(message) }));
  });
});

describe('the scheduler', () => {
  it('runs timers when the mock clock is moved past them, in order, and never before', () => {
    const clock = createClock(START);
    const scheduler = new Scheduler(clock);
    clock.onAdvance(() => scheduler.run());
    const ran: string[] = [];
    scheduler.at(clock.now() + 2000, () => ran.push('b'));
    scheduler.at(clock.now() + 1000, () => ran.push('a'));
    const cancel = scheduler.at(clock.now() + 1500, () => ran.push('cancelled'));
    cancel();
    clock.advance(999);
    expect(ran).toEqual([]);
    clock.advance('5s');
    expect(ran).toEqual(['a', 'b']);
    scheduler.clear();
  });
});

describe('webhook signatures (Standard Webhooks)', () => {
  const secret = `whsec_${Buffer.from('0123456789abcdef01234567').toString('base64')}`;

  it('verify the body they were made for, within the tolerance, and nothing else', () => {
    const body = '{"id":"evt_1"}';
    const headers = sign(secret, 'evt_1', 1_700_000_000, body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verify(secret, headers, body, 1_700_000_100)).toBe(true);
    expect(verify(secret, headers, `${body} `, 1_700_000_100)).toBe(false);
    expect(verify(secret, { ...headers, 'webhook-id': 'evt_2' }, body, 1_700_000_100)).toBe(false);
    expect(verify(secret, new Headers({ ...headers }), body, 1_700_000_100)).toBe(true);
    expect(verify(secret, headers, body, 1_700_001_000)).toBe(false);
    expect(verify(`whsec_${Buffer.from('another secret, 24 bytes').toString('base64')}`, headers, body, 1_700_000_000)).toBe(false);
  });
});
