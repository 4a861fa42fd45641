import type { KeyType } from '../../src/detect/index.js';
import { isoSeconds } from './clock.js';
import { DomainError, unauthorized } from './errors.js';
import { displayPrefix, hashKey, wellFormedKeyType } from './keys.js';
import { hasPermission, type Permission } from './scopes.js';
import type { KeyRecord, KeyStore } from './store.js';

/**
 * The active key behind a presented key, or an `unauthenticated` error that says which of these
 * it is: not shaped like a key, a key of another environment, unknown, revoked (deleted or
 * regenerated), deactivated, or expired.
 */
export function authenticate(presented: string, store: KeyStore, environment: KeyType, now: number): KeyRecord {
  const keyType = wellFormedKeyType(presented);
  if (!keyType) {
    throw unauthorized(
      'invalid_key_format',
      'The API key is not in a valid format: keys look like sk_live_, sk_sandbox_ or sk_test_ followed by letters and digits.',
    );
  }
  if (keyType !== environment) throw wrongEnvironment(keyType, environment);
  const found = store.lookup(hashKey(presented));
  if (!found) {
    throw unauthorized('invalid_api_key', `The API key ${displayPrefix(presented)} is not valid: check it was copied whole, or create a new one.`);
  }
  if (found.revoked) {
    const how = found.revoked.reason === 'deleted' ? 'deleted' : 'replaced by a regenerated key';
    throw unauthorized(
      'revoked_api_key',
      `The API key ${displayPrefix(presented)} was ${how} at ${isoSeconds(found.revoked.at)}: use a current key.`,
      { key_id: found.revoked.id },
    );
  }
  const key = found.key;
  if (!key.active) {
    throw unauthorized('inactive_api_key', `The API key ${key.prefix} (${key.id}) is deactivated`, { key_id: key.id }, { to: 'reactivate_key', key_id: key.id });
  }
  if (key.expires_at !== null && key.expires_at <= now) {
    throw unauthorized(
      'expired_api_key',
      `The API key ${key.prefix} (${key.id}) expired at ${isoSeconds(key.expires_at)}: extend expires_at or create a new key.`,
      { key_id: key.id },
    );
  }
  return key;
}

/** Refuses a key that lacks `permission`, saying what it has. */
export function authorize(key: KeyRecord, permission: Permission): void {
  if (hasPermission(key.permissions, permission)) return;
  const held = key.permissions.length > 0 ? key.permissions.join(', ') : 'no permissions';
  throw new DomainError(
    'forbidden',
    'insufficient_permissions',
    `This key lacks the ${permission} permission (it has ${held})`,
    { required: [permission], granted: key.permissions },
    { to: 'grant_permission', key_id: key.id },
  );
}

function wrongEnvironment(keyType: KeyType, environment: KeyType): DomainError {
  return unauthorized(
    'wrong_environment',
    `This is a ${keyType} key, but this server is the ${environment} environment: use a ${environment} key here, or send the ${keyType} key to the ${keyType} server.`,
    { key_environment: keyType, server_environment: environment },
  );
}
