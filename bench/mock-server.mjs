#!/usr/bin/env node
// Benchmark: the standalone mock key API under load, next to a bare node:http server.
//
//   npm run build && node bench/mock-server.mjs [--seconds 10] [--compare DIR]
//
// Both servers are whole child processes on 127.0.0.1. The mock (`keyguard serve`) answers an
// authenticated, rate-limited GET /v1/tasks (Bearer auth with a SHA-256 lookup, both rate-limit
// windows checked and consumed, permission check, journal entry, rate-limit headers); its key
// has enterprise limits high enough never to refuse, so every request takes the full path. The
// baseline is node:http returning the very same JSON body; a one-route Hono app on the same adapter
// shows the framework's own floor; bench/same-work-server.mjs does the mock's work by hand. autocannon
// drives each with 50 connections: 2 s warm-up, then the measured run. Local only, bounded: about 90 s.
//
// Events (issue 19) are always on: every request is observed (failed authentication, rate limits,
// new source addresses become events). Two more rows load a stream of 401s (each one a
// key.auth_failed event): without a webhook, and with a webhook target that accepts connections and
// never answers, to show delivery never slows the API. `--compare DIR` adds a row for another built
// checkout's `keyguard serve` in the same run (such as main before a change), with its ratio.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const secondsAt = process.argv.indexOf('--seconds');
const seconds = secondsAt === -1 ? 10 : Math.max(1, Number(process.argv[secondsAt + 1]) || 10);
const compareAt = process.argv.indexOf('--compare');
const compareDir = compareAt === -1 ? undefined : process.argv[compareAt + 1];
const CONNECTIONS = 50;

/** Starts a child process and resolves with the first http://127.0.0.1:PORT it prints. */
function start(args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (text) => {
      out += text;
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0];
      if (url && out.includes('\n')) resolve({ child, url, out });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${out}`)));
  });
}

function stop({ child }) {
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill();
  });
}

/** CPU time (user + system, ms) a process has used so far, from /proc; undefined off Linux. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return undefined;
  }
}

async function load(server, path, headers, duration, expected = 200) {
  const before = cpuMs(server.child.pid);
  const result = await autocannon({ url: `${server.url}${path}`, connections: CONNECTIONS, duration, headers });
  const after = cpuMs(server.child.pid);
  const unexpected = expected === 200 ? result.non2xx : result.requests.total - (result.statusCodeStats?.[expected]?.count ?? 0);
  if (result.errors > 0 || unexpected > 0) throw new Error(`${server.url}: ${result.errors} errors, ${unexpected} answers other than ${expected}`);
  const cpuUs = before === undefined || after === undefined ? undefined : ((after - before) * 1000) / result.requests.total;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total, cpuUs };
}

const SERVE = ['serve', '--port', '0', '--plan', 'enterprise', '--per-hour', '1000000000', '--per-minute', '1000000000'];
const mock = await start(['bin/keyguard.js', ...SERVE]);
const adminKey = /Bootstrap admin key \([^)]*\): (sk_\w+)/.exec(mock.out)?.[1] ?? /sk_test_\w+/.exec(mock.out)?.[0];
const auth = { authorization: `Bearer ${adminKey}` };
for (const title of ['Rotate keys', 'Audit scopes', 'Ship the mock']) {
  await fetch(`${mock.url}/v1/tasks`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ title }) });
}
const body = await (await fetch(`${mock.url}/v1/tasks`, { headers: auth })).text();

const bare = await start([
  '-e',
  `const body = ${JSON.stringify(body)};
   const server = require('node:http').createServer((req, res) => {
     res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
     res.end(body);
   });
   server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));`,
]);

// The framework floor: one Hono route on @hono/node-server answering the same JSON with the mock's
// headers, no auth, no limits. The mock cannot be faster than this.
const sample = await fetch(`${mock.url}/v1/tasks`, { headers: auth });
const sampleHeaders = Object.fromEntries([...sample.headers].filter(([name]) => /ratelimit|content-type/i.test(name)));
const floor = await start([
  '--input-type=module',
  '-e',
  `import { createServer } from 'node:http';
   import { Hono } from 'hono';
   import { getRequestListener } from '@hono/node-server';
   const app = new Hono();
   app.get('/v1/tasks', () => new Response(${JSON.stringify(body)}, { headers: ${JSON.stringify(sampleHeaders)} }));
   const server = createServer(getRequestListener(app.fetch));
   server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));`,
]);

// The mock's per-request work without its design, by hand on node:http and as a fetch-style app on
// the mock's adapter (bench/same-work-server.mjs): how much of the gap to bare is the work itself.
const sameWork = await start([join(root, 'bench/same-work-server.mjs'), adminKey, body]);
const sameWorkFetch = await start([join(root, 'bench/same-work-server.mjs'), adminKey, body, '--fetch']);

// A webhook target that accepts every connection and never answers, and a mock that sends to it.
const blackHole = await start([
  '-e',
  `const server = require('node:net').createServer(() => {});
   server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));`,
]);
const hooked = await start(['bin/keyguard.js', ...SERVE, '--webhook', `${blackHole.url}/hooks`]);
const other = compareDir === undefined ? undefined : await start([join(compareDir, 'bin/keyguard.js'), ...SERVE]);
const otherKey = other && (/Bootstrap admin key \([^)]*\): (sk_\w+)/.exec(other.out)?.[1] ?? '');
if (other) {
  for (const title of ['Rotate keys', 'Audit scopes', 'Ship the mock']) {
    await fetch(`${other.url}/v1/tasks`, { method: 'POST', headers: { authorization: `Bearer ${otherKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ title }) });
  }
}
// A well-formed key the mock does not know: every request is a 401 and a key.auth_failed event.
const stranger = { authorization: `Bearer sk_test_${'Zq8'.repeat(11)}` };

