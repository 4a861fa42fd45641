import { relative } from 'node:path';
import type { TSESTree } from '@typescript-eslint/utils';
import { pathMatcher } from '../../src/config/patterns.js';

/** Components: a bundler compiles .jsx and .tsx files for the browser. */
const COMPONENT_FILE = /\.[jt]sx$/;

/**
 * Whether a file runs in the browser, from what a bundler would see: a .jsx/.tsx component, JSX
 * anywhere in it, a file under the `clientFiles` globs, a read of `import.meta.env` (Vite, Astro),
 * a `'use client'` directive or `import 'client-only'`. A `'use server'` directive or
 * `import 'server-only'` says the opposite, and wins: the file cannot be bundled for the client.
 * Fed by the rule's visitors as it walks the file; asked once at the end.
 */
export class BrowserCodeMarks {
  private browser: boolean;
  private server = false;

  constructor(filename: string, cwd: string, clientFiles: readonly string[]) {
    this.browser = COMPONENT_FILE.test(filename) || (clientFiles.length > 0 && inClientFiles(filename, cwd, clientFiles));
  }

  /** A file's leading directives (`'use client'`, `'use server'`). */
  readDirectives(program: TSESTree.Program): void {
    for (const statement of program.body) {
      if (statement.type !== 'ExpressionStatement' || !('directive' in statement) || typeof statement.directive !== 'string') return;
      if (statement.directive === 'use client') this.browser = true;
      if (statement.directive === 'use server') this.server = true;
    }
  }

  readImport(source: string): void {
    if (source === 'client-only') this.browser = true;
    if (source === 'server-only') this.server = true;
  }

  sawJsx(): void {
    this.browser = true;
  }

  /** `import.meta.env`: the variables a bundler inlines into client code. */
  readMetaProperty(node: TSESTree.MetaProperty): void {
    const parent = node.parent;
    if (
      node.meta.name === 'import' &&
      parent.type === 'MemberExpression' &&
      parent.object === node &&
      !parent.computed &&
      parent.property.type === 'Identifier' &&
      parent.property.name === 'env'
    ) {
      this.browser = true;
    }
  }

  isBrowserCode(): boolean {
    return this.browser && !this.server;
  }
}

/** The option's globs, compiled once per option array (ESLint passes the same array for every file). */
const matchers = new WeakMap<readonly string[], (path: string) => boolean>();

function inClientFiles(filename: string, cwd: string, globs: readonly string[]): boolean {
  let matches = matchers.get(globs);
  if (!matches) {
    // The config file's `ignore` semantics: a glob naming a directory covers what is in it, one without `/` matches at any depth.
    matches = pathMatcher(globs, cwd, cwd, (index) => `keyguard/no-hardcoded-keys: clientFiles[${index}]`);
    matchers.set(globs, matches);
  }
  return matches(relative(cwd, filename).split('\\').join('/'));
}
