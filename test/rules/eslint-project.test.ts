import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ESLint as ESLint9 } from 'eslint';
import { ESLint as ESLint10 } from 'eslint-v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redact } from '../../src/findings.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { readmeEslintConfig } from '../helpers/readme.js';

const root = join(import.meta.dirname, '../..');

// Made at test time: the project on disk holds keys, the repository never does.
const live = fakeKey('live');
const ignoredLive = fakeKey('live');
const leakedInTest = fakeKey('live');
const sandbox = fakeKey('sandbox');
const test = fakeKey('test');
const allKeys = [live, ignoredLive, leakedInTest, sandbox, test];

/** The README's config as pasted, with the test-files block where its comment says other configs go. */
const config = readmeEslintConfig().replace(
  /^ *\/\/ …your other configs.*$/m,
  "  { files: ['**/*.test.*'], rules: { 'keyguard/no-hardcoded-keys': ['error', { allow: ['test'] }] } },",
);

/** A small Vite-style project (server code, browser code, a test) configured the way the README tells users to. */
const project: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'shop', private: true, type: 'module' }),
  'eslint.config.js': config,
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
  'src/main.ts': `const apiKey: string = '${live}';
export const tasks = fetch(\`\${import.meta.env.VITE_API_URL}/v1/tasks\`, { headers: { Authorization: \`Bearer \${apiKey}\` } });
`,
  'test/pay.test.js': `export const testKey = '${test}';
export const leaked = '${leakedInTest}';
`,
};

const HARDCODED = (keyType: string, key: string) =>
  `Hardcoded ${keyType} API key ${redact(key)}: anyone who can read this code can use it. Read it from the environment, and rotate it if it was ever committed.`;
const IN_BROWSER = (keyType: string, key: string) =>
  `Hardcoded ${keyType} API key ${redact(key)} in browser code: every visitor can read it, and an environment variable would be inlined into the bundle just the same. Call the API from server code that reads the key from its environment, and rotate the key if it was ever committed.`;

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
        `src/main.ts:1:25-1:${25 + live.length} ${rule}`,
        `src/pay.js:1:35-1:${35 + sandbox.length} ${rule}`,
        `src/pay.js:2:24-2:${24 + live.length} ${rule}`,
        `test/pay.test.js:2:24-2:${24 + leakedInTest.length} ${rule}`,
      ].sort(),
    );
  });

  it('names the key type and the redacted key in every message', () => {
    expect(messagesOf('src/pay.js').map((m) => m.message)).toEqual([HARDCODED('sandbox', sandbox), HARDCODED('live', live)]);
    expect(messagesOf('src/client.ts').map((m) => m.message)).toEqual([HARDCODED('sandbox', sandbox)]);
  });

  it('says a key in browser code has no safe place there: components and files that read import.meta.env', () => {
    expect(messagesOf('src/App.tsx').map((m) => m.message)).toEqual([IN_BROWSER('live', live), IN_BROWSER('test', test)]);
    expect(messagesOf('src/main.ts').map((m) => m.message)).toEqual([IN_BROWSER('live', live)]);
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

  it('never suggests an env variable in browser code: the edit removes the key', () => {
    const [attribute, text] = messagesOf('src/App.tsx');
    expect(attribute?.suggestions?.map((s) => [s.desc, s.fix.text])).toEqual([
      ['Remove the key from browser code: call the API from a server route that reads the key from its environment.', '""'],
    ]);
    expect(text?.suggestions ?? []).toEqual([]);
    const suggested = JSON.stringify(results.filter((r) => /\.tsx$|main\.ts$/.test(r.filePath)).map((r) => r.messages));
    expect(suggested).not.toMatch(/process\.env|VITE_|NEXT_PUBLIC_/);
  });

  it('leaves a Vite entry that tsc -b accepts once the browser edit is applied; process.env would not compile there', async () => {
    const source = await readFile(join(dir, 'src/main.ts'), 'utf8');
    const [message] = messagesOf('src/main.ts');
    const { range, text } = message!.suggestions![0]!.fix;
    const apply = (replacement: string) => source.slice(0, range[0]) + replacement + source.slice(range[1]);

    expect(await browserTypeErrors(apply(text))).toEqual([]);
    expect(await browserTypeErrors(apply('process.env.API_KEY'))).toEqual([expect.stringMatching(/^TS25\d\d: Cannot find name 'process'\./)]);
  });
});

/**
 * tsc's errors for `source` as src/main.ts of a Vite app: a browser program (DOM lib, no Node
 * types), with `import.meta.env` typed as vite/client types it.
 */
const typeChecked = new Map<string, Promise<string[]>>();
function browserTypeErrors(source: string): Promise<string[]> {
  // Both ESLint majors offer the same edit: type-check each text once (a DOM program takes seconds).
  let errors = typeChecked.get(source);
  if (!errors) typeChecked.set(source, (errors = typeCheck(source)));
  return errors;
}

async function typeCheck(source: string): Promise<string[]> {
  const { default: ts } = await import('typescript');
  const dir = await mkdtemp(join(tmpdir(), 'keyguard-vite-'));
  try {
    await writeFile(join(dir, 'main.ts'), source);
    await writeFile(join(dir, 'env.d.ts'), 'interface ImportMeta { readonly env: Record<string, string> }\n');
    const program = ts.createProgram([join(dir, 'main.ts'), join(dir, 'env.d.ts')], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      strict: true,
      noEmit: true,
    });
    return ts.getPreEmitDiagnostics(program).map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
