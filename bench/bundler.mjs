#!/usr/bin/env node
// keyguard/bundler's cost: whole `vite build`, `rollup -c`, `webpack`, Rspack and esbuild builds of
// a generated app of 2,000 modules with the plugin and without it, alternating, in one run. Prints
// one table: per bundler, the medians of CPU time (the process and its children: esbuild's service
// process and Rspack's native code included) and of wall time without and with the plugin, and what
// the plugin added (target: under 3%), with the spread (lowest-highest) of each side. Each bundler
// also gets a `floor` row: a do-nothing plugin written with the bundler's own API at the hook keyguard
// uses (a `generateBundle` that returns, a `processAssets` tap at REPORT that returns, an `onEnd` that
// returns): what any plugin reading the output costs there, measured in the same rounds; and a
// `floor, package` row: the same loaded from a package, esbuild's reading back its output (floorModule); for
// esbuild a `metafile only` row: the do-nothing plugin asking for the metafile, which is how a plugin learns
// what esbuild wrote (keyguard and the package floor ask for it). The app
// holds no key, as a build that passes. Needs a build (npm run build): the plugin is loaded as users
// load it, `keyguard/bundler` from the package. Local only; cleans up after itself.
// Usage: node bench/bundler.mjs [rounds=10] [bundlers=vite,rollup,webpack,rspack,esbuild] [--compare DIR] [--profile]
// --compare DIR also builds with the plugin of another built checkout (its package.json's
// `keyguard/bundler` export) in the same rounds: a row `<bundler> (DIR)` against the same builds
// without a plugin. --profile adds a line per bundler: the CPU time spent in keyguard's own code, from
// V8 profiles of builds with the plugin (see ownCode); and a last line: the time Node takes to import
// each plugin module in a fresh process (keyguard/bundler, the package floor, DIR's), which the profiles leave out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const profileAt = args.indexOf('--profile');
const profile = profileAt !== -1 && args.splice(profileAt, 1).length > 0;
const compareAt = args.indexOf('--compare');
const compare = compareAt === -1 ? undefined : resolve(args.splice(compareAt, 2)[1]);
const rounds = Number(args[0] ?? 10);
const bundlers = (args[1] ?? 'vite,rollup,webpack,rspack,esbuild').split(',');
const MODULES = 2000;

/** The module a checkout's package.json names for `keyguard/bundler`, as Node resolves it for users. */
function bundlerEntry(checkout) {
  const entry = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')).exports['./bundler'];
  return join(checkout, typeof entry === 'string' ? entry : entry.default);
}

if (!existsSync(bundlerEntry(root))) {
  console.error('bench/bundler.mjs: run `npm run build` first (the plugin is loaded from dist/)');
  process.exit(2);
}

/**
 * Each bundler's do-nothing plugin at the hook keyguard uses (a module's source): what any plugin
 * there costs. Loaded two ways: written into plugins.mjs (`floor`: the hook alone), and as a plugin
 * package is, the `import` of a package's ES module (`floor, package`), where esbuild's, as esbuild
 * hands a plugin no output, also reads back every file the metafile lists, as any check must.
 */
const floorModule = (readBack) => [
  // Only the package imports what reading back needs: floor.mjs loads with every build, the one without a plugin too.
  ...(readBack ? ["import { readFileSync } from 'node:fs';", "import { resolve } from 'node:path';"] : []),
  'const noop = () => {};',
  "export const rollup = () => ({ name: 'floor', generateBundle: { order: 'post', handler: noop } });",
  "export const vite = () => ({ name: 'floor', apply: 'build', generateBundle: { order: 'post', handler: noop } });",
  "export const webpack = () => ({ apply(compiler) { compiler.hooks.thisCompilation.tap('floor', (compilation) => compilation.hooks.processAssets.tapPromise({ name: 'floor', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT }, async () => {})); } });",
  'export const rspack = webpack;',
  readBack
    ? "export const esbuild = () => ({ name: 'floor', setup(build) { build.initialOptions.metafile = true; build.onEnd((result) => { for (const output of Object.keys(result.metafile.outputs)) readFileSync(resolve(output)); }); } });"
    : "export const esbuild = () => ({ name: 'floor', setup(build) { build.onEnd(noop); } });",
  // esbuild only: the do-nothing plugin asking for the metafile, which is how a plugin learns what esbuild wrote.
  "export const esbuildMetafile = () => ({ name: 'floor', setup(build) { build.initialOptions.metafile = true; build.onEnd(noop); } });",
  '',
].join('\n');

