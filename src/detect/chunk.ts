import { isWordChar } from './chars.js';
import { IGNORE_MARKER, IGNORE_NEXT_LINE_MARKER } from './suppression.js';

const NEWLINE = 0x0a;
const NEXT_LINE_MARKER = Buffer.from(IGNORE_NEXT_LINE_MARKER);

/**
 * How far back a cut in a line longer than the window looks for a character that cannot be
 * part of a key. Bounded, so a window of nothing but word characters (`sk_live_` repeated)
 * costs 4 KB of looking rather than the whole window.
 */
const LOOK_BACK_BYTES = 4096;

/**
 * Where to end a piece of a file read in windows, so that no key is split: after the last
 * line break, else after the last character that cannot be part of a key in the last 4 KB
 * (a line longer than the window), else at the window's end, inside a run of word
 * characters that long: a key can only start where such a run starts, so one split there
 * already has thousands of body characters in this piece and is still found, its end cut
 * short. Never inside a UTF-8 sequence. Returns an offset in `(0, length]`.
 */
export function cutPoint(bytes: Buffer, length: number): number {
  const afterLine = bytes.lastIndexOf(NEWLINE, length - 1) + 1;
  if (afterLine > 0) return afterLine;
  for (let at = length - 1; at >= Math.max(0, length - LOOK_BACK_BYTES); at--) {
    const byte = bytes[at] as number;
    if (byte >= 0x80) return charBoundary(bytes, at + 1);
    if (!isWordChar(byte)) return at + 1;
  }
  return length;
}

/**
 * Text that stands in for what came before a cut at `end`, to put in front of the next
 * piece so the detector reads it as it would the whole file: `_` when the piece starts
 * mid-word (a prefix there is not at a word boundary), `keyguard-ignore ` when the line
 * before the cut carries `keyguard-ignore-next-line`. Ignore comments do not reach across
 * the cuts inside one line longer than a window.
 */
export function carryOver(bytes: Buffer, end: number): string {
  const last = bytes[end - 1] as number;
  if (isWordChar(last)) return '_';
  if (last !== NEWLINE) return '';
  const lineStart = end >= 2 ? bytes.lastIndexOf(NEWLINE, end - 2) + 1 : 0;
  return bytes.subarray(lineStart, end - 1).includes(NEXT_LINE_MARKER) ? `${IGNORE_MARKER} ` : '';
}

/** `end` when the character ending there is whole, else the start of the sequence the window cuts short. */
function charBoundary(bytes: Buffer, end: number): number {
  let lead = end - 1;
  while (lead > 0 && ((bytes[lead] as number) & 0xc0) === 0x80) lead--;
  const byte = bytes[lead] as number;
  const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
  return lead > 0 && lead + size > end ? lead : end;
}
