import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyguardError } from '../../src/errors.js';
import { scan } from '../../src/scan.js';
import { treeFiles, type TreeOptions } from '../../src/sources/tree.js';
import { tempRepos } from '../git/repo.js';
import { fakeKey } from '../helpers/keys.js';

const { repo, onCleanup } = tempRepos();

/** A plain directory, not inside any repository. */
function plainDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyguard-plain-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function write(dir: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

async function listed(cwd: string, paths: string[] = [], options?: TreeOptions): Promise<string[]> {
  const files: string[] = [];
  for await (const batch of treeFiles(cwd, paths, options)) files.push(...batch.map((file) => file.path));
  return files.sort();
}

describe('the file set in a git repository', () => {
  it('is the tracked files plus the untracked ones git does not ignore', async () => {
    const r = repo();
    r.write('.gitignore', 'build/\n*.log\n');
    r.write('src/app.ts', 'tracked\n');
    r.commitUnchecked('first');
    r.write('src/new.ts', 'untracked, not ignored\n');
    r.write('build/out.js', 'ignored\n');
    r.write('debug.log', 'ignored\n');

    expect(await listed(r.dir)).toEqual(['.gitignore', 'src/app.ts', 'src/new.ts']);
  });

  it('keeps a tracked file that .gitignore matches: ignoring does not untrack', async () => {
    const r = repo();
    r.write('.gitignore', 'secret.txt\n');
    r.write('secret.txt', 'x\n');
    r.git('add', '-f', 'secret.txt', '.gitignore');

    expect(await listed(r.dir)).toEqual(['.gitignore', 'secret.txt']);
  });

  it('from a subdirectory, is that directory’s tracked and untracked files, facts taken from the top', async () => {
    const r = repo();
    r.write('.gitignore', '*.log\n');
    r.write('pkg/tracked.ts', '1\n');
    r.write('other/elsewhere.ts', '2\n');
    r.commitUnchecked('first');
    r.write('pkg/deep/untracked.ts', '3\n');
    r.write('pkg/debug.log', 'ignored\n');

    const files: Array<{ path: string; top?: string; tracked?: boolean }> = [];
    for await (const batch of treeFiles(join(r.dir, 'pkg'), [])) files.push(...batch);

    expect(files.map(({ path, tracked }) => ({ path, tracked })).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'deep/untracked.ts', tracked: false },
      { path: 'tracked.ts', tracked: true },
    ]);
    expect(new Set(files.map((file) => file.top))).toEqual(new Set([realpathSync(r.dir)]));
  });

  it('gives paths relative to the current directory, with ../ for path arguments above it', async () => {
    const r = repo();
    r.write('pkg/a/one.ts', '1\n');
    r.write('pkg/b/two.ts', '2\n');
    r.write('top.ts', '3\n');

    expect(await listed(join(r.dir, 'pkg'))).toEqual(['a/one.ts', 'b/two.ts']);
    expect(await listed(join(r.dir, 'pkg/a'), ['../b', '../../top.ts'])).toEqual(['../b/two.ts', '../../top.ts'].sort());
  });

  it('narrows to the path arguments, taken literally (no glob magic)', async () => {
    const r = repo();
    r.write('a/x.ts', '1\n');
    r.write('b/y.ts', '2\n');
    r.write('c[1]/z.ts', '3\n');
    r.write('c1/w.ts', '4\n');

    expect(await listed(r.dir, ['b', 'c[1]'])).toEqual(['b/y.ts', 'c[1]/z.ts']);
  });

  it('names files with spaces, unicode and newlines as they are', async () => {
    const r = repo();
    const names = ['dir with space/key file.ts', 'clé-日本.ts', 'line\nbreak.ts'];
    for (const name of names) r.write(name, 'x\n');

    expect(await listed(r.dir)).toEqual([...names].sort());
  });

  it('lists thousands of files whose unicode names straddle the chunks git writes them in', async () => {
    const r = repo();
    const names = Array.from({ length: 2000 }, (_, i) => `données-日本/ファイル-${i}-${'x'.repeat(i % 50)}.txt`);
    for (const name of names) r.write(name, 'x\n');

    expect(await listed(r.dir)).toEqual([...names].sort());
  });

  it('lists a file with merge conflicts once, though the index holds three stages of it', async () => {
    const r = repo();
    r.write('app.ts', 'base\n');
    r.commitUnchecked('base');
    r.git('checkout', '-q', '-b', 'other');
    r.write('app.ts', 'theirs\n');
    r.commitUnchecked('theirs');
    r.git('checkout', '-q', 'main');
    r.write('app.ts', 'ours\n');
    r.commitUnchecked('ours');
    expect(r.tryGit('merge', '-q', 'other').status).not.toBe(0);

    expect(await listed(r.dir)).toEqual(['app.ts']);
  });

  it('lists a named file git ignores, once, and with noIgnore every ignored file under the named directories', async () => {
    const r = repo();
    r.write('.gitignore', 'build/\n*.log\n');
    r.write('src/app.ts', 'tracked\n');
    r.commitUnchecked('first');
    r.write('build/out.js', 'ignored\n');
    r.write('build/deep/more.js', 'ignored\n');
    r.write('debug.log', 'ignored\n');

    expect(await listed(r.dir, ['build/out.js', 'src'])).toEqual(['build/out.js', 'src/app.ts']);
    expect(await listed(r.dir, ['build', 'build/out.js'], { noIgnore: true })).toEqual(['build/deep/more.js', 'build/out.js']);
    expect(await listed(r.dir, [], { noIgnore: true })).toEqual(['.gitignore', 'build/deep/more.js', 'build/out.js', 'debug.log', 'src/app.ts']);
  });

  it('fails with one line naming a path that does not exist', async () => {
    const r = repo();

    await expect(listed(r.dir, ['nope/missing.ts'])).rejects.toThrow(
      new KeyguardError('path not found: nope/missing.ts (pass a file or directory that exists)'),
    );
  });
});

