import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { detect, KEY_TYPES, type KeyMatch, type KeyType } from '../src/detect/index.js';
import { redact } from '../src/findings.js';
import { createRule } from './create-rule.js';

export interface RuleOptions {
  /** The variable the suggestion reads the key from: `process.env.<envVar>`. */
  envVar?: string;
  /** Key types not reported, e.g. `['test']` in a flat-config block for test files. */
  allow?: KeyType[];
}

type MessageIds = 'hardcodedKey' | 'useEnvVar';

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
      useEnvVar: 'Read the key from process.env.{{envVar}} instead.',
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
        },
        additionalProperties: false,
      },
    ],
    defaultOptions: [{ envVar: 'API_KEY', allow: [] }],
  },
  create(context, [options]) {
    // meta.defaultOptions is merged under the user's options, so both fields are set.
    const { envVar, allow } = options as Required<RuleOptions>;
    const { sourceCode } = context;
    // The scanner's own detector on the whole file, so the CLI and the editor agree on every key,
    // placeholder and keyguard-ignore comment. Most files hold no key: they get no listener at all.
    const matches = detect(sourceCode.text).filter((match) => !allow.includes(match.keyType));
    if (matches.length === 0) return {};

    function report(match: KeyMatch, literal?: TSESTree.StringLiteral): void {
      context.report({
        // ESLint's own offset → position, so the squiggle sits on the key in the editor.
        loc: { start: sourceCode.getLocFromIndex(match.start), end: sourceCode.getLocFromIndex(match.end) },
        messageId: 'hardcodedKey',
        data: { keyType: match.keyType, redacted: redact(match.key) },
        suggest: literal?.value === match.key ? envVarSuggestion(literal, envVar) : undefined,
      });
    }

    return {
      Program() {
        for (const comment of sourceCode.getAllComments()) {
          for (const match of within(matches, comment.range)) report(match);
        }
      },
      Literal(node) {
        if (!isStringLiteral(node)) return;
        for (const match of within(matches, node.range)) report(match, node);
      },
      TemplateElement(node) {
        for (const match of within(matches, node.range)) report(match);
      },
      JSXText(node) {
        for (const match of within(matches, node.range)) report(match);
      },
    };
  },
});

/** Replaces a literal that is exactly a key with `process.env.<envVar>`, where a value may stand. */
function envVarSuggestion(
  literal: TSESTree.StringLiteral,
  envVar: string,
): TSESLint.SuggestionReportDescriptor<MessageIds>[] | undefined {
  const parent = literal.parent;
  const parentType: string = parent.type;
  if (NOT_A_VALUE.has(parentType)) return undefined;
  if ('key' in parent && parent.key === literal && !('computed' in parent && parent.computed)) return undefined;
  const expression = `process.env.${envVar}`;
  const replacement = parentType === 'JSXAttribute' ? `{${expression}}` : expression;
  return [{ messageId: 'useEnvVar', data: { envVar }, fix: (fixer) => fixer.replaceText(literal, replacement) }];
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
