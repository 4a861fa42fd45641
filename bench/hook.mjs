#!/usr/bin/env node
// Hook latency: a whole `git commit` of a 10-file change (3,000 changed lines, each with a `task_`
// word the prefilter must not trip on) with the pre-commit hook that `keyguard init` installs
// (husky -> node_modules/.bin/keyguard scan --staged) against the same commit with --no-verify,
// alternating, in one run. Prints a table of medians of wall and CPU time (user + system of git, the
// hook's shells and keyguard: on a busy machine it moves far less than wall time), the overhead
// (target: at most 150 ms of wall) and the ratio, and a bare `node -e 0` timed in the same rounds as a
// yardstick of how busy the machine is. With --compare DIR, the hook also runs another built
// checkout's bin (an earlier commit) in the same rounds. Needs a build (npm run build). Local only;
// cleans up after itself.
// Usage: node bench/hook.mjs [rounds=21] [--compare DIR]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'keyguard.js');
const args = process.argv.slice(2);
const compareAt = args.indexOf('--compare');
const compare = compareAt === -1 ? undefined : join(args.splice(compareAt, 2)[1], 'bin', 'keyguard.js');
const rounds = Number(args[0] ?? 21);
const FILES = 10;
const TARGET_MS = 150;

const dir = mkdtempSync(join(tmpdir(), 'keyguard-hook-bench-'));
// No global or system git config of this machine, no husky init script: only the hook under test.
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: dir, XDG_CONFIG_HOME: join(dir, '.config') };
const git = (...gitArgs) => execFileSync('git', gitArgs, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
const hookBin = join(dir, 'node_modules', '.bin', 'keyguard');
/** Points the installed bin, which the hook runs, at `target`. */
const install = (target) => {
  rmSync(hookBin, { force: true });
  symlinkSync(target, hookBin);
};

const variants = [
  { name: 'git commit --no-verify', flags: ['--no-verify'] },
  { name: 'git commit, keyguard hook', flags: [], bin },
  ...(compare ? [{ name: 'git commit, --compare hook', flags: [], bin: compare }] : []),
];

try {
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Bench');
  git('config', 'user.email', 'bench@example.test');
  writeFileSync(join(dir, 'package.json'), '{ "name": "bench", "private": true }\n');
  mkdirSync(dirname(hookBin), { recursive: true });
  install(bin);
  execFileSync('node', [bin, 'init'], { cwd: dir, env, stdio: 'ignore' });
  mkdirSync(join(dir, 'src'));
  const body = (n) => Array.from({ length: 300 }, (_, i) => `export const value${i} = fetchTask({ task_id: ${i}, round: ${n} });`).join('\n');
  for (let f = 0; f < FILES; f++) writeFileSync(join(dir, 'src', `file-${f}.ts`), `${body(0)}\n`);
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', 'base');

  // CPU time of the whole commit (git, sh, node), through GNU time when it is there.
  const cpuTimer = spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status === 0 ? '/usr/bin/time' : undefined;
  const samples = variants.map(() => ({ wall: [], cpu: [] }));
  const nodeStart = [];
  let change = 0;
  for (let round = 1; round <= rounds; round++) {
    variants.forEach((variant, index) => {
      change++;
      for (let f = 0; f < FILES; f++) writeFileSync(join(dir, 'src', `file-${f}.ts`), `${body(change)}\n`);
      git('add', '-A');
      if (variant.bin) install(variant.bin);
      const commit = ['git', 'commit', '-q', '-m', `change ${change}`, ...variant.flags];
      const started = performance.now();
      const out = cpuTimer ? spawnSync(cpuTimer, ['-f', '%U %S', ...commit], { cwd: dir, env, encoding: 'utf8' }) : spawnSync(commit[0], commit.slice(1), { cwd: dir, env, encoding: 'utf8' });
      const wall = performance.now() - started;
      if (out.status !== 0) throw new Error(`commit failed: ${out.stdout}${out.stderr}`);
      samples[index].wall.push(wall);
      if (cpuTimer) {
        const [user, system] = out.stderr.trim().split('\n').at(-1).split(' ').map(Number);
        samples[index].cpu.push((user + system) * 1000);
      }
    });
    // A bare Node start in the same rounds: the yardstick for how busy the machine is.
    const bare = performance.now();
    spawnSync('node', ['-e', '0']);
    nodeStart.push(performance.now() - bare);
  }

  const median = (values) => (values.length === 0 ? NaN : [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
  const anchor = { wall: median(samples[0].wall), cpu: median(samples[0].cpu) };
  console.log(`git commit of a ${FILES}-file change (${FILES * 300} lines changed), ${rounds} alternating rounds; medians in ms`);
  if (compare) console.log(`--compare: ${compare}`);
  const columns = ['wall', 'min', 'overhead', 'ratio', 'CPU', 'overhead'];
  console.log(`${''.padEnd(28)}${columns.map((column) => column.padStart(9)).join('')}  target`);
  variants.forEach((variant, index) => {
    const wall = median(samples[index].wall);
    const cpu = median(samples[index].cpu);
    const over = wall - anchor.wall;
    const cells =
      index === 0
        ? [wall.toFixed(0), Math.min(...samples[index].wall).toFixed(0), '', '', cpu.toFixed(0), '']
        : [wall.toFixed(0), Math.min(...samples[index].wall).toFixed(0), `+${over.toFixed(0)}`, `${(wall / anchor.wall).toFixed(2)}x`, cpu.toFixed(0), `+${(cpu - anchor.cpu).toFixed(0)}`];
    const verdict = index === 0 ? 'anchor' : `overhead <= ${TARGET_MS} ms: ${over <= TARGET_MS ? 'met' : 'NOT met'}`;
    console.log(`${variant.name.padEnd(28)}${cells.map((cell) => cell.padStart(9)).join('')}  ${verdict}`);
  });
  console.log(`${'node -e 0, same rounds'.padEnd(28)}${median(nodeStart).toFixed(0).padStart(9)}  (about 55-80 ms on an idle machine: far above, the machine is busy)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
