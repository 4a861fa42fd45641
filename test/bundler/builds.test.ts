import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact } from '../../src/findings.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { BundlerProject, cli, type BuildOutcome } from './project.js';

/**
 * Real bundlers build real temp projects with `keyguard/bundler` in their config. In each, one
 * key reaches the client through an env variable and one through a literal in a module.
 */
const fromEnv = fakeKey('live');
const literal = fakeKey('live');

/** The app every project builds: `src/main.js` reads a variable, `src/secret.js` holds a literal. */
function app(readEnv: string, withLiteral: boolean): Record<string, string> {
  return {
    'src/main.js': `import { label } from './secret.js';\nconst key = ${readEnv};\ndocument.title = label;\ndocument.body.dataset.key = key;\n`,
    'src/secret.js': `export const label = '${withLiteral ? literal : 'hello'}';\n`,
  };
}

interface Case {
  name: string;
  files: Record<string, string>;
  /** Builds the project; `env` holds the key when the build should inline it. */
  build: (project: BundlerProject, env: Record<string, string>) => BuildOutcome;
  /** Where the build writes the chunk holding the app. */
  chunk: RegExp;
  envVariable: string;
  /** The bundler writes its output before a plugin can fail the build (esbuild's onEnd). */
  writesBeforeFailing?: true;
  /** The file the env variable comes from, when the bundler reads one rather than the process environment. */
  envFile?: string;
}

const CASES: Case[] = [
  {
    name: 'Vite',
    files: {
      ...app('import.meta.env.VITE_STRIPE_KEY', true),
      'index.html': '<!doctype html><script type="module" src="/src/main.js"></script>\n',
      'vite.config.js': "import { vite } from 'keyguard/bundler';\nexport default { plugins: [vite()], build: { sourcemap: process.env.MAP === '1' } };\n",
    },
    build: (project, env) => project.run(cli.vite, ['build'], env),
    chunk: /dist\/assets\/index-[\w-]+\.js:\d+:\d+/,
    envVariable: 'import.meta.env.VITE_STRIPE_KEY',
    envFile: '.env.local',
  },
  {
    name: 'Rollup',
    files: {
      ...app('process.env.API_KEY', true),
      'rollup.config.mjs': [
        "import replace from '@rollup/plugin-replace';",
        "import { rollup } from 'keyguard/bundler';",
        'export default {',
        "  input: 'src/main.js',",
        "  output: { dir: 'dist', format: 'es', sourcemap: process.env.MAP === '1' },",
        "  plugins: [replace({ preventAssignment: true, values: { 'process.env.API_KEY': JSON.stringify(process.env.API_KEY ?? '') } }), rollup()],",
        '};',
        '',
      ].join('\n'),
    },
    build: (project, env) => project.run(cli.rollup, ['-c'], env),
    chunk: /dist\/main\.js:\d+:\d+/,
    envVariable: 'process.env.API_KEY',
  },
  {
    name: 'webpack',
    files: {
      ...app('process.env.API_KEY', true),
      'webpack.config.mjs': [
        "import webpack from 'webpack';",
        "import { webpack as keyguard } from 'keyguard/bundler';",
        'export default {',
        "  mode: 'production',",
        "  entry: './src/main.js',",
        "  devtool: process.env.MAP === '1' ? 'source-map' : false,",
        "  plugins: [new webpack.DefinePlugin({ 'process.env.API_KEY': JSON.stringify(process.env.API_KEY ?? '') }), keyguard()],",
        '};',
        '',
      ].join('\n'),
    },
    build: (project, env) => project.run(cli.webpack, ['--config', 'webpack.config.mjs'], env),
    chunk: /dist\/main\.js:\d+:\d+/,
    envVariable: 'process.env.API_KEY',
  },
  {
    name: 'esbuild',
    files: {
      ...app('process.env.API_KEY', true),
      'build.mjs': [
        "import { build } from 'esbuild';",
        "import { esbuild as keyguard } from 'keyguard/bundler';",
        'await build({',
        "  entryPoints: ['src/main.js'], bundle: true, minify: true, outdir: 'dist', sourcemap: process.env.MAP === '1', logLevel: 'info',",
        "  define: { 'process.env.API_KEY': JSON.stringify(process.env.API_KEY ?? '') },",
        '  plugins: [keyguard()],',
        '});',
        '',
      ].join('\n'),
    },
    build: (project, env) => project.run('build.mjs', [], env),
    chunk: /dist\/main\.js:\d+:\d+/,
    envVariable: 'process.env.API_KEY',
    writesBeforeFailing: true,
  },
  {
    name: 'Rspack',
    files: {
      ...app('process.env.API_KEY', true),
      'build.mjs': [
        "import { rspack } from '@rspack/core';",
        "import { rspack as keyguard } from 'keyguard/bundler';",
        'const compiler = rspack({',
        "  mode: 'production', context: process.cwd(), entry: './src/main.js',",
        "  devtool: process.env.MAP === '1' ? 'source-map' : false,",
        "  plugins: [new rspack.DefinePlugin({ 'process.env.API_KEY': JSON.stringify(process.env.API_KEY ?? '') }), keyguard()],",
        '});',
        'compiler.run((error, stats) => {',
        '  if (error) { console.error(error.message); process.exitCode = 1; }',
        "  else if (stats.hasErrors()) { console.error(stats.toString('errors-only')); process.exitCode = 1; }",
        '  compiler.close(() => {});',
        '});',
        '',
      ].join('\n'),
    },
    build: (project, env) => project.run('build.mjs', [], env),
    chunk: /dist\/main\.js:\d+:\d+/,
    envVariable: 'process.env.API_KEY',
  },
];

