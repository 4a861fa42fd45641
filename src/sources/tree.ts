import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, realpath } from 'node:fs/promises';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { isSecretEnvFile } from '../detect/index.js';
import { KeyguardError } from '../errors.js';
import { gitStream, gitTopLevel } from './git.js';
import { envFindings, GitignoreRules } from './ignore.js';
import { cannotRead, scanFile, WINDOW_BYTES } from './read.js';
import type { Source } from './source.js';

/** Reading is synchronous; hand the event loop a turn this often so timers (progress) still fire. */
const SLICE_MS = 50;

export interface TreeFile {
  /** Relative to the current directory, with `/` separators: what reports show. */
  path: string;
  absolute: string;
  /** The work tree of the repository that lists the file; none outside a repository. */
  top?: string;
}

/** A path argument, resolved without following a final symlink. */
interface Target {
  absolute: string;
  isDirectory: boolean;
  isFile: boolean;
}

/**
 * The working tree under `paths`: in a repository, the files git lists as tracked or
 * untracked-but-not-ignored; outside one, a walk that honours `.gitignore` files.
 * Files `exclude` matches (the config's `ignore`) are never read. Files are read as they
 * are listed, so memory does not grow with the size of the tree.
 */
export function treeSource(cwd: string, paths: readonly string[], exclude?: (path: string) => boolean): Source {
  const envCandidates: TreeFile[] = [];
  return {
    async *fragments(stats) {
      const window = Buffer.allocUnsafe(WINDOW_BYTES);
      let sliceStart = performance.now();
      for await (const batch of treeFiles(cwd, paths)) {
        for (const file of batch) {
          if (exclude?.(file.path)) continue;
          if (isSecretEnvFile(file.path)) envCandidates.push(file);
          // A plain loop, not `yield*`: delegating would cost every file promise round
          // trips, even the files (nearly all) that yield nothing.
          for (const piece of scanFile(file, window, stats)) yield piece;
          if (performance.now() - sliceStart > SLICE_MS) {
            await new Promise((resume) => setImmediate(resume));
            sliceStart = performance.now();
          }
        }
      }
    },
    envFindings: () => envFindings(envCandidates),
  };
}

/**
 * The files to scan under `paths` (relative to `cwd`), in batches as git or the walk
 * lists them.
 */
export async function* treeFiles(cwd: string, paths: readonly string[]): AsyncGenerator<TreeFile[]> {
  const base = await realpath(cwd);
  const byTop = new Map<string | undefined, Target[]>();
  for (const path of paths.length > 0 ? paths : ['.']) {
    const target = await locate(base, path);
    const top = await gitTopLevel(target.isDirectory ? target.absolute : dirname(target.absolute));
    byTop.set(top, [...(byTop.get(top) ?? []), target]);
  }
  for (const [top, targets] of byTop) {
    if (top) yield* gitFiles(base, top, targets);
    else yield* walkFiles(base, targets);
  }
}

async function locate(base: string, path: string): Promise<Target> {
  const absolute = resolve(base, path);
  let info: Stats;
  try {
    info = await lstat(absolute);
  } catch {
    throw new KeyguardError(`path not found: ${path} (pass a file or directory that exists)`);
  }
  // Resolve links in the parent only, so a symlink argument is still not followed.
  const parent = dirname(absolute);
  const real = parent === absolute ? absolute : `${await realpath(parent)}${sep}${basename(absolute)}`;
  return { absolute: real, isDirectory: info.isDirectory(), isFile: info.isFile() };
}

