import { createRequire } from 'node:module';
import { RuleTester, type InvalidTestCase, type ValidTestCase } from '@typescript-eslint/rule-tester';
import type { Parser } from '@typescript-eslint/utils/ts-eslint';
import { afterAll, describe, it } from 'vitest';
import rule, { type RuleOptions } from '../../rules/no-hardcoded-keys.js';
import { redact } from '../../src/findings.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

// ESLint's default parser ships without type declarations.
const espree = createRequire(import.meta.url)('espree') as Parser.LooseParserModule;

type MessageIds = 'hardcodedKey' | 'hardcodedKeyInBrowser' | 'useEnvVar' | 'callFromServer';
type Valid = ValidTestCase<[RuleOptions]>;
type Invalid = InvalidTestCase<MessageIds, [RuleOptions]>;

// Keys are made at test time: no real-looking key is ever committed.
const live = fakeKey('live');
const sandbox = fakeKey('sandbox');
const test = fakeKey('test');
const JSX_FILE = 'component.tsx';

/** The expected report for `key` starting at 1-based `line`/`column`, on one line. */
function keyAt(
  key: string,
  line: number,
  column: number,
  suggestions: Invalid['errors'][number]['suggestions'] = null,
  messageId: 'hardcodedKey' | 'hardcodedKeyInBrowser' = 'hardcodedKey',
) {
  const keyType = key.startsWith('sk_live_') ? 'live' : key.startsWith('sk_sandbox_') ? 'sandbox' : 'test';
  return {
    messageId,
    data: { keyType, redacted: redact(key) },
    line,
    column,
    endLine: line,
    endColumn: column + key.length,
    suggestions,
  };
}

function useEnv(output: string, envVar = 'API_KEY') {
  return [{ messageId: 'useEnvVar' as const, data: { envVar }, output }];
}

/** In browser code: reported as such, and the only edit offered removes the key. */
function inBrowser(key: string, line: number, column: number, output?: string) {
  return keyAt(key, line, column, output === undefined ? null : [{ messageId: 'callFromServer' as const, output }], 'hardcodedKeyInBrowser');
}

const valid: Valid[] = [
  { name: 'reading the key from the environment is fine', code: 'const apiKey = process.env.API_KEY;' },
  { name: 'a repeated-character placeholder is not a key', code: "const k = 'sk_live_xxxxxxxxxxxxxxxx';" },
  { name: 'a YOUR_API_KEY placeholder is not a key', code: "const k = 'sk_live_YOUR_API_KEY';" },
  { name: 'an angle-bracket placeholder is not a key', code: 'const k = `sk_test_<your-key>`;' },
  { name: 'an abc123... placeholder in a comment is not a key', code: '// e.g. sk_live_abc123...' },
  { name: 'a sequence body is not a key', code: "const k = 'sk_live_abcdefghijklmnopqrstuvwxyz';" },
  { name: 'a body shorter than 16 characters is not a key', code: `const k = '${live.slice(0, 'sk_live_'.length + 15)}';` },
  { name: 'a prefix inside a longer word is not a key', code: `const k = 'task_test_${bodyOf(test)}';` },
  { name: 'a key on a line marked keyguard-ignore is not reported', code: `const k = '${live}'; // keyguard-ignore` },
  {
    name: 'a key under a keyguard-ignore-next-line comment is not reported',
    code: `// keyguard-ignore-next-line\nconst k = '${live}';`,
  },
  { name: 'allowed key types are not reported', code: `const k = '${test}';`, options: [{ allow: ['test'] }] },
  {
    name: 'allowing sandbox and test keys covers both',
    code: `const a = '${sandbox}';\n// ${test}`,
    options: [{ allow: ['sandbox', 'test'] }],
  },
  { name: 'JSX without keys is fine', code: '<Pay apiKey={process.env.API_KEY}>Pay now</Pay>;', filename: JSX_FILE },
];

