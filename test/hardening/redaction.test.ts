import { describe, expect, it } from 'vitest';
import { redactText } from '../../src/findings.js';
import { tempRepos } from '../git/repo.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

const { repo } = tempRepos();

/** What a key looks like redacted: prefix, 4 characters, ellipsis, last 3. */
const masked = (key: string): string => `${key.slice(0, key.indexOf('_', 3) + 1)}${bodyOf(key).slice(0, 4)}…${key.slice(-3)}`;

// One redactor (src/findings.ts redactText) for everything that leaves keyguard: the scanner's
// reports and errors, and the mock's journal and problem bodies (test/mock-server/contract.ts).
describe('redactText masks every key-shaped run', () => {
  it('wherever it sits: glued to a word, a digit or an underscore, or after a prefix too short to be a key', () => {
    const key = fakeKey('test');
    for (const before of ['', 'x', '9', 'key_', 'sk_test_', 'sk_test_ab', 'sk_live_sk_']) {
      expect(redactText(`(${before}${key}.)`)).toBe(`(${before}${masked(key)}.)`);
    }
  });

  it('split across path segments, as one key, while a segment is too short to be one; the path after a key stays', () => {
    const key = fakeKey('live');
    const body = bodyOf(key);
    expect(redactText(`/v1/keys/sk_live_${body.slice(0, 10)}/${body.slice(10)}/regenerate`)).toBe(`/v1/keys/${masked(key)}/regenerate`);
    expect(redactText(`/v1/keys/sk_live_${body.slice(0, 4)}/${body.slice(4, 9)}/${body.slice(9)}`)).toBe(`/v1/keys/${masked(key)}`);
    expect(redactText(`/v1/keys/${key}/regenerate/`)).toBe(`/v1/keys/${masked(key)}/regenerate/`);
  });

  it('placeholders too (text that echoes what anyone sent is no place to judge), but not runs shorter than a key', () => {
    expect(redactText('use sk_test_xxxxxxxxxxxxxxxxxxxxxxxx here')).toBe('use sk_test_xxxx…xxx here');
    const short = 'sk_test_abc sk_live_0123456789abcde sk_sandbox_';
    expect(redactText(short)).toBe(short);
  });

  it('every key of a text, and nothing else', () => {
    const [a, b] = [fakeKey('sandbox'), fakeKey('test', 60)];
    expect(redactText(`${a},${b}\n${a}`)).toBe(`${masked(a)},${masked(b)}\n${masked(a)}`);
  });
});

describe("the scanner's reports use it", () => {
  it('a key glued into a file name is masked in the path of every format', async () => {
    const r = repo();
    const inName = fakeKey('live');
    r.write(`backups/prod_${inName}.txt`, `token = "${fakeKey('live')}"\n`);
    for (const format of ['text', 'json', 'sarif']) {
      const outcome = await r.keyguard('scan', '--format', format);
      expect(outcome.exitCode).toBe(1);
      // SARIF writes the path as a URI, the ellipsis percent-encoded.
      expect(outcome.stdout).toContain(format === 'sarif' ? `prod_${encodeURI(masked(inName))}.txt` : `prod_${masked(inName)}.txt`);
      expect(outcome.stdout + outcome.stderr).not.toContain(bodyOf(inName).slice(0, 16));
    }
  });
});
