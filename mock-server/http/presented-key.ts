import { hashKey } from '../core/keys.js';
import type { KeyStore } from '../core/store.js';
import { readCredential } from './credential.js';

/**
 * The id of the key a request presents, whether or not it would authenticate (revoked keys keep
 * their id): for fault matchers, and to name the key of a failed authentication. Undefined when
 * the request presents no key the store knows.
 */
export function presentedKeyId(headers: Headers, store: KeyStore): string | undefined {
  let key: string;
  try {
    key = readCredential(headers).key;
  } catch {
    return undefined;
  }
  const found = store.lookup(hashKey(key));
  return found?.key?.id ?? found?.revoked?.id;
}
