import type { KeyType } from '../../src/detect/index.js';
import { isoSeconds, type Clock } from './clock.js';
import { DomainError, validationFailed } from './errors.js';
import type { EventSink } from './events.js';
import type { ExpiryWatch } from './expiry.js';
import { displayPrefix, generateId, generateKey, hashKey, type RandomSource } from './keys.js';
import { PLAN_LIMITS, type PlanName, type RateLimit } from './rate-limit.js';
import { ungrantable, type Permission } from './scopes.js';
import type { KeyRecord, KeyStore, Usage } from './store.js';

/** What a key is created from: an API request body or a seed entry (already checked for shape). */
export interface KeyInput {
  name: string;
  description?: string | null;
  permissions?: Permission[];
  expires_at?: string | null;
  environment?: KeyType;
  plan?: PlanName;
  rate_limit?: RateLimit;
  active?: boolean;
  /** keyguard's extension, Enterprise plan only: renew the key before it expires. */
  auto_renew?: boolean;
}

/** A seed entry may also say when its key was made and last used, so audits can be tried on old keys. */
export interface KnownKeyInput extends KeyInput {
  created_at?: string;
  last_used?: string | null;
}

export type KeyPatch = Partial<Pick<KeyInput, 'name' | 'description' | 'permissions' | 'expires_at' | 'active' | 'auto_renew'>>;

/** The server's side of key creation: its environment, the plan for keys without one, time and randomness. */
export interface KeyContext {
  environment: KeyType;
  plan: PlanName;
  /** Limits for `plan: "enterprise"` when a key brings none. */
  rateLimit?: RateLimit;
  clock: Clock;
  random: RandomSource;
  /** Where key.created, key.updated, key.regenerated and key.revoked go; none while seeding. */
  events?: EventSink;
  /** Told of every key created or changed, so expiry notices and renewals come on time. */
  expiry?: ExpiryWatch;
}

/** Without a `permissions` list a key can read everything and change nothing: the least that is still useful. */
export const DEFAULT_PERMISSIONS: Permission[] = ['tasks:read', 'projects:read', 'users:read'];

/** Creates a key and returns it with its record; the full key exists only in this return value. */
export function issueKey(
  store: KeyStore,
  input: KeyInput,
  context: KeyContext,
  grantor?: KeyRecord,
): { record: KeyRecord; key: string } {
  const key = freshKey(store, context);
  const record = newRecord(key, input, context, grantor);
  store.add(record);
  context.expiry?.track(record);
  context.events?.emit('key.created', record.id, keyFacts(record));
  return { record, key };
}

/**
 * Adds a key whose value is given (a seed fixture). Unlike a created key it may already
 * be expired, and may have been created and last used in the past, so tests can start with
 * old, stale or expired keys.
 */
export function addKnownKey(store: KeyStore, key: string, input: KnownKeyInput, context: KeyContext): KeyRecord {
  const record = newRecord(key, input, context, undefined, true);
  const now = context.clock.now();
  if (input.created_at !== undefined) record.created_at = pastInstant('created_at', input.created_at, now);
  if (input.last_used != null) record.last_used = pastInstant('last_used', input.last_used, now);
  if (record.last_used !== null && record.last_used < record.created_at) {
    throw validationFailed([{ field: 'last_used', message: `is before created_at (${isoSeconds(record.created_at)}): a key cannot be used before it exists` }]);
  }
  store.add(record);
  context.expiry?.track(record);
  return record;
}

/** Applies a patch after checking all of it, so a refused patch changes nothing. */
export function updateKey(record: KeyRecord, patch: KeyPatch, context: KeyContext, grantor: KeyRecord): void {
  if (patch.permissions !== undefined) checkGrantable(grantor, patch.permissions);
  if (patch.auto_renew) checkRenewable(record.plan);
  const now = context.clock.now();
  const expiresAt = patch.expires_at === undefined ? record.expires_at : expiry(patch.expires_at, now);
  if (patch.permissions !== undefined) record.permissions = unique(patch.permissions);
  if (patch.expires_at !== undefined) {
    record.expires_at = expiresAt;
    // A new expiry starts a new term: a renewal adds as long as this one lasts.
    record.term_start = now;
  }
  if (patch.auto_renew !== undefined) record.auto_renew = patch.auto_renew;
  if (patch.name !== undefined) record.name = patch.name;
  if (patch.description !== undefined) record.description = patch.description;
  if (patch.active !== undefined) record.active = patch.active;
  context.expiry?.track(record);
  context.events?.emit('key.updated', record.id, { ...keyFacts(record), changed: Object.keys(patch) });
}

/** Replaces a key's secret: the old key stops working at once, the new one is returned once. */
export function regenerateKey(store: KeyStore, record: KeyRecord, context: KeyContext): string {
  const key = freshKey(store, context);
  store.revoke(record, 'regenerated', context.clock.now());
  const previousPrefix = record.prefix;
  record.hash = hashKey(key).toString('hex');
  record.prefix = displayPrefix(key);
  store.add(record);
  context.events?.emit('key.regenerated', record.id, { ...keyFacts(record), previous_prefix: previousPrefix });
  return key;
}

export function deleteKey(store: KeyStore, record: KeyRecord, context: KeyContext): void {
  store.revoke(record, 'deleted', context.clock.now());
  context.events?.emit('key.revoked', record.id, { ...keyFacts(record), reason: 'deleted' });
}

