import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/index.js';
import { mayHoldKey } from '../../src/detect/prefilter.js';
import { scan } from '../../src/scan.js';
import { readFragments, WINDOW_BYTES } from '../../src/sources/read.js';
import type { Source } from '../../src/sources/source.js';
import { fakeKey } from '../helpers/keys.js';

const dir = mkdtempSync(join(tmpdir(), 'keyguard-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${files++}.txt`);
  writeFileSync(path, content);
  return path;
}

/** Where scan() puts the keys of one file read through a window of `windowBytes`. */
async function positions(content: string | Buffer, windowBytes = WINDOW_BYTES): Promise<Array<[number, number, number?]>> {
  const path = file(content);
  const source: Source = {
    async *read(stats) {
      const outcome = yield* readFragments(path, 'f.txt', Buffer.alloc(windowBytes));
      if (outcome.kind === 'text') stats.files++;
    },
  };
  const { findings } = await scan({ cwd: dir, source });
  return findings.map((finding) => [finding.line, finding.column, finding.endColumn]);
}

/** Where the detector puts the keys of the whole text at once: what windowed reading must reproduce. */
function expected(text: string): Array<[number, number, number?]> {
  return detect(text).map((match) => [match.line, match.column, match.endColumn]);
}

describe('reading a file in windows finds exactly what the detector finds in the whole text', () => {
  const body = fc.stringMatching(/^[A-Za-z0-9]{16,40}$/);
  const token = fc.oneof(
    body.map((b) => `sk_live_${b}`),
    body.map((b) => `sk_test_${b}`),
    fc.constantFrom('task_', 'sk_', 'value', ' ', ' ', '"', '=', ':', 'é', '日本', '😀', '\t', ' // keyguard-ignore'),
  );
  const line = fc.array(token, { maxLength: 8 }).map((tokens) => tokens.join(''));
  const longestWordRun = (text: string): number => Math.max(0, ...(text.match(/[A-Za-z0-9_]+/g) ?? []).map((run) => run.length));

  it('when windows end at line breaks, with ignore comments on either side of a cut', async () => {
    const text = fc.array(fc.oneof(line, fc.constant('# keyguard-ignore-next-line')), { maxLength: 60 }).map((lines) => lines.join('\n'));
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 256, max: 1024 }), fc.boolean(), async (content, windowBytes, crlf) => {
        const withBreaks = crlf ? content.replace(/\n/g, '\r\n') : content;
        fc.pre(withBreaks.split('\n').every((l) => Buffer.byteLength(l) < windowBytes - 2));
        expect(await positions(withBreaks, windowBytes)).toEqual(expected(withBreaks));
      }),
      { numRuns: 150 },
    );
  });

  it('when one line is longer than the window, so windows end mid-line', async () => {
    const text = fc.array(token, { maxLength: 200 }).map((tokens) => tokens.join('').replace(/keyguard-ignore/g, ''));
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 96, max: 400 }), async (content, windowBytes) => {
        fc.pre(longestWordRun(content) < windowBytes - 8);
        expect(await positions(content, windowBytes)).toEqual(expected(content));
      }),
      { numRuns: 150 },
    );
  });
});

describe('reading files', () => {
  it('finds keys on both sides of every window boundary of a file several windows long', async () => {
    const keys = [fakeKey('live'), fakeKey('sandbox'), fakeKey('test')];
    const filler = `${'const value = compute(task_id, disk_usage);\n'.repeat(WINDOW_BYTES / 44)}`;
    const text = `${keys[0]}\n${filler}x = "${keys[1]}"\n${filler}${filler}y = '${keys[2]}'`;

    expect(await positions(text)).toEqual(expected(text));
    expect((await positions(text)).length).toBe(3);
  });

  it('gives the right column for a key at the end of a line longer than the window, after multi-byte characters', async () => {
    const key = fakeKey('live');
    const text = `first line\n${'é 日本 😀 '.repeat(WINDOW_BYTES / 8)}key=${key} tail\n`;

    const [found] = await positions(text);

    expect(found).toEqual(expected(text)[0]);
    expect(found?.[0]).toBe(2);
  });

  it('does not take a prefix in the middle of a word longer than the window for a key', async () => {
    const text = `${'a'.repeat(WINDOW_BYTES)}${fakeKey('live')} and ${fakeKey('test')}`;

    expect(await positions(text)).toEqual([[1, WINDOW_BYTES + 46, WINDOW_BYTES + 46 + 40]]);
  });

  it('counts columns after a UTF-8 byte order mark as editors do, from the first character', async () => {
    const key = fakeKey('live');

    expect(await positions(`\ufeffk=${key}\n`)).toEqual([[1, 3, 3 + key.length]]);
  });

  it('skips a file with a NUL byte in its first 8 KB as binary', async () => {
    const path = file(Buffer.concat([Buffer.from('GIF89a'), Buffer.from([0]), Buffer.from(`\n${fakeKey('live')}\n`)]));

    const reading = readFragments(path, 'f.bin', Buffer.alloc(WINDOW_BYTES));

    expect(reading.next()).toEqual({ done: true, value: { kind: 'binary' } });
  });

  it('hands over only pieces that may hold a key, each at most a window long', () => {
    const key = fakeKey('live');
    const chunk = `${'x'.repeat(1000)}\n`;
    const path = file(`${chunk.repeat(100)}${key}\n${chunk.repeat(100)}`);

    const pieces = [...readFragments(path, 'f.txt', Buffer.alloc(4096))];

    expect(pieces).toHaveLength(1);
    expect(pieces[0]?.text.length).toBeLessThanOrEqual(4096);
    expect(pieces[0]?.text).toContain(key);
  });
});

describe('the byte prefilter', () => {
  const at = (text: string): boolean => mayHoldKey(Buffer.from(text), 0, Buffer.byteLength(text));

  it('passes text with a prefix at a word boundary', () => {
    expect(at(`x = "${fakeKey('live')}"`)).toBe(true);
    expect(at('sk_sandbox_')).toBe(true);
    expect(at('(sk_test_')).toBe(true);
  });

  it('stops ordinary code that only contains sk_ inside words or other prefixes', () => {
    expect(at('const task_id = disk_usage + mask_value;')).toBe(false);
    expect(at('task_test_Zq8Rm2Kp7Lx4Wn9Tv3Hs6J')).toBe(false);
    expect(at('sk_prod_123 sk_ sk_liv')).toBe(false);
  });

  it('looks only inside the byte range it is given', () => {
    const bytes = Buffer.from(`abc sk_live_ def`);
    expect(mayHoldKey(bytes, 0, 8)).toBe(false);
    expect(mayHoldKey(bytes, 4, bytes.length)).toBe(true);
  });
});
