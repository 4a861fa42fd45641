#!/usr/bin/env node
// Start-up: `keyguard --version`, and `keyguard scan --staged` on a 10-file change staged in a repository
// with history (what the pre-commit hook runs on an ordinary commit; the same files and change as
// bench/hook.mjs), each against `node -e 0`, alternating in one run. Also, without a target, the same
// scan before a repository's first commit (no HEAD: one more git process), and `keyguard scan` of that
// repository's tree (the same 10 files: what a tree scan pays to start, its parser and chunks included).
// Prints a table of medians of wall time and of CPU time (user + system of the process and its children,
// git included: on a busy machine it moves far less than wall time), the difference to `node -e 0`
// (targets: 40 ms and 60 ms of wall) and the ratio. With --compare DIR, also another built checkout's
// bin (an earlier commit), in the same rounds. Needs a build (npm run build). Local only; cleans up after
// itself.
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
const FILES = 10;

// Source files of a few hundred lines, each with a `task_` word the prefilter must not trip on.
const body = (n) => Array.from({ length: 300 }, (_, i) => `export const value${i} = fetchTask({ task_id: ${i}, round: ${n} });`).join('\n');

/** A repository in `dir/name` with 10 files staged: over a commit of their earlier version, or as its first commit. */
function stagedRepository(name, { firstCommit }) {
  const cwd = join(dir, name);
  mkdirSync(join(cwd, 'src'), { recursive: true });
  const git = (...gitArgs) => execFileSync('git', gitArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  const write = (round) => {
    for (let f = 0; f < FILES; f++) writeFileSync(join(cwd, 'src', `file-${f}.ts`), `${body(round)}\n`);
  };
  if (!firstCommit) {
    write(0);
    git('add', '-A');
    git('-c', 'user.name=Bench', '-c', 'user.email=bench@example.test', 'commit', '-q', '--no-verify', '-m', 'base');
  }
  write(1);
  git('add', '-A');
  return cwd;
}

const repo = stagedRepository('repo', { firstCommit: false });
const unborn = stagedRepository('first-commit', { firstCommit: true });
const tools = [
  { name: 'node -e 0', command: [process.execPath, '-e', '0'], cwd: repo },
  { name: 'keyguard --version', command: [process.execPath, bin, '--version'], cwd: repo, target: 40 },
  { name: `keyguard scan --staged (${FILES} files)`, command: [process.execPath, bin, 'scan', '--staged'], cwd: repo, target: 60 },
  { name: '  the same, as the first commit', command: [process.execPath, bin, 'scan', '--staged'], cwd: unborn },
  { name: 'keyguard scan (its tree)', command: [process.execPath, bin, 'scan'], cwd: repo },
  ...(compare
    ? [
        { name: '--compare: --version', command: [process.execPath, compare, '--version'], cwd: repo },
        { name: '--compare: scan --staged', command: [process.execPath, compare, 'scan', '--staged'], cwd: repo },
        { name: '--compare: scan (its tree)', command: [process.execPath, compare, 'scan'], cwd: repo },
      ]
    : []),
];

try {
  const samples = tools.map(() => ({ wall: [], cpu: [] }));
  for (let round = 0; round <= rounds; round++) {
    tools.forEach((tool, index) => {
      // bash's `times` prints its children's user and system time (to the millisecond) after the command.
      const started = performance.now();
      const out = spawnSync('bash', ['-c', '"$@" >/dev/null 2>&1; code=$?; times; exit $code', 'bench', ...tool.command], { cwd: tool.cwd, env, encoding: 'utf8' });
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
  const signed = (ms) => `${ms < 0 ? '' : '+'}${ms.toFixed(0)}`;
  const base = { wall: median(samples[0].wall), cpu: median(samples[0].cpu) };
  console.log(`${rounds} alternating rounds after a warm-up; medians in ms (bash's own start is outside every figure)`);
  if (compare) console.log(`--compare: ${compare}`);
  const columns = ['wall', '+ node', 'x node', 'CPU', '+ node'];
  console.log(`${'command'.padEnd(38)}${columns.map((column) => column.padStart(8)).join('')}  target (wall over node -e 0)`);
  tools.forEach((tool, index) => {
    const wall = median(samples[index].wall);
    const cpu = median(samples[index].cpu);
    const over = wall - base.wall;
    const cells = index === 0 ? [wall.toFixed(0), '', '', cpu.toFixed(0), ''] : [wall.toFixed(0), signed(over), `${(wall / base.wall).toFixed(2)}x`, cpu.toFixed(0), signed(cpu - base.cpu)];
    const verdict = tool.target === undefined ? (index === 0 ? 'anchor' : '') : `<= ${tool.target} ms: ${over <= tool.target ? 'met' : 'NOT met'}`;
    console.log(`${tool.name.padEnd(38)}${cells.map((cell) => cell.padStart(8)).join('')}  ${verdict}`);
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
