import { isMadeOfWords, isRepeatedWord, isWordCase } from './words.js';

/**
 * Documentation placeholders are not keys. A body is a placeholder when it
 * - names itself as one (a stop-word of six or more letters, each of its words written
 *   `word`, `Word` or `WORD`, or six x's in one case): a random base62 body of 24–99
 *   characters holds one with odds of about one in 100 million, where five-letter
 *   stop-words in any case held one in 250,000 (measured: 1 in 300,000 bodies),
 * - or is mostly a run of consecutive characters (`abcdef…`, `0123…`, `987…`),
 * - or carries too little randomness (Shannon entropy under 3 bits per character:
 *   `xxxx…`, `abc123abc123…`; random 16-character bodies average about 3.7),
 * - or is made of dictionary words (`YourTestKeyFromDashboard`) or of one word repeated
 *   (`ZorblaxZorblax2024`): see words.ts.
 */
const STOP_WORDS = [
  ['example'],
  ['sample'],
  ['placeholder'],
  ['your', 'key'],
  ['your', 'api'],
  ['your', 'secret'],
  ['insert'],
  ['replace'],
  ['redacted'],
  ['change', 'me'],
].map((parts) => ({ parts, text: parts.join('') }));

/** A key masked by hand: `sk_live_4eC3xxxxxxxxxxxxxxxx`. */
const MASKS = ['xxxxxx', 'XXXXXX'];

const MIN_ENTROPY_BITS = 3;
const MAX_SEQUENTIAL_SHARE = 0.6;

export function isPlaceholderBody(body: string): boolean {
  const lower = body.toLowerCase();
  if (MASKS.some((mask) => body.includes(mask)) || STOP_WORDS.some((word) => holdsStopWord(body, lower, word))) return true;
  if (sequentialShare(body) >= MAX_SEQUENTIAL_SHARE) return true;
  if (shannonEntropy(body) < MIN_ENTROPY_BITS) return true;
  return isRepeatedWord(body) || isMadeOfWords(body);
}

/** A stop-word anywhere in the body, each of its words in a word's case (`YourKey`, `yourkey`, `YOURKEY`, not `yOuRkEy`). */
function holdsStopWord(body: string, lower: string, word: { parts: string[]; text: string }): boolean {
  for (let at = lower.indexOf(word.text); at !== -1; at = lower.indexOf(word.text, at + 1)) {
    let from = at;
    const cased = word.parts.every((part) => isWordCase(body.slice(from, (from += part.length))));
    if (cased) return true;
  }
  return false;
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
