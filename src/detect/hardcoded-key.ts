import type { TextRule } from './rule.js';

/** `hardcoded-key`: every key the detector found (placeholders and suppressed lines are already out). */
export const hardcodedKey: TextRule = (_text, keys) => keys.map((match) => ({ ruleId: 'hardcoded-key', match }));
