#!/usr/bin/env node
// Whole-process benchmark of `keyguard scan` against fair anchors on the same files, alternating
// in one run (medians after a warm-up round):
//   - ripgrep with an ASCII word boundary, `(?-u:\b)sk_…`: the same matches as keyguard's rule, at
//     ripgrep's full speed (its default `\b` is Unicode-aware and several times slower on text that
//     is not ASCII, which made it a handicapped anchor);
//   - ripgrep with no boundary at all: the floor, the least a search for the prefix can cost;
//   - a plain Node floor (bench/floor.mjs) in a repository: the same files read through one buffer,
//     on one thread and on two (whether a second core pays for reading in Node on this machine).
// Corpora: the generated one (bench/corpus.mjs, 220 MB in git), a copy of this project's own
// node_modules made into a git repository (a real dependency tree), and that copy outside git
// (keyguard's own walk, against `rg -uuu`).
//
//   node bench/scan.mjs [--runs N] [--corpus generated|deps|plain]... [--compare DIR] [dir]
//
// --compare DIR also times the bin of another built checkout (an earlier commit: `git worktree add`
// or `git archive`, then `npm run build` there) in the same rounds, as the row `keyguard --compare`.
// With a directory, only that one is scanned (in git or not, as it is). Corpora are made once under
// bench/.corpus/ (the copy outside git under the system's temporary directory). Needs `npm run build` (it times the built bin), ripgrep (apt-get install ripgrep)
// and GNU time (/usr/bin/time) for peak RSS. Local only; bounded by --runs (default 5) plus one
// warm-up round per corpus.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const corpora = join(here, '.corpus');
const args = process.argv.slice(2);
const option = (name) => {
  const values = [];
  for (let at = args.indexOf(name); at !== -1; at = args.indexOf(name)) values.push(args.splice(at, 2)[1]);
  return values;
};
const runs = Number(option('--runs')[0] ?? 5);
const chosen = option('--corpus');
const compare = option('--compare')[0];
const KEY = String.raw`sk_(live|sandbox|test)_[A-Za-z0-9]{16,}`;
const FAIR = String.raw`(?-u:\b)${KEY}`;

if (!existsSync(join(root, 'dist/cli/keyguard.js'))) fail('run `npm run build` first (the benchmark times the built bin)');
if (spawnSync('rg', ['--version']).status !== 0) fail('ripgrep is missing (Debian: apt-get install ripgrep)');
const hasTime = existsSync('/usr/bin/time');

const keyguard = { name: 'keyguard scan', command: [process.execPath, join(root, 'bin/keyguard.js'), 'scan', '--format', 'json'] };
// In a repository: the files git lists (ripgrep honours .gitignore there), hidden ones too, not .git.
const inGit = [
  keyguard,
  { name: 'rg (?-u:\\b)', anchor: true, command: ['rg', '--count-matches', '--hidden', '--glob', '!.git', FAIR, '.'] },
  { name: 'rg no boundary', command: ['rg', '--count-matches', '--hidden', '--glob', '!.git', KEY, '.'] },
  { name: 'node floor', command: [process.execPath, join(here, 'floor.mjs')] },
  // The same, reading on two threads: whether a second core pays for Node's reading on this machine.
  { name: 'node floor 2 thr.', command: [process.execPath, join(here, 'floor.mjs'), '--threads', '2'] },
];
// Outside a repository: keyguard walks the directory honouring .gitignore files. `rg -uuu` reads
// every file (ignored and binary ones too); `rg --no-require-git` reads the same files keyguard does.
const outsideGit = [
  keyguard,
  { name: 'rg -uuu (?-u:\\b)', anchor: true, command: ['rg', '-uuu', '--count-matches', FAIR, '.'] },
  { name: 'rg same files', command: ['rg', '--count-matches', '--hidden', '--no-require-git', '--no-ignore-parent', '--no-ignore-dot', FAIR, '.'] },
  { name: 'rg -uuu no bound.', command: ['rg', '-uuu', '--count-matches', KEY, '.'] },
];

