#!/usr/bin/env node
// Start-up: `keyguard --version`, and `keyguard scan --staged` on a 10-file staged change (what the
// pre-commit hook runs), each against `node -e 0`, alternating in one run. Prints medians of wall time
// and of CPU time (user + system of the process and its children, git included: on a busy machine it
// moves far less than wall time) and the difference to `node -e 0` (targets: 40 ms and 60 ms of wall).
// With --compare DIR, also another built checkout's bin (an earlier commit), in the same rounds.
// Needs a build (npm run build). Local only; cleans up after itself.
// Usage: node bench/startup.mjs [rounds=21] [--compare DIR]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'keyguard.js');
const args = process.argv.slice(2);
const compareAt = args.indexOf('--compare');
const compare = compareAt === -1 ? undefined : join(args.splice(compareAt, 2)[1], 'bin', 'keyguard.js');
const rounds = Number(args[0] ?? 21);
const dir = mkdtempSync(join(tmpdir(), 'keyguard-startup-bench-'));
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: dir };

const tools = [
  { name: 'node -e 0', command: [process.execPath, '-e', '0'] },
  { name: 'keyguard --version', command: [process.execPath, bin, '--version'], target: 40 },
  { name: 'keyguard scan --staged (10 files)', command: [process.execPath, bin, 'scan', '--staged'], target: 60 },
  ...(compare
    ? [
        { name: '--compare: --version', command: [process.execPath, compare, '--version'] },
        { name: '--compare: scan --staged', command: [process.execPath, compare, 'scan', '--staged'] },
      ]
    : []),
];

try {
  const git = (...args) => execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  mkdirSync(join(dir, 'src'));
  // Source files of a few hundred lines, some with `task_` words the prefilter must not trip on.
  const body = Array.from({ length: 300 }, (_, i) => `export const value${i} = fetchTask({ task_id: ${i} });`).join('\n');
  for (let f = 0; f < 10; f++) writeFileSync(join(dir, 'src', `file-${f}.ts`), `${body}\n`);
  git('add', '-A');

  const samples = tools.map(() => ({ wall: [], cpu: [] }));
  for (let round = 0; round <= rounds; round++) {
    tools.forEach((tool, index) => {
      // bash's `times` prints its children's user and system time (to the millisecond) after the command.
      const started = performance.now();
      const out = spawnSync('bash', ['-c', '"$@" >/dev/null 2>&1; code=$?; times; exit $code', 'bench', ...tool.command], { cwd: dir, env, encoding: 'utf8' });
      const wall = performance.now() - started;
      if (out.status !== 0) throw new Error(`${tool.name} exited ${out.status}`);
      const children = out.stdout.trim().split('\n').at(-1).split(/\s+/).map((time) => {
        const [, minutes, seconds] = /^(\d+)m([\d.]+)s$/.exec(time);
        return (Number(minutes) * 60 + Number(seconds)) * 1000;
      });
      if (round === 0) return; // warms the page cache
      samples[index].wall.push(wall);
      samples[index].cpu.push(children[0] + children[1]);
    });
  }

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const base = { wall: median(samples[0].wall), cpu: median(samples[0].cpu) };
  console.log(`${rounds} alternating rounds after a warm-up; medians in ms (bash's own start is outside both figures)`);
  if (compare) console.log(`--compare: ${compare}`);
  console.log(`${'command'.padEnd(36)}${'wall'.padStart(7)}${'+ over node'.padStart(13)}${'CPU'.padStart(7)}${'+ over node'.padStart(13)}  target`);
  tools.forEach((tool, index) => {
    const wall = median(samples[index].wall);
    const cpu = median(samples[index].cpu);
    const over = wall - base.wall;
    const verdict = tool.target === undefined ? '' : `<= ${tool.target} ms over node: ${over <= tool.target ? 'met' : 'NOT met'}`;
    console.log(`${tool.name.padEnd(36)}${wall.toFixed(0).padStart(7)}${(index ? `+${over.toFixed(0)}` : '').padStart(13)}${cpu.toFixed(0).padStart(7)}${(index ? `+${(cpu - base.cpu).toFixed(0)}` : '').padStart(13)}  ${verdict}`);
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
