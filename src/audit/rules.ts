// The seeds' key-hygiene rules as pure functions of one key's details. This module imports
// nothing: `keyguard audit` runs it in Node and the mock's dashboard serves the same compiled
// file to the browser for its per-key badges, so the two can never disagree.

export type AuditRuleId =
  | 'key-rotation-overdue'
  | 'key-never-used'
  | 'key-unused'
  | 'key-no-expiry'
  | 'key-expiring-soon'
  | 'key-admin'
  | 'key-unused-permissions'
  | 'key-no-description'
  | 'key-inactive';

export type AuditSeverity = 'error' | 'warning';

/** A key as the key API describes it (`GET /v1/api-keys/:id`): never the key itself. */
export interface AuditedKey {
  id: string;
  name: string;
  /** The API's display prefix, such as `sk_live_abc...`. */
  prefix: string;
  /** Undefined when the API does not say (the seed's details leave it out): that rule then does not judge. */
  description?: string | null;
  /** From the API, or from the prefix; undefined when neither says. */
  environment?: 'live' | 'sandbox' | 'test';
  permissions: readonly string[];
  active: boolean;
  created_at: string;
  /** null: never expires; undefined: the API does not say. */
  expires_at?: string | null;
  /** null: never used; undefined: the API does not say. */
  last_used?: string | null;
  /** keyguard's extension: absent when the API does not record which permissions a key used. */
  permissions_used?: ReadonlyArray<{ permission: string; last_used: string }>;
}

/** The thresholds, in days. The seed: production keys every 90 days, development every 180. */
export interface AuditPolicy {
  rotationDays: { live: number; sandbox: number; test: number };
  unusedDays: number;
  expiringDays: number;
}

export const DEFAULT_POLICY: AuditPolicy = {
  rotationDays: { live: 90, sandbox: 180, test: 180 },
  unusedDays: 30,
  expiringDays: 30,
};

/** One rule's judgement on one key: the rule, how bad, and why, in words that name dates and permissions. */
export interface KeyVerdict {
  ruleId: AuditRuleId;
  severity: AuditSeverity;
  reason: string;
  /** For `key-unused-permissions`: the permissions it would keep. */
  keep?: string[];
}

export interface AuditRuleMeta {
  id: AuditRuleId;
  name: string;
  severity: AuditSeverity;
  /** A few words, for badges and report headings. */
  label: string;
  shortDescription: string;
  fullDescription: string;
  help: string;
}

const ADMIN = 'admin:*';
const DAY_MS = 86_400_000;

export const AUDIT_RULES: Record<AuditRuleId, AuditRuleMeta> = {
  'key-rotation-overdue': {
    id: 'key-rotation-overdue',
    name: 'KeyRotationOverdue',
    severity: 'error',
    label: 'rotate',
    shortDescription: 'Key older than its rotation period',
    fullDescription: 'The seed: "Rotate regularly": production (live) keys every 90 days, development (test, sandbox) keys every 180 days.',
    help: 'Rotate it: `keyguard rotate <key-id> --api URL --env-file .env --var NAME` creates the replacement, writes it, checks it and revokes the old key.',
  },
  'key-never-used': {
    id: 'key-never-used',
    name: 'KeyNeverUsed',
    severity: 'warning',
    label: 'never used',
    shortDescription: 'Key never used',
    fullDescription: 'The seed: "Revoke unused keys - reduce attack surface". A key nothing has used since it was made is one more secret to leak.',
    help: 'Revoke it (DELETE /v1/api-keys/<key-id>) unless an integration is about to use it.',
  },
  'key-unused': {
    id: 'key-unused',
    name: 'KeyUnused',
    severity: 'warning',
    label: 'unused',
    shortDescription: 'Key not used recently',
    fullDescription: 'The seed: "Revoke unused keys - reduce attack surface". A key that has not been used for weeks is probably left over.',
    help: 'Find out whether anything still needs it; if not, revoke it (DELETE /v1/api-keys/<key-id>).',
  },
  'key-no-expiry': {
    id: 'key-no-expiry',
    name: 'KeyWithoutExpiry',
    severity: 'warning',
    label: 'no expiry',
    shortDescription: 'Key without an expiry date',
    fullDescription: 'The seed: "Set expiration - for temporary integrations". A key that never expires works for as long as it is not revoked.',
    help: 'Set expires_at (PATCH /v1/api-keys/<key-id>), and rotate before it.',
  },
  'key-expiring-soon': {
    id: 'key-expiring-soon',
    name: 'KeyExpiringSoon',
    severity: 'warning',
    label: 'expires soon',
    shortDescription: 'Key expiring soon',
    fullDescription: 'The key stops working at its expiry date; whatever uses it fails from then on.',
    help: 'Rotate it before it expires (`keyguard rotate`), or extend expires_at if it is still meant to work.',
  },
  'key-admin': {
    id: 'key-admin',
    name: 'KeyWithAdminPermission',
    severity: 'warning',
    label: 'admin',
    shortDescription: 'Key with admin:* (full access)',
    fullDescription: 'The seed: "admin:* - Full access (dangerous!)" and "Minimum permissions - grant only what\'s needed".',
    help: 'Give applications keys with only the scopes they use; keep admin:* keys for key management, in a secret store.',
  },
  'key-unused-permissions': {
    id: 'key-unused-permissions',
    name: 'KeyWithUnusedPermissions',
    severity: 'warning',
    label: 'unused permissions',
    shortDescription: 'Key granted permissions it does not use',
    fullDescription: 'The seed: "Minimum permissions - grant only what\'s needed". The key API recorded which permissions the key\'s successful requests needed; the others are granted but unused.',
    help: 'Narrow its permissions to the ones it uses (PATCH /v1/api-keys/<key-id> {"permissions": [...]}).',
  },
  'key-no-description': {
    id: 'key-no-description',
    name: 'KeyWithoutDescription',
    severity: 'warning',
    label: 'no description',
    shortDescription: 'Key without a description',
    fullDescription: 'The seed: "Document keys - note what each key is for". Without it nobody knows whether the key can be revoked.',
    help: 'Describe what uses the key and who owns it (PATCH /v1/api-keys/<key-id> {"description": "..."}).',
  },
  'key-inactive': {
    id: 'key-inactive',
    name: 'KeyInactive',
    severity: 'warning',
    label: 'revoke',
    shortDescription: 'Inactive key still present',
    fullDescription: 'A deactivated or expired key no longer works but can be turned back on or extended: it is still a secret to keep.',
    help: 'Revoke it (DELETE /v1/api-keys/<key-id>).',
  },
};

