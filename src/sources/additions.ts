import type { Addition } from './diff.js';
import type { CommitInfo } from './fragment.js';
import type { PlacedFragment } from './source.js';

/**
 * What a change added, in what context: an added line that may hold a key and the line above
 * it (context or another addition, from a patch read with one line of context: `-U1`), placed
 * at its line in the new version of the file. The one way `--staged`, `--range` and
 * `--history` turn a patch into text: a `keyguard-ignore-next-line` above an added key counts,
 * and only the added line's keys are reported.
 */
export function additionFragment(path: string, addition: Addition, commit?: CommitInfo): PlacedFragment {
  // `addedLines` counts lines of `text`: the added line is its last.
  const fragment: PlacedFragment =
    addition.before === undefined
      ? { path, text: addition.text, startLine: addition.line, addedLines: new Set([1]) }
      : { path, text: `${addition.before}\n${addition.text}`, startLine: addition.line - 1, addedLines: new Set([2]) };
  if (commit) fragment.commit = commit;
  return fragment;
}
