import { COMMON_PREFIX, KEY_TYPES, MIN_BODY_LENGTH, type KeyType } from './key-types.js';
import { isPlaceholderBody } from './placeholder.js';
import { LineIndex } from './position.js';
import { isSuppressedLine } from './suppression.js';

/** A key found in a text. `start`/`end` are UTF-16 offsets (end exclusive); lines and columns are 1-based. */
export interface KeyMatch {
  keyType: KeyType;
  key: string;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface DetectOptions {
  /** Keep findings marked with `keyguard-ignore` comments (default false). */
  includeSuppressed?: boolean;
}

/**
 * Finds the keys in a text: a known prefix at a word boundary followed by a body of at
 * least 16 `[A-Za-z0-9]` characters that is not a documentation placeholder.
 * One `indexOf` pass over the text; every character is looked at a bounded number of
 * times, so no input makes it super-linear.
 */
export function detect(text: string, options: DetectOptions = {}): KeyMatch[] {
  const matches: KeyMatch[] = [];
  let lines: LineIndex | undefined;
  let at = text.indexOf(COMMON_PREFIX);
  while (at !== -1) {
    const found = keyAt(text, at);
    if (!found) {
      at = text.indexOf(COMMON_PREFIX, at + COMMON_PREFIX.length);
      continue;
    }
    lines ??= new LineIndex(text);
    const from = lines.positionAt(found.start);
    const to = lines.positionAt(found.end);
    if (options.includeSuppressed || !isSuppressedLine(lines, from.line)) {
      matches.push({
        keyType: found.keyType,
        key: text.slice(found.start, found.end),
        start: found.start,
        end: found.end,
        line: from.line,
        column: from.column,
        endLine: to.line,
        endColumn: to.column,
      });
    }
    at = text.indexOf(COMMON_PREFIX, found.end);
  }
  return matches;
}

function keyAt(text: string, start: number): { keyType: KeyType; start: number; end: number } | undefined {
  if (start > 0 && isWordChar(text.charCodeAt(start - 1))) return undefined;
  const type = KEY_TYPES.find((t) => text.startsWith(t.prefix, start));
  if (!type) return undefined;
  const bodyStart = start + type.prefix.length;
  let end = bodyStart;
  while (end < text.length && isBodyChar(text.charCodeAt(end))) end++;
  if (end - bodyStart < MIN_BODY_LENGTH) return undefined;
  if (isPlaceholderBody(text.slice(bodyStart, end))) return undefined;
  return { keyType: type.keyType, start, end };
}

function isBodyChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** `[A-Za-z0-9_]`: a key starts only where a run of these does not. */
export function isWordChar(code: number): boolean {
  return isBodyChar(code) || code === 95;
}
