import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../mock-server/core/journal.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { keyApiContract } from './contract.js';
import { serveFailure, startServe, type ServeProcess } from './helpers/serve-process.js';
import { checkedFetch, START, type World } from './helpers/world.js';

const running: ServeProcess[] = [];
const temps: string[] = [];

async function serve(args: string[]): Promise<ServeProcess> {
  const server = await startServe(args);
  running.push(server);
  return server;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyguard-mock-'));
  temps.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(running.map((server) => server.stop()));
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

async function post(url: string, key: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

describe('the mock key API over a real socket (keyguard serve as a child process)', () => {
  let world: World;

  beforeAll(async () => {
    const server = await serve(['--env', 'test', '--plan', 'professional', '--now', START]);
    const control = server.control;
    world = {
      base: server.url,
      fetch: await checkedFetch(server.url),
      adminKey: server.adminKey as string,
      env: 'test',
      advance: async (duration) => {
        const response = await control('clock', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ advance: duration }) });
        expect(response.status).toBe(200);
      },
      reset: async () => {
        expect((await control('reset', { method: 'POST' })).status).toBe(200);
      },
      journal: async () => ((await (await control('journal')).json()) as { data: JournalEntry[] }).data,
    };
  });

  keyApiContract(() => world);

  it('answers HEAD with the GET headers and no body', async () => {
    const response = await fetch(`${world.base}/v1/tasks`, { method: 'HEAD', headers: { 'x-api-key': world.adminKey } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit')).toBe('10000');
    expect(await response.text()).toBe('');
  });

  it('is exact under concurrency: 110 parallel requests with 100 left give 100 successes and 10 × 429', async () => {
    await world.reset();
    const created = await post(`${world.base}/v1/api-keys`, world.adminKey, { name: 'burst', plan: 'free' });
    const { key } = (await created.json()) as { key: string };
    const statuses = await Promise.all(
      Array.from({ length: 110 }, async () => {
        const response = await fetch(`${world.base}/v1/tasks`, { headers: { Authorization: `Bearer ${key}` } });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const status = (await (await fetch(`${world.base}/v1/rate-limit`, { headers: { 'x-api-key': key } })).json()) as { remaining: number };
    expect(status.remaining).toBe(900);
  });
});

describe('keyguard serve', () => {
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.stop()));
  });

  it('prints the chosen port, the base URL and a bootstrap admin:* key of its environment', async () => {
    const server = await serve(['--env', 'live']);
    expect(server.stdout).toContain(`Base URL: ${server.url}/v1`);
    expect(server.adminKey).toMatch(/^sk_live_[A-Za-z0-9]{32}$/);
    const response = await fetch(`${server.url}/v1/api-keys`, { headers: { Authorization: `Bearer ${server.adminKey}` } });
    const { data } = (await response.json()) as { data: Array<{ permissions: string[] }> };
    expect(data.map((key) => key.permissions)).toEqual([['admin:*']]);
  });

  it('--env live tells a sandbox key it is a sandbox key', async () => {
    const server = await serve(['--env', 'live']);
    const response = await fetch(`${server.url}/v1/tasks`, { headers: { Authorization: `Bearer ${fakeKey('sandbox')}` } });
    const problem = (await response.json()) as { code: string; message: string };
    expect(response.status).toBe(401);
    expect(problem.code).toBe('wrong_environment');
    expect(problem.message).toMatch(/^This is a sandbox key, but this server is the live environment/);
  });

  it('--seed starts from fixture keys and their plan', async () => {
    const dir = tempDir();
    const ciKey = fakeKey('test');
    const seedFile = join(dir, 'seed.json');
    writeFileSync(seedFile, JSON.stringify({ plan: 'professional', keys: [{ key: ciKey, name: 'CI admin', permissions: ['admin:*'], expires_at: null }] }));
    const server = await serve(['--seed', seedFile]);
    expect(server.adminKey).toBeUndefined();
    expect(server.stdout).toContain(`Keys loaded from ${seedFile}.`);
    const response = await fetch(`${server.url}/v1/tasks`, { headers: { Authorization: `Bearer ${ciKey}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit')).toBe('10000');
  });

  it('--state keeps every acknowledged change through SIGKILL and a restart, and holds no key', async () => {
    const dir = tempDir();
    const stateFile = join(dir, 'state.json');
    const first = await serve(['--state', stateFile]);
    const admin = first.adminKey as string;
    const created = (await (await post(`${first.url}/v1/api-keys`, admin, { name: 'survivor', permissions: ['tasks:read', 'tasks:write'] })).json()) as { id: string; key: string };
    const doomed = (await (await post(`${first.url}/v1/api-keys`, admin, { name: 'doomed' })).json()) as { id: string; key: string };
    await fetch(`${first.url}/v1/api-keys/${doomed.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${admin}` } });
    const task = await post(`${first.url}/v1/tasks`, created.key, { title: 'written before the kill' });
    expect(task.status).toBe(201);
    await first.stop('SIGKILL');

    const text = readFileSync(stateFile, 'utf8');
    for (const key of [admin, created.key, doomed.key]) expect(text).not.toContain(bodyOf(key));

    const second = await serve(['--state', stateFile]);
    expect(second.adminKey).toBeUndefined();
    expect(second.stdout).toContain(`State restored from ${stateFile}`);
    const tasks = await fetch(`${second.url}/v1/tasks`, { headers: { Authorization: `Bearer ${created.key}` } });
    expect(tasks.status).toBe(200);
    expect(((await tasks.json()) as { data: Array<{ title: string }> }).data.map((t) => t.title)).toEqual(['written before the kill']);
    const revoked = await fetch(`${second.url}/v1/tasks`, { headers: { Authorization: `Bearer ${doomed.key}` } });
    expect(((await revoked.json()) as { code: string }).code).toBe('revoked_api_key');
    expect((await fetch(`${second.url}/v1/api-keys`, { headers: { Authorization: `Bearer ${admin}` } })).status).toBe(200);
  });

  it('refuses a corrupt --state file with one clear line and exit code 2, leaving the file alone', async () => {
    const dir = tempDir();
    const stateFile = join(dir, 'state.json');
    writeFileSync(stateFile, '{"keyguard_mock_state": 1, "environment": "test", "seeded": ');
    const outcome = await serveFailure(['--state', stateFile]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(new RegExp(`^keyguard: --state ${stateFile} is not valid JSON \\(.*\\): restore it from a backup, or delete it to start fresh\\n$`));
    expect(readFileSync(stateFile, 'utf8')).toBe('{"keyguard_mock_state": 1, "environment": "test", "seeded": ');
  });

  it('refuses a --state file of another environment', async () => {
    const dir = tempDir();
    const stateFile = join(dir, 'state.json');
    const server = await serve(['--env', 'live', '--state', stateFile]);
    await server.stop();
    const outcome = await serveFailure(['--env', 'test', '--state', stateFile]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe(`keyguard: the saved state holds live keys but this server runs --env test: use --env live or another --state file\n`);
  });

  it.each([
    [['--seed', '/nonexistent/seed.json'], 'keyguard: --seed /nonexistent/seed.json cannot be read (ENOENT): check the path\n'],
    [['--plan', 'enterprise'], 'keyguard: the enterprise plan needs custom limits: give per_hour and per_minute (--per-hour, --per-minute)\n'],
    [['--per-hour', '5', '--per-minute', '1'], 'keyguard: --per-hour and --per-minute set custom limits, which only the enterprise plan has: add --plan enterprise\n'],
    [['--now', 'yesterday'], 'keyguard: the clock start (--now) "yesterday" is not a date: use an ISO 8601 instant such as 2025-10-14T10:30:00Z\n'],
  ])('fails at start-up with one line for %j', async (args, stderr) => {
    const outcome = await serveFailure(args);
    expect(outcome).toEqual({ code: 2, stdout: '', stderr });
  });

  it('names the bad seed entry', async () => {
    const dir = tempDir();
    const seedFile = join(dir, 'seed.json');
    writeFileSync(seedFile, JSON.stringify({ keys: [{ key: fakeKey('test'), name: 'ok' }, { key: fakeKey('test'), name: 'bad', permissions: ['tasks:fly'] }] }));
    const outcome = await serveFailure(['--seed', seedFile]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^keyguard: --seed .*seed\.json: keys\[1\]\.permissions\[0\]: unknown permission "tasks:fly"/);
  });
});
