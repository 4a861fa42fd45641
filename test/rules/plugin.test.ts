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

  it('turns every rule on as an error in configs.recommended, registering this very plugin object', () => {
    const { recommended } = plugin.configs;
    expect(recommended.plugins?.keyguard).toBe(plugin);
    expect(recommended.rules).toEqual(Object.fromEntries(ruleNames.map((name) => [`keyguard/${name}`, 'error'])));
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

  it('accepts the documented options', () => {
    expect(lint({ envVar: 'PAYMENTS_API_KEY', allow: ['test', 'sandbox'] })).toEqual([]);
  });
});
