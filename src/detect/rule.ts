import type { FileFacts, TextInput } from './facts.js';
import type { KeyMatch } from './keys.js';

/** Every rule the scan reports, by the id findings, baselines and SARIF carry (`keyguard audit` has its own). */
export type ScanRuleId =
  | 'hardcoded-key'
  | 'public-env-key'
  | 'published-example-key'
  | 'wrong-environment'
  | 'key-reuse'
  | 'env-not-ignored'
  | 'env-tracked'
  | 'env-in-package';

/** A rule's verdict about a key in a text: the scan makes it a finding at the key's place. */
export interface TextHit {
  ruleId: ScanRuleId;
  match: KeyMatch;
  /** What the rule alone does not say (which variable, who inlines it), with no key in it. */
  reason?: string;
}

/** A rule's verdict about a whole file: the scan makes it a finding at line 1, column 1. */
export interface FileHit {
  ruleId: ScanRuleId;
}

/**
 * A rule over a text: it gets the text, its file's path and the keys the detector found in it
 * (detected once, shared by every text rule). Pure: no I/O, same input, same hits.
 */
export type TextRule = (text: TextInput, keys: readonly KeyMatch[]) => TextHit[];

/**
 * A rule over a file's facts. `appliesTo` tells sources which files to describe, from the
 * path alone (relative to the current directory or to the repository's top: decide by what
 * both share, such as the file name), so they describe only those; `check` judges the facts. Pure.
 */
export interface FileRule {
  appliesTo(path: string): boolean;
  check(file: FileFacts): FileHit[];
}
