import type { FileFacts } from '../detect/index.js';
import type { Fragment } from './fragment.js';

/**
 * A fragment cut from a larger text (a big file read in windows): where its first
 * character sits in that text, both 1-based. Findings are moved there.
 */
export interface PlacedFragment extends Fragment {
  startLine?: number;
  startColumn?: number;
}

/** What a source yields: text for the detector, and facts about the files file rules judge. */
export type SourceItem = PlacedFragment | FileFacts;

/** What a scan read: files that were scanned as text and their bytes. */
export interface ScanStats {
  files: number;
  bytes: number;
}

/**
 * A place to scan: the working tree, the staged index, a range of commits. A source turns
 * the place into data only, never findings: `scan()` runs the rules in src/detect/ on what
 * it yields, so a new source is one object and no change to the pipeline.
 */
export interface Source {
  /**
   * Fragments of text, and the facts of each file some file rule applies to (`wantsFacts`),
   * in one stream, as they are read. Counts what it reads into `stats` as it goes.
   */
  read(stats: ScanStats): AsyncIterable<SourceItem>;
}

export function isFragment(item: SourceItem): item is PlacedFragment {
  return 'text' in item;
}
