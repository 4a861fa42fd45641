import { mayHoldKey, textMayHoldKey } from '../detect/prefilter.js';
import type { EmittedFile } from './emitted.js';

/**
 * Whether an emitted file may hold a key, by the detector's prefilter alone (a known prefix
 * at a word boundary): one `indexOf` pass, no decoding. A build whose files all say no (nearly
 * every build) loads neither the detector nor the project's config.
 */
export function mayHoldKeys(file: EmittedFile): boolean {
  const { content } = file;
  if (typeof content === 'string') return textMayHoldKey(content);
  return mayHoldKey(Buffer.from(content.buffer, content.byteOffset, content.byteLength), 0, content.byteLength);
}
