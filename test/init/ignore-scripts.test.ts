import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { TempRepo } from '../git/repo.js';
import { fakeKey } from '../helpers/keys.js';

const HUSKY = join(dirname(fileURLToPath(import.meta.resolve('husky'))));

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

/** A project whose committed .npmrc turns lifecycle scripts off, as express's does. */
function scriptlessProject(): TempRepo {
  const repo = TempRepo.project();
  repos.push(repo);
  repo.write('.npmrc', 'ignore-scripts=true\n');
  // husky as a dependency of the project, as installing keyguard brings it; a local path, so no network.
  repo.write('package.json', `${JSON.stringify({ name: 'app', private: true, devDependencies: { husky: `file:${HUSKY}` } }, null, 2)}\n`);
  repo.write('.gitignore', 'node_modules/\n');
  return repo;
}

function npm(cwd: string, ...args: string[]): { status: number | null; output: string } {
  const out = spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, env: process.env, encoding: 'utf8', timeout: 240_000 });
  return { status: out.status, output: `${out.stdout}${out.stderr}` };
}

const NOTE = `this project's .npmrc sets ignore-scripts=true: npm install never runs "prepare", so teammates who clone and install get no pre-commit hook and their key commits go through`;
const WHAT_TO_DO =
  'each clone activates the hook once with: npm run prepare (npm runs a script you name even under ignore-scripts; put that step in your README), and CI should run npx keyguard scan, which no local setting skips';

describe('keyguard init under npm ignore-scripts', () => {
  it("says plainly that teammates' installs get no hook, and what still protects the repository", async () => {
    const repo = scriptlessProject();

    const out = await repo.keyguard('init');

    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout).toContain('  ✔ package.json: the "prepare" script runs husky, so npm run prepare activates the hook\n');
    expect(out.stdout).not.toContain('every npm install keeps the hook active');
    expect(out.stdout).toContain(`  ! ${NOTE}\n  ! ${WHAT_TO_DO}\n`);
    // Run again: nothing to change, and still said, since it still holds.
    const again = await repo.keyguard('init');
    expect(again.stdout).toContain('already set up, nothing changed.');
    expect(again.stdout).toContain(`  ! ${NOTE}\n`);
  });

  it('names npm_config_ignore_scripts when the setting comes from the environment', async () => {
    const repo = TempRepo.project();
    repos.push(repo);

    const out = await run(['init'], { cwd: repo.dir, env: { ...process.env, npm_config_ignore_scripts: 'true' }, stdoutIsTTY: false, stderrIsTTY: false });

    expect(out.stdout).toContain('  ! ignore-scripts is true in npm_config_ignore_scripts: npm install skips "prepare"');
  });

  it('says nothing of it when npm runs scripts', async () => {
    const repo = TempRepo.project();
    repos.push(repo);

    const out = await repo.keyguard('init');

    expect(out.stdout).toContain('so every npm install keeps the hook active');
    expect(out.stdout).not.toContain('ignore-scripts');
  });

  it("a teammate's clone and install get no hook and a key commit goes through; npm run prepare blocks the next one", async () => {
    const origin = scriptlessProject();
    expect((await origin.keyguard('init')).exitCode).toBe(0);
    origin.commitUnchecked('keyguard init');

    // The teammate: clone, install as the project's .npmrc says.
    const clone = TempRepo.create();
    repos.push(clone);
    clone.git('pull', '-q', origin.dir, 'main');
    const install = npm(clone.dir, 'install', '--offline');
    expect(install.status, install.output).toBe(0);
    clone.linkKeyguard('.');

    expect(clone.tryGit('config', 'core.hooksPath').stdout).toBe('');
    clone.write('pay.ts', `export const key = '${fakeKey('live')}';\n`);
    clone.git('add', 'pay.ts');
    expect(clone.commit('a key, unguarded').status).toBe(0);

    // The documented step, once per clone.
    const prepare = npm(clone.dir, 'run', 'prepare');
    expect(prepare.status, prepare.output).toBe(0);
    expect(clone.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
    clone.write('refund.ts', `export const key = '${fakeKey('live')}';\n`);
    clone.git('add', 'refund.ts');
    const blocked = clone.commit('another key');
    expect(blocked.status).not.toBe(0);
    expect(blocked.output).toContain('refund.ts:1:21');
    expect(blocked.output).toContain('hardcoded-key');
  }, 300_000);
});
