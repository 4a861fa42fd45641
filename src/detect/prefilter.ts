import { isWordChar } from './chars.js';
import { COMMON_PREFIX, KEY_TYPES } from './key-types.js';

// V8 searches a two-byte needle several times faster than a three-byte one (9 against
// 2 GB/s measured), so the scan looks for `k_` and checks the `s` before it.
const FIRST = COMMON_PREFIX.charCodeAt(0);
const REST = Buffer.from(COMMON_PREFIX.slice(1));
const PREFIXES = KEY_TYPES.map((type) => Buffer.from(type.prefix));

/**
 * True when bytes `[start, end)` may hold a key: a known prefix at a word boundary. It
 * runs on raw bytes before anything is decoded, so the `task_id`s and `disk_`s of
 * ordinary code cost one `indexOf` pass and no decoding. It may say yes to a
 * non-key (the detector decides); it never says no to a key.
 */
export function mayHoldKey(bytes: Buffer, start: number, end: number): boolean {
  const piece = bytes.subarray(start, end);
  for (let rest = piece.indexOf(REST, 1); rest !== -1; rest = piece.indexOf(REST, rest + REST.length)) {
    const at = rest - 1;
    if (piece[at] !== FIRST || (at > 0 && isWordChar(piece[at - 1] as number))) continue;
    if (PREFIXES.some((prefix) => piece.subarray(at, at + prefix.length).equals(prefix))) return true;
  }
  return false;
}

/** A known prefix at a word boundary: JavaScript's `\b` knows the same word characters as `isWordChar`. */
const KEY_START = new RegExp(`\\b(?:${KEY_TYPES.map((type) => type.prefix).join('|')})`, 'g');

/** `mayHoldKey` for text already decoded (a bundler's chunk): the same test, without encoding it to bytes. */
export function textMayHoldKey(text: string): boolean {
  return possibleKeyAt(text, 0) !== -1;
}

/**
 * Where the first possible key at or after `from` starts in `text`, or -1. Text decoded as
 * latin1 has one character per byte, so the patch reader searches a whole chunk of git's output
 * at once and finds the offsets `mayHoldKey` would. One regular expression rather than a loop
 * over each `k_`: on code full of `task_id`s it is ~40 times faster in a fresh process.
 */
export function possibleKeyAt(text: string, from: number): number {
  KEY_START.lastIndex = from;
  return KEY_START.exec(text)?.index ?? -1;
}
