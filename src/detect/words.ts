import COMMON_WORDS from '@nkzw/safe-word-list';

/**
 * Bodies written by people rather than drawn at random: `YourTestKeyFromDashboard`,
 * `ZorblaxZorblax2024`. Both tests run in one pass over the body (the segmentation stops
 * as soon as no word can continue it, which for a random body is within a few characters),
 * so the detector stays linear however long a body is.
 */

/**
 * Words the common-word list leaves out on purpose (it keeps "safe" content words of three
 * letters or more): the closed class of pronouns, auxiliaries and prepositions a sentence
 * like "this is my key" is built from, and the vocabulary of API-key placeholders.
 */
const EXTRA_WORDS = [
  // pronouns, determiners, auxiliaries, prepositions, conjunctions
  'am', 'an', 'are', 'as', 'at', 'be', 'been', 'by', 'did', 'do', 'does', 'go', 'had', 'has', 'he', 'her', 'him',
  'his', 'if', 'in', 'is', 'it', 'me', 'my', 'no', 'of', 'on', 'or', 'so', 'she', 'that', 'these', 'they', 'this',
  'those', 'to', 'up', 'us', 'was', 'we', 'were', 'you', 'yours',
  // what placeholder keys are made of
  'acme', 'api', 'app', 'backend', 'bar', 'baz', 'billing', 'checkout', 'config', 'dashboard', 'default', 'demo', 'dev',
  'dummy', 'endpoint', 'env', 'fake', 'foo', 'frontend', 'insert', 'localhost', 'mock', 'placeholder', 'prod', 'publishable',
  'qux', 'restricted', 'sandbox', 'server', 'staging', 'stripe', 'stub', 'temp', 'tmp', 'todo', 'token', 'webhook',
];

/** Endings a listed word may carry: `keys`, `goes`, `testing`, `signed`, `users`. */
const SUFFIXES = ['', 's', 'es', 'ed', 'ing', 'er', 'ers'];

/** The longest dictionary word tried at one position. */
const MAX_WORD = 16;

/** Fewest letters a word-made body has: shorter runs of words are as likely random. */
const MIN_WORD_LETTERS = 8;

/** Shortest word repeated in a "one word twice" body. */
const MIN_REPEATED_WORD = 3;

let stems: Set<string> | undefined;

/**
 * Whether a lower-case word is in the dictionary: a listed word, with or without one of the
 * endings, or one of the two one-letter words (as in `ThisIsNotAKey`), which take no ending.
 * The endings are tried at lookup: a set of every listed word with every ending (19,000 strings)
 * cost 7-15 ms to build, which the mock server paid at start for its first key.
 */
function isDictionaryWord(word: string): boolean {
  stems ??= new Set([...COMMON_WORDS, ...EXTRA_WORDS]);
  if (word === 'a' || word === 'i' || stems.has(word)) return true;
  for (const suffix of SUFFIXES) {
    if (suffix && word.length > suffix.length && word.endsWith(suffix) && stems.has(word.slice(0, -suffix.length))) return true;
  }
  return false;
}

/**
 * True when every letter of the body belongs to a dictionary word written as a word is
 * (`key`, `Key` or `KEY`: a random body flips case at random, so its letters rarely
 * line up with words), with digits allowed between words and making up at most half of
 * the body.
 */
export function isMadeOfWords(body: string): boolean {
  let letters = 0;
  for (let i = 0; i < body.length; i++) if (isLetter(body.charCodeAt(i))) letters++;
  if (letters < MIN_WORD_LETTERS || letters * 2 < body.length) return false;
  // reachable[i]: the first i characters split into words and digits.
  const reachable = new Uint8Array(body.length + 1);
  reachable[0] = 1;
  let furthest = 0;
  for (let i = 0; i < body.length; i++) {
    if (!reachable[i]) {
      // Nothing reaches past here: the body cannot be all words.
      if (i >= furthest) return false;
      continue;
    }
    if (!isLetter(body.charCodeAt(i))) {
      reachable[i + 1] = 1;
      furthest = Math.max(furthest, i + 1);
      continue;
    }
    for (let end = i + 1; end <= Math.min(body.length, i + MAX_WORD); end++) {
      if (!isLetter(body.charCodeAt(end - 1))) break;
      if (reachable[end]) continue;
      const word = body.slice(i, end);
      if (isWordCase(word) && isDictionaryWord(word.toLowerCase())) {
        reachable[end] = 1;
        furthest = Math.max(furthest, end);
      }
    }
  }
  return reachable[body.length] === 1;
}

/**
 * True when the body, less the digits at either end, is one word of three or more
 * characters written two or more times (`ZorblaxZorblax`, `2024qwfpQwfp`), in any case.
 * The shortest period comes from the prefix function, in one pass.
 */
export function isRepeatedWord(body: string): boolean {
  let from = 0;
  let to = body.length;
  while (from < to && isDigit(body.charCodeAt(from))) from++;
  while (to > from && isDigit(body.charCodeAt(to - 1))) to--;
  const core = body.slice(from, to).toLowerCase();
  const n = core.length;
  if (n < MIN_REPEATED_WORD * 2) return false;
  const prefix = new Uint32Array(n);
  for (let i = 1; i < n; i++) {
    let k = prefix[i - 1] as number;
    while (k > 0 && core[i] !== core[k]) k = prefix[k - 1] as number;
    if (core[i] === core[k]) k++;
    prefix[i] = k;
  }
  const period = n - (prefix[n - 1] as number);
  return period >= MIN_REPEATED_WORD && period < n && n % period === 0;
}

/** `key`, `Key` or `KEY`. */
export function isWordCase(word: string): boolean {
  if (word === word.toLowerCase() || word === word.toUpperCase()) return true;
  return isUpper(word.charCodeAt(0)) && word.slice(1) === word.slice(1).toLowerCase();
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
