/**
 * The one table of key prefixes. Adding a prefix here reaches the scanner, the hook,
 * the ESLint rule, SARIF rule metadata and the mock server's key generator.
 */
export const KEY_TYPES = [
  { prefix: 'sk_live_', keyType: 'live' },
  { prefix: 'sk_sandbox_', keyType: 'sandbox' },
  { prefix: 'sk_test_', keyType: 'test' },
] as const;

export type KeyType = (typeof KEY_TYPES)[number]['keyType'];

/** Every prefix shares this start, so one `indexOf` pass finds all candidates. */
export const COMMON_PREFIX = 'sk_';

/** A key body is at least this many `[A-Za-z0-9]` characters. */
export const MIN_BODY_LENGTH = 16;

export function prefixOf(keyType: KeyType): string {
  const entry = KEY_TYPES.find((t) => t.keyType === keyType);
  if (!entry) throw new TypeError(`unknown key type: ${String(keyType)}`);
  return entry.prefix;
}

/** The key type of a string that starts with a known prefix, or undefined. */
export function keyTypeOf(value: string): KeyType | undefined {
  return KEY_TYPES.find((t) => value.startsWith(t.prefix))?.keyType;
}
