import { redactText } from '../../src/findings.js';

/**
 * A request path as the journal and problem bodies show it: percent-decoded where that is
 * valid (so `sk%5Ftest%5F…` is recognised as a key) and masked.
 */
export function displayPath(path: string): string {
  let decoded = path;
  if (path.includes('%')) {
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // Broken percent-encoding: shown as sent, still masked.
    }
  }
  return redactText(decoded);
}
