import type { ESLint, Linter, Rule } from 'eslint';
import { VERSION } from '../src/version.js';
import noHardcodedKeys from './no-hardcoded-keys.js';

/** The ESLint plugin, published as `keyguard/eslint`. */
const configs: { recommended: Linter.Config } = {
  recommended: {
    name: 'keyguard/recommended',
    rules: { 'keyguard/no-hardcoded-keys': 'error' },
  },
};

const plugin = {
  meta: { name: 'keyguard', version: VERSION },
  // Typed as ESLint's own rule so users' eslint.config.ts type-checks with defineConfig();
  // typescript-eslint's RuleContext still lists methods ESLint 9 removed, hence the double cast.
  rules: { 'no-hardcoded-keys': noHardcodedKeys as unknown as Rule.RuleModule },
  configs,
} satisfies ESLint.Plugin;

// The config registers this very object, so ESLint sees one `keyguard` plugin even when a
// project also lists it under `plugins` itself (two different objects would be an error).
configs.recommended.plugins = { keyguard: plugin };

export default plugin;
