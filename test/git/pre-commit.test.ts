import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prefixOf, PUBLISHED_EXAMPLE_KEYS } from '../../src/detect/index.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { TempRepo } from './repo.js';

/** The JSON report of `scan --staged`: what the hook would see, with exact lines and paths. */
async function staged(repo: TempRepo): Promise<Array<{ ruleId: string; file: string; line: number; column: number }>> {
  const out = await repo.keyguard('scan', '--staged', '--format', 'json');
  expect(out.stderr).toBe('');
  return (JSON.parse(out.stdout) as { findings: Array<{ ruleId: string; file: string; line: number; column: number }> }).findings;
}

let repo: TempRepo;

beforeEach(async () => {
  repo = TempRepo.project();
  const init = await repo.keyguard('init');
  expect(init.exitCode, init.stderr).toBe(0);
});

afterEach(() => repo.remove());

describe('the pre-commit hook installed by keyguard init', () => {
  it('blocks the first commit when it adds a key, showing it redacted with how to fix and how to bypass', () => {
    const key = fakeKey('live');
    repo.write('src/pay.ts', `export const client = new Client('${key}');\n`);
    repo.git('add', '.');

    const commit = repo.commit('add payments');

    expect(commit.status).not.toBe(0);
    expect(repo.head()).toBeUndefined();
    expect(commit.output).toContain('src/pay.ts:1:');
    expect(commit.output).toContain(`sk_live_${bodyOf(key).slice(0, 4)}…`);
    expect(commit.output).not.toContain(bodyOf(key));
    expect(commit.output).toMatch(/environment variable/);
    expect(commit.output).toMatch(/keyguard-ignore/);
    expect(commit.output).toMatch(/keyguard baseline/);
    expect(commit.output).toContain('git commit --no-verify');
  });

  it('blocks a published example key by default, saying warnings block because failOn is "any"; lets it through, saying so, with failOn live', () => {
    const example = PUBLISHED_EXAMPLE_KEYS.map((entry) => prefixOf(entry.keyType) + entry.body)[1]!;
    repo.write('docs/pay.md', `Stripe.api_key = '${example}'\n`);
    repo.git('add', '.');

    const blocked = repo.commit('docs');
    expect(blocked.status).not.toBe(0);
    expect(blocked.output).toContain('warning  published-example-key');
    expect(blocked.output).toContain('The warning blocks because failOn is "any"');
    expect(blocked.output).not.toContain(example);

    repo.write('keyguard.config.json', '{ "failOn": "live" }\n');
    repo.git('add', '.');
    const allowed = repo.commit('docs');
    expect(allowed.status, allowed.output).toBe(0);
    expect(allowed.output).toContain('warning  published-example-key');
    expect(allowed.output).toContain('Commit allowed: failOn is "live"');
  });

  it('lets a commit without keys through', () => {
    repo.write('src/pay.ts', 'export const client = new Client(process.env.PAY_KEY);\n');
    repo.write('README.md', 'Set PAY_KEY=sk_live_YOUR_API_KEY in your .env file.\n');
    repo.git('add', '.');

    const commit = repo.commit('add payments');

    expect(commit.status, commit.output).toBe(0);
    expect(repo.head()).toBeDefined();
  });

  it('reads the index, not the working copy: a key staged and then deleted from the file still blocks', () => {
    repo.write('config.ts', `export const key = '${fakeKey('sandbox')}';\n`);
    repo.git('add', 'config.ts');
    repo.write('config.ts', 'export const key = process.env.KEY;\n');

    const commit = repo.commit('config');

    expect(commit.status).not.toBe(0);
    expect(commit.output).toContain('config.ts:1:');
  });

  it('reads the index, not the working copy: a clean staged version passes while the key stays unstaged', () => {
    const key = fakeKey('live');
    repo.write('config.ts', 'export const key = process.env.KEY;\n');
    repo.git('add', 'config.ts');
    repo.write('config.ts', `export const key = process.env.KEY;\nexport const debug = '${key}';\n`);

    const commit = repo.commit('config');

    expect(commit.status, commit.output).toBe(0);
    expect(repo.git('show', 'HEAD:config.ts')).not.toContain(key);
  });

  it('checks what git commit -a stages for itself (a temporary index)', () => {
    repo.write('app.ts', 'export const a = 1;\n');
    repo.commitUnchecked('app');
    repo.write('app.ts', `export const a = '${fakeKey('live')}';\n`);

    const commit = repo.commit('edit', ['-a']);

    expect(commit.status).not.toBe(0);
    expect(commit.output).toContain('app.ts:1:');
  });

  it('reports the line number of the staged file, not of the working copy', async () => {
    repo.write('app.ts', 'a\nb\nc\nd\ne\n');
    repo.commitUnchecked('five lines');
    repo.write('app.ts', `a\nb\nc\nconst k = "${fakeKey('test')}";\nd\ne\n`);
    repo.git('add', 'app.ts');
    repo.write('app.ts', `// one\n// two\n// three\na\nb\nc\nconst k = "${fakeKey('test')}";\nd\ne\n`);

    expect(await staged(repo)).toMatchObject([{ ruleId: 'hardcoded-key', file: 'app.ts', line: 4, column: 12 }]);
  });

  it('does not block an unrelated change to a file that already holds a committed key', () => {
    const legacy = `const old = '${fakeKey('live')}';`;
    repo.write('legacy.ts', `${legacy}\nexport const x = 1;\n`);
    repo.commitUnchecked('legacy key (before keyguard)');
    repo.write('legacy.ts', `${legacy}\nexport const x = 2;\n`);
    repo.git('add', '.');

    const commit = repo.commit('bump x');

    expect(commit.status, commit.output).toBe(0);
  });

  it('honours keyguard-ignore-next-line on an unchanged line above an added key', () => {
    repo.write('fixtures.ts', '// keyguard-ignore-next-line\nexport const sample = "";\n');
    repo.commitUnchecked('fixture slot');
    repo.write('fixtures.ts', `// keyguard-ignore-next-line\nexport const sample = "${fakeKey('test')}";\n`);
    repo.git('add', '.');

    const commit = repo.commit('fill fixture');

    expect(commit.status, commit.output).toBe(0);
  });

  it('lets a rename of a file with a committed key through, and blocks a rename that adds one', () => {
    repo.write('old/name.ts', `export const a = '${fakeKey('live')}';\nexport const b = 1;\n`);
    repo.commitUnchecked('legacy');
    repo.git('mv', 'old/name.ts', 'new-name.ts');
    expect(repo.commit('rename').status).toBe(0);

    repo.git('mv', 'new-name.ts', 'renamed again.ts');
    repo.write('renamed again.ts', `${repo.git('show', 'HEAD:new-name.ts')}export const c = '${fakeKey('live')}';\n`);
    repo.git('add', '.');
    const commit = repo.commit('rename and add a key');

    expect(commit.status).not.toBe(0);
    expect(commit.output).toContain('renamed again.ts:3:');
  });

  it('blocks a copy of a key into a new file', async () => {
    repo.write('a.ts', `export const a = '${fakeKey('live')}';\n`);
    repo.commitUnchecked('legacy');
    repo.write('b.ts', repo.git('show', 'HEAD:a.ts'));
    repo.git('add', '.');

    expect(await staged(repo)).toMatchObject([{ file: 'b.ts', line: 1 }]);
  });

  it('blocks a staged .env file, even one added with git add -f, and lets the template through', () => {
    repo.write('.env.example', 'PAY_KEY=\n');
    repo.git('add', '.env.example');
    expect(repo.commit('template').status).toBe(0);

    repo.write('.env', 'PAY_KEY=\n');
    repo.git('add', '-f', '.env');
    const commit = repo.commit('oops');

    expect(commit.status).not.toBe(0);
    expect(commit.output).toContain('.env:1:1');
    expect(commit.output).toContain('env-tracked');
    expect(commit.output).toContain('git rm --cached');
  });

  it('allows deleting a file that holds a key', () => {
    repo.write('leak.ts', `export const a = '${fakeKey('live')}';\n`);
    repo.commitUnchecked('leak');
    repo.git('rm', '-q', 'leak.ts');

    expect(repo.commit('remove the leak').status).toBe(0);
  });

  it('skips binary blobs and submodules', () => {
    repo.write('image.bin', Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`\n${fakeKey('live')}\n`)]));
    repo.git('add', 'image.bin');
    repo.git('update-index', '--add', '--cacheinfo', `160000,${'a'.repeat(40)},vendor/lib`);

    const commit = repo.commit('binary and submodule');

    expect(commit.status, commit.output).toBe(0);
  });

  it('reads a large staged file whole: a key added at the end of 2 MB is found at its line', async () => {
    const filler = 'const filler = "lorem ipsum dolor sit amet, consectetur";\n'.repeat(40_000);
    repo.write('big.ts', filler);
    repo.commitUnchecked('big file');
    repo.write('big.ts', `${filler}const k = '${fakeKey('live')}';\n`);
    repo.git('add', 'big.ts');

    expect(await staged(repo)).toMatchObject([{ file: 'big.ts', line: 40_001, column: 12 }]);
  });

  it('names files with spaces, unicode and newlines as they are', async () => {
    const names = ['dir with space/key file.ts', 'clé-日本.ts', 'line\nbreak.ts'];
    for (const name of names) repo.write(name, `k = "${fakeKey('test')}"\n`);
    repo.git('add', '.');

    const found = await staged(repo);

    expect(found.map((finding) => finding.file).sort()).toEqual([...names].sort());
  });

  it('in a merge, lets through keys the merged branch already committed and blocks a key added while merging', () => {
    repo.write('app.ts', 'export const a = 1;\n');
    repo.commitUnchecked('base');
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write('feature.ts', `export const f = '${fakeKey('test')}';\n`);
    repo.commitUnchecked('feature with a test key (accepted in review)');
    repo.git('checkout', '-q', 'main');
    repo.write('main.ts', 'export const m = 1;\n');
    repo.commitUnchecked('main moves on');

    repo.git('merge', '-q', '--no-ff', '--no-commit', 'feature');
    expect(repo.commit('merge feature').status).toBe(0);

    repo.git('checkout', '-q', '-b', 'other', 'HEAD~1');
    repo.write('app.ts', 'export const a = 2;\n');
    repo.commitUnchecked('other');
    repo.git('checkout', '-q', 'main');
    expect(repo.tryGit('merge', '-q', '--no-commit', 'other').status).toBe(0);
    repo.write('app.ts', `export const a = '${fakeKey('live')}';\n`);
    repo.git('add', 'app.ts');
    const commit = repo.commit('merge other, adding a key');

    expect(commit.status).not.toBe(0);
    expect(commit.output).toContain('app.ts:1:');
  });

  it('handles thousands of staged files and still finds the one key', () => {
    for (let i = 0; i < 3000; i++) repo.write(`gen/file-${i}.ts`, `export const value${i} = ${i};\n`);
    repo.write('gen/file-2999.ts', `export const value2999 = '${fakeKey('live')}';\n`);
    repo.git('add', '.');

    const commit = repo.commit('generated');

    expect(commit.status).not.toBe(0);
    expect(commit.output).toContain('gen/file-2999.ts:1:');
    expect(commit.output).toContain('1 finding');
  });

  it('blocks the commit with the reason when the scanner cannot run (fails closed)', () => {
    // The hook finds node but no git: keyguard cannot read the index, so the commit must stop.
    const home = mkdtempSync(join(tmpdir(), 'keyguard-hook-home-'));
    try {
      const bin = join(home, 'bin');
      mkdirSync(bin);
      symlinkSync(process.execPath, join(bin, 'node'));
      symlinkSync('/bin/sh', join(bin, 'sh'));
      mkdirSync(join(home, 'husky'));
      writeFileSync(join(home, 'husky', 'init.sh'), `export PATH='${bin}'\n`);
      repo.write('a.ts', 'export const a = 1;\n');
      repo.git('add', '.');

      const commit = repo.commit('no git for the hook', [], { XDG_CONFIG_HOME: home });

      expect(commit.status).not.toBe(0);
      expect(repo.head()).toBeUndefined();
      expect(commit.output).toContain('commit blocked, the staged changes could not be scanned: git was not found on PATH');
      expect(commit.output).toContain('git commit --no-verify');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
