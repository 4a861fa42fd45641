import { describe, expect, it } from 'vitest';
import { createKeyApi } from '../../mock-server/key-api.js';
import { fakeKey } from '../helpers/keys.js';
import { openApiChecker } from '../mock-server/helpers/openapi.js';
import type { Usage } from '../../mock-server/dashboard/ui/wire.js';

// GET /v1/usage, the Overview's data, through the real in-process app on a frozen mock clock.
const START = '2025-10-14T10:30:00Z';

function mock() {
  const api = createKeyApi({ now: START });
  const admin = api.bootstrapKey as string;
  const check = api.openApiDocument().then((document) => openApiChecker(document));
  /** Every response is checked against the OpenAPI document the mock serves. */
  const call = async (path: string, key: string, init: RequestInit = {}): Promise<Response> => {
    const request = new Request(`http://mock.test/v1${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    });
    const response = await api.fetch(request.clone());
    await (await check)(request.method, request.url, response);
    return response;
  };
  const createKey = async (body: Record<string, unknown>): Promise<{ id: string; key: string }> => {
    const response = await call('/api-keys', admin, { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; key: string };
  };
  const usage = async (): Promise<Usage> => {
    const response = await call('/usage', admin);
    expect(response.status).toBe(200);
    return (await response.json()) as Usage;
  };
  return { api, admin, call, createKey, usage };
}

describe('GET /v1/usage', () => {
  it('counts requests over the last hour and day, a failure being a status of 400 or more', async () => {
    const { admin, call, createKey, usage, api } = mock();
    const reader = await createKey({ name: 'Reader', permissions: ['tasks:read'] });
    for (let i = 0; i < 3; i++) expect((await call('/tasks', reader.key)).status).toBe(200);
    expect((await call('/tasks', reader.key, { method: 'POST', body: '{"title":"x"}' })).status).toBe(403);
    expect((await call('/tasks', fakeKey('test'))).status).toBe(401);
    expect((await call('/api-keys', admin, { method: 'POST', body: '{"name":' })).status).toBe(400);

    const report = await usage();
    // The admin's create and malformed create, three reads, one refused write, one unknown key.
    expect(report.last_hour).toMatchObject({ requests: 7, succeeded: 4, failed: 3, success_rate: 4 / 7, bucket_seconds: 300 });
    expect(report.last_day).toMatchObject({ requests: 7, failed: 3, bucket_seconds: 3600 });
    expect(report.last_hour.buckets).toHaveLength(12);
    expect(report.last_day.buckets).toHaveLength(24);
    expect(report.last_hour.buckets.at(-1)).toEqual({ start: '2025-10-14T10:25:00Z', requests: 7, failed: 3 });
    expect(report).toMatchObject({ environment: 'test', now: START });
    // A request that never authenticated counts in the totals only.
    expect(report.keys.find((key) => key.id === reader.id)?.last_day).toEqual({ requests: 4, failed: 1, error_rate: 0.25 });
    expect(report.keys.find((key) => key.name === 'Bootstrap admin')?.last_day).toEqual({ requests: 2, failed: 1, error_rate: 0.5 });
    expect(api.journal.entries()).toHaveLength(8);
  });

  it('moves requests out of the last hour, then out of the last day, as the mock clock advances', async () => {
    const { api, call, createKey, usage } = mock();
    const reader = await createKey({ name: 'Reader', permissions: ['tasks:read'] });
    expect((await call('/tasks', reader.key)).status).toBe(200);

    // Exactly an hour later they have left the last hour.
    api.clock.advance('1h');
    let report = await usage();
    expect(report.last_hour).toMatchObject({ requests: 0, failed: 0, success_rate: null });
    expect(report.last_day.requests).toBe(2);

    api.clock.advance('1h');
    report = await usage();
    expect(report.last_day.buckets.filter((bucket) => bucket.requests > 0)).toEqual([
      { start: '2025-10-14T10:30:00Z', requests: 2, failed: 0 },
    ]);

    // And exactly a day later, the last day.
    api.clock.advance('22h');
    report = await usage();
    expect(report.last_day).toMatchObject({ requests: 0, success_rate: null });
    const readerReport = report.keys.find((key) => key.id === reader.id);
    expect(readerReport?.last_day).toEqual({ requests: 0, failed: 0, error_rate: null });
    expect(readerReport?.usage.requests_total).toBe(1);
  });

  it('leaves its own reads out of the figures and spends no quota', async () => {
    const { admin, call, usage } = mock();
    const before = await usage();
    const remaining = new Set<string | null>();
    for (let i = 0; i < 5; i++) remaining.add((await call('/usage', admin)).headers.get('X-RateLimit-Remaining'));

    expect((await usage()).last_hour.requests).toBe(before.last_hour.requests);
    // The bootstrap key's free plan allows 1,000 an hour: watching took none of it.
    expect([...remaining]).toEqual(['1000']);
  });

  it("answers a key without admin:* with the API's 403, and no key with a 401", async () => {
    const { call, createKey } = mock();
    const reader = await createKey({ name: 'Reader', permissions: ['tasks:read'] });
    const forbidden = await call('/usage', reader.key);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ code: 'insufficient_permissions', required: ['admin:*'] });
    const anonymous = await call('/usage', '');
    expect(anonymous.status).toBe(401);
  });

  it('counts as active only keys that authenticate now: deactivated and expired ones do not', async () => {
    const { api, call, createKey, usage } = mock();
    await createKey({ name: 'Short-lived', expires_at: '2025-10-14T11:30:00Z' });
    const paused = await createKey({ name: 'Paused' });
    expect((await call(`/api-keys/${paused.id}`, api.bootstrapKey as string, { method: 'PATCH', body: '{"active":false}' })).status).toBe(200);

    expect(await usage()).toMatchObject({ total_keys: 3, active_keys: 2 });
    api.clock.advance('2h');
    expect(await usage()).toMatchObject({ total_keys: 3, active_keys: 1 });
  });
});
