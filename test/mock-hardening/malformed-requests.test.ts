import { describe, expect, it } from 'vitest';
import { serveFailure } from '../mock-server/helpers/serve-process.js';
import { START } from '../mock-server/helpers/world.js';
import { rawExchange, roomyServe } from './helpers/http.js';

const mock = roomyServe();

const CRLF = '\r\n';
// Connection: close makes the server hang up after its answer, so an exchange ends with it.
const CLOSE = 'Connection: close';
const get = (path: string, ...headers: string[]) => [`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', CLOSE, ...headers, '', ''].join(CRLF);
const postKey = (body: Buffer | string, ...headers: string[]) =>
  Buffer.concat([
    Buffer.from(
      ['POST /v1/api-keys HTTP/1.1', 'Host: 127.0.0.1', `Authorization: Bearer ${mock.admin}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, CLOSE, ...headers, '', ''].join(CRLF),
    ),
    Buffer.from(body),
  ]);

// Each case: what a hostile or broken client sends, and the status line it must get back
// ('' for a connection closed without an answer). Functions run once the admin key is known.
const CASES: Array<[string, () => string | Buffer, RegExp]> = [
  ['a request line of plain text', () => `hello there${CRLF}${CRLF}`, /^HTTP\/1\.1 400 /],
  ['an unknown method', () => `BREW /v1/tasks HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}${CRLF}`, /^HTTP\/1\.1 400 /],
  ['a lower-case method', () => `get /v1/tasks HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}${CRLF}`, /^HTTP\/1\.1 400 /],
  ['a WebDAV method on an API path', () => `PROPFIND /v1/tasks HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}${CLOSE}${CRLF}${CRLF}`, /^HTTP\/1\.1 405 /],
  ['TRACE', () => `TRACE /v1/api-keys HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}${CLOSE}${CRLF}${CRLF}`, /^HTTP\/1\.1 405 /],
  ['OPTIONS *', () => `OPTIONS * HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}${CLOSE}${CRLF}${CRLF}`, /^HTTP\/1\.1 400 /],
  ['CONNECT (a proxy tunnel)', () => `CONNECT 127.0.0.1:22 HTTP/1.1${CRLF}Host: 127.0.0.1:22${CRLF}${CRLF}`, /^$/],
  ['HTTP/0.9 (no version)', () => `GET /v1/tasks${CRLF}${CRLF}`, /^HTTP\/1\.1 400 /],
  ['HTTP/1.1 without Host', () => `GET /v1/tasks HTTP/1.1${CRLF}${CRLF}`, /^HTTP\/1\.1 400 /],
  ['HTTP/1.0 without Host', () => `GET /v1/tasks HTTP/1.0${CRLF}${CRLF}`, /^HTTP\/1\.1 400 /],
  ['an unclosed IPv6 Host', () => `GET /v1/tasks HTTP/1.1${CRLF}Host: [::1${CRLF}${CLOSE}${CRLF}${CRLF}`, /^HTTP\/1\.1 400 /],
  ['a Host with user info', () => `GET /v1/tasks HTTP/1.1${CRLF}Host: admin@evil.example${CRLF}${CLOSE}${CRLF}${CRLF}`, /^HTTP\/1\.1 400 /],
  ['a target without a leading slash', () => `GET v1/tasks HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}${CRLF}`, /^HTTP\/1\.1 400 /],
  // The target's authority replaces Host (RFC 9112 §3.2.2): it names a host this mock does not serve.
  ['an absolute target naming another host', () => get('http://evil.example/v1/api-keys', `Authorization: Bearer ${mock.admin}`), /^HTTP\/1\.1 421 /],
  ['an absolute target naming this host', () => get(`http://127.0.0.1:${mock.port}/v1/api-keys`, `Authorization: Bearer ${mock.admin}`), /^HTTP\/1\.1 200 /],
  ['broken percent-encoding in the path', () => get('/v1/api-keys/%E0%A4%A', `Authorization: Bearer ${mock.admin}`), /^HTTP\/1\.1 4\d\d /],
  ['an encoded NUL in the path', () => get('/v1/api-keys/%00', `Authorization: Bearer ${mock.admin}`), /^HTTP\/1\.1 4\d\d /],
  ['dot segments escaping the dashboard', () => get('/dashboard/..%2f..%2f..%2fpackage.json'), /^HTTP\/1\.1 404 /],
  ['a NUL byte in a header value', () => get('/v1/tasks', 'X-Api-Key: sk_test_\u0000'), /^HTTP\/1\.1 400 /],
  ['a folded (obs-fold) header', () => get('/v1/tasks', 'X-Api-Key: a', ' b'), /^HTTP\/1\.1 400 /],
  ['a space before the colon', () => get('/v1/tasks', 'Authorization : Bearer x'), /^HTTP\/1\.1 400 /],
  ['a header line without a colon', () => get('/v1/tasks', 'this is not a header'), /^HTTP\/1\.1 400 /],
  ['bare LF line endings', () => `GET /v1/tasks HTTP/1.1\nHost: 127.0.0.1\n\n`, /^HTTP\/1\.1 400 /],
  ['Latin-1 bytes in the key header', () => Buffer.from(`${get('/v1/tasks', 'X-Api-Key: sk_test_\u00ff\u00fe\u00e9')}`, 'latin1'), /^HTTP\/1\.1 401 /],
  ['UTF-8 emoji in the Authorization header', () => Buffer.from(get('/v1/tasks', 'Authorization: Bearer sk_test_\u{1F511}\u{1F511}'), 'utf8'), /^HTTP\/1\.1 401 /],
  ['two Authorization headers', () => get('/v1/tasks', `Authorization: Bearer ${mock.admin}`, `Authorization: Bearer ${mock.admin}`), /^HTTP\/1\.1 401 /],
  ['a 100 KB request target', () => get(`/v1/tasks/${'a'.repeat(100_000)}`), /^HTTP\/1\.1 431 /],
  ['5,000 headers', () => get('/v1/tasks', ...Array.from({ length: 5_000 }, (_, i) => `X-H${i}: v`)), /^HTTP\/1\.1 431 /],
  ['an Upgrade: websocket request', () => get('/v1/tasks', 'Upgrade: websocket'), /^HTTP\/1\.1 401 /],
  ['an unknown Expect', () => postKey('{"name":"x"}', 'Expect: teapot'), /^HTTP\/1\.1 417 /],
  ['two Content-Length headers that disagree', () => postKey('{"name":"x"}', 'Content-Length: 3'), /^HTTP\/1\.1 400 /],
  ['Content-Length and Transfer-Encoding together', () => postKey('{"name":"x"}', 'Transfer-Encoding: chunked'), /^HTTP\/1\.1 400 /],
  ['a negative Content-Length', () => `POST /v1/tasks HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}Content-Length: -1${CRLF}${CRLF}`, /^HTTP\/1\.1 400 /],
  ['a 20-digit Content-Length', () => `POST /v1/tasks HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}Content-Length: 99999999999999999999${CRLF}${CRLF}`, /^HTTP\/1\.1 400 /],
  ['a chunk size that is not hex', () => `POST /v1/tasks HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}zz${CRLF}`, /^HTTP\/1\.1 400 /],
  ['Transfer-Encoding: gzip', () => `POST /v1/tasks HTTP/1.1${CRLF}Host: 127.0.0.1${CRLF}Transfer-Encoding: gzip${CRLF}${CRLF}`, /^HTTP\/1\.1 400 /],
  ['a body of invalid UTF-8', () => postKey(Buffer.from([0xff, 0xfe, 0x00, 0x7b])), /^HTTP\/1\.1 400 /],
  ['JSON nested 100,000 deep', () => postKey('['.repeat(100_000) + ']'.repeat(100_000)), /^HTTP\/1\.1 422 /],
  ['a charset nobody supports', () => postKey('{"name":"x"}', 'Content-Type: application/json; charset=ebcdic'), /^HTTP\/1\.1 4\d\d |^HTTP\/1\.1 201 /],
];

