import { readFileSync } from 'node:fs';
import type { Ignore } from 'ignore';
import type { FileFacts } from '../detect/index.js';
import { git, splitNul, type Env } from './git.js';
import type { TreeFile } from './tree-file.js';

/**
 * The facts of listed files for the file rules: tracked as git listed them, and ignored as
 * the listing found (untracked ignored files are listed only when named or with `--no-ignore`)
 * or, for the rest, as git's ignore rules say: nested `.gitignore`s, `.git/info/exclude` and
 * the global excludes file all count, asked of git once per repository. Outside a repository
 * the walk has already marked what `.gitignore` files ignore.
 */
export async function listedFileFacts(files: readonly TreeFile[], env?: Env): Promise<FileFacts[]> {
  const byTop = new Map<string | undefined, TreeFile[]>();
  for (const file of files) byTop.set(file.top, [...(byTop.get(file.top) ?? []), file]);
  const facts: FileFacts[] = [];
  for (const [top, listed] of byTop) {
    const inTop = (file: TreeFile): string => (top ? file.absolute.slice(top.length + 1) : file.path);
    const unknown = listed.filter((file) => !file.ignored);
    const ignored = top && unknown.length > 0 ? await gitIgnored(top, unknown.map(inTop), env) : new Set<string>();
    for (const file of listed) {
      facts.push({ path: file.path, tracked: file.tracked === true, ignored: file.ignored === true || ignored.has(inTop(file)) });
    }
  }
  return facts;
}

/** Which of `paths` (relative to `top`) git's ignore rules match, tracked or not. */
export async function gitIgnored(top: string, paths: readonly string[], env?: Env): Promise<Set<string>> {
  const out = await git(['check-ignore', '--no-index', '-z', '--stdin'], {
    cwd: top,
    env,
    input: paths.map((path) => `${path}\0`).join(''),
    okExitCodes: [1],
  });
  return new Set(splitNul(out));
}

/**
 * `.gitignore` files outside a repository, with git's semantics: each file's patterns
 * are relative to its directory and a deeper file overrides a shallower one.
 */
export class GitignoreRules {
  private constructor(
    private readonly matcher: (options: { ignorecase: boolean }) => Ignore,
    private readonly levels: ReadonlyArray<{ dir: string; rules: Ignore }>,
  ) {}

  /**
   * No rules yet, ready to enter directories. The matcher is loaded here, once, not up front:
   * scans inside a repository (nearly all) never need it.
   */
  static async load(): Promise<GitignoreRules> {
    const { default: matcher } = await import('ignore');
    return new GitignoreRules(matcher, []);
  }

  /**
   * These rules plus the `.gitignore` in `dir`, if there is one. `listed`, whether the directory's
   * listing holds one when the caller has read it, saves a failed open per directory that has none.
   */
  enter(dir: string, listed?: boolean): GitignoreRules {
    if (listed === false) return this;
    let text: string;
    try {
      text = readFileSync(`${dir}/.gitignore`, 'utf8');
    } catch {
      return this;
    }
    return new GitignoreRules(this.matcher, [...this.levels, { dir, rules: this.matcher({ ignorecase: false }).add(text) }]);
  }

  ignores(absolute: string, isDirectory: boolean): boolean {
    for (let level = this.levels.length - 1; level >= 0; level--) {
      const { dir, rules } = this.levels[level]!;
      if (!absolute.startsWith(`${dir}/`)) continue;
      const verdict = rules.test(absolute.slice(dir.length + 1) + (isDirectory ? '/' : ''));
      if (verdict.ignored) return true;
      if (verdict.unignored) return false;
    }
    return false;
  }
}
