import type { FileRule } from './rule.js';

/** `.env` and `.env.*` files hold secrets; these variants are committed templates. */
const TEMPLATE_SUFFIXES = ['example', 'sample', 'template', 'dist', 'defaults'];

/** True for a path whose file name is `.env` or `.env.<something>` that is not a template. */
export function isSecretEnvFile(path: string): boolean {
  const name = baseName(path);
  if (name === '.env') return true;
  if (!name.startsWith('.env.') || name.length === '.env.'.length) return false;
  const suffix = name.slice('.env.'.length).toLowerCase();
  return !TEMPLATE_SUFFIXES.includes(suffix);
}

/**
 * `env-tracked` and `env-not-ignored`. A secret `.env` file the change being scanned adds to the
 * index, or that is tracked although ignored (`.gitignore` does not untrack a file), is
 * `env-tracked`; one git does not ignore is `env-not-ignored` (the next `git add .` commits it).
 * Ignored and untracked is where it belongs. Unknown facts judge nothing.
 */
export const envFileRule: FileRule = {
  appliesTo: isSecretEnvFile,
  check(file) {
    if (file.added || (file.tracked && file.ignored)) return [{ ruleId: 'env-tracked' }];
    if (file.ignored === false) return [{ ruleId: 'env-not-ignored' }];
    return [];
  },
};

/** `env-in-package`: a secret `.env` file that `npm pack` would publish. */
export const envInPackageRule: FileRule = {
  appliesTo: isSecretEnvFile,
  check: (file) => (file.packed ? [{ ruleId: 'env-in-package' }] : []),
};

/** The file name of a path with `/` or `\\` separators. */
export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(cut + 1);
}
