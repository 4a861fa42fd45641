import { resolve, sep } from 'node:path';
import { compareStrings as compare } from './detect/compare.js';
import type { KeyType } from './detect/index.js';
import { KeyguardError } from './errors.js';
import { redactText, type Finding, type RuleId } from './findings.js';
import { fieldPath } from './field-path.js';
import { readJsonFile } from './json-text.js';
import { relativePosix } from './posix-path.js';

/** Where `keyguard baseline` writes, in the project root, unless told otherwise. */
export const BASELINE_FILE = '.keyguard-baseline.json';

/**
 * One acknowledged finding. Only the fingerprint (rule + path + key hash, no line) decides a
 * match; the other fields are for the people reviewing the file. Never a full key.
 */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: RuleId;
  /** Relative to the baseline file's directory, with `/` separators. */
  file: string;
  keyType?: KeyType;
  redacted?: string;
}

/** A baseline file, read: its entries, and the directory its paths are relative to. */
export interface Baseline {
  /** As the user named it, for messages. */
  name: string;
  dir: string;
  entries: BaselineEntry[];
}

/**
 * What a scan could have found: stale entries are only those it looked for. A working-tree
 * scan covers the paths it was given, `--history` everything; `--staged` and `--range` see
 * only what some commits add, so no entry can be called stale from them.
 */
export type BaselineScope = { paths: readonly string[] } | 'everything' | 'additions';

export function baselineScope(flags: { paths?: readonly string[]; staged?: boolean; range?: string; history?: boolean; pack?: boolean }): BaselineScope {
  if (flags.history) return 'everything';
  // A package holds part of the tree: entries for the rest are not stale.
  if (flags.staged || flags.range !== undefined || flags.pack) return 'additions';
  return { paths: flags.paths ?? [] };
}

export interface BaselineOutcome {
  /** The findings not in the baseline: what the scan reports. */
  findings: Finding[];
  hidden: number;
  stale: BaselineEntry[];
}

/**
 * Reads and checks a baseline file; anything wrong with it is one error naming the file.
 * A missing file is an error only when it was asked for (`required`).
 */
export async function readBaseline(path: string, name: string, required: boolean): Promise<Baseline | undefined> {
  const json = await readJsonFile(path, {
    name: `baseline ${name}`,
    fix: 'fix it, or write it again with keyguard baseline',
    ...(required && { missing: 'does not exist (create it with keyguard baseline, or fix the path)' }),
  });
  if (json === undefined) return undefined;
  const { BASELINE_SCHEMA } = await import('./baseline-schema.js');
  const parsed = BASELINE_SCHEMA.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = fieldPath(issue?.path ?? []);
    throw new KeyguardError(`baseline ${name}: ${field ? `"${field}": ` : ''}${issue?.message ?? 'invalid'}; write it again with keyguard baseline`);
  }
  // A hand-edited file could hold a key in a free-text field: mask it before anything prints it.
  const entries = parsed.data.findings.map((entry) => ({ ...entry, file: redactText(entry.file), ...(entry.redacted && { redacted: redactText(entry.redacted) }) }));
  return { name, dir: resolve(path, '..'), entries };
}

/**
 * A finding as a baseline entry. Paths are relative to the baseline's directory rather than to
 * where keyguard runs, as the finding's fingerprint already is (the scan computes it from
 * there: see ScanOptions.root), so a scan from a subdirectory still matches.
 */
export function entryOf(finding: Finding, cwd: string, dir: string): BaselineEntry {
  const file = resolve(cwd) === resolve(dir) ? finding.file : relativePosix(dir, resolve(cwd, finding.file));
  const entry: BaselineEntry = { fingerprint: finding.fingerprint, ruleId: finding.ruleId, file };
  if (finding.keyType) entry.keyType = finding.keyType;
  if (finding.redacted) entry.redacted = finding.redacted;
  return entry;
}

/** Hides the findings a baseline records and lists its entries the scan no longer finds. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline, cwd: string, scope: BaselineScope): BaselineOutcome {
  const known = new Set(baseline.entries.map((entry) => entry.fingerprint));
  const found = new Set<string>();
  const shown: Finding[] = [];
  for (const finding of findings) {
    const { fingerprint: id } = entryOf(finding, cwd, baseline.dir);
    found.add(id);
    if (!known.has(id)) shown.push(finding);
  }
  const covers = coverage(scope, cwd, baseline.dir);
  const stale = baseline.entries.filter((entry) => !found.has(entry.fingerprint) && covers(entry));
  return { findings: shown, hidden: findings.length - shown.length, stale };
}

/**
 * The entries `keyguard baseline` writes: what the scan found, plus the old entries outside
 * its scope (a scan of `src/` leaves the rest of the file alone). With `pruneOnly`
 * (`--update`) nothing new is acknowledged: only stale entries go.
 */
export function nextEntries(
  previous: Baseline | undefined,
  findings: readonly Finding[],
  cwd: string,
  dir: string,
  scope: BaselineScope,
  pruneOnly: boolean,
): BaselineEntry[] {
  const old = previous?.entries ?? [];
  let entries: BaselineEntry[];
  if (pruneOnly) {
    const stale = new Set(applyBaseline(findings, { name: '', dir, entries: old }, cwd, scope).stale);
    entries = old.filter((entry) => !stale.has(entry));
  } else {
    const covers = coverage(scope, cwd, dir);
    entries = [...old.filter((entry) => !covers(entry)), ...findings.map((finding) => entryOf(finding, cwd, dir))];
  }
  const unique = new Map(entries.map((entry) => [entry.fingerprint, entry]));
  return [...unique.values()].sort((a, b) => compare(a.file, b.file) || compare(a.ruleId, b.ruleId) || compare(a.fingerprint, b.fingerprint));
}

/** The file's text: stable order and layout, so a re-run with nothing new changes no byte. */
export function serializeBaseline(entries: readonly BaselineEntry[]): string {
  const findings = entries.map(({ fingerprint: id, ruleId, file, keyType, redacted }) => ({ fingerprint: id, ruleId, file, keyType, redacted }));
  return `${JSON.stringify({ version: 1, findings }, null, 2)}\n`;
}

function coverage(scope: BaselineScope, cwd: string, dir: string): (entry: BaselineEntry) => boolean {
  if (scope === 'everything') return () => true;
  if (scope === 'additions') return () => false;
  const roots = (scope.paths.length > 0 ? scope.paths : ['.']).map((path) => resolve(cwd, path));
  return (entry) => {
    const absolute = resolve(dir, entry.file);
    return roots.some((root) => absolute === root || absolute.startsWith(root.endsWith(sep) ? root : `${root}${sep}`));
  };
}