describe('reading the file set', () => {
  it('skips files deleted from the working tree and submodule gitlinks', async () => {
    const r = repo();
    const key = fakeKey('live');
    r.write('gone.ts', `k = "${key}"\n`);
    r.write('kept.ts', 'x\n');
    r.commitUnchecked('first');
    unlinkSync(join(r.dir, 'gone.ts'));
    r.git('update-index', '--add', '--cacheinfo', `160000,${'a'.repeat(40)},vendor/lib`);
    mkdirSync(join(r.dir, 'vendor/lib'), { recursive: true });

    const { findings, summary } = await scan({ cwd: r.dir });

    expect(findings).toEqual([]);
    expect(summary.files).toBe(1);
  });

  it('never follows a symlink: not out of the tree, not into a loop, not twice to the same file', async () => {
    const r = repo();
    const outside = plainDir();
    write(outside, 'secret.ts', `k = "${fakeKey('live')}"\n`);
    const inside = fakeKey('test');
    r.write('real.ts', `k = "${inside}"\n`);
    symlinkSync(join(outside, 'secret.ts'), join(r.dir, 'escape.ts'));
    symlinkSync(outside, join(r.dir, 'escape-dir'));
    symlinkSync(join(r.dir, 'real.ts'), join(r.dir, 'alias.ts'));
    symlinkSync('.', join(r.dir, 'loop'));
    r.commitUnchecked('links');

    const { findings } = await scan({ cwd: r.dir });

    expect(findings.map((finding) => finding.file)).toEqual(['real.ts']);
  });

  it('skips binary files: a NUL byte in the first 8 KB', async () => {
    const r = repo();
    const key = fakeKey('live');
    r.write('image.png', Buffer.concat([Buffer.from([0x89, 0x50, 0, 0]), Buffer.from(`\n${key}\n`)]));
    r.write('late-nul.txt', Buffer.concat([Buffer.from(`${'x'.repeat(9000)}\n${key}\n`), Buffer.from([0])]));

    const { findings, summary } = await scan({ cwd: r.dir });

    expect(findings.map((finding) => finding.file)).toEqual(['late-nul.txt']);
    expect(summary.files).toBe(1);
  });

  it('counts the files and bytes it scanned', async () => {
    const r = repo();
    r.write('a.txt', 'hello\n');
    r.write('b.txt', 'world!!\n');

    const { summary } = await scan({ cwd: r.dir });

    expect(summary).toMatchObject({ files: 2, bytes: 14, findings: 0 });
  });
});

