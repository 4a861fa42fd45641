import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { detect, KEY_TYPES } from '../../src/detect/index.js';
import { mayHoldKey, textMayHoldKey } from '../../src/detect/prefilter.js';
import { redactText } from '../../src/findings.js';
import { scan } from '../../src/scan.js';
import { readFragments } from '../../src/sources/read.js';
import type { Source } from '../../src/sources/source.js';

const dir = mkdtempSync(join(tmpdir(), 'keyguard-hardening-props-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const PREFIXES = KEY_TYPES.map((type) => type.prefix);

/**
 * A key as the key API issues one: a uniformly random body, drawn from a seed so that
 * fast-check can replay and shrink it (its own string generators favour 'AAAA…', which is
 * rightly a placeholder).
 */
const realKey = fc.record({ prefix: fc.constantFrom(...PREFIXES), length: fc.integer({ min: 24, max: 99 }), seed: fc.integer() }).map(({ prefix, length, seed }) => {
  let state = seed >>> 0 || 1;
  let body = '';
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    body += BASE62[(state >>> 0) % 62];
  }
  return prefix + body;
});

/**
 * Text around a key: code, punctuation, quotes, tabs, accented and CJK letters, emoji
 * (two UTF-16 units), lone carriage returns and U+2028 (not line breaks: only LF is, as for
 * git), and near-misses that are not keys, each ending in a space so none runs into the next.
 */
const noise = fc
  .array(
    fc.oneof(
      fc.string({ unit: fc.constantFrom(...'abcXYZ019 =:;,.(){}[]<>"\'`\\/#-+*\t'), maxLength: 12 }),
      fc.constantFrom('é', 'ß', '日本語', '😀', '\u2028', '\r', '\u00a0', 'Ω'),
      fc.constantFrom('task_test_Zq8Rm2Kp7Lx4Wn9Tv3Hs6J ', 'sk_live_Zq8Rm2Kp7Lx4Wn9 ', 'sk_live_YOUR_API_KEY ', 'sk_test_xxxxxxxxxxxxxxxx ', 'sk_prod_Zq8Rm2Kp7Lx4Wn9Tv3Hs6J '),
    ),
    { maxLength: 10 },
  )
  .map((parts) => parts.join(''));
/** What may stand right before a key (not a word character) and right after one (not a body character). */
const before = fc.constantFrom('', ' ', '"', "'", '`', '=', ':', '(', '\t', '>', 'é', '😀', '\\"');
const after = fc.constantFrom('', ' ', '"', "'", '`', ';', ',', ')', '_', '.', '&', '\\', '日');

/** `core` between noise and the characters around it; with nothing around it, it starts or ends the line. */
function line(left: string, b: string, core: string, a: string, right: string): string {
  return `${b === '' ? '' : left}${b}${core}${a}${a === '' ? '' : right}`;
}

const ENCODINGS = ['utf-8', 'utf-8 with BOM', 'utf-16le with BOM', 'utf-16be with BOM'] as const;
type Encoding = (typeof ENCODINGS)[number];

function encode(text: string, encoding: Encoding): Buffer {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text);
    case 'utf-8 with BOM':
      return Buffer.from(`\ufeff${text}`);
    case 'utf-16le with BOM':
      return Buffer.from(`\ufeff${text}`, 'utf16le');
    case 'utf-16be with BOM':
      return Buffer.from(`\ufeff${text}`, 'utf16le').swap16();
  }
}

let files = 0;
/** The findings scan() reports for a file holding `content`, read through a window of `windowBytes`. */
async function scanBytes(content: Buffer, windowBytes: number): Promise<Array<{ line: number; column: number; endColumn?: number; redacted?: string }>> {
  const path = join(dir, `f${files++}`);
  writeFileSync(path, content);
  const source: Source = {
    async *read() {
      yield* readFragments(path, 'f.txt', Buffer.alloc(windowBytes));
    },
  };
  const { findings } = await scan({ cwd: dir, source });
  return findings.map(({ line, column, endColumn, redacted }) => ({ line, column, endColumn, redacted }));
}

