import type { Stats } from 'node:fs';
import { lstat, readdir, realpath } from 'node:fs/promises';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { KeyguardError } from '../errors.js';
import { git, gitTopLevel, splitNul } from './git.js';
import { envFindings, GitignoreRules } from './ignore.js';
import { readFragments, WINDOW_BYTES } from './read.js';
import type { Source } from './source.js';

/** Reading is synchronous; hand the event loop a turn this often so timers (progress) still fire. */
const SLICE_MS = 50;

export interface TreeFile {
  /** Relative to the current directory, with `/` separators: what reports show. */
  path: string;
  absolute: string;
}

/** The files of one repository (`top` is its work tree), or of directories outside any. */
export interface TreeGroup {
  top?: string;
  files: TreeFile[];
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
 * Files `exclude` matches (the config's `ignore`) are never read.
 */
export function treeSource(cwd: string, paths: readonly string[], exclude?: (path: string) => boolean): Source {
  let listing: Promise<TreeGroup[]> | undefined;
  const list = async (): Promise<TreeGroup[]> => {
    const all = await listTree(cwd, paths);
    return exclude ? all.map((group) => ({ ...group, files: group.files.filter((file) => !exclude(file.path)) })) : all;
  };
  const groups = (): Promise<TreeGroup[]> => (listing ??= list());
  return {
    async *fragments(stats) {
      const window = Buffer.allocUnsafe(WINDOW_BYTES);
      let sliceStart = performance.now();
      for (const group of await groups()) {
        for (const file of group.files) {
          // Stepped by hand: `yield*` would cost every file promise round trips, even the
          // files (nearly all) that yield nothing.
          const reading = readFragments(file.absolute, file.path, window);
          let step = reading.next();
          for (; !step.done; step = reading.next()) yield step.value;
          const outcome = step.value;
          if (outcome.kind === 'text') {
            stats.files++;
            stats.bytes += outcome.bytes;
          }
          if (performance.now() - sliceStart > SLICE_MS) {
            await new Promise((resume) => setImmediate(resume));
            sliceStart = performance.now();
          }
        }
      }
    },
    async envFindings() {
      return envFindings(await groups());
    },
  };
}

/** The files to scan under `paths` (relative to `cwd`), grouped by repository. */
export async function listTree(cwd: string, paths: readonly string[]): Promise<TreeGroup[]> {
  const base = await realpath(cwd);
  const byTop = new Map<string | undefined, Target[]>();
  for (const path of paths.length > 0 ? paths : ['.']) {
    const target = await locate(base, path);
    const top = await gitTopLevel(target.isDirectory ? target.absolute : dirname(target.absolute));
    byTop.set(top, [...(byTop.get(top) ?? []), target]);
  }
  const groups: TreeGroup[] = [];
  for (const [top, targets] of byTop) {
    const files = top ? await gitFiles(base, top, targets) : await walkFiles(base, targets);
    groups.push(top ? { top, files } : { files });
  }
  return groups;
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

/** `git ls-files`: tracked plus untracked-but-not-ignored, exactly as git sees them. */
async function gitFiles(base: string, top: string, targets: readonly Target[]): Promise<TreeFile[]> {
  const specs = targets.map((target) => relative(top, target.absolute));
  const args = ['ls-files', '-z', '--cached', '--others', '--exclude-standard'];
  if (!specs.includes('')) args.push('--', ...specs.map((spec) => `:(literal)${toPosix(spec)}`));
  const listed = new Set(splitNul(await git(args, { cwd: top })));
  return [...listed].map((path) => treeFile(base, `${top}/${path}`));
}

/** Outside a repository: every regular file under the targets that `.gitignore` files do not ignore. */
async function walkFiles(base: string, targets: readonly Target[]): Promise<TreeFile[]> {
  const files: TreeFile[] = [];
  for (const target of targets) {
    const parent = dirname(target.absolute);
    // `.gitignore` files apply from the current directory down, or from the target's own directory.
    const rules =
      target.absolute === base
        ? GitignoreRules.none
        : await rulesDownTo(target.absolute.startsWith(`${base}${sep}`) ? base : parent, parent);
    if (!rules || rules.ignores(target.absolute, target.isDirectory)) continue;
    if (target.isDirectory) await walk(base, target.absolute, rules, files);
    else if (target.isFile) files.push(treeFile(base, target.absolute));
  }
  return files;
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

async function walk(base: string, dir: string, inherited: GitignoreRules, files: TreeFile[]): Promise<void> {
  const rules = await inherited.enter(dir);
  const entries = await readdir(dir, { withFileTypes: true });
  const subdirectories: string[] = [];
  for (const entry of entries) {
    // Symlinks are skipped (never followed); so are sockets, FIFOs and git's own directory.
    if (entry.name === '.git') continue;
    const absolute = `${dir}${sep}${entry.name}`;
    if (entry.isDirectory() && !rules.ignores(absolute, true)) subdirectories.push(absolute);
    else if (entry.isFile() && !rules.ignores(absolute, false)) files.push(treeFile(base, absolute));
  }
  await Promise.all(subdirectories.map((subdirectory) => walk(base, subdirectory, rules, files)));
}

function treeFile(base: string, absolute: string): TreeFile {
  const path = absolute.startsWith(`${base}/`) ? absolute.slice(base.length + 1) : toPosix(relative(base, absolute));
  return { path, absolute };
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
