import { createColors } from 'picocolors';
import type { Finding, RuleId, ScanRuleId } from '../findings.js';
import { printable as safe } from '../printable.js';
import { RULES, SCAN_RULE_IDS } from '../rules-meta.js';
import type { ScanSummary } from '../scan.js';
import { baselineLines } from './baseline-summary.js';
import { messageOf } from './message.js';
import type { ReportOptions } from './options.js';

type Colors = ReturnType<typeof createColors>;

/**
 * For people: `file:line:col`, rule and message, a code frame with the key masked, how to
 * fix each rule that fired, and a closing summary. File content is printed with control
 * characters replaced, so a file cannot drive the terminal.
 */
export function textReport(findings: readonly Finding[], { summary, color = false }: ReportOptions): string {
  const c = createColors(color);
  const blocks = findings.map((finding) => findingBlock(finding, c));
  const rules = [...new Set(findings.map((finding) => finding.ruleId))];
  if (rules.length > 0) blocks.push(rules.map((rule) => howToFix(rule, c)).join('\n'));
  blocks.push(summary.keys === undefined ? summaryLine(findings, summary, c) : auditSummaryLine(findings, summary.keys, summary.durationMs, c));
  const baseline = baselineLines(summary);
  if (baseline.length > 0) blocks.push(c.yellow(baseline.map(safe).join('\n')));
  return `${blocks.join('\n\n')}\n`;
}

function findingBlock(finding: Finding, c: Colors): string {
  // An audit finding's place is the key's path in the key API; its name comes from the API, so it is made safe.
  const where = c.bold(safe(finding.apiKey ? finding.file : `${finding.file}:${finding.line}:${finding.column}`));
  const tone = finding.severity === 'warning' ? c.yellow : c.red;
  const rule = tone(`${finding.severity}  ${finding.ruleId}`);
  const head = `${where}  ${rule}  ${finding.apiKey ? safe(messageOf(finding)) : messageOf(finding)}${origin(finding, c)}`;
  if (finding.snippet === undefined || finding.redacted === undefined || finding.snippetColumn === undefined) return head;
  const gutter = String(finding.line);
  const code = safe(finding.snippet);
  // Keep tabs so the marker lines up under the key whatever the tab width.
  const pad = code.slice(0, finding.snippetColumn).replace(/[^\t]/g, ' ');
  return [
    head,
    `${c.dim(`${gutter} |`)} ${code}`,
    `${c.dim(`${' '.repeat(gutter.length)} |`)} ${pad}${c.yellow('^'.repeat(finding.redacted.length))}`,
  ].join('\n');
}

/** For `--range`/`--history`: the commit that added the key, its author and date. */
function origin(finding: Finding, c: Colors): string {
  if (finding.commit === undefined) return '';
  return `\n${c.dim(safe(`added in ${finding.commit.slice(0, 12)} by ${finding.author ?? 'unknown'} on ${finding.date ?? 'unknown date'}`))}`;
}

function howToFix(rule: RuleId, c: Colors): string {
  return `${c.bold(`${rule}:`)} ${RULES[rule].help}`;
}

/** What the scan's summary counts a finding of each rule as: `2 hardcoded keys, 1 .env file`. */
const COUNTED_AS: Record<ScanRuleId, string> = {
  'hardcoded-key': 'hardcoded key',
  'public-env-key': 'public env key',
  'published-example-key': 'published example key',
  'wrong-environment': 'wrong-environment key',
  'key-reuse': 'reused key',
  'env-not-ignored': '.env file',
  'env-tracked': '.env file',
  'env-in-package': '.env file',
};

function summaryLine(findings: readonly Finding[], summary: ScanSummary, c: Colors): string {
  const scanned = `${count(summary.files, 'file')} (${size(summary.bytes)}) in ${summary.durationMs} ms`;
  if (findings.length === 0) return c.green(`✔ No keys or exposed .env files in ${scanned}`);
  // Counted by what each rule finds, in the order the rules are listed.
  const counts = new Map<string, number>(SCAN_RULE_IDS.map((id) => [COUNTED_AS[id], 0]));
  for (const finding of findings) {
    const noun = COUNTED_AS[finding.ruleId as ScanRuleId];
    counts.set(noun, (counts.get(noun) ?? 0) + 1);
  }
  const parts = [...counts].filter(([, n]) => n > 0).map(([noun, n]) => count(n, noun));
  const warnings = findings.filter((finding) => finding.severity === 'warning').length;
  if (warnings > 0) parts.push(warnings === findings.length ? 'all warnings' : count(warnings, 'warning'));
  const line = `${count(findings.length, 'finding')} (${parts.join(', ')}) in ${scanned}`;
  return warnings === findings.length ? c.yellow(`⚠ ${line}`) : c.red(`✖ ${line}`);
}

function auditSummaryLine(findings: readonly Finding[], keys: number, durationMs: number, c: Colors): string {
  const audited = `${count(keys, 'key')} audited in ${durationMs} ms`;
  if (findings.length === 0) return c.green(`✔ No findings: ${audited}`);
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const parts = [count(errors, 'error'), count(findings.length - errors, 'warning')].filter((part) => !part.startsWith('0 '));
  const flagged = new Set(findings.map((finding) => finding.apiKey?.id)).size;
  return c.red(`✖ ${count(findings.length, 'finding')} (${parts.join(', ')}) on ${flagged} of ${audited}`);
}

function count(n: number, noun: string): string {
  // Not toLocaleString: loading ICU for it costs ~18 ms, paid by every commit the hook checks.
  return `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${noun}${n === 1 ? '' : 's'}`;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