describe('a key planted anywhere is found at its line and column', () => {
  it('in random surroundings, in UTF-8 or UTF-16 with or without a byte order mark, with LF, CRLF or mixed line endings, read in windows of any size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          key: realKey,
          linesAbove: fc.array(noise, { maxLength: 6 }),
          left: noise,
          before,
          after,
          right: noise,
          linesBelow: fc.array(noise, { maxLength: 4 }),
          crlf: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
          encoding: fc.constantFrom(...ENCODINGS),
          windowBytes: fc.integer({ min: 256, max: 2048 }),
        }),
        async (c) => {
          const keyLine = line(c.left, c.before, c.key, c.after, c.right);
          const lines = [...c.linesAbove, keyLine, ...c.linesBelow];
          const text = lines.map((text, i) => (i === lines.length - 1 ? text : `${text}${c.crlf[i] ? '\r\n' : '\n'}`)).join('');
          // Where the key is, counted by hand: LF ends a line; columns are UTF-16 units from 1.
          const column = keyLine.indexOf(c.key) + 1;

          const findings = await scanBytes(encode(text, c.encoding), c.windowBytes);

          expect(findings).toEqual([{ line: c.linesAbove.length + 1, column, endColumn: column + c.key.length, redacted: expect.stringMatching(/…/) }]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('by the detector on any string, whatever else the string holds', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), realKey, fc.string({ unit: 'binary', maxLength: 200 }), (left, key, right) => {
        const text = `${left} ${key} ${right}`;
        const start = left.length + 1;
        const found = detect(text, { includeSuppressed: true }).find((match) => match.start === start);
        const above = text.slice(0, start).split('\n');

        expect(found).toMatchObject({ key, end: start + key.length, line: above.length, column: (above.at(-1) as string).length + 1 });
      }),
      { numRuns: 500 },
    );
  });
});

