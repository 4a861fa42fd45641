import { relative, resolve } from 'node:path';
import { wantsFacts } from '../detect/index.js';
import { KeyguardError } from '../errors.js';
import { readBlobs } from './blobs.js';
import { PATCH_ARGS, readPatch, type FileChange } from './diff.js';
import { git, gitStream, gitTopLevel, notARepository } from './git.js';
import type { PlacedFragment, ScanStats, Source, SourceItem } from './source.js';

/**
 * What `git commit` would add, read from the index, never the working copy. One
 * `git diff --cached` finds the added lines (HEAD need not exist: before the first commit git
 * compares with the empty tree); the staged blobs of the few files whose added lines hold a
 * key come from one `git cat-file --batch`, so the whole staged file is the context: a
 * suppression comment on an unchanged line above still counts, and line numbers are the
 * staged file's. Binary files, deletions and submodules add no lines and never reach the
 * detector. Each file the commit adds that a file rule applies to comes with its facts: in
 * the index, and added.
 */
export class StagedSource implements Source {
  constructor(private readonly cwd: string) {}

  async *read(stats: ScanStats): AsyncIterable<SourceItem> {
    const { changes, files, bytes, toCwd, mergeAdded } = await readStaged(this.cwd);
    stats.files += files;
    stats.bytes += bytes;
    for (const change of changes) if (addsDescribedFile(change)) yield { path: toCwd(change.path), tracked: true, added: true };
    yield* stagedFragments(this.cwd, changes.filter(hasKeys), toCwd, mergeAdded);
  }
}

interface StagedChanges {
  /** Staged files that add a key, or add a file some file rule applies to. */
  changes: FileChange[];
  /** How many files the commit changes, and the size of the patch that shows it. */
  files: number;
  bytes: number;
  toCwd: (path: string) => string;
  /** During a merge: the lines each file adds relative to the commit being merged in. */
  mergeAdded: Map<string, Set<number>> | undefined;
}

async function readStaged(cwd: string): Promise<StagedChanges> {
  const { changes: all, bytes } = await stagedChanges(cwd, []).catch(async (error: unknown) => {
    // Asked only on failure: outside a repository `git diff` takes --cached for a bad option.
    if (error instanceof KeyguardError && (await gitTopLevel(cwd)) === undefined) throw notARepository('--staged', cwd);
    throw error;
  });
  const changes = all.filter((change) => hasKeys(change) || addsDescribedFile(change));
  const top = changes.length > 0 ? ((await gitTopLevel(cwd)) ?? cwd) : cwd;
  const toCwd = (path: string): string => relative(cwd, resolve(top, path)).split('\\').join('/');
  const merged = changes.some(hasKeys) ? await mergeHead(cwd) : undefined;
  const mergeAdded = merged === undefined ? undefined : addedLinesByPath((await stagedChanges(cwd, [merged])).changes);
  return { changes, files: all.length, bytes, toCwd, mergeAdded };
}

async function* stagedFragments(
  cwd: string,
  changes: FileChange[],
  toCwd: (path: string) => string,
  mergeAdded: Map<string, Set<number>> | undefined,
): AsyncGenerator<PlacedFragment> {
  const byBlob = new Map<string, Array<{ path: string; lines: Set<number> }>>();
  for (const change of changes) {
    const lines = new Set(change.additions.map((addition) => addition.line));
    // In a merge, a line is added only if it is new to every parent: keys the other branch
    // already committed are not this commit's.
    const other = mergeAdded?.get(change.path);
    if (mergeAdded) for (const line of lines) if (!other?.has(line)) lines.delete(line);
    if (lines.size === 0 || !change.blob) continue;
    byBlob.set(change.blob, [...(byBlob.get(change.blob) ?? []), { path: toCwd(change.path), lines }]);
  }
  for await (const blob of readBlobs(cwd, [...byBlob.keys()])) {
    const text = blob.content.toString('utf8');
    for (const { path, lines } of byBlob.get(blob.id) ?? []) yield { path, text, addedLines: lines };
  }
}

function hasKeys(change: FileChange): boolean {
  return change.additions.length > 0;
}

function addsDescribedFile(change: FileChange): boolean {
  return change.created && wantsFacts(change.path);
}

/** The index against HEAD (or against `against`), as file changes with their key-holding additions. */
async function stagedChanges(cwd: string, against: string[]): Promise<{ changes: FileChange[]; bytes: number }> {
  // Deletions, unmerged paths and submodules add nothing to scan.
  const args = ['diff', '--cached', '-U0', '--full-index', '--diff-filter=ACMRT', '--ignore-submodules=all', ...PATCH_ARGS, ...against];
  const changes: FileChange[] = [];
  let bytes = 0;
  for await (const event of readPatch(gitStream(args, { cwd }), (n) => (bytes += n))) {
    if (event.kind === 'file') changes.push(event.file);
  }
  return { changes, bytes };
}

function addedLinesByPath(changes: FileChange[]): Map<string, Set<number>> {
  return new Map(changes.map((change) => [change.path, new Set(change.additions.map((a) => a.line))]));
}

/** The commit being merged in, while a merge is in progress. */
async function mergeHead(cwd: string): Promise<string | undefined> {
  const out = await git(['rev-parse', '-q', '--verify', 'MERGE_HEAD'], { cwd, okExitCodes: [1] });
  return out.toString('utf8').trim() || undefined;
}
