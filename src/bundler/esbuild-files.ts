import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BuildResult, Metafile } from 'esbuild';
import { fileMayHoldKey } from './candidates.js';
import type { EmittedFile } from './emitted.js';
import { shownPath } from './paths.js';

/**
 * The outputs of an esbuild build at `onEnd`: from `outputFiles` when the build keeps them in
 * memory (`write: false`), else read back from disk, where esbuild has already written them;
 * there, a file whose bytes cannot hold a key (nearly all) is left out after one windowed read.
 * The metafile (the plugin turns it on) lists them and the inputs each one holds.
 */
export function esbuildFiles(result: BuildResult & { metafile: Metafile }, root: string): EmittedFile[] {
  const inMemory = new Map(result.outputFiles?.map((file) => [file.path, file.contents]));
  const content = (path: string): Uint8Array | undefined => inMemory.get(path) ?? readIfThere(path);
  return Object.entries(result.metafile.outputs).flatMap(([output, meta]) => {
    const path = resolve(root, output);
    const bytes = inMemory.get(path) ?? (mayHoldKeyOnDisk(path) ? readIfThere(path) : undefined);
    if (bytes === undefined) return [];
    const mapPath = `${path}.map`;
    const hasMap = `${output}.map` in result.metafile.outputs;
    return [
      {
        name: shownPath(path, root),
        path,
        content: bytes,
        ...(hasMap && { map: () => Buffer.from(content(mapPath) ?? []).toString('utf8') }),
        modules: () => Object.keys(meta.inputs).map((input) => resolve(root, input)),
      },
    ];
  });
}

/** A file that is not there (removed since the build) holds nothing. */
function mayHoldKeyOnDisk(path: string): boolean {
  try {
    return fileMayHoldKey(path);
  } catch {
    return false;
  }
}

function readIfThere(path: string): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
