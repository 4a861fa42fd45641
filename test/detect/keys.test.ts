import { describe, expect, it } from 'vitest';
import { detect, isPlaceholderBody, isSecretEnvFile, prefixOf, PUBLISHED_EXAMPLE_KEYS } from '../../src/detect/index.js';
import { fakeKey } from '../helpers/keys.js';

const live = fakeKey('live');
const sandbox = fakeKey('sandbox');
const test = fakeKey('test');

describe('detect finds real keys', () => {
  const cases: Array<[string, string, string]> = [
    ['in double quotes', `const k = "${live}";`, live],
    ['in single quotes', `k = '${live}'`, live],
    ['in backticks', `fetch(\`${live}\`)`, live],
    ['after =', `API_KEY=${live}`, live],
    ['after a YAML colon', `api_key: ${sandbox}`, sandbox],
    ['in a URL query string', `https://api.example.com/v1?key=${test}&x=1`, test],
    ['in JSON', `{"apiKey":"${test}"}`, test],
    ['at the end of a file without a newline', `x\n${live}`, live],
    ['on a CRLF line', `a\r\nb = "${live}"\r\n`, live],
    ['at the very start of the text', live, live],
  ];
  it.each(cases)('%s', (_name, text, key) => {
    const found = detect(text);
    expect(found.map((m) => m.key)).toEqual([key]);
  });

  it('gives the key type of each prefix', () => {
    expect(detect(`${live} ${sandbox} ${test}`).map((m) => m.keyType)).toEqual(['live', 'sandbox', 'test']);
  });

  it('finds random bodies of every length from 24 to 99', () => {
    for (let length = 24; length <= 99; length++) {
      for (let round = 0; round < 20; round++) {
        const key = fakeKey('live', length);
        expect(detect(`x="${key}"`).map((m) => m.key), key).toEqual([key]);
      }
    }
  });

  it('ends the body where [A-Za-z0-9] ends', () => {
    const [match] = detect(`${live}_suffix`);
    expect(match?.key).toBe(live);
  });

  it('reports 1-based line and column in UTF-16 code units, end exclusive', () => {
    const text = `first\r\n  é = "${live}"\n`;
    const [match] = detect(text);
    expect(match).toMatchObject({ line: 2, column: 8, endLine: 2, endColumn: 8 + live.length });
    expect(text.slice(match!.start, match!.end)).toBe(live);
  });
});

describe('detect ignores what is not a key', () => {
  const cases: Array<[string, string]> = [
    ['the seed placeholder sk_live_abc123...', 'const apiKey = "sk_live_abc123...";'],
    ['the seed placeholder sk_live_xyz789...', '"key": "sk_live_xyz789..."'],
    ['the seed placeholder sk_test_abc123...', 'sk_test_abc123...'],
    ['sk_live_YOUR_API_KEY', 'Authorization: Bearer sk_live_YOUR_API_KEY'],
    ['a body of one repeated character', 'sk_live_xxxxxxxxxxxxxxxx'],
    ['a repeated body in upper case', 'sk_test_AAAAAAAAAAAAAAAAAAAAAAAA'],
    ['sk_test_<your-key>', 'sk_test_<your-key>'],
    ['an alphabetic sequence', 'sk_live_abcdefghijklmnopqrstuvwxyz'],
    ['a digit sequence', 'sk_test_01234567890123456789'],
    ['a mixed sequence', 'sk_live_0123456789abcdefghij'],
    ['a short repeated pattern', 'sk_live_abc123abc123abc123abc123'],
    ['a self-described example', 'sk_live_EXAMPLEkey4f9Qz81LmN2pR'],
    ['a "your key" body', 'sk_test_YourKeyHere9a8b7c6d5e4f3'],
    ['an identifier that contains the prefix', 'if (is_sk_live_key(a1B2c3D4e5F6g7H8i9)) {}'],
    ['a prefix inside a longer word', 'task_test_Zq8Rm2Kp7Lx4Wn9Tv3Hs6J'],
    ['a regex source', '/sk_live_[A-Za-z0-9]+/'],
    ['a body of 15 characters', 'sk_live_Zq8Rm2Kp7Lx4Wn9'],
    ['an unknown prefix', 'sk_prod_Zq8Rm2Kp7Lx4Wn9Tv3Hs6JyB'],
    ['a prefix in upper case', 'SK_LIVE_Zq8Rm2Kp7Lx4Wn9Tv3Hs6JyB'],
    ['a prefix with a capital S', 'Sk_test_Zq8Rm2Kp7Lx4Wn9Tv3Hs6JyB'],
    ['a prefix with a capital K', 'sK_live_Zq8Rm2Kp7Lx4Wn9Tv3Hs6JyB'],
    ['a prefix with an upper-case environment', 'sk_TEST_Zq8Rm2Kp7Lx4Wn9Tv3Hs6JyB'],
    ['a body of dictionary words in CamelCase', 'sk_test_YourTestKeyFromDashboard'],
    ['a body of dictionary words in lower case', 'sk_live_yourlivekeyfromdashboard'],
    ['a body of dictionary words in upper case', 'STRIPE_KEY=sk_live_MYSTRIPESECRETKEY2024'],
    ['a sentence with one-letter words', 'sk_test_ThisIsNotARealKeyJustForTesting'],
    ['words with endings and digits between them', 'sk_test_FakeKeys4Testing2024'],
    ['one made-up word twice plus digits', 'sk_live_ZorblaxZorblax2024'],
    ['one made-up word three times in mixed case', 'sk_test_qwfpgjQWFPGJqwfpgj'],
    ['digits, then one made-up word twice', 'sk_live_1234FlimbarFlimbar'],
    ['a stop-word in CamelCase', 'sk_test_Ab3YourKeyZq8Rm2Kp7'],
    ['a hand-masked key', 'sk_live_4eC3xxxxxxxxxxxxxxxxxxxx'],
  ];
  it.each(cases)('%s', (_name, text) => {
    expect(detect(text)).toEqual([]);
  });

  it('a word-like run inside a random body does not make it a placeholder', () => {
    // Words, a stop-word in mixed case, a repeat that is not the whole body: still keys.
    for (const body of ['YourTestKeyZq8Rm2Kp7Lx4Wn9', 'yOuRkEy8Rm2Kp7Lx4Wn9Tv3H', 'ZorblaxZorblaxQ8Rm2Kp7', 'Xxxxx8Rm2Kp7Lx4Wn9Tv3Hs']) {
      expect(detect(`k = "sk_live_${body}"`).map((m) => m.key)).toEqual([`sk_live_${body}`]);
    }
  });

  it('isPlaceholderBody says yes to low-randomness bodies and no to random ones', () => {
    expect(isPlaceholderBody('aaaaaaaaaaaaaaaa')).toBe(true);
    expect(isPlaceholderBody('1234567890123456')).toBe(true);
    expect(isPlaceholderBody(fakeKey('live', 16).slice('sk_live_'.length))).toBe(false);
  });
});

