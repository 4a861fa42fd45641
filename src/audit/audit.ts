import { keyTypeOf } from '../detect/index.js';
import { fingerprint, redactText, type Finding } from '../findings.js';
import type { ApiKey, KeyApiClient } from '../key-api/client.js';
import { AUDIT_RULE_IDS, auditKey, DEFAULT_POLICY, type AuditedKey, type AuditPolicy } from './rules.js';

export interface AuditOptions {
  policy?: AuditPolicy;
  /** The instant the audit judges at, epoch ms. */
  now: number;
  /** Key details read at once. */
  concurrency?: number;
}

export interface AuditResult {
  findings: Finding[];
  /** How many keys the API listed. */
  keys: number;
}

const DEFAULT_CONCURRENCY = 4;

/**
 * Reads every key (`GET /v1/api-keys`, then `GET /v1/api-keys/:id` for each, as the seed's
 * list has no permissions) and judges each with the pure rules of `rules.ts`. Prints nothing.
 */
export async function auditKeyApi(client: KeyApiClient, options: AuditOptions): Promise<AuditResult> {
  const listed = await client.listKeys();
  const detailed: ApiKey[] = new Array(listed.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < listed.length) {
      const index = next++;
      const summary = listed[index] as ApiKey;
      // The list's fields first: the seed's details leave out the prefix.
      detailed[index] = { ...summary, ...(await client.getKey(summary.id)) };
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, listed.length));
  await Promise.all(Array.from({ length: workers }, worker));
  const findings = detailed.flatMap((key) => keyFindings(key, options.now, options.policy ?? DEFAULT_POLICY));
  return { findings, keys: listed.length };
}

function keyFindings(key: ApiKey, now: number, policy: AuditPolicy): Finding[] {
  const audited = auditedKey(key);
  const file = `api-keys/${key.id}`;
  const redacted = key.prefix === undefined ? undefined : shownPrefix(key.prefix);
  return auditKey(audited, now, policy)
    .sort((a, b) => AUDIT_RULE_IDS.indexOf(a.ruleId) - AUDIT_RULE_IDS.indexOf(b.ruleId))
    .map((verdict) => ({
      ruleId: verdict.ruleId,
      severity: verdict.severity,
      file: redactText(file),
      line: 1,
      column: 1,
      ...(audited.environment && { keyType: audited.environment }),
      ...(redacted && { redacted }),
      fingerprint: fingerprint(verdict.ruleId, file),
      apiKey: { id: redactText(key.id), name: redactText(key.name) },
      reason: verdict.reason,
    }));
}

/** The API's answer in the rules' terms; the environment from the prefix when the API does not name it. */
export function auditedKey(key: ApiKey): AuditedKey {
  const environment = key.environment ?? (key.prefix === undefined ? undefined : keyTypeOf(key.prefix));
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix ?? '',
    ...(key.description !== undefined && { description: key.description }),
    ...(environment && { environment }),
    permissions: key.permissions ?? [],
    active: key.active ?? true,
    created_at: key.created_at,
    ...(key.expires_at !== undefined && { expires_at: key.expires_at }),
    ...(key.last_used !== undefined && { last_used: key.last_used }),
    ...(key.permissions_used && { permissions_used: key.permissions_used }),
  };
}

/** `sk_live_abc...` as keyguard shows a shortened key (`sk_live_abc…`); a full key sent by mistake is masked. */
function shownPrefix(prefix: string): string {
  return redactText(prefix).replace(/\.\.\.$/, '…');
}
