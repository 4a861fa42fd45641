import type { ESLint, Linter, Rule } from 'eslint';
import { VERSION } from '../src/version.js';
import noHardcodedKeys from './no-hardcoded-keys.js';
import noPublishedExampleKeys from './no-published-example-keys.js';
import { typescriptParser } from './support/typescript-parser.js';

/** Files ESLint lints only when a config names them (its defaults are .js, .mjs and .cjs). */
const JSX_FILES = ['**/*.jsx'];
const TYPESCRIPT_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

const plugin = {
  meta: { name: 'keyguard', version: VERSION },
  // Typed as ESLint's own rule so users' eslint.config.ts type-checks with defineConfig();
  // typescript-eslint's RuleContext still lists methods ESLint 9 removed, hence the double cast.
  rules: {
    'no-hardcoded-keys': noHardcodedKeys as unknown as Rule.RuleModule,
    'no-published-example-keys': noPublishedExampleKeys as unknown as Rule.RuleModule,
  },
  configs: {} as { recommended: Linter.Config[] },
} satisfies ESLint.Plugin;

const parser = typescriptParser();

/**
 * The rule on every file the project lints (no `files`, so .vue or .md files a project lints get
 * it too), plus what makes .jsx, .ts and .tsx files linted at all: JSX parsing for .jsx, and
 * typescript-eslint's parser for TypeScript when the project has it. A project that parses
 * TypeScript with another parser puts its own block after this one: the later block wins.
 * It registers this very plugin object, so ESLint sees one `keyguard` plugin even when a project
 * also lists it under `plugins` itself (two different objects would be an error).
 */
plugin.configs.recommended = [
  {
    name: 'keyguard/recommended',
    plugins: { keyguard: plugin },
    // Severities as keyguard scan's: a published example key is a warning.
    rules: { 'keyguard/no-hardcoded-keys': 'error', 'keyguard/no-published-example-keys': 'warn' },
  },
  { name: 'keyguard/recommended/jsx', files: JSX_FILES, languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
  ...(parser ? [{ name: 'keyguard/recommended/typescript', files: TYPESCRIPT_FILES, languageOptions: { parser } }] : []),
];

export default plugin;
