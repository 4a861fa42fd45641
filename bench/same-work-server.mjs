#!/usr/bin/env node
// A rung of bench/mock-server.mjs's ladder: the work the mock does for an authenticated
// GET /v1/tasks, written by hand with no framework: Bearer parsing, a SHA-256 lookup compared in
// constant time, both rate-limit windows counted, the five rate-limit headers, JSON.stringify of
// the tasks, a journal entry. It shows what that work costs on this machine without the mock's
// design (a fetch-style app behind adapters): the ceiling the mock can be held to.
//
//   node bench/same-work-server.mjs <key> <tasks JSON> [--fetch]
//
// Prints http://127.0.0.1:PORT. With --fetch the same handler is a fetch-style app
// `(Request) => Response` served by @hono/node-server, the mock's own adapter, without a router.
import { hash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';

const [key, tasksJson, mode] = process.argv.slice(2);
const digestOf = (value) => Buffer.from(hash('sha256', value, 'binary'), 'binary');
const keyDigest = digestOf(key);
const keys = new Map([[keyDigest.toString('hex', 0, 8), { digest: keyDigest, id: 'key_bench', limit: 1e9 }]]);
const tasks = JSON.parse(tasksJson).data;
const journal = [];
let hourCount = 0;
let minuteCount = 0;

/** Status, headers and body for one request's Authorization header. */
function answer(authorization, method, path) {
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  const digest = bearer ? digestOf(bearer[1]) : undefined;
  const entry = digest && keys.get(digest.toString('hex', 0, 8));
  if (!entry || !timingSafeEqual(entry.digest, digest)) return { status: 401, headers: {}, body: '' };
  const now = Date.now();
  hourCount++;
  minuteCount++;
  const hour = { remaining: entry.limit - hourCount, reset: Math.ceil((3_600_000 - (now % 3_600_000)) / 1000) };
  const minute = { remaining: entry.limit - minuteCount, reset: Math.ceil((60_000 - (now % 60_000)) / 1000) };
  journal.push({ atMs: now, method, path, key_id: entry.id, status: 200, outcome: 'ok', remaining: { hour: hour.remaining, minute: minute.remaining } });
  if (journal.length > 15_000) journal.splice(0, 5_000);
  return {
    status: 200,
    body: JSON.stringify({ data: tasks }),
    headers: {
      'X-RateLimit-Limit': String(entry.limit),
      'X-RateLimit-Remaining': String(hour.remaining),
      'X-RateLimit-Reset': String(Math.floor(now / 3_600_000) * 3600 + 3600),
      'RateLimit-Policy': `"hour";q=${entry.limit};w=3600, "minute";q=${entry.limit};w=60`,
      RateLimit: `"hour";r=${hour.remaining};t=${hour.reset}, "minute";r=${minute.remaining};t=${minute.reset}`,
      'Content-Type': 'application/json',
    },
  };
}

const server =
  mode === '--fetch'
    ? createServer(
        getRequestListener((request) => {
          const { status, headers, body } = answer(request.headers.get('authorization'), request.method, request.url);
          return new Response(body, { status, headers });
        }),
      )
    : createServer((request, response) => {
        const { status, headers, body } = answer(request.headers.authorization, request.method, request.url);
        response.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
        response.end(body);
      });
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