/** `git ls-files`: tracked plus untracked-but-not-ignored, exactly as git sees them, streamed. */
async function* gitFiles(base: string, top: string, targets: readonly Target[]): AsyncGenerator<TreeFile[]> {
  const specs = targets.map((target) => relative(top, target.absolute));
  const args = ['ls-files', '-z', '--cached', '--others', '--exclude-standard'];
  if (!specs.includes('')) args.push('--', ...specs.map((spec) => `:(literal)${toPosix(spec)}`));
  let rest: Buffer = Buffer.alloc(0);
  let previous = '';
  let warnings = '';
  for await (const chunk of gitStream(args, { cwd: top, onStderr: (text) => (warnings = text) })) {
    const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const end = data.lastIndexOf(0);
    rest = data.subarray(end + 1);
    if (end === -1) continue;
    const batch: TreeFile[] = [];
    for (const path of data.toString('utf8', 0, end).split('\0')) {
      // A file with merge conflicts is listed once per stage, on consecutive lines.
      if (path === previous) continue;
      previous = path;
      batch.push({ ...treeFile(base, `${top}/${path}`), top });
    }
    yield batch;
  }
  // Git lists nothing under a directory it cannot open, and only warns: never pass over one in silence.
  const unreadable = /^warning: could not open directory '([^]+?)\/?': (.+)$/m.exec(warnings);
  if (unreadable) {
    const [, dir = '', why = ''] = unreadable;
    throw cannotRead(`${treeFile(base, `${top}/${dir}`).path}/`, /permission denied/i.test(why) ? 'EACCES' : undefined, why);
  }
}

/** Outside a repository: every regular file under the targets that `.gitignore` files do not ignore. */
async function* walkFiles(base: string, targets: readonly Target[]): AsyncGenerator<TreeFile[]> {
  for (const target of targets) {
    const parent = dirname(target.absolute);
    // `.gitignore` files apply from the current directory down, or from the target's own directory.
    const rules =
      target.absolute === base
        ? GitignoreRules.none
        : await rulesDownTo(target.absolute.startsWith(`${base}${sep}`) ? base : parent, parent);
    if (!rules || rules.ignores(target.absolute, target.isDirectory)) continue;
    if (target.isDirectory) yield* walk(base, target.absolute, rules);
    else if (target.isFile) yield [treeFile(base, target.absolute)];
  }
}

/** The rules from `root` down to `dir`, or undefined when a directory on the way is ignored. */
async function rulesDownTo(root: string, dir: string): Promise<GitignoreRules | undefined> {
  let rules = await GitignoreRules.none.enter(root);
  let at = root;
  for (const name of relative(root, dir).split(sep).filter(Boolean)) {
    at = `${at}${sep}${name}`;
    if (rules.ignores(at, true)) return undefined;
    rules = await rules.enter(at);
  }
  return rules;
}

/**
 * Depth first, directories in listing order, with a stack of its own: a recursive generator
 * overflowed the call stack on a tree 2,000 directories deep.
 */
async function* walk(base: string, root: string, rootRules: GitignoreRules): AsyncGenerator<TreeFile[]> {
  const pending = [{ dir: root, inherited: rootRules }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { dir, inherited } = next;
    const rules = await inherited.enter(dir);
    const files: TreeFile[] = [];
    const subdirectories: string[] = [];
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue; // gone since it was listed
      throw cannotRead(`${treeFile(base, dir).path}/`, code, error instanceof Error ? error.message : String(error));
    }
    for (const entry of entries) {
      // Symlinks are skipped (never followed); so are sockets, FIFOs and git's own directory.
      if (entry.name === '.git') continue;
      const absolute = `${dir}${sep}${entry.name}`;
      if (entry.isDirectory() && !rules.ignores(absolute, true)) subdirectories.push(absolute);
      else if (entry.isFile() && !rules.ignores(absolute, false)) files.push(treeFile(base, absolute));
    }
    yield files;
    for (const subdirectory of subdirectories.reverse()) pending.push({ dir: subdirectory, inherited: rules });
  }
}

function treeFile(base: string, absolute: string): TreeFile {
  const path = absolute.startsWith(`${base}/`) ? absolute.slice(base.length + 1) : toPosix(relative(base, absolute));
  return { path, absolute };
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
