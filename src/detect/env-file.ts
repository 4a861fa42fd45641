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

function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(cut + 1);
}
