import { beforeEach, describe, expect, it } from 'vitest';
import type { Fault, FaultSpec } from '../../mock-server/core/faults.js';
import type { KeyEvent } from '../../mock-server/core/events.js';
import { verify } from '../../mock-server/webhooks/signature.js';
import type { DeliveryAttempt } from '../../mock-server/webhooks/sender.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import type { World } from '../mock-server/helpers/world.js';
import type { Receiver } from './helpers/receiver.js';
import { createRetryingClient } from './helpers/retrying-client.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked against the OpenAPI document by World.fetch */
type Json = any;

/** A door to the mock with what issue 19's features need besides the key API's World. */
export interface EventsWorld extends World {
  /** A real listener on 127.0.0.1 that the mock's webhooks point at. */
  receiver: Receiver;
  secret: string;
  faults: { add: (spec: FaultSpec) => Promise<Fault>; list: () => Promise<Fault[]>; clear: () => Promise<void> };
  deliveries: () => Promise<DeliveryAttempt[]>;
  /** `fetch` without the OpenAPI check: injected faults answer outside the document, on purpose. */
  rawFetch: typeof fetch;
}

/**
 * Events, auto-renewal, webhooks and faults (issue 19), written once as a function of a door and
 * run through msw and over a real socket.
 */
export function eventsContract(getWorld: () => EventsWorld): void {
  let w: EventsWorld;
  beforeEach(async () => {
    w = getWorld();
    await w.reset();
    await w.faults.clear();
    w.receiver.clear();
  });

  const url = (path: string) => `${w.base}/v1${path}`;
  const call = (method: string, path: string, key: string | undefined, body?: unknown, fetchImpl: typeof fetch = w.fetch) =>
    fetchImpl(url(path), {
      method,
      headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  async function createKey(body: Record<string, unknown>): Promise<Json> {
    const response = await call('POST', '/api-keys', w.adminKey, body);
    expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
    return response.json();
  }
  async function events(query = ''): Promise<{ data: KeyEvent[]; has_more: boolean }> {
    const response = await call('GET', `/events${query}`, w.adminKey);
    expect(response.status).toBe(200);
    return response.json();
  }
  const types = (list: KeyEvent[]) => list.map((event) => event.type);
  /** Asks again (real time, bounded) until `done` holds: deliveries finish after the request that caused them. */
  async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const until = Date.now() + 5_000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > until) return value;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  describe('events (GET /v1/events)', () => {
    it('tells each change of a key, newest first, in the seed\'s list shape, with no key in them', async () => {
      const created = await createKey({ name: 'lifecycle', permissions: ['tasks:read'] });
      expect((await call('PATCH', `/api-keys/${created.id}`, w.adminKey, { name: 'renamed' })).status).toBe(200);
      const regenerated = await (await call('POST', `/api-keys/${created.id}/regenerate`, w.adminKey)).json();
      expect((await call('DELETE', `/api-keys/${created.id}`, w.adminKey)).status).toBe(200);
      const page = await events(`?key_id=${created.id}`);
      expect(types(page.data)).toEqual(['key.revoked', 'key.regenerated', 'key.updated', 'key.created']);
      expect(page.has_more).toBe(false);
      for (const event of page.data) {
        expect(event).toMatchObject({ id: expect.stringMatching(/^evt_/), key_id: created.id, created_at: '2025-10-14T10:30:00Z' });
      }
      expect(page.data[3]?.data).toMatchObject({ name: 'lifecycle', prefix: created.prefix, permissions: ['tasks:read'], auto_renew: false });
      expect(page.data[2]?.data).toMatchObject({ name: 'renamed', changed: ['name'] });
      expect(page.data[1]?.data).toMatchObject({ prefix: regenerated.prefix, previous_prefix: created.prefix });
      const text = JSON.stringify(page);
      for (const key of [created.key, regenerated.key, w.adminKey]) expect(text).not.toContain(bodyOf(key));
    });

    it('filters by type and pages with limit and starting_after', async () => {
      for (let i = 0; i < 3; i++) await createKey({ name: `k${i}` });
      const first = await events('?type=key.created&limit=2');
      expect(first.data.map((e) => e.data.name)).toEqual(['k2', 'k1']);
      expect(first.has_more).toBe(true);
      const second = await events(`?type=key.created&limit=2&starting_after=${first.data[1]?.id}`);
      expect(second.data.map((e) => e.data.name)).toEqual(['k0']);
      expect(second.has_more).toBe(false);
    });

    it('needs admin:* and a known type', async () => {
      const reader = await createKey({ name: 'reader', permissions: ['tasks:read'] });
      expect((await call('GET', '/events', reader.key)).status).toBe(403);
      expect((await call('GET', '/events', undefined)).status).toBe(401);
      const bad = await call('GET', '/events?type=key.exploded', w.adminKey);
      expect(bad.status).toBe(422);
    });

    it('tells failed authentication with the reason code and the prefix presented, and the key when it was one', async () => {
      const unknown = fakeKey(w.env);
      await call('GET', '/tasks', unknown);
      await call('GET', '/tasks', undefined);
      const doomed = await createKey({ name: 'doomed' });
      await call('DELETE', `/api-keys/${doomed.id}`, w.adminKey);
      await call('GET', '/tasks', doomed.key);
      const failed = (await events('?type=key.auth_failed')).data.reverse();
      expect(failed.map((e) => [e.key_id, e.data.reason, e.data.prefix])).toEqual([
        [null, 'invalid_api_key', `${unknown.slice(0, unknown.indexOf('_', 3) + 4)}...`],
        [null, 'missing_api_key', null],
        [doomed.id, 'revoked_api_key', doomed.prefix],
      ]);
      expect(JSON.stringify(failed)).not.toContain(bodyOf(unknown));
    });

    it('tells rate-limit hits (the minute) and quota exceeded (the hour) apart', async () => {
      const minute = await createKey({ name: 'minute', plan: 'enterprise', rate_limit: { per_hour: 100, per_minute: 1 } });
      await call('GET', '/tasks', minute.key);
      expect((await call('GET', '/tasks', minute.key)).status).toBe(429);
      const hour = await createKey({ name: 'hour', plan: 'enterprise', rate_limit: { per_hour: 1, per_minute: 10 } });
      await call('GET', '/tasks', hour.key);
      expect((await call('GET', '/tasks', hour.key)).status).toBe(429);
      expect((await events(`?key_id=${minute.id}&type=key.rate_limited`)).data[0]?.data).toMatchObject({ window: 'minute', prefix: minute.prefix });
      expect((await events(`?key_id=${hour.id}&type=key.quota_exceeded`)).data[0]?.data).toMatchObject({ window: 'hour', prefix: hour.prefix });
      expect((await events(`?key_id=${hour.id}&type=key.rate_limited`)).data).toEqual([]);
    });
  });

  describe('alerts (GET /v1/alerts)', () => {
    async function alerts(): Promise<Json> {
      const response = await call('GET', '/alerts', w.adminKey);
      expect(response.status).toBe(200);
      return response.json();
    }

    it('groups failed authentication by the prefix presented and the reason', async () => {
      const unknown = fakeKey(w.env);
      for (let i = 0; i < 3; i++) await call('GET', '/tasks', unknown);
      await call('GET', '/tasks', undefined);
      const report = await alerts();
      expect(report.failed_auth).toEqual([
        { key_id: null, prefix: `${unknown.slice(0, unknown.indexOf('_', 3) + 4)}...`, name: null, reason: 'invalid_api_key', count: 3, last_at: '2025-10-14T10:30:00Z' },
        { key_id: null, prefix: null, name: null, reason: 'missing_api_key', count: 1, last_at: '2025-10-14T10:30:00Z' },
      ]);
      expect(JSON.stringify(report)).not.toContain(bodyOf(unknown));
    });

    it('lists rate-limit hits and quota exceeded per key', async () => {
      const busy = await createKey({ name: 'busy', plan: 'enterprise', rate_limit: { per_hour: 2, per_minute: 1 } });
      await call('GET', '/tasks', busy.key);
      await call('GET', '/tasks', busy.key);
      await w.advance('1m');
      await call('GET', '/tasks', busy.key);
      await call('GET', '/tasks', busy.key);
      const report = await alerts();
      expect(report.rate_limited).toEqual([{ key_id: busy.id, prefix: busy.prefix, name: 'busy', count: 1, last_at: '2025-10-14T10:30:00Z' }]);
      expect(report.quota_exceeded).toEqual([{ key_id: busy.id, prefix: busy.prefix, name: 'busy', count: 1, last_at: '2025-10-14T10:31:00Z' }]);
    });

    it("shows a spike: a minute with 10+ requests and more than 3 times the key's median busy minute", async () => {
      const key = await createKey({ name: 'spiky', plan: 'enterprise', rate_limit: { per_hour: 10_000, per_minute: 1_000 } });
      for (let minute = 0; minute < 3; minute++) {
        for (let i = 0; i < 2; i++) await call('GET', '/tasks', key.key);
        await w.advance('1m');
      }
      for (let i = 0; i < 6; i++) await call('GET', '/tasks', key.key);
      expect((await alerts()).spikes).toEqual([]);
      for (let i = 0; i < 6; i++) await call('GET', '/tasks', key.key);
      const report = await alerts();
      expect(report.spikes).toEqual([{ key_id: key.id, prefix: key.prefix, name: 'spiky', minute: '2025-10-14T10:33:00Z', requests: 12, median: 2 }]);
      expect(report.rule).toEqual({ spike_factor: 3, spike_min_requests: 10, spike_window_minutes: 60 });
    });
  });

  describe('expiry and Enterprise auto-renewal on the mock\'s clock', () => {
    it('a renewing key across 30 days before expiry and across renewal: one key.expiring, one key.renewed, never a 401', async () => {
      const key = await createKey({ name: 'renewing', plan: 'enterprise', rate_limit: { per_hour: 1000, per_minute: 100 }, expires_at: '2026-10-14T10:30:00Z', auto_renew: true });
      expect(key.auto_renew).toBe(true);
      await w.advance('333d');
      // Day by day from 32 days before expiry to 3 days after it.
      for (let day = 333; day <= 368; day++) {
        const response = await call('GET', '/tasks', key.key);
        expect(response.status, `day ${day}`).toBe(200);
        await w.advance('1d');
      }
      const keyEvents = (await events(`?key_id=${key.id}`)).data;
      expect(types(keyEvents)).toEqual(['key.renewed', 'key.expiring', 'key.created']);
      expect(keyEvents[1]).toMatchObject({ created_at: '2026-09-14T10:30:00Z', data: { expires_at: '2026-10-14T10:30:00Z', renews_at: '2026-10-13T10:30:00Z' } });
      expect(keyEvents[0]).toMatchObject({ created_at: '2026-10-13T10:30:00Z', data: { previous_expires_at: '2026-10-14T10:30:00Z', expires_at: '2027-10-14T10:30:00Z' } });
      const details = await (await call('GET', `/api-keys/${key.id}`, w.adminKey)).json();
      expect(details).toMatchObject({ expires_at: '2027-10-14T10:30:00Z', auto_renew: true });
    });

    it('a key that does not renew: key.expiring 30 days ahead, key.expired when it passes, then 401', async () => {
      const key = await createKey({ name: 'mortal', expires_at: '2025-12-14T10:30:00Z' });
      await w.advance('30d');
      expect(types((await events(`?key_id=${key.id}`)).data)).toEqual(['key.created']);
      await w.advance('1d');
      expect(types((await events(`?key_id=${key.id}`)).data)).toEqual(['key.expiring', 'key.created']);
      await w.advance('30d');
      expect(types((await events(`?key_id=${key.id}`)).data)).toEqual(['key.expired', 'key.expiring', 'key.created']);
      expect((await call('GET', '/tasks', key.key)).status).toBe(401);
    });

    it('auto_renew is for Enterprise keys only: a clear 422 on create and PATCH', async () => {
      const refused = await call('POST', '/api-keys', w.adminKey, { name: 'free', plan: 'free', auto_renew: true });
      expect(refused.status).toBe(422);
      expect((await refused.json()).errors).toEqual([{ field: 'auto_renew', message: expect.stringContaining('auto-renewal is an Enterprise feature and this key is on the free plan') }]);
      const free = await createKey({ name: 'free', plan: 'free' });
      expect((await call('PATCH', `/api-keys/${free.id}`, w.adminKey, { auto_renew: true })).status).toBe(422);
      const enterprise = await createKey({ name: 'ent', plan: 'enterprise', rate_limit: { per_hour: 10, per_minute: 5 } });
      const patched = await call('PATCH', `/api-keys/${enterprise.id}`, w.adminKey, { auto_renew: true });
      expect((await patched.json()).auto_renew).toBe(true);
    });
  });

  describe('signed webhooks to a real listener on 127.0.0.1', () => {
    it('deliver every event with a Standard Webhooks signature that verifies with the printed secret', async () => {
      const key = await createKey({ name: 'hooked' });
      const [delivery] = await w.receiver.waitFor(key.id, 1);
      const event = JSON.parse(delivery?.body as string) as KeyEvent;
      expect(event).toMatchObject({ type: 'key.created', key_id: key.id });
      const headers = delivery?.headers as Record<string, string>;
      expect(headers['webhook-id']).toBe(event.id);
      expect(verify(w.secret, headers, delivery?.body as string, Date.now() / 1000)).toBe(true);
      expect(verify(w.secret, headers, (delivery?.body as string).replace('hooked', 'forged'), Date.now() / 1000)).toBe(false);
      expect(delivery?.body).not.toContain(bodyOf(key.key));
    });

    it('retry a failed delivery on the mock\'s clock, and keep each key\'s events in order', async () => {
      w.receiver.failNext = 1;
      w.receiver.failWhen = (delivery) => delivery.body.includes('"ordered"');
      const key = await createKey({ name: 'ordered' });
      await call('PATCH', `/api-keys/${key.id}`, w.adminKey, { name: 'ordered 2' });
      await call('PATCH', `/api-keys/${key.id}`, w.adminKey, { name: 'ordered 3' });
      await w.receiver.waitFor(key.id, 1);
      const mine = async () => (await w.deliveries()).filter((attempt) => attempt.key_id === key.id);
      const log = await eventually(mine, (attempts) => attempts.length > 0);
      // The first attempt failed: nothing else for this key goes out until it is retried.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(w.receiver.about(key.id)).toHaveLength(1);
      expect(log).toEqual([expect.objectContaining({ event_type: 'key.created', attempt: 1, outcome: 'retrying', status: 500, next_attempt_at: '2025-10-14T10:30:05Z' })]);
      await w.advance('5s');
      const received = await w.receiver.waitFor(key.id, 4);
      const delivered = received.map((d) => JSON.parse(d.body) as KeyEvent);
      expect(delivered.map((e) => [e.type, e.data.name])).toEqual([
        ['key.created', 'ordered'],
        ['key.created', 'ordered'],
        ['key.updated', 'ordered 2'],
        ['key.updated', 'ordered 3'],
      ]);
      expect(delivered[0]?.id).toBe(delivered[1]?.id);
      const after = await eventually(mine, (attempts) => attempts.length === 4);
      expect(after.map((d) => [d.event_type, d.attempt, d.outcome])).toEqual([
        ['key.created', 1, 'retrying'],
        ['key.created', 2, 'delivered'],
        ['key.updated', 1, 'delivered'],
        ['key.updated', 1, 'delivered'],
      ]);
    });

    it('a receiver that never answers does not slow the API', async () => {
      w.receiver.hang = true;
      await createKey({ name: 'first' });
      const started = performance.now();
      for (let i = 0; i < 20; i++) await createKey({ name: `k${i}` });
      // 20 creations while every delivery hangs (each attempt may wait 10 s): the API answers at once.
      expect(performance.now() - started).toBeLessThan(3_000);
    });
  });

  describe('fault injection', () => {
    it('answers 503 with Retry-After for the next N requests; the seed client with backoff gets through', async () => {
      await w.faults.add({ path: '/v1/tasks', status: 503, count: 2, retry_after: 2 });
      const faulted = await call('GET', '/tasks', w.adminKey, undefined, w.rawFetch);
      expect(faulted.status).toBe(503);
      expect(faulted.headers.get('retry-after')).toBe('2');
      expect(await faulted.json()).toMatchObject({ code: 'injected_fault', status: 503 });
      const client = createRetryingClient(w.adminKey, w.base, w.rawFetch);
      await expect(client.request('/tasks')).resolves.toEqual({ data: [] });
      expect(client.failures).toEqual([expect.stringMatching(/^Fault fault_\w+ .* the service being unavailable: retry after 2 seconds\.$/)]);
    });

    it.each([
      [500, 'an internal server error'],
      [502, 'a bad gateway'],
      [429, 'too many requests'],
    ] as const)('answers %d and the retrying client recovers', async (status, what) => {
      await w.faults.add({ status, count: 3 });
      const client = createRetryingClient(w.adminKey, w.base, w.rawFetch);
      await expect(client.request('/projects')).resolves.toEqual({ data: [] });
      expect(client.failures).toHaveLength(3);
      expect(client.failures[0]).toContain(what);
    });

    it('drops the connection: the client sees a network error, retries and gets through', async () => {
      await w.faults.add({ drop: true, method: 'GET', path: '/v1/users' });
      await expect(call('GET', '/users', w.adminKey, undefined, w.rawFetch)).rejects.toThrow(TypeError);
      await w.faults.add({ drop: true, count: 2 });
      const client = createRetryingClient(w.adminKey, w.base, w.rawFetch);
      await expect(client.request('/users')).resolves.toEqual({ data: [] });
      expect(client.failures).toHaveLength(2);
    });

    it('delays a response on the mock\'s clock: it answers once the clock has moved by the delay', async () => {
      await w.faults.add({ delay: '30s', path: '/v1/tasks' });
      let settled = false;
      const pending = call('GET', '/tasks', w.adminKey, undefined, w.rawFetch).then((response) => {
        settled = true;
        return response;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(settled).toBe(false);
      await w.advance('29s');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(settled).toBe(false);
      await w.advance('1s');
      expect((await pending).status).toBe(200);
    });

    it('matches by key: only the named key\'s requests fail, for a window of mock time', async () => {
      const victim = await createKey({ name: 'victim', permissions: ['tasks:read'] });
      const bystander = await createKey({ name: 'bystander', permissions: ['tasks:read'] });
      await w.faults.add({ key_id: victim.id, status: 500, duration: '1m' });
      expect((await call('GET', '/tasks', victim.key, undefined, w.rawFetch)).status).toBe(500);
      expect((await call('GET', '/tasks', victim.key, undefined, w.rawFetch)).status).toBe(500);
      expect((await call('GET', '/tasks', bystander.key)).status).toBe(200);
      expect(await w.faults.list()).toEqual([expect.objectContaining({ key_id: victim.id, status: 500, hits: 2, remaining: null, expires_at: '2025-10-14T10:31:00Z' })]);
      await w.advance('1m');
      expect((await call('GET', '/tasks', victim.key)).status).toBe(200);
      expect(await w.faults.list()).toEqual([]);
    });

    it('never touches stored state, and is in the journal', async () => {
      await w.faults.add({ method: 'POST', path: '/v1/tasks', status: 500 });
      const faulted = await call('POST', '/tasks', w.adminKey, { title: 'never written' }, w.rawFetch);
      expect(faulted.status).toBe(500);
      expect(await (await call('GET', '/tasks', w.adminKey)).json()).toEqual({ data: [] });
      const journal = await w.journal();
      const entry = journal.find((e) => e.method === 'POST' && e.path === '/v1/tasks');
      expect(entry).toMatchObject({ status: 500, outcome: 'injected_fault', fault: expect.stringMatching(/^fault_/) });
      const usage = await (await call('GET', '/rate-limit', w.adminKey)).json();
      // Only the GET /v1/tasks above used quota.
      expect(usage.remaining).toBe(usage.limit - 1);
    });

    it('refuses a fault that does nothing, naming the field', async () => {
      await expect(w.faults.add({ path: '/v1/tasks' })).rejects.toThrow(/says nothing to do: give a status, a delay or "drop": true/);
    });
  });
}
