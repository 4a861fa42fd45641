import { resolve } from 'node:path';
import { applyBaseline, type Baseline, type BaselineEntry, type BaselineScope } from './baseline.js';
import { dedupeSeen, fileFindings, placeFindings, textFindings, type KeySeen } from './build-findings.js';
import type { PlaceContext } from './detect/index.js';
import type { Finding } from './findings.js';
import { compareStrings as compare } from './detect/compare.js';
import { relativePosix } from './posix-path.js';
import { isFragment, type ScanStats, type Source } from './sources/source.js';

export type FailOn = 'live' | 'any';

export interface ScanOptions {
  /** Paths are resolved and reported relative to this directory. */
  cwd: string;
  /** The environment git runs with (the CLI passes the one `run()` was given); default: this process's. */
  env?: Record<string, string | undefined>;
  /**
   * Fingerprints name paths relative to this directory, so they match wherever keyguard runs
   * from: the project root, where the baseline lives. Default: the baseline's directory, else `cwd`.
   */
  root?: string;
  /** Narrow the working-tree scan to these files and directories (default: `.`). */
  paths?: readonly string[];
  /** What to scan instead of the working tree (the staged index, a range of commits). */
  source?: Source;
  /** Called about four times a second while a scan runs, for a progress line. */
  onProgress?: (stats: ScanStats) => void;
  /** Paths never scanned (the config's `ignore`); they are relative to `cwd`, `/`-separated. */
  exclude?: (path: string) => boolean;
  /** Also scan the files git ignores under `paths` (`--no-ignore`); files named in `paths` are scanned either way. */
  noIgnore?: boolean;
  /** Told of each directory named in `paths` that git ignores, so it was not scanned (without `noIgnore`). */
  onIgnoredDirectory?: (path: string) => void;
  /** The project's own placeholders (the config's `allow`): tested on each found key alone. */
  allowKey?: (key: string) => boolean;
  /** Hides the findings a baseline records; its entries within `scope` that are not found are stale. */
  baseline?: { baseline: Baseline; scope: BaselineScope };
  /** Whether a path is a test or production file, for wrong-environment (default: the documented globs, relative to `cwd`). */
  placeContext?: () => Promise<(path: string) => PlaceContext | undefined>;
}

export interface ScanSummary extends ScanStats {
  findings: number;
  durationMs: number;
  baseline?: { file: string; hidden: number; stale: BaselineEntry[] };
}

export interface ScanResult {
  findings: Finding[];
  summary: ScanSummary;
}

const PROGRESS_INTERVAL_MS = 250;

/**
 * Source → rules (src/detect/) → findings, then small steps (dedupe, baseline, sort). The
 * source yields data only: fragments of text and facts about files. Prints nothing and calls
 * no network: reporters turn the result into text, and `--verify` is a step of its own after it.
 */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const { cwd, exclude, noIgnore, onIgnoredDirectory, allowKey } = options;
  // The working tree's reader (its walk, ignore rules and worker pool) loads only for a scan of the tree: not in the hook.
  const source = options.source ?? (await import('./sources/tree.js')).treeSource(cwd, options.paths ?? ['.'], { env: options.env, exclude, noIgnore, onIgnoredDirectory });
  const root = options.root ?? options.baseline?.baseline.dir ?? cwd;
  const fingerprintPath = resolve(root) === resolve(cwd) ? undefined : (path: string): string => relativePosix(root, resolve(cwd, path));
  const stats: ScanStats = { files: 0, bytes: 0 };
  const progress = options.onProgress && setInterval(() => options.onProgress?.({ ...stats }), PROGRESS_INTERVAL_MS);
  const found: Finding[] = [];
  // Every key seen, reported or not (an ignored .env file's): the rules over places read them all.
  const seen: KeySeen[] = [];
  try {
    for await (const item of source.read(stats)) {
      if (options.exclude?.(item.path)) continue;
      if (!isFragment(item)) {
        found.push(...fileFindings(item, { fingerprintPath }));
        continue;
      }
      const text = textFindings(item, { allowKey, fingerprintPath });
      found.push(...text.findings);
      seen.push(...text.seen);
    }
  } finally {
    clearInterval(progress);
  }
  let findings = dedupe(found);
  // Rules over where the keys were found need all of them: they run once the source is read.
  if (seen.length > 0) findings.push(...placeFindings(dedupeSeen(seen), await (options.placeContext ?? defaultPlaceContext(cwd))(), { fingerprintPath }));
  let baseline: ScanSummary['baseline'];
  if (options.baseline) {
    const outcome = applyBaseline(findings, options.baseline.baseline, cwd, options.baseline.scope);
    findings = outcome.findings;
    baseline = { file: options.baseline.baseline.name, hidden: outcome.hidden, stale: outcome.stale };
  }
  findings = sortFindings(findings);
  const durationMs = Math.round(performance.now() - started);
  return { findings, summary: { ...stats, findings: findings.length, durationMs, ...(baseline && { baseline }) } };
}

function defaultPlaceContext(cwd: string): () => Promise<(path: string) => PlaceContext | undefined> {
  return async () => {
    const { contextMatcher, DEFAULT_ENVIRONMENTS } = await import('./config/environments.js');
    return contextMatcher(DEFAULT_ENVIRONMENTS, cwd, cwd, (context) => () => `environments.${context}`);
  };
}

/**
 * One finding per rule, place and commit (overlapping sources may yield the same one twice).
 * A key found in commits is reported once per fingerprint (rule, path, key), at the first
 * commit its source yields: commit sources yield the oldest first, so that is the commit that added it.
 */
export function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = finding.commit ? finding.fingerprint : [finding.ruleId, finding.file, finding.line, finding.column].join('\0');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Keys verified live first, then by file, position and rule: the order every report uses. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      Number(b.verified === 'live') - Number(a.verified === 'live') ||
      compare(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compare(a.ruleId, b.ruleId) ||
      compare(a.commit ?? '', b.commit ?? ''),
  );
}

/** The rules about one key, whose type `--fail-on live` reads. */
const KEY_RULES: ReadonlySet<string> = new Set(['hardcoded-key', 'public-env-key']);

/**
 * True when a finding is at or above `failOn`: `any` fails on every finding, `live` on errors
 * only, and of the rules about one key only live keys. `.env` findings count as live: their
 * contents are unknown. Warnings (a published example key) never fail `live`.
 */
export function failsAt(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'any') return findings.length > 0;
  return findings.some((finding) => finding.severity === 'error' && (!KEY_RULES.has(finding.ruleId) || finding.keyType === 'live'));
}
