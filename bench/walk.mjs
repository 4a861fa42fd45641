#!/usr/bin/env node
// The walk outside git (the listing only, no reading): keyguard's own walk against the libraries that
// could replace it, fast-glob, its walker @nodelib/fs.walk and fdir, on the same directory, each made
// to list the same files: regular files that no `.gitignore` ignores (nested ones override shallower
// ones, git's semantics, through the same GitignoreRules keyguard uses), symlinks never followed nor
// listed, no `.git`. Each run is a whole process; rounds alternate; medians after a warm-up round.
// `listing ms` is the listing, timed inside the process once its modules are loaded (every library
// is timed with the `git rev-parse` keyguard runs first to find out it is outside a repository, as it
// would be in keyguard); `wall s` is the whole process. ripgrep's own listing (`rg --files`) is the anchor.
//
//   node bench/walk.mjs [--runs N] [dir]
//
// dir defaults to the copy of node_modules outside git that bench/scan.mjs makes (node bench/scan.mjs
// --corpus plain). Needs `npm run build` (it loads the built walk) and ripgrep. Local only.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const args = process.argv.slice(2);

const WALKS = {
  /** keyguard's walk: readdirSync per directory, its `.gitignore` read when the listing holds one. */
  async keyguard(dir) {
    const { treeFiles } = await import(join(root, 'dist/src/sources/tree.js'));
    return async () => {
      const files = [];
      for await (const batch of treeFiles(dir, ['.'])) for (const file of batch) files.push(file.absolute);
      return files;
    };
  },
  /** fdir, synchronous (its fastest mode): directories pruned by `exclude`, files kept by `filter`. */
  async fdir(dir) {
    const { fdir } = await import('fdir');
    const rules = await rulesByDirectory(dir);
    return async () =>
      new fdir({ excludeSymlinks: true })
        .withFullPaths()
        .exclude((name, path) => name === '.git' || rules.ignores(path.slice(0, -1), true))
        .filter((path) => !rules.ignores(path, false))
        .crawl(dir)
        .sync();
  },
  /** @nodelib/fs.walk, fast-glob's walker, streaming: directories pruned by `deepFilter`. */
  async 'fs.walk'(dir) {
    const walk = await import('@nodelib/fs.walk');
    const rules = await rulesByDirectory(dir);
    return () =>
      new Promise((done, failed) => {
        const files = [];
        walk
          .walkStream(dir, {
            followSymbolicLinks: false,
            deepFilter: (entry) => entry.name !== '.git' && !rules.ignores(entry.path, true),
            entryFilter: (entry) => entry.dirent.isFile() && !rules.ignores(entry.path, false),
          })
          .on('data', (entry) => files.push(entry.path))
          .on('error', failed)
          .on('end', () => done(files));
      });
  },
  /**
   * fast-glob, streaming. Its `ignore` takes globs, not `.gitignore` files, and it has no hook to
   * prune a directory, so it lists ignored trees too and each path is checked afterwards.
   */
  async 'fast-glob'(dir) {
    const { default: fg } = await import('fast-glob');
    const rules = await rulesByDirectory(dir);
    return async () => {
      const files = [];
      for await (const path of fg.stream('**', { cwd: dir, dot: true, absolute: true, onlyFiles: true, followSymbolicLinks: false, ignore: ['**/.git/**'] })) {
        if (!rules.ignoresWithin(path)) files.push(path);
      }
      return files;
    };
  },
};

if (args[0] === '--walk') {
  // One measured run, in its own process: prints what it listed and how long the listing took.
  const [, name, dir] = args;
  const list = await WALKS[name](dir);
  const { gitTopLevel } = await import(join(root, 'dist/src/sources/git.js'));
  const started = performance.now();
  // keyguard's treeFiles asks this itself.
  if (name !== 'keyguard' && (await gitTopLevel(dir)) !== undefined) fail(`${dir} is in a git repository: name a directory outside one`);
  const files = await list();
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ms, files: files.sort() }));
} else {
  const runsAt = args.indexOf('--runs');
  const runs = runsAt === -1 ? 7 : Number(args.splice(runsAt, 2)[1]);
  const dir = resolve(args[0] ?? join(tmpdir(), 'keyguard-bench-corpus', 'deps-plain'));
  if (!existsSync(dir)) fail(`${dir} is missing: run \`node bench/scan.mjs --corpus plain\` first (it makes the copy), or name a directory`);
  if (!existsSync(join(root, 'dist/src/sources/tree.js'))) fail('run `npm run build` first (the benchmark loads the built walk)');
  const names = Object.keys(WALKS);
  const samples = Object.fromEntries([...names, 'rg --files'].map((name) => [name, { wall: [], ms: [] }]));
  let expected;
  const same = {};
  for (let round = 0; round <= runs; round++) {
    for (const name of names) {
      const started = performance.now();
      const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--walk', name, dir], { encoding: 'utf8', maxBuffer: 1 << 30 });
      const wall = (performance.now() - started) / 1000;
      if (out.status !== 0) fail(`${name}: ${out.stderr}`);
      const { ms, files } = JSON.parse(out.stdout);
      expected ??= files;
      same[name] = files.length === expected.length && files.every((file, i) => file === expected[i]);
      if (round > 0) samples[name].wall.push(wall), samples[name].ms.push(ms);
    }
    const started = performance.now();
    spawnSync('rg', ['--files', '--hidden', '--no-require-git', '--no-ignore-parent', '--no-ignore-dot', '.'], { cwd: dir, maxBuffer: 1 << 30 });
    if (round > 0) samples['rg --files'].wall.push((performance.now() - started) / 1000);
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const anchor = median(samples['rg --files'].wall);
  console.log(`\nwalk outside git: ${dir}, ${expected.length} files listed; ${runs} alternating rounds after a warm-up round, medians`);
  console.log('| walk | listing ms | wall s | wall / rg --files | same files as keyguard |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const name of [...names, 'rg --files']) {
    const { wall, ms } = samples[name];
    const listing = ms.length > 0 ? median(ms).toFixed(0) : '-';
    console.log(`| ${name} | ${listing} | ${median(wall).toFixed(3)} | ${(median(wall) / anchor).toFixed(2)}x | ${name in same ? (same[name] ? 'yes' : 'NO') : '-'} |`);
  }
}

/**
 * The `.gitignore` rules of each directory under `top`, built on demand from its parent's (the
 * same GitignoreRules the walk uses), for walkers that do not hand over a directory's listing:
 * one `existsSync` per directory tells whether it has a `.gitignore`.
 */
async function rulesByDirectory(top) {
  const { GitignoreRules } = await import(join(root, 'dist/src/sources/ignore.js'));
  const none = await GitignoreRules.load();
  const byDirectory = new Map();
  const ignoredDirectory = new Map();
  const at = (dir) => {
    let rules = byDirectory.get(dir);
    if (!rules) {
      const parent = dir === top ? none : at(dirname(dir));
      rules = parent.enter(dir, existsSync(`${dir}/.gitignore`));
      byDirectory.set(dir, rules);
    }
    return rules;
  };
  const ignores = (path, isDirectory) => at(dirname(path)).ignores(path, isDirectory);
  const underIgnored = (dir) => {
    if (dir === top) return false;
    let ignored = ignoredDirectory.get(dir);
    if (ignored === undefined) {
      ignored = underIgnored(dirname(dir)) || ignores(dir, true);
      ignoredDirectory.set(dir, ignored);
    }
    return ignored;
  };
  return { ignores, ignoresWithin: (path) => underIgnored(dirname(path)) || ignores(path, false) };
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
