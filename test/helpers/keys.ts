import { randomInt } from 'node:crypto';
import { prefixOf, type KeyType } from '../../src/detect/index.js';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random key made at test time, so no key is ever committed in a fixture. */
export function fakeKey(keyType: KeyType = 'live', bodyLength = 32): string {
  let body = '';
  for (let i = 0; i < bodyLength; i++) body += BASE62[randomInt(BASE62.length)];
  return prefixOf(keyType) + body;
}

/** The part of a key that must never appear in any output. */
export function bodyOf(key: string): string {
  return key.slice(key.indexOf('_', 3) + 1);
}
