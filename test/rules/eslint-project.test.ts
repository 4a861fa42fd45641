import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ESLint as ESLint9 } from 'eslint';
import { ESLint as ESLint10 } from 'eslint-v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact } from '../../src/findings.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

const root = join(import.meta.dirname, '../..');

// Made at test time: the project on disk holds keys, the repository never does.
const live = fakeKey('live');
const ignoredLive = fakeKey('live');
const leakedInTest = fakeKey('live');
const sandbox = fakeKey('sandbox');
const test = fakeKey('test');
const allKeys = [live, ignoredLive, leakedInTest, sandbox, test];

/** A small project configured the way the README tells users to. */
const project: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'shop', private: true, type: 'module' }),
  'eslint.config.js': `import { defineConfig } from 'eslint/config';
import tsParser from '@typescript-eslint/parser';
import keyguard from 'keyguard/eslint';

export default defineConfig([
  keyguard.configs.recommended,
  { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tsParser } },
  { files: ['test/**'], rules: { 'keyguard/no-hardcoded-keys': ['error', { allow: ['test'] }] } },
]);
`,
  'src/pay.js': `// Old checkout key, still valid: ${sandbox}
export const apiKey = '${live}';
export const docsExample = 'sk_live_xxxxxxxxxxxxxxxx';
export const legacy = '${ignoredLive}'; // keyguard-ignore
`,
  'src/client.ts': `export interface Client { baseUrl: string; key: string }
export const client: Client = {
  baseUrl: 'https://api.example.com/v1',
  key: \`${sandbox}\`,
};
export const header = (c: Client): string => \`Bearer \${c.key}\`;
`,
  'src/App.tsx': `export function App({ user }: { user: string }) {
  return (
    <Checkout apiKey="${live}" user={user}>
      Pay as {user}. Support uses ${test}
    </Checkout>
  );
}
`,
  'test/pay.test.js': `export const testKey = '${test}';
export const leaked = '${leakedInTest}';
`,
};

const HARDCODED = (keyType: string, key: string) =>
  `Hardcoded ${keyType} API key ${redact(key)}: anyone who can read this code can use it. Read it from the environment, and rotate it if it was ever committed.`;

interface Message {
  ruleId: string | null;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fix?: unknown;
  suggestions?: Array<{ desc: string; fix: { range: [number, number]; text: string } }>;
}
interface Result {
  filePath: string;
  messages: Message[];
}

/** Symlinks `target` as node_modules/<name>: this checkout is installed as `keyguard`. */
async function install(dir: string, name: string, target: string): Promise<void> {
  const at = join(dir, 'node_modules', name);
  await mkdir(dirname(at), { recursive: true });
  await symlink(target, at, 'dir');
}

// Both supported majors of the peer dependency; eslint-v10 is an npm alias of eslint@10.
const majors = [
  {
    name: 'ESLint 9',
    pkg: 'eslint',
    version: ESLint9.version,
    lint: (cwd: string): Promise<Result[]> => new ESLint9({ cwd }).lintFiles(['.']),
  },
  {
    name: 'ESLint 10',
    pkg: 'eslint-v10',
    version: ESLint10.version,
    lint: (cwd: string): Promise<Result[]> => new ESLint10({ cwd }).lintFiles(['.']),
  },
];

it('tests both ESLint majors of the peer range', () => {
  expect(majors.map((m) => m.version.split('.')[0])).toEqual(['9', '10']);
});

describe.each(majors)('a project linted by $name with keyguard.configs.recommended', ({ pkg, lint }) => {
  let dir: string;
  let results: Result[];
  const messagesOf = (file: string) => results.find((r) => relative(dir, r.filePath) === file)?.messages ?? [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keyguard-eslint-'));
    for (const [file, text] of Object.entries(project)) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), text);
    }
    await install(dir, 'keyguard', root);
    await install(dir, 'eslint', join(root, 'node_modules', pkg));
    await install(dir, '@typescript-eslint/parser', join(root, 'node_modules/@typescript-eslint/parser'));
    results = await lint(dir);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lints the JS, TS and TSX files and reports each key where it is', () => {
    const found = results.flatMap((r) =>
      r.messages.map((m) => `${relative(dir, r.filePath)}:${m.line}:${m.column}-${m.endLine}:${m.endColumn} ${m.ruleId}`),
    );
    const rule = 'keyguard/no-hardcoded-keys';
    expect(found.sort()).toEqual(
      [
        `src/App.tsx:3:23-3:${23 + live.length} ${rule}`,
        `src/App.tsx:4:35-4:${35 + test.length} ${rule}`,
        `src/client.ts:4:9-4:${9 + sandbox.length} ${rule}`,
        `src/pay.js:1:35-1:${35 + sandbox.length} ${rule}`,
        `src/pay.js:2:24-2:${24 + live.length} ${rule}`,
        `test/pay.test.js:2:24-2:${24 + leakedInTest.length} ${rule}`,
      ].sort(),
    );
  });

  it('names the key type and the redacted key in every message', () => {
    expect(messagesOf('src/pay.js').map((m) => m.message)).toEqual([HARDCODED('sandbox', sandbox), HARDCODED('live', live)]);
    expect(messagesOf('src/App.tsx').map((m) => m.message)).toEqual([HARDCODED('live', live), HARDCODED('test', test)]);
  });

  it('never puts a full key in a message or suggestion', () => {
    const reported = JSON.stringify(results.map((r) => r.messages));
    for (const key of allKeys) expect(reported).not.toContain(bodyOf(key));
  });

  it('lets test files hold test keys through a flat-config block, but not live ones', () => {
    expect(messagesOf('test/pay.test.js').map((m) => m.message)).toEqual([HARDCODED('live', leakedInTest)]);
  });

  it('offers process.env as a suggestion, never as an autofix', async () => {
    const source = await readFile(join(dir, 'src/pay.js'), 'utf8');
    const [, literal] = messagesOf('src/pay.js');
    expect(literal?.fix).toBeUndefined();
    const [suggestion] = literal?.suggestions ?? [];
    expect(suggestion?.desc).toBe('Read the key from process.env.API_KEY instead.');
    const { range, text } = suggestion!.fix;
    const fixed = source.slice(0, range[0]) + text + source.slice(range[1]);
    expect(fixed.split('\n')[1]).toBe('export const apiKey = process.env.API_KEY;');
  });

  it('wraps the suggestion in braces for a JSX attribute', () => {
    const [attribute, text] = messagesOf('src/App.tsx');
    expect(attribute?.suggestions?.map((s) => s.fix.text)).toEqual(['{process.env.API_KEY}']);
    expect(text?.suggestions ?? []).toEqual([]);
  });
});
