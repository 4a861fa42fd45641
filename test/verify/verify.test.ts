import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startKeyApiServer, type RunningKeyApi } from '../../mock-server/node.js';
import { scan } from '../../src/scan.js';
import { verifyEndpoint, verifyFindings } from '../../src/verify.js';
import { KEYGUARD_BIN, TempRepo } from '../git/repo.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function repo(files: Record<string, string>): TempRepo {
  const made = TempRepo.create();
  cleanups.push(() => made.remove());
  for (const [path, key] of Object.entries(files)) made.write(path, `export const key = '${key}';\n`);
  return made;
}

interface JsonFinding {
  file: string;
  verified?: string;
  redacted: string;
}

describe('scan --verify against the bundled mock key API on 127.0.0.1', () => {
  const keys = {
    admin: fakeKey('test'),
    active: fakeKey('test'),
    revoked: fakeKey('test'),
    expired: fakeKey('test'),
    deactivated: fakeKey('test'),
    neverIssued: fakeKey('test'),
    otherEnvironment: fakeKey('live'),
  };
  let api: RunningKeyApi;

  beforeAll(async () => {
    api = await startKeyApiServer({
      env: 'test',
      now: '2030-01-01T00:00:00Z',
      seed: {
        keys: [
          { key: keys.admin, name: 'admin', permissions: ['admin:*'] },
          { key: keys.active, name: 'active', permissions: ['tasks:read'] },
          { key: keys.revoked, name: 'revoked' },
          { key: keys.expired, name: 'expired', expires_at: '2030-01-01T01:00:00Z' },
          { key: keys.deactivated, name: 'deactivated', active: false },
        ],
      },
    });
    const admin = { authorization: `Bearer ${keys.admin}` };
    const list = (await (await fetch(`${api.url}/v1/api-keys`, { headers: admin })).json()) as { data: Array<{ id: string; name: string }> };
    const revoked = list.data.find((key) => key.name === 'revoked')!;
    expect((await fetch(`${api.url}/v1/api-keys/${revoked.id}`, { method: 'DELETE', headers: admin })).status).toBe(200);
    // The expiring key dies when the mock's clock passes its expires_at.
    const moved = await fetch(`${api.url}/__keyguard/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-keyguard-control-token': api.controlToken as string },
      body: '{"advance": "2h"}',
    });
    expect(moved.status).toBe(200);
  });
  afterAll(() => api.close());

  it('marks the active key live and sorts it first; revoked, expired, deactivated and unknown keys inactive; another environment\'s key unknown', async () => {
    const r = repo({
      'a-revoked.ts': keys.revoked,
      'b-expired.ts': keys.expired,
      'c-deactivated.ts': keys.deactivated,
      'd-never-issued.ts': keys.neverIssued,
      'e-live-env.ts': keys.otherEnvironment,
      'z-active.ts': keys.active,
    });

    const out = await r.keyguard('scan', '--verify', api.url, '--format', 'json');

    expect(out.exitCode).toBe(1);
    const findings = (JSON.parse(out.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.map((f) => [f.file, f.verified])).toEqual([
      ['z-active.ts', 'live'],
      ['a-revoked.ts', 'inactive'],
      ['b-expired.ts', 'inactive'],
      ['c-deactivated.ts', 'inactive'],
      ['d-never-issued.ts', 'inactive'],
      ['e-live-env.ts', 'unknown'],
    ]);
  });

  it('shows the verdict in every format, and no format holds a full key', async () => {
    const r = repo({ 'a.ts': keys.revoked, 'b.ts': keys.active });
    const outputs = await Promise.all(['text', 'json', 'sarif', 'github'].map((format) => r.keyguard('scan', '--verify', `${api.url}/v1`, '--format', format)));
    const [text, , sarif, github] = outputs.map((out) => out.stdout);

    expect(text).toMatch(/^b\.ts:1:21 {2}error {2}hardcoded-key {2}Hardcoded test API key sk_test_\w{4}…\w{3} \(verified live: the key authenticates, rotate it now\)$/m);
    expect(text).toContain('(verified inactive: the key API refused it)');
    const results = (JSON.parse(sarif!) as { runs: Array<{ results: Array<{ properties?: { verified?: string }; message: { text: string } }> }> }).runs[0]!.results;
    expect(results.map((result) => result.properties?.verified)).toEqual(['live', 'inactive']);
    expect(github).toMatch(/^::error file=b\.ts,.*verified live: the key authenticates/m);
    for (const out of outputs) {
      expect(out.stdout).not.toContain(bodyOf(keys.active));
      expect(out.stdout).not.toContain(bodyOf(keys.revoked));
    }
  });

  it('works through the real bin as a whole process', async () => {
    const r = repo({ 'a.ts': keys.active });
    const run = promisify(execFile);
    const failed = await run('node', [KEYGUARD_BIN, 'scan', '--verify', api.url, '--format', 'json'], { cwd: r.dir }).catch((error: { code: number; stdout: string }) => error);
    expect('code' in failed && failed.code).toBe(1);
    expect((JSON.parse(failed.stdout) as { findings: JsonFinding[] }).findings[0]?.verified).toBe('live');
  });
});

describe('scan --verify sends each key once, only to that URL, only when asked, and never crashes', () => {
  interface Seen {
    path: string;
    authorization: string | undefined;
  }

  async function listen(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string; server: Server }> {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
  }

  it('asks nothing without --verify; with it, one GET /v1/rate-limit per distinct key, at most 4 at a time', async () => {
    const seen: Seen[] = [];
    let inFlight = 0;
    let most = 0;
    const { url } = await listen((request, response) => {
      seen.push({ path: `${request.method} ${request.url}`, authorization: request.headers.authorization });
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"limit":100,"remaining":99}');
      }, 50);
    });
    const distinct = Array.from({ length: 10 }, () => fakeKey('sandbox'));
    const r = repo(Object.fromEntries([...distinct.map((key, i) => [`k${i}.ts`, key]), ['again.ts', distinct[0]!]]));

    await r.keyguard('scan');
    expect(seen).toEqual([]);

    const out = await r.keyguard('scan', '--verify', url, '--format', 'json');
    expect((JSON.parse(out.stdout) as { findings: JsonFinding[] }).findings.every((f) => f.verified === 'live')).toBe(true);
    expect(seen).toHaveLength(10);
    expect(new Set(seen.map((s) => s.path))).toEqual(new Set(['GET /v1/rate-limit']));
    expect(new Set(seen.map((s) => s.authorization))).toEqual(new Set(distinct.map((key) => `Bearer ${key}`)));
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
  });

  it('does not follow a redirect, so the key never reaches another host', async () => {
    const elsewhere: string[] = [];
    const other = await listen((request, response) => {
      elsewhere.push(request.url ?? '');
      response.writeHead(200).end('{}');
    });
    const { url } = await listen((_request, response) => response.writeHead(307, { location: `${other.url}/steal` }).end());
    const r = repo({ 'a.ts': fakeKey() });

    const out = await r.keyguard('scan', '--verify', url, '--format', 'json');

    expect((JSON.parse(out.stdout) as { findings: JsonFinding[] }).findings[0]?.verified).toBe('unknown');
    expect(elsewhere).toEqual([]);
  });

  it('a key API that never answers times out as unknown', async () => {
    const { url } = await listen(() => undefined);
    const r = repo({ 'a.ts': fakeKey() });
    const started = performance.now();

    const { findings } = await scan({ cwd: r.dir });
    await verifyFindings(findings, { endpoint: verifyEndpoint(url), timeoutMs: 200 });

    expect(findings[0]?.verified).toBe('unknown');
    // Well under the 5 s default: the timeout given was honoured.
    expect(performance.now() - started).toBeLessThan(4_000);
  });

  it('a refused connection or a server error is unknown, and the scan still reports its findings (exit 1, not 2)', async () => {
    const { url: failing } = await listen((_request, response) => response.writeHead(500).end('oops'));
    const closed = await listen(() => undefined);
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const r = repo({ 'a.ts': fakeKey() });

    for (const url of [failing, closed.url]) {
      const out = await r.keyguard('scan', '--verify', url, '--format', 'json');
      expect(out.exitCode).toBe(1);
      expect(out.stderr).toBe('');
      expect((JSON.parse(out.stdout) as { findings: JsonFinding[] }).findings[0]?.verified).toBe('unknown');
    }
  });

  it.each([
    ['not a URL', '127.0.0.1 4010', "keyguard: --verify expects the key API's http(s) URL, such as http://127.0.0.1:4010; got '127.0.0.1 4010'\n"],
    ['a URL without its scheme', 'localhost:4010', "keyguard: --verify expects the key API's http(s) URL, such as http://127.0.0.1:4010; got 'localhost:4010'\n"],
    ['another scheme', 'file:///etc/passwd', "keyguard: --verify expects the key API's http(s) URL, such as http://127.0.0.1:4010; got 'file:///etc/passwd'\n"],
    ['credentials in the URL', 'http://me:secret@127.0.0.1:1', 'keyguard: --verify URL must not hold credentials: each found key is its own credential\n'],
  ])('refuses %s before scanning (exit 2)', async (_case, url, message) => {
    const r = repo({ 'a.ts': fakeKey() });
    expect(await r.keyguard('scan', '--verify', url)).toEqual({ exitCode: 2, stdout: '', stderr: message });
  });
});