try {
  const results = {};
  const rows = [
    ['bare node:http', bare, {}],
    ['Hono floor', floor, {}],
    ['same work, node:http', sameWork, auth],
    ['same work, fetch app', sameWorkFetch, auth],
    ['keyguard serve', mock, auth],
  ];
  if (other) rows.push([`keyguard serve (--compare)`, other, { authorization: `Bearer ${otherKey}` }]);
  rows.push(['401s, no webhook', mock, stranger, 401], ['401s, webhook never answers', hooked, stranger, 401]);
  for (const [name, server, headers, expected] of rows) {
    await load(server, '/v1/tasks', headers, 2, expected);
    results[name] = await load(server, '/v1/tasks', headers, seconds, expected);
  }
  // Server CPU per request says what the server costs even when other work shares the machine.
  const cpu = (r) => (r.cpuUs === undefined ? '' : `   server CPU ${r.cpuUs.toFixed(1)} µs/req`);
  const row = (name, r) =>
    `${name.padEnd(22)} ${String(Math.round(r.rps)).padStart(8)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms${cpu(r)}   (${r.total} requests)`;
  console.log(`GET /v1/tasks, ${CONNECTIONS} connections, ${seconds} s each, 127.0.0.1, body ${body.length} bytes`);
  for (const [name, r] of Object.entries(results)) console.log(row(name, r));
  const ratio = results['keyguard serve'].rps / results['bare node:http'].rps;
  const floorRatio = results['Hono floor'].rps / results['bare node:http'].rps;
  console.log(`mock / bare throughput: ${(ratio * 100).toFixed(0)}% (target ≥ 50%); Hono floor / bare: ${(floorRatio * 100).toFixed(0)}%`);
  const share = (name) => `${((results[name].rps / results['bare node:http'].rps) * 100).toFixed(0)}%`;
  console.log(`the same work by hand / bare: ${share('same work, node:http')} on node:http, ${share('same work, fetch app')} as a fetch app on @hono/node-server`);
  // The figure to watch for regressions: the mock against the least its work can cost, in the same run.
  const ofCeiling = results['keyguard serve'].rps / results['same work, fetch app'].rps;
  console.log(`mock / the same work by hand as a fetch app: ${(ofCeiling * 100).toFixed(0)}%`);
  console.log(`mock p99 ${results['keyguard serve'].p99} ms (target < 10 ms)`);
  if (other) console.log(`keyguard serve / ${compareDir}'s keyguard serve: ${((results['keyguard serve'].rps / results['keyguard serve (--compare)'].rps) * 100).toFixed(0)}%`);
  const hookRatio = results['401s, webhook never answers'].rps / results['401s, no webhook'].rps;
  console.log(`401s with a webhook that never answers / without a webhook: ${(hookRatio * 100).toFixed(0)}% (p99 ${results['401s, webhook never answers'].p99} vs ${results['401s, no webhook'].p99} ms)`);
  console.log(`command: node bench/mock-server.mjs --seconds ${seconds}${compareDir ? ` --compare ${compareDir}` : ''}`);
} finally {
  await Promise.all([stop(mock), stop(bare), stop(floor), stop(sameWork), stop(sameWorkFetch), stop(hooked), stop(blackHole), ...(other ? [stop(other)] : [])]);
}
