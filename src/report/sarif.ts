import type { Finding, RuleId } from '../findings.js';
import { RULES } from '../rules-meta.js';
import { VERSION } from '../version.js';
import { messageOf } from './message.js';
import type { ReportOptions } from './options.js';

const RULE_IDS = Object.keys(RULES) as RuleId[];

/** GitHub ranks security alerts by this (0–10): a leaked key is high severity. */
const SECURITY_SEVERITY: Record<RuleId, string> = {
  'hardcoded-key': '8.5',
  'env-not-ignored': '7.0',
  'env-tracked': '7.5',
};

/**
 * SARIF 2.1.0 for GitHub code scanning: every rule with its help, results with physical
 * locations (columns in UTF-16 code units, as keyguard counts them) and a partial
 * fingerprint that survives line moves, so an alert follows its key through edits.
 */
export function sarifReport(findings: readonly Finding[], _options: ReportOptions): string {
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keyguard',
            semanticVersion: VERSION,
            informationUri: 'https://www.npmjs.com/package/keyguard',
            rules: RULE_IDS.map((id) => sarifRule(id)),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((finding) => sarifResult(finding)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function sarifRule(id: RuleId): object {
  const rule = RULES[id];
  return {
    id,
    name: rule.name,
    shortDescription: { text: rule.shortDescription },
    fullDescription: { text: rule.fullDescription },
    help: { text: rule.help, markdown: rule.help },
    defaultConfiguration: { level: 'error' },
    properties: { tags: ['security', 'secrets'], precision: 'high', 'security-severity': SECURITY_SEVERITY[id] },
  };
}

function sarifResult(finding: Finding): object {
  const region: Record<string, number> = { startLine: finding.line, startColumn: finding.column };
  if (finding.endLine !== undefined) region.endLine = finding.endLine;
  if (finding.endColumn !== undefined) region.endColumn = finding.endColumn;
  return {
    ruleId: finding.ruleId,
    ruleIndex: RULE_IDS.indexOf(finding.ruleId),
    level: 'error',
    message: { text: messageOf(finding) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: fileUri(finding.file), uriBaseId: '%SRCROOT%' },
          region,
        },
      },
    ],
    partialFingerprints: { 'keyguard/v1': finding.fingerprint },
    ...(finding.commit || finding.verified ? { properties: { commit: finding.commit, verified: finding.verified } } : {}),
  };
}

/** A relative URI reference: each path segment percent-encoded, `/` kept. */
function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}
