import { afterEach, describe, expect, it } from 'vitest';
import { redact } from '../../src/findings.js';
import { TempRepo } from '../git/repo.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A package in a real git repository, with these files written (nothing committed unless asked). */
function pkg(files: Record<string, string>): TempRepo {
  const repo = TempRepo.create();
  cleanups.push(() => repo.remove());
  for (const [path, content] of Object.entries(files)) repo.write(path, content);
  return repo;
}

const manifest = (extra: Record<string, unknown> = {}): string => JSON.stringify({ name: 'lib', version: '1.0.0', ...extra }, null, 2);

describe('keyguard scan --pack: what npm would publish, from npm itself', () => {
  it('finds a key in a dist/ that git ignores but "files": ["dist"] publishes', async () => {
    const key = fakeKey('live');
    const repo = pkg({
      'package.json': manifest({ files: ['dist'] }),
      '.gitignore': 'dist/\nnode_modules/\n',
      'src/index.js': 'export const client = () => process.env.API_KEY;\n',
      'dist/index.js': `export const client = () => '${key}';\n`,
    });
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'package');

    const tree = await repo.keyguard('scan');
    const packed = await repo.keyguard('scan', '--pack');

    expect(tree.exitCode, 'the repository scan cannot see ignored build output').toBe(0);
    expect(packed.exitCode).toBe(1);
    expect(packed.stdout).toContain(`dist/index.js:1:30  error  hardcoded-key  Hardcoded live API key ${redact(key)}`);
    expect(packed.stdout + packed.stderr).not.toContain(bodyOf(key));
  });

  it('reports a .env that an .npmignore lets through, though git ignores it', async () => {
    const repo = pkg({
      'package.json': manifest(),
      '.gitignore': '.env\n',
      '.npmignore': 'test/\n',
      '.env': 'API_KEY=from-the-vault\n',
      'index.js': 'module.exports = {};\n',
    });

    const tree = await repo.keyguard('scan');
    const packed = await repo.keyguard('scan', '--pack', '--format', 'json');

    expect(tree.exitCode, 'git ignores the .env: the repository is fine').toBe(0);
    expect(packed.exitCode).toBe(1);
    const { findings } = JSON.parse(packed.stdout) as { findings: Array<{ ruleId: string; file: string }> };
    expect(findings).toEqual([expect.objectContaining({ ruleId: 'env-in-package', file: '.env' })]);
  });

  it('passes when "files" keeps the .env and the sources out, as npm decides', async () => {
    const repo = pkg({
      'package.json': manifest({ files: ['dist'] }),
      '.env': `API_KEY=${fakeKey('live')}\n`,
      'src/dev.js': `const key = '${fakeKey('test')}';\n`,
      'dist/index.js': 'export {};\n',
    });

    const packed = await repo.keyguard('scan', '--pack');

    expect(packed.exitCode, packed.stdout + packed.stderr).toBe(0);
    expect(packed.stdout).toMatch(/in 2 files/); // dist/index.js and package.json: npm always adds the manifest
  });

  it('a template .env.example in the package is not a finding', async () => {
    const repo = pkg({ 'package.json': manifest(), '.env.example': 'API_KEY=\n', 'index.js': '\n' });

    expect((await repo.keyguard('scan', '--pack')).exitCode).toBe(0);
  });

  it('says in one line when there is no package here', async () => {
    const repo = pkg({ 'a.js': '\n' });

    const out = await repo.keyguard('scan', '--pack');

    expect(out.exitCode).toBe(2);
    expect(out.stderr).toBe("keyguard: --pack scans the package in the current directory, and there is no package.json here: run it from the package's directory\n");
  });

  it('says in one line when npm cannot read the package', async () => {
    const repo = pkg({ 'package.json': JSON.stringify({ name: 'lib' }) });

    const out = await repo.keyguard('scan', '--pack');

    expect(out.exitCode).toBe(2);
    expect(out.stderr).toBe('keyguard: --pack: npm pack --dry-run failed: Invalid package, must have name and version\n');
  });

  it('refuses to be combined with another source or with paths', async () => {
    const repo = pkg({ 'package.json': manifest() });

    const staged = await repo.keyguard('scan', '--pack', '--staged');
    const paths = await repo.keyguard('scan', '--pack', 'src');

    expect(staged.exitCode).toBe(2);
    expect(staged.stderr).toContain('Arguments pack and staged are mutually exclusive');
    expect(paths.exitCode).toBe(2);
    expect(paths.stderr).toContain('--pack scans what npm would publish for the package here: drop the paths (src)');
  });
});
