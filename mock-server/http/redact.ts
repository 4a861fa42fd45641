import { COMMON_PREFIX, KEY_TYPES, MIN_BODY_LENGTH } from '../../src/detect/index.js';
import { redact } from '../../src/findings.js';

/**
 * A key prefix anywhere (no word boundary: `xsk_test_…`, `key_sk_test_…` and `9sk_test_…` are
 * all caught) and the run of body characters after it, which may go on across `/`: a key
 * split over path segments is still a key in the journal.
 */
const KEY_RUN = new RegExp(`(${KEY_TYPES.map((t) => t.prefix).join('|')})([A-Za-z0-9/]+)`, 'g');

/**
 * Masks every key-shaped run in text the mock writes out (the journal, problem bodies):
 * stricter than the scanner's `redactText`, which finds keys as they sit in source code (at a
 * word boundary, placeholders skipped). Here anything a client sent may be echoed, so any run
 * of at least a key body's length after a prefix is masked to `sk_test_AbCd…xyz`.
 */
export function redactKeyRuns(text: string): string {
  if (!text.includes(COMMON_PREFIX)) return text;
  return text.replace(KEY_RUN, (run: string, prefix: string, tail: string) => {
    const body = tail.replaceAll('/', '');
    return body.length < MIN_BODY_LENGTH ? run : redact(prefix + body);
  });
}

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
  return redactKeyRuns(decoded);
}
