import { KeyguardError } from '../errors.js';
import { CommitsSource } from './commits.js';
import type { Source } from './source.js';
import { StagedSource } from './staged.js';

export interface GitSourceOptions {
  staged?: boolean;
  range?: string;
  history?: boolean;
  /** Paths given to `scan`: they narrow the working tree only. */
  paths?: readonly string[];
  onCommit?: (commits: number) => void;
}

/** The source `--staged`, `--range` or `--history` asks for, or undefined for the working tree. */
export function gitSource(cwd: string, options: GitSourceOptions): Source | undefined {
  const flag = options.staged ? '--staged' : options.range !== undefined ? '--range' : options.history ? '--history' : undefined;
  if (flag === undefined) return undefined;
  if (options.paths && options.paths.length > 0) {
    throw new KeyguardError(`${flag} scans the whole repository: drop the paths (${options.paths.join(' ')}), or scan them without ${flag}`);
  }
  if (options.staged) return new StagedSource(cwd);
  const commits: { range?: string; onCommit?: (commits: number) => void } = {};
  if (options.range !== undefined) commits.range = options.range;
  if (options.onCommit) commits.onCommit = options.onCommit;
  return new CommitsSource(cwd, commits);
}
