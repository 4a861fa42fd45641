import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { redact } from '../../src/findings.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let dir: string;

function sh(command: string, args: string[], cwd: string): string {
  const out = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${out.stdout}${out.stderr}`);
  return out.stdout;
}

// The product is the packed tarball: `npm pack` runs the package's own build (prepare), so
// what is checked here is what users install, built from the current sources.
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyguard-tarball-'));
  const packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', dir], repo)) as Array<{ filename: string }>;
  const modules = join(dir, 'app/node_modules');
  mkdirSync(join(modules, 'keyguard'), { recursive: true });
  sh('tar', ['-xzf', join(dir, packed[0]?.filename ?? ''), '-C', join(modules, 'keyguard'), '--strip-components=1'], dir);
  // Its dependencies and the bundler come from the repository's install: no network.
  for (const entry of readdirSync(join(repo, 'node_modules'))) {
    if (entry !== 'keyguard') symlinkSync(join(repo, 'node_modules', entry), join(modules, entry));
  }
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('keyguard/bundler from the packed tarball fails a Vite build that inlines a key, and types resolve', () => {
  const app = join(dir, 'app');
  const key = fakeKey('live');
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'app', private: true, type: 'module' }),
    'index.html': '<!doctype html><script type="module" src="/src/main.js"></script>\n',
    'src/main.js': 'document.title = import.meta.env.VITE_KEY;\n',
    '.env.production': `VITE_KEY=${key}\n`,
    'vite.config.ts': "import { vite, type BundlerOptions } from 'keyguard/bundler';\nconst options: BundlerOptions = { failOn: 'any' };\nexport default { plugins: [vite(options)] };\n",
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true }, files: ['vite.config.ts'] }),
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(app, path)), { recursive: true });
    writeFileSync(join(app, path), content);
  }

  sh(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', '.'], app);
  const build = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { cwd: app, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const output = `${build.stdout}${build.stderr}`;

  expect(build.status).not.toBe(0);
  expect(output).toContain(`${redact(key)} (live key)  from import.meta.env.VITE_KEY in src/main.js:1:18`);
  expect(output).not.toContain(bodyOf(key));
});

it('keyguard/bundler from the packed tarball loads in ES module and CommonJS projects, and a required esbuild plugin fails a build that inlines a key', () => {
  const app = join(dir, 'app');
  const key = fakeKey('live');
  const names = "[vite(), rollup(), webpack(), rspack(), esbuild()].map((plugin) => plugin.name ?? typeof plugin.apply).join(' ')";
  const files: Record<string, string> = {
    'loads.mjs': `import { vite, rollup, webpack, rspack, esbuild } from 'keyguard/bundler';\nconsole.log(${names});\n`,
    'commonjs/package.json': JSON.stringify({ name: 'commonjs-app', private: true, type: 'commonjs' }),
    'commonjs/loads.js': `const { vite, rollup, webpack, rspack, esbuild } = require('keyguard/bundler');\nconsole.log(${names});\n`,
    'commonjs/src/main.js': 'document.title = process.env.API_KEY;\n',
    'commonjs/build.js': [
      "const { build } = require('esbuild');",
      "const { esbuild: keyguard } = require('keyguard/bundler');",
      "build({ entryPoints: ['src/main.js'], bundle: true, outdir: 'out', logLevel: 'silent', define: { 'process.env.API_KEY': JSON.stringify(process.env.API_KEY) }, plugins: [keyguard()] })",
      '  .then(() => console.log(\'built\'), (error) => { console.error(error.message); process.exitCode = 1; });',
      '',
    ].join('\n'),
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(app, path)), { recursive: true });
    writeFileSync(join(app, path), content);
  }

  expect(sh(process.execPath, ['loads.mjs'], app)).toBe('keyguard keyguard function function keyguard\n');
  const commonjs = join(app, 'commonjs');
  const loaded = spawnSync(process.execPath, ['loads.js'], { cwd: commonjs, encoding: 'utf8' });
  expect(loaded.stderr).toBe('');
  expect(loaded.stdout).toBe('keyguard keyguard function function keyguard\n');

  const build = spawnSync(process.execPath, ['build.js'], { cwd: commonjs, encoding: 'utf8', env: { ...process.env, API_KEY: key, NO_COLOR: '1' } });
  const output = `${build.stdout}${build.stderr}`;
  expect(build.status).toBe(1);
  expect(output).toContain(`${redact(key)} (live key)  from process.env.API_KEY in src/main.js:1:18`);
  expect(output).not.toContain(bodyOf(key));
});

it('loading keyguard/bundler and making each plugin loads only its own files: no unplugin, no detector, no config schemas, no CLI', () => {
  const app = join(dir, 'app');
  const loaded = join(dir, 'loaded.txt');
  // A resolve hook that writes down every module Node loads (Node's own modules aside).
  const hooks = `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const resolved = await next(specifier, context);\n  if (!resolved.url.startsWith('node:')) appendFileSync(${JSON.stringify(loaded)}, resolved.url + '\\n');\n  return resolved;\n}\n`;
  writeFileSync(join(app, 'hooks.mjs'), hooks);
  writeFileSync(join(app, 'record.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
  writeFileSync(join(app, 'plugins.mjs'), "const kg = await import('keyguard/bundler');\nfor (const name of ['vite', 'rollup', 'webpack', 'rspack', 'esbuild']) kg[name]();\n");

  sh(process.execPath, ['--import', './record.mjs', 'plugins.mjs'], app);

  const files = readFileSync(loaded, 'utf8').trim().split('\n').map((url) => relative(join(app, 'node_modules'), fileURLToPath(url)));
  expect(files.filter((file) => !file.startsWith('..'))).toEqual(['keyguard/dist/bundler/index.js', 'keyguard/dist/bundler/paths.js', 'keyguard/dist/bundler/errors.js']);
});
