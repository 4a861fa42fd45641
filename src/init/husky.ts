import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KeyguardError } from '../errors.js';

/**
 * Runs husky 9 (keyguard's own dependency) as `prepare` would, from the top of the work
 * tree: it points `core.hooksPath` at `<dir>/_` and writes its runner there, so the hooks
 * work as soon as this returns. A child process rather than husky's function, which works
 * on the current directory of the process.
 */
export async function installHusky(top: string, dir: string, env: Record<string, string | undefined>): Promise<string | undefined> {
  const bin = fileURLToPath(new URL('bin.js', import.meta.resolve('husky')));
  const output = await new Promise<string>((resolve, reject) => {
    execFile('node', [bin, dir], { cwd: top, env }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  }).catch((error: unknown) => {
    throw new KeyguardError(`husky could not run (${(error as Error).message.split('\n')[0]}): check that node is on PATH`);
  });
  const message = output.trim();
  if (message === '') return undefined;
  // HUSKY=0 is the user's way to turn hooks off: say so rather than fail.
  if (message.includes('HUSKY=0')) return 'HUSKY=0 is set, so husky did not activate the hooks: unset it and run keyguard init again';
  throw new KeyguardError(`husky could not install the git hooks: ${message}`);
}
