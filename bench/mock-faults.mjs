#!/usr/bin/env node
// Benchmark: the standalone mock key API serving real clients while it is attacked.
//
//   npm run build && node bench/mock-faults.mjs [--seconds 12]
//
// One `keyguard serve` child process on 127.0.0.1. autocannon (20 connections) drives an
// authenticated GET /v1/tasks in five phases of one run: clean, then under each attack in turn,
// then clean again. Each attack runs in its own child process (so it does not slow the load
// generator's event loop; it does share the machine's CPUs) and every attacker reconnects when
// cut off:
//   slow clients     300 slowloris connections (a header line a second) + 20 bodies trickling a byte a second
//   endless bodies   4 endless chunked POST bodies + 4 endless bodies on GET, written as fast as possible
//   malformed        a stream of broken requests (unknown method, bad Host, folded header, plain text)
// Printed: throughput, latency and server CPU per request for each phase, each attack's ratio to
// the clean run, and what happened to the attackers. Local only, bounded: about 75 s.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--attack') await attack(process.argv[3], Number(process.argv[4]), process.argv[5]);
else await main();

// ---------------------------------------------------------------- the measuring side

async function main() {
  const { default: autocannon } = await import('autocannon');
  const root = join(dirname(self), '..');
  const secondsAt = process.argv.indexOf('--seconds');
  // A phase must outlast the 10 s headers timeout to see slowloris clients cut off.
  const seconds = Math.max(12, secondsAt === -1 ? 12 : Number(process.argv[secondsAt + 1]) || 12);
  const connections = 20;

  const server = spawn(
    process.execPath,
    ['bin/keyguard.js', 'serve', '--port', '0', '--now', '2025-10-14T10:30:00Z', '--plan', 'enterprise', '--per-hour', '1000000000', '--per-minute', '1000000000'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const out = await new Promise((resolve, reject) => {
    let text = '';
    server.stdout.setEncoding('utf8').on('data', (chunk) => {
      text += chunk;
      if (text.includes('Test control')) resolve(text);
    });
    server.once('exit', (code) => reject(new Error(`keyguard serve exited with ${code}:\n${text}`)));
  });
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)[1];
  const port = new URL(url).port;
  const adminKey = /Bootstrap admin key \([^)]*\): (sk_\w+)/.exec(out)[1];
  const auth = { authorization: `Bearer ${adminKey}` };
  for (const title of ['Rotate keys', 'Audit scopes', 'Ship the mock']) {
    await fetch(`${url}/v1/tasks`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ title }) });
  }

  /** CPU time (user + system, ms) the server has used so far, from /proc; undefined off Linux. */
  const cpuMs = () => {
    try {
      const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      return undefined;
    }
  };
  const measure = async (duration) => {
    const before = cpuMs();
    const result = await autocannon({ url: `${url}/v1/tasks`, connections, duration, headers: auth });
    const after = cpuMs();
    const cpuUs = before === undefined || after === undefined ? undefined : ((after - before) * 1000) / result.requests.total;
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total, failed: result.errors + result.non2xx, cpuUs };
  };
  /** Runs one attack in a child process around a measurement; resolves with both. */
  const underAttack = async (kind) => {
    const attacker = spawn(process.execPath, [self, '--attack', kind, port, adminKey], { stdio: ['ignore', 'pipe', 'inherit'] });
    let report = '';
    attacker.stdout.setEncoding('utf8').on('data', (text) => (report += text));
    const exited = new Promise((resolve) => attacker.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const result = await measure(seconds);
    attacker.kill('SIGTERM');
    await exited;
    return { result, report: report.trimEnd() };
  };

  try {
    await measure(2); // warm-up
    const phases = [['clean', { result: await measure(seconds), report: '' }]];
    for (const kind of ['slow clients', 'endless bodies', 'malformed']) phases.push([kind, await underAttack(kind)]);
    phases.push(['clean again', { result: await measure(seconds), report: '' }]);

    const clean = phases[0][1].result;
    const cpu = (r) => (r.cpuUs === undefined ? '' : `   server CPU ${r.cpuUs.toFixed(0).padStart(4)} µs/req`);
    console.log(`GET /v1/tasks (authenticated), ${connections} connections, ${seconds} s a phase, keyguard serve on 127.0.0.1`);
    for (const [name, { result: r }] of phases) {
      const ratio = name.startsWith('clean') ? '' : `   ${((r.rps / clean.rps) * 100).toFixed(0).padStart(3)}% of clean`;
      console.log(
        `${name.padEnd(15)} ${String(Math.round(r.rps)).padStart(7)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(4)} ms${cpu(r)}   ${r.failed} failed${ratio}`,
      );
    }
    console.log('attackers (each reconnects when cut off):');
    for (const [, { report }] of phases) if (report) console.log(report);
    console.log(`server still running: ${server.exitCode === null ? 'yes' : `no (exit ${server.exitCode})`}`);
  } finally {
    await new Promise((resolve) => {
      server.once('exit', resolve);
      server.kill();
    });
  }
}

