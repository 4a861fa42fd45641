#!/usr/bin/env node
// Benchmark: start-up of the mock, side by side with its anchors, as ratios.
//
//   npm run build && node bench/mock-startup.mjs [--runs 9]
//
// 1. From process start to the first answer: `keyguard serve --port 0` (GET /v1/rate-limit with the
//    bootstrap key it printed) against a bare node:http server started with `node -e` (GET /).
// 2. `await import('keyguard/mock')` against `await import('msw/node')`, each in a fresh process,
//    timed from process start to the import's end.
// Runs alternate between the two sides; medians are printed. Local only, bounded: about 30 s.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--runs');
const RUNS = at === -1 ? 9 : Number(process.argv[at + 1]) || 9;
const BARE = "require('http').createServer((q,s)=>s.end('{}')).listen(0,'127.0.0.1',function(){console.log('listening on http://127.0.0.1:'+this.address().port+'\\nready')})";

/** Milliseconds from spawning `args` until it answers `path` (with the key it printed, if any). */
async function firstAnswer(args, path) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  try {
    const url = await new Promise((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (text) => {
        out += text;
        const found = /listening on (http:\/\/\S+:\d+)/.exec(out)?.[1];
        if (found && /\n.*\n/.test(out.slice(out.indexOf(found)))) resolve(found);
      });
      child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
    });
    const key = /shown once\): (\S+)/.exec(out)?.[1];
    const response = await fetch(`${url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    return performance.now() - started;
  } finally {
    child.kill('SIGKILL');
  }
}

/** Milliseconds from spawning node until `import(specifier)` has finished. */
function importTime(specifier) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(specifier)})`], { cwd: root, stdio: 'inherit' });
    child.once('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`import ${specifier} exited with ${code}`))));
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const bare = [];
const serve = [];
const msw = [];
const mock = [];
for (let i = 0; i < RUNS; i++) {
  bare.push(await firstAnswer(['-e', BARE], '/'));
  serve.push(await firstAnswer([join(root, 'bin/keyguard.js'), 'serve', '--port', '0'], '/v1/rate-limit'));
  msw.push(await importTime('msw/node'));
  mock.push(await importTime('keyguard/mock'));
}
const row = (name, value, anchor) => console.log(`  ${name.padEnd(34)} ${value.toFixed(0).padStart(5)} ms${anchor ? `  ${(value / anchor).toFixed(2)}x` : ''}`);
console.log(`Start-up, medians of ${RUNS} alternating runs:`);
row('bare node:http, first answer', median(bare));
row('keyguard serve, first answer', median(serve), median(bare));
row("import('msw/node')", median(msw));
row("import('keyguard/mock')", median(mock), median(msw));
