import type { TSESTree } from '@typescript-eslint/utils';
import { inFileGlobs } from './file-globs.js';

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
    this.browser = COMPONENT_FILE.test(filename) || inFileGlobs(filename, cwd, clientFiles, 'clientFiles');
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
