import { detect, type KeyMatch } from '../../src/detect/index.js';

/** The detector's keys per linted text: every keyguard rule reads them, detected once per file. */
const found = new WeakMap<object, KeyMatch[]>();

/** The keys in the file ESLint is linting (`context.sourceCode`), as `keyguard scan` finds them. */
export function fileKeys(sourceCode: { text: string }): KeyMatch[] {
  let keys = found.get(sourceCode);
  if (!keys) {
    keys = detect(sourceCode.text);
    found.set(sourceCode, keys);
  }
  return keys;
}