// Last in each list: the summary table reads keyguard and the anchor from the first two rows.
if (compare) for (const tools of [inGit, outsideGit]) tools.push({ name: 'keyguard --compare', command: [process.execPath, join(resolve(compare), 'bin/keyguard.js'), 'scan', '--format', 'json'] });

const targets = [];
if (args[0]) {
  const dir = resolve(args[0]);
  const repository = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir }).status === 0;
  targets.push({ label: basename(dir), dir, tools: repository ? inGit : outsideGit, target: repository ? 1.3 : 2 });
} else {
  const all = chosen.length === 0;
  if (all || chosen.includes('generated')) targets.push({ label: 'generated, in git', dir: generated(), tools: inGit, target: 1.3 });
  if (all || chosen.includes('deps')) targets.push({ label: 'node_modules copy, in git', dir: dependencyTree(true), tools: inGit, target: 1.3 });
  if (all || chosen.includes('plain')) targets.push({ label: 'node_modules copy, outside git', dir: dependencyTree(false), tools: outsideGit, target: 2 });
}

const scratch = mkdtempSync(join(tmpdir(), 'keyguard-bench-'));
// Every figure depends on what else runs: the load before and after goes with the table.
const loadBefore = loadavg()[0];
const table = [];
try {
  for (const target of targets) table.push(bench(target));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

console.log(`\n\`node bench/scan.mjs ${process.argv.slice(2).join(' ')}\`: ${runs} alternating rounds per corpus after a warm-up round; medians of whole-process wall time; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after, ${availableParallelism()} cores`);
console.log('ratio = keyguard / anchor; the node floor (bench/floor.mjs: list, read each file through one reused buffer, look for sk_) is the least a Node scanner does, its ratio to the same anchor beside keyguard\'s; 2 threads: the same floor reading on the main thread and one worker');
console.log(`| corpus | files, MB | keyguard | anchor | anchor s | ratio | target | node floor / anchor | 2 threads | ripgrep no boundary | peak RSS keyguard |${compare ? ' --compare / anchor |' : ''}`);
console.log(`| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |${compare ? ' --- |' : ''}`);
for (const row of table) {
  const [kg, anchor] = row.rows;
  const ratio = kg.wall / anchor.wall;
  const rgFloor = row.rows.find((r) => r.name.includes('no bound'));
  const nodeFloor = row.rows.find((r) => r.name === 'node floor');
  const twoThreads = row.rows.find((r) => r.name === 'node floor 2 thr.');
  const other = row.rows.find((r) => r.name === 'keyguard --compare');
  console.log(
    `| ${row.label} | ${row.files}, ${row.mb.toFixed(0)} | ${kg.wall.toFixed(2)} s | ${anchor.name} | ${anchor.wall.toFixed(2)} | ` +
      `${ratio.toFixed(2)}x | <= ${row.target}x ${ratio <= row.target ? 'met' : 'NOT met'} | ` +
      `${nodeFloor ? `${nodeFloor.wall.toFixed(2)} s (${(nodeFloor.wall / anchor.wall).toFixed(2)}x)` : '-'} | ` +
      `${twoThreads ? `${twoThreads.wall.toFixed(2)} s (${(twoThreads.wall / anchor.wall).toFixed(2)}x)` : '-'} | ${rgFloor.wall.toFixed(2)} s | ` +
      `${kg.rss.toFixed(0)} MB ${kg.rss < 100 ? '(< 100 met)' : '(< 100 NOT met)'} |` +
      (other ? ` ${other.wall.toFixed(2)} s (${(other.wall / anchor.wall).toFixed(2)}x) |` : ''),
  );
}

/** One corpus: every tool in turn per round, round 0 warming the page cache; medians and peaks per tool. */
function bench({ label, dir, tools, target }) {
  const samples = tools.map(() => []);
  let summary;
  for (let round = 0; round <= runs; round++) {
    tools.forEach((tool, index) => {
      const sample = measure(tool.command, dir);
      if (tool === keyguard) summary = JSON.parse(sample.stdout).summary;
      if (round > 0) samples[index].push(sample);
    });
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const mb = summary.bytes / 1024 / 1024;
  console.log(`\n${label}: ${dir}\n  ${summary.files} files, ${mb.toFixed(1)} MB, ${summary.findings} findings`);
  // CPU time (user + system, children included) moves less with the load than wall time does.
  console.log(`  ${'tool'.padEnd(19)}${'wall s'.padStart(8)}${'CPU s'.padStart(7)}${'MB/s'.padStart(7)}${'peak RSS MB'.padStart(13)}${'keyguard / tool'.padStart(17)}`);
  const rows = tools.map((tool, index) => ({
    name: tool.name,
    wall: median(samples[index].map((sample) => sample.wall)),
    cpu: median(samples[index].map((sample) => sample.cpu)),
    rss: Math.max(...samples[index].map((sample) => sample.rssMb)),
  }));
  for (const row of rows) {
    const ratio = rows[0].wall / row.wall;
    console.log(`  ${row.name.padEnd(19)}${row.wall.toFixed(2).padStart(8)}${row.cpu.toFixed(2).padStart(7)}${(mb / row.wall).toFixed(0).padStart(7)}${row.rss.toFixed(0).padStart(13)}${`${ratio.toFixed(2)}x`.padStart(17)}`);
  }
  return { label, files: summary.files, mb, rows, target };
}

/** One whole-process run: wall seconds, peak RSS in MB (GNU time) and stdout. */
function measure(command, cwd) {
  const timing = join(scratch, 'time.txt');
  const argv = hasTime ? ['/usr/bin/time', '-f', '%e %M %U %S', '-o', timing, ...command] : command;
  const started = performance.now();
  const out = spawnSync(argv[0], argv.slice(1), { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - started) / 1000;
  if (out.status !== 0 && out.status !== 1) throw new Error(`${command.join(' ')} failed (${out.status}): ${out.stderr}`);
  const [, maxKb, user, system] = hasTime ? readFileSync(timing, 'utf8').trim().split('\n').at(-1).split(' ') : [];
  return { wall, rssMb: maxKb ? Number(maxKb) / 1024 : NaN, cpu: hasTime ? Number(user) + Number(system) : NaN, stdout: out.stdout };
}

function generated() {
  const dir = join(corpora, 'tree');
  if (!existsSync(join(dir, '.git'))) execFileSync(process.execPath, [join(here, 'corpus.mjs'), dir], { stdio: 'inherit' });
  return dir;
}

/**
 * A copy of this project's node_modules: a real dependency tree (minified bundles, maps, type
 * declarations, licences, a few binaries, nested .gitignore files). In git, committed as it is
 * (git leaves out what those .gitignore files ignore); outside git, as it is.
 */
function dependencyTree(committed) {
  // The copy outside git lives outside this checkout, or it would be in a repository after all.
  const dir = committed ? join(corpora, 'deps-git') : join(tmpdir(), 'keyguard-bench-corpus', 'deps-plain');
  const ready = join(dir, '.bench-ready');
  if (existsSync(committed ? join(dir, '.git', 'bench-ready') : ready)) return dir;
  const source = join(root, 'node_modules');
  if (!existsSync(source)) fail('run `npm ci` first (the corpus is a copy of node_modules)');
  console.log(`copying ${source} to ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(source, dir, { recursive: true, verbatimSymlinks: true });
  if (committed) {
    const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@localhost', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@localhost' };
    const git = (...gitArgs) => execFileSync('git', gitArgs, { cwd: dir, env: gitEnv, stdio: ['ignore', 'ignore', 'inherit'] });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'corpus');
    execFileSync('touch', [join(dir, '.git', 'bench-ready')]);
  } else {
    execFileSync('touch', [ready]);
  }
  return dir;
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