/**
 * The plugins of a build, from KEYGUARD_PLUGIN: none (empty), `floor` (floor.mjs, beside it),
 * `package` (the floor-plugin package), or a module to import keyguard/bundler from. Each is
 * imported only then (a dynamic import): a static one would make the build without it load
 * keyguard/bundler and unplugin too, hiding what loading them costs, which is most of what the plugin costs.
 */
const PLUGINS = [
  "import * as floor from './floor.mjs';",
  'export async function plugins(bundler) {',
  '  const which = process.env.KEYGUARD_PLUGIN;',
  '  if (!which) return [];',
  "  if (which === 'floor') return [floor[bundler]()];",
  "  if (which === 'metafile') return [floor.esbuildMetafile()];",
  "  return [(await import(which === 'package' ? 'floor-plugin' : which))[bundler]()];",
  '}',
  '',
].join('\n');

/** Each bundler's build, with the plugins of plugins.mjs. */
const BUILDS = {
  vite: {
    files: {
      'index.html': '<!doctype html><script type="module" src="/src/main.js"></script>\n',
      'vite.config.js': "import { plugins } from './plugins.mjs';\nexport default { logLevel: 'silent', plugins: await plugins('vite'), build: { sourcemap: true } };\n",
    },
    argv: ['node_modules/vite/bin/vite.js', 'build'],
  },
  rollup: {
    files: {
      'rollup.config.mjs':
        "import { plugins } from './plugins.mjs';\nexport default { input: 'src/main.js', output: { dir: 'dist-rollup', format: 'es', sourcemap: true }, plugins: await plugins('rollup') };\n",
    },
    argv: ['node_modules/rollup/dist/bin/rollup', '-c', '--silent'],
  },
  webpack: {
    files: {
      'webpack.config.mjs':
        "import { plugins } from './plugins.mjs';\nexport default { mode: 'production', entry: './src/main.js', devtool: 'source-map', stats: 'none', output: { path: new URL('./dist-webpack', import.meta.url).pathname }, plugins: await plugins('webpack') };\n",
    },
    argv: ['node_modules/webpack-cli/bin/cli.js', '--config', 'webpack.config.mjs'],
  },
  rspack: {
    files: {
      'rspack.mjs': [
        "import { rspack } from '@rspack/core';",
        "import { plugins } from './plugins.mjs';",
        "const compiler = rspack({ mode: 'production', context: process.cwd(), entry: './src/main.js', devtool: 'source-map', output: { path: new URL('./dist-rspack', import.meta.url).pathname }, plugins: await plugins('rspack') });",
        "compiler.run((error, stats) => { if (error || stats.hasErrors()) { console.error(error?.message ?? stats.toString('errors-only')); process.exitCode = 1; } compiler.close(() => {}); });",
        '',
      ].join('\n'),
    },
    argv: ['rspack.mjs'],
  },
  esbuild: {
    files: {
      // esbuild builds in a service process that Node never waits for, so its CPU time would not count:
      // the script stops it after the build and waits for it to exit (spawned processes are kept for
      // that), and it counts as a child of the build.
      'esbuild.mjs': [
        "import childProcess from 'node:child_process';",
        'const spawned = [];',
        'const spawn = childProcess.spawn;',
        'childProcess.spawn = (...args) => { const child = spawn(...args); spawned.push(child); return child; };',
        "const { build, stop } = await import('esbuild');",
        "const { plugins } = await import('./plugins.mjs');",
        "await build({ entryPoints: ['src/main.js'], bundle: true, minify: true, sourcemap: true, outdir: 'dist-esbuild', plugins: await plugins('esbuild') });",
        "const exited = spawned.map((child) => child.exitCode ?? child.signalCode ?? new Promise((done) => { child.ref(); child.once('exit', done); }));",
        'await stop();',
        'await Promise.all(exited);',
        '',
      ].join('\n'),
    },
    argv: ['esbuild.mjs'],
  },
};

