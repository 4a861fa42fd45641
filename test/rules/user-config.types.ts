// Type-level test, checked by `npm run typecheck`: a user's eslint.config.ts built with ESLint's own
// defineConfig() must accept the plugin, its recommended config and the rule's options.
import { defineConfig } from 'eslint/config';
import keyguard from 'keyguard/eslint';

export default defineConfig([
  ...keyguard.configs.recommended,
  { files: ['test/**'], rules: { 'keyguard/no-hardcoded-keys': ['error', { allow: ['test', 'sandbox'] }] } },
  { plugins: { keyguard }, rules: { 'keyguard/no-hardcoded-keys': ['warn', { envVar: 'PAYMENTS_API_KEY' }] } },
]);
