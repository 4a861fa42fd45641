import { isWordChar } from './keys.js';
import { IGNORE_NEXT_LINE_MARKER } from './suppression.js';

const NEWLINE = 0x0a;
const NEXT_LINE_MARKER = Buffer.from(IGNORE_NEXT_LINE_MARKER);

/**
 * Where to end a piece of a file read in windows, so that no key is split: after the last
 * line break (keeping a `keyguard-ignore-next-line` line with the line it guards), else
 * after the last ASCII character that cannot be part of a key (a line longer than the
 * window), else at a UTF-8 character boundary inside a run of word characters, where no
 * key can start (see `continuesWord`). Returns an offset in `(0, length]`.
 */
export function cutPoint(bytes: Buffer, length: number): number {
  const afterLine = lastLineBreak(bytes, length);
  if (afterLine > 0) return afterLine;
  for (let at = length - 1; at >= 0; at--) {
    const byte = bytes[at] as number;
    if (byte < 0x80 && !isWordChar(byte)) return at + 1;
  }
  return lastCharBoundary(bytes, length);
}

/** True when the piece after `end` continues a word, so a prefix there is not at a word boundary. */
export function continuesWord(bytes: Buffer, end: number): boolean {
  return end > 0 && isWordChar(bytes[end - 1] as number);
}

function lastLineBreak(bytes: Buffer, length: number): number {
  const last = bytes.lastIndexOf(NEWLINE, length - 1);
  let lineEnd = last;
  while (lineEnd >= 0) {
    const lineStart = lineEnd === 0 ? 0 : bytes.lastIndexOf(NEWLINE, lineEnd - 1) + 1;
    if (!bytes.subarray(lineStart, lineEnd).includes(NEXT_LINE_MARKER)) return lineEnd + 1;
    lineEnd = lineStart - 1;
  }
  // Every line carries the marker: split one pair rather than never cutting.
  return last + 1;
}

/** `length`, or the start of a UTF-8 sequence that the window cuts short. */
function lastCharBoundary(bytes: Buffer, length: number): number {
  let lead = length - 1;
  while (lead > 0 && ((bytes[lead] as number) & 0xc0) === 0x80) lead--;
  const byte = bytes[lead] as number;
  const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return lead > 0 && lead + size > length ? lead : length;
}
