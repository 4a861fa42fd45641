import type { UnpluginFactory } from 'unplugin';
import { mayHoldKeys } from './candidates.js';
import type { Verdict } from './check.js';
import type { EmittedFile } from './emitted.js';
import { esbuildFiles } from './esbuild-files.js';
import { failingTypes, resolvePolicy, type BundlerOptions } from './options.js';
import { rollupFiles, type BundleLike, type OutputLike } from './rollup-files.js';
import { variableFinder, type NamedValues } from './variables.js';
import { webpackFiles, type CompilationLike } from './webpack-files.js';

const NAME = 'keyguard';

/** What a build knows that the check needs: where the project is, and what it inlined under which name. */
interface BuildFacts {
  root: string;
  defines: ReadonlyArray<{ prefix: string; values: NamedValues | undefined }>;
}

/** What the plugin reads of the bundler's process, given by the entry point. */
export interface Host {
  cwd: () => string;
  env: NamedValues;
}

/**
 * One plugin for every bundler: at the end of a build, every emitted chunk and asset goes
 * through the one detector, and a secret key fails the build through the bundler's own
 * error. Each bundler gets only an adapter that lists its output; unplugin's common hooks
 * do not see emitted files, so the adapters use its bundler-specific hooks.
 */
export const keyguardPlugin = (host: Host): UnpluginFactory<BundlerOptions | undefined> => (options = {}) => {
  failingTypes(options.failOn);
  const processEnv = { prefix: 'process.env.', values: host.env };
  const check = async (files: () => EmittedFile[], facts: BuildFacts): Promise<Verdict> => {
    const candidates = files().filter(mayHoldKeys);
    if (candidates.length === 0) return {};
    // Only output that may hold a key loads the detector, the project's config and source maps.
    const [{ checkOutput }, policy] = await Promise.all([import('./check.js'), resolvePolicy(options, facts.root)]);
    const variableOf = variableFinder([...facts.defines, processEnv]);
    return checkOutput(candidates, policy, { root: facts.root, variableOf });
  };
  const rollupCheck = async (context: ReportingContext, output: OutputLike, bundle: BundleLike, facts: BuildFacts) => {
    const verdict = await check(() => rollupFiles(bundle, output, facts.root), facts);
    if (verdict.warning) context.warn(verdict.warning);
    // No stack: the bundler would print this module's call frames under the message, which say nothing to the user.
    if (verdict.error) context.error({ message: verdict.error, stack: '' });
  };
  let vite: BuildFacts | undefined;
  return {
    name: NAME,
    rollup: {
      generateBundle: {
        order: 'post',
        async handler(output, bundle) {
          await rollupCheck(this, output, bundle, { root: host.cwd(), defines: [] });
        },
      },
    },
    vite: {
      apply: 'build',
      configResolved(config) {
        vite = {
          root: config.root,
          defines: [
            { prefix: 'import.meta.env.', values: config.env },
            { prefix: '', values: config.define },
          ],
        };
      },
      generateBundle: {
        order: 'post',
        async handler(output, bundle) {
          await rollupCheck(this, output, bundle, vite ?? { root: host.cwd(), defines: [] });
        },
      },
    },
    webpack(compiler) {
      tapWebpackLike(compiler as unknown as CompilerLike, check);
    },
    rspack(compiler) {
      tapWebpackLike(compiler as unknown as CompilerLike, check);
    },
    esbuild: {
      setup(build) {
        // The metafile names every output and the inputs each holds.
        build.initialOptions.metafile = true;
        const root = build.initialOptions.absWorkingDir ?? host.cwd();
        const facts = { root, defines: [{ prefix: '', values: build.initialOptions.define }] };
        build.onEnd(async (result) => {
          const metafile = result.metafile;
          if (!metafile) return undefined;
          const verdict = await check(() => esbuildFiles({ ...result, metafile }, root), facts);
          return {
            errors: verdict.error ? [{ text: verdict.error }] : [],
            warnings: verdict.warning ? [{ text: verdict.warning }] : [],
          };
        });
      },
    },
  };
};

/** `this` in Rollup's and Rolldown's hooks: `error` throws, failing the build. */
interface ReportingContext {
  warn(message: string): void;
  error(error: { message: string; stack: string }): never;
}

/** The parts of a webpack 5 or Rspack compiler the plugin uses; both offer them under these names. */
interface CompilerLike {
  context: string;
  options: { plugins: unknown[] };
  webpack: {
    Compilation: { PROCESS_ASSETS_STAGE_REPORT: number };
    WebpackError: new (message: string) => Error;
  };
  hooks: { thisCompilation: { tap(name: string, run: (compilation: WebpackCompilation) => void): void } };
}

interface WebpackCompilation extends CompilationLike {
  hooks: { processAssets: { tapPromise(options: { name: string; stage: number }, run: () => Promise<void>): void } };
  errors: Error[];
  warnings: Error[];
}

type Check = (files: () => EmittedFile[], facts: BuildFacts) => Promise<Verdict>;

/** At the last asset stage (`REPORT`), after minifiers and source maps: exactly what will be written. */
function tapWebpackLike(compiler: CompilerLike, check: Check): void {
  const { Compilation, WebpackError } = compiler.webpack;
  const facts: BuildFacts = { root: compiler.context, defines: compiler.options.plugins.map(definitionsOf) };
  compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
    compilation.hooks.processAssets.tapPromise({ name: NAME, stage: Compilation.PROCESS_ASSETS_STAGE_REPORT }, async () => {
      const verdict = await check(() => webpackFiles(compilation, facts.root), facts);
      if (verdict.warning) compilation.warnings.push(new WebpackError(verdict.warning));
      if (verdict.error) compilation.errors.push(new WebpackError(verdict.error));
    });
  });
}

/** A `DefinePlugin`'s values (webpack keeps them in `definitions`, Rspack in its constructor arguments). */
function definitionsOf(plugin: unknown): { prefix: string; values: NamedValues | undefined } {
  const candidate = plugin as { constructor?: { name?: string }; definitions?: NamedValues; _args?: unknown[] } | null;
  if (candidate?.constructor?.name !== 'DefinePlugin') return { prefix: '', values: undefined };
  return { prefix: '', values: candidate.definitions ?? (candidate._args?.[0] as NamedValues | undefined) };
}
