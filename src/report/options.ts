import type { RuleId } from '../findings.js';
import type { ScanSummary } from '../scan.js';

/** What a run did; an audit counts the keys it read (its `files` and `bytes` are 0). */
export type ReportSummary = ScanSummary & { keys?: number };

export interface ReportOptions {
  summary: ReportSummary;
  /** The rules the run checked, for SARIF's rule list. Default: the scan's. */
  rules?: readonly RuleId[];
  /** ANSI colours in the text report; the CLI turns them on for a TTY without NO_COLOR. */
  color?: boolean;
}
