import type { Finding } from '../findings.js';
import type { ReportOptions } from './options.js';
import { textReport } from './text.js';

const NO_VERIFY = 'git commit --no-verify';

/** What the hook knows beyond a report's options: whether the findings block the commit, and at what `failOn`. */
export interface HookOptions extends ReportOptions {
  blocked: boolean;
  failOn: 'live' | 'any';
}

/**
 * What the pre-commit hook prints: the text report (each finding redacted, with a code frame,
 * its severity and how to fix its rule) and what happens to the commit: when it blocks, why,
 * what to do next, how to mark a false positive and how to bypass the check once; when it
 * lets findings through (warnings, or keys other than live ones, under `failOn: live`), that.
 */
export function hookReport(findings: readonly Finding[], options: HookOptions): string {
  const report = textReport(findings, options);
  if (findings.length === 0) return report;
  const warnings = findings.filter((finding) => finding.severity === 'warning').length;
  if (!options.blocked) {
    const allowed = 'Commit allowed: failOn is "live", so only errors on live keys and .env files block a commit, and the findings above are warnings or keys of other environments. Fix them when you can.';
    return `${report}\n${allowed}\n`;
  }
  const lines = ['Commit blocked: the staged changes add the findings above. Fix them as described, git add the fix and commit again.'];
  if (warnings > 0 && options.failOn === 'any') {
    lines.push(`${warnings === 1 ? 'The warning blocks' : 'Warnings block'} because failOn is "any" (the default); with "failOn": "live" in keyguard.config.json, warnings are shown without blocking.`);
  }
  if (findings.some((finding) => finding.keyType !== undefined)) {
    lines.push('A false positive? Mark it with keyguard-ignore on its line or keyguard-ignore-next-line on the line above, or record it with keyguard baseline.');
  }
  lines.push(`To skip this check once, knowing what will be committed: ${NO_VERIFY}`);
  return `${report}\n${lines.join('\n')}\n`;
}

/** The one-line reason a commit is blocked when the scan itself failed: the hook fails closed. */
export function hookFailure(reason: string): string {
  return `commit blocked, the staged changes could not be scanned: ${reason}. Fix that and commit again, or skip this check once with ${NO_VERIFY}`;
}
