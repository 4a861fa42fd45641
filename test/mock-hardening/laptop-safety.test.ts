import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, type Chromium } from '../dashboard/chromium.js';
import { serveFailure, startServe, type ServeProcess } from '../mock-server/helpers/serve-process.js';
import { portOf } from './helpers/http.js';

// keyguard serve beside a developer's browser: what any web page could do to it must fail.

const running: ServeProcess[] = [];

async function serve(args: string[] = []): Promise<ServeProcess> {
  const server = await startServe(args);
  running.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

interface Answer {
  status: number;
  type: string;
  body: string;
}

/** A request over a real socket with a Host header fetch() would not let us set. */
function withHost(server: ServeProcess, host: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port: portOf(server), method, path, headers: { host, ...headers } }, (incoming) => {
      let text = '';
      incoming.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, type: String(incoming.headers['content-type']), body: text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function keyCount(server: ServeProcess): Promise<number> {
  const response = await fetch(`${server.url}/v1/api-keys`, { headers: { authorization: `Bearer ${server.adminKey}` } });
  return ((await response.json()) as { data: unknown[] }).data.length;
}

async function createKey(server: ServeProcess, name: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/v1/api-keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ name }),
  });
}

describe('only its own host names are served (DNS rebinding)', () => {
  it.each(['/', '/dashboard/main.js', '/openapi.json', '/v1/tasks', '/v1/api-keys', '/__keyguard/journal', '/nowhere'])(
    'a request for %s naming another host gets a 421 problem',
    async (path) => {
      const server = await serve();
      const port = portOf(server);
      const answer = await withHost(server, `evil.example:${port}`, 'GET', path, { authorization: `Bearer ${server.adminKey}`, 'x-keyguard-control-token': server.controlToken as string });
      expect(answer.status).toBe(421);
      expect(answer.type).toBe('application/problem+json');
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'host_not_allowed', host: 'evil.example' });
    },
  );

  it('serves 127.0.0.1 and localhost on its port, and names given with --allow-host', async () => {
    const server = await serve(['--allow-host', 'mock.test', '--allow-host', 'Tunnel.Example.']);
    const port = portOf(server);
    const auth = { authorization: `Bearer ${server.adminKey}` };
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `mock.test:${port}`, 'tunnel.example']) {
      expect((await withHost(server, host, 'GET', '/v1/tasks', auth)).status, host).toBe(200);
    }
    expect((await withHost(server, `mock.test.evil.example:${port}`, 'GET', '/v1/tasks', auth)).status).toBe(421);
  });
});