export const AUDIT_RULE_IDS = Object.keys(AUDIT_RULES) as AuditRuleId[];

/**
 * Every rule that fires for `key` at `now` (epoch ms), in the order of `AUDIT_RULES`. An
 * inactive or expired key gets only `key-inactive`: it cannot be used, so only its removal
 * matters. Unused keys are not told about unused permissions: removing the key covers them.
 */
export function auditKey(key: AuditedKey, now: number, policy: AuditPolicy = DEFAULT_POLICY): KeyVerdict[] {
  const verdicts: KeyVerdict[] = [];
  const add = (ruleId: AuditRuleId, reason: string, keep?: string[]): void => {
    verdicts.push({ ruleId, severity: AUDIT_RULES[ruleId].severity, reason, ...(keep && { keep }) });
  };
  const created = Date.parse(key.created_at);
  const expires = key.expires_at == null ? key.expires_at : Date.parse(key.expires_at);
  const lastUsed = key.last_used == null ? key.last_used : Date.parse(key.last_used);
  if (!key.active || (typeof expires === 'number' && expires <= now)) {
    add('key-inactive', !key.active ? 'deactivated but still present: revoke it' : `expired ${when(expires as number, now)} but still present: revoke it`);
    return verdicts;
  }
  const age = days(now - created);
  const period = key.environment ? policy.rotationDays[key.environment] : undefined;
  if (key.environment && period !== undefined && age >= period) {
    add('key-rotation-overdue', `created ${when(created, now)}: ${key.environment} keys are rotated every ${period} days`);
  }
  const window = policy.unusedDays;
  const usedInWindow = typeof lastUsed === 'number' && days(now - lastUsed) < window;
  if (lastUsed === null && age >= window) add('key-never-used', `never used since it was created ${when(created, now)}`);
  if (typeof lastUsed === 'number' && !usedInWindow) add('key-unused', `last used ${when(lastUsed, now)}: nothing used it in the last ${window} days`);
  if (expires === null) add('key-no-expiry', 'never expires: set expires_at');
  else if (typeof expires === 'number' && days(expires - now) < policy.expiringDays) add('key-expiring-soon', `expires ${when(expires, now)}`);
  if (key.permissions.includes(ADMIN)) add('key-admin', 'holds admin:*, full access to every resource and every key');
  const unused = usedInWindow && age >= window ? unusedPermissions(key, now - window * DAY_MS) : undefined;
  if (unused && unused.unused.length > 0) {
    const kept = unused.keep.length > 0 ? `keep ${unused.keep.join(', ')}` : 'it needs none of them';
    add('key-unused-permissions', `${unused.unused.join(', ')} granted but unused in the last ${window} days: ${kept}`, unused.keep);
  }
  if (key.description === null || key.description?.trim() === '') add('key-no-description', 'no description says what it is for or who owns it');
  return verdicts;
}

/**
 * The granted permissions no successful request needed since `since`, and the ones to keep:
 * those the requests needed. `admin:*` covers every scope, so a key that only read tasks under
 * `admin:*` keeps `tasks:read` and loses `admin:*`. Undefined when the API keeps no such record.
 */
function unusedPermissions(key: AuditedKey, since: number): { unused: string[]; keep: string[] } | undefined {
  if (!key.permissions_used) return undefined;
  const used = key.permissions_used.filter((entry) => Date.parse(entry.last_used) >= since).map((entry) => entry.permission);
  return { unused: key.permissions.filter((permission) => !used.includes(permission)), keep: used };
}

/** The worst verdict first (errors before warnings), for a one-badge summary. */
export function worstVerdict(verdicts: readonly KeyVerdict[]): KeyVerdict | undefined {
  return verdicts.find((verdict) => verdict.severity === 'error') ?? verdicts[0];
}

function days(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** `on 2025-08-05 (120 days ago)` or `on 2026-01-02 (in 10 days)`: the date and how far it is. */
function when(at: number, now: number): string {
  const date = new Date(at).toISOString().slice(0, 10);
  const span = days(Math.abs(now - at));
  const distance = span === 0 ? 'today' : at <= now ? `${span} day${span === 1 ? '' : 's'} ago` : `in ${span} day${span === 1 ? '' : 's'}`;
  return `on ${date} (${distance})`;
}
