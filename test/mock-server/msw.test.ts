import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyApi, keyApiHandlers } from '../../mock-server/msw.js';
import { keyApiContract } from './contract.js';
import { checkedFetch, START, type World } from './helpers/world.js';

const BASE = 'https://api.example.com';

describe('the mock key API through msw (in process)', () => {
  const api = createKeyApi({ env: 'test', plan: 'professional', now: START });
  const server = setupServer(...keyApiHandlers(api));
  let world: World;

  beforeAll(async () => {
    server.listen({ onUnhandledRequest: 'error' });
    world = {
      base: BASE,
      fetch: await checkedFetch(BASE),
      adminKey: api.bootstrapKey as string,
      env: api.env,
      advance: async (duration) => {
        api.clock.advance(duration);
      },
      reset: async () => api.reset(),
      journal: async () => api.journal.entries(),
    };
  });
  afterAll(() => server.close());

  keyApiContract(() => world);

  it('keeps the committed OpenAPI document in step with the routes (update with vitest -u)', async () => {
    await expect(`${JSON.stringify(await api.openApiDocument(), null, 2)}\n`).toMatchFileSnapshot('../../mock-server/openapi.json');
  });
});

describe('msw handlers', () => {
  it('serve the API under a base URL that has its own path', async () => {
    const api = createKeyApi({ env: 'live' });
    const server = setupServer(...keyApiHandlers(api, { baseUrl: 'https://mock.internal/api/' }));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const created = await fetch('https://mock.internal/api/v1/api-keys', {
        method: 'POST',
        headers: { Authorization: `Bearer ${api.bootstrapKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'through a base path' }),
      });
      expect(created.status).toBe(201);
      expect((await created.json()).key).toMatch(/^sk_live_/);
      const tasks = await fetch('https://mock.internal/api/v1/tasks', { headers: { 'x-api-key': api.bootstrapKey as string } });
      expect(tasks.status).toBe(200);
    } finally {
      server.close();
    }
  });

  it('start from a seed: its keys work and no bootstrap key is made', async () => {
    const { fakeKey } = await import('../helpers/keys.js');
    const ciKey = fakeKey('sandbox');
    const api = createKeyApi({
      env: 'sandbox',
      seed: { plan: 'free', keys: [{ key: ciKey, name: 'CI admin', permissions: ['admin:*'], expires_at: null }] },
    });
    expect(api.bootstrapKey).toBeUndefined();
    const response = await api.fetch(new Request('https://api.example.com/v1/api-keys', { headers: { Authorization: `Bearer ${ciKey}` } }));
    const { data } = await response.json();
    expect(data).toEqual([expect.objectContaining({ name: 'CI admin', permissions: ['admin:*'], plan: 'free', prefix: `${ciKey.slice(0, 14)}...` })]);
  });

  it('refuse a seed key of another environment, naming the entry', async () => {
    const { fakeKey } = await import('../helpers/keys.js');
    expect(() => createKeyApi({ env: 'test', seed: { keys: [{ key: fakeKey('live'), name: 'wrong' }] } })).toThrow(
      'the seed option: keys[0].key is a live key, but the server runs --env test: use test keys or change --env',
    );
  });

  it('are exported as keyguard/mock for users\' test suites', async () => {
    const mock = await import('keyguard/mock');
    const api = mock.createKeyApi({ env: 'test' });
    const server = setupServer(...mock.keyApiHandlers(api));
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const response = await fetch('https://api.example.com/v1/rate-limit', { headers: { Authorization: `Bearer ${api.bootstrapKey}` } });
      expect(await response.json()).toMatchObject({ limit: 1000, plan: 'free' });
    } finally {
      server.close();
    }
  });
});
