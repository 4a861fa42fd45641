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
    // `map` and `modules` are read only when a key is found: Rolldown (Vite 8) converts each from Rust when it is read.
    return {
      name,
      path,
      content: emitted.code,
      map: () => emitted.map?.toString(),
      // A module's rendered code holds the key when it put the key in this chunk.
      modules: (key: string) => Object.entries(emitted.modules).flatMap(([id, module]) => (module.code?.includes(key) ? [id] : [])),
    };
  });
}
