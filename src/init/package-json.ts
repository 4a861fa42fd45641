import { readFile, writeFile } from 'node:fs/promises';
import { KeyguardError } from '../errors.js';

/**
 * Makes the `prepare` script run husky, so every `npm install` re-activates the hooks.
 * The file keeps its indentation and key order. Returns whether it changed.
 */
export async function ensurePrepareRunsHusky(file: string, huskyCommand: string): Promise<boolean> {
  const text = await readFile(file, 'utf8');
  let manifest: { scripts?: Record<string, string> };
  try {
    manifest = JSON.parse(text) as typeof manifest;
  } catch (error) {
    throw new KeyguardError(`package.json is not valid JSON (${(error as Error).message}): fix it, then run keyguard init again`);
  }
  const prepare = manifest.scripts?.prepare;
  if (prepare !== undefined && /\bhusky\b/.test(prepare)) return false;
  manifest.scripts = { ...manifest.scripts, prepare: prepare ? `${prepare} && ${huskyCommand}` : huskyCommand };
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? 2;
  await writeFile(file, `${JSON.stringify(manifest, null, indent)}${text.endsWith('\n') ? '\n' : ''}`);
  return true;
}
