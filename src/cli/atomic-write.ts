import { KeyguardError } from '../errors.js';
import { writeFileAtomicSync } from '../atomic-file.js';

/** Writes a report or baseline atomically; a failure is one line naming the flag and what to do. */
export function writeFileAtomic(path: string, text: string, flag: string): void {
  try {
    writeFileAtomicSync(path, text);
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
