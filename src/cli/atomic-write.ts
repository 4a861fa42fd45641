import { realpathSync, statSync, writeFileSync } from 'node:fs';
import { KeyguardError } from '../errors.js';
import { writeFileAtomicSync } from '../atomic-file.js';

/**
 * Writes a report or baseline atomically; a failure is one line naming the flag and what to do.
 * A device, FIFO or terminal (`--output /dev/stdout`) is written to: renaming a file over it
 * would replace the device itself (as root, `--output /dev/null` turned /dev/null into a file).
 * A symlink to a file is written through, so it still points where it did.
 */
export function writeFileAtomic(path: string, text: string, flag: string): void {
  try {
    const existing = statSync(path, { throwIfNoEntry: false });
    if (existing && !existing.isFile() && !existing.isDirectory()) writeFileSync(path, text);
    else writeFileAtomicSync(existing?.isFile() ? realpathSync(path) : path, text);
  } catch (error) {
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
