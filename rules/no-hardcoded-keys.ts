import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { DEFAULT_ENVIRONMENTS } from '../src/config/environments.js';
import { KEY_TYPES, type KeyMatch, type KeyType } from '../src/detect/index.js';
import { redact } from '../src/findings.js';
import { BrowserCodeMarks } from './support/browser-code.js';
import { inFileGlobs } from './support/file-globs.js';
import { fileKeys } from './support/file-keys.js';
import { createRule } from './create-rule.js';

export interface RuleOptions {
  /** The variable the suggestion reads the key from in server code: `process.env.<envVar>`. */
  envVar?: string;
  /** Key types not reported, e.g. `['test']` in a flat-config block for test files. */
  allow?: KeyType[];
  /** Globs (relative to ESLint's working directory) of files a bundler sends to the browser. */
  clientFiles?: string[];
  /** Report a live key in a test file as a key in the wrong environment (default false: reported as any key). */
  wrongEnvironment?: boolean;
  /** Globs of test and development files for `wrongEnvironment`; default: `keyguard scan`'s default test globs. */
  testFiles?: string[];
}

type MessageIds = 'hardcodedKey' | 'hardcodedKeyInBrowser' | 'liveKeyInTestFile' | 'useEnvVar' | 'callFromServer';

/** Parents under which a string literal is syntax rather than a value, so `process.env.X` cannot replace it. */
const NOT_A_VALUE: ReadonlySet<string> = new Set([
  'ImportDeclaration',
  'ExportAllDeclaration',
  'ExportNamedDeclaration',
  'ImportSpecifier',
  'ExportSpecifier',
  'ImportAttribute',
  'TSLiteralType',
  'TSEnumMember',
  'TSModuleDeclaration',
  'TSExternalModuleReference',
]);

export default createRule<[RuleOptions], MessageIds>({
  name: 'no-hardcoded-keys',
  meta: {
    type: 'problem',
    docs: {
      description: `Disallow API keys (${KEY_TYPES.map((t) => t.prefix).join(', ')}) in strings, templates, JSX and comments`,
    },
    hasSuggestions: true,
    messages: {
      hardcodedKey:
        'Hardcoded {{keyType}} API key {{redacted}}: anyone who can read this code can use it. Read it from the environment, and rotate it if it was ever committed.',
      liveKeyInTestFile:
        'Live API key {{redacted}} in a test file, which should hold test or sandbox keys: a test run with it acts on a real account, and anyone who can read this code can use it. Use a test key read from the environment, and rotate this one if it was ever committed.',
      hardcodedKeyInBrowser:
        'Hardcoded {{keyType}} API key {{redacted}} in browser code: every visitor can read it, and an environment variable would be inlined into the bundle just the same. Call the API from server code that reads the key from its environment, and rotate the key if it was ever committed.',
      useEnvVar: 'Read the key from process.env.{{envVar}} instead.',
      callFromServer: 'Remove the key from browser code: call the API from a server route that reads the key from its environment.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          envVar: {
            type: 'string',
            pattern: '^[A-Za-z_$][A-Za-z0-9_$]*$',
            description: 'Environment variable the suggestion reads the key from (process.env.<envVar>).',
          },
          allow: {
            type: 'array',
            items: { type: 'string', enum: KEY_TYPES.map((t) => t.keyType) },
            uniqueItems: true,
            description: 'Key types not to report, such as test keys in test files.',
          },
          clientFiles: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            description: 'Globs of files that run in the browser, relative to the working directory: no process.env suggestion there.',
          },
          wrongEnvironment: {
            type: 'boolean',
            description: 'Report a live key in a test file as a key in the wrong environment, naming both environments.',
          },
          testFiles: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            description: "Globs of test and development files for wrongEnvironment, relative to the working directory (default: keyguard scan's).",
          },
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ envVar: 'API_KEY', allow: [], clientFiles: [], wrongEnvironment: false, testFiles: [...DEFAULT_ENVIRONMENTS.test] }],
  },
  create(context, [options]) {
    // meta.defaultOptions is merged under the user's options, so every field is set.
    const { envVar, allow, clientFiles, wrongEnvironment, testFiles } = options as Required<RuleOptions>;
    const { sourceCode } = context;
    // The scanner's own detector on the whole file, so the CLI and the editor agree on every key,
    // placeholder and keyguard-ignore comment. Most files hold no key: they get no listener at all.
    // A vendor's published example key is no one's secret: no-published-example-keys warns about it.
    const matches = fileKeys(sourceCode).filter((match) => !match.publishedIn && !allow.includes(match.keyType));
    if (matches.length === 0) return {};
    const inTestFile = wrongEnvironment && inFileGlobs(context.filename, context.cwd, testFiles, 'testFiles');

    // Whether the file runs in the browser is known only once it is read to the end (JSX or
    // import.meta.env may come after the key), so reports wait for Program:exit.
    const found: Array<{ match: KeyMatch; literal?: TSESTree.StringLiteral }> = [];
    const browser = new BrowserCodeMarks(context.filename, context.cwd, clientFiles);

    function report({ match, literal }: (typeof found)[number], inBrowser: boolean): void {
      const suggestion = literal?.value === match.key ? replacement(literal, inBrowser, envVar) : undefined;
      context.report({
        // ESLint's own offset → position, so the squiggle sits on the key in the editor.
        loc: { start: sourceCode.getLocFromIndex(match.start), end: sourceCode.getLocFromIndex(match.end) },
        messageId: inTestFile && match.keyType === 'live' ? 'liveKeyInTestFile' : inBrowser ? 'hardcodedKeyInBrowser' : 'hardcodedKey',
        data: { keyType: match.keyType, redacted: redact(match.key) },
        suggest: suggestion && [suggestion],
      });
    }

    return {
      Program(node) {
        browser.readDirectives(node);
        for (const comment of sourceCode.getAllComments()) {
          for (const match of within(matches, comment.range)) found.push({ match });
        }
      },
      Literal(node) {
        if (!isStringLiteral(node)) return;
        for (const match of within(matches, node.range)) found.push({ match, literal: node });
      },
      TemplateElement(node) {
        for (const match of within(matches, node.range)) found.push({ match });
      },
      JSXText(node) {
        for (const match of within(matches, node.range)) found.push({ match });
      },
      ImportDeclaration: (node) => browser.readImport(node.source.value),
      JSXElement: () => browser.sawJsx(),
      JSXFragment: () => browser.sawJsx(),
      MetaProperty: (node) => browser.readMetaProperty(node),
      'Program:exit'() {
        const inBrowser = browser.isBrowserCode();
        // Comments were collected first: report in source order, as ESLint users expect.
        found.sort((a, b) => a.match.start - b.match.start);
        for (const entry of found) report(entry, inBrowser);
      },
    };
  },
});

