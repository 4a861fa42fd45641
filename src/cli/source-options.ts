import type { Argv } from 'yargs';

/** The flags that choose what is read; `scan` and `baseline` share them so they cannot drift apart. */
export interface SourceArgs {
  staged?: boolean;
  range?: string;
  history?: boolean;
}

export function withSourceOptions<T>(yargs: Argv<T>, verb: 'Scan' | 'Record'): Argv<T & SourceArgs> {
  return yargs
    .option('staged', {
      type: 'boolean',
      describe: `${verb} what is staged (the index, not the working copy), keys on added lines only: pre-commit mode`,
    })
    .option('range', { type: 'string', requiresArg: true, describe: `${verb} what the commits in <base>..<head> added (a pull request in CI)` })
    .option('history', { type: 'boolean', describe: `${verb} what every commit reachable from any ref added` })
    .conflicts('staged', ['range', 'history'])
    .conflicts('range', 'history') as Argv<T & SourceArgs>;
}
