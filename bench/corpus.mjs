#!/usr/bin/env node
// Generates a large git repository for bench/scan.mjs: source-like text files of mixed
// sizes, a big log, a one-line minified bundle, binaries, an ignored node_modules and a
// few planted keys (random, made here, never committed to keyguard itself).
// Usage: node bench/corpus.mjs [dir=bench/.corpus/tree] [megabytes=220]
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] ?? join(here, '.corpus', 'tree');
const megabytes = Number(process.argv[3] ?? 220);
const PLANTED_KEYS = 40;

// A seeded generator so every run builds the same tree (the planted keys aside).
let seed = 0x9e3779b9;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(random() * list.length)];

const WORDS = ('const let return function async await import export from default if else for while switch case break ' +
  'value result error request response config options handler client server user project items index count total ' +
  'fetch json status headers body params query data list map filter reduce string number boolean promise').split(' ');
// Real code is full of `sk_` inside longer words; the prefilter must not be fooled by them.
const SK_WORDS = ['task_id', 'disk_usage', 'mask_value', 'risk_score', 'desk_name'];

function line() {
  const words = [];
  const n = 3 + Math.floor(random() * 10);
  for (let i = 0; i < n; i++) words.push(random() < 0.0002 ? pick(SK_WORDS) : pick(WORDS));
  return `${'  '.repeat(Math.floor(random() * 4))}${words.join(' ')};`;
}

function text(bytes) {
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const l = line();
    lines.push(l);
    size += l.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

function key() {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let body = '';
  for (let i = 0; i < 32; i++) body += chars[randomInt(chars.length)];
  return `${pick(['sk_live_', 'sk_test_', 'sk_sandbox_'])}${body}`;
}

if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const write = (path, content) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
};

let total = 0;
const budget = megabytes * 1024 * 1024;
write('.gitignore', 'node_modules/\n*.log.tmp\n');
// Big files: a log with many lines, and a minified bundle that is one line.
write('logs/server.log', text(30 * 1024 * 1024));
total += 30 * 1024 * 1024;
write('dist/bundle.min.js', text(8 * 1024 * 1024).replace(/\n/g, ' '));
total += 8 * 1024 * 1024;
let files = 0;
while (total < budget) {
  const size = random() < 0.02 ? 64 * 1024 + Math.floor(random() * 192 * 1024) : 256 + Math.floor(random() * 8 * 1024);
  const path = `src/${Math.floor(files / 400)}/${Math.floor(files / 20) % 20}/file${files}.${pick(['ts', 'js', 'json', 'md', 'yml'])}`;
  if (random() < 0.01) {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i += 7) bytes[i] = Math.floor(random() * 256);
    write(path.replace(/\.\w+$/, '.bin'), bytes);
  } else {
    write(path, text(size));
  }
  total += size;
  files++;
}
// Planted keys, spread over files that already exist.
for (let i = 0; i < PLANTED_KEYS; i++) {
  write(`src/planted/key${i}.ts`, `${text(2048)}export const apiKey = "${key()}";\n`);
}
// Ignored by .gitignore: neither keyguard nor ripgrep reads these.
for (let i = 0; i < 200; i++) write(`node_modules/pkg${i}/index.js`, `module.exports = "${key()}";\n`);

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@localhost', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@localhost' };
execFileSync('git', ['init', '-q'], { cwd: dir });
execFileSync('git', ['add', '-A'], { cwd: dir, env: gitEnv });
execFileSync('git', ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'corpus'], { cwd: dir, env: gitEnv });
console.log(`corpus: ${dir}: ${files + PLANTED_KEYS + 3} files, ${(total / 1024 / 1024).toFixed(0)} MB, ${PLANTED_KEYS} planted keys`);
