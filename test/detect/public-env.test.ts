import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/index.js';
import { isEnvFileName, PUBLIC_ENV_PREFIXES, publicEnvKeys as keysWith } from '../../src/detect/public-env.js';
import { fakeKey } from '../helpers/keys.js';

/** The rule as the scan runs it: on the keys the detector found in the text. */
const publicEnvKeys = (path: string, text: string) =>
  keysWith(path, text, detect(text)).map(({ match, variable, bundler }) => ({ ...match, variable, bundler }));

describe('public-env: keys a bundler inlines into client code', () => {
  it.each(PUBLIC_ENV_PREFIXES.map((entry) => [entry.prefix, entry.bundler]))('%s in a .env file is inlined by %s', (prefix, bundler) => {
    const key = fakeKey('live');
    const text = `# payments\n${prefix}PAYMENTS_KEY=${key}\n`;

    expect(publicEnvKeys('.env.local', text)).toEqual([
      expect.objectContaining({ key, variable: `${prefix}PAYMENTS_KEY`, bundler, line: 2, column: prefix.length + 'PAYMENTS_KEY='.length + 1 }),
    ]);
  });

  it('a server-only variable in the same file is not public', () => {
    const text = `STRIPE_SECRET=${fakeKey('live')}\nVITE_API_URL=https://api.example.test\n`;

    expect(publicEnvKeys('.env', text)).toEqual([]);
  });

  it('reads quoted values, export and spaces, in every .env* file name', () => {
    const key = fakeKey('sandbox');
    for (const path of ['.env', 'apps/web/.env.production.local', '.env.development', '.env.example']) {
      expect(publicEnvKeys(path, `export NEXT_PUBLIC_KEY = "${key}"\n`), path).toEqual([expect.objectContaining({ key, variable: 'NEXT_PUBLIC_KEY' })]);
    }
  });

  it('a template holding a placeholder is not a finding; holding a real-looking key it is', () => {
    expect(publicEnvKeys('.env.example', 'VITE_STRIPE_KEY=sk_live_YOUR_KEY_HERE\nVITE_OTHER=sk_test_xxxxxxxxxxxxxxxxxxxx\n')).toEqual([]);
    const key = fakeKey('test');
    expect(publicEnvKeys('.env.example', `VITE_STRIPE_KEY=${key}\n`)).toEqual([expect.objectContaining({ key, variable: 'VITE_STRIPE_KEY' })]);
  });

  it('a prefix alone is not a variable name, and a prefix inside a name is not a prefix', () => {
    expect(publicEnvKeys('.env', `VITE_=${fakeKey()}\nMY_VITE_KEY=${fakeKey()}\n`)).toEqual([]);
  });

  it('vite.config define: every entry is inlined, public name or not', () => {
    const key = fakeKey('live');
    const other = fakeKey('live');
    const text = [
      "import { defineConfig } from 'vite';",
      'export default defineConfig({',
      '  plugins: [],',
      '  define: {',
      `    'import.meta.env.VITE_STRIPE_KEY': JSON.stringify('${key}'),`,
      `    __PAYMENTS__: { key: '${other}' },`,
      '  },',
      '});',
    ].join('\n');

    expect(publicEnvKeys('vite.config.ts', text)).toEqual([
      expect.objectContaining({ key, variable: 'import.meta.env.VITE_STRIPE_KEY', bundler: 'Vite', line: 5 }),
      expect.objectContaining({ key: other, variable: 'key', bundler: 'Vite', line: 6 }),
    ]);
  });

  it('a key elsewhere in vite.config is not inlined (a server plugin option, say)', () => {
    const text = `export default { server: { proxy: { '/api': { headers: { Authorization: 'Bearer ${fakeKey()}' } } } } };\n`;

    expect(publicEnvKeys('vite.config.mjs', text)).toEqual([]);
  });

  it('next.config env block and NEXT_PUBLIC_ names', () => {
    const key = fakeKey('live');
    const other = fakeKey('live');
    const text = `module.exports = {\n  env: {\n    PAYMENTS_KEY: '${key}',\n  },\n  publicRuntimeConfig: { NEXT_PUBLIC_OTHER: '${other}' },\n};\n`;

    expect(publicEnvKeys('next.config.js', text)).toEqual([
      expect.objectContaining({ key, variable: 'PAYMENTS_KEY', bundler: 'Next.js', line: 3 }),
      expect.objectContaining({ key: other, variable: 'NEXT_PUBLIC_OTHER', bundler: 'Next.js', line: 5 }),
    ]);
  });

  it('other files are not this rule (their keys are hardcoded-key findings)', () => {
    expect(publicEnvKeys('src/config.ts', `export const VITE_KEY = '${fakeKey()}';\n`)).toEqual([]);
    expect(publicEnvKeys('env.ts', `VITE_KEY=${fakeKey()}\n`)).toEqual([]);
  });

  it('names .env files by their base name only', () => {
    expect(['.env', 'a/.env.local', 'a\\b\\.env.test'].every(isEnvFileName)).toBe(true);
    expect(['.env.', 'a.env', '.environment', 'env'].some(isEnvFileName)).toBe(false);
  });
});
