import { describe, expect, it } from 'vitest';
import { createKeyApi } from '../../mock-server/key-api.js';
import { fakeKey } from '../helpers/keys.js';

const NOW = '2026-06-01T12:00:00Z';

function api(keys: object[]) {
  return createKeyApi({ env: 'test', now: NOW, seed: { keys: keys as never } });
}

async function call(mock: ReturnType<typeof api>, method: string, path: string, key: string, body?: unknown) {
  const response = await mock.fetch(
    new Request(`http://mock.test${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('seed entries with created_at and last_used', () => {
  it('are kept, so an audit can be tried on old keys', async () => {
    const admin = fakeKey('test');
    const mock = api([{ key: admin, name: 'admin', permissions: ['admin:*'], created_at: '2025-01-01T00:00:00Z', last_used: '2026-05-01T08:00:00Z' }]);
    const { body } = await call(mock, 'GET', '/v1/api-keys', admin);
    // The admin request just made counts as a use: last_used moves on from the seed's.
    expect(body.data[0]).toMatchObject({ created_at: '2025-01-01T00:00:00Z', last_used: NOW });
    const idle = fakeKey('test');
    const seeded = api([{ key: admin, name: 'admin', permissions: ['admin:*'] }, { key: idle, name: 'idle', created_at: '2025-01-01T00:00:00Z', last_used: '2026-05-01T08:00:00Z' }]);
    const listed = (await call(seeded, 'GET', '/v1/api-keys', admin)).body.data.find((key: { name: string }) => key.name === 'idle');
    expect(listed).toMatchObject({ created_at: '2025-01-01T00:00:00Z', last_used: '2026-05-01T08:00:00Z' });
  });

  it.each([
    [{ created_at: '2027-01-01T00:00:00Z' }, /keys\[0\]\.created_at: is after the server's clock \(2026-06-01T12:00:00Z\): give a past instant/],
    [{ created_at: '2026-01-01T00:00:00Z', last_used: '2025-12-01T00:00:00Z' }, /keys\[0\]\.last_used: is before created_at/],
    [{ last_used: 'yesterday' }, /keys\[0\]\.last_used: must be an ISO 8601 date-time/],
  ])('refuses %o with a line naming the field', (fields, message) => {
    expect(() => api([{ key: fakeKey('test'), name: 'k', ...fields }])).toThrow(message);
  });
});

describe('permissions used (keyguard\'s extension field)', () => {
  it('records, per key, the permissions its successful requests needed, and when', async () => {
    const admin = fakeKey('test');
    const worker = fakeKey('test');
    const mock = api([
      { key: admin, name: 'admin', permissions: ['admin:*'] },
      { key: worker, name: 'worker', permissions: ['tasks:read', 'tasks:write', 'projects:read'] },
    ]);
    expect((await call(mock, 'GET', '/v1/tasks', worker)).status).toBe(200);
    mock.clock.advance('1h');
    expect((await call(mock, 'POST', '/v1/tasks', worker, { title: 't' })).status).toBe(201);
    // Refused and failed requests needed a permission but did not succeed with it.
    expect((await call(mock, 'GET', '/v1/users', worker)).status).toBe(403);
    expect((await call(mock, 'GET', '/v1/tasks/task_missing', worker)).status).toBe(404);
    expect((await call(mock, 'POST', '/v1/tasks', worker, { title: 5 })).status).toBe(422);
    const list = await call(mock, 'GET', '/v1/api-keys', admin);
    const id = list.body.data.find((key: { name: string }) => key.name === 'worker').id as string;
    const details = await call(mock, 'GET', `/v1/api-keys/${id}`, admin);
    expect(details.body.permissions_used).toEqual([
      { permission: 'tasks:read', last_used: '2026-06-01T12:00:00Z' },
      { permission: 'tasks:write', last_used: '2026-06-01T13:00:00Z' },
    ]);
    const own = list.body.data.find((key: { name: string }) => key.name === 'admin').id as string;
    expect((await call(mock, 'GET', `/v1/api-keys/${own}`, admin)).body.permissions_used).toEqual([{ permission: 'admin:*', last_used: '2026-06-01T13:00:00Z' }]);
  });

  it('is documented in the OpenAPI document as keyguard\'s extension, not the seed\'s', async () => {
    const document = (await api([{ key: fakeKey('test'), name: 'k' }]).openApiDocument()) as { components: { schemas: Record<string, Record<string, unknown>> } };
    const schema = document.components.schemas.PermissionsUsed;
    expect(schema?.['x-keyguard-extension']).toBe(true);
    expect(schema?.description).toMatch(/^keyguard's extension, not in the seed documents/);
  });
});
