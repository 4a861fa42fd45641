// `keyguard/bundler`: `plugins: [vite()]`. Importing this module has no side effects.
import { createEsbuildPlugin, createRollupPlugin, createRspackPlugin, createVitePlugin, createWebpackPlugin } from 'unplugin';
import type { BundlerOptions } from './options.js';
import { keyguardPlugin } from './plugin.js';

export type { BundlerOptions } from './options.js';

// The entry point is the one module that reads the bundler's process: the project directory and its environment.
// One factory for every bundler, each through unplugin's own adapter: only those five are bundled (its
// adapters for other bundlers would be a third of what every build loads).
const factory = keyguardPlugin({ cwd: () => process.cwd(), env: process.env });

/** Fails a Vite production build when a secret key is in its output: `plugins: [vite()]`. */
export const vite = createVitePlugin(factory);
/** Fails a Rollup build when a secret key is in its output: `plugins: [rollup()]`. */
export const rollup = createRollupPlugin(factory);
/** Fails a webpack 5 build when a secret key is in its output: `plugins: [webpack()]`. */
export const webpack = createWebpackPlugin(factory);
/** Fails an Rspack build when a secret key is in its output: `plugins: [rspack()]`. */
export const rspack = createRspackPlugin(factory);
/** Fails an esbuild build when a secret key is in its output: `plugins: [esbuild()]`. */
export const esbuild = createEsbuildPlugin(factory);
