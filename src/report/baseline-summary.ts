import type { ScanSummary } from '../scan.js';

/**
 * What the baseline did, for the end of a report: how many findings it hid, and its stale
 * entries (recorded, within the scan's reach, no longer found), one per line. Nothing when
 * it did nothing, so the pre-commit hook stays quiet.
 */
export function baselineLines({ baseline }: ScanSummary): string[] {
  if (!baseline || (baseline.hidden === 0 && baseline.stale.length === 0)) return [];
  const { file, hidden, stale } = baseline;
  if (stale.length === 0) return [`Baseline ${file}: ${hidden} hidden.`];
  return [
    `Baseline ${file}: ${hidden} hidden, ${stale.length} stale (no longer found; drop them with keyguard baseline --update):`,
    ...stale.map((entry) => `  ${entry.file}  ${entry.ruleId}${entry.redacted ? `  ${entry.redacted}` : ''}`),
  ];
}
