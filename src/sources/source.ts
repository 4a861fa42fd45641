import type { Finding } from '../findings.js';
import type { Fragment } from './fragment.js';

/**
 * A fragment cut from a larger text (a big file read in windows): where its first
 * character sits in that text, both 1-based. Findings are moved there.
 */
export interface PlacedFragment extends Fragment {
  startLine?: number;
  startColumn?: number;
}

/** What a scan read: files that were scanned as text and their bytes. */
export interface ScanStats {
  files: number;
  bytes: number;
}

/**
 * A place to scan: the working tree, the staged index, a range of commits. `scan()` runs
 * the key detector on its fragments and adds its `.env` findings, so a new source is one
 * object and no change to the pipeline.
 */
export interface Source {
  /** Text for the key detector. Counts what it reads into `stats` as it goes. */
  fragments(stats: ScanStats): AsyncIterable<PlacedFragment>;
  /** Findings about files rather than their text: the `.env` rules. Called once `fragments` is read to the end. */
  envFindings(): Promise<Finding[]>;
}
