import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RuleModule } from '@typescript-eslint/utils/ts-eslint';
import { Linter } from 'eslint';
import plugin from 'keyguard/eslint';
import { describe, expect, it } from 'vitest';
import { fakeKey } from '../helpers/keys.js';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
type NamedRule = RuleModule<string, unknown[]> & { name: string };
/** Every rule module in rules/: all files but the plugin and the rule factory. */
const ruleNames = readdirSync(join(root, 'rules'))
  .filter((file) => file.endsWith('.ts') && !['index.ts', 'create-rule.ts'].includes(file))
  .map((file) => basename(file, '.ts'));
const ruleModules = await Promise.all(
  ruleNames.map(async (name) => {
    const module = (await import(join(root, 'rules', `${name}.ts`))) as { default: NamedRule };
    return [name, module.default] as const;
  }),
);

describe('the keyguard/eslint plugin', () => {
  it('exports every rule file under its file name, and the rule names itself the same', () => {
    expect(ruleNames.length).toBeGreaterThan(0);
    expect(Object.keys(plugin.rules).sort()).toEqual([...ruleNames].sort());
    for (const [name, rule] of ruleModules) {
      expect(rule.name).toBe(name);
      expect(plugin.rules[name as keyof typeof plugin.rules].meta).toEqual(rule.meta);
    }
  });

  it('names itself and its version after the package', () => {
    expect(plugin.meta).toEqual({ name: pkg.name, version: pkg.version });
  });

  it.each(ruleModules)('documents %s in docs/rules with its url, description and every option', (name, rule) => {
    const page = readFileSync(join(root, 'docs/rules', `${name}.md`), 'utf8');
    expect(page.startsWith(`# \`keyguard/${name}\``)).toBe(true);
    expect(rule.meta.docs?.url).toMatch(new RegExp(`/docs/rules/${name}\\.md$`));
    expect(rule.meta.docs?.description.length).toBeGreaterThan(20);
    const schema = Array.isArray(rule.meta.schema) ? rule.meta.schema[0] : rule.meta.schema;
    for (const option of Object.keys(schema?.properties ?? {})) expect(page).toContain(`### \`${option}\``);
  });

  it("turns every rule on in configs.recommended with keyguard scan's severity, for every linted file, registering this very plugin object", () => {
    const [rules] = plugin.configs.recommended;
    expect(rules?.files).toBeUndefined();
    expect(rules?.plugins?.keyguard).toBe(plugin);
    const severity = (name: string) => (name === 'no-published-example-keys' ? 'warn' : 'error');
    expect(rules?.rules).toEqual(Object.fromEntries(ruleNames.map((name) => [`keyguard/${name}`, severity(name)])));
  });

  it('makes ESLint lint .jsx files with JSX, and TypeScript files with the parser this project has', () => {
    const blocks = plugin.configs.recommended.slice(1);
    expect(blocks.map(({ name, files }) => ({ name, files }))).toEqual([
      { name: 'keyguard/recommended/jsx', files: ['**/*.jsx'] },
      { name: 'keyguard/recommended/typescript', files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'] },
    ]);
    const parser = blocks[1]?.languageOptions?.parser as { meta?: { name?: string; version?: string } };
    const installed = JSON.parse(readFileSync(join(root, 'node_modules/@typescript-eslint/parser/package.json'), 'utf8')) as { version: string };
    expect(parser.meta).toEqual({ name: '@typescript-eslint/parser', version: installed.version });
  });
});

describe('no-hardcoded-keys options', () => {
  const linter = new Linter({ configType: 'flat' });
  const lint = (options: unknown) =>
    linter.verify(`const k = '${fakeKey('test')}';`, [
      { plugins: { keyguard: plugin }, rules: { 'keyguard/no-hardcoded-keys': ['error', options] } },
    ]);

  it('rejects an unknown key type in allow, naming the rule and the value', () => {
    expect(() => lint({ allow: ['prod'] })).toThrow(/no-hardcoded-keys.*"prod" should be equal to one of the allowed values/s);
  });

  it('rejects an envVar that is not an identifier', () => {
    expect(() => lint({ envVar: 'API-KEY' })).toThrow(/no-hardcoded-keys.*"API-KEY" should match pattern/s);
  });

  it('rejects unknown options, naming them', () => {
    expect(() => lint({ allowTest: true })).toThrow(/no-hardcoded-keys.*Unexpected property "allowTest"/s);
  });

  it('rejects clientFiles that is not a list of globs', () => {
    expect(() => lint({ clientFiles: 'src/client/**' })).toThrow(/no-hardcoded-keys.*"src\/client\/\*\*" should be array/s);
  });

  it('names a bad clientFiles glob', () => {
    expect(() => lint({ clientFiles: ['!src/server/**'] })).toThrow(/keyguard\/no-hardcoded-keys: clientFiles\[0\]: bad glob "!src\/server\/\*\*": negations are not supported/);
  });

  it('accepts the documented options', () => {
    expect(lint({ envVar: 'PAYMENTS_API_KEY', allow: ['sandbox'], clientFiles: ['src/client/**', '*.client.ts'] })).toHaveLength(1);
    expect(lint({ envVar: 'PAYMENTS_API_KEY', allow: ['test', 'sandbox'] })).toEqual([]);
  });
});
