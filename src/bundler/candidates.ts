import { closeSync, openSync, readSync } from 'node:fs';
import { KEY_TYPES } from '../detect/key-types.js';
import { textMayHoldKey } from '../detect/prefilter.js';
import type { EmittedFile } from './emitted.js';

/**
 * Whether an emitted file may hold a key, by the detector's prefilter alone (a known prefix
 * at a word boundary): one regular-expression pass. A build whose files all say no (nearly
 * every build) loads neither the detector nor the project's config. Bytes (esbuild's output)
 * are read as latin1, one character per byte, which finds what the byte loop `mayHoldKey`
 * finds: on a 6 MB bundle and its map full of `task_`s, 5 ms against 16 for the byte loop.
 */
export function mayHoldKeys(file: EmittedFile): boolean {
  const { content } = file;
  if (typeof content === 'string') return textMayHoldKey(content);
  return textMayHoldKey(Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('latin1'));
}

/**
 * Windows of 64 KB: on a 1.9 MB bundle and its 4.3 MB map, read back in a fresh process (as a
 * build's end is), 4.4 ms against 7.3 for each file read whole (median of 15; 256 KB and 1 MB
 * windows were slower).
 */
const WINDOW_BYTES = 64 * 1024;
/** A prefix cut by a window's end is read again whole at the start of the next. */
const CARRIED = Math.max(...KEY_TYPES.map((type) => type.prefix.length)) - 1;
let window: Buffer | undefined;

/**
 * `mayHoldKeys` for a file on disk (what esbuild has written), read through one reused window,
 * so output that cannot hold a key is never whole in memory. The byte before a carried prefix is
 * not carried: a `\b` there may say yes to a non-key, never no to a key.
 */
export function fileMayHoldKey(path: string): boolean {
  window ??= Buffer.allocUnsafe(WINDOW_BYTES);
  const fd = openSync(path, 'r');
  try {
    for (let kept = 0; ; ) {
      const read = readSync(fd, window, kept, window.length - kept, null);
      const end = kept + read;
      if (textMayHoldKey(window.toString('latin1', 0, end))) return true;
      if (read === 0) return false;
      kept = Math.min(CARRIED, end);
      window.copy(window, 0, end - kept, end);
    }
  } finally {
    closeSync(fd);
  }
}
