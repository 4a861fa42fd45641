import { readdirSync, type Dirent, type Stats } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { readsIgnored, wantsFacts } from '../detect/index.js';
import { KeyguardError } from '../errors.js';
import { gitStream, gitTopLevel, mayBeInRepository, type Env } from './git.js';
import { GitignoreRules, gitIgnored, listedFileFacts } from './ignore.js';
import { IdleMeter } from './idle-meter.js';
import { ReadPool } from './read-pool.js';
import { cannotRead, scanFile, WINDOW_BYTES } from './read.js';
import { toPosix } from '../posix-path.js';
import type { PlacedFragment, ScanStats, Source } from './source.js';
import type { TreeFile } from './tree-file.js';

/** Reading is synchronous; hand the event loop a turn this often so timers (progress) still fire. */
const SLICE_MS = 50;
/** Files are read, here or by a worker, in chunks of this many. */
const CHUNK_FILES = 128;
/**
 * A scan still reading looks this often whether a core was idle over the last `IDLE_SPAN_MS`, and
 * starts worker threads once one was. A worker takes ~30 ms to start, on that idle core, and 2-3 ms
 * of the main thread's time. The first spans may find the second core taken by git listing the
 * tree: then a later one finds it free. Spans of 25 ms let a busy machine's bursts of idle time
 * through (at a load of 4-5 here workers started, and outside git the scan took 0.41 s against
 * 0.37 s without), as /proc/stat counts in 10 ms ticks.
 */
const POOL_CHECK_MS = 25;
const IDLE_SPAN_MS = 50;
const SLASH = 0x2f;

export interface TreeOptions {
  /** The environment git runs in (see GitOptions). */
  env?: Env | undefined;
  /** Files never read (the config's `ignore`). */
  exclude?: (path: string) => boolean;
  /** Also list the files git ignores under the path arguments (named files are listed either way). */
  noIgnore?: boolean;
  /** A directory named in `paths` that git ignores, passed over without `noIgnore`: shown path, ending in `/`. */
  onIgnoredDirectory?: (path: string) => void;
}

/** A path argument, resolved without following a final symlink. */
interface Target {
  absolute: string;
  isDirectory: boolean;
  isFile: boolean;
}

/**
 * The working tree under `paths`: in a repository, the files git lists as tracked or
 * untracked-but-not-ignored; outside one, a walk that honours `.gitignore` files. As in
 * ripgrep and fd, a file named in `paths` is read whatever the ignore rules say.
 * Files `exclude` matches (the config's `ignore`) are never read. Files are read as they
 * are listed, so memory does not grow with the size of the tree; the facts of the files a
 * file rule applies to follow the last fragment.
 */
export function treeSource(cwd: string, paths: readonly string[], options: TreeOptions = {}): Source {
  const { exclude } = options;
  return {
    async *read(stats) {
      const described: TreeFile[] = [];
      const projects = new ProjectEnvFiles();
      const window = Buffer.allocUnsafe(WINDOW_BYTES);
      // The spans the next checks measure: the older one is IDLE_SPAN_MS long when it is read.
      let older = IdleMeter.start();
      let newer = older;
      let pool: ReadPool | undefined;
      let poolTried = false;
      let sliceStart = performance.now();
      try {
        for await (const batch of treeFiles(cwd, paths, options)) {
          const files = batch.filter((file) => !exclude?.(file.path));
          for (const file of files) {
            if (wantsFacts(file.path)) described.push(file);
            projects.note(file);
          }
          for (let at = 0; at < files.length; at += CHUNK_FILES) {
            // Workers pay off only on scans that last: on shorter ones their start-up costs more than they save.
            if (!poolTried && newer.elapsedMs() > POOL_CHECK_MS) {
              poolTried = older.elapsedMs() >= IDLE_SPAN_MS && older.spareCore();
              if (poolTried) pool = ReadPool.start(stats);
              else [older, newer] = [newer, IdleMeter.start()];
            }
            const chunk = files.slice(at, at + CHUNK_FILES);
            // A plain loop, not `yield*`: delegating would cost every file promise round
            // trips, even the files (nearly all) that yield nothing.
            if (!pool?.offer(chunk)) for (const file of chunk) for (const piece of scanFile(file, window, stats)) yield piece;
            for (const piece of readCandidates(pool, window, stats)) yield piece;
            // A turn of the event loop lets worker answers and timers (progress) in.
            if (pool || performance.now() - sliceStart > SLICE_MS) {
              await new Promise((resume) => setImmediate(resume));
              sliceStart = performance.now();
            }
          }
        }
        if (pool) {
          await pool.settle();
          for (const piece of readCandidates(pool, window, stats)) yield piece;
        }
      } finally {
        pool?.close();
      }
      for (const file of projects.unlisted()) {
        if (exclude?.(file.path)) continue;
        for (const piece of scanFile(file, window, stats)) yield { ...piece, ignored: true };
      }
      yield* await listedFileFacts(described, options.env);
    },
  };
}

