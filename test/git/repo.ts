import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach } from 'vitest';
import { run } from '../../src/cli/run.js';
import type { CliResult } from '../../src/cli/io.js';

/** This checkout's bin: temp projects link it as `node_modules/.bin/keyguard`, as npm would. */
export const KEYGUARD_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/keyguard.js');

const sandbox = mkdtempSync(join(tmpdir(), 'keyguard-git-env-'));
writeFileSync(join(sandbox, 'gitconfig'), '');
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

/**
 * Git and hooks see no config, hooks or husky init script of the machine running the tests,
 * and nothing of an enclosing git process (GIT_DIR, GIT_INDEX_FILE…). Applied to this test
 * process too, because in-process `run()` calls git through the runner.
 */
const ENV: Record<string, string | undefined> = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_') && name !== 'HUSKY')),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: join(sandbox, 'gitconfig'),
  HOME: sandbox,
  XDG_CONFIG_HOME: join(sandbox, '.config'),
};
for (const name of Object.keys(process.env)) if (!(name in ENV)) delete process.env[name];
Object.assign(process.env, ENV);

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
  /** Both streams, as a user sees them (git prints a hook's output on stderr). */
  output: string;
}

export class TempRepo {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** An empty repository on branch main with an identity set, in a fresh temp directory. */
  static create(): TempRepo {
    const repo = new TempRepo(mkdtempSync(join(tmpdir(), 'keyguard-repo-')));
    repo.git('init', '-q', '-b', 'main');
    repo.git('config', 'user.name', 'Ada Tester');
    repo.git('config', 'user.email', 'ada@example.test');
    return repo;
  }

  /** A project: a package.json and this checkout linked in as its local keyguard bin. */
  static project(): TempRepo {
    const repo = TempRepo.create();
    repo.write('package.json', '{\n  "name": "app",\n  "private": true\n}\n');
    repo.linkKeyguard('.');
    return repo;
  }

  linkKeyguard(projectDir: string): void {
    const bin = join(this.dir, projectDir, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(KEYGUARD_BIN, join(bin, 'keyguard'));
  }

  write(path: string, content: string | Buffer): void {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }

  /** Runs git; throws with its output when it fails. */
  git(...args: string[]): string {
    const out = this.exec('git', args);
    if (out.status !== 0) throw new Error(`git ${args.join(' ')} failed (${out.status}): ${out.output}`);
    return out.stdout;
  }

  /** Runs git and returns how it ended, for commands expected to fail. */
  tryGit(...args: string[]): Run {
    return this.exec('git', args);
  }

  /** A real `git commit`, so the installed hook runs as it would for a user. */
  commit(message: string, args: string[] = [], env: Record<string, string> = {}): Run {
    return this.exec('git', ['commit', '-q', '-m', message, ...args], env);
  }

  /** Stages everything and commits bypassing the hook: how a key gets into history for the tests that need one there. */
  commitUnchecked(message: string, ...args: string[]): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--no-verify', '-m', message, ...args);
    return this.head() as string;
  }

  head(): string | undefined {
    const out = this.tryGit('rev-parse', '-q', '--verify', 'HEAD');
    return out.status === 0 ? out.stdout.trim() : undefined;
  }

  /** keyguard through its CLI contract, in this process. */
  keyguard(...argv: string[]): Promise<CliResult> {
    return run(argv, { cwd: this.dir, env: ENV, stdoutIsTTY: false, stderrIsTTY: false });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private exec(command: string, args: string[], env: Record<string, string> = {}): Run {
    const out = spawnSync(command, args, { cwd: this.dir, env: { ...ENV, ...env }, encoding: 'utf8' });
    const stdout = out.stdout ?? '';
    const stderr = out.stderr ?? '';
    return { status: out.status ?? -1, stdout, stderr, output: stdout + stderr };
  }
}

/**
 * Temp repositories removed when each test ends. Call once at a test file's top level:
 * `const { repo, onCleanup } = tempRepos();` (`onCleanup` for anything else a test makes).
 */
export function tempRepos(): { repo: () => TempRepo; onCleanup: (cleanup: () => void) => void } {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
  return {
    repo: () => {
      const made = TempRepo.create();
      cleanups.push(() => made.remove());
      return made;
    },
    onCleanup: (cleanup) => cleanups.push(cleanup),
  };
}
