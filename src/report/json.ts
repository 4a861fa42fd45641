import type { Finding } from '../findings.js';
import type { ReportOptions } from './options.js';

/** The stable, versioned JSON shape of DESIGN.md: the fields and their order are the contract. */
export function jsonReport(findings: readonly Finding[], { summary }: ReportOptions): string {
  const report = {
    version: 1,
    findings: findings.map((finding) => ({
      ruleId: finding.ruleId,
      severity: finding.severity,
      keyType: finding.keyType,
      file: finding.file,
      line: finding.line,
      column: finding.column,
      endLine: finding.endLine,
      endColumn: finding.endColumn,
      redacted: finding.redacted,
      fingerprint: finding.fingerprint,
      commit: finding.commit,
      author: finding.author,
      date: finding.date,
      verified: finding.verified,
      apiKey: finding.apiKey,
      reason: finding.reason,
    })),
    summary: {
      keys: summary.keys,
      files: summary.files,
      bytes: summary.bytes,
      findings: summary.findings,
      durationMs: summary.durationMs,
      baseline: summary.baseline,
    },
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