/**
 * The `.env*` files beside each listed `package.json` that the listing left out because git
 * ignores them: bundlers load a project's env files from its root and inline their public
 * variables whether git ignores them or not, so the rules that read ignored files see them
 * (`readsIgnored`). Only project roots are looked at: one directory read per package, never a
 * walk of ignored trees such as node_modules.
 */
class ProjectEnvFiles {
  private readonly roots = new Map<string, string>();
  private readonly listed = new Set<string>();

  note(file: TreeFile): void {
    // Called for every listed file: a suffix test on the shown path rather than path.basename.
    if (file.path === 'package.json' || file.path.endsWith('/package.json')) this.roots.set(dirname(file.absolute), dirname(file.path));
    else if (readsIgnored(file.path)) this.listed.add(file.absolute);
  }

  unlisted(): TreeFile[] {
    const found: TreeFile[] = [];
    for (const [dir, shown] of this.roots) {
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue; // the listing already read this directory: gone since, nothing to add
      }
      for (const entry of entries) {
        const absolute = `${dir}${sep}${entry.name}`;
        if (!entry.isFile() || !readsIgnored(entry.name) || this.listed.has(absolute)) continue;
        found.push({ absolute, path: shown === '.' ? entry.name : `${shown}/${entry.name}` });
      }
    }
    return found;
  }
}

/** The files a pool's workers found may hold a key, read again here for the detector. */
function* readCandidates(pool: ReadPool | undefined, window: Buffer, stats: ScanStats): Generator<PlacedFragment> {
  if (!pool) return;
  for (const file of pool.takeCandidates()) for (const piece of scanFile(file, window, stats)) yield piece;
}

/**
 * The files to scan under `paths` (relative to `cwd`), in batches as git or the walk
 * lists them.
 */
