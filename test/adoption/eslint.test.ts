import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { packedTarball, Project, readmeBlock } from './project.js';

const VERSIONS = ['8.57', '9', '10'] as const;

// The README's eslint.config.js, as it stands, in a project with JavaScript, TypeScript and TSX files, run
// by each ESLint major keyguard supports. One install holds the three (npm aliases, each run through its
// own bin), with @typescript-eslint/parser, which the README asks TypeScript projects to have.
describe("the README's ESLint config in a project with .js, .ts and .tsx files", () => {
  const project = new Project('eslint-app', { type: 'module' });
  const keys = { js: fakeKey('live'), ts: fakeKey('sandbox'), tsx: fakeKey('test') };

  beforeAll(() => {
    project.install(packedTarball(), '@typescript-eslint/parser@8', ...VERSIONS.map((version) => `eslint${version.replace('.', '')}@npm:eslint@${version}`));
    project.write('eslint.config.js', readmeBlock('## ESLint', 'js'));
    project.write('src/pay.js', `export const apiKey = '${keys.js}';\n`);
    project.write('src/pay.ts', `export const apiKey: string = '${keys.ts}';\n`);
    project.write('src/Checkout.tsx', `export const Checkout = () => <form data-key="${keys.tsx}" />;\n`);
    project.write('src/clean.ts', 'export const apiKey: string | undefined = process.env.API_KEY;\n');
  }, 300_000);

  it.each(VERSIONS)('ESLint %s reports the key in each file, redacted, and nothing in the clean one', (version) => {
    const bin = join('node_modules', `eslint${version.replace('.', '')}`, 'bin', 'eslint.js');

    const out = project.run('node', [bin, '--format', 'json', 'src']);

    expect(out.stderr).toBe('');
    const results = JSON.parse(out.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; message: string; line: number }> }>;
    const byFile = Object.fromEntries(results.map((result) => [result.filePath.slice(project.dir.length + 1), result.messages]));
    expect(Object.keys(byFile).sort()).toEqual(['src/Checkout.tsx', 'src/clean.ts', 'src/pay.js', 'src/pay.ts']);
    for (const [file, keyType] of [['src/pay.js', 'live'], ['src/pay.ts', 'sandbox'], ['src/Checkout.tsx', 'test']] as const) {
      expect(byFile[file], file).toEqual([expect.objectContaining({ ruleId: 'keyguard/no-hardcoded-keys', line: 1, message: expect.stringContaining(`Hardcoded ${keyType} API key`) })]);
    }
    expect(byFile['src/clean.ts']).toEqual([]);
    // (ESLint's JSON carries each file's source; keyguard's messages and suggestions never the key.)
    for (const key of Object.values(keys)) expect(JSON.stringify(Object.values(byFile))).not.toContain(bodyOf(key));
    expect(out.status).toBe(1);
  });
});
