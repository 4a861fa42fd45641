import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../mock-server/core/errors.js';
import { createKeyApi, keyApiHandlers } from '../../mock-server/msw.js';
import { checkedFetch, START } from '../mock-server/helpers/world.js';
import { eventsContract, type EventsWorld } from './contract.js';
import { Receiver } from './helpers/receiver.js';

const BASE = 'https://api.example.com';

describe('events, renewal, webhooks and faults through msw (in process)', () => {
  const receiver = new Receiver();
  let world: EventsWorld;
  let api: ReturnType<typeof createKeyApi>;
  // Webhooks leave through the same fetch msw intercepts: the receiver on 127.0.0.1 is let through.
  const server = setupServer();

  beforeAll(async () => {
    await receiver.start();
    api = createKeyApi({ env: 'test', plan: 'professional', now: START, webhooks: [receiver.url] });
    server.use(...keyApiHandlers(api));
    server.listen({ onUnhandledRequest: (request, print) => (new URL(request.url).hostname === '127.0.0.1' ? undefined : print.error()) });
    const inProcess = <T>(run: () => T): Promise<T> => {
      try {
        return Promise.resolve(run());
      } catch (error) {
        return Promise.reject(error instanceof DomainError ? new Error(error.message) : error);
      }
    };
    world = {
      base: BASE,
      fetch: await checkedFetch(BASE),
      rawFetch: fetch,
      adminKey: api.bootstrapKey as string,
      env: api.env,
      advance: async (duration) => {
        api.clock.advance(duration);
      },
      reset: async () => api.reset(),
      journal: async () => api.journal.entries(),
      receiver,
      secret: api.webhooks.secret,
      faults: { add: (spec) => inProcess(() => api.faults.add(spec)), list: async () => api.faults.list(), clear: async () => api.faults.clear() },
      deliveries: async () => api.webhooks.deliveries(),
    };
  });
  afterAll(async () => {
    server.close();
    await receiver.close();
  });

  eventsContract(() => world);

  it('tells a new source when the in-process caller says where a request came from', async () => {
    api.reset();
    const request = () => new Request(`${BASE}/v1/tasks`, { headers: { 'x-api-key': api.bootstrapKey as string } });
    await api.fetch(request(), { source: '127.0.0.1' });
    await api.fetch(request(), { source: '127.0.0.1' });
    expect(api.events.list({ type: 'key.new_source' }).data).toEqual([]);
    await api.fetch(request(), { source: '127.0.0.2' });
    expect(api.events.list({ type: 'key.new_source' }).data.map((event) => event.data)).toEqual([
      { source: '127.0.0.2', prefix: expect.stringMatching(/^sk_test_\w{3}\.\.\.$/), known_sources: 1 },
    ]);
  });
});
