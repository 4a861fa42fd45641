import { redact } from '../src/findings.js';
import { createRule } from './create-rule.js';
import { fileKeys } from './support/file-keys.js';

/**
 * `keyguard scan`'s `published-example-key` in the editor: keys vendors print in their
 * documentation (the short list in the key table), reported apart from leaked keys so that
 * `configs.recommended` can make them warnings, as the scan does.
 */
export default createRule<[], 'publishedExampleKey'>({
  name: 'no-published-example-keys',
  meta: {
    type: 'suggestion',
    docs: {
      description: "Warn about API keys vendors publish in their documentation (Stripe's API-reference test keys): a shared demo account, not your own key",
    },
    messages: {
      publishedExampleKey:
        "Published example {{keyType}} API key {{redacted}} from {{publishedIn}}: no one's secret, but a shared demo account where whatever is sent with it is visible to everyone using it. Use your own test key, read from the environment.",
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const { sourceCode } = context;
    const published = fileKeys(sourceCode).filter((match) => match.publishedIn);
    if (published.length === 0) return {};
    return {
      Program() {
        for (const match of published) {
          context.report({
            loc: { start: sourceCode.getLocFromIndex(match.start), end: sourceCode.getLocFromIndex(match.end) },
            messageId: 'publishedExampleKey',
            data: { keyType: match.keyType, redacted: redact(match.key), publishedIn: match.publishedIn as string },
          });
        }
      },
    };
  },
});
