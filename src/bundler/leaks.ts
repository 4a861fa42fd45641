import { detect, type KeyMatch } from '../detect/index.js';
import { mayHoldKey } from '../detect/prefilter.js';
import type { EmittedFile } from './emitted.js';

/** A key in a file the build emits. */
export interface Leak {
  file: EmittedFile;
  match: KeyMatch;
}

/**
 * The keys in the files a build emits, by the one detector. Byte content (images, fonts,
 * wasm) is decoded only when the prefilter sees a key prefix in it, so assets cost one
 * `indexOf` pass.
 */
export function findLeaks(files: Iterable<EmittedFile>): Leak[] {
  const leaks: Leak[] = [];
  // By name, so a chunk comes before its map and every bundler lists keys in one order.
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const text = textOf(file.content);
    if (text === undefined) continue;
    for (const match of detect(text)) leaks.push({ file, match });
  }
  return leaks;
}

function textOf(content: string | Uint8Array): string | undefined {
  if (typeof content === 'string') return content;
  const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  return mayHoldKey(bytes, 0, bytes.length) ? bytes.toString('utf8') : undefined;
}
