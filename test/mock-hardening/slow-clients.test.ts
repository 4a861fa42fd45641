import { describe, expect, it } from 'vitest';
import { chunk, dripEvery, flood, rawExchange, roomyServe } from './helpers/http.js';

// What keyguard serve promises (mock-server/node.ts). The slack allows for a loaded machine
// yet stays well short of the 30 s that Node's default check interval used to add.
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const SLACK_MS = 8_000;
/** Well beyond any answer on an idle 127.0.0.1, far short of a timeout: the server is not stuck. */
const PROMPT_MS = 5_000;

const mock = roomyServe();

const request = (lines: string[]) => [...lines, '', ''].join('\r\n');
const post = (path: string, headers: string[]) => request([`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', `Authorization: Bearer ${mock.admin}`, 'Content-Type: application/json', ...headers]);

/** The server keeps answering ordinary requests, quickly, while misbehaving clients hold connections. */
async function answersQuickly(): Promise<void> {
  const started = Date.now();
  const response = await fetch(`${mock.server.url}/v1/rate-limit`, { headers: { authorization: `Bearer ${mock.admin}` } });
  expect(response.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(PROMPT_MS);
}

// The timeouts are real: these tests wait for them, side by side.
describe.concurrent('slow and endless clients against keyguard serve', () => {
  it('cuts off a slowloris client sending a header line a second at the headers timeout, with 408, while serving others', async () => {
    const slowloris = Array.from({ length: 100 }, () =>
      rawExchange(mock.port, 'GET /v1/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\n', { waitMs: HEADERS_TIMEOUT_MS * 3, drip: dripEvery('X-Slow: 1\r\n', 1_000) }),
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await answersQuickly();
    for (const exchange of await Promise.all(slowloris)) {
      expect(exchange.closedByServer).toBe(true);
      expect(exchange.statusLine).toBe('HTTP/1.1 408 Request Timeout');
      expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
      expect(exchange.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
    }
    await answersQuickly();
  }, 60_000);

  it('cuts off a body arriving a byte a second at the request timeout, with 408, having changed nothing', async () => {
    const exchange = await rawExchange(mock.port, post('/v1/tasks', ['Content-Length: 100000']) + '{"title": "', {
      waitMs: REQUEST_TIMEOUT_MS * 2,
      drip: dripEvery('a', 1_000),
    });
    expect(exchange.closedByServer).toBe(true);
    expect(exchange.statusLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(exchange.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(exchange.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    const tasks = await fetch(`${mock.server.url}/v1/tasks`, { headers: { authorization: `Bearer ${mock.admin}` } });
    expect(((await tasks.json()) as { data: unknown[] }).data).toEqual([]);
  }, 75_000);

  // A server that hangs up on a client still sending makes the kernel reset the connection, which
  // can discard an answer not yet on the wire: against a flood, "413 or reset" is the contract.
  it('refuses an endless chunked body once it passes 1 MB, and closes the connection', async () => {
    const exchange = await rawExchange(mock.port, post('/v1/tasks', ['Transfer-Encoding: chunked']), { waitMs: 10_000, drip: flood(chunk('x'.repeat(16_384))) });
    expect(exchange.statusLine).toMatch(/^(HTTP\/1\.1 413 Payload Too Large)?$/);
    expect(exchange.closedByServer).toBe(true);
    expect(exchange.closedAfterMs).toBeLessThan(PROMPT_MS);
  });

  it('refuses a body announced as over 1 MB with 413 before reading any of it', async () => {
    const exchange = await rawExchange(mock.port, post('/v1/api-keys', ['Content-Length: 1048577']), { waitMs: 10_000 });
    expect(exchange.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(exchange.response).toContain('"code":"payload_too_large"');
    expect(exchange.closedByServer).toBe(true);
    expect(exchange.closedAfterMs).toBeLessThan(PROMPT_MS);
  });

  it.each(['GET', 'HEAD', 'DELETE'])('stops reading an endless body sent with a %s: the connection closes promptly', async (method) => {
    const head = request([`${method} /v1/tasks HTTP/1.1`, 'Host: 127.0.0.1', `Authorization: Bearer ${mock.admin}`, 'Transfer-Encoding: chunked']);
    const exchange = await rawExchange(mock.port, head, { waitMs: 20_000, drip: flood(chunk('x'.repeat(16_384))) });
    expect(exchange.statusLine).toMatch(/^(HTTP\/1\.1 (200|405) .*)?$/);
    expect(exchange.closedByServer).toBe(true);
    expect(exchange.closedAfterMs).toBeLessThan(PROMPT_MS);
  }, 30_000);

  it('answers a GET whose small body has arrived whole, then closes the connection', async () => {
    const head = request(['GET /v1/tasks HTTP/1.1', 'Host: 127.0.0.1', `Authorization: Bearer ${mock.admin}`, 'Content-Length: 5']);
    const exchange = await rawExchange(mock.port, `${head}hello`, { waitMs: 10_000 });
    expect(exchange.statusLine).toBe('HTTP/1.1 200 OK');
    expect(exchange.response).toMatch(/\r\nConnection: close\r\n/i);
    expect(exchange.closedByServer).toBe(true);
    expect(exchange.closedAfterMs).toBeLessThan(PROMPT_MS);
  });

  it('closes a keep-alive connection left idle after its answer', async () => {
    const exchange = await rawExchange(mock.port, request(['GET /openapi.json HTTP/1.1', 'Host: 127.0.0.1']), { waitMs: 20_000 });
    expect(exchange.statusLine).toBe('HTTP/1.1 200 OK');
    expect(exchange.closedByServer).toBe(true);
    // Node's keep-alive timeout is 5 s.
    expect(exchange.closedAfterMs).toBeLessThan(5_000 + PROMPT_MS);
  }, 30_000);
});

describe('after the slow clients', () => {
  it('is still up, printed nothing on mock.stderr and answers', async () => {
    expect(mock.server.child.exitCode).toBeNull();
    await answersQuickly();
    expect(mock.stderr).toBe('');
  });
});
