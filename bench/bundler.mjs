#!/usr/bin/env node
// keyguard/bundler's cost: whole `vite build`, `rollup -c`, `webpack`, Rspack and esbuild builds of
// a generated app of 2,000 modules with the plugin and without it, alternating, in one run. Prints
// one table: per bundler, the medians of CPU time (the process and its children: esbuild's and
// Rspack's native code included) and of wall time without and with the plugin, and what the plugin
// added (target: under 3%). The app holds no key, as a build that passes. Needs a build (npm run
// build): the plugin is loaded as users load it, `keyguard/bundler` from the package. Local only;
// cleans up after itself.
// Usage: node bench/bundler.mjs [rounds=10] [bundlers=vite,rollup,webpack,rspack,esbuild] [--compare DIR]
// --compare DIR also builds with the plugin of another built checkout (dist/src/bundler/index.js there)
// in the same rounds: a row `<bundler> (DIR)` against the same builds without a plugin.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const compareAt = args.indexOf('--compare');
const compare = compareAt === -1 ? undefined : resolve(args.splice(compareAt, 2)[1]);
const rounds = Number(args[0] ?? 10);
const bundlers = (args[1] ?? 'vite,rollup,webpack,rspack,esbuild').split(',');
const MODULES = 2000;

if (!existsSync(join(root, 'dist/src/bundler/index.js'))) {
  console.error('bench/bundler.mjs: run `npm run build` first (the plugin is loaded from dist/)');
  process.exit(2);
}

/**
 * Each bundler's build, its config adding the plugin imported from KEYGUARD_PLUGIN when set. It is imported only
 * then (a dynamic import): a static one would make the build without it load keyguard/bundler and
 * unplugin too, hiding what loading them costs, which is most of what the plugin costs.
 */
const BUILDS = {
  vite: {
    files: {
      'index.html': '<!doctype html><script type="module" src="/src/main.js"></script>\n',
      'vite.config.js': "export default { logLevel: 'silent', plugins: process.env.KEYGUARD_PLUGIN ? [(await import(process.env.KEYGUARD_PLUGIN)).vite()] : [], build: { sourcemap: true } };\n",
    },
    argv: ['node_modules/vite/bin/vite.js', 'build'],
  },
  rollup: {
    files: {
      'rollup.config.mjs':
        "export default { input: 'src/main.js', output: { dir: 'dist-rollup', format: 'es', sourcemap: true }, plugins: process.env.KEYGUARD_PLUGIN ? [(await import(process.env.KEYGUARD_PLUGIN)).rollup()] : [] };\n",
    },
    argv: ['node_modules/rollup/dist/bin/rollup', '-c', '--silent'],
  },
  webpack: {
    files: {
      'webpack.config.mjs':
        "export default { mode: 'production', entry: './src/main.js', devtool: 'source-map', stats: 'none', output: { path: new URL('./dist-webpack', import.meta.url).pathname }, plugins: process.env.KEYGUARD_PLUGIN ? [(await import(process.env.KEYGUARD_PLUGIN)).webpack()] : [] };\n",
    },
    argv: ['node_modules/webpack-cli/bin/cli.js', '--config', 'webpack.config.mjs'],
  },
  rspack: {
    files: {
      'rspack.mjs': [
        "import { rspack } from '@rspack/core';",
        "const compiler = rspack({ mode: 'production', context: process.cwd(), entry: './src/main.js', devtool: 'source-map', output: { path: new URL('./dist-rspack', import.meta.url).pathname }, plugins: process.env.KEYGUARD_PLUGIN ? [(await import(process.env.KEYGUARD_PLUGIN)).rspack()] : [] });",
        "compiler.run((error, stats) => { if (error || stats.hasErrors()) { console.error(error?.message ?? stats.toString('errors-only')); process.exitCode = 1; } compiler.close(() => {}); });",
        '',
      ].join('\n'),
    },
    argv: ['rspack.mjs'],
  },
  esbuild: {
    files: {
      'esbuild.mjs':
        "import { build } from 'esbuild';\nawait build({ entryPoints: ['src/main.js'], bundle: true, minify: true, sourcemap: true, outdir: 'dist-esbuild', plugins: process.env.KEYGUARD_PLUGIN ? [(await import(process.env.KEYGUARD_PLUGIN)).esbuild()] : [] });\n",
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
  writeFileSync(join(dir, 'package.json'), '{ "name": "bench-app", "private": true, "type": "module" }\n');
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

  // CPU time of the whole build process through GNU time when it is there: on a busy machine it moves less than wall time.
  const timer = spawnSync('/usr/bin/time', ['-f', '%U', 'true']).status === 0;
  // The sides: no plugin, the plugin as users load it, and with --compare another checkout's.
  const sides = [
    { label: 'without', plugin: '' },
    { label: 'with', plugin: 'keyguard/bundler' },
    ...(compare ? [{ label: compare, plugin: pathToFileURL(join(compare, 'dist/src/bundler/index.js')).href }] : []),
  ];
  const runBuild = (name, side) => {
    const argv = [process.execPath, ...BUILDS[name].argv];
    const command = timer ? ['/usr/bin/time', '-f', 'cpu=%U+%S', ...argv] : argv;
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

  const ms = (value) => (Number.isNaN(value) ? 'n/a' : `${Math.round(value).toLocaleString('en')} ms`);
  const added = ([before, after]) => (Number.isNaN(before) ? 'n/a' : `${after - before >= 0 ? '+' : ''}${Math.round(after - before)} ms, ${((after / before - 1) * 100).toFixed(1)}%`);
  const nameWidth = Math.max(...bundlers.map((name) => name.length + (compare ? compare.length + 3 : 0)));
  // Each row as soon as its bundler is measured: a long run cut short still shows what it measured.
  const print = (cells) => console.log(cells.map((cell, column) => (column === 0 ? cell.padEnd(nameWidth) : cell.padStart(column % 3 === 0 ? 16 : 12))).join('  '));
  console.log(`keyguard/bundler on a generated app of ${MODULES.toLocaleString('en')} modules: medians of ${rounds} builds each way, rotated (source maps on; target: under 3% added)`);
  print(['bundler', 'CPU without', 'CPU with', 'CPU added', 'wall without', 'wall with', 'wall added']);
  for (const name of bundlers) {
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
    for (let index = 1; index < sides.length; index++) {
      const cpu = [of(0, 'cpuMs'), of(index, 'cpuMs')];
      const wall = [of(0, 'wallMs'), of(index, 'wallMs')];
      print([index === 1 ? name : `${name} (${sides[index].label})`, ms(cpu[0]), ms(cpu[1]), added(cpu), ms(wall[0]), ms(wall[1]), added(wall)]);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
