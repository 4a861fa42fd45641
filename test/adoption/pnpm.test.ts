import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { packedTarball, Project, readmeBlock } from './project.js';

// pnpm (this project's devDependency) links into a package's node_modules only what the package
// declares. With its virtual store outside the project (a shared `virtual-store-dir`), nothing of the
// project's own node_modules is on keyguard's path either: keyguard/eslint finds the project's
// @typescript-eslint/parser only because package.json declares it, as an optional peer.
// Its package exports only its package.json, as `pnpm`.
const pnpm = join(createRequire(import.meta.url).resolve('pnpm'), '..', 'bin', 'pnpm.cjs');

describe("the README's ESLint config in a pnpm project whose virtual store is outside it", () => {
  const project = new Project('pnpm-app', { type: 'module' });
  const key = fakeKey('live');

  beforeAll(() => {
    const store = join(project.dir, '..', 'pnpm-virtual-store');
    const out = project.run('node', [pnpm, 'add', '--save-dev', `--config.virtual-store-dir=${store}`, packedTarball(), 'eslint@9', '@typescript-eslint/parser@8', 'typescript@5']);
    if (out.status !== 0) throw new Error(`pnpm add failed:\n${out.output}`);
    project.write('eslint.config.js', readmeBlock('## ESLint', 'js'));
    project.write('src/pay.ts', `export const apiKey: string = '${key}';\n`);
  }, 300_000);

  it('lints the .ts file and reports its key, redacted', () => {
    const out = project.run('node', [join('node_modules', 'eslint', 'bin', 'eslint.js'), '--format', 'json', 'src/pay.ts']);

    expect(out.stderr).toBe('');
    const [result] = JSON.parse(out.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
    expect(result?.messages).toEqual([expect.objectContaining({ ruleId: 'keyguard/no-hardcoded-keys', message: expect.stringContaining('Hardcoded live API key') })]);
    expect(JSON.stringify(result?.messages)).not.toContain(bodyOf(key));
    expect(out.status).toBe(1);
  });
});
