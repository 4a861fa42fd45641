#!/usr/bin/env node
// Benchmark: what one change costs keyguard serve --state at 10 and at 10,000 keys, side by side.
//
//   npm run build && node bench/mock-state.mjs [--changes 300]
//
// Starts two `keyguard serve --state FILE --seed SEED` child processes on 127.0.0.1, seeded with 10
// and with 10,000 fixture keys, then makes the same sequential changes (create a task) on both,
// alternating between them (and which goes first), so a busy machine slows both alike. Reports the
// median and 90th percentile of each change's round trip, fsync included, and the server's CPU time
// per change (all its threads, Linux /proc), which moves less on a shared machine. The log makes a
// change cost its own size: both ratios 10,000 : 10 should stay near 1. Local only, bounded: ~30 s.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuOf } from './child-cpu.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--changes');
const CHANGES = at === -1 ? 300 : Number(process.argv[at + 1]) || 300;
const WARM_UP = 30;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomKey = () => `sk_test_${[...randomBytes(32)].map((b) => BASE62[b % 62]).join('')}`;

/** A `keyguard serve --state` child seeded with `keys` keys: its URL, admin key and pid. */
async function start(keys, dir) {
  const admin = randomKey();
  const seed = { plan: 'enterprise', rate_limit: { per_hour: 1e9, per_minute: 1e9 }, keys: [{ key: admin, name: 'admin', permissions: ['admin:*'] }] };
  for (let i = 1; i < keys; i++) seed.keys.push({ key: randomKey(), name: `key ${i}` });
  writeFileSync(join(dir, `seed-${keys}.json`), JSON.stringify(seed));
  const args = [join(root, 'bin/keyguard.js'), 'serve', '--port', '0', '--seed', join(dir, `seed-${keys}.json`), '--state', join(dir, `state-${keys}.json`)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (text) => {
      out += text;
      const found = /listening on (http:\/\/\S+:\d+)/.exec(out)?.[1];
      if (found && out.includes('Test control')) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  return { keys, url, admin, child, times: [], cpu: 0 };
}

async function change(server, i) {
  const started = performance.now();
  const response = await fetch(`${server.url}/v1/tasks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: `t${i}` }),
  });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`create answered ${response.status}`);
  return performance.now() - started;
}

const dir = mkdtempSync(join(tmpdir(), 'keyguard-bench-state-'));
const servers = [];
try {
  servers.push(await start(10, dir), await start(10_000, dir));
  for (let i = 0; i < WARM_UP; i++) for (const server of servers) await change(server, i);
  const cpuBefore = servers.map((server) => cpuOf(server.child.pid));
  for (let i = 0; i < CHANGES; i++) {
    for (const server of i % 2 === 0 ? servers : [...servers].reverse()) server.times.push(await change(server, i));
  }
  servers.forEach((server, index) => (server.cpu = (cpuOf(server.child.pid) - cpuBefore[index]) / CHANGES));
} finally {
  for (const server of servers) server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}

const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(values.length * q)];
const [small, large] = servers.map((server) => ({ ...server, median: quantile(server.times, 0.5), p90: quantile(server.times, 0.9) }));
console.log(`--state change (create a task, fsync included), ${CHANGES} sequential changes per server, alternating:`);
for (const s of [small, large]) {
  console.log(`  ${s.keys.toLocaleString('en').padStart(6)} keys: median ${s.median.toFixed(2)} ms, p90 ${s.p90.toFixed(2)} ms, server CPU ${s.cpu.toFixed(2)} ms per change`);
}
console.log(`  ratio 10,000 : 10 = ${(large.median / small.median).toFixed(2)}x (median round trip), ${(large.cpu / small.cpu).toFixed(2)}x (server CPU)`);
