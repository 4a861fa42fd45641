import type { TextInput } from '../detect/index.js';

/** Who added a fragment, for findings from `--range` and `--history`. */
export interface CommitInfo {
  sha: string;
  author: string;
  date: string;
}

/**
 * A piece of text and where it came from: what sources yield for the detector and the text
 * rules. `path` is relative to the current directory with `/` separators.
 */
export interface Fragment extends TextInput {
  commit?: CommitInfo;
  /** When set, only keys on these 1-based lines are reported (staged and commit diffs). */
  addedLines?: ReadonlySet<number>;
}
