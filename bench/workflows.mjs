#!/usr/bin/env node
// Team workflows, whole-process timings side by side with their baselines in one run
// (alternating rounds, medians):
//   hook:   `scan --staged` of a 10-file change, bare vs with keyguard.config.json (ignore +
//           3 allow regexes, which loads RE2) and a 500-entry baseline;
//   tree:   `scan` of 2,000 files holding 500 keys, bare vs the same config + baseline hiding all 500;
//   verify: `scan` of 200 distinct keys, bare vs `--verify` against `keyguard serve` on 127.0.0.1.
// Needs a build (npm run build). Local only; cleans up after itself.
// Usage: node bench/workflows.mjs [rounds=11]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'keyguard.js');
const rounds = Number(process.argv[2] ?? 11);
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const key = (prefix) => prefix + Array.from({ length: 32 }, () => BASE62[randomInt(62)]).join('');

const root = mkdtempSync(join(tmpdir(), 'keyguard-workflows-bench-'));
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', HOME: root };
let server;

function repo(name) {
  const dir = join(root, name);
  mkdirSync(dir);
  const git = (...args) => execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Bench');
  git('config', 'user.email', 'bench@example.test');
  return { dir, git };
}

function write(dir, path, text) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** Milliseconds of one whole `keyguard` process; the exit code must be one of `ok`. */
function time(cwd, args, ok = [0, 1]) {
  const started = process.hrtime.bigint();
  const out = spawnSync('node', [bin, ...args], { cwd, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (!ok.includes(out.status)) throw new Error(`keyguard ${args.join(' ')} exited ${out.status}: ${out.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Alternates the two variants so drift on a shared machine hits both alike. */
function compare(label, base, variant) {
  const a = [];
  const b = [];
  for (let round = 0; round < rounds; round++) {
    a.push(base());
    b.push(variant());
  }
  const [ma, mb] = [median(a), median(b)];
  console.log(`${label.padEnd(8)} baseline ${ma.toFixed(0).padStart(5)} ms   variant ${mb.toFixed(0).padStart(5)} ms   ratio ${(mb / ma).toFixed(2)}   (+${(mb - ma).toFixed(0)} ms)`);
}

const CONFIG = JSON.stringify({ ignore: ['fixtures/**', '*.snap'], allow: ['^sk_test_DEMO', '^sk_live_EXAMPLE[0-9]+', '(?i)^sk_sandbox_fixture'] });

try {
  // hook: a 10-file staged change, one key among ordinary code.
  const hook = repo('hook');
  const code = Array.from({ length: 300 }, (_, i) => `export const value${i} = fetchTask({ task_id: ${i} });`).join('\n');
  for (let f = 0; f < 10; f++) write(hook.dir, `src/file-${f}.ts`, `${code}\n`);
  hook.git('add', '-A');
  hook.git('commit', '-q', '-m', 'base');
  for (let f = 0; f < 10; f++) write(hook.dir, `src/file-${f}.ts`, `${code}\n// change\n`);
  write(hook.dir, 'src/file-0.ts', `${code}\nexport const k = '${key('sk_live_')}';\n`);
  hook.git('add', '-A');
  const hookWith = repo('hook-config');
  for (let f = 0; f < 10; f++) write(hookWith.dir, `src/file-${f}.ts`, `${code}\n`);
  write(hookWith.dir, 'keyguard.config.json', CONFIG);
  hookWith.git('add', '-A');
  hookWith.git('commit', '-q', '-m', 'base');
  for (let i = 0; i < 500; i++) write(hookWith.dir, `legacy/k${i}.ts`, `k = '${key('sk_test_')}';\n`);
  time(hookWith.dir, ['baseline']);
  for (let f = 0; f < 10; f++) write(hookWith.dir, `src/file-${f}.ts`, `${code}\n// change\n`);
  write(hookWith.dir, 'src/file-0.ts', `${code}\nexport const k = '${key('sk_live_')}';\n`);
  hookWith.git('add', 'src');
  compare('hook', () => time(hook.dir, ['scan', '--staged']), () => time(hookWith.dir, ['scan', '--staged']));

  // tree: 2,000 files, 500 keys.
  const tree = repo('tree');
  for (let f = 0; f < 2000; f++) write(tree.dir, `src/m${f % 40}/f${f}.ts`, `${code}\n${f % 4 === 0 ? `export const k = '${key('sk_live_')}';\n` : ''}`);
  tree.git('add', '-A');
  tree.git('commit', '-q', '-m', 'tree');
  const treeWith = repo('tree-config');
  execFileSync('cp', ['-r', join(tree.dir, 'src'), treeWith.dir]);
  write(treeWith.dir, 'keyguard.config.json', CONFIG);
  time(treeWith.dir, ['baseline']);
  compare('tree', () => time(tree.dir, ['scan']), () => time(treeWith.dir, ['scan'], [0]));

  // verify: 200 distinct keys against the mock key API.
  const verify = repo('verify');
  for (let i = 0; i < 200; i++) write(verify.dir, `k${i}.ts`, `k = '${key('sk_test_')}';\n`);
  server = spawn('node', [bin, 'serve', '--port', '0', '--env', 'test'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    server.stdout.on('data', (chunk) => {
      seen += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) resolve(match[1]);
    });
    server.once('exit', (code) => reject(new Error(`keyguard serve exited ${code}`)));
  });
  compare('verify', () => time(verify.dir, ['scan']), () => time(verify.dir, ['scan', '--verify', url]));
} finally {
  server?.kill();
  rmSync(root, { recursive: true, force: true });
}
