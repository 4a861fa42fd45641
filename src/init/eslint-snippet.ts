/**
 * The ESLint lines `keyguard init` prints: the README's ESLint block, character for character (a
 * test compares them), so what init tells a user and what the README shows never drift apart.
 */
export const ESLINT_SNIPPET = `// eslint.config.js
import keyguard from 'keyguard/eslint';

export default [
  ...keyguard.configs.recommended,
  // …your other configs (a later block wins)
];`;