export async function* treeFiles(cwd: string, paths: readonly string[], options: TreeOptions = {}): AsyncGenerator<TreeFile[]> {
  const base = await realpath(cwd);
  const targets: Target[] = [];
  for (const path of paths.length > 0 ? paths : ['.']) targets.push(await locate(base, path));
  const only = targets.length === 1 && targets[0]?.isDirectory ? targets[0] : undefined;
  if (only && mayBeInRepository(only.absolute, options.env)) {
    // The usual scan, one directory in a repository: git lists it while rev-parse finds the top, not after.
    const listings = startListings(only.absolute, [], options.env);
    let top: string | undefined;
    try {
      top = await gitTopLevel(only.absolute, options.env);
    } finally {
      if (!top) await listings.stop();
    }
    if (top) yield* gitFiles(base, top, targets, options, listings);
    else yield* walkFiles(base, targets, options);
    return;
  }
  const byTop = new Map<string | undefined, Target[]>();
  for (const target of targets) {
    const top = await gitTopLevel(target.isDirectory ? target.absolute : dirname(target.absolute), options.env);
    byTop.set(top, [...(byTop.get(top) ?? []), target]);
  }
  for (const [top, listed] of byTop) {
    if (top) yield* gitFiles(base, top, listed, options);
    else yield* walkFiles(base, listed, options);
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

/** Git's two listings of the files under a directory, both running: see `startListings`. */
interface Listings {
  tracked: AsyncGenerator<Buffer>;
  untracked: AsyncGenerator<Buffer>;
  /** What git warned of while listing (a directory it could not open). */
  warnings: () => string;
  /** Stops git if the scan ended early. */
  stop: () => Promise<void>;
}

/**
 * `git ls-files` of the files under `cwd` (and `pathspecs`), tracked and untracked-but-not-ignored,
 * exactly as git sees them, named from the top of the work tree (`--full-name`). Two git processes
 * at once: the tracked list streams from the index at once, while git walks the tree for the
 * untracked one (15 ms on 24,000 files). Each waits in its pipe until it is read (git blocks once
 * the pipe is full), so memory stays flat however many files there are.
 */
function startListings(cwd: string, pathspecs: readonly string[], env: Env | undefined): Listings {
  let warnings = '';
  const running: Array<AsyncGenerator<Buffer>> = [];
  const list = (which: string[], onStderr?: (text: string) => void): AsyncGenerator<Buffer> => {
    const chunks = gitStream(['ls-files', '-z', '--full-name', ...which, ...pathspecs], { cwd, env, onStderr });
    running.push(chunks);
    const head = chunks.next(); // starts git now
    head.catch(() => undefined); // a failure is thrown when the list is read
    return resumed(head, chunks);
  };
  return {
    tracked: list(['--cached']),
    untracked: list(['--others', '--exclude-standard'], (text) => (warnings = text)),
    warnings: () => warnings,
    stop: async () => {
      for (const chunks of running) await chunks.return(undefined).catch(() => undefined);
    },
  };
}

/**
 * The files git lists under the targets: tracked plus untracked-but-not-ignored (`startListings`,
 * or `listings` already started), then, only when asked for, the untracked files git ignores: the
 * named files, or everything under the targets with `noIgnore`.
 */
async function* gitFiles(base: string, top: string, targets: readonly Target[], options: TreeOptions, started?: Listings): AsyncGenerator<TreeFile[]> {
  const specs = targets.map((target) => relative(top, target.absolute));
  const pathspecs = specs.includes('') ? [] : ['--', ...specs.map(literalSpec)];
  const named = targets.filter((target) => target.isFile).map((target) => relative(top, target.absolute));
  const ignoredSpecs = options.noIgnore ? pathspecs : named.length > 0 ? ['--', ...named.map(literalSpec)] : undefined;
  const directories = options.noIgnore ? [] : specs.filter((spec, i) => spec !== '' && targets[i]?.isDirectory);
  // Asked now, answered once the files are listed: never a silent pass over a named directory.
  const ignoredDirectories = directories.length > 0 ? gitIgnored(top, directories, options.env) : undefined;
  ignoredDirectories?.catch(() => undefined); // a failure is thrown when the answer is read
  const listings = started ?? startListings(top, pathspecs, options.env);
  try {
    for (const [tracked, chunks] of [[true, listings.tracked], [false, listings.untracked]] as const) {
      for await (const paths of nulSeparated(chunks)) yield paths.map((path) => gitTreeFile(base, top, path, tracked));
    }
    if (ignoredSpecs) {
      const ignored = gitStream(['ls-files', '-z', '--others', '--ignored', '--exclude-standard', ...ignoredSpecs], { cwd: top, env: options.env });
      for await (const paths of nulSeparated(ignored)) yield paths.map((path) => ({ ...gitTreeFile(base, top, path, false), ignored: true }));
    }
  } finally {
    await listings.stop();
  }
  for (const dir of (await ignoredDirectories) ?? []) options.onIgnoredDirectory?.(`${shownPath(base, `${top}/${dir}`)}/`);
  // Git lists nothing under a directory it cannot open, and only warns: never pass over one in silence.
  const unreadable = /^warning: could not open directory '([^]+?)\/?': (.+)$/m.exec(listings.warnings());
  if (unreadable) {
    const [, dir = '', why = ''] = unreadable;
    throw cannotRead(`${treeFile(base, `${top}/${dir}`).path}/`, /permission denied/i.test(why) ? 'EACCES' : undefined, why);
  }
}

/** A stream whose first `next()` was already called: that result, then the rest. */
async function* resumed<T>(head: Promise<IteratorResult<T>>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  const first = await head;
  if (first.done) return;
  yield first.value;
  yield* rest;
}

/** The paths in git's NUL-separated output, a batch per chunk; a file with merge conflicts (listed once per stage, in a row) once. */
async function* nulSeparated(chunks: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  let rest: Buffer = Buffer.alloc(0);
  let previous = '';
  for await (const chunk of chunks) {
    const data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const end = data.lastIndexOf(0);
    rest = data.subarray(end + 1);
    if (end === -1) continue;
    const paths: string[] = [];
    for (const path of data.toString('utf8', 0, end).split('\0')) {
      if (path !== previous) paths.push(path);
      previous = path;
    }
    yield paths;
  }
}

function literalSpec(spec: string): string {
  return `:(literal)${toPosix(spec)}`;
}

function gitTreeFile(base: string, top: string, path: string, tracked: boolean): TreeFile {
  const absolute = `${top}/${path}`;
  return { path: shownPath(base, absolute), absolute, top, tracked };
}

/**
 * Outside a repository: every regular file under the targets that `.gitignore` files do not
 * ignore, every named file, and with `noIgnore` the ignored files under the targets too.
 */
async function* walkFiles(base: string, targets: readonly Target[], options: TreeOptions): AsyncGenerator<TreeFile[]> {
  const none = await GitignoreRules.load();
  for (const target of targets) {
    const parent = dirname(target.absolute);
    // `.gitignore` files apply from the current directory down, or from the target's own directory.
    const rules = target.absolute === base ? none : rulesDownTo(none, target.absolute.startsWith(`${base}${sep}`) ? base : parent, parent);
    const ignored = !rules || rules.ignores(target.absolute, target.isDirectory);
    if (target.isFile) yield [ignored ? { ...treeFile(base, target.absolute), ignored } : treeFile(base, target.absolute)];
    else if (!target.isDirectory) continue;
    else if (!ignored) yield* walk(base, target.absolute, rules as GitignoreRules, options.noIgnore === true);
    else if (options.noIgnore) yield* walk(base, target.absolute, none, true, true);
    else options.onIgnoredDirectory?.(`${treeFile(base, target.absolute).path}/`);
  }
}

/** The rules from `root` down to `dir`, or undefined when a directory on the way is ignored. */
function rulesDownTo(none: GitignoreRules, root: string, dir: string): GitignoreRules | undefined {
  let rules = none.enter(root);
  let at = root;
  for (const name of relative(root, dir).split(sep).filter(Boolean)) {
    at = `${at}${sep}${name}`;
    if (rules.ignores(at, true)) return undefined;
    rules = rules.enter(at);
  }
  return rules;
}

/**
 * Depth first, directories in listing order, with a stack of its own: a recursive generator
 * overflowed the call stack on a tree 2,000 directories deep. With `keepIgnored`, what the
 * rules ignore is listed too, marked `ignored` (everything under an ignored directory is).
 */
async function* walk(base: string, root: string, rootRules: GitignoreRules, keepIgnored: boolean, rootIgnored = false): AsyncGenerator<TreeFile[]> {
  const pending = [{ dir: root, inherited: rootRules, inIgnored: rootIgnored }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { dir, inherited, inIgnored } = next;
    const files: TreeFile[] = [];
    const subdirectories: string[] = [];
    let entries: Dirent[];
    try {
      // Synchronous, as reads are: an awaited readdir per directory left the walk mostly idle.
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue; // gone since it was listed
      throw cannotRead(`${treeFile(base, dir).path}/`, code, error instanceof Error ? error.message : String(error));
    }
    const rules = inherited.enter(dir, entries.some((entry) => entry.name === '.gitignore'));
    const subdirectoryIgnored: boolean[] = [];
    for (const entry of entries) {
      // Symlinks are skipped (never followed); so are sockets, FIFOs and git's own directory.
      if (entry.name === '.git') continue;
      const absolute = `${dir}${sep}${entry.name}`;
      const isDirectory = entry.isDirectory();
      if (!isDirectory && !entry.isFile()) continue;
      const ignored = inIgnored || rules.ignores(absolute, isDirectory);
      if (ignored && !keepIgnored) continue;
      if (isDirectory) {
        subdirectories.push(absolute);
        subdirectoryIgnored.push(ignored);
      } else files.push(ignored ? { ...treeFile(base, absolute), ignored } : treeFile(base, absolute));
    }
    yield files;
    for (let i = subdirectories.length - 1; i >= 0; i--) {
      pending.push({ dir: subdirectories[i] as string, inherited: rules, inIgnored: subdirectoryIgnored[i] === true });
    }
  }
}

function treeFile(base: string, absolute: string): TreeFile {
  return { path: shownPath(base, absolute), absolute };
}

/** `absolute` as reports show it: relative to `base`, with `/` separators. */
function shownPath(base: string, absolute: string): string {
  const inside = absolute.length > base.length && absolute.charCodeAt(base.length) === SLASH && absolute.startsWith(base);
  return inside ? absolute.slice(base.length + 1) : toPosix(relative(base, absolute));
}