describe('the file set outside a git repository', () => {
  it('is listed and read without starting git', async () => {
    const dir = plainDir();
    write(dir, 'src/app.ts', `k = "${fakeKey('live')}"\n`);
    // A `git` first on PATH that notes each call before running the real one.
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const shim = plainDir();
    write(shim, 'git', `#!/bin/sh\necho "$*" >> "${shim}/calls"\nexec "${realGit}" "$@"\n`);
    chmodSync(join(shim, 'git'), 0o755);
    const env = { ...process.env, PATH: `${shim}:${process.env.PATH ?? ''}` };

    const { findings } = await scan({ cwd: dir, env });

    expect(findings.map((finding) => finding.file)).toEqual(['src/app.ts']);
    expect(existsSync(join(shim, 'calls'))).toBe(false);
    // The shim does note git when there is a repository to ask.
    const r = repo();
    r.write('a.ts', 'x\n');
    await scan({ cwd: r.dir, env });
    expect(existsSync(join(shim, 'calls'))).toBe(true);
  });

  it('walks the directory and honours .gitignore files the way git does', async () => {
    const dir = plainDir();
    write(dir, '.gitignore', 'node_modules/\n*.log\n!keep.log\n');
    write(dir, 'src/app.ts', 'x\n');
    write(dir, 'src/.gitignore', 'generated/\n!/important.log\n');
    write(dir, 'src/generated/out.ts', 'x\n');
    write(dir, 'src/important.log', 'x\n');
    write(dir, 'src/other.log', 'x\n');
    write(dir, 'keep.log', 'x\n');
    write(dir, 'node_modules/pkg/index.js', 'x\n');
    write(dir, '.git-not-a-repo/file.txt', 'x\n');

    expect(await listed(dir)).toEqual([
      '.git-not-a-repo/file.txt',
      '.gitignore',
      'keep.log',
      'src/.gitignore',
      'src/app.ts',
      'src/important.log',
    ]);
  });

  it('lists a named file that .gitignore ignores, and names a named directory it ignores instead of listing it', async () => {
    const dir = plainDir();
    write(dir, '.gitignore', 'dist/\nsecret.txt\n');
    write(dir, 'dist/sub/app.js', 'x\n');
    write(dir, 'secret.txt', 'x\n');
    write(dir, 'ok.txt', 'x\n');
    const passedOver: string[] = [];

    const files = await listed(dir, ['dist/sub', 'secret.txt', 'ok.txt'], { onIgnoredDirectory: (path) => passedOver.push(path) });

    expect(files).toEqual(['ok.txt', 'secret.txt']);
    expect(passedOver).toEqual(['dist/sub/']);
  });

  it('with noIgnore, lists what .gitignore ignores too, marked ignored', async () => {
    const dir = plainDir();
    write(dir, '.gitignore', 'dist/\n*.log\n');
    write(dir, 'dist/sub/app.js', 'x\n');
    write(dir, 'debug.log', 'x\n');
    write(dir, 'ok.txt', 'x\n');

    const files: Array<{ path: string; ignored?: true }> = [];
    for await (const batch of treeFiles(dir, [], { noIgnore: true })) files.push(...batch.map(({ path, ignored }) => ({ path, ignored })));

    expect(files.sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
      { path: '.gitignore', ignored: undefined },
      { path: 'debug.log', ignored: true },
      { path: 'dist/sub/app.js', ignored: true },
      { path: 'ok.txt', ignored: undefined },
    ]);
  });

  it('does not follow symlinks', async () => {
    const dir = plainDir();
    const other = plainDir();
    write(other, 'secret.ts', 'x\n');
    write(dir, 'real.ts', 'x\n');
    symlinkSync(join(other, 'secret.ts'), join(dir, 'link.ts'));
    symlinkSync(other, join(dir, 'linked-dir'));
    symlinkSync(dir, join(dir, 'loop'));

    expect(await listed(dir)).toEqual(['real.ts']);
  });
});
