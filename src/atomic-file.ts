import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `path` with `text` so that readers, and a kill at any moment, see the old file or
 * the whole new one: write a temporary file beside it, fsync it, rename it over the old one,
 * then fsync the directory, since the rename is durable only once its entry is on disk.
 * Synchronous, so two writes from one process can never interleave.
 * A device, FIFO or terminal (`/dev/stdout`) is written to: renaming a file over it would
 * replace the device itself (as root, `--output /dev/null` turned /dev/null into a file).
 * A symlink to a file is written through, so it still points where it did.
 */
export function writeFileAtomicSync(path: string, text: string | Uint8Array, mode = 0o666): void {
  const existing = statSync(path, { throwIfNoEntry: false });
  if (existing && !existing.isFile() && !existing.isDirectory()) writeFileSync(path, text);
  else replaceFile(existing?.isFile() ? realpathSync(path) : path, text, mode);
}

function replaceFile(path: string, text: string | Uint8Array, mode: number): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      if (typeof text === 'string') writeSync(fd, text);
      else writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
