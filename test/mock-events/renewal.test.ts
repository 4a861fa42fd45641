import { describe, expect, it } from 'vitest';
import { createKeyApi } from '../../mock-server/key-api.js';

const START = '2025-10-14T10:30:00Z';

/** In process, through the API's fetch: auto-renewal as a user of createKeyApi sees it. */
describe('Enterprise auto-renewal, in process', () => {
  const api = createKeyApi({ env: 'test', now: START, plan: 'enterprise', rateLimit: { per_hour: 100_000, per_minute: 10_000 } });
  const call = (method: string, path: string, key: string, body?: unknown) =>
    api.fetch(
      new Request(`https://api.example.com/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );

  it('renews a key with auto_renew before it expires: one key.expiring, one key.renewed, never a 401', async () => {
    api.reset();
    const admin = api.bootstrapKey as string;
    const created = await call('POST', '/api-keys', admin, { name: 'renewing', expires_at: '2026-10-14T10:30:00Z', auto_renew: true });
    expect(created.status).toBe(201);
    const { id, key, auto_renew } = (await created.json()) as { id: string; key: string; auto_renew: boolean };
    expect(auto_renew).toBe(true);
    // Day by day for 400 days: the key works every day.
    for (let day = 1; day <= 400; day++) {
      api.clock.advance('1d');
      const response = await call('GET', '/tasks', key);
      expect(response.status, `day ${day}`).toBe(200);
    }
    const events = api.events.list({ key_id: id }).data.map((event) => event.type).reverse();
    expect(events).toEqual(['key.created', 'key.expiring', 'key.renewed']);
    const [renewed] = api.events.list({ type: 'key.renewed' }).data;
    expect(renewed).toMatchObject({ key_id: id, data: { previous_expires_at: '2026-10-14T10:30:00Z', expires_at: '2027-10-14T10:30:00Z' } });
    const [expiring] = api.events.list({ type: 'key.expiring' }).data;
    expect(expiring?.created_at).toBe('2026-09-14T10:30:00Z');
    expect(renewed?.created_at).toBe('2026-10-13T10:30:00Z');
    const details = (await (await call('GET', `/api-keys/${id}`, admin)).json()) as { expires_at: string };
    expect(details.expires_at).toBe('2027-10-14T10:30:00Z');
  });

  it('refuses auto_renew on a key that is not Enterprise, on create and on PATCH, with a 422', async () => {
    api.reset();
    const admin = api.bootstrapKey as string;
    const refused = await call('POST', '/api-keys', admin, { name: 'free', plan: 'free', auto_renew: true });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { message: string }).message).toBe(
      'Invalid request: auto_renew: auto-renewal is an Enterprise feature and this key is on the free plan: create an enterprise key ("plan": "enterprise") to renew automatically.',
    );
    const free = (await (await call('POST', '/api-keys', admin, { name: 'free', plan: 'free' })).json()) as { id: string };
    const patched = await call('PATCH', `/api-keys/${free.id}`, admin, { auto_renew: true });
    expect(patched.status).toBe(422);
    const ok = await call('PATCH', `/api-keys/${free.id}`, admin, { auto_renew: false });
    expect(ok.status).toBe(200);
  });

  it('takes auto_renew from a seed entry', async () => {
    const { fakeKey } = await import('../helpers/keys.js');
    const seeded = createKeyApi({
      env: 'test',
      now: START,
      seed: { plan: 'enterprise', rate_limit: { per_hour: 10, per_minute: 5 }, keys: [{ key: fakeKey('test'), name: 'seeded', permissions: ['admin:*'], expires_at: '2025-11-01T00:00:00Z', auto_renew: true }] },
    });
    // Within 30 days of its expiry at start: the notice goes out at once.
    expect(seeded.events.list().data.map((event) => event.type)).toEqual(['key.expiring']);
    seeded.clock.advance('30d');
    // Renewed by one term (its 18 days), which again ends within 30 days: a notice for the new expiry.
    expect(seeded.events.list().data.map((event) => event.type)).toEqual(['key.expiring', 'key.renewed', 'key.expiring']);
    expect(seeded.events.list({ type: 'key.renewed' }).data[0]?.data).toMatchObject({ previous_expires_at: '2025-11-01T00:00:00Z', expires_at: '2025-11-18T13:30:00Z' });
  });
});
