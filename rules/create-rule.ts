// Types only: @typescript-eslint/utils is a devDependency. As a dependency it made npm install its
// peers, ESLint and TypeScript, into every project that installs keyguard (122 packages, 62 MB).
import type { RuleWithMetaAndName } from '@typescript-eslint/utils/eslint-utils';
import type { RuleModule } from '@typescript-eslint/utils/ts-eslint';

/** Where the rule pages (docs/rules/<name>.md) are published; `meta.docs.url` is built only here. */
const DOCS_BASE_URL = 'https://github.com/keyguard/keyguard/blob/main/docs/rules/';

/**
 * What typescript-eslint's `RuleCreator` does, without its runtime: the docs URL from the rule's
 * name, and `meta.defaultOptions` under the user's options for `create` (ESLint 9.15+ merges them
 * itself; ESLint 8.57 does not). Option objects are flat, so a shallow merge per option is the merge.
 */
export function createRule<Options extends readonly object[], MessageIds extends string>({
  name,
  meta,
  create,
}: Readonly<RuleWithMetaAndName<Options, MessageIds>>): RuleModule<MessageIds, Options> & { name: string } {
  const defaults: readonly object[] = meta.defaultOptions ?? [];
  return {
    name,
    meta: { ...meta, docs: { ...meta.docs, url: `${DOCS_BASE_URL}${name}.md` } },
    create(context) {
      const length = Math.max(defaults.length, context.options.length);
      const options = Array.from({ length }, (_, i) => ({ ...defaults[i], ...context.options[i] }));
      return create(context, options as unknown as Options);
    },
  };
}