const dir = mkdtempSync(join(tmpdir(), 'keyguard-bundler-bench-'));
try {
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(root, 'node_modules'))) if (entry !== 'keyguard') symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  symlinkSync(root, join(modules, 'keyguard'));
  mkdirSync(join(modules, 'floor-plugin'));
  writeFileSync(join(modules, 'floor-plugin', 'package.json'), '{ "name": "floor-plugin", "type": "module", "exports": "./index.js" }\n');
  writeFileSync(join(modules, 'floor-plugin', 'index.js'), floorModule(true));
  writeFileSync(join(dir, 'floor.mjs'), floorModule(false));
  writeFileSync(join(dir, 'package.json'), '{ "name": "bench-app", "private": true, "type": "module" }\n');
  writeFileSync(join(dir, 'plugins.mjs'), PLUGINS);
  mkdirSync(join(dir, 'src'));
  // 2,000 modules of ordinary UI code (strings, a few task_/disk_ words) in a binary tree of imports:
  // module i renders modules 2i+1 and 2i+2 (a chain 2,000 deep overflows Rollup's stack).
  for (let i = 0; i < MODULES; i++) {
    const children = [2 * i + 1, 2 * i + 2].filter((child) => child < MODULES);
    const imports = children.map((child) => `import { render${child} } from './m${child}.js';\n`).join('');
    const body = Array.from({ length: 12 }, (_, j) => `  items.push({ id: 'task_${i}_${j}', label: 'Item ${j} of module ${i}', disk_usage: ${i * j} });`).join('\n');
    const calls = children.map((child) => `  render${child}(root);\n`).join('');
    writeFileSync(
      join(dir, 'src', `m${i}.js`),
      `${imports}export function render${i}(root) {\n  const items = [];\n${body}\n${calls}  root.append(items.map((item) => item.label).join(', '));\n}\n`,
    );
  }
  writeFileSync(join(dir, 'src', 'main.js'), "import { render0 } from './m0.js';\nrender0(document.body);\n");
  for (const name of bundlers) for (const [path, content] of Object.entries(BUILDS[name].files)) writeFileSync(join(dir, path), content);

  // CPU time of the whole build process and the children it waited for, through bash's `time` when there is a
  // bash (to the millisecond: GNU time prints hundredths, 3% of a 0.7 s build): on a busy machine it moves less than wall time.
  const timer = spawnSync('bash', ['-c', 'true']).status === 0;
  // The sides: no plugin, the plugin as users load it, the bundler's do-nothing plugin (written here, loaded from a
  // package, and for esbuild asking for the metafile), and with --compare another checkout's.
  const allSides = [
    { label: 'without', plugin: '' },
    { label: 'keyguard', plugin: 'keyguard/bundler' },
    { label: 'floor', plugin: 'floor' },
    { label: 'floor, package', plugin: 'package' },
    { label: 'metafile only', plugin: 'metafile', only: 'esbuild' },
    ...(compare ? [{ label: compare, plugin: pathToFileURL(bundlerEntry(compare)).href }] : []),
  ];
  const runBuild = (name, side, nodeFlags = []) => {
    const argv = [process.execPath, ...nodeFlags, ...BUILDS[name].argv];
    const command = timer ? ['bash', '-c', 'TIMEFORMAT=cpu=%3U+%3S; time "$@"', 'bash', ...argv] : argv;
    const started = process.hrtime.bigint();
    const out = spawnSync(command[0], command.slice(1), { cwd: dir, encoding: 'utf8', env: { ...process.env, KEYGUARD_PLUGIN: side.plugin, NO_COLOR: '1' } });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (out.status !== 0) throw new Error(`${name} build failed:\n${out.stdout}${out.stderr}`);
    const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(out.stderr);
    return { wallMs, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : Number.NaN };
  };
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };

  const ms = (value) => (Number.isNaN(value) ? 'n/a' : Math.round(value).toLocaleString('en'));
  const signed = (value) => `${value >= 0 ? '+' : '-'}${ms(Math.abs(value))}`;
  const percent = (value) => `${value >= 0 ? '+' : '-'}${Math.abs(value).toFixed(1)}%`;
  /** The median of the paired differences, as ms and a share of `base`, and its 95% interval (see medianInterval). */
  const added = (base, differences) => {
    const difference = median(differences);
    if (Number.isNaN(difference)) return 'n/a';
    const [low, high] = medianInterval(differences);
    return `${signed(difference)} ms, ${percent((difference / base) * 100)} (${signed(low)}..${signed(high)})`;
  };
  const sideWidth = Math.max(...allSides.map((side) => side.label.length));
  const nameWidth = Math.max(7, ...bundlers.map((name) => name.length));
  const widths = [nameWidth, sideWidth, 11, 15, 32, 11, 15, 32];
  // Each row as soon as its bundler is measured: a long run cut short still shows what it measured.
  const print = (cells) => console.log(cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd());
  console.log(`keyguard/bundler on a generated app of ${MODULES.toLocaleString('en')} modules: ${rounds} builds each way, rotated (source maps on; target: under 3% added)`);
  console.log("CPU and wall in ms: median, then lowest-highest (the spread of 'without' is the noise); 'added': the median of each round's difference from 'without' in that round, in ms and as a share of the median without, then its 95% interval (one holding 0: a difference this run cannot tell from none).");
  print(['bundler', 'plugin', 'CPU', 'CPU spread', 'CPU added', 'wall', 'wall spread', 'wall added']);
  /**
   * With --profile: the CPU time in keyguard's own functions (and what they call) in a profile of
   * three builds with the plugin, on the main thread where they run: a figure the machine's load
   * moves far less than a whole build's. Node's reading and compiling of the entry is left out.
   */
  const ownCode = (name) => {
    const profiles = join(dir, 'profiles');
    const own = pathToFileURL(dirname(bundlerEntry(root))).href + '/';
    const times = [0, 1, 2].map(() => {
      rmSync(profiles, { recursive: true, force: true });
      runBuild(name, allSides[1], ['--cpu-prof', '--cpu-prof-dir', profiles, '--cpu-prof-interval', '250']);
      return readdirSync(profiles).reduce((sum, file) => sum + timeIn(JSON.parse(readFileSync(join(profiles, file), 'utf8')), own), 0);
    });
    return median(times);
  };
  for (const name of bundlers) {
    const sides = allSides.filter((side) => !side.only || side.only === name);
    for (const side of sides) runBuild(name, side); // warm the page cache and the bundler's own caches on every side
    const runs = sides.map(() => []);
    for (let round = 0; round < rounds; round++) {
      // Rotate which side goes first each round, so a drift in machine load hits every side.
      for (let i = 0; i < sides.length; i++) {
        const at = (round + i) % sides.length;
        runs[at].push(runBuild(name, sides[at]));
      }
    }
    const of = (index, field) => median(runs[index].map((run) => run[field]));
    // Each round's difference from the build without a plugin in the same round: a drift in load between rounds cancels.
    const paired = (index, field) => runs[index].map((run, round) => run[field] - runs[0][round][field]);
    const spread = (index, field) => {
      const values = runs[index].map((run) => run[field]);
      return `${ms(Math.min(...values))}-${ms(Math.max(...values))}`;
    };
    sides.forEach((side, index) => {
      const cpu = of(index, 'cpuMs');
      const wall = of(index, 'wallMs');
      const versus = (field) => (index === 0 ? '' : added(of(0, field), paired(index, field)));
      print([index === 0 ? name : '', side.label, ms(cpu), spread(index, 'cpuMs'), versus('cpuMs'), ms(wall), spread(index, 'wallMs'), versus('wallMs')]);
    });
    if (profile) {
      const own = ownCode(name);
      console.log(`${''.padEnd(nameWidth)}  keyguard's own code, in CPU profiles of 3 builds with it: ${ms(own)} ms (median), ${((own / of(0, 'cpuMs')) * 100).toFixed(1)}% of CPU without`);
    }
  }
  if (profile) {
    // What the profiles leave out: Node loading the entry. Each module is imported alone in a fresh process, alternating.
    const modules = allSides.filter((side) => side.plugin && side.plugin !== 'floor' && side.plugin !== 'metafile');
    const times = modules.map(() => []);
    const importScript = "const started = performance.now(); await import(process.env.MODULE === 'package' ? 'floor-plugin' : process.env.MODULE); console.log(performance.now() - started);";
    for (let round = 0; round < 21; round++) {
      modules.forEach((side, i) => {
        const out = spawnSync(process.execPath, ['--input-type=module', '-e', importScript], { cwd: dir, encoding: 'utf8', env: { ...process.env, MODULE: side.plugin } });
        times[i].push(Number(out.stdout));
      });
    }
    console.log(`loading the plugin in a fresh process (median of 21, alternating): ${modules.map((side, i) => `${side.label} ${median(times[i]).toFixed(1)} ms`).join(', ')}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Microseconds of a V8 CPU profile spent with a function from under `url` on the stack, in ms. */
function timeIn(cpuProfile, url) {
  const nodes = new Map(cpuProfile.nodes.map((node) => [node.id, node]));
  const parents = new Map(cpuProfile.nodes.flatMap((node) => (node.children ?? []).map((child) => [child, node.id])));
  const inside = new Map();
  const isInside = (id) => {
    if (id === undefined) return false;
    if (!inside.has(id)) inside.set(id, nodes.get(id).callFrame.url.startsWith(url) || isInside(parents.get(id)));
    return inside.get(id);
  };
  return cpuProfile.samples.reduce((sum, id, index) => sum + (isInside(id) ? (cpuProfile.timeDeltas[index] ?? 0) : 0), 0) / 1000;
}

/**
 * A 95% interval for the median of `values` (the sign test's: between the order statistics that
 * a fair coin would put on either side of it 95% of the time). An interval holding 0 is a
 * difference the run could not tell from none.
 */
function medianInterval(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const k = Math.max(0, Math.floor((n - 1.96 * Math.sqrt(n)) / 2) - 1);
  return [sorted[k], sorted[n - 1 - k]];
}
