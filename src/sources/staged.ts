import { resolve } from 'node:path';
import { wantsFacts } from '../detect/index.js';
import { KeyguardError } from '../errors.js';
import { relativePosix } from '../posix-path.js';
import { additionFragment } from './additions.js';
import { CONTEXT_LINES, PATCH_ARGS, readPatch, type FileChange } from './diff.js';
import { git, gitStream, gitTopLevel, notARepository, type Env } from './git.js';
import type { ScanStats, Source, SourceItem } from './source.js';

/**
 * What `git commit` would add, read from the index, never the working copy: one
 * `git diff --cached HEAD` (before the first commit, against the empty tree), read as `--range` and `--history` read commits (additions.ts): each added line
 * that may hold a key, with the line above it, at its line in the staged file. Binary files,
 * deletions and submodules add no lines and never reach the detector. Each file the commit
 * adds that a file rule applies to comes with its facts: in the index, and added.
 */
export class StagedSource implements Source {
  constructor(
    private readonly cwd: string,
    private readonly env?: Env,
  ) {}

  async *read(stats: ScanStats): AsyncIterable<SourceItem> {
    const { cwd, env } = this;
    const { changes: all, bytes } = await stagedChanges(cwd, env, ['HEAD']).catch(async (error: unknown) => {
      if (!(error instanceof KeyguardError)) throw error;
      // Before the first commit there is no HEAD: compare with the empty tree. A HEAD that names a
      // missing object is a damaged repository, and stays an error (git would compare with nothing).
      if (/(unknown|bad) revision 'HEAD'/.test(error.message)) return stagedChanges(cwd, env, []);
      // Asked only on failure: outside a repository `git diff` takes --cached for a bad option.
      if ((await gitTopLevel(cwd, env)) === undefined) throw notARepository('--staged', cwd);
      throw error;
    });
    stats.files += all.length;
    stats.bytes += bytes;
    const changes = all.filter((change) => hasKeys(change) || addsDescribedFile(change));
    if (changes.length === 0) return;
    const { top, merging } = await topAndMergeHead(cwd, env);
    // In a merge, a line is added only if it is new to every parent: keys the other branch
    // already committed are not this commit's.
    const mergeAdded = merging === undefined || !changes.some(hasKeys) ? undefined : addedLinesByPath((await stagedChanges(cwd, env, [merging])).changes);
    for (const change of changes) {
      const path = relativePosix(cwd, resolve(top, change.path));
      if (addsDescribedFile(change)) yield { path, tracked: true, added: true };
      const newToMerged = mergeAdded?.get(change.path);
      for (const addition of change.additions) {
        if (!mergeAdded || newToMerged?.has(addition.line)) yield additionFragment(path, addition);
      }
    }
  }
}

function hasKeys(change: FileChange): boolean {
  return change.additions.length > 0;
}

/** A new file some file rule applies to (by name: the path here is relative to the repository's top). */
function addsDescribedFile(change: FileChange): boolean {
  return change.created && wantsFacts(change.path);
}

/** The index against `against` (HEAD, the commit being merged, or nothing: the empty tree), as file changes with their additions that may hold a key. */
async function stagedChanges(cwd: string, env: Env | undefined, against: string[]): Promise<{ changes: FileChange[]; bytes: number }> {
  // Deletions, unmerged paths and submodules add nothing to scan.
  // `--`: a file named HEAD is never taken for the revision.
  const args = ['diff', '--cached', `-U${CONTEXT_LINES}`, '--diff-filter=ACMRT', '--ignore-submodules=all', ...PATCH_ARGS, ...against, '--'];
  const changes: FileChange[] = [];
  let bytes = 0;
  for await (const event of readPatch(gitStream(args, { cwd, env }), (n) => (bytes += n))) {
    if (event.kind === 'file') changes.push(event.file);
  }
  return { changes, bytes };
}

function addedLinesByPath(changes: FileChange[]): Map<string, Set<number>> {
  return new Map(changes.map((change) => [change.path, new Set(change.additions.map((a) => a.line))]));
}

/**
 * The top of the work tree (patch paths are relative to it) and, while a merge is in progress, the
 * commit being merged in: one git call, made only when the index adds something to look at.
 */
async function topAndMergeHead(cwd: string, env: Env | undefined): Promise<{ top: string; merging?: string }> {
  // `-q --verify` prints MERGE_HEAD's id on a line of its own after the top-level, or exits 1 with none.
  const out = (await git(['rev-parse', '--show-toplevel', '-q', '--verify', 'MERGE_HEAD'], { cwd, env, okExitCodes: [1] })).toString('utf8').replace(/\n$/, '');
  const merge = /\n([0-9a-f]{40}|[0-9a-f]{64})$/.exec(out);
  return merge ? { top: out.slice(0, merge.index), merging: merge[1] as string } : { top: out };
}
