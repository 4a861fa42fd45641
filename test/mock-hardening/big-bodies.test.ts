import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request as undiciRequest } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { roomyServe } from './helpers/http.js';

// Oversized and unwanted bodies: the client must be able to read the refusal, and the server
// must not hold what it refuses.

const mock = roomyServe();
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'keyguard-big-bodies-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIVE_MB = 5 * 1024 * 1024;
const bigTask = (): string => JSON.stringify({ title: 'x', description: 'y'.repeat(FIVE_MB) });

async function expectCode(status: number, text: string, code: string, expected: number): Promise<void> {
  expect({ status, code: (JSON.parse(text) as { code: string }).code }).toEqual({ status: expected, code });
}

describe('a body over 1 MB gets a 413 the client reads', () => {
  it('through Node fetch, 24 uploads of 5 MB, 6 at a time', async () => {
    const body = bigTask();
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          const response = await fetch(`${mock.server.url}/v1/tasks`, {
            method: 'POST',
            headers: { authorization: `Bearer ${mock.admin}`, 'content-type': 'application/json' },
            body,
          });
          await expectCode(response.status, await response.text(), 'payload_too_large', 413);
        }),
      );
    }
  });

  it('through undici, 24 uploads of 5 MB, 6 at a time', async () => {
    const body = bigTask();
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          const response = await undiciRequest(`${mock.server.url}/v1/tasks`, {
            method: 'POST',
            headers: { authorization: `Bearer ${mock.admin}`, 'content-type': 'application/json' },
            body,
          });
          await expectCode(response.statusCode, await response.body.text(), 'payload_too_large', 413);
        }),
      );
    }
  });

  it.each([
    ['with Expect: 100-continue (curl\'s default for big bodies)', []],
    ['without Expect: the whole body is sent', ['-H', 'Expect:']],
  ])('through curl %s, 8 uploads of 5 MB', async (_name, extra) => {
    const file = join(dir, 'big.json');
    writeFileSync(file, bigTask());
    for (let i = 0; i < 8; i++) {
      const { stdout } = await run('curl', [
        '-sS', '-o', '-', '-w', '\n%{http_code}', '-X', 'POST', ...extra,
        '-H', `Authorization: Bearer ${mock.admin}`, '-H', 'Content-Type: application/json',
        '--data-binary', `@${file}`, `${mock.server.url}/v1/tasks`,
      ]);
      const [text, status] = [stdout.slice(0, stdout.lastIndexOf('\n')), Number(stdout.slice(stdout.lastIndexOf('\n') + 1))];
      await expectCode(status, text, 'payload_too_large', 413);
    }
  });

  it.each([
    ['5 MB with a key: 413', FIVE_MB, true, 'payload_too_large', 413],
    ['900 KB without a key: 401', 900 * 1024, false, 'missing_api_key', 401],
  ])("through Python's urllib, which sends the whole body before it reads: 8 uploads of %s", async (_name, size, withKey, code, status) => {
    const script = [
      'import sys, urllib.request, urllib.error',
      'body = open(sys.argv[3], "rb").read()',
      'headers = {"Content-Type": "application/json"}',
      'if sys.argv[2]: headers["Authorization"] = "Bearer " + sys.argv[2]',
      'request = urllib.request.Request(sys.argv[1], data=body, method="POST", headers=headers)',
      'try:',
      '    response = urllib.request.urlopen(request, timeout=20)',
      '    status, text = response.status, response.read()',
      'except urllib.error.HTTPError as error:',
      '    status, text = error.code, error.read()',
      'sys.stdout.write(text.decode() + "\\n" + str(status))',
    ].join('\n');
    const file = join(dir, `python-${size}.json`);
    writeFileSync(file, JSON.stringify({ title: 'x', description: 'y'.repeat(size) }));
    for (let i = 0; i < 8; i++) {
      const { stdout } = await run('python3', ['-c', script, `${mock.server.url}/v1/tasks`, withKey ? mock.admin : '', file]);
      const [text, answered] = [stdout.slice(0, stdout.lastIndexOf('\n')), Number(stdout.slice(stdout.lastIndexOf('\n') + 1))];
      await expectCode(answered, text, code, status);
    }
  });

  it('a 900 KB upload without a key gets its 401 before the body is read, readable, through Node fetch', async () => {
    const body = JSON.stringify({ title: 'x', description: 'y'.repeat(900 * 1024) });
    for (let i = 0; i < 12; i++) {
      const response = await fetch(`${mock.server.url}/v1/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await expectCode(response.status, await response.text(), 'missing_api_key', 401);
    }
  });
});

/** Resident memory of a process, from /proc, in bytes. */
function rss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? '';
  return Number(/(\d+)/.exec(line)?.[1] ?? 0) * 1024;
}

/**
 * Opens `count` connections that each send the headers of a 1 MB upload and all of its body
 * but the last byte, then hold, at least `holdMs` and until `answers` of them have their answer (at most 20 s);
 * resolves with the highest RSS seen meanwhile and the status lines that came back.
 */
async function holdUploads(count: number, headers: string[], holdMs: number, answers = count): Promise<{ peak: number; statuses: string[] }> {
  const pid = mock.server.child.pid as number;
  const size = 1024 * 1024;
  const head = [`POST /v1/tasks HTTP/1.1`, `Host: 127.0.0.1:${mock.port}`, 'Content-Type: application/json', `Content-Length: ${size}`, ...headers, '', ''].join('\r\n');
  const almost = Buffer.alloc(size - 1, 0x61);
  const sockets: Socket[] = [];
  const statuses: string[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(mock.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.once('data', (data: Buffer) => statuses.push(data.toString('latin1').split('\r\n')[0] ?? ''));
    socket.write(head);
    socket.write(almost);
    sockets.push(socket);
  }
  let peak = rss(pid);
  const started = Date.now();
  while (Date.now() - started < holdMs || (statuses.length < answers && Date.now() - started < 20_000)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    peak = Math.max(peak, rss(pid));
  }
  for (const socket of sockets) socket.destroy();
  return { peak, statuses };
}

describe('memory stays bounded under many slow uploads', () => {
  it('300 uploads of 1 MB without a key, held open: refused before their bodies are read, RSS grows < 100 MB', async () => {
    const before = rss(mock.server.child.pid as number);
    const { peak, statuses } = await holdUploads(300, [], 3_000);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
    expect(statuses).toEqual(Array(300).fill('HTTP/1.1 401 Unauthorized'));
    const after = await fetch(`${mock.server.url}/v1/tasks`, { headers: { authorization: `Bearer ${mock.admin}` } });
    expect(after.status).toBe(200);
  }, 60_000);

  it('300 uploads of 1 MB with a valid key, held open: at most 32 MB of bodies are held, the rest get 503, RSS grows < 100 MB', async () => {
    const before = rss(mock.server.child.pid as number);
    const { peak, statuses } = await holdUploads(300, [`Authorization: Bearer ${mock.admin}`], 3_000, 300 - 32);
    expect(peak - before).toBeLessThan(100 * 1024 * 1024);
    // The 32 bodies that fit the budget wait for their last byte, which never comes.
    expect(statuses.length).toBeGreaterThanOrEqual(300 - 32);
    expect(new Set(statuses)).toEqual(new Set(['HTTP/1.1 503 Service Unavailable']));
    const after = await fetch(`${mock.server.url}/v1/tasks`, { headers: { authorization: `Bearer ${mock.admin}` } });
    expect(after.status).toBe(200);
  }, 60_000);
});

describe('afterwards', () => {
  it('keyguard serve is still up, printed nothing on stderr, and the held uploads left nothing behind', async () => {
    expect(mock.server.child.exitCode).toBeNull();
    expect(mock.stderr).toBe('');
    const tasks = await fetch(`${mock.server.url}/v1/tasks`, { headers: { authorization: `Bearer ${mock.admin}` } });
    expect(((await tasks.json()) as { data: unknown[] }).data).toEqual([]);
  });
});
