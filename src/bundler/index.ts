// `keyguard/bundler`: `plugins: [vite()]`. Importing this module has no side effects.
import { createUnplugin, type UnpluginInstance } from 'unplugin';
import type { BundlerOptions } from './options.js';
import { keyguardPlugin } from './plugin.js';

export type { BundlerOptions } from './options.js';

// The entry point is the one module that reads the bundler's process: the project directory and its environment.
const plugin: UnpluginInstance<BundlerOptions | undefined, false> = createUnplugin(
  keyguardPlugin({ cwd: () => process.cwd(), env: process.env }),
);

/** Fails a Vite production build when a secret key is in its output: `plugins: [vite()]`. */
export const vite = plugin.vite;
/** Fails a Rollup build when a secret key is in its output: `plugins: [rollup()]`. */
export const rollup = plugin.rollup;
/** Fails a webpack 5 build when a secret key is in its output: `plugins: [webpack()]`. */
export const webpack = plugin.webpack;
/** Fails an Rspack build when a secret key is in its output: `plugins: [rspack()]`. */
export const rspack = plugin.rspack;
/** Fails an esbuild build when a secret key is in its output: `plugins: [esbuild()]`. */
export const esbuild = plugin.esbuild;
