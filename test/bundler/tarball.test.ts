import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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