const invalid: Invalid[] = [
  {
    name: 'a string literal that is exactly a key is reported with a process.env suggestion',
    code: `const apiKey = "${live}";`,
    errors: [keyAt(live, 1, 17, useEnv('const apiKey = process.env.API_KEY;'))],
  },
  {
    name: 'the envVar option names the variable in the suggestion',
    code: `pay('${sandbox}', 10);`,
    options: [{ envVar: 'PAYMENTS_KEY' }],
    errors: [keyAt(sandbox, 1, 6, useEnv('pay(process.env.PAYMENTS_KEY, 10);', 'PAYMENTS_KEY'))],
  },
  {
    name: 'a key inside a longer string is reported at the key, without a suggestion',
    code: `fetch('https://api.example.com/v1?key=${live}&x=1');`,
    errors: [keyAt(live, 1, 39)],
  },
  {
    name: 'two keys in one string are both reported',
    code: `const both = '${live} ${test}';`,
    errors: [keyAt(live, 1, 15), keyAt(test, 1, 16 + live.length)],
  },
  {
    name: 'a key in a template literal part is reported at the key',
    code: `const auth = \`Bearer \${prefix}:${live}\`;`,
    errors: [keyAt(live, 1, 32)],
  },
  {
    name: 'a key on a later line of a multi-line template is reported on that line',
    code: `const config = \`\n  url=\${url}\n  key=${sandbox}\n\`;`,
    errors: [keyAt(sandbox, 3, 7)],
  },
  {
    name: 'a key in a line comment is reported',
    code: `// old key: ${live}\nconst k = 1;`,
    errors: [keyAt(live, 1, 13)],
  },
  {
    name: 'a key in a block comment is reported on its line',
    code: `/**\n * Call with ${test}\n */\nexport function call() {}`,
    errors: [keyAt(test, 2, 14)],
  },
  {
    name: 'a key as an object property value gets a suggestion',
    code: `const options = { apiKey: '${live}' };`,
    errors: [keyAt(live, 1, 28, useEnv('const options = { apiKey: process.env.API_KEY };'))],
  },
  {
    name: 'a key used as a property name is reported without a suggestion',
    code: `const owners = { '${live}': 'ops' };`,
    errors: [keyAt(live, 1, 19)],
  },
  {
    name: 'a computed property name that is a key gets a suggestion',
    code: `const owners = { ['${live}']: 'ops' };`,
    errors: [keyAt(live, 1, 20, useEnv("const owners = { [process.env.API_KEY]: 'ops' };"))],
  },
  {
    name: 'allowing test keys still reports live keys',
    code: `const a = '${test}';\nconst b = '${live}';`,
    options: [{ allow: ['test'] }],
    errors: [keyAt(live, 2, 12, useEnv(`const a = '${test}';\nconst b = process.env.API_KEY;`))],
  },
  {
    name: 'columns count UTF-16 code units, as editors do',
    code: `const é = { "naïve 🔑": "${live}" };`,
    errors: [keyAt(live, 1, 26, useEnv('const é = { "naïve 🔑": process.env.API_KEY };'))],
  },
  {
    name: 'CRLF line endings keep the line right',
    code: `first();\r\nconst k = '${live}';\r\n`,
    errors: [keyAt(live, 2, 12, useEnv('first();\r\nconst k = process.env.API_KEY;\r\n'))],
  },
  {
    name: 'only the unmarked line of two is reported',
    code: `const a = '${live}'; // keyguard-ignore\nconst b = '${sandbox}';`,
    errors: [keyAt(sandbox, 2, 12, useEnv(`const a = '${live}'; // keyguard-ignore\nconst b = process.env.API_KEY;`))],
  },
  {
    name: 'a key in JSX text is reported, as browser code',
    code: `const el = <p>Your key: ${live}</p>;`,
    filename: JSX_FILE,
    errors: [inBrowser(live, 1, 25)],
  },
  {
    name: 'a JSX attribute value that is a key, in a component, gets the edit that removes it',
    code: `const el = <Pay apiKey="${live}" />;`,
    filename: JSX_FILE,
    errors: [inBrowser(live, 1, 25, 'const el = <Pay apiKey="" />;')],
  },
  {
    name: 'a JSX attribute value in server-only code gets a braced process.env suggestion',
    code: `import 'server-only';\nconst email = <Receipt apiKey="${live}" />;`,
    filename: JSX_FILE,
    errors: [keyAt(live, 2, 32, useEnv("import 'server-only';\nconst email = <Receipt apiKey={process.env.API_KEY} />;"))],
  },
  {
    name: 'a key inside a longer JSX attribute value is reported at the key',
    code: `const el = <img src="https://cdn.example.com/i.png?key=${test}" />;`,
    filename: JSX_FILE,
    errors: [inBrowser(test, 1, 56)],
  },
  {
    name: 'a key in a JSX comment is reported',
    code: `const el = <div>{/* ${sandbox} */}</div>;`,
    filename: JSX_FILE,
    errors: [inBrowser(sandbox, 1, 21)],
  },
];

/**
 * Browser code (issue 16): a bundler sends these files to the browser, where a secret key has no
 * safe place and `process` does not exist. Never a process.env or public env variable there.
 */
