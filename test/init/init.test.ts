import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { fakeKey } from '../helpers/keys.js';
import { readmeEslintConfig } from '../helpers/readme.js';
import { TempRepo } from '../git/repo.js';

const repos: TempRepo[] = [];
function project(): TempRepo {
  const repo = TempRepo.project();
  repos.push(repo);
  return repo;
}
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function read(repo: TempRepo, path: string): string {
  return readFileSync(join(repo.dir, path), 'utf8');
}

/** Every file outside .git and node_modules with its content and mode, and the repository's config. */
function snapshot(repo: TempRepo): Record<string, string> {
  const files: Record<string, string> = { '.git/config': repo.git('config', '--local', '--list') };
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(repo.dir, dir))) {
      const path = dir ? `${dir}/${name}` : name;
      if (path === '.git' || name === 'node_modules') continue;
      const info = statSync(join(repo.dir, path));
      if (info.isDirectory()) walk(path);
      else files[path] = `${info.mode.toString(8)} ${read(repo, path)}`;
    }
  };
  walk('');
  return files;
}

describe('keyguard init', () => {
  it('sets up husky, a pre-commit hook on the local bin and .env ignores, and prints the ESLint config', async () => {
    const repo = project();

    const out = await repo.keyguard('init');

    expect(out.exitCode, out.stderr).toBe(0);
    expect(JSON.parse(read(repo, 'package.json'))).toEqual({ name: 'app', private: true, scripts: { prepare: 'husky' } });
    const hook = read(repo, '.husky/pre-commit');
    expect(hook).toContain('node_modules/.bin/keyguard scan --staged');
    expect(hook).not.toContain('npx');
    expect(repo.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
    expect(read(repo, '.gitignore').split('\n')).toEqual(expect.arrayContaining(['.env', '.env.*', '!.env.example']));
    expect(out.stdout).toContain("import keyguard from 'keyguard/eslint';");
    expect(out.stdout).toContain('keyguard.configs.recommended');
  });

  it("prints exactly the README's ESLint config, the block users paste", async () => {
    const repo = project();

    const out = await repo.keyguard('init');

    expect(out.stdout).toContain(`\n\n${readmeEslintConfig()}\n\n`);
  });

  it('leaves the hook active as soon as it returns, with no npm install in between', async () => {
    const repo = project();
    await repo.keyguard('init');
    repo.write('pay.ts', `export const key = '${fakeKey('live')}';\n`);
    repo.git('add', 'pay.ts');

    expect(repo.commit('add key').status).not.toBe(0);
    expect(repo.head()).toBeUndefined();
  });

  it('changes nothing when run a second time', async () => {
    const repo = project();
    await repo.keyguard('init');
    const before = snapshot(repo);

    const out = await repo.keyguard('init');

    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('already set up, nothing changed');
    expect(snapshot(repo)).toEqual(before);
  });

  it('extends an existing husky pre-commit hook instead of overwriting it, and both run', async () => {
    const repo = project();
    repo.write('.husky/pre-commit', 'echo lint-staged ran > lint-ran.txt\n');

    await repo.keyguard('init');

    const hook = read(repo, '.husky/pre-commit');
    expect(hook).toContain('echo lint-staged ran > lint-ran.txt');
    expect(hook.indexOf('keyguard scan --staged')).toBeLessThan(hook.indexOf('lint-staged'));
    repo.write('a.ts', 'export const a = 1;\n');
    repo.git('add', 'a.ts');
    expect(repo.commit('clean').status).toBe(0);
    expect(existsSync(join(repo.dir, 'lint-ran.txt'))).toBe(true);
  });

  it.each([
    ['in .git/hooks', '.git/hooks', undefined],
    ['in a core.hooksPath directory', '.githooks', '.githooks'],
  ])('keeps a plain git pre-commit hook %s running after husky takes over', async (_where, dir, hooksPath) => {
    const repo = project();
    if (hooksPath) repo.git('config', 'core.hooksPath', hooksPath);
    repo.write(`${dir}/pre-commit`, '#!/bin/sh\necho old hook ran > old-ran.txt\n');
    chmodSync(join(repo.dir, dir, 'pre-commit'), 0o755);

    const out = await repo.keyguard('init');

    expect(out.stdout).toContain('.husky/pre-commit: runs node_modules/.bin/keyguard scan --staged, then the pre-commit hook git ran before');
    repo.write('a.ts', 'export const a = 1;\n');
    repo.git('add', 'a.ts');
    expect(repo.commit('clean').status).toBe(0);
    expect(existsSync(join(repo.dir, 'old-ran.txt'))).toBe(true);
    repo.write('b.ts', `export const b = '${fakeKey('live')}';\n`);
    repo.git('add', 'b.ts');
    expect(repo.commit('key').status).not.toBe(0);
  });

  it('adds husky to an existing prepare script and keeps the file formatting', async () => {
    const repo = project();
    repo.write('package.json', '{\n\t"name": "app",\n\t"scripts": {\n\t\t"prepare": "npm run build"\n\t}\n}\n');

    await repo.keyguard('init');

    expect(read(repo, 'package.json')).toBe('{\n\t"name": "app",\n\t"scripts": {\n\t\t"prepare": "npm run build && husky"\n\t}\n}\n');
  });

  it('adds only the .gitignore lines that are missing, so .env files are ignored and the template is not', async () => {
    const repo = project();
    repo.write('.gitignore', 'node_modules/\n.env');

    const out = await repo.keyguard('init');

    expect(out.stdout).toContain('.gitignore: added .env.*, !.env.example');
    expect(read(repo, '.gitignore')).toBe('node_modules/\n.env\n# Secrets stay out of git (added by keyguard init)\n.env.*\n!.env.example\n');
    expect(repo.tryGit('check-ignore', '-q', '.env.local').status).toBe(0);
    expect(repo.tryGit('check-ignore', '-q', '.env.example').status).toBe(1);
  });

  it('sets up a project in a subdirectory of the repository, with paths from the top of the work tree', async () => {
    const repo = project();
    repo.write('packages/app/package.json', '{ "name": "app" }\n');
    repo.linkKeyguard('packages/app');

    const out = await run(['init'], { cwd: join(repo.dir, 'packages/app'), env: process.env, stdoutIsTTY: false, stderrIsTTY: false });

    expect(out.exitCode, out.stderr).toBe(0);
    expect(JSON.parse(read(repo, 'packages/app/package.json')).scripts.prepare).toBe('cd ../.. && husky packages/app/.husky');
    expect(read(repo, 'packages/app/.husky/pre-commit')).toContain('packages/app/node_modules/.bin/keyguard scan --staged');
    repo.write('packages/app/pay.ts', `export const key = '${fakeKey('live')}';\n`);
    repo.git('add', 'packages/app/pay.ts');
    const commit = repo.commit('key');
    expect(commit.status).not.toBe(0);
    expect(commit.output).toContain('pay.ts:1:');
  });

  it('warns when the local keyguard bin is missing, since the hook would block every commit', async () => {
    const repo = project();
    rmSync(join(repo.dir, 'node_modules'), { recursive: true });

    const out = await repo.keyguard('init');

    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('node_modules/.bin/keyguard is missing');
    expect(out.stdout).toContain('npm install --save-dev keyguard');
  });

  it('outside a git repository, says so and exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyguard-no-git-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{}\n');
      const out = await run(['init'], { cwd: dir, env: process.env, stdoutIsTTY: false, stderrIsTTY: false });

      expect(out.exitCode).toBe(2);
      expect(out.stderr).toMatch(/^keyguard: .* is not in a git repository: run git init first, then keyguard init\n$/);
      expect(existsSync(join(dir, '.husky'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a package.json, says so and exits 2', async () => {
    const repo = project();
    rmSync(join(repo.dir, 'package.json'));

    const out = await repo.keyguard('init');

    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^keyguard: no package\.json in .*: run keyguard init in your project's root/);
    expect(existsSync(join(repo.dir, '.husky'))).toBe(false);
  });
});