// ---------------------------------------------------------------- the attacking side

async function attack(kind, port, adminKey) {
  const outcomes = new Map();
  const sockets = new Set();
  let running = true;

  /** One attacker: connects, sends `head`, keeps misbehaving via `drip`, records how it ended, reconnects. */
  const attacker = (name, head, drip) => {
    if (!running) return;
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    sockets.add(socket);
    let sent = 0;
    let status = '';
    let stopDrip = () => {};
    socket.on('data', (data) => (status ||= data.toString('latin1').split('\r\n')[0]));
    socket.on('error', () => {});
    socket.once('close', () => {
      stopDrip();
      sockets.delete(socket);
      if (!running) return;
      const list = outcomes.get(name) ?? [];
      list.push({ ms: Date.now() - started, bytes: sent, status: status || '(reset or no answer)' });
      outcomes.set(name, list);
      setImmediate(() => attacker(name, head, drip));
    });
    socket.once('connect', () => {
      socket.write(head);
      stopDrip = drip(socket, (n) => (sent += n));
    });
  };
  const every = (text, ms) => (socket, count) => {
    const timer = setInterval(() => {
      if (!socket.writable) return;
      socket.write(text);
      count(text.length);
    }, ms);
    return () => clearInterval(timer);
  };
  const CHUNK = `${(65_536).toString(16)}\r\n${'x'.repeat(65_536)}\r\n`;
  const flood = (socket, count) => {
    const pump = () => {
      while (socket.writable) {
        count(CHUNK.length);
        if (!socket.write(CHUNK)) return void socket.once('drain', pump);
      }
    };
    pump();
    return () => {};
  };
  const once = () => () => {};
  const post = (path, extra) => `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${adminKey}\r\nContent-Type: application/json\r\n${extra}\r\n\r\n`;
  const BROKEN = ['BREW /v1/tasks HTTP/1.1', 'GET /v1/tasks HTTP/1.1\r\nHost: [::1', 'GET /v1/tasks HTTP/1.1\r\nHost: x\r\nX: a\r\n b', 'hello there'];

  if (kind === 'slow clients') {
    for (let i = 0; i < 300; i++) attacker('300 slowloris, a header line a second', 'GET /v1/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\n', every('X-Slow: 1\r\n', 1_000));
    for (let i = 0; i < 20; i++) attacker('20 bodies trickling a byte a second', post('/v1/tasks', 'Content-Length: 100000') + '{"title": "', every('a', 1_000));
  } else if (kind === 'endless bodies') {
    for (let i = 0; i < 4; i++) attacker('4 endless chunked POST bodies', post('/v1/tasks', 'Transfer-Encoding: chunked'), flood);
    const get = `GET /v1/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${adminKey}\r\nTransfer-Encoding: chunked\r\n\r\n`;
    for (let i = 0; i < 4; i++) attacker('4 endless bodies on GET', get, flood);
  } else {
    for (let i = 0; i < 4; i++) attacker('4 streams of malformed requests', `${BROKEN[i]}\r\n\r\n`, once);
  }

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  process.once('SIGTERM', () => {
    running = false;
    for (const socket of sockets) socket.destroy();
    const lines = [];
    for (const [name, list] of outcomes) {
      const statuses = [...new Set(list.map((o) => o.status))].join(', ');
      const bytes = median(list.map((o) => o.bytes));
      const size = bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${bytes} bytes`;
      const sentText = bytes > 0 ? `, a median ${size} written per connection` : '';
      lines.push(`  ${name}: ${list.length} cut off, held a median ${(median(list.map((o) => o.ms)) / 1000).toFixed(1)} s${sentText}; answers: ${statuses}`);
    }
    if (kind === 'slow clients' && !outcomes.has('20 bodies trickling a byte a second')) lines.push('  20 bodies trickling a byte a second: none cut off yet (the request timeout is 30 s)');
    process.stdout.write(`${lines.join('\n')}\n`, () => process.exit(0));
  });
}
