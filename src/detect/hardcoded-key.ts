import type { TextRule } from './rule.js';

/**
 * `hardcoded-key`: every key the detector found (placeholders and suppressed lines are already
 * out) but those vendors published as examples, which published-example-key reports, and except in a
 * file git ignores that was read only for other rules: an ignored `.env` is where a secret belongs.
 */
export const hardcodedKey: TextRule = (text, keys) =>
  text.ignored ? [] : keys.filter((match) => !match.publishedIn).map((match) => ({ ruleId: 'hardcoded-key', match }));
