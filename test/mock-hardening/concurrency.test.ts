import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayPrefix } from '../../mock-server/core/keys.js';
import { startServe, type ServeProcess } from '../mock-server/helpers/serve-process.js';
import { START } from '../mock-server/helpers/world.js';
import { boundedClient, portOf, rawExchange, type BoundedClient, type Reply } from './helpers/http.js';

// A frozen clock: no minute boundary can pass during a burst and hand out a fresh window.
// The bootstrap key gets limits it can never reach, so only the keys under test are limited.
const SERVE_ARGS = ['--env', 'test', '--now', START, '--plan', 'enterprise', '--per-hour', '1000000', '--per-minute', '1000000'];

let server: ServeProcess;
let client: BoundedClient;
let admin: string;

beforeAll(async () => {
  server = await startServe(SERVE_ARGS);
  client = boundedClient(server.url, 50);
  admin = server.adminKey as string;
});

afterAll(async () => {
  client?.close();
  await server?.stop();
});

interface NewKey {
  id: string;
  key: string;
  prefix: string;
}

async function createKey(body: Record<string, unknown>): Promise<NewKey> {
  const reply = await client.send('POST', '/v1/api-keys', { key: admin, body });
  expect(reply.status).toBe(201);
  return reply.json as NewKey;
}

const count = (replies: Reply[], status: number) => replies.filter((reply) => reply.status === status).length;

describe('the rate limit under load (keyguard serve, 50 keep-alive connections)', () => {
  it('gives exactly 100 successes to 1,000 parallel requests on a key with 100 left, and writes only for those', async () => {
    const { key } = await createKey({ name: 'burst', plan: 'professional', permissions: ['tasks:read', 'tasks:write'] });
    // Professional: 500 a minute. Spend 400 so that 100 are left.
    const spent = await Promise.all(Array.from({ length: 400 }, () => client.send('GET', '/v1/tasks', { key })));
    expect(count(spent, 200)).toBe(400);

    const burst = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        i % 2 === 0 ? client.send('GET', '/v1/tasks', { key }) : client.send('POST', '/v1/tasks', { key, body: { title: `burst ${i}` } }),
      ),
    );
    const succeeded = burst.filter((reply) => reply.status === 200 || reply.status === 201);
    expect(succeeded).toHaveLength(100);
    expect(count(burst, 429)).toBe(900);
    // Each success took its own unit of the hour: 9,599 down to 9,500, none twice.
    const remaining = succeeded.map((reply) => Number(reply.headers['x-ratelimit-remaining'])).sort((a, b) => a - b);
    expect(remaining).toEqual(Array.from({ length: 100 }, (_, i) => 9_500 + i));
    for (const refused of burst.filter((reply) => reply.status === 429)) {
      expect(refused.json).toMatchObject({ code: 'rate_limited', window: 'minute' });
      expect(refused.headers['retry-after']).toBe('60');
    }

    // A refused POST wrote nothing: the tasks are exactly the successful POSTs.
    const tasks = await client.send('GET', '/v1/tasks', { key: admin });
    expect((tasks.json as { data: unknown[] }).data).toHaveLength(count(burst, 201));
    const status = await client.send('GET', '/v1/rate-limit', { key });
    expect(status.json).toMatchObject({ remaining: 9_500 });
  });
});

