import type { LineIndex } from './position.js';

export const IGNORE_MARKER = 'keyguard-ignore';
export const IGNORE_NEXT_LINE_MARKER = 'keyguard-ignore-next-line';

/**
 * A finding on `line` is suppressed by `keyguard-ignore` on the same line or
 * `keyguard-ignore-next-line` on the line before. The marker is looked for as text, so it
 * works in the comment syntax of any language.
 */
export function isSuppressedLine(lines: LineIndex, line: number): boolean {
  if (hasSameLineMarker(lines.lineText(line))) return true;
  return line > 1 && lines.lineText(line - 1).includes(IGNORE_NEXT_LINE_MARKER);
}

function hasSameLineMarker(text: string): boolean {
  let at = text.indexOf(IGNORE_MARKER);
  while (at !== -1) {
    if (!text.startsWith(IGNORE_NEXT_LINE_MARKER, at)) return true;
    at = text.indexOf(IGNORE_MARKER, at + IGNORE_MARKER.length);
  }
  return false;
}
