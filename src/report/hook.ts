import type { Finding } from '../findings.js';
import type { ReportOptions } from './options.js';
import { textReport } from './text.js';

const NO_VERIFY = 'git commit --no-verify';

/**
 * What the pre-commit hook prints: the text report (each finding redacted, with a code frame
 * and how to fix its rule) and, when it blocks, why the commit stopped, what to do next, how to
 * mark a false positive and how to bypass the check once.
 */
export function hookReport(findings: readonly Finding[], options: ReportOptions): string {
  const report = textReport(findings, options);
  if (findings.length === 0) return report;
  const lines = ['Commit blocked: the staged changes add the findings above. Fix them as described, git add the fix and commit again.'];
  if (findings.some((finding) => finding.ruleId === 'hardcoded-key')) {
    lines.push('A false positive? Mark it with keyguard-ignore on its line or keyguard-ignore-next-line on the line above, or record it with keyguard baseline.');
  }
  lines.push(`To skip this check once, knowing what will be committed: ${NO_VERIFY}`);
  return `${report}\n${lines.join('\n')}\n`;
}

/** The one-line reason a commit is blocked when the scan itself failed: the hook fails closed. */
export function hookFailure(reason: string): string {
  return `commit blocked, the staged changes could not be scanned: ${reason}. Fix that and commit again, or skip this check once with ${NO_VERIFY}`;
}
