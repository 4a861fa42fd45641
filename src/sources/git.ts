import { spawn } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KeyguardError } from '../errors.js';
import { redactText } from '../findings.js';

/**
 * The only module that runs git. A direct child process rather than a wrapper library:
 * the pre-commit hook pays for every millisecond of start-up, and history scans need
 * to stream `git log -p` instead of buffering it.
 */
export interface GitOptions {
  cwd: string;
  /** The environment to run git in: the one the CLI's `run()` was given. Without it, this process's (the programmatic API). */
  env?: Env | undefined;
  /** Written to git's stdin. */
  input?: string | Buffer;
  /** Exit codes that are answers rather than failures (`check-ignore` exits 1 for "none ignored"). */
  okExitCodes?: number[];
  /** Hears what git wrote on stderr when it succeeds anyway (its warnings). */
  onStderr?: (text: string) => void;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Git is not installed, or not on PATH. */
class GitNotFound extends KeyguardError {}

/** Runs git and returns its whole stdout. For output that can be large, use `gitLines`/`gitStream`. */
export async function git(args: string[], options: GitOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of gitStream(args, options)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Streams git's stdout chunk by chunk; memory stays flat whatever the output size. */
export async function* gitStream(args: string[], options: GitOptions): AsyncGenerator<Buffer> {
  const child = spawn('git', ['-c', 'core.quotepath=off', ...args], {
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    // Never a credential prompt; messages in English, which gitTopLevel reads.
    env: { ...(options.env ?? process.env), GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
  // Awaited after stdout ends; until then a spawn error (git not on PATH) must not count as unhandled.
  exited.catch(() => undefined);
  child.stdin.on('error', () => undefined); // git may exit before reading all input
  child.stdin.end(options.input);
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
  } catch (error) {
    throw gitError(args, error);
  } finally {
    if (child.exitCode === null) child.kill();
  }
  let code: number;
  try {
    code = await exited;
  } catch (error) {
    throw gitError(args, error);
  }
  if (code !== 0 && !(options.okExitCodes ?? []).includes(code)) {
    const reason = stderr.trim().split('\n').find((line) => line.trim()) ?? `exit code ${code}`;
    throw new KeyguardError(`git ${args[0] ?? ''} failed: ${redactText(reason.replace(/^(fatal|error): /, ''))}`);
  }
  if (stderr) options.onStderr?.(stderr);
}

/** Splits NUL-separated output (`-z`), the only safe way to read file names from git. */
export function splitNul(output: Buffer): string[] {
  return output
    .toString('utf8')
    .split('\0')
    .filter((part) => part.length > 0);
}

/**
 * The top of the work tree containing `cwd`, or undefined outside a repository. Git says
 * "not a git repository" of a broken one too (a `.git` whose HEAD is garbage, a `.git` file
 * pointing nowhere), and says nothing when it is not installed: a `.git` on the way up tells
 * those apart from a plain directory, which alone is scanned without git. An empty `.git`
 * directory holds no repository, broken or not.
 */
export async function gitTopLevel(cwd: string, env?: Env): Promise<string | undefined> {
  if (!mayBeInRepository(cwd, env)) return undefined;
  try {
    const out = await git(['rev-parse', '--show-toplevel'], { cwd, env });
    return out.toString('utf8').trim();
  } catch (error) {
    const notRepository = error instanceof KeyguardError && /not a git repository/i.test(error.message);
    if (!notRepository && !(error instanceof GitNotFound)) throw error;
    const dotGit = dotGitAbove(cwd);
    if (dotGit === undefined) return undefined;
    if (error instanceof GitNotFound) throw error;
    const says = (error as KeyguardError).message.replace(/^git rev-parse failed: /, '').replace(/ \(or any of the parent directories\): \.git$/, '');
    throw new KeyguardError(`${dotGit} is not a repository git can read (git: ${says}): repair it, or move it away to scan the files without git`);
  }
}

/**
 * Whether git could find a repository from `dir`: `GIT_DIR` names one, or `dir` or a directory
 * above it holds a `.git` or a `HEAD` (a bare repository, or the inside of a `.git`). False only
 * when git would find none, so a scan outside any repository starts no git process (each costs the
 * main thread ~2.5 ms of CPU to spawn, measured, and waits for the child's exec).
 */
export function mayBeInRepository(dir: string, env?: Env): boolean {
  if ((env ?? process.env).GIT_DIR !== undefined) return true;
  return nearestAbove(dir, (at) => present(join(at, '.git')) || present(join(at, 'HEAD')) || undefined) !== undefined;
}

/** The first thing `look` finds in `dir` or a directory above it, nearest first; undefined at the root. */
function nearestAbove<T>(dir: string, look: (at: string) => T | undefined): T | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const found = look(at);
    if (found !== undefined || dirname(at) === at) return found;
  }
}

/** Whether there is something at `path` (a dangling link counts; so does what cannot be looked at). */
function present(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true;
  }
}

/** The nearest `.git` in `dir` or above it that is a file, or a directory with a HEAD (only when git failed). */
function dotGitAbove(dir: string): string | undefined {
  const info = (path: string) => {
    try {
      return lstatSync(path, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
  };
  return nearestAbove(dir, (at) => {
    const candidate = join(at, '.git');
    return info(join(candidate, 'HEAD')) !== undefined || info(candidate)?.isFile() ? candidate : undefined;
  });
}

/** For a mode that only makes sense in a repository (`--staged`, `--range`, `--history`). */
export function notARepository(flag: string, cwd: string): KeyguardError {
  return new KeyguardError(`${flag} reads git, but ${cwd} is not in a git repository: run it inside one`);
}

function gitError(args: string[], error: unknown): KeyguardError {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    return new GitNotFound('git was not found on PATH: install git, or scan a directory outside a repository');
  }
  const message = error instanceof Error ? error.message : String(error);
  return new KeyguardError(`git ${args[0] ?? ''} failed: ${redactText(message)}`);
}
