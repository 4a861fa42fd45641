import { KeyguardError } from '../errors.js';
import { CommitsSource } from './commits.js';
import type { Env } from './git.js';
import type { Source } from './source.js';
import { StagedSource } from './staged.js';

export interface GitSourceOptions {
  staged?: boolean;
  range?: string;
  history?: boolean;
  /** Paths given to `scan`: they narrow the working tree only. */
  paths?: readonly string[];
  onCommit?: (commits: number) => void;
  /** The environment git runs in (see GitOptions). */
  env?: Env | undefined;
}

/** The source `--staged`, `--range` or `--history` asks for, or undefined for the working tree. */
export function gitSource(cwd: string, options: GitSourceOptions): Source | undefined {
  const flag = options.staged ? '--staged' : options.range !== undefined ? '--range' : options.history ? '--history' : undefined;
  if (flag === undefined) return undefined;
  if (options.paths && options.paths.length > 0) {
    throw new KeyguardError(`${flag} scans the whole repository: drop the paths (${options.paths.join(' ')}), or scan them without ${flag}`);
  }
  if (options.staged) return new StagedSource(cwd, options.env);
  return new CommitsSource(cwd, { range: options.range, onCommit: options.onCommit, env: options.env });
}