describe('keys published in vendors\' documentation', () => {
  // Built from the key table, so no test file holds one whole.
  const published = PUBLISHED_EXAMPLE_KEYS.map((entry) => prefixOf(entry.keyType) + entry.body);

  it("lists Stripe's two API-reference test keys", () => {
    expect(published.map((key) => `${key.slice(0, 15)}…`)).toEqual(['sk_test_4eC39Hq…', 'sk_test_BQokikJ…']);
  });

  it.each(published)('%s is found and marked as published, wherever it stands', (key) => {
    for (const text of [`curl -u ${key}:`, `Stripe.api_key = '${key}'`, `STRIPE_KEY=${key}`]) {
      expect(detect(text)).toMatchObject([{ key, keyType: 'test', publishedIn: "Stripe's API reference" }]);
    }
  });

  it('a key that only starts or ends like one, or carries another prefix, is an ordinary key', () => {
    for (const key of published) {
      const body = key.slice('sk_test_'.length);
      for (const other of [`${key}x`, `sk_test_${body.slice(1)}Q`, `sk_live_${body}`]) {
        const [match] = detect(`k = "${other}"`);
        expect(match?.key).toBe(other);
        expect(match?.publishedIn).toBeUndefined();
      }
    }
  });

  it('an ordinary key is not marked', () => {
    expect(detect(live)[0]?.publishedIn).toBeUndefined();
  });
});

describe('suppression comments', () => {
  it('keyguard-ignore on the same line suppresses', () => {
    expect(detect(`const k = "${live}"; // keyguard-ignore`)).toEqual([]);
  });
  it('keyguard-ignore-next-line on the line before suppresses', () => {
    expect(detect(`# keyguard-ignore-next-line\nKEY=${live}\n`)).toEqual([]);
  });
  it('keyguard-ignore-next-line does not suppress its own line or two lines down', () => {
    expect(detect(`KEY=${live} # keyguard-ignore-next-line`)).toHaveLength(1);
    expect(detect(`# keyguard-ignore-next-line\n\nKEY=${live}`)).toHaveLength(1);
  });
  it('includeSuppressed keeps them', () => {
    expect(detect(`k="${live}" // keyguard-ignore`, { includeSuppressed: true })).toHaveLength(1);
  });
});

describe('detect stays linear', () => {
  it('handles many prefixes without bodies and long lines', () => {
    const text = 'sk_live_'.repeat(200_000) + 'sk_test_' + 'a1B2c3D4e5F6g7H'.repeat(10_000);
    expect(detect(text)).toEqual([]);
  });
});

describe('isSecretEnvFile', () => {
  it.each([
    ['.env', true],
    ['config/.env', true],
    ['.env.local', true],
    ['.env.production', true],
    ['.env.example', false],
    ['.env.sample', false],
    ['.env.template', false],
    ['.env.dist', false],
    ['.env.defaults', false],
    ['env', false],
    ['.envrc', false],
    ['my.env', false],
  ] as const)('%s → %s', (path, expected) => {
    expect(isSecretEnvFile(path)).toBe(expected);
  });
});