const browserCode: Invalid[] = [
  {
    name: 'a .jsx component is browser code',
    code: `export const key = '${live}';`,
    filename: 'src/Pay.jsx',
    errors: [inBrowser(live, 1, 21, "export const key = '';")],
  },
  {
    name: 'a .js file with JSX in it is browser code, even when the JSX comes after the key',
    code: `const key = "${live}";\nexport const Pay = () => <button data-key={key} />;`,
    filename: 'src/pay.js',
    errors: [inBrowser(live, 1, 14, 'const key = "";\nexport const Pay = () => <button data-key={key} />;')],
  },
  {
    name: 'a file that reads import.meta.env is browser code (Vite), wherever the read is',
    code: `const key = '${live}';\nexport const base = import.meta.env.VITE_API_URL;`,
    filename: 'src/api.js',
    errors: [inBrowser(live, 1, 14, "const key = '';\nexport const base = import.meta.env.VITE_API_URL;")],
  },
  {
    name: "a 'use client' file is browser code (Next.js)",
    code: `'use client';\nexport const key = '${live}';`,
    filename: 'app/checkout.js',
    errors: [inBrowser(live, 2, 21, "'use client';\nexport const key = '';")],
  },
  {
    name: 'a file under the clientFiles globs is browser code',
    code: `export const key = '${live}';`,
    filename: 'src/client/api.js',
    options: [{ clientFiles: ['src/client'] }],
    errors: [inBrowser(live, 1, 21, "export const key = '';")],
  },
  {
    name: 'a clientFiles glob without a slash matches at any depth',
    code: `export const key = '${live}';`,
    filename: 'packages/web/api.client.js',
    options: [{ clientFiles: ['*.client.js'] }],
    errors: [inBrowser(live, 1, 21, "export const key = '';")],
  },
  {
    name: 'a file outside the clientFiles globs is server code: process.env',
    code: `export const key = '${live}';`,
    filename: 'src/server/api.js',
    options: [{ clientFiles: ['src/client/**'] }],
    errors: [keyAt(live, 1, 21, useEnv('export const key = process.env.API_KEY;'))],
  },
  {
    name: 'import.meta.url alone is not browser code',
    code: `export const key = '${live}';\nexport const here = import.meta.url;`,
    filename: 'scripts/seed.js',
    errors: [keyAt(live, 1, 21, useEnv('export const key = process.env.API_KEY;\nexport const here = import.meta.url;'))],
  },
  {
    name: "a 'use server' directive wins over JSX: server actions run on the server",
    code: `'use server';\nexport const key = '${live}';\nexport const Form = () => <form />;`,
    filename: JSX_FILE,
    errors: [keyAt(live, 2, 21, useEnv("'use server';\nexport const key = process.env.API_KEY;\nexport const Form = () => <form />;"))],
  },
  {
    name: 'a key inside a longer string in browser code is reported as browser code, with no edit',
    code: `fetch('https://api.example.com/v1?key=${test}');`,
    filename: JSX_FILE,
    errors: [inBrowser(test, 1, 39)],
  },
];

/** Syntax only TypeScript has: the key is reported, and no suggestion breaks the types. */
const typescriptOnly: Invalid[] = [
  {
    name: 'a key as a string literal type is reported without a suggestion',
    code: `type Key = '${live}';`,
    errors: [keyAt(live, 1, 13)],
  },
  {
    name: 'a key as an enum member value is reported without a suggestion',
    code: `enum Keys { Live = '${live}' }`,
    errors: [keyAt(live, 1, 21)],
  },
  {
    name: 'a key in a typed declaration gets a suggestion',
    code: `const apiKey: string = '${live}';`,
    errors: [keyAt(live, 1, 25, useEnv('const apiKey: string = process.env.API_KEY;'))],
  },
  {
    name: 'a key in a TSX attribute of a generic component gets the edit that removes it',
    code: `const el = <Pay<string> apiKey='${live}' />;`,
    filename: JSX_FILE,
    errors: [inBrowser(live, 1, 33, "const el = <Pay<string> apiKey='' />;")],
  },
  {
    name: 'a typed declaration in a .ts file that reads import.meta.env is browser code',
    code: `const apiKey: string = '${live}';\nconst mode: string = import.meta.env.MODE;`,
    filename: 'src/main.ts',
    errors: [inBrowser(live, 1, 25, "const apiKey: string = '';\nconst mode: string = import.meta.env.MODE;")],
  },
];

const jsx = { parserOptions: { ecmaFeatures: { jsx: true } } };

/** Cases that name no file are server code: typescript-eslint's tester would call them react.tsx. */
const onServer = <T extends { filename?: string }>(cases: T[]): T[] => cases.map((c) => ({ filename: 'src/api.ts', ...c }));

// rule-tester 8.72 bundles its own copy of @typescript-eslint/utils' types, which TypeScript will not
// unify with the plugin's 8.73 ones; the explicit type arguments still check every case.
const testedRule = rule as never;

describe('with the typescript-eslint parser', () => {
  new RuleTester({ languageOptions: jsx }).run<MessageIds, [RuleOptions]>('no-hardcoded-keys', testedRule, {
    valid: onServer(valid),
    invalid: onServer([...invalid, ...browserCode, ...typescriptOnly]),
  });
});

describe("with ESLint's default parser (espree)", () => {
  new RuleTester({ languageOptions: { parser: espree, ...jsx } }).run<MessageIds, [RuleOptions]>(
    'no-hardcoded-keys',
    testedRule,
    { valid: onServer(valid), invalid: onServer([...invalid, ...browserCode]) },
  );
});
