import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KeyguardError } from '../errors.js';

/**
 * Writes `text` to `path` through a temporary file in the same directory and a rename,
 * so readers see the old file or the whole new one, never half a report.
 */
export async function writeFileAtomic(path: string, text: string, flag: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new KeyguardError(`cannot write ${flag}: ${why(error)}`);
  }
}

function why(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'its directory does not exist (create it first)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (choose a writable location)';
    case 'EISDIR':
      return 'it is a directory (name a file)';
    default:
      return error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
  }
}
