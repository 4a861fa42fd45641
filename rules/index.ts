import type { TSESLint } from '@typescript-eslint/utils';
import { VERSION } from '../src/version.js';
import noHardcodedKeys from './no-hardcoded-keys.js';

/** The ESLint plugin, published as `keyguard/eslint`. */
const configs: { recommended: TSESLint.FlatConfig.Config } = {
  recommended: {
    name: 'keyguard/recommended',
    rules: { 'keyguard/no-hardcoded-keys': 'error' },
  },
};

const plugin = {
  meta: { name: 'keyguard', version: VERSION },
  rules: { 'no-hardcoded-keys': noHardcodedKeys },
  configs,
};

// The config registers this very object, so ESLint sees one `keyguard` plugin even when a
// project also lists it under `plugins` itself (two different objects would be an error).
configs.recommended.plugins = { keyguard: plugin };

export default plugin;
