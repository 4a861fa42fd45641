import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where npm's `ignore-scripts` comes from, for the note `keyguard init` prints. */
export type IgnoreScriptsSource = '.npmrc' | 'npm_config_ignore_scripts' | 'your npm config';

/**
 * Whether `npm install` in `root` skips lifecycle scripts (`ignore-scripts=true`), so `prepare` never
 * activates the hook. npm answers (`npm config get`), so the project `.npmrc`, the user and global
 * config and `npm_config_*` variables count as npm counts them; the source is named only for the
 * message. npm missing or failing: undefined, since init must not fail over a note.
 */
export async function ignoredScripts(root: string, env: Record<string, string | undefined>): Promise<IgnoreScriptsSource | undefined> {
  const value = await new Promise<string>((resolve) => {
    execFile('npm', ['config', 'get', 'ignore-scripts'], { cwd: root, env, timeout: 30_000 }, (error, stdout) => resolve(error ? '' : stdout.trim()));
  });
  if (value !== 'true') return undefined;
  if (/^(true|1)$/i.test(env.npm_config_ignore_scripts ?? env.NPM_CONFIG_IGNORE_SCRIPTS ?? '')) return 'npm_config_ignore_scripts';
  const project = await readFile(join(root, '.npmrc'), 'utf8').catch(() => '');
  return /^\s*ignore-scripts\s*=\s*true\s*$/m.test(project) ? '.npmrc' : 'your npm config';
}
