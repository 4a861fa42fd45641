#!/usr/bin/env node
// Whole-process benchmark of `keyguard scan` against two baselines on the same files, in the
// same run: the Node floor (bench/floor.mjs) and ripgrep with the same pattern, if installed.
// Prints wall time, files/s, MB/s and peak RSS of each, and keyguard's ratio to ripgrep.
//
//   node bench/scan.mjs [dir] [--runs N]
//
// Without a directory it scans bench/.corpus/tree, generating it first (bench/corpus.mjs,
// 220 MB). Needs `npm run build` (the bench runs the built bin) and GNU time (/usr/bin/time)
// for peak RSS. Local only; bounded by --runs (default 5) plus one warm-up round.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt === -1 ? 5 : Number(args.splice(runsAt, 2)[1]);
const dir = resolve(args[0] ?? join(here, '.corpus', 'tree'));
const PATTERN = String.raw`\bsk_(live|sandbox|test)_[A-Za-z0-9]{16,}`;

if (!existsSync(join(root, 'dist/src/cli/bin.js'))) {
  console.error('bench: run `npm run build` first (the benchmark times the built bin)');
  process.exit(2);
}
if (!args[0] && !existsSync(dir)) execFileSync(process.execPath, [join(here, 'corpus.mjs'), dir], { stdio: 'inherit' });
const hasTime = existsSync('/usr/bin/time');
const hasRg = spawnSync('rg', ['--version']).status === 0;

const tools = [
  { name: 'keyguard scan', command: [process.execPath, join(root, 'bin/keyguard.js'), 'scan', '--format', 'json'] },
  { name: 'node floor', command: [process.execPath, join(here, 'floor.mjs')] },
  ...(hasRg ? [{ name: 'ripgrep', command: ['rg', '--count-matches', '--hidden', '--glob', '!.git', PATTERN, '.'] }] : []),
];

const scratch = mkdtempSync(join(tmpdir(), 'keyguard-bench-'));
/** One whole-process run: wall seconds, peak RSS in MB (from GNU time) and stdout. */
function measure(command) {
  const timing = join(scratch, 'time.txt');
  const argv = hasTime ? ['/usr/bin/time', '-f', '%e %M', '-o', timing, ...command] : command;
  const started = performance.now();
  const out = spawnSync(argv[0], argv.slice(1), { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - started) / 1000;
  if (out.status !== 0 && out.status !== 1) throw new Error(`${command.join(' ')} failed (${out.status}): ${out.stderr}`);
  const [, maxKb] = hasTime ? readFileSync(timing, 'utf8').trim().split('\n').at(-1).split(' ') : [];
  return { wall, rssMb: maxKb ? Number(maxKb) / 1024 : NaN, stdout: out.stdout };
}

const samples = new Map(tools.map((tool) => [tool.name, []]));
const scanPhases = [];
let summary;
for (let round = 0; round <= runs; round++) {
  for (const tool of tools) {
    const sample = measure(tool.command);
    if (tool.name === 'keyguard scan') {
      summary = JSON.parse(sample.stdout).summary;
      if (round > 0) scanPhases.push(summary.durationMs / 1000);
    }
    if (round > 0) samples.get(tool.name).push(sample); // round 0 warms the page cache
  }
}
rmSync(scratch, { recursive: true, force: true });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mb = summary.bytes / 1024 / 1024;
console.log(`corpus: ${dir}`);
console.log(`        ${summary.files} files, ${mb.toFixed(1)} MB, ${summary.findings} findings; median of ${runs} runs after a warm-up\n`);
console.log(`${'tool'.padEnd(15)}${'wall s'.padStart(8)}${'files/s'.padStart(10)}${'MB/s'.padStart(8)}${'peak RSS MB'.padStart(13)}`);
const rows = tools.map((tool) => {
  const list = samples.get(tool.name);
  const wall = median(list.map((sample) => sample.wall));
  const rss = Math.max(...list.map((sample) => sample.rssMb));
  console.log(
    `${tool.name.padEnd(15)}${wall.toFixed(2).padStart(8)}${Math.round(summary.files / wall).toString().padStart(10)}${(mb / wall).toFixed(0).padStart(8)}${rss.toFixed(0).padStart(13)}`,
  );
  return { name: tool.name, wall, rss };
});
const keyguard = rows[0];
const phase = median(scanPhases);
console.log(`\nkeyguard's scan phase alone (summary.durationMs): ${phase.toFixed(2)} s, ${(mb / phase).toFixed(0)} MB/s; the rest of its wall time is process start-up`);
console.log(`keyguard / node floor throughput: ${(rows[1].wall / keyguard.wall).toFixed(2)}x`);
if (hasRg) {
  const ratio = rows[2].wall / keyguard.wall;
  console.log(`keyguard / ripgrep throughput:    ${ratio.toFixed(2)}x (target >= 0.5x: ${ratio >= 0.5 ? 'met' : 'NOT met'})`);
} else {
  console.log('ripgrep not installed (Debian: apt-get install ripgrep): no ripgrep column');
}
if (hasTime) console.log(`keyguard peak RSS:                ${keyguard.rss.toFixed(0)} MB (target < 200 MB: ${keyguard.rss < 200 ? 'met' : 'NOT met'})`);
