import type { ScanSummary } from '../scan.js';

export interface ReportOptions {
  summary: ScanSummary;
  /** ANSI colours in the text report; the CLI turns them on for a TTY without NO_COLOR. */
  color?: boolean;
}