describe('changes from another origin are refused before anything changes', () => {
  it.each([
    ['an Origin of another site', { origin: 'https://evil.example' }],
    ['an Origin of another port on the same machine', { origin: 'http://127.0.0.1:1' }],
    ['Origin: null (a sandboxed frame or a file)', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])('%s gets 403 and creates nothing', async (_name, headers) => {
    const server = await serve();
    const refused = await createKey(server, 'from a web page', headers);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('cross_origin_request');
    expect(await keyCount(server)).toBe(1);
  });

  it('the server\'s own origin, and clients that send none, may change things', async () => {
    const server = await serve();
    expect((await createKey(server, 'own page', { origin: server.url, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect((await createKey(server, 'a script')).status).toBe(201);
    expect(await keyCount(server)).toBe(3);
  });
});

describe('the test-control routes want the per-process token', () => {
  it.each([
    ['POST', 'reset', undefined],
    ['POST', 'clock', '{"advance": "60d"}'],
    ['GET', 'clock', undefined],
    ['GET', 'journal', undefined],
    ['DELETE', 'journal', undefined],
  ])('%s /__keyguard/%s without it, or with a wrong one, is refused with 403', async (method, path, body) => {
    const server = await serve(['--now', '2025-10-14T10:30:00Z']);
    const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
    const init = { method, body, headers };
    const missing = await fetch(`${server.url}/__keyguard/${path}`, init);
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { code: string }).code).toBe('missing_control_token');
    const wrong = await fetch(`${server.url}/__keyguard/${path}`, { ...init, headers: { ...init.headers, 'x-keyguard-control-token': 'kgc_guessed' } });
    expect(((await wrong.json()) as { code: string }).code).toBe('invalid_control_token');
    expect(await (await server.control('clock')).json()).toEqual({ now: '2025-10-14T10:30:00.000Z' });
    expect((await server.control('journal')).status).toBe(200);
  });

  it('prints a new token each run, and works with it', async () => {
    const [first, second] = await Promise.all([serve(), serve()]);
    expect(first.controlToken).toMatch(/^kgc_[A-Za-z0-9]{32}$/);
    expect(second.controlToken).not.toBe(first.controlToken);
    expect((await first.control('reset', { method: 'POST' })).status).toBe(200);
  });

  it('--no-control leaves them out altogether: 404, and says so at start', async () => {
    const server = await serve(['--no-control']);
    expect(server.controlToken).toBeUndefined();
    expect(server.stdout).toContain('Test control: off (--no-control)');
    const answer = await fetch(`${server.url}/__keyguard/reset`, { method: 'POST', headers: { 'x-keyguard-control-token': 'anything' } });
    expect(answer.status).toBe(404);
    expect(((await answer.json()) as { code: string }).code).toBe('route_not_found');
    expect(await keyCount(server)).toBe(1);
  });
});

describe('binding beyond loopback', () => {
  it('warns on stderr, naming what becomes reachable', async () => {
    const server = await serve(['--host', '0.0.0.0']);
    await vi.waitFor(() => expect(server.stderr).not.toBe(''), { timeout: 5_000 });
    expect(server.stderr).toMatch(/^keyguard: warning: --host binds a non-loopback address: the key API, the dashboard and the test-control routes \(behind the control token\) are reachable from the network at http:\/\/0\.0\.0\.0:\d+/);
    expect(server.stderr.split('\n')).toHaveLength(2);
  });

  it('prints no warning on 127.0.0.1', async () => {
    const server = await serve();
    expect(server.stderr).toBe('');
  });

  it('refuses a --host it cannot bind in one line', async () => {
    const outcome = await serveFailure(['--host', '192.0.2.1']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^keyguard: cannot listen on 192\.0\.2\.1:0 \(EADDRNOTAVAIL\)\n$/);
  });
});

describe('web pages in Chromium', () => {
  let browser: Chromium;
  let attacker: Server;
  let attackerUrl = '';

  beforeAll(async () => {
    browser = await launchChromium(['--host-resolver-rules=MAP evil.example 127.0.0.1']);
    // A site of its own on another port: every request it makes to the mock is cross-origin.
    attacker = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end('<!doctype html><title>not the mock</title>');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => attacker?.close(resolve));
  });

  it('a cross-origin page cannot reset the mock, move its clock or forget its journal, even knowing the token', async () => {
    const server = await serve(['--now', '2025-10-14T10:30:00Z']);
    for (let i = 0; i < 3; i++) expect((await createKey(server, `kept ${i}`)).status).toBe(201);
    const page = await browser.context.newPage();
    await page.goto(attackerUrl);
    await page.evaluate(
      async ({ mock, token }) => {
        const attempts = [
          fetch(`${mock}/__keyguard/reset`, { method: 'POST', mode: 'no-cors' }),
          fetch(`${mock}/__keyguard/reset?token=${token}`, { method: 'POST', mode: 'no-cors', body: new URLSearchParams({ token }) }),
          fetch(`${mock}/__keyguard/clock`, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{"advance": "60d"}' }),
          fetch(`${mock}/__keyguard/journal`, { method: 'DELETE', mode: 'no-cors' }),
          fetch(`${mock}/__keyguard/reset`, { method: 'POST', headers: { 'x-keyguard-control-token': token } }),
        ];
        await Promise.allSettled(attempts);
        // A plain HTML form post, the oldest cross-site request there is.
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = `${mock}/__keyguard/reset`;
        form.target = 'sink';
        const frame = document.createElement('iframe');
        frame.name = 'sink';
        document.body.append(frame, form);
        const loaded = new Promise((resolve) => frame.addEventListener('load', resolve));
        form.submit();
        await loaded;
      },
      { mock: server.url, token: server.controlToken as string },
    );
    await page.close();
    expect(await keyCount(server)).toBe(4);
    expect(await (await server.control('clock')).json()).toEqual({ now: '2025-10-14T10:30:00.000Z' });
    expect((await (await server.control('journal')).json()) as { data: unknown[] }).toMatchObject({ data: expect.arrayContaining([expect.anything()]) });
  });

  it('a page at evil.example:PORT resolved to 127.0.0.1 (DNS rebinding) reads nothing and changes nothing', async () => {
    const server = await serve(['--now', '2025-10-14T10:30:00Z']);
    const port = portOf(server);
    const page = await browser.context.newPage();
    const landing = await page.goto(`http://evil.example:${port}/`);
    expect(landing?.status()).toBe(421);
    const seen = await page.evaluate(async () => {
      const statuses: Record<string, number> = {};
      for (const [method, path] of [
        ['GET', '/__keyguard/journal'],
        ['GET', '/openapi.json'],
        ['GET', '/dashboard/main.js'],
        ['POST', '/__keyguard/clock'],
        ['POST', '/__keyguard/reset'],
      ]) {
        const response = await fetch(path as string, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{"advance": "60d"}' : undefined });
        statuses[`${method} ${path}`] = response.status;
      }
      return statuses;
    });
    await page.close();
    expect(Object.values(seen)).toEqual([421, 421, 421, 421, 421]);
    expect(await (await server.control('clock')).json()).toEqual({ now: '2025-10-14T10:30:00.000Z' });
  });

  it('the dashboard still works on its own origin: sign in and create a key', async () => {
    const server = await serve();
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByLabel('Admin API key').fill(server.adminKey as string);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Overview', selected: true }).waitFor();
    const created = await page.evaluate(async (key) => {
      const response = await fetch('/v1/api-keys', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"name": "from the dashboard"}' });
      return response.status;
    }, server.adminKey as string);
    await page.close();
    expect(created).toBe(201);
    expect(await keyCount(server)).toBe(2);
  });
});
