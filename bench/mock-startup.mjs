#!/usr/bin/env node
// Benchmark: start-up of the mock, side by side with its anchors, as ratios.
//
//   npm run build && node bench/mock-startup.mjs [--runs 15]
//
// 1. From process start to the first answer: `keyguard serve --port 0` (GET /v1/rate-limit with the
//    bootstrap key it printed) against a bare node:http server started with `node -e` (GET /).
// 2. `await import('keyguard/mock')` against `await import('msw/node')`, each in a fresh process,
//    timed from process start to the import's end.
// Runs alternate between the sides, so a busy machine slows both alike; medians are printed. Wall
// time is the measure; CPU time (every thread of the child, until the answer or the import's end)
// is printed beside it, as it moves less when other processes share the machine. Local only,
// bounded: about 3 s per run.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuOf } from './child-cpu.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--runs');
const RUNS = at === -1 ? 15 : Number(process.argv[at + 1]) || 15;
const BARE = "require('http').createServer((q,s)=>s.end('{}')).listen(0,'127.0.0.1',function(){console.log('listening on http://127.0.0.1:'+this.address().port+'\\nready')})";

/** From spawning `args` until it answers `path` (with the key it printed, if any): wall and CPU ms. */
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
    return { wall: performance.now() - started, cpu: cpuOf(child.pid) };
  } finally {
    child.kill('SIGKILL');
  }
}

/** From spawning node until `import(specifier)` has finished: wall and CPU ms. */
function importTime(specifier) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const script = `await import(${JSON.stringify(specifier)}); const u = process.cpuUsage(); console.log((u.user + u.system) / 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (text) => (out += text));
    child.once('exit', (code) => {
      if (code === 0) resolve({ wall: performance.now() - started, cpu: Number(out) });
      else reject(new Error(`import ${specifier} exited with ${code}`));
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sides = { bare: [], serve: [], msw: [], mock: [] };
for (let i = 0; i < RUNS; i++) {
  sides.bare.push(await firstAnswer(['-e', BARE], '/'));
  sides.serve.push(await firstAnswer([join(root, 'bin/keyguard.js'), 'serve', '--port', '0'], '/v1/rate-limit'));
  sides.msw.push(await importTime('msw/node'));
  sides.mock.push(await importTime('keyguard/mock'));
}
const wall = (side) => median(sides[side].map((run) => run.wall));
const cpu = (side) => median(sides[side].map((run) => run.cpu));
const row = (name, side, anchor) => {
  const cell = (measure) => `${measure(side).toFixed(0).padStart(5)} ms ${(anchor ? `${(measure(side) / measure(anchor)).toFixed(2)}x` : '').padStart(7)}`;
  console.log(`  ${name.padEnd(30)} ${cell(wall)}   ${cell(cpu)}`);
};
console.log(`Start-up, medians of ${RUNS} alternating runs (wall, then CPU):`);
row('bare node:http, first answer', 'bare');
row('keyguard serve, first answer', 'serve', 'bare');
row("import('msw/node')", 'msw');
row("import('keyguard/mock')", 'mock', 'msw');
console.log('Targets: serve <= 2.50x bare node:http; keyguard/mock <= 1.40x msw/node (wall).');
