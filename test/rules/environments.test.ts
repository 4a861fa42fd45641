import { ESLint } from 'eslint';
import plugin from 'keyguard/eslint';
import { describe, expect, it } from 'vitest';
import { prefixOf, PUBLISHED_EXAMPLE_KEYS } from '../../src/detect/index.js';
import { redact } from '../../src/findings.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

const live = fakeKey('live');
const test = fakeKey('test');
const example = prefixOf('test') + (PUBLISHED_EXAMPLE_KEYS[0]?.body as string);

/** Lints `code` as the file at `path` through ESLint's API, with the recommended config and then `rule` for no-hardcoded-keys when given. */
async function lint(path: string, code: string, options?: object) {
  const eslint = new ESLint({
    cwd: import.meta.dirname,
    overrideConfigFile: true,
    overrideConfig: [...plugin.configs.recommended, ...(options ? [{ rules: { 'keyguard/no-hardcoded-keys': ['error', options] as ['error', object] } }] : [])],
  });
  const [result] = await eslint.lintText(code, { filePath: `${import.meta.dirname}/${path}` });
  const messages = result?.messages ?? [];
  expect(JSON.stringify(messages)).not.toContain(bodyOf(live));
  return messages.map(({ ruleId, severity, message, line, column }) => ({ ruleId, severity, message, line, column }));
}

const inTest = (key: string) => expect.stringMatching(new RegExp(`^Live API key ${redact(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} in a test file, which should hold test or sandbox keys`));

describe('no-hardcoded-keys wrongEnvironment: a live key in a test file, only when configured to', () => {
  const code = `export const keys = ['${live}', '${test}'];\n`;

  it('off by default: a live key in a test file is reported as any hardcoded key', async () => {
    const messages = await lint('test/pay.test.js', code);
    expect(messages.map((m) => m.message)).toEqual([expect.stringMatching(/^Hardcoded live API key/), expect.stringMatching(/^Hardcoded test API key/)]);
  });

  it("on: the live key's report names both environments, for each of keyguard scan's default kinds of test file; the test key is reported as before", async () => {
    for (const path of ['test/pay.js', 'src/pay.test.ts', 'src/__tests__/pay.js', 'e2e/checkout.spec.js', 'fixtures/keys.js']) {
      const messages = await lint(path, code, { wrongEnvironment: true });
      expect(messages, path).toEqual([
        { ruleId: 'keyguard/no-hardcoded-keys', severity: 2, message: inTest(live), line: 1, column: 23 },
        expect.objectContaining({ message: expect.stringMatching(/^Hardcoded test API key/) }),
      ]);
    }
  });

  it('on: a live key outside test files is reported as any hardcoded key', async () => {
    const messages = await lint('src/pay.js', code, { wrongEnvironment: true });
    expect(messages[0]?.message).toMatch(/^Hardcoded live API key/);
  });

  it('testFiles replaces the default globs', async () => {
    const options = { wrongEnvironment: true, testFiles: ['qa'] };
    expect((await lint('qa/pay.js', code, options))[0]?.message).toEqual(inTest(live));
    expect((await lint('test/pay.test.js', code, options))[0]?.message).toMatch(/^Hardcoded live API key/);
  });

  it('a bad testFiles glob names the option', async () => {
    await expect(lint('test/a.js', code, { wrongEnvironment: true, testFiles: ['!x'] })).rejects.toThrow(/keyguard\/no-hardcoded-keys: testFiles\[0\]: bad glob "!x"/);
  });
});

describe("published example keys: keyguard scan's published-example-key in the editor", () => {
  it('no-published-example-keys warns about them (the recommended severity); no-hardcoded-keys does not report them', async () => {
    const messages = await lint('src/pay.js', `const demo = '${example}';\nconst mine = '${test}';\n`);
    expect(messages).toEqual([
      {
        ruleId: 'keyguard/no-published-example-keys',
        severity: 1,
        message: `Published example test API key ${redact(example)} from Stripe's API reference: no one's secret, but a shared demo account where whatever is sent with it is visible to everyone using it. Use your own test key, read from the environment.`,
        line: 1,
        column: 15,
      },
      expect.objectContaining({ ruleId: 'keyguard/no-hardcoded-keys', severity: 2, line: 2 }),
    ]);
  });

  it('keyguard-ignore silences it as it silences the scan', async () => {
    expect(await lint('src/pay.js', `const demo = '${example}'; // keyguard-ignore\n`)).toEqual([]);
  });
});
