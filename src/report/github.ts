import type { Finding } from '../findings.js';
import { RULES } from '../rules-meta.js';
import { baselineLines } from './baseline-summary.js';
import { messageOf } from './message.js';
import type { ReportOptions } from './options.js';

/**
 * GitHub Actions workflow commands: each finding becomes an `::error` or `::warning`
 * annotation (its rule's severity) on its file and line in the pull request; a closing
 * plain line counts them for the log.
 */
export function githubReport(findings: readonly Finding[], { summary }: ReportOptions): string {
  const lines = findings.map((finding) => {
    // An audit finding is about a key in the key API, not a file: an annotation on the run.
    const place = finding.apiKey
      ? []
      : [
          `file=${property(finding.file)}`,
          `line=${finding.line}`,
          `col=${finding.column}`,
          ...(finding.endLine !== undefined ? [`endLine=${finding.endLine}`] : []),
          ...(finding.endColumn !== undefined ? [`endColumn=${finding.endColumn}`] : []),
        ];
    const properties = [...place, `title=${property(`keyguard ${finding.ruleId}`)}`];
    return `::${finding.severity} ${properties.join(',')}::${data(`${messageOf(finding)}. ${RULES[finding.ruleId].help}`)}`;
  });
  for (const line of baselineLines(summary)) lines.push(`::notice title=keyguard baseline::${data(line)}`);
  const where = summary.keys === undefined ? `in ${summary.files} files` : `on ${summary.keys} keys`;
  lines.push(`keyguard: ${summary.findings} finding${summary.findings === 1 ? '' : 's'} ${where}`);
  return `${lines.join('\n')}\n`;
}

/** Escapes for a command's message, as the Actions runner reads them. */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes for a command's `key=value` properties, which also split on `,` and `:`. */
function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
