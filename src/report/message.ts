import type { Finding, Verification } from '../findings.js';
import { RULES } from '../rules-meta.js';

/** What `--verify` learnt, as the message says it. */
const VERIFIED: Record<Verification, string> = {
  live: 'verified live: the key authenticates, rotate it now',
  inactive: 'verified inactive: the key API refused it',
  unknown: 'verification unknown: the key API gave no answer',
};

/** What a finding is, in one line with the key redacted: shared by every report. */
export function messageOf(finding: Finding): string {
  if (finding.apiKey) return `${RULES[finding.ruleId].shortDescription}: ${finding.apiKey.id} "${finding.apiKey.name}" (${finding.redacted ?? 'no prefix'}) ${finding.reason ?? ''}`.trimEnd();
  if (finding.ruleId === 'published-example-key') {
    return `Published example ${finding.keyType ?? ''} API key ${finding.redacted ?? ''}: printed in a vendor's documentation, not a leaked secret`;
  }
  if (finding.ruleId === 'public-env-key') return `Public env variable holds a ${finding.keyType ?? ''} API key ${finding.redacted ?? ''} ${finding.reason ?? ''}`.replace(/ +/g, ' ').trimEnd();
  if (finding.ruleId === 'wrong-environment' || finding.ruleId === 'key-reuse') {
    return `${RULES[finding.ruleId].shortDescription} ${finding.redacted ?? ''}: ${finding.reason ?? ''}`;
  }
  if (finding.ruleId !== 'hardcoded-key') return RULES[finding.ruleId].shortDescription;
  const message = ['Hardcoded', finding.keyType, 'API key', finding.redacted].filter(Boolean).join(' ');
  return finding.verified ? `${message} (${VERIFIED[finding.verified]})` : message;
}
