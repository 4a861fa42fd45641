import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const repoModules = join(repo, 'node_modules');

export interface BuildOutcome {
  status: number | null;
  /** stdout and stderr together: what the user sees. */
  output: string;
}

/**
 * A temp project that installs `keyguard` as users do, from the current sources: the
 * `keyguard/bundler` entry is compiled from `src/bundler` when the suite starts (never a stale
 * `dist/`), and every other package is a link into the repository's node_modules, so the real
 * bundlers build it without an install.
 */
export class BundlerProject {
  private constructor(readonly dir: string) {}

  static async create(files: Record<string, string>): Promise<BundlerProject> {
    const dir = mkdtempSync(join(tmpdir(), 'keyguard-bundler-'));
    const modules = join(dir, 'node_modules');
    mkdirSync(modules);
    for (const entry of readdirSync(repoModules)) {
      if (entry !== 'keyguard') symlinkSync(join(repoModules, entry), join(modules, entry));
    }
    installKeyguard(join(modules, 'keyguard'));
    const project = new BundlerProject(dir);
    project.write({ 'package.json': JSON.stringify({ name: 'app', private: true, type: 'module' }), ...files });
    return project;
  }

  write(files: Record<string, string>): void {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), content);
    }
  }

  /** Runs a bundler's own CLI or a build script as the user would: `node <file> args…` in the project. */
  run(file: string, args: string[] = [], env: Record<string, string> = {}): BuildOutcome {
    const out = spawnSync(process.execPath, [file, ...args], {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      timeout: 120_000,
    });
    if (out.error) throw out.error;
    return { status: out.status, output: `${out.stdout}${out.stderr}` };
  }

  /** Whether any file under `dir` holds `text`. */
  anyFileHolds(dir: string, text: string): boolean {
    const root = join(this.dir, dir);
    if (!existsSync(root)) return false;
    return readdirSync(root, { recursive: true, withFileTypes: true }).some(
      (entry) => entry.isFile() && readFileSync(join(entry.parentPath, entry.name), 'utf8').includes(text),
    );
  }

  clean(dir: string): void {
    rmSync(join(this.dir, dir), { recursive: true, force: true });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let bundled: Map<string, string> | undefined;

/**
 * `node_modules/keyguard` with the `./bundler` export as the package ships it: the bundle step
 * (scripts/bundle.mjs, unplugin inlined) run on the current sources once per test file, never a
 * stale `dist/`. Its other imports resolve to the repository's installed dependencies.
 */
function installKeyguard(target: string): void {
  bundled ??= bundleEntry();
  mkdirSync(join(target, 'dist/bundler'), { recursive: true });
  for (const [name, code] of bundled) writeFileSync(join(target, 'dist/bundler', name), code);
  writeFileSync(
    join(target, 'package.json'),
    JSON.stringify({ name: 'keyguard', type: 'module', exports: { './bundler': './dist/bundler/index.js' } }),
  );
}

function bundleEntry(): Map<string, string> {
  const out = mkdtempSync(join(tmpdir(), 'keyguard-bundler-entry-'));
  try {
    const made = spawnSync(process.execPath, [join(repo, 'scripts/bundle.mjs'), 'bundler', '--out', out], { encoding: 'utf8', timeout: 120_000 });
    if (made.status !== 0) throw new Error(`scripts/bundle.mjs bundler failed:\n${made.stdout}${made.stderr}`);
    return new Map(readdirSync(out).map((name) => [name, readFileSync(join(out, name), 'utf8')]));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A bundler's CLI script, from the repository's node_modules. */
export const cli = {
  vite: 'node_modules/vite/bin/vite.js',
  rollup: 'node_modules/rollup/dist/bin/rollup',
  webpack: 'node_modules/webpack-cli/bin/cli.js',
} as const;
