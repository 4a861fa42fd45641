import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { REPO_ROOT } from '../helpers/tracked-copy.js';

// The adoption suite: keyguard as a user gets it. The packed tarball (`npm pack`) installed from the
// npm registry's dependencies into throwaway projects, driven through their own commands (npm, npx,
// tsc, vitest, eslint, git, pre-commit). Installs go through the machine's one npm cache.

export const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/**
 * The first fenced block of `lang` after `marker` in the README, as a user would copy it: the suite
 * runs what the README shows, so it breaks when the README drifts from the product.
 */
export function readmeBlock(marker: string, lang: string): string {
  const at = README.indexOf(marker);
  if (at < 0) throw new Error(`README.md no longer has "${marker}"`);
  const open = README.indexOf(`\n\`\`\`${lang}\n`, at);
  if (open < 0) throw new Error(`README.md has no \`\`\`${lang} block after "${marker}"`);
  const start = open + lang.length + 5;
  return README.slice(start, README.indexOf('\n```\n', start) + 1);
}

/** What a user's shell has: no npm, vitest or git variables of the process running this suite. */
const USER_ENV: Record<string, string> = {
  ...(Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(npm_|VITEST|GIT_)/i.test(name) && !['NODE_ENV', 'NODE_OPTIONS', 'INIT_CWD', 'HUSKY', 'TEST', 'FORCE_COLOR'].includes(name)),
  ) as Record<string, string>),
  // No machine-wide git config (a template or hooksPath would change what the hooks do).
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  // Plain output to match against (vitest colours even into a pipe when its parent did).
  NO_COLOR: '1',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

export interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Both streams, as the user sees them. */
  output: string;
}

let tarball: string | undefined;
const scratch = mkdtempSync(join(tmpdir(), 'keyguard-adoption-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** This checkout packed, once per test file: `npm pack` runs `prepare`, so it holds the current sources, built. */
export function packedTarball(): string {
  if (tarball) return tarball;
  const destination = join(scratch, 'pack');
  mkdirSync(destination);
  const packed = run(REPO_ROOT, 'npm', ['pack', '--silent', '--pack-destination', destination]);
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.output}`);
  tarball = join(destination, packed.stdout.trim().split('\n').at(-1) as string);
  return tarball;
}

export function run(cwd: string, command: string, args: readonly string[], env: Record<string, string> = {}): Outcome {
  const out = spawnSync(command, args, { cwd, env: { ...USER_ENV, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (out.error) throw out.error;
  return { status: out.status, stdout: out.stdout, stderr: out.stderr, output: `${out.stdout}${out.stderr}` };
}

/** A throwaway project directory under the suite's scratch directory. */
export class Project {
  readonly dir: string;
  /** Variables every command in this project gets, on top of the user's shell. */
  readonly env: Record<string, string> = {};

  constructor(name: string, packageJson: object = {}) {
    this.dir = join(scratch, name);
    mkdirSync(this.dir, { recursive: true });
    this.write('package.json', `${JSON.stringify({ name, version: '1.0.0', private: true, ...packageJson }, null, 2)}\n`);
  }

  /** A teammate's `git clone` of this project (with its own author). */
  clone(name: string): Project {
    const clone = Object.create(Project.prototype) as Project;
    Object.assign(clone, { dir: join(scratch, name), env: { ...this.env } });
    const cloned = run(scratch, 'git', ['clone', '-q', this.dir, clone.dir], this.env);
    if (cloned.status !== 0) throw new Error(`git clone failed:\n${cloned.output}`);
    for (const args of [['config', 'user.name', 'Mate'], ['config', 'user.email', 'mate@example.test']]) clone.git(...args);
    return clone;
  }

  write(path: string, text: string): this {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), text);
    return this;
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  run(command: string, args: readonly string[]): Outcome {
    return run(this.dir, command, args, this.env);
  }

  /** `npm install` of these specs (the tarball among them as a path), from the registry through the shared cache. */
  install(...specs: string[]): Outcome {
    const out = this.run('npm', ['install', ...specs]);
    if (out.status !== 0) throw new Error(`npm install ${specs.join(' ')} failed in ${this.dir}:\n${out.output}`);
    return out;
  }

  /** A git repository with an author, as a developer's clone has. */
  gitInit(): this {
    for (const args of [['init', '-q', '-b', 'main'], ['config', 'user.name', 'Dev'], ['config', 'user.email', 'dev@example.test']]) this.git(...args);
    return this;
  }

  git(...args: string[]): Outcome {
    const out = this.run('git', args);
    if (out.status !== 0 && args[0] !== 'commit') throw new Error(`git ${args.join(' ')} failed:\n${out.output}`);
    return out;
  }
}
