import { envFileRule, envInPackageRule } from './env-file.js';
import type { FileFacts, TextInput } from './facts.js';
import { hardcodedKey } from './hardcoded-key.js';
import { publishedExampleKey } from './published-example-key.js';
import type { KeyMatch } from './keys.js';
import type { FileHit, FileRule, TextHit, TextRule } from './rule.js';

/*
 * Every rule, in one table per kind. A new rule is a pure function in its own file here and one
 * entry below: sources already yield what rules read (texts, and facts about the files some file
 * rule `appliesTo`), and the scan turns every hit into a Finding (src/build-findings.ts). A new
 * rule id also needs its entry in src/rules-meta.ts (message, help, SARIF metadata).
 */
const TEXT_RULES: readonly TextRule[] = [hardcodedKey, publishedExampleKey];
const FILE_RULES: readonly FileRule[] = [envFileRule, envInPackageRule];

/** The hits of every text rule on one text and the keys detected in it. */
export function judgeText(text: TextInput, keys: readonly KeyMatch[]): TextHit[] {
  return TEXT_RULES.flatMap((rule) => rule(text, keys));
}

/** The hits of every file rule on one file's facts. */
export function judgeFile(file: FileFacts): FileHit[] {
  return FILE_RULES.flatMap((rule) => (rule.appliesTo(file.path) ? rule.check(file) : []));
}

/** Whether some file rule wants the facts of the file at `path`: sources describe only those files. */
export function wantsFacts(path: string): boolean {
  return FILE_RULES.some((rule) => rule.appliesTo(path));
}
