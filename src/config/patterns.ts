import { isAbsolute, resolve } from 'node:path';
import { relativePosix } from '../posix-path.js';
import picomatch from 'picomatch';
import { KeyguardError } from '../errors.js';

/** Tests a path relative to the current directory, with `/` separators (a finding's `file`). */
export type PathTest = (path: string) => boolean;

/** Names the pattern at `index` in a message: `keyguard.config.json: "ignore[0]"` or `--ignore`. */
export type Where = (index: number) => string;

/**
 * `ignore` globs, relative to `base`: a glob matching a directory covers everything in it,
 * and one without a `/` matches at any depth (`*.snap`), as in `.gitignore`. Dotfiles match.
 * Negations are refused: an ignore list that ignores all but one path is a trap.
 */
export function pathMatcher(globs: readonly string[], base: string, cwd: string, where: Where): PathTest {
  const tests = globs.map((glob, index) => compileGlob(glob, where(index)));
  const sameBase = resolve(base) === resolve(cwd);
  return (path) => {
    const inBase = sameBase ? path : relativePosix(base, resolve(cwd, path));
    if (inBase === '' || inBase === '..' || inBase.startsWith('../') || isAbsolute(inBase)) return false;
    // The path itself and each directory above it, so `fixtures` covers `fixtures/a/b.json`.
    for (let end = inBase.length; end > 0; end = inBase.lastIndexOf('/', end - 1)) {
      const candidate = inBase.slice(0, end);
      if (tests.some((test) => test(candidate))) return true;
    }
    return false;
  };
}

function compileGlob(glob: string, where: string): PathTest {
  const pattern = glob.replace(/\/+$/, '');
  const refuse = (why: string): never => {
    throw new KeyguardError(`${where}: bad glob ${JSON.stringify(glob)}: ${why}`);
  };
  if (pattern.trim() === '') refuse('it is empty (remove it)');
  if (pattern.startsWith('!')) refuse('negations are not supported (list only what to skip)');
  if (pattern.startsWith('/') || isAbsolute(pattern)) refuse('globs are relative to the config file\'s directory (drop the leading /)');
  if (pattern === '..' || pattern.startsWith('../')) refuse('globs cannot reach outside the project (remove the ../)');
  try {
    return picomatch(pattern.includes('/') ? pattern : `**/${pattern}`, { dot: true, strictBrackets: true });
  } catch (error) {
    return refuse(`${(error as Error).message} (fix the pattern)`);
  }
}

/**
 * `allow` regexes, tested against each found key only (never a whole line or file). They run
 * in RE2, whose matching time is linear in the key's length for every pattern, so no
 * pattern can make a scan hang; the price is RE2's syntax (no lookaround, no backreferences).
 * RE2 is loaded only when there is a pattern.
 */
export async function keyMatcher(patterns: readonly string[], where: Where): Promise<(key: string) => boolean> {
  const { RE2 } = await import('re2-wasm');
  const compiled = patterns.map((pattern, index) => {
    if (pattern === '') throw new KeyguardError(`${where(index)}: the pattern is empty and would allow every key (remove it)`);
    try {
      return new RE2(pattern, 'u');
    } catch (error) {
      const why = (error as Error).message.replace(/^Invalid regular expression: \/.*\/u: /s, '');
      throw new KeyguardError(`${where(index)}: bad regular expression ${JSON.stringify(pattern)}: ${why} (allow patterns use RE2 syntax: no lookaround or backreferences)`);
    }
  });
  return (key) => compiled.some((regex) => regex.test(key));
}
