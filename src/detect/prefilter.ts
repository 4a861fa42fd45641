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

const REST_TEXT = COMMON_PREFIX.slice(1);

/** `mayHoldKey` for text already decoded (a bundler's chunk): the same test, without encoding it to bytes. */
export function textMayHoldKey(text: string): boolean {
  for (let rest = text.indexOf(REST_TEXT, 1); rest !== -1; rest = text.indexOf(REST_TEXT, rest + REST_TEXT.length)) {
    const at = rest - 1;
    if (text.charCodeAt(at) !== FIRST || (at > 0 && isWordChar(text.charCodeAt(at - 1)))) continue;
    if (KEY_TYPES.some((type) => text.startsWith(type.prefix, at))) return true;
  }
  return false;
}