describe.each(CASES)('keyguard/bundler in a real $name build', (c) => {
  let project: BundlerProject;
  let keyEnv: Record<string, string>;

  beforeAll(async () => {
    project = await BundlerProject.create(c.files);
    if (c.envFile) {
      project.write({ [c.envFile]: `VITE_STRIPE_KEY=${fromEnv}\n` });
      keyEnv = {};
    } else {
      keyEnv = { API_KEY: fromEnv };
    }
  });
  afterAll(() => project.remove());

  /** No output of the build may hold a full key. */
  function expectRedacted(out: BuildOutcome): void {
    expect(out.output).not.toContain(bodyOf(fromEnv));
    expect(out.output).not.toContain(bodyOf(literal));
  }

  it.each([
    ['without a source map', '0'],
    ['with a source map', '1'],
  ])('fails when a key reaches the client, naming the chunk, the source and the variable (%s)', (_label, map) => {
    project.clean('dist');
    const out = c.build(project, { ...keyEnv, MAP: map });

    expect(out.status, out.output).not.toBe(0);
    expect(project.anyFileHolds('dist', bodyOf(literal))).toBe(c.writesBeforeFailing === true);
    expect(out.output).toMatch(/keyguard: \d+ secret keys in client output/);
    // The chunk's line; a map that embeds the sources has its own.
    const lines = out.output.split('\n').filter((line) => !/\.map:\d/.test(line));
    const envLine = lines.find((line) => line.includes(redact(fromEnv)));
    const literalLine = lines.find((line) => line.includes(redact(literal)));
    expect(envLine).toMatch(c.chunk);
    expect(envLine).toMatch(new RegExp(`from ${c.envVariable.replace(/\./g, '\\.')} in src/main\\.js:2:\\d+`));
    expect(literalLine).toMatch(c.chunk);
    expect(literalLine).toContain('written in src/secret.js:1:23');
    expectRedacted(out);
  });

  it('passes the same build without keys', () => {
    project.write({ 'src/secret.js': "export const label = 'hello';\n", ...(c.envFile && { [c.envFile]: 'VITE_STRIPE_KEY=\n' }) });
    const out = c.build(project, { MAP: '1' });

    expect(out.status, out.output).toBe(0);
    expect(out.output).not.toContain('keyguard');
    expect(existsSync(join(project.dir, 'dist/main.js')) || existsSync(join(project.dir, 'dist/index.html'))).toBe(true);
  });
});