describe('malformed requests over a raw socket to keyguard serve', () => {
  it.each(CASES)('%s gets a clear refusal (or a closed connection), never a crash', async (_name, bytes, expected) => {
    const exchange = await rawExchange(mock.port, bytes(), { waitMs: 3_000 });
    expect(exchange.statusLine).toMatch(expected);
    if (expected.source === '^$') expect(exchange.closedByServer).toBe(true);
    // Refusals from the API itself are JSON problems with a code.
    if (/^HTTP\/1\.1 4\d\d/.test(exchange.statusLine) && exchange.response.includes('application/problem+json')) {
      expect(exchange.response).toMatch(/"code":"[a-z_]+"/);
    }
  });

  it('survives all of them at once, many times over, plus clients hanging up halfway', async () => {
    const hangUps = Array.from({ length: 200 }, (_, i) =>
      rawExchange(mock.port, i % 2 === 0 ? postKey('{"name": "half"}').subarray(0, 150) : 'GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', { waitMs: 1 }),
    );
    const storm = Array.from({ length: 5 }, () => CASES.map(([, bytes]) => rawExchange(mock.port, bytes(), { waitMs: 3_000 }))).flat();
    await Promise.all([...hangUps, ...storm]);
    const response = await fetch(`${mock.server.url}/v1/api-keys`, { headers: { authorization: `Bearer ${mock.admin}` } });
    expect(response.status).toBe(200);
    // The half-sent creations never happened.
    const names = ((await response.json()) as { data: Array<{ name: string }> }).data.map((key) => key.name);
    expect(names).not.toContain('half');
  });

  it.each([['99999999999d'], [8_640_000_000_000_000], ['2950000d']])(
    'refuses to move the clock by %j, past the year 9999, and keeps answering with the time it had',
    async (advance) => {
      const response = await mock.server.control('clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance }) });
      expect(response.status).toBe(422);
      expect(((await response.json()) as { message: string }).message).toMatch(/advance: moving the clock by \d+ ms would take it past 9999-01-01T00:00:00Z/);
      expect(await (await mock.server.control('clock')).json()).toEqual({ now: new Date(START).toISOString() });
      const rateLimit = await fetch(`${mock.server.url}/v1/rate-limit`, { headers: { authorization: `Bearer ${mock.admin}` } });
      expect(rateLimit.status).toBe(200);
    },
  );

  it('refuses a --now after the year 9999 at start, in one line', async () => {
    const outcome = await serveFailure(['--now', '+275760-09-13T00:00:00Z']);
    expect(outcome).toEqual({
      code: 2,
      stdout: '',
      stderr: 'keyguard: the clock start (--now) "+275760-09-13T00:00:00Z" is after 9999-01-01T00:00:00Z, the latest time the mock handles: pick an earlier instant\n',
    });
  });

  it('is still running afterwards and never printed an error or a stack trace', () => {
    expect(mock.server.child.exitCode).toBeNull();
    expect(mock.server.child.signalCode).toBeNull();
    expect(mock.stderr).toBe('');
  });
});
