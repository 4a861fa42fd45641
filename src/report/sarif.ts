import type { Finding, RuleId } from '../findings.js';
import { RULES, SCAN_RULE_IDS } from '../rules-meta.js';
import { VERSION } from '../version.js';
import { messageOf } from './message.js';
import type { ReportOptions } from './options.js';

/** GitHub ranks security alerts by this (0–10): a leaked key is high severity, a key without a description low. */
const SECURITY_SEVERITY: Record<RuleId, string> = {
  'hardcoded-key': '8.5',
  'public-env-key': '9.0',
  'published-example-key': '3.0',
  'wrong-environment': '5.0',
  'key-reuse': '4.0',
  'env-not-ignored': '7.0',
  'env-tracked': '7.5',
  'env-in-package': '8.0',
  'key-rotation-overdue': '5.0',
  'key-never-used': '4.0',
  'key-unused': '4.0',
  'key-no-expiry': '3.0',
  'key-expiring-soon': '3.0',
  'key-admin': '6.0',
  'key-unused-permissions': '4.0',
  'key-no-description': '2.0',
  'key-inactive': '3.0',
};

/**
 * SARIF 2.1.0 for GitHub code scanning: every rule with its help, results with physical
 * locations (columns in UTF-16 code units, as keyguard counts them) and a partial
 * fingerprint that survives line moves, so an alert follows its key through edits.
 */
export function sarifReport(findings: readonly Finding[], options: ReportOptions): string {
  const ruleIds = options.rules ?? SCAN_RULE_IDS;
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
            rules: ruleIds.map((id) => sarifRule(id)),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((finding) => sarifResult(finding, ruleIds)),
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
    defaultConfiguration: { level: rule.severity },
    properties: { tags: ['security', id.startsWith('key-') ? 'key-hygiene' : 'secrets'], precision: 'high', 'security-severity': SECURITY_SEVERITY[id] },
  };
}

function sarifResult(finding: Finding, ruleIds: readonly RuleId[]): object {
  const region: Record<string, number> = { startLine: finding.line, startColumn: finding.column };
  if (finding.endLine !== undefined) region.endLine = finding.endLine;
  if (finding.endColumn !== undefined) region.endColumn = finding.endColumn;
  return {
    ruleId: finding.ruleId,
    ruleIndex: ruleIds.indexOf(finding.ruleId),
    level: finding.severity,
    message: { text: messageOf(finding) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: fileUri(finding.file), uriBaseId: '%SRCROOT%' },
          region,
        },
        // An audit finding is about a key in the key API, not a line of code: named here as well.
        ...(finding.apiKey && { logicalLocations: [{ name: finding.apiKey.name, fullyQualifiedName: finding.file, kind: 'resource' }] }),
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
