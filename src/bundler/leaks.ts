import { compareStrings } from '../detect/compare.js';
import { detect, type KeyMatch } from '../detect/index.js';
import type { EmittedFile } from './emitted.js';

/** A key in a file the build emits. */
export interface Leak {
  file: EmittedFile;
  match: KeyMatch;
}

/** The keys in the files a build emits (those the prefilter kept: see candidates.ts), by the one detector. */
export function findLeaks(files: Iterable<EmittedFile>): Leak[] {
  const leaks: Leak[] = [];
  // By name, so a chunk comes before its map and every bundler lists keys in one order.
  for (const file of [...files].sort((a, b) => compareStrings(a.name, b.name))) {
    const text = typeof file.content === 'string' ? file.content : Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength).toString('utf8');
    for (const match of detect(text)) leaks.push({ file, match });
  }
  return leaks;
}
