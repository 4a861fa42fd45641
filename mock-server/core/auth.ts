import type { KeyType } from '../../src/detect/index.js';
import { isoSeconds } from './clock.js';
import { unauthorized, type ApiError } from './errors.js';
import { displayPrefix, hashKey, wellFormedKeyType } from './keys.js';
import type { KeyRecord, KeyStore } from './store.js';

/** Where a request's key came from and what it looks like, for the journal (never the key itself). */
export interface Credential {
  key: string;
  prefix: string;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The key a request presents: `Authorization: Bearer <key>` or `x-api-key: <key>`.
 * Throws a 401 when there is none or the Authorization header is not a Bearer token.
 */
export function readCredential(headers: Headers): Credential {
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const bearer = BEARER.exec(authorization);
    if (!bearer) {
      const looksLikeKey = wellFormedKeyType(authorization.trim()) !== undefined;
      throw unauthorized(
        'malformed_authorization',
        looksLikeKey
          ? 'The Authorization header holds a key without the Bearer scheme: send "Authorization: Bearer <key>".'
          : 'The Authorization header must be "Bearer <key>" (or send the key in an x-api-key header).',
      );
    }
    return credential(bearer[1] as string);
  }
  const apiKey = headers.get('x-api-key');
  if (apiKey !== null && apiKey.trim() !== '') return credential(apiKey.trim());
  throw unauthorized(
    'missing_api_key',
    'No API key was sent: add "Authorization: Bearer <key>" or "x-api-key: <key>" to the request.',
  );
}

function credential(key: string): Credential {
  return { key, prefix: displayPrefix(key) };
}

/**
 * The active key behind a credential, or a 401 that says which of these it is: not shaped
 * like a key, a key of another environment, unknown, revoked (deleted or regenerated),
 * deactivated, or expired.
 */
export function authenticate(credential: Credential, store: KeyStore, environment: KeyType, now: number): KeyRecord {
  const keyType = wellFormedKeyType(credential.key);
  if (!keyType) {
    throw unauthorized(
      'invalid_key_format',
      'The API key is not in a valid format: keys look like sk_live_, sk_sandbox_ or sk_test_ followed by letters and digits.',
    );
  }
  if (keyType !== environment) throw wrongEnvironment(keyType, environment);
  const found = store.lookup(hashKey(credential.key));
  if (!found) {
    throw unauthorized('invalid_api_key', `The API key ${credential.prefix} is not valid: check it was copied whole, or create a new one.`);
  }
  if (found.revoked) {
    const how = found.revoked.reason === 'deleted' ? 'deleted' : 'replaced by a regenerated key';
    throw unauthorized(
      'revoked_api_key',
      `The API key ${credential.prefix} was ${how} at ${isoSeconds(found.revoked.at)}: use a current key.`,
      { key_id: found.revoked.id },
    );
  }
  const key = found.key;
  if (!key.active) {
    throw unauthorized(
      'inactive_api_key',
      `The API key ${key.prefix} (${key.id}) is deactivated: reactivate it with PATCH /v1/api-keys/${key.id} {"active": true}.`,
      { key_id: key.id },
    );
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

function wrongEnvironment(keyType: KeyType, environment: KeyType): ApiError {
  return unauthorized(
    'wrong_environment',
    `This is a ${keyType} key, but this server is the ${environment} environment: use a ${environment} key here, or send the ${keyType} key to the ${keyType} server.`,
    { key_environment: keyType, server_environment: environment },
  );
}
