import type { TextRule } from './rule.js';

/**
 * `published-example-key`: the keys the detector found that a vendor published as documentation
 * examples (key-types.ts), except in an ignored file read only for the rules that look into those.
 */
export const publishedExampleKey: TextRule = (text, keys) =>
  text.ignored ? [] : keys.filter((match) => match.publishedIn).map((match) => ({ ruleId: 'published-example-key', match }));
