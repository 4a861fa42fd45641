import type { Options } from './command.js';

/** The flags that choose what is read; `scan` and `baseline` share them so they cannot drift apart. */
export function sourceOptions(verb: 'Scan' | 'Record') {
  return {
    staged: { type: 'boolean', describe: `${verb} what is staged (the index, not the working copy), keys on added lines only: pre-commit mode` },
    range: { type: 'string', describe: `${verb} what the commits in <base>..<head> added (a pull request in CI)` },
    history: { type: 'boolean', describe: `${verb} what every commit reachable from any ref added` },
  } as const satisfies Options;
}

/** One source at a time. */
export const SOURCE_CONFLICTS = [
  ['staged', 'range'],
  ['staged', 'history'],
  ['range', 'history'],
] as const;
