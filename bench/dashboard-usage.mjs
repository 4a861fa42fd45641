#!/usr/bin/env node
// The dashboard's poll: GET /v1/usage recomputes the Overview from the whole request journal on
// every read. This measures it on `keyguard serve` with the journal full (10,000 requests), side by
// side in the same run with GET /v1/rate-limit, the smallest authenticated read that also spends no
// quota (the baseline). Prints requests/s, p50 and p99 of both and the ratio. One connection by
// default, as a dashboard polls (once every 5 s): p50 is then what one poll costs the server.
// Needs a build (npm run build). Local only (127.0.0.1), about 15 s, stops its server.
// Usage: node bench/dashboard-usage.mjs [seconds=5] [connections=1]
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'keyguard.js');
const seconds = Number(process.argv[2] ?? 5);
const connections = Number(process.argv[3] ?? 1);
const JOURNAL_LIMIT = 10_000;

// Enterprise limits high enough that filling the journal is never refused.
const server = spawn(process.execPath, [bin, 'serve', '--port', '0', '--plan', 'enterprise', '--per-hour', '100000000', '--per-minute', '100000000'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const { url, key } = await started(server);
  const headers = { authorization: `Bearer ${key}` };
  await run({ url: `${url}/v1/tasks`, headers, amount: JOURNAL_LIMIT, connections: 20 });
  const report = await (await fetch(`${url}/v1/usage`, { headers })).json();
  console.log(`journal: ${report.last_hour.requests} requests in the last hour (the journal keeps ${JOURNAL_LIMIT})`);

  const baseline = await run({ url: `${url}/v1/rate-limit`, headers, duration: seconds, connections });
  const usage = await run({ url: `${url}/v1/usage`, headers, duration: seconds, connections });
  const line = (name, r) =>
    `${name.padEnd(34)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   non-2xx ${r.non2xx}`;
  console.log(`${connections} connection(s), ${seconds} s each, 127.0.0.1`);
  console.log(line('GET /v1/rate-limit (baseline)', baseline));
  console.log(line('GET /v1/usage (10,000 in journal)', usage));
  console.log(`usage / baseline throughput: ${(usage.requests.average / baseline.requests.average).toFixed(3)}`);
} finally {
  server.kill('SIGTERM');
}

function run(options) {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/** The URL and bootstrap admin key `keyguard serve` prints at start-up. */
function started(child) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text) => {
      out += text;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const key = /Bootstrap admin key \([^)]*\): (sk_\w+)/.exec(out)?.[1];
      if (url && key) resolve({ url, key });
    });
    child.once('exit', (code) => reject(new Error(`keyguard serve exited with ${code}:\n${out}`)));
  });
}