describe('the prefilter never says no to a key', () => {
  it('on text (a bundler chunk) as on its UTF-8 bytes: yes wherever the detector finds a key, and the two always agree', () => {
    const piece = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('sk_', 'k_', 'task_', 'disk_live_', '_sk_test_', ...PREFIXES));
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, realKey), { maxLength: 8 }), (pieces) => {
        const text = pieces.join('');
        const bytes = Buffer.from(text);
        if (detect(text, { includeSuppressed: true }).length > 0) expect(textMayHoldKey(text)).toBe(true);
        expect(textMayHoldKey(text)).toBe(mayHoldKey(bytes, 0, bytes.length));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('random keys are all found, word-made bodies are not', () => {
  it('10,000 random bodies of 24–99 characters, for every prefix, are all reported', () => {
    fc.assert(
      fc.property(realKey, (key) => {
        expect(detect(`k = "${key}"`, { includeSuppressed: true }).map((match) => match.key)).toEqual([key]);
      }),
      { numRuns: 10_000 },
    );
  });

  // Words as people write them in a placeholder, and the ways they join them.
  const word = fc.constantFrom('your', 'my', 'test', 'live', 'key', 'keys', 'secret', 'from', 'dashboard', 'stripe', 'api', 'goes', 'here', 'not', 'real', 'a', 'fake', 'for', 'testing', 'only', 'production', 'account', 'payment', 'token', 'sandbox', 'this', 'is', 'use', 'do');
  const casing = fc.constantFrom<(w: string) => string>((w) => w, (w) => w.toUpperCase(), (w) => w.charAt(0).toUpperCase() + w.slice(1));
  const digits = fc.stringMatching(/^[0-9]{0,4}$/);
  const wordBody = fc
    .tuple(fc.array(fc.tuple(word, casing, digits), { minLength: 3, maxLength: 8 }), fc.constantFrom('camel', 'lower', 'upper'))
    .map(([parts, style]) =>
      parts
        .map(([w, cased, n], i) => (style === 'camel' ? cased(w) : style === 'upper' ? w.toUpperCase() : w) + (i === parts.length - 1 || i % 3 === 2 ? n : ''))
        .join(''),
    )
    .filter((body) => body.length >= 16 && /[a-z]/i.test(body) && body.replace(/[0-9]/g, '').length * 2 >= body.length);
  // A made-up word (random letters) written two or more times, with digits before or after.
  const madeUp = fc
    .tuple(fc.stringMatching(/^[A-Za-z]{3,12}$/), fc.integer({ min: 2, max: 4 }), fc.boolean(), digits, digits)
    .map(([w, times, sameCase, before, after]) => before + Array.from({ length: times }, (_, i) => (sameCase || i % 2 === 0 ? w : w.toUpperCase())).join('') + after)
    .filter((body) => body.length >= 16);

  it('bodies made of dictionary words, in any case and with digits between words, are placeholders', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PREFIXES), wordBody, before, after, (prefix, body, b, a) => {
        expect(detect(`${b}${prefix}${body}${a}`, { includeSuppressed: true })).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('bodies of one made-up word repeated, plus digits, are placeholders', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PREFIXES), madeUp, before, after, (prefix, body, b, a) => {
        expect(detect(`${b}${prefix}${body}${a}`, { includeSuppressed: true })).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('placeholders are never reported', () => {
  const alnum = fc.string({ unit: fc.constantFrom(...BASE62), maxLength: 30 });
  const placeholderBodies = fc.oneof(
    // A body that calls itself a placeholder, anywhere in it, in any case.
    fc
      .tuple(alnum, fc.constantFrom('example', 'sample', 'placeholder', 'yourkey', 'yourapi', 'yoursecret', 'insert', 'replace', 'redacted', 'changeme', 'xxxxxx'), alnum, fc.boolean())
      .map(([a, word, b, upper]) => `${a}${upper ? word.toUpperCase() : word}${b}`),
    // One character repeated.
    fc.tuple(fc.constantFrom(...BASE62), fc.integer({ min: 16, max: 99 })).map(([ch, n]) => ch.repeat(n)),
    // A run of consecutive characters, up or down.
    fc
      .tuple(fc.constantFrom('abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789', '0123456789abcdefghijklmnopqrstuvwxyz'), fc.boolean(), fc.integer({ min: 16, max: 36 }))
      .map(([run, down, n]) => {
        const long = run.repeat(4);
        return (down ? [...long].reverse().join('') : long).slice(0, n);
      }),
    // A short pattern of up to seven distinct characters, repeated: too little randomness.
    fc
      .tuple(fc.uniqueArray(fc.constantFrom(...BASE62), { minLength: 1, maxLength: 7 }), fc.integer({ min: 3, max: 12 }))
      .map(([unit, times]) => unit.join('').repeat(times))
      .filter((body) => body.length >= 16),
  );
  const docForms = fc.constantFrom('abc123...', 'xyz789...', 'YOUR_API_KEY', '<your-key>', '${API_KEY}', '...', '****************', 'your_key_here');

  it('in any surroundings, for every prefix', () => {
    fc.assert(
      fc.property(noise, fc.constantFrom(...PREFIXES), fc.oneof(placeholderBodies, docForms), before, after, noise, (left, prefix, body, b, a, right) => {
        expect(detect(line(left, b, `${prefix}${body}`, a, right), { includeSuppressed: true })).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('nothing makes the detector or the reader throw', () => {
  it('any string: every match it returns is a key of the text, at the offsets it gives, and redactText masks them all', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom(...PREFIXES), realKey), { maxLength: 30 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(anyText, (text) => {
        const matches = detect(text, { includeSuppressed: true });
        for (const match of matches) {
          expect(text.slice(match.start, match.end)).toBe(match.key);
          expect(PREFIXES.some((prefix) => match.key.startsWith(prefix))).toBe(true);
        }
        const masked = redactText(text);
        for (const match of matches) expect(masked).not.toContain(match.key);
      }),
      { numRuns: 1000 },
    );
  });

  it('any bytes, with or without a byte order mark: the file is read as binary or as the text the whole file decodes to, never an error', async () => {
    const BOMS = { none: [], 'utf-8': [0xef, 0xbb, 0xbf], 'utf-16le': [0xff, 0xfe], 'utf-16be': [0xfe, 0xff] };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(BOMS) as Array<keyof typeof BOMS>)),
        // Most runs without NUL bytes, so files get past the binary check; some without line
        // breaks either, so windows end inside lines of stray UTF-8 lead and continuation bytes.
        fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ min: 1, maxLength: 3000 }), fc.uint8Array({ min: 0x0b, maxLength: 3000 })),
        fc.array(fc.tuple(fc.nat(), realKey), { maxLength: 3 }),
        fc.integer({ min: 256, max: 1024 }),
        async (bom, noiseBytes, planted, windowBytes) => {
          const utf16 = bom === 'utf-16le' || bom === 'utf-16be';
          // Keys go in at random byte offsets, encoded as the rest of the file is.
          let content = Buffer.from(noiseBytes);
          for (const [offset, key] of planted) {
            const at = utf16 ? (offset % (content.length + 1)) & ~1 : offset % (content.length + 1);
            const bytes = bom === 'utf-16le' ? Buffer.from(` ${key} `, 'utf16le') : bom === 'utf-16be' ? Buffer.from(` ${key} `, 'utf16le').swap16() : Buffer.from(` ${key} `);
            content = Buffer.concat([content.subarray(0, at), bytes, content.subarray(at)]);
          }
          const file = Buffer.concat([Buffer.from(BOMS[bom]), content]);
          // What the file is, whatever the mark was meant to be: `FF FE 00 00` is UTF-32's, binary.
          const asUtf16 = file[0] === 0xfe && file[1] === 0xff ? 'utf-16be' : file[0] === 0xff && file[1] === 0xfe && !(file[2] === 0 && file[3] === 0) ? 'utf-16le' : undefined;
          const decoded = asUtf16 ? new TextDecoder(asUtf16).decode(file) : file.toString('utf8').replace(/^\ufeff/, '');
          const binary = !asUtf16 && file.subarray(0, 8000).includes(0);
          const expected = binary ? [] : detect(decoded).map((m) => ({ line: m.line, column: m.column, endColumn: m.endColumn }));

          const found = (await scanBytes(file, windowBytes)).map(({ line, column, endColumn }) => ({ line, column, endColumn }));

          expect(found).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });
});
