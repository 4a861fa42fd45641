#!/usr/bin/env node
// Benchmark: the standalone mock key API under load, next to a bare node:http server.
//
//   npm run build && node bench/mock-server.mjs [--seconds 10]
//
// Both servers are whole child processes on 127.0.0.1. The mock (`keyguard serve`) answers an
// authenticated, rate-limited GET /v1/tasks (Bearer auth with a SHA-256 lookup, both rate-limit
// windows checked and consumed, permission check, journal entry, rate-limit headers); its key
// has enterprise limits high enough never to refuse, so every request takes the full path. The
// baseline is node:http returning the very same JSON body. autocannon drives each with 50
// connections: 2 s warm-up, then the measured run. Local only, bounded: about 25 s in all.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const secondsAt = process.argv.indexOf('--seconds');
const seconds = secondsAt === -1 ? 10 : Math.max(1, Number(process.argv[secondsAt + 1]) || 10);
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

async function load(url, headers, duration) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration, headers });
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total };
}

const mock = await start([
  'bin/keyguard.js', 'serve', '--port', '0', '--plan', 'enterprise', '--per-hour', '1000000000', '--per-minute', '1000000000',
]);
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

try {
  const results = {};
  for (const [name, url, headers] of [
    ['bare node:http', `${bare.url}/v1/tasks`, {}],
    ['keyguard serve', `${mock.url}/v1/tasks`, auth],
  ]) {
    await load(url, headers, 2);
    results[name] = await load(url, headers, seconds);
  }
  const row = (name, r) =>
    `${name.padEnd(16)} ${String(Math.round(r.rps)).padStart(8)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms   (${r.total} requests)`;
  console.log(`GET /v1/tasks, ${CONNECTIONS} connections, ${seconds} s each, 127.0.0.1, body ${body.length} bytes`);
  for (const [name, r] of Object.entries(results)) console.log(row(name, r));
  const ratio = results['keyguard serve'].rps / results['bare node:http'].rps;
  console.log(`mock / bare throughput: ${(ratio * 100).toFixed(0)}% (target ≥ 50%); mock p99 ${results['keyguard serve'].p99} ms (target < 10 ms)`);
} finally {
  await Promise.all([stop(mock), stop(bare)]);
}
