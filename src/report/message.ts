import type { Finding } from '../findings.js';
import { RULES } from '../rules-meta.js';

/** What a finding is, in one line with the key redacted: shared by every report. */
export function messageOf(finding: Finding): string {
  if (finding.ruleId !== 'hardcoded-key') return RULES[finding.ruleId].shortDescription;
  return ['Hardcoded', finding.keyType, 'API key', finding.redacted].filter(Boolean).join(' ');
}
