import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan.js';
import { tempRepos } from '../git/repo.js';
import { fakeKey } from '../helpers/keys.js';

const { repo, onCleanup } = tempRepos();

async function envFindings(cwd: string): Promise<Array<[string, string]>> {
  const { findings } = await scan({ cwd });
  return findings.filter((finding) => finding.ruleId !== 'hardcoded-key').map((finding) => [finding.file, finding.ruleId]);
}

describe('env-not-ignored: a .env file git does not ignore', () => {
  it('reports an untracked .env when nothing ignores it, at line 1 column 1', async () => {
    const r = repo();
    r.write('.env', 'DEBUG=1\n');

    const { findings } = await scan({ cwd: r.dir });

    expect(findings).toMatchObject([{ ruleId: 'env-not-ignored', severity: 'error', file: '.env', line: 1, column: 1 }]);
  });

  it('reports a tracked .env that no rule ignores, and .env.<anything> files', async () => {
    const r = repo();
    r.write('.env', 'A=1\n');
    r.write('config/.env.production', 'B=2\n');
    r.commitUnchecked('env files');

    expect(await envFindings(r.dir)).toEqual([
      ['.env', 'env-not-ignored'],
      ['config/.env.production', 'env-not-ignored'],
    ]);
  });

  it('exempts committed templates: .env.example, .sample, .template, .dist, .defaults', async () => {
    const r = repo();
    for (const suffix of ['example', 'sample', 'template', 'dist', 'defaults']) r.write(`.env.${suffix}`, 'A=\n');
    r.commitUnchecked('templates');

    expect(await envFindings(r.dir)).toEqual([]);
  });

  it('also reports the keys inside such a file', async () => {
    const r = repo();
    r.write('.env', `API_KEY=${fakeKey('live')}\n`);

    const { findings } = await scan({ cwd: r.dir });

    expect(findings.map((finding) => [finding.ruleId, finding.line])).toEqual([
      ['env-not-ignored', 1],
      ['hardcoded-key', 1],
    ]);
  });
});

describe('git decides what is ignored', () => {
  it('honours the root .gitignore', async () => {
    const r = repo();
    r.write('.gitignore', '.env\n');
    r.write('.env', 'A=1\n');

    expect(await envFindings(r.dir)).toEqual([]);
  });

  it('honours a nested .gitignore, for its directory only', async () => {
    const r = repo();
    r.write('api/.gitignore', '.env\n');
    r.write('api/.env', 'A=1\n');
    r.write('web/.env', 'A=1\n');

    expect(await envFindings(r.dir)).toEqual([['web/.env', 'env-not-ignored']]);
  });

  it('honours .git/info/exclude', async () => {
    const r = repo();
    writeFileSync(join(r.dir, '.git/info/exclude'), '.env.local\n');
    r.write('.env.local', 'A=1\n');

    expect(await envFindings(r.dir)).toEqual([]);
  });

  it("honours the user's global excludes file", async () => {
    const r = repo();
    const globalIgnore = join(process.env.XDG_CONFIG_HOME as string, 'git', 'ignore');
    mkdirSync(dirname(globalIgnore), { recursive: true });
    writeFileSync(globalIgnore, '.env.mine\n');
    onCleanup(() => rmSync(globalIgnore));
    r.write('.env.mine', 'A=1\n');
    r.write('.env.yours', 'A=1\n');

    expect(await envFindings(r.dir)).toEqual([['.env.yours', 'env-not-ignored']]);
  });

  it('follows negations: !.env.shared under .env.* is not ignored', async () => {
    const r = repo();
    r.write('.gitignore', '.env*\n!.env.shared\n');
    r.write('.env.local', 'A=1\n');
    r.write('.env.shared', 'A=1\n');

    expect(await envFindings(r.dir)).toEqual([['.env.shared', 'env-not-ignored']]);
  });
});

describe('env-tracked: an ignored .env file that is tracked anyway', () => {
  it('reports a .env force-added past .gitignore', async () => {
    const r = repo();
    r.write('.gitignore', '.env\n');
    r.write('.env', 'A=1\n');
    r.git('add', '.gitignore');
    r.git('add', '-f', '.env');

    expect(await envFindings(r.dir)).toEqual([['.env', 'env-tracked']]);
  });

  it('reports a .env committed before .gitignore listed it', async () => {
    const r = repo();
    r.write('services/api/.env', 'A=1\n');
    r.commitUnchecked('oops');
    r.write('.gitignore', '**/.env\n');
    r.commitUnchecked('ignore it now');

    expect(await envFindings(r.dir)).toEqual([['services/api/.env', 'env-tracked']]);
  });
});

describe('outside a git repository', () => {
  it('reports .env files that no .gitignore covers, and not those one does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyguard-plain-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a/.gitignore'), '.env\n');
    writeFileSync(join(dir, 'a/.env'), 'A=1\n');
    writeFileSync(join(dir, 'b/.env'), 'A=1\n');
    writeFileSync(join(dir, 'b/.env.example'), 'A=\n');

    expect(await envFindings(dir)).toEqual([['b/.env', 'env-not-ignored']]);
  });
});
