import { relative } from 'node:path';
import { pathMatcher } from '../../src/config/patterns.js';

/** An option's globs, compiled once per array (ESLint passes the same option array for every file). */
const matchers = new WeakMap<readonly string[], (path: string) => boolean>();

/**
 * Whether the linted file matches an option's globs, with the config file's `ignore` semantics:
 * relative to ESLint's working directory, a glob naming a directory covers what is in it, one
 * without `/` matches at any depth. A bad glob throws, naming the option (`option[index]`).
 */
export function inFileGlobs(filename: string, cwd: string, globs: readonly string[], option: string): boolean {
  if (globs.length === 0) return false;
  let matches = matchers.get(globs);
  if (!matches) {
    matches = pathMatcher(globs, cwd, cwd, (index) => `keyguard/no-hardcoded-keys: ${option}[${index}]`);
    matchers.set(globs, matches);
  }
  return matches(relative(cwd, filename).split('\\').join('/'));
}