/**
 * The edit offered for a literal that is exactly a key, where a value may stand. Server code reads
 * it from `process.env.<envVar>`. Browser code has no safe place for a secret key (a public env
 * variable is inlined into the bundle, and `process` does not exist there, so tsc fails): the edit
 * removes the key, and the message says to call the API from the server.
 */
function replacement(literal: TSESTree.StringLiteral, inBrowser: boolean, envVar: string): TSESLint.SuggestionReportDescriptor<MessageIds> | undefined {
  const parent = literal.parent;
  const parentType: string = parent.type;
  if (NOT_A_VALUE.has(parentType)) return undefined;
  if ('key' in parent && parent.key === literal && !('computed' in parent && parent.computed)) return undefined;
  if (inBrowser) {
    const quote = literal.raw[0] ?? "'";
    return { messageId: 'callFromServer', fix: (fixer) => fixer.replaceText(literal, `${quote}${quote}`) };
  }
  const expression = `process.env.${envVar}`;
  const text = parentType === 'JSXAttribute' ? `{${expression}}` : expression;
  return { messageId: 'useEnvVar', data: { envVar }, fix: (fixer) => fixer.replaceText(literal, text) };
}

function isStringLiteral(node: TSESTree.Literal): node is TSESTree.StringLiteral {
  return typeof node.value === 'string';
}

/** The matches inside `[from, to)`. Matches come sorted and never overlap, so a binary search finds the first. */
function within(matches: readonly KeyMatch[], [from, to]: TSESTree.Range): KeyMatch[] {
  let low = 0;
  let high = matches.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((matches[mid] as KeyMatch).start < from) low = mid + 1;
    else high = mid;
  }
  const found: KeyMatch[] = [];
  for (let i = low; i < matches.length && (matches[i] as KeyMatch).end <= to; i++) found.push(matches[i] as KeyMatch);
  return found;
}