describe('key administration racing with itself', () => {
  it('creating, regenerating and deleting keys concurrently leaves one working key per regenerated id and none for a deleted one', async () => {
    const keys = await Promise.all(Array.from({ length: 12 }, (_, i) => createKey({ name: `racer ${i}`, permissions: ['tasks:read'] })));
    const doomed = new Set(keys.filter((_, i) => i % 3 === 0).map((key) => key.id));

    const regenerations = keys.map((key) =>
      Array.from({ length: 4 }, () => client.send('POST', `/v1/api-keys/${key.id}/regenerate`, { key: admin })),
    );
    const deletions = keys.map((key) => (doomed.has(key.id) ? client.send('DELETE', `/v1/api-keys/${key.id}`, { key: admin }) : undefined));
    // Keys in use while they are replaced, and new keys created alongside.
    const uses = keys.flatMap((key) => Array.from({ length: 4 }, () => client.send('GET', '/v1/tasks', { key: key.key })));
    const created = Array.from({ length: 12 }, (_, i) => client.send('POST', '/v1/api-keys', { key: admin, body: { name: `newcomer ${i}` } }));
    const [regenerated, deleted, used, newcomers] = await Promise.all([
      Promise.all(regenerations.map((replies) => Promise.all(replies))),
      Promise.all(deletions),
      Promise.all(uses),
      Promise.all(created),
    ]);
    expect(used.every((reply) => reply.status === 200 || reply.status === 401)).toBe(true);
    expect(newcomers.every((reply) => reply.status === 201)).toBe(true);

    const authenticates = async (key: string) => (await client.send('GET', '/v1/rate-limit', { key })).status === 200;
    for (const [i, key] of keys.entries()) {
      const replies = regenerated[i] as Reply[];
      const issued = [key.key];
      for (const reply of replies) {
        if (reply.status !== 200) continue;
        const fresh = reply.json as NewKey;
        // A regenerate answers with the same id and one new key, never one seen before.
        expect(fresh.id).toBe(key.id);
        expect(issued).not.toContain(fresh.key);
        issued.push(fresh.key);
      }
      const working: string[] = [];
      for (const candidate of issued) if (await authenticates(candidate)) working.push(candidate);
      if (doomed.has(key.id)) {
        expect(deleted[i]?.status).toBe(200);
        // Regenerates after the delete find no key.
        expect(replies.every((reply) => reply.status === 200 || reply.status === 404)).toBe(true);
        expect(working).toEqual([]);
        expect((await client.send('GET', `/v1/api-keys/${key.id}`, { key: admin })).status).toBe(404);
      } else {
        expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200]);
        expect(working).toHaveLength(1);
        const listed = await client.send('GET', `/v1/api-keys/${key.id}`, { key: admin });
        expect((listed.json as NewKey).prefix).toBe(displayPrefix(working[0] as string));
      }
      for (const candidate of issued.filter((k) => !working.includes(k))) {
        const refused = await client.send('GET', '/v1/rate-limit', { key: candidate });
        expect(refused.status).toBe(401);
        expect(refused.json).toMatchObject({ code: 'revoked_api_key', key_id: key.id });
      }
    }
  });

  it.each(['deleted', 'regenerated'] as const)(
    'a key %s while its request body is still arriving cannot act once the body arrives',
    async (fate) => {
      const rogue = await createKey({ name: `rogue (${fate})`, permissions: ['admin:*'] });
      const body = JSON.stringify({ name: `made by a ${fate} key`, permissions: ['admin:*'] });
      const head = [
        'POST /v1/api-keys HTTP/1.1',
        'Host: 127.0.0.1',
        `Authorization: Bearer ${rogue.key}`,
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        '',
        '',
      ].join('\r\n');
      const half = Math.floor(body.length / 2);
      const exchange = rawExchange(portOf(server), head + body.slice(0, half), {
        waitMs: 10_000,
        drip: (socket) => {
          // The rest of the body comes only after the key has been taken out of service.
          const timer = setTimeout(async () => {
            const revoke =
              fate === 'deleted'
                ? await client.send('DELETE', `/v1/api-keys/${rogue.id}`, { key: admin })
                : await client.send('POST', `/v1/api-keys/${rogue.id}/regenerate`, { key: admin });
            expect(revoke.status).toBe(200);
            socket.write(body.slice(half));
          }, 300);
          return () => clearTimeout(timer);
        },
      });
      const { statusLine, response } = await exchange;
      expect(statusLine).toBe('HTTP/1.1 401 Unauthorized');
      expect(response).toContain('"code":"revoked_api_key"');
      const list = await client.send('GET', '/v1/api-keys', { key: admin });
      expect((list.json as { data: Array<{ name: string }> }).data.map((key) => key.name)).not.toContain(`made by a ${fate} key`);
    },
  );
});
