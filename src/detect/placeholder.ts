/**
 * Documentation placeholders are not keys. A body is a placeholder when it
 * - names itself as one (a stop-word of five or more letters: random base62 bodies of
 *   up to 99 characters contain one with odds below one in a million),
 * - or is mostly a run of consecutive characters (`abcdef…`, `0123…`, `987…`),
 * - or carries too little randomness (Shannon entropy under 3 bits per character:
 *   `xxxx…`, `abc123abc123…`; random 16-character bodies average about 3.7).
 */
const STOP_WORDS = [
  'example',
  'sample',
  'placeholder',
  'dummy',
  'yourkey',
  'yourapi',
  'yoursecret',
  'insert',
  'replace',
  'redacted',
  'changeme',
  'xxxxx',
];

const MIN_ENTROPY_BITS = 3;
const MAX_SEQUENTIAL_SHARE = 0.6;

export function isPlaceholderBody(body: string): boolean {
  const lower = body.toLowerCase();
  if (STOP_WORDS.some((word) => lower.includes(word))) return true;
  if (sequentialShare(body) >= MAX_SEQUENTIAL_SHARE) return true;
  return shannonEntropy(body) < MIN_ENTROPY_BITS;
}

/** Share of neighbouring character pairs that step by exactly one code point, up or down. */
export function sequentialShare(body: string): number {
  if (body.length < 2) return 0;
  let steps = 0;
  for (let i = 1; i < body.length; i++) {
    const diff = body.charCodeAt(i) - body.charCodeAt(i - 1);
    if (diff === 1 || diff === -1) steps++;
  }
  return steps / (body.length - 1);
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
