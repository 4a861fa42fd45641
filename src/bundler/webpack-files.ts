import { resolve } from 'node:path';
import type { EmittedFile } from './emitted.js';
import { shownPath } from './paths.js';

/**
 * The parts of a webpack 5 or Rspack compilation the check reads. Both bundlers offer them
 * with the same names, so one adapter serves both (their own types differ in detail).
 */
export interface CompilationLike {
  outputOptions: { path?: string | undefined };
  getAssets(): ReadonlyArray<AssetLike>;
  getAsset(name: string): AssetLike | undefined;
  chunks: Iterable<{ files: Iterable<string> }>;
  chunkGraph: { getChunkModulesIterable(chunk: unknown): Iterable<ModuleLike> };
}

interface AssetLike {
  name: string;
  source: { source(): string | Buffer | ArrayBuffer };
  info: { related?: { sourceMap?: string | string[] | null } };
}

/** A normal module has a `resource`; a concatenated one (production builds) holds its modules. */
interface ModuleLike {
  resource?: string;
  modules?: Iterable<ModuleLike>;
  rootModule?: ModuleLike;
}

/** Every asset of a compilation at its last processing stage: what webpack is about to write. */
export function webpackFiles(compilation: CompilationLike, root: string): EmittedFile[] {
  const outDir = compilation.outputOptions.path ?? root;
  return compilation.getAssets().map((asset) => {
    const path = resolve(outDir, asset.name);
    const mapName = [asset.info.related?.sourceMap ?? []].flat()[0];
    return {
      name: shownPath(path, root),
      path,
      content: contentOf(asset),
      ...(mapName && { map: () => textOf(compilation.getAsset(mapName)) }),
      modules: () => modulesOf(compilation, asset.name),
    };
  });
}

function contentOf(asset: AssetLike): string | Uint8Array {
  const content = asset.source.source();
  return content instanceof ArrayBuffer ? new Uint8Array(content) : content;
}

function textOf(asset: AssetLike | undefined): string | undefined {
  const content = asset && contentOf(asset);
  return content === undefined || typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
}

function* modulesOf(compilation: CompilationLike, assetName: string): Iterable<string> {
  for (const chunk of compilation.chunks) {
    if (![...chunk.files].includes(assetName)) continue;
    for (const module of compilation.chunkGraph.getChunkModulesIterable(chunk)) yield* resourcesOf(module);
  }
}

function* resourcesOf(module: ModuleLike): Iterable<string> {
  if (module.resource) yield module.resource;
  for (const inner of module.modules ?? []) yield* resourcesOf(inner);
}
