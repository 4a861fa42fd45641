#!/usr/bin/env node
// `keyguard scan --history` against `git log -p --all | rg <the same key regex>` on a repository's
// whole history, alternating in one run. The repository is a real one named with --repo (a clone of
// any project), or else one generated here of 12,000+ commits (main and five branches; keys added,
// later removed, re-added). Prints wall times, throughput over git's patch output, the ratio of wall
// times and keyguard's own peak RSS on the whole history and on its last 1,000 commits (flat memory:
// both about the same). Linux (reads /proc), needs ripgrep (apt-get install -y ripgrep) and a build
// (npm run build). Local only.
// Usage: node bench/history.mjs [--repo DIR] [commits=12000] [rounds=5] (and a warm-up round)
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'keyguard.js');
const args = process.argv.slice(2);
const repoAt = args.indexOf('--repo');
const named = repoAt === -1 ? undefined : resolve(args.splice(repoAt, 2)[1]);
const commits = Number(args[0] ?? 12000);
const rounds = Number(args[1] ?? 5);
const repo = named ?? join(here, '.work', `history-${commits}`);
// An ASCII word boundary: ripgrep's default \b is Unicode-aware and several times slower on text that is not ASCII.
const REGEX = String.raw`(?-u:\b)sk_(live|sandbox|test)_[A-Za-z0-9]{16,}`;

if (spawnSync('rg', ['--version']).error) throw new Error('ripgrep is missing: apt-get install -y ripgrep');
if (!named && !existsSync(join(repo, '.git'))) await generate();

const patchBytes = Number(execFileSync('sh', ['-c', 'git log -p --all | wc -c'], { cwd: repo }).toString().trim());
const baseline = [];
const keyguard = [];
let found = '';
// Round 0 warms the page cache and is not counted.
for (let round = 0; round <= rounds; round++) {
  const pipeline = await timed('sh', ['-c', `git log -p --all | rg -c '${REGEX}'`]);
  const run = await timed('node', [bin, 'scan', '--history', '--format', 'json']);
  if (round === 0) continue;
  baseline.push(pipeline.seconds);
  keyguard.push(run.seconds);
  found = `${JSON.parse(run.stdout).findings.length} findings`;
}
// The last 1,000 commits, or as many as a shorter history has.
const recent = Math.min(1000, Number(execFileSync('git', ['rev-list', '--first-parent', '--count', 'HEAD'], { cwd: repo }).toString().trim()) - 1);
const lastThousand = await timed('node', [bin, 'scan', '--range', `HEAD~${recent}..HEAD`, '--format', 'json']);
const whole = await timed('node', [bin, 'scan', '--history', '--format', 'json']);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mbps = (seconds) => (patchBytes / 1024 / 1024 / seconds).toFixed(1);
const count = execFileSync('git', ['rev-list', '--all', '--count'], { cwd: repo }).toString().trim();
console.log(`\nnode bench/history.mjs ${process.argv.slice(2).join(' ')}\nrepository: ${repo}: ${count} commits, git log -p --all = ${(patchBytes / 1024 / 1024).toFixed(1)} MiB; ${rounds} alternating rounds after a warm-up round`);
console.log(`git log -p --all | rg       median ${median(baseline).toFixed(2)} s  (${mbps(median(baseline))} MiB/s)  runs ${baseline.map((s) => s.toFixed(2)).join(' ')}`);
console.log(`keyguard scan --history     median ${median(keyguard).toFixed(2)} s  (${mbps(median(keyguard))} MiB/s)  runs ${keyguard.map((s) => s.toFixed(2)).join(' ')}  ${found}`);
const ratio = median(keyguard) / median(baseline);
console.log(`wall time keyguard / pipeline: ${ratio.toFixed(2)}x (target <= 1.2x: ${ratio <= 1.2 ? 'met' : 'NOT met'})`);
console.log(`keyguard peak RSS (node, without git's own): --history over ${count} commits ${whole.peakMiB} MiB; --range HEAD~${recent}..HEAD ${lastThousand.peakMiB} MiB`);

/**
 * Wall time of one whole process, and its own peak RSS (VmHWM, polled from /proc): git's
 * memory is git's, the same for both sides, so it is left out.
 */
async function timed(command, args) {
  const started = performance.now();
  const child = spawn(command, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
  let peakKiB = 0;
  const poll = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
    } catch {
      // The process just ended.
    }
  }, 20);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(poll);
  if (code !== 0 && code !== 1) throw new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`);
  return { seconds: (performance.now() - started) / 1000, peakMiB: (peakKiB / 1024).toFixed(0), stdout };
}

/** Builds the repository through one `git fast-import` stream: seconds, not the minutes of 12,000 `git commit`s. */
async function generate() {
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  const importer = spawn('git', ['fast-import', '--quiet'], { cwd: repo, stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise((resolve, reject) => importer.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`fast-import exited ${code}`)))));
  const write = (text) => (importer.stdin.write(text) ? undefined : new Promise((resolve) => importer.stdin.once('drain', resolve)));

  let seed = 0x2545f491;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const words = 'const let return value result error request response config options handler client task_id items fetch json status headers'.split(' ');
  const codeLine = () => `${'  '.repeat(Math.floor(random() * 3))}${Array.from({ length: 3 + Math.floor(random() * 9) }, () => words[Math.floor(random() * words.length)]).join(' ')};`;
  const key = () => `sk_live_${Array.from({ length: 32 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[randomInt(62)]).join('')}`;

  const files = Array.from({ length: 400 }, () => Array.from({ length: 40 + Math.floor(random() * 160) }, codeLine));
  const branches = [{ name: 'main', commits: commits - 1000 }, ...Array.from({ length: 5 }, (_, i) => ({ name: `feature-${i}`, commits: 200 }))];
  let mark = 0;
  let time = 1_600_000_000;
  let mainTip = 0;
  for (const branch of branches) {
    let parent = branch.name === 'main' ? 0 : Math.max(1, mainTip - Math.floor(random() * 2000));
    for (let n = 0; n < branch.commits; n++) {
      const changes = [];
      for (let f = 1 + Math.floor(random() * 3); f > 0; f--) {
        const index = Math.floor(random() * files.length);
        const lines = files[index];
        const at = Math.floor(random() * lines.length);
        lines.splice(at, Math.floor(random() * 4), ...Array.from({ length: 1 + Math.floor(random() * 8) }, codeLine));
        // About one commit in 150 adds a key; the next change of that file may well delete it.
        if (random() < 0.007) lines.splice(Math.floor(random() * lines.length), 0, `const apiKey = '${key()}';`);
        changes.push(`M 100644 inline src/module-${index}.ts\ndata ${Buffer.byteLength(lines.join('\n') + '\n')}\n${lines.join('\n')}\n`);
      }
      mark++;
      time += 60;
      const message = `change ${mark}`;
      await write(
        `commit refs/heads/${branch.name}\nmark :${mark}\ncommitter Bench <bench@example.test> ${time} +0000\ndata ${message.length}\n${message}\n` +
          (parent ? `from :${parent}\n` : '') +
          changes.join('') +
          '\n',
      );
      parent = mark;
    }
    if (branch.name === 'main') mainTip = mark;
  }
  importer.stdin.end();
  await done;
}
