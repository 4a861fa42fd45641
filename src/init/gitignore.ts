import { readFile, writeFile } from 'node:fs/promises';

/** `.env` files hold secrets; the template stays committable. */
export const ENV_IGNORE_LINES = ['.env', '.env.*', '!.env.example'];

/** Adds the `ENV_IGNORE_LINES` that `.gitignore` lacks, at its end. Returns the lines added. */
export async function ensureEnvIgnored(file: string): Promise<string[]> {
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const present = new Set(text.split(/\r?\n/).map((line) => line.trim()));
  const missing = ENV_IGNORE_LINES.filter((line) => !present.has(line));
  if (missing.length === 0) return [];
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  await writeFile(file, `${text}${separator}# Secrets stay out of git (added by keyguard init)\n${missing.join('\n')}\n`);
  return missing;
}
