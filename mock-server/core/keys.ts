import { hash, randomBytes } from 'node:crypto';
// The key table and the placeholder test, not the detector's index: the mock needs no scan rules.
import { keyTypeOf, MIN_BODY_LENGTH, prefixOf, type KeyType } from '../../src/detect/key-types.js';
import { isPlaceholderBody } from '../../src/detect/placeholder.js';

/** Where randomness comes from; `crypto.randomBytes` unless a test injects its own. */
export type RandomSource = (size: number) => Uint8Array;

export const cryptoRandom: RandomSource = (size) => randomBytes(size);

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 62 × 4 = 248: bytes at or above it are dropped so every character is equally likely. */
const UNBIASED_LIMIT = 248;
export const KEY_BODY_LENGTH = 32;
const ID_LENGTH = 20;

/** `length` uniformly random base62 characters. */
export function randomBase62(random: RandomSource, length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of random(length * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * A new key: the environment's prefix from the shared key table and 32 random base62
 * characters. Bodies the scanner would take for a documentation placeholder (odds far
 * below one in a million) are drawn again, so keyguard always detects its own keys.
 */
export function generateKey(environment: KeyType, random: RandomSource): string {
  let body: string;
  do body = randomBase62(random, KEY_BODY_LENGTH);
  while (isPlaceholderBody(body));
  return prefixOf(environment) + body;
}

/** `key_…`, `task_…`: ids are public, so they carry no part of any key. */
export function generateId(kind: string, random: RandomSource): string {
  return `${kind}_${randomBase62(random, ID_LENGTH)}`;
}

/** SHA-256 of the key: the only form the store keeps. */
export function hashKey(key: string): Buffer {
  // Every authenticated request hashes its key: on Node 20 `crypto.hash` costs 1 µs for a
  // 'buffer' digest and 0.3 µs for a string one, which converts back for almost nothing.
  return Buffer.from(hash('sha256', key, 'binary'), 'binary');
}

/** What lists show to identify a key, in the seed's form: `sk_live_abc...`. */
export function displayPrefix(key: string): string {
  const type = keyTypeOf(key);
  const prefix = type ? prefixOf(type) : '';
  return `${prefix}${key.slice(prefix.length, prefix.length + 3)}...`;
}

const KEY_BODY = /^[A-Za-z0-9]+$/;

/** The key type of a well-formed key (known prefix, base62 body of 16+ characters), else undefined. */
export function wellFormedKeyType(key: string): KeyType | undefined {
  const type = keyTypeOf(key);
  if (!type) return undefined;
  const body = key.slice(prefixOf(type).length);
  return body.length >= MIN_BODY_LENGTH && KEY_BODY.test(body) ? type : undefined;
}
