import { createRequire } from 'node:module';
import type { Linter } from 'eslint';

const require = createRequire(import.meta.url);
const PARSER = '@typescript-eslint/parser';

/**
 * `@typescript-eslint/parser` when the project has it (found from keyguard's own place, as an
 * import here would find it: hoisted by npm and yarn, linked by pnpm as an optional peer), else
 * undefined, so a JavaScript project is never told to install TypeScript. Loaded on the first
 * TypeScript file, not here: it brings TypeScript along (seconds on a loaded machine), which a
 * lint run over .js files alone must not pay.
 */
export function typescriptParser(): Linter.Parser | undefined {
  let version: string;
  try {
    ({ version } = require(`${PARSER}/package.json`) as { version: string });
  } catch {
    return undefined;
  }
  let parser: Linter.Parser | undefined;
  const load = (): Linter.Parser => (parser ??= require(PARSER) as Linter.Parser);
  return {
    // ESLint's --cache keys on the parser's name and version.
    meta: { name: PARSER, version },
    parseForESLint: (text: string, options?: unknown) => {
      const loaded = load();
      if (!('parseForESLint' in loaded)) throw new Error(`${PARSER} ${version} has no parseForESLint`);
      return loaded.parseForESLint(text, options);
    },
  } as Linter.Parser;
}
