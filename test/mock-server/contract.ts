import { beforeEach, describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/index.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { createMakeRequest } from './helpers/make-request.js';
import { START, type World } from './helpers/world.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are checked against the OpenAPI document by World.fetch */
type Json = any;

/**
 * The mock key API's behaviour, written once as a function of a door (`World`) and run
 * through msw and over a real socket. Every response in here is also checked against the
 * served OpenAPI document by `world.fetch`.
 */
export function keyApiContract(getWorld: () => World): void {
  let w: World;
  beforeEach(async () => {
    w = getWorld();
    await w.reset();
  });

  const url = (path: string) => `${w.base}/v1${path}`;
  const bearer = (key: string): Record<string, string> => ({ Authorization: `Bearer ${key}` });
  const call = (method: string, path: string, key: string | undefined, body?: unknown, headers: Record<string, string> = {}) =>
    w.fetch(url(path), {
      method,
      headers: { ...(key ? bearer(key) : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async (response: Response): Promise<Json> => response.json();

  /** Creates a key with the admin key and returns the 201 body (which holds the full key). */
  async function createKey(body: Record<string, unknown>): Promise<Json> {
    const response = await call('POST', '/api-keys', w.adminKey, body);
    expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
    return json(response);
  }

  async function expectProblem(response: Response, status: number, code: string): Promise<Json> {
    const body = await json(response);
    expect({ status: response.status, code: body.code }, body.message).toEqual({ status, code });
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({ type: 'about:blank', status, detail: body.message });
    expect(body.message).toEqual(expect.any(String));
    return body;
  }

  describe('the seed\'s complete makeRequest client', () => {
    it('lists tasks with the key from the environment, as the example does', async () => {
      const makeRequest = createMakeRequest(w.adminKey, w.base, w.fetch);
      await expect(makeRequest('/tasks')).resolves.toEqual({ data: [] });
    });

    it('creates, reads, updates and deletes through makeRequest', async () => {
      const makeRequest = createMakeRequest(w.adminKey, w.base, w.fetch);
      const task = await makeRequest('/tasks', { method: 'POST', body: JSON.stringify({ title: 'Rotate keys' }) });
      expect(task).toMatchObject({ title: 'Rotate keys', status: 'todo' });
      await makeRequest(`/tasks/${task.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'done' }) });
      await expect(makeRequest(`/tasks/${task.id}`)).resolves.toMatchObject({ status: 'done' });
      await expect(makeRequest(`/tasks/${task.id}`, { method: 'DELETE' })).resolves.toEqual({ id: task.id, deleted: true });
      await expect(makeRequest('/tasks')).resolves.toEqual({ data: [] });
    });

    it('throws error.message from a 401, 403 and 429 body', async () => {
      await expect(createMakeRequest(fakeKey(w.env), w.base, w.fetch, () => undefined)('/tasks')).rejects.toThrow(/is not valid/);
      const reader = await createKey({ name: 'reader', permissions: ['tasks:read'], plan: 'enterprise', rate_limit: { per_hour: 100, per_minute: 1 } });
      const makeRequest = createMakeRequest(reader.key, w.base, w.fetch, () => undefined);
      await expect(makeRequest('/tasks', { method: 'POST', body: '{"title":"x"}' })).rejects.toThrow(/lacks the tasks:write permission/);
      await expect(makeRequest('/tasks')).rejects.toThrow(/Rate limit exceeded/);
    });

    it('warns when fewer than 100 requests are left in the hour', async () => {
      const small = await createKey({ name: 'small', plan: 'enterprise', rate_limit: { per_hour: 102, per_minute: 100 } });
      const warnings: unknown[][] = [];
      const makeRequest = createMakeRequest(small.key, w.base, w.fetch, (...args) => warnings.push(args));
      await makeRequest('/tasks');
      await makeRequest('/tasks');
      expect(warnings).toEqual([]);
      await makeRequest('/tasks');
      expect(warnings).toEqual([['Rate limit low:', '99']]);
    });
  });

  describe('creating keys (POST /v1/api-keys)', () => {
    it('answers the seed\'s request with the seed\'s fields and a full key shown once', async () => {
      const created = await createKey({
        name: 'New Integration',
        permissions: ['tasks:read', 'tasks:write'],
        expires_at: '2026-10-14T00:00:00Z',
      });
      expect(created).toMatchObject({
        id: expect.stringMatching(/^key_/),
        name: 'New Integration',
        permissions: ['tasks:read', 'tasks:write'],
        created_at: START,
        expires_at: '2026-10-14T00:00:00Z',
        environment: w.env,
        active: true,
      });
      expect(created.key).toMatch(new RegExp(`^sk_${w.env}_[A-Za-z0-9]{32}$`));
      expect(created.prefix).toBe(`${created.key.slice(0, `sk_${w.env}_`.length + 3)}...`);
    });

    it('issues keys that keyguard\'s own scanner detects', async () => {
      for (let i = 0; i < 5; i++) {
        const { key } = await createKey({ name: `k${i}` });
        expect(detect(`const apiKey = '${key}';`).map((m) => m.key)).toEqual([key]);
      }
    });

    it('gives a key without permissions read access only', async () => {
      const created = await createKey({ name: 'Temporary Key', expires_at: '2025-12-31T23:59:59Z' });
      expect(created.permissions).toEqual(['tasks:read', 'projects:read', 'users:read']);
      expect((await call('GET', '/projects', created.key)).status).toBe(200);
      await expectProblem(await call('POST', '/projects', created.key, { name: 'p' }), 403, 'insufficient_permissions');
    });

    it('never shows the full key again: not in the list, the details, the journal or any error', async () => {
      const created = await createKey({ name: 'secret' });
      const body = bodyOf(created.key);
      await call('GET', '/tasks', created.key);
      await call('GET', '/api-keys', created.key);
      await call('DELETE', `/api-keys/${created.id}`, w.adminKey);
      const unauthorized = await call('GET', '/tasks', created.key);
      const texts = [
        await (await call('GET', '/api-keys', w.adminKey)).text(),
        await (await call('GET', `/api-keys/${created.id}`, w.adminKey)).text(),
        await unauthorized.text(),
        JSON.stringify(await w.journal()),
      ];
      for (const text of texts) expect(text).not.toContain(body);
    });

    it('masks a key pasted where it does not belong, in errors and in the journal', async () => {
      const pasted = fakeKey(w.env);
      const texts = [
        await (await call('GET', `/api-keys/${pasted}`, w.adminKey)).text(),
        await (await call('POST', '/api-keys', w.adminKey, { name: 'x', permissions: [pasted] })).text(),
        JSON.stringify(await w.journal()),
      ];
      for (const text of texts) {
        expect(text).toContain(`sk_${w.env}_`);
        expect(text).not.toContain(bodyOf(pasted));
      }
    });

    it('masks a key wherever it sits in a path: glued to other text, percent-encoded or split across segments', async () => {
      const pasted = fakeKey(w.env);
      const prefix = `sk_${w.env}_`;
      const body = bodyOf(pasted);
      const encoded = pasted.replaceAll('_', '%5F');
      const split = `${prefix}${body.slice(0, 10)}/${body.slice(10)}`;
      const paths = [`/api-keys/key_${pasted}`, `/api-keys/x${pasted}`, `/api-keys/9${pasted}`, `/api-keys/${encoded}`, `/api-keys/${split}`, `/nothing/${split}/more`, `/tasks/${pasted}`];
      const texts: string[] = [];
      for (const path of paths) texts.push(await (await call('GET', path, w.adminKey)).text());
      texts.push(JSON.stringify(await w.journal()));
      for (const text of texts) {
        expect(text).not.toContain(body);
        expect(text).not.toContain(body.slice(10));
        expect(text).not.toContain(body.slice(0, 16));
      }
      expect(texts.at(-1)).toContain(`${prefix}${body.slice(0, 4)}…${body.slice(-3)}`);
    });

    it('refuses a key for another environment, naming the field', async () => {
      const other = w.env === 'live' ? 'sandbox' : 'live';
      const problem = await expectProblem(await call('POST', '/api-keys', w.adminKey, { name: 'x', environment: other }), 422, 'validation_failed');
      expect(problem.errors).toEqual([{ field: 'environment', message: expect.stringContaining(`--env ${other}`) }]);
    });

    it('refuses an expiry in the past', async () => {
      const problem = await expectProblem(
        await call('POST', '/api-keys', w.adminKey, { name: 'x', expires_at: '2020-01-01T00:00:00Z' }),
        422,
        'validation_failed',
      );
      expect(problem.errors[0].field).toBe('expires_at');
    });
  });

  describe('managing keys', () => {
    it('lists keys with the seed\'s fields and only a prefix', async () => {
      const created = await createKey({ name: 'Mobile App', expires_at: '2026-03-15T00:00:00Z' });
      await call('GET', '/tasks', created.key);
      const { data } = await json(await call('GET', '/api-keys', w.adminKey));
      const listed = data.find((k: Json) => k.id === created.id);
      expect(listed).toMatchObject({
        id: created.id,
        name: 'Mobile App',
        prefix: created.prefix,
        last_used: START,
        created_at: START,
        expires_at: '2026-03-15T00:00:00Z',
      });
      expect(listed).not.toHaveProperty('key');
    });

    it('shows details with usage: requests today, this month, and the last use', async () => {
      const created = await createKey({ name: 'Production App', permissions: ['tasks:read', 'tasks:write'] });
      for (let i = 0; i < 3; i++) await call('GET', '/tasks', created.key);
      await w.advance('1d');
      await call('GET', '/tasks', created.key);
      const details = await json(await call('GET', `/api-keys/${created.id}`, w.adminKey));
      expect(details).toMatchObject({
        id: created.id,
        permissions: ['tasks:read', 'tasks:write'],
        created_at: START,
        last_used: '2025-10-15T10:30:00Z',
        expires_at: null,
        usage: { requests_today: 1, requests_this_month: 4, requests_total: 4 },
      });
    });

    it('updates name and permissions, and the new permissions apply at once', async () => {
      const created = await createKey({ name: 'Production App', permissions: ['tasks:read'] });
      await expectProblem(await call('GET', '/projects', created.key), 403, 'insufficient_permissions');
      const updated = await json(
        await call('PATCH', `/api-keys/${created.id}`, w.adminKey, {
          name: 'Production App (updated)',
          permissions: ['tasks:read', 'tasks:write', 'projects:read'],
        }),
      );
      expect(updated).toMatchObject({ name: 'Production App (updated)', permissions: ['tasks:read', 'tasks:write', 'projects:read'] });
      expect((await call('GET', '/projects', created.key)).status).toBe(200);
    });

    it('revokes a key on DELETE: its next request fails at once and it is gone from the list', async () => {
      const created = await createKey({ name: 'doomed' });
      expect((await call('GET', '/tasks', created.key)).status).toBe(200);
      expect(await json(await call('DELETE', `/api-keys/${created.id}`, w.adminKey))).toEqual({ id: created.id, deleted: true });
      const problem = await expectProblem(await call('GET', '/tasks', created.key), 401, 'revoked_api_key');
      expect(problem.message).toMatch(/was deleted at 2025-10-14T10:30:00Z/);
      await expectProblem(await call('GET', `/api-keys/${created.id}`, w.adminKey), 404, 'key_not_found');
      const { data } = await json(await call('GET', '/api-keys', w.adminKey));
      expect(data.map((k: Json) => k.id)).not.toContain(created.id);
    });

    it('regenerates a key: same id, the old key dies at once, the new one is shown once and works', async () => {
      const created = await createKey({ name: 'rotating', permissions: ['tasks:read'] });
      const regenerated = await json(await call('POST', `/api-keys/${created.id}/regenerate`, w.adminKey));
      expect(regenerated).toMatchObject({ id: created.id, name: 'rotating', permissions: ['tasks:read'] });
      expect(regenerated.key).not.toBe(created.key);
      const problem = await expectProblem(await call('GET', '/tasks', created.key), 401, 'revoked_api_key');
      expect(problem.message).toMatch(/replaced by a regenerated key/);
      expect((await call('GET', '/tasks', regenerated.key)).status).toBe(200);
      const details = await json(await call('GET', `/api-keys/${created.id}`, w.adminKey));
      expect(details.prefix).toBe(regenerated.prefix);
    });

    it('deactivates and reactivates a key with PATCH active', async () => {
      const created = await createKey({ name: 'toggle' });
      await call('PATCH', `/api-keys/${created.id}`, w.adminKey, { active: false });
      const problem = await expectProblem(await call('GET', '/tasks', created.key), 401, 'inactive_api_key');
      expect(problem.message).toContain(`PATCH /v1/api-keys/${created.id}`);
      await call('PATCH', `/api-keys/${created.id}`, w.adminKey, { active: true });
      expect((await call('GET', '/tasks', created.key)).status).toBe(200);
    });

    it('takes the key in an x-api-key header as well as a Bearer token', async () => {
      const response = await w.fetch(url('/tasks'), { headers: { 'x-api-key': w.adminKey } });
      expect(response.status).toBe(200);
    });

    it('needs admin:* to manage keys, and says which permission is missing', async () => {
      const reader = await createKey({ name: 'reader', permissions: ['tasks:read'] });
      const problem = await expectProblem(await call('GET', '/api-keys', reader.key), 403, 'insufficient_permissions');
      expect(problem).toMatchObject({ required: ['admin:*'], granted: ['tasks:read'] });
      await expectProblem(await call('POST', '/api-keys', reader.key, { name: 'escalate', permissions: ['admin:*'] }), 403, 'insufficient_permissions');
    });
  });

  describe('401: every cause has its own code and message', () => {
    const cases: Array<[string, (key: string) => Record<string, string>, string, RegExp]> = [
      ['no key at all', () => ({}), 'missing_api_key', /No API key was sent/],
      ['a key without "Bearer"', (key) => ({ Authorization: key }), 'malformed_authorization', /without the Bearer scheme/],
      ['another Authorization scheme', () => ({ Authorization: 'Basic dXNlcjpwYXNz' }), 'malformed_authorization', /must be "Bearer <key>"/],
      ['"Bearer abc123" (not a key)', () => ({ Authorization: 'Bearer abc123' }), 'invalid_key_format', /not in a valid format/],
    ];
    it.each(cases)('%s', async (_name, headers, code, message) => {
      const problem = await expectProblem(await w.fetch(url('/tasks'), { headers: headers(w.adminKey) }), 401, code);
      expect(problem.message).toMatch(message);
    });

    it('every 401 names the Bearer scheme in WWW-Authenticate, with error="invalid_token" when a key was refused', async () => {
      const missing = await w.fetch(url('/tasks'));
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="keyguard"');
      const refused = await call('GET', '/tasks', fakeKey(w.env));
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="keyguard", error="invalid_token"');
      expect((await call('GET', '/tasks', w.adminKey)).headers.get('www-authenticate')).toBeNull();
    });

    it('an unknown key', async () => {
      const problem = await expectProblem(await call('GET', '/tasks', fakeKey(w.env)), 401, 'invalid_api_key');
      expect(problem.message).toMatch(/is not valid/);
    });

    it('an expired key, until its expiry is extended', async () => {
      const created = await createKey({ name: 'short-lived', expires_at: '2025-10-14T11:30:00Z' });
      expect((await call('GET', '/tasks', created.key)).status).toBe(200);
      await w.advance('1h');
      const problem = await expectProblem(await call('GET', '/tasks', created.key), 401, 'expired_api_key');
      expect(problem.message).toMatch(/expired at 2025-10-14T11:30:00Z/);
      await call('PATCH', `/api-keys/${created.id}`, w.adminKey, { expires_at: '2026-12-31T23:59:59Z' });
      expect((await call('GET', '/tasks', created.key)).status).toBe(200);
    });

    it('a key of another environment names the environment it belongs to', async () => {
      const other = w.env === 'sandbox' ? 'live' : 'sandbox';
      const problem = await expectProblem(await call('GET', '/tasks', fakeKey(other)), 401, 'wrong_environment');
      expect(problem.message).toContain(`This is a ${other} key`);
      expect(problem).toMatchObject({ key_environment: other, server_environment: w.env });
    });

    it('all seven causes have distinct codes', async () => {
      const created = await createKey({ name: 'x', expires_at: '2025-10-14T10:31:00Z' });
      const revoked = await createKey({ name: 'y' });
      await call('DELETE', `/api-keys/${revoked.id}`, w.adminKey);
      const inactive = await createKey({ name: 'z' });
      await call('PATCH', `/api-keys/${inactive.id}`, w.adminKey, { active: false });
      await w.advance('2m');
      const codes = await Promise.all(
        [
          {},
          { Authorization: w.adminKey },
          bearer(fakeKey(w.env)),
          bearer(revoked.key),
          bearer(inactive.key),
          bearer(created.key),
          bearer(fakeKey(w.env === 'live' ? 'test' : 'live')),
        ].map(async (headers) => (await json(await w.fetch(url('/tasks'), { headers }))).code),
      );
      expect(new Set(codes).size).toBe(7);
    });
  });

  describe('403: scopes guard every resource', () => {
    const resources: Array<[string, Json, string, string, string]> = [
      ['tasks', { title: 't' }, 'tasks:read', 'tasks:write', 'tasks:delete'],
      ['projects', { name: 'p' }, 'projects:read', 'projects:write', 'projects:delete'],
      ['users', { name: 'Ada', email: 'ada@example.com' }, 'users:read', 'users:write', 'admin:*'],
    ];
    it.each(resources)('/v1/%s: read lists and gets, write creates and updates, delete deletes', async (name, body, read, write, remove) => {
      const keys = {
        read: (await createKey({ name: 'r', permissions: [read] })).key,
        write: (await createKey({ name: 'w', permissions: [write] })).key,
        remove: (await createKey({ name: 'd', permissions: [remove] })).key,
      };
      const forbidden = async (response: Response, required: string) =>
        expect(await expectProblem(response, 403, 'insufficient_permissions')).toMatchObject({ required: [required] });

      await forbidden(await call('POST', `/${name}`, keys.read, body), write);
      const created = await json(await call('POST', `/${name}`, keys.write, body));
      expect(created.id).toEqual(expect.any(String));
      await forbidden(await call('GET', `/${name}`, keys.write), read);
      expect((await json(await call('GET', `/${name}`, keys.read))).data).toEqual([created]);
      expect(await json(await call('GET', `/${name}/${created.id}`, keys.read))).toEqual(created);
      expect((await call('PATCH', `/${name}/${created.id}`, keys.write, body)).status).toBe(200);
      await forbidden(await call('DELETE', `/${name}/${created.id}`, keys.write), remove);
      expect((await call('DELETE', `/${name}/${created.id}`, keys.remove)).status).toBe(200);
      await expectProblem(await call('GET', `/${name}/${created.id}`, keys.read), 404, `${name.slice(0, -1)}_not_found`);
    });

    it('a 403 lists the required and the granted permissions', async () => {
      const reader = await createKey({ name: 'reader', permissions: ['tasks:read', 'projects:read'] });
      const problem = await expectProblem(await call('POST', '/tasks', reader.key, { title: 't' }), 403, 'insufficient_permissions');
      expect(problem).toMatchObject({ required: ['tasks:write'], granted: ['tasks:read', 'projects:read'] });
      expect(problem.message).toContain('tasks:write');
    });
  });

  describe('rate limits', () => {
    it('describes the hourly window in X-RateLimit-* on every authenticated response, both windows in RateLimit-*', async () => {
      const free = await createKey({ name: 'free', plan: 'free' });
      const response = await call('GET', '/tasks', free.key);
      expect(Object.fromEntries(['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'ratelimit-policy', 'ratelimit'].map((h) => [h, response.headers.get(h)]))).toEqual({
        'x-ratelimit-limit': '1000',
        'x-ratelimit-remaining': '999',
        'x-ratelimit-reset': String(Date.parse('2025-10-14T11:00:00Z') / 1000),
        'ratelimit-policy': '"hour";q=1000;w=3600, "minute";q=100;w=60',
        ratelimit: '"hour";r=999;t=1800, "minute";r=99;t=60',
      });
      const forbidden = await call('GET', '/api-keys', free.key);
      expect(forbidden.status).toBe(403);
      expect(forbidden.headers.get('x-ratelimit-remaining')).toBe('998');
    });

    it('GET /v1/rate-limit answers the seed\'s shape and consumes nothing', async () => {
      const pro = await createKey({ name: 'pro', plan: 'professional' });
      await call('GET', '/tasks', pro.key);
      const first = await json(await call('GET', '/rate-limit', pro.key));
      const second = await call('GET', '/rate-limit', pro.key);
      expect(first).toEqual({
        limit: 10000,
        remaining: 9999,
        reset: Date.parse('2025-10-14T11:00:00Z') / 1000,
        reset_at: '2025-10-14T11:00:00Z',
        plan: 'professional',
        minute: { limit: 500, remaining: 499, reset: Date.parse('2025-10-14T10:31:00Z') / 1000, reset_at: '2025-10-14T10:31:00Z' },
      });
      expect(await json(second)).toEqual(first);
      expect(second.headers.get('x-ratelimit-remaining')).toBe('9999');
    });

    it('answers 429 with Retry-After for the window that refused, consumes nothing when refusing, and recovers at the window\'s end', async () => {
      const tiny = await createKey({ name: 'tiny', plan: 'enterprise', rate_limit: { per_hour: 10, per_minute: 3 } });
      for (let i = 0; i < 3; i++) expect((await call('GET', '/tasks', tiny.key)).status).toBe(200);
      await w.advance('15s');
      for (let i = 0; i < 3; i++) {
        const refused = await call('GET', '/tasks', tiny.key);
        const problem = await expectProblem(refused, 429, 'rate_limited');
        expect(problem.window).toBe('minute');
        expect(refused.headers.get('retry-after')).toBe('45');
        expect(refused.headers.get('x-ratelimit-remaining')).toBe('7');
      }
      await w.advance('45s');
      const after = await call('GET', '/tasks', tiny.key);
      expect(after.status).toBe(200);
      expect(after.headers.get('x-ratelimit-remaining')).toBe('6');
    });

    it('refuses by the hourly window when the hour is spent, until the next hour', async () => {
      const hourly = await createKey({ name: 'hourly', plan: 'enterprise', rate_limit: { per_hour: 2, per_minute: 100 } });
      await call('GET', '/tasks', hourly.key);
      await call('GET', '/tasks', hourly.key);
      const refused = await call('GET', '/tasks', hourly.key);
      expect((await expectProblem(refused, 429, 'rate_limited')).window).toBe('hour');
      expect(refused.headers.get('retry-after')).toBe('1800');
      await w.advance('30m');
      expect((await call('GET', '/tasks', hourly.key)).status).toBe(200);
    });

    it('does not count failed authentication against anyone\'s quota', async () => {
      const free = await createKey({ name: 'free', plan: 'free' });
      for (let i = 0; i < 3; i++) await call('GET', '/tasks', fakeKey(w.env));
      expect((await json(await call('GET', '/rate-limit', free.key))).remaining).toBe(1000);
    });
  });

  describe('bad input gets a JSON problem, never a crash', () => {
    it('malformed JSON → 400', async () => {
      const response = await w.fetch(url('/api-keys'), {
        method: 'POST',
        headers: { ...bearer(w.adminKey), 'Content-Type': 'application/json' },
        body: '{"name": ',
      });
      await expectProblem(response, 400, 'malformed_json');
    });

    it('wrong types, unknown fields and unknown permissions → 422 naming each field', async () => {
      const problem = await expectProblem(
        await call('POST', '/api-keys', w.adminKey, { name: 42, permissions: ['tasks:read', 'tasks:fly'], colour: 'red' }),
        422,
        'validation_failed',
      );
      expect(problem.errors).toEqual([
        { field: 'name', message: expect.stringContaining('expected string') },
        { field: 'permissions[1]', message: expect.stringContaining('unknown permission "tasks:fly"') },
        { field: 'colour', message: 'is not a known field' },
      ]);
      expect(problem.message).toMatch(/^Invalid request: name: /);
    });

    it('a body that is not JSON → 415', async () => {
      const response = await w.fetch(url('/tasks'), { method: 'POST', headers: { ...bearer(w.adminKey), 'Content-Type': 'text/plain' }, body: 'title=x' });
      await expectProblem(response, 415, 'unsupported_media_type');
    });

    it('a body over 1 MB → 413', async () => {
      const response = await call('POST', '/tasks', w.adminKey, { title: 'x', description: 'y'.repeat(1024 * 1024) });
      await expectProblem(response, 413, 'payload_too_large');
    });

    it('an unknown route → 404', async () => {
      await expectProblem(await call('GET', '/nothing-here', w.adminKey), 404, 'route_not_found');
    });

    it('a method the route does not have → 405 with Allow', async () => {
      const response = await call('PUT', '/tasks', w.adminKey, { title: 'x' });
      const problem = await expectProblem(response, 405, 'method_not_allowed');
      expect(response.headers.get('allow')).toBe('GET, POST, HEAD');
      expect(problem.allowed).toEqual(['GET', 'POST', 'HEAD']);
    });

    it('an unknown id → 404 naming it', async () => {
      const problem = await expectProblem(await call('PATCH', '/api-keys/key_nope', w.adminKey, { name: 'x' }), 404, 'key_not_found');
      expect(problem.message).toContain('key_nope');
    });

    it('the server still answers after all of it', async () => {
      expect((await call('GET', '/tasks', w.adminKey)).status).toBe(200);
    });
  });

  describe('test control', () => {
    it('the journal records who called, the permission checked, the outcome and the quota left', async () => {
      const reader = await createKey({ name: 'reader', permissions: ['tasks:read'], plan: 'free' });
      await call('POST', '/tasks', reader.key, { title: 'x' });
      await call('GET', '/tasks', reader.key);
      const entries = await w.journal();
      expect(entries.slice(-2)).toEqual([
        expect.objectContaining({ method: 'POST', path: '/v1/tasks', key_id: reader.id, key_prefix: reader.prefix, permission: 'tasks:write', status: 403, outcome: 'insufficient_permissions', remaining: { hour: 999, minute: 99 } }),
        expect.objectContaining({ method: 'GET', path: '/v1/tasks', key_id: reader.id, permission: 'tasks:read', status: 200, outcome: 'ok', remaining: { hour: 998, minute: 98 } }),
      ]);
    });

    it('reset returns to the seeded state: created keys and resources are gone, the admin key still works', async () => {
      const created = await createKey({ name: 'temporary' });
      await call('POST', '/tasks', w.adminKey, { title: 'x' });
      await w.advance('3h');
      await w.reset();
      await expectProblem(await call('GET', '/tasks', created.key), 401, 'invalid_api_key');
      const tasks = await call('GET', '/tasks', w.adminKey);
      expect(await json(tasks)).toEqual({ data: [] });
      expect(tasks.headers.get('x-ratelimit-reset')).toBe(String(Date.parse('2025-10-14T11:00:00Z') / 1000));
      expect((await w.journal()).map((entry) => entry.seq)).toEqual([1, 2]);
    });
  });

  it('serves an OpenAPI 3.1 document of every route', async () => {
    // Plain fetch: the document is what w.fetch checks everything else against.
    const document = await json(await fetch(`${w.base}/openapi.json`));
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/api-keys', '/v1/api-keys/{id}', '/v1/api-keys/{id}/regenerate', '/v1/rate-limit', '/v1/tasks', '/v1/projects/{id}', '/v1/users']),
    );
  });
}
