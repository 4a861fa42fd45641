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

/**
 * Keys vendors print in their documentation, copied since into thousands of tutorials and
 * repositories. They are no one's secret, so they are reported under their own rule, as a
 * warning. Prefix and body are kept apart so that this table is not itself a finding.
 */
export const PUBLISHED_EXAMPLE_KEYS: ReadonlyArray<{ keyType: KeyType; body: string; publishedIn: string }> = [
  { keyType: 'test', body: '4eC39HqLyjWDarjtT1zdp7dc', publishedIn: "Stripe's API reference" },
  { keyType: 'test', body: 'BQokikJOvBiI2HlWgH4olfQ2', publishedIn: "Stripe's API reference" },
];

const PUBLISHED = new Map(PUBLISHED_EXAMPLE_KEYS.map((entry) => [prefixOf(entry.keyType) + entry.body, entry.publishedIn]));

/** Where a key was published as a documentation example, or undefined for any other key. */
export function publishedIn(key: string): string | undefined {
  return PUBLISHED.get(key);
}

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
