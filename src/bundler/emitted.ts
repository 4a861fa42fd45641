import type { SourceMapInput } from '@jridgewell/trace-mapping';

/**
 * One file a build emits, as every bundler adapter hands it to the check: what the user
 * deploys. Source maps and source lists are functions, read only when a key is found.
 */
export interface EmittedFile {
  /** The file as the user finds it: relative to the project directory, `/`-separated. */
  name: string;
  /** Absolute path the file is (or will be) written to: a source map's `sources` are relative to it. */
  path: string;
  content: string | Uint8Array;
  /** The file's source map, when the build makes one. */
  map?: () => SourceMapInput | undefined;
  /** Absolute paths of the modules bundled into the file that may hold `key`: where to look for it when there is no map. */
  modules?: (key: string) => Iterable<string>;
}

/** A place in a source file: the file relative to the project directory, `/`-separated; 1-based line and column. */
export interface SourcePlace {
  file: string;
  line: number;
  column: number;
}

/**
 * Where a key in the output came from: the source that put it there, and the variable that
 * carried it when the source reads a variable (`import.meta.env.VITE_KEY`) rather than
 * holding the key. Either may be unknown.
 */
export interface Origin {
  place?: SourcePlace;
  /** The key is written at `place` (a literal), rather than read there from a variable. */
  written?: boolean;
  variable?: string;
}
