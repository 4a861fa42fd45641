import { dirname, resolve } from 'node:path';
import type { EmittedFile } from './emitted.js';
import { shownPath } from './paths.js';

/** What Rollup and Rolldown (Vite 8) both hand `generateBundle`: their own types differ in detail. */
export type BundleLike = Readonly<Record<string, AssetLike | ChunkLike>>;

interface AssetLike {
  type: 'asset';
  fileName: string;
  source: string | Uint8Array;
}

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  code: string;
  map: { toString(): string } | null;
  modules: Readonly<Record<string, { code: string | null }>>;
}

export interface OutputLike {
  dir?: string | undefined;
  file?: string | undefined;
}

/** A Rollup (or Vite) bundle at `generateBundle` time: every chunk and asset, before it is written. */
export function rollupFiles(bundle: BundleLike, output: OutputLike, root: string): EmittedFile[] {
  const outDir = resolve(root, output.dir ?? (output.file ? dirname(output.file) : '.'));
  return Object.values(bundle).map((emitted) => {
    const path = resolve(outDir, emitted.fileName);
    const name = shownPath(path, root);
    if (emitted.type === 'asset') return { name, path, content: emitted.source };
    const { map, modules } = emitted;
    return {
      name,
      path,
      content: emitted.code,
      ...(map && { map: () => map.toString() }),
      // A module's rendered code holds the key when it put the key in this chunk.
      modules: (key: string) => Object.keys(modules).filter((id) => modules[id]?.code?.includes(key)),
    };
  });
}
