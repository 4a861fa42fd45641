import { envFileRule, envInPackageRule } from './env-file.js';
import type { FileFacts, TextInput } from './facts.js';
import { hardcodedKey } from './hardcoded-key.js';
import { publishedExampleKey } from './published-example-key.js';
import type { KeyMatch } from './keys.js';
import { isEnvFileName, publicEnv } from './public-env.js';
import type { FileHit, FileRule, TextHit, TextRule } from './rule.js';

/*
 * Every rule, in one table per kind. A new rule is a pure function in its own file here and one
 * entry below: sources already yield what rules read (texts, and facts about the files some file
 * rule `appliesTo`), and the scan turns every hit into a Finding (src/build-findings.ts). A new
 * rule id also needs its entry in src/rules-meta.ts (message, help, SARIF metadata).
 */
const TEXT_RULES: readonly TextRule[] = [publicEnv, hardcodedKey, publishedExampleKey];
const FILE_RULES: readonly FileRule[] = [envFileRule, envInPackageRule];

/**
 * The hits of every text rule on one text and the keys detected in it. `hardcoded-key` is the
 * catch-all: a key another rule reports (a public env variable) is reported once, by that rule.
 */
export function judgeText(text: TextInput, keys: readonly KeyMatch[]): TextHit[] {
  const hits = TEXT_RULES.flatMap((rule) => rule(text, keys));
  const claimed = new Set(hits.filter((hit) => hit.ruleId !== 'hardcoded-key').map((hit) => hit.match.start));
  return claimed.size === 0 ? hits : hits.filter((hit) => hit.ruleId !== 'hardcoded-key' || !claimed.has(hit.match.start));
}

/**
 * Whether some text rule reads the file at `path` even when git ignores it: bundlers inline the
 * public variables of every `.env*` file, ignored or not. Sources read such files beside the
 * projects they list and mark them `ignored`.
 */
export function readsIgnored(path: string): boolean {
  return isEnvFileName(path);
}

/** The hits of every file rule on one file's facts. */
export function judgeFile(file: FileFacts): FileHit[] {
  return FILE_RULES.flatMap((rule) => (rule.appliesTo(file.path) ? rule.check(file) : []));
}

/** Whether some file rule wants the facts of the file at `path`: sources describe only those files. */
export function wantsFacts(path: string): boolean {
  return FILE_RULES.some((rule) => rule.appliesTo(path));
}
