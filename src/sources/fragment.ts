/** Who added a fragment, for findings from `--range` and `--history`. */
export interface CommitInfo {
  sha: string;
  author: string;
  date: string;
}

/**
 * A piece of text and where it came from: what every source yields and the detector reads.
 * `path` is relative to the current directory with `/` separators.
 */
export interface Fragment {
  path: string;
  text: string;
  commit?: CommitInfo;
  /** When set, only keys on these 1-based lines are reported (staged and commit diffs). */
  addedLines?: ReadonlySet<number>;
}
