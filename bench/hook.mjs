#!/usr/bin/env node
// Hook latency: a whole `git commit` of a 10-file change with the pre-commit hook that
// `keyguard init` installs (husky -> node_modules/.bin/keyguard scan --staged) against the same
// commit with --no-verify, alternating, in one run. Prints both medians and the overhead
// (target: at most 150 ms). Needs a build (npm run build). Local only; cleans up after itself.
// Usage: node bench/hook.mjs [rounds=21]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'keyguard.js');
const rounds = Number(process.argv[2] ?? 21);
const FILES = 10;

const dir = mkdtempSync(join(tmpdir(), 'keyguard-hook-bench-'));
// No global or system git config of this machine, no husky init script: only the hook under test.
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: dir, XDG_CONFIG_HOME: join(dir, '.config') };
const git = (...args) => execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });

try {
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Bench');
  git('config', 'user.email', 'bench@example.test');
  writeFileSync(join(dir, 'package.json'), '{ "name": "bench", "private": true }\n');
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(bin, join(dir, 'node_modules', '.bin', 'keyguard'));
  execFileSync('node', [bin, 'init'], { cwd: dir, env, stdio: 'ignore' });
  mkdirSync(join(dir, 'src'));
  // Source files of a few hundred lines, some with `task_` words the prefilter must not trip on.
  const body = (n) => Array.from({ length: 300 }, (_, i) => `export const value${i} = fetchTask({ task_id: ${i}, round: ${n} });`).join('\n');
  for (let f = 0; f < FILES; f++) writeFileSync(join(dir, 'src', `file-${f}.ts`), `${body(0)}\n`);
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', 'base');

  const withHook = [];
  const without = [];
  // CPU time of the whole commit (git, sh, node), through GNU time when it is there: on a busy
  // machine it moves far less than wall time.
  const cpuTimer = spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status === 0 ? '/usr/bin/time' : undefined;
  const nodeStart = [];
  const cpuWith = [];
  const cpuWithout = [];
  for (let round = 1; round <= rounds * 2; round++) {
    for (let f = 0; f < FILES; f++) writeFileSync(join(dir, 'src', `file-${f}.ts`), `${body(round)}\n`);
    git('add', '-A');
    const hooked = round % 2 === 1;
    const commit = ['git', 'commit', '-q', '-m', `round ${round}`, ...(hooked ? [] : ['--no-verify'])];
    const started = performance.now();
    const out = cpuTimer ? spawnSync(cpuTimer, ['-f', '%U %S', ...commit], { cwd: dir, env, encoding: 'utf8' }) : spawnSync(commit[0], commit.slice(1), { cwd: dir, env, encoding: 'utf8' });
    const ms = performance.now() - started;
    if (out.status !== 0) throw new Error(`commit failed: ${out.stdout}${out.stderr}`);
    (hooked ? withHook : without).push(ms);
    // A bare Node start in the same rounds: the yardstick for how busy the machine is.
    const bare = performance.now();
    spawnSync('node', ['-e', '0']);
    nodeStart.push(performance.now() - bare);
    if (cpuTimer) {
      const [user, system] = out.stderr.trim().split('\n').at(-1).split(' ').map(Number);
      (hooked ? cpuWith : cpuWithout).push((user + system) * 1000);
    }
  }

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const overhead = median(withHook) - median(without);
  console.log(`git commit of a ${FILES}-file change, ${rounds} alternating rounds each`);
  console.log(`with the keyguard hook     median ${median(withHook).toFixed(0)} ms  (min ${Math.min(...withHook).toFixed(0)})`);
  console.log(`--no-verify (no hook)      median ${median(without).toFixed(0)} ms  (min ${Math.min(...without).toFixed(0)})`);
  console.log(`median overhead of the hook: ${overhead.toFixed(0)} ms (target <= 150 ms)`);
  console.log(`bare node -e 0 in the same rounds: median ${median(nodeStart).toFixed(0)} ms (about 55 ms on an idle machine)`);
  if (cpuTimer) console.log(`CPU time (user+sys of git and its hook): with ${median(cpuWith).toFixed(0)} ms, without ${median(cpuWithout).toFixed(0)} ms, overhead ${(median(cpuWith) - median(cpuWithout)).toFixed(0)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
