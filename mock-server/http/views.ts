import { isoSeconds } from '../core/clock.js';
import { usageAt } from '../core/key-admin.js';
import type { RateDecision } from '../core/rate-limit.js';
import { PERMISSIONS } from '../core/scopes.js';
import type { KeyRecord, PermissionsUsed } from '../core/store.js';

/** A key as the API shows it: everything but the key itself (only its prefix). */
export function keyView(record: KeyRecord, now: number) {
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    prefix: record.prefix,
    environment: record.environment,
    permissions: record.permissions,
    plan: record.plan,
    rate_limit: record.rate_limit,
    active: record.active,
    created_at: isoSeconds(record.created_at),
    expires_at: record.expires_at === null ? null : isoSeconds(record.expires_at),
    last_used: record.last_used === null ? null : isoSeconds(record.last_used),
    usage: usageAt(record.usage, now),
    permissions_used: permissionsUsedView(record.permissions_used),
    auto_renew: record.auto_renew === true,
  };
}

/** keyguard's extension: each permission a successful request needed, with its last use, in the seed's order. */
function permissionsUsedView(used: PermissionsUsed) {
  return PERMISSIONS.flatMap((permission) => {
    const at = used[permission];
    return at === undefined ? [] : [{ permission, last_used: isoSeconds(at) }];
  });
}

/** The one shape that carries a full key: the answer to create and regenerate. */
export function newKeyView(record: KeyRecord, key: string, now: number) {
  return { ...keyView(record, now), key };
}

/** `GET /v1/rate-limit`: the hourly window as the seed shows it, plus the minute window. */
export function rateLimitView(record: KeyRecord, decision: RateDecision) {
  const { hour, minute } = decision;
  return {
    limit: hour.limit,
    remaining: hour.remaining,
    reset: hour.resetMs / 1000,
    reset_at: isoSeconds(hour.resetMs),
    plan: record.plan,
    minute: { limit: minute.limit, remaining: minute.remaining, reset: minute.resetMs / 1000, reset_at: isoSeconds(minute.resetMs) },
  };
}
