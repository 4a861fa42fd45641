import type { TextRule } from './rule.js';

/** `published-example-key`: the keys the detector found that a vendor published as documentation examples (key-types.ts). */
export const publishedExampleKey: TextRule = (_text, keys) => keys.filter((match) => match.publishedIn).map((match) => ({ ruleId: 'published-example-key', match }));
