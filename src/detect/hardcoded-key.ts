import type { TextRule } from './rule.js';

/**
 * `hardcoded-key`: every key the detector found (placeholders and suppressed lines are already
 * out) but those vendors published as examples, which published-example-key reports.
 */
export const hardcodedKey: TextRule = (_text, keys) => keys.filter((match) => !match.publishedIn).map((match) => ({ ruleId: 'hardcoded-key', match }));
