import { resolve } from 'node:path';
import { KeyguardError } from '../errors.js';
import { relativePosix } from '../posix-path.js';
import { additionFragment } from './additions.js';
import { CONTEXT_LINES, PATCH_ARGS, readPatch } from './diff.js';
import type { CommitInfo } from './fragment.js';
import { gitStream, gitTopLevel, notARepository, type Env } from './git.js';
import type { PlacedFragment, ScanStats, Source } from './source.js';

export interface CommitsOptions {
  /** `base..head` (or `base...head`): the commits of a pull request. Without it: every commit reachable from any ref. */
  range?: string | undefined;
  /** Called after each commit is read, with the number read so far. */
  onCommit?: ((commits: number) => void) | undefined;
  /** The environment git runs in (see GitOptions). */
  env?: Env | undefined;
}

/** `%x00` starts the line, so a header can never be mistaken for a patch line (those start with a prefix). */
const COMMIT_FORMAT = '--format=%x00%H%x00%an <%ae>%x00%aI';

/**
 * What each commit added, from ONE streaming `git log -p`: memory stays flat on any history.
 * Commits come oldest first (`--date-order --reverse`: parents before children), so a key is
 * met first at the commit that added it. Each addition that may hold a key is read as
 * `--staged` reads the index (additions.ts): with the line above it. Merge commits show no patch:
 * their changes were read in the commits they merge. Commit scans yield no file facts:
 * whether a `.env` file is tracked is a question for the tree scan.
 */
export class CommitsSource implements Source {
  constructor(
    private readonly cwd: string,
    private readonly options: CommitsOptions = {},
  ) {}

  async *read(stats: ScanStats): AsyncIterable<PlacedFragment> {
    const revisions = this.revisions();
    const { env } = this.options;
    const top = await gitTopLevel(this.cwd, env);
    if (top === undefined) throw notARepository(this.options.range === undefined ? '--history' : '--range', this.cwd);
    const args = ['log', '-p', `-U${CONTEXT_LINES}`, '--date-order', '--reverse', COMMIT_FORMAT, ...PATCH_ARGS, ...revisions];
    let commit: CommitInfo | undefined;
    let commits = 0;
    try {
      for await (const event of readPatch(gitStream(args, { cwd: this.cwd, env }), (bytes) => (stats.bytes += bytes))) {
        if (event.kind === 'marker') {
          const [sha = '', author = '', date = ''] = event.fields;
          commit = { sha, author, date };
          this.options.onCommit?.(++commits);
          continue;
        }
        stats.files++;
        const path = relativePosix(this.cwd, resolve(top, event.file.path));
        for (const addition of event.file.additions) yield additionFragment(path, addition, commit);
      }
    } catch (error) {
      if (error instanceof KeyguardError && this.options.range !== undefined) {
        throw new KeyguardError(`--range ${this.options.range}: ${error.message.replace(/^git log failed: /, '')} (in CI, fetch both ends first: actions/checkout with fetch-depth: 0)`);
      }
      throw error;
    }
  }

  private revisions(): string[] {
    const { range } = this.options;
    if (range === undefined) return ['--all'];
    if (!/^[^-\s][^\s]*\.\.\.?[^\s]*$/.test(range)) {
      throw new KeyguardError(`--range expects <base>..<head>, for example origin/main..HEAD; got '${range}'`);
    }
    // `--end-of-options` and `--`: the range is a revision, never an option or a path.
    return ['--end-of-options', range, '--'];
  }
}
