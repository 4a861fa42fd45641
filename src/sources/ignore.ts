import { readFile } from 'node:fs/promises';
import type { Ignore } from 'ignore';
import { fingerprint, type Finding, type RuleId } from '../findings.js';
import { git, splitNul } from './git.js';

/** A listed file: as reports show it, where it is, and the work tree that lists it. */
interface ListedFile {
  path: string;
  absolute: string;
  top?: string;
}

/**
 * The `.env` rules, for the secret `.env` files of a scanned set. Such a file is either
 * not ignored by git (`env-not-ignored`), or ignored yet tracked, since `.gitignore` does
 * not untrack a file (`env-tracked`): the set holds tracked files and untracked ones git
 * does not ignore. Git answers for the ignore part, so nested `.gitignore`s,
 * `.git/info/exclude` and the global excludes file all count. Outside a repository the
 * walk has already left out what `.gitignore` files ignore.
 */
export async function envFindings(files: readonly ListedFile[]): Promise<Finding[]> {
  const byTop = new Map<string | undefined, ListedFile[]>();
  for (const file of files) byTop.set(file.top, [...(byTop.get(file.top) ?? []), file]);
  const findings: Finding[] = [];
  for (const [top, candidates] of byTop) {
    const inTop = (file: ListedFile): string => (top ? file.absolute.slice(top.length + 1) : file.path);
    const ignored = top ? await gitIgnored(top, candidates.map(inTop)) : new Set<string>();
    for (const file of candidates) {
      findings.push(envFinding(ignored.has(inTop(file)) ? 'env-tracked' : 'env-not-ignored', file.path));
    }
  }
  return findings;
}

function envFinding(ruleId: RuleId, file: string): Finding {
  return { ruleId, severity: 'error', file, line: 1, column: 1, fingerprint: fingerprint(ruleId, file) };
}

/** Which of `paths` (relative to `top`) git's ignore rules match, tracked or not. */
export async function gitIgnored(top: string, paths: readonly string[]): Promise<Set<string>> {
  const out = await git(['check-ignore', '--no-index', '-z', '--stdin'], {
    cwd: top,
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
  private constructor(private readonly levels: ReadonlyArray<{ dir: string; rules: Ignore }>) {}

  static readonly none = new GitignoreRules([]);

  /** These rules plus the `.gitignore` in `dir`, if there is one. */
  async enter(dir: string): Promise<GitignoreRules> {
    let text: string;
    try {
      text = await readFile(`${dir}/.gitignore`, 'utf8');
    } catch {
      return this;
    }
    // Loaded here, not up front: scans inside a repository (nearly all) never need it.
    const { default: ignore } = await import('ignore');
    return new GitignoreRules([...this.levels, { dir, rules: ignore({ ignorecase: false }).add(text) }]);
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
