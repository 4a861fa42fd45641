#!/usr/bin/env node
// Benchmark: what one change costs keyguard serve --state at 10 and at 10,000 keys, side by side.
//
//   npm run build && node bench/mock-state.mjs [--changes 200]
//
// Each run starts `keyguard serve --state FILE --seed SEED` as a child process on 127.0.0.1 with a
// seed of N fixture keys, then makes the same sequential changes (create a task) and reports the
// median and 90th percentile of each change's round trip, fsync included. The log makes a change
// cost its own size: the ratio 10,000 : 10 should stay near 1. Local only, bounded: about 20 s.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--changes');
const CHANGES = at === -1 ? 200 : Number(process.argv[at + 1]) || 200;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomKey = () => `sk_test_${[...randomBytes(32)].map((b) => BASE62[b % 62]).join('')}`;

async function measure(keys) {
  const dir = mkdtempSync(join(tmpdir(), 'keyguard-bench-state-'));
  const admin = randomKey();
  const seed = { plan: 'enterprise', rate_limit: { per_hour: 1e9, per_minute: 1e9 }, keys: [{ key: admin, name: 'admin', permissions: ['admin:*'] }] };
  for (let i = 1; i < keys; i++) seed.keys.push({ key: randomKey(), name: `key ${i}` });
  writeFileSync(join(dir, 'seed.json'), JSON.stringify(seed));
  const child = spawn(process.execPath, [join(root, 'bin/keyguard.js'), 'serve', '--port', '0', '--seed', join(dir, 'seed.json'), '--state', join(dir, 'state.json')], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (text) => {
      out += text;
      const found = /listening on (http:\/\/\S+:\d+)/.exec(out)?.[1];
      if (found && out.includes('Test control')) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  const times = [];
  try {
    for (let i = 0; i < CHANGES; i++) {
      const started = performance.now();
      const response = await fetch(`${url}/v1/tasks`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: `t${i}` }) });
      await response.arrayBuffer();
      if (response.status !== 201) throw new Error(`create answered ${response.status}`);
      times.push(performance.now() - started);
    }
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)] };
}

const small = await measure(10);
const large = await measure(10_000);
console.log(`--state change (create a task, fsync included), ${CHANGES} sequential changes:`);
console.log(`      10 keys: median ${small.median.toFixed(2)} ms, p90 ${small.p90.toFixed(2)} ms`);
console.log(`  10,000 keys: median ${large.median.toFixed(2)} ms, p90 ${large.p90.toFixed(2)} ms`);
console.log(`  ratio 10,000 : 10 = ${(large.median / small.median).toFixed(2)}x (median)`);