/** What an event says about a key: enough to recognise it, never the key. */
export function keyFacts(record: KeyRecord): Record<string, unknown> {
  return {
    name: record.name,
    prefix: record.prefix,
    plan: record.plan,
    permissions: record.permissions,
    active: record.active,
    expires_at: record.expires_at === null ? null : isoSeconds(record.expires_at),
    auto_renew: record.auto_renew === true,
  };
}

/** Seed 004: auto-renewal is an Enterprise feature. */
function checkRenewable(plan: PlanName): void {
  if (plan === 'enterprise') return;
  throw validationFailed([
    { field: 'auto_renew', message: `auto-renewal is an Enterprise feature and this key is on the ${plan} plan: create an enterprise key ("plan": "enterprise") to renew automatically` },
  ]);
}

/** Remembers that a successful request of this key needed `permission`. */
export function recordPermissionUse(record: KeyRecord, permission: Permission, now: number): void {
  record.permissions_used[permission] = now;
}

const DAY_MS = 86_400_000;

/** Counts one request against the key's usage and marks it used now. */
export function recordUse(record: KeyRecord, now: number): void {
  const usage = record.usage;
  const day = Math.floor(now / DAY_MS);
  if (usage.day !== day) {
    const month = monthIndex(now);
    if (usage.month !== month) {
      usage.month = month;
      usage.requests_this_month = 0;
    }
    usage.day = day;
    usage.requests_today = 0;
  }
  usage.requests_today++;
  usage.requests_this_month++;
  usage.requests_total++;
  record.last_used = now;
}

/** Usage as of `now`: counts of an earlier day or month read as zero. */
export function usageAt(usage: Usage, now: number): Pick<Usage, 'requests_today' | 'requests_this_month' | 'requests_total'> {
  return {
    requests_today: usage.day === Math.floor(now / DAY_MS) ? usage.requests_today : 0,
    requests_this_month: usage.month === monthIndex(now) ? usage.requests_this_month : 0,
    requests_total: usage.requests_total,
  };
}

function monthIndex(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

function freshKey(store: KeyStore, context: KeyContext): string {
  let key: string;
  do key = generateKey(context.environment, context.random);
  while (store.knows(hashKey(key)));
  return key;
}

function newRecord(
  key: string,
  input: KeyInput,
  context: KeyContext,
  grantor?: KeyRecord,
  fixture = false,
): KeyRecord {
  const now = context.clock.now();
  if (input.environment !== undefined && input.environment !== context.environment) {
    throw validationFailed([
      {
        field: 'environment',
        message: `this server issues ${context.environment} keys`,
        remedy: { to: 'use_environment', environment: input.environment },
      },
    ]);
  }
  const permissions = unique(input.permissions ?? DEFAULT_PERMISSIONS);
  if (grantor) checkGrantable(grantor, permissions);
  const { plan, rate_limit } = limitsFor(input, context);
  if (input.auto_renew) checkRenewable(plan);
  return {
    id: generateId('key', context.random),
    hash: hashKey(key).toString('hex'),
    prefix: displayPrefix(key),
    name: input.name,
    description: input.description ?? null,
    permissions,
    environment: context.environment,
    plan,
    rate_limit,
    active: input.active ?? true,
    created_at: now,
    expires_at: fixture ? parseInstant(input.expires_at ?? null) : expiry(input.expires_at ?? null, now),
    last_used: null,
    usage: { day: 0, requests_today: 0, month: 0, requests_this_month: 0, requests_total: 0 },
    permissions_used: {},
    ...(input.auto_renew ? { auto_renew: true } : {}),
  };
}

function limitsFor(input: KeyInput, context: KeyContext): { plan: PlanName; rate_limit: RateLimit } {
  const plan = input.plan ?? context.plan;
  if (plan !== 'enterprise') {
    if (input.rate_limit) {
      throw validationFailed([
        { field: 'rate_limit', message: `custom limits are for the enterprise plan; the ${plan} plan has fixed limits` },
      ]);
    }
    return { plan, rate_limit: { ...PLAN_LIMITS[plan] } };
  }
  const custom = input.rate_limit ?? context.rateLimit;
  if (!custom) {
    throw validationFailed([
      { field: 'rate_limit', message: 'the enterprise plan needs custom limits: {"per_hour": N, "per_minute": N}' },
    ]);
  }
  return { plan, rate_limit: { ...custom } };
}

function expiry(value: string | null, now: number): number | null {
  const at = parseInstant(value);
  if (at !== null && at <= now) {
    throw validationFailed([
      { field: 'expires_at', message: `must be in the future (the server's clock says ${isoSeconds(now)})` },
    ]);
  }
  return at;
}

function pastInstant(field: string, value: string, now: number): number {
  const at = Date.parse(value);
  if (at > now) throw validationFailed([{ field, message: `is after the server's clock (${isoSeconds(now)}): give a past instant` }]);
  return at;
}

function parseInstant(value: string | null): number | null {
  return value === null ? null : Date.parse(value);
}

function checkGrantable(grantor: KeyRecord, requested: readonly Permission[]): void {
  const missing = ungrantable(grantor.permissions, requested);
  if (missing.length > 0) {
    throw new DomainError(
      'forbidden',
      'cannot_grant_permissions',
      `A key cannot grant permissions it does not hold: ${grantor.id} lacks ${missing.join(', ')}.`,
      { required: missing, granted: grantor.permissions },
    );
  }
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
