import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, constants, existsSync, ftruncateSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TempRepo } from '../git/repo.js';
import { keyguardProcess as keyguard, type Outcome } from '../helpers/keyguard-process.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

const key = fakeKey('live');

/** Exit 2, nothing on stdout, exactly one line on stderr, no stack trace. */
function expectOneLineError(out: Outcome, line: RegExp): void {
  expect(out.status, out.stderr).toBe(2);
  expect(out.stdout).toBe('');
  expect(out.stderr).toMatch(/^keyguard: [^\n]*\n$/);
  expect(out.stderr.slice('keyguard: '.length, -1)).toMatch(line);
  expect(out.stderr).not.toMatch(/\bat .+:\d+:\d+|Error:|node:internal/);
}

/** The findings of a `--format json` run, as file:line:column. */
function places(out: Outcome): string[] {
  const report = JSON.parse(out.stdout) as { findings: Array<{ file: string; line: number; column: number }> };
  return report.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column}`);
}

const temp = mkdtempSync(join(tmpdir(), 'keyguard-hardening-cli-'));
let dirs = 0;
/** A fresh directory that is not in any repository, with these files. */
function plainDir(files: Record<string, string | Buffer> = {}): string {
  const dir = join(temp, `plain-${dirs++}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const repos: TempRepo[] = [];
function repo(files: Record<string, string | Buffer> = {}): TempRepo {
  const made = TempRepo.create();
  repos.push(made);
  for (const [path, content] of Object.entries(files)) made.write(path, content);
  return made;
}

afterAll(() => {
  for (const made of repos) {
    spawnSync('chmod', ['-R', 'u+rwX', made.dir]);
    made.remove();
  }
  spawnSync('chmod', ['-R', 'u+rwX', temp]);
  // rm(1), not rmSync: Node's recursive removal overflows the stack on the 1,900-deep tree.
  spawnSync('rm', ['-rf', temp]);
});

describe('paths that are not what a scan expects', () => {
  it('a path that does not exist: one line naming it, exit 2', () => {
    expectOneLineError(keyguard(repo().dir, ['scan', 'src/nope.ts']), /^path not found: src\/nope\.ts \(pass a file or directory that exists\)$/);
  });

  it('a path outside the repository is scanned as a plain directory and reported relative to the current one', () => {
    const r = repo({ 'a.ts': 'ok\n' });
    const outside = plainDir({ 'lib/b.ts': `k = "${key}"\n` });

    const out = keyguard(r.dir, ['scan', '--format', 'json', outside]);

    expect(out.status).toBe(1);
    expect(places(out)).toEqual([`${relative(r.dir, outside)}/lib/b.ts:1:6`]);
    expect(places(out)[0]).toMatch(/^\.\.\//);
  });

  it('a symlink loop, a link to its own directory and a link to the parent: followed never, the key reported once', () => {
    const r = repo({ 'a.ts': `k = "${key}"\n`, 'd/x.txt': 'x\n' });
    symlinkSync('loop', join(r.dir, 'loop'));
    symlinkSync('.', join(r.dir, 'self'));
    symlinkSync('..', join(r.dir, 'd/up'));
    r.commitUnchecked('links');

    const out = keyguard(r.dir, ['scan', '--format', 'json']);

    expect(out.status).toBe(1);
    expect(places(out)).toEqual(['a.ts:1:6']);
    expect(out.stderr).toBe('');
  });

  it('a FIFO and a path argument that is a FIFO are skipped, without blocking the scan', () => {
    const dir = plainDir({ 'a.ts': `k = "${key}"\n` });
    expect(spawnSync('mkfifo', [join(dir, 'pipe')]).status).toBe(0);

    const out = keyguard(dir, ['scan', '--format', 'json', '.', 'pipe']);

    expect(out.status).toBe(1);
    expect(places(out)).toEqual(['a.ts:1:6']);
  });

  it('a tree 1,900 directories deep outside a repository is walked without overflowing the stack', () => {
    const dir = plainDir();
    const deepest = join(dir, ...Array<string>(1900).fill('a'));
    mkdirSync(deepest, { recursive: true });
    writeFileSync(join(deepest, 'k.ts'), `k = "${key}"\n`);

    const out = keyguard(dir, ['scan', '--format', 'json']);

    expect(out.stderr).toBe('');
    expect(places(out)).toEqual([`${'a/'.repeat(1900)}k.ts:1:6`]);
  });

  it('a file deleted between git listing it and keyguard reading it is skipped; the rest is scanned', () => {
    const r = repo({ 'a.ts': `k = "${key}"\n`, 'doomed.ts': `k = "${fakeKey('test')}"\n` });
    r.commitUnchecked('two files');
    // A `git` that lists the files, then deletes one before handing the list over (a list file per
    // process: keyguard runs its two listings at once).
    const realGit = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
    const shim = plainDir();
    writeFileSync(
      join(shim, 'git'),
      `#!/bin/sh\nfor arg in "$@"; do\n  if [ "$arg" = ls-files ]; then\n    "${realGit}" "$@" > "${shim}/list.$$"; status=$?\n    rm -f "${r.dir}/doomed.ts"\n    cat "${shim}/list.$$"; exit $status\n  fi\ndone\nexec "${realGit}" "$@"\n`,
      { mode: 0o755 },
    );

    const out = keyguard(r.dir, ['scan', '--format', 'json'], { env: { ...process.env, PATH: `${shim}:${process.env.PATH}` } });

    expect(existsSync(join(r.dir, 'doomed.ts'))).toBe(false);
    expect(out.status).toBe(1);
    expect(places(out)).toEqual(['a.ts:1:6']);
    expect(out.stderr).toBe('');
  });

  it('--output to a FIFO, or through a symlink, writes to it rather than replacing it with a file', () => {
    const dir = plainDir({ 'a.ts': `k = "${key}"\n`, 'reports/real.json': '' });
    const fifo = join(dir, 'report.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    symlinkSync('reports/real.json', join(dir, 'link.json'));
    // Open for reading and writing, non-blocking: keyguard's open does not wait for a reader,
    // and an empty pipe fails the read rather than hanging the test.
    const reader = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
    try {
      keyguard(dir, ['scan', 'a.ts', '--format', 'json', '--output', 'report.fifo']);
      keyguard(dir, ['scan', 'a.ts', '--format', 'json', '--output', 'link.json']);
      const buffer = Buffer.alloc(1 << 16);
      const piped = buffer.toString('utf8', 0, readSync(reader, buffer));

      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
      expect(JSON.parse(piped).findings).toHaveLength(1);
      expect(JSON.parse(readFileSync(join(dir, 'reports/real.json'), 'utf8')).findings).toHaveLength(1);
    } finally {
      closeSync(reader);
    }
  });

  it('file names with newlines: reported as git names them in JSON, on one line in the text report', () => {
    const r = repo({ 'new\nline.ts': `k = "${key}"\n` });

    const json = keyguard(r.dir, ['scan', '--format', 'json']);
    const text = keyguard(r.dir, ['scan']);

    expect(places(json)).toEqual(['new\nline.ts:1:6']);
    expect(text.stdout.split('\n')[0]).toMatch(/^new\ufffdline\.ts:1:6 {2}error {2}hardcoded-key/);
  });

  it('an error about a file name with a newline or an escape sequence stays on one line and cannot drive the terminal', () => {
    expectOneLineError(keyguard(repo().dir, ['scan', 'no\nsuch\u001b[2J.ts']), /^path not found: no\ufffdsuch\ufffd\[2J\.ts /);
  });
});

describe('files and directories keyguard may not read', () => {
  // `unprivileged`: as root, permissions bind only once the process has dropped two capabilities (setpriv).
  it('an unreadable directory that git cannot list: one line naming it, exit 2, rather than a scan that silently skips it', () => {
    const r = repo({ 'a.ts': 'ok\n', 'locked/b.ts': `k = "${key}"\n` });
    chmodSync(join(r.dir, 'locked'), 0o000);

    expectOneLineError(keyguard(r.dir, ['scan'], { unprivileged: true }), /^cannot read locked\/: permission denied \(fix its permissions, or narrow the scan with path arguments\)$/);
  });

  it('an unreadable directory outside a repository: the same line', () => {
    const dir = plainDir({ 'a.ts': 'ok\n', 'sub/locked/b.ts': `k = "${key}"\n` });
    chmodSync(join(dir, 'sub/locked'), 0o000);

    expectOneLineError(keyguard(dir, ['scan'], { unprivileged: true }), /^cannot read sub\/locked\/: permission denied /);
  });

  it('an unreadable file: one line naming it, exit 2', () => {
    const r = repo({ 'a.ts': 'ok\n', 'secret.ts': `k = "${key}"\n` });
    chmodSync(join(r.dir, 'secret.ts'), 0o000);

    expectOneLineError(keyguard(r.dir, ['scan'], { unprivileged: true }), /^cannot read secret\.ts: permission denied /);
  });
});

describe('contents that are not plain UTF-8 text', () => {
  it('invalid UTF-8 before a key: the key is found, its column counted as decoders count the bad bytes', () => {
    const dir = plainDir({ 'bad.txt': Buffer.concat([Buffer.from('a=\xff\xfe\xc3 k="', 'latin1'), Buffer.from(`${key}"\n`)]) });

    const out = keyguard(dir, ['scan', '--format', 'json']);

    // a = U+FFFD U+FFFD U+FFFD space k = " : the key starts at column 10.
    expect(places(out)).toEqual(['bad.txt:1:10']);
  });

  it('UTF-16 with a byte order mark, little- or big-endian: the keys are found at their line and column', () => {
    const text = `// é 😀\r\nconst k = "${key}";\r\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    const dir = plainDir({ 'le.ts': le, 'be.ts': be });

    const out = keyguard(dir, ['scan', '--format', 'json']);

    expect(out.status).toBe(1);
    expect(places(out)).toEqual(['be.ts:2:12', 'le.ts:2:12']);
  });

  it('UTF-16 without a byte order mark is binary, as git decides: skipped', () => {
    const dir = plainDir({ 'bare.ts': Buffer.from(`k = "${key}"\n`, 'utf16le') });

    const out = keyguard(dir, ['scan', '--format', 'json']);

    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ findings: [], summary: { files: 0 } });
  });

  it('a 1 GB file (sparse: one long line of NUL bytes after 16 KB of code) is read in windows: the key at its end is found, memory stays flat', () => {
    const dir = plainDir();
    const fd = openSync(join(dir, 'huge.log'), 'w');
    writeSync(fd, 'const a = 1;\n'.repeat(1300));
    ftruncateSync(fd, 1 << 30);
    writeSync(fd, `\nk = "${key}"\n`, 1 << 30);
    closeSync(fd);

    const out = keyguard(dir, ['scan', '--format', 'json']);

    expect(out.status).toBe(1);
    expect(places(out)).toEqual(['huge.log:1302:6']);
    expect(JSON.parse(out.stdout).summary.bytes).toBeGreaterThan(1 << 30);
    // Node alone is ~60 MB here; reading the file whole would need more than 1 GB.
    expect(out.rssMb).toBeLessThan(200);
  });
});

describe('git in a bad state', () => {
  it('not a git repository: the tree is scanned as plain files; --staged and --history say what they need', () => {
    const dir = plainDir({ 'a.ts': `k = "${key}"\n`, 'empty/b.ts': `k = "${key}"\n` });
    // An empty .git directory holds no repository, broken or not.
    mkdirSync(join(dir, 'empty/.git'));

    expect(places(keyguard(dir, ['scan', '--format', 'json']))).toEqual(['a.ts:1:6', 'empty/b.ts:1:6']);
    expect(places(keyguard(join(dir, 'empty'), ['scan', '--format', 'json']))).toEqual(['b.ts:1:6']);
    expectOneLineError(keyguard(dir, ['scan', '--history']), /^--history reads git, but .+ is not in a git repository: run it inside one$/);
    expectOneLineError(keyguard(dir, ['scan', '--staged']), /^commit blocked, the staged changes could not be scanned: --staged reads git, but .+ is not in a git repository/);
  });

  it.each([
    ['a HEAD that is garbage', (r: TempRepo) => writeFileSync(join(r.dir, '.git/HEAD'), 'garbage\n'), /\.git is not a repository git can read \(git: not a git repository\): repair it, or move it away/],
    ['no objects directory', (r: TempRepo) => rmSync(join(r.dir, '.git/objects'), { recursive: true }), /\.git is not a repository git can read/],
    ['a .git file pointing nowhere', (r: TempRepo) => (rmSync(join(r.dir, '.git'), { recursive: true }), writeFileSync(join(r.dir, '.git'), 'gitdir: /nonexistent/repo\n')), /\.git is not a repository git can read \(git: not a git repository: \/nonexistent\/repo\)/],
    ['a .git file of garbage', (r: TempRepo) => (rmSync(join(r.dir, '.git'), { recursive: true }), writeFileSync(join(r.dir, '.git'), 'garbage\n')), /^git rev-parse failed: invalid gitfile format: /],
    ['an index that is not an index', (r: TempRepo) => writeFileSync(join(r.dir, '.git/index'), 'not an index'), /^git ls-files failed: .*index/],
  ])('a corrupt .git, %s: one line, exit 2, never a scan that quietly treats the repository as plain files', (_name, corrupt, line) => {
    const r = repo({ 'a.ts': `k = "${key}"\n` });
    r.commitUnchecked('a key');
    corrupt(r);

    expectOneLineError(keyguard(r.dir, ['scan']), line);
  });

  it('objects missing from the repository: --history and --staged fail with one line', () => {
    const r = repo({ 'a.ts': `k = "${key}"\n` });
    r.commitUnchecked('a key');
    r.write('b.ts', `k = "${fakeKey('test')}"\n`);
    r.git('add', 'b.ts');
    rmSync(join(r.dir, '.git/objects'), { recursive: true });
    mkdirSync(join(r.dir, '.git/objects'));

    expectOneLineError(keyguard(r.dir, ['scan', '--history']), /^git log failed: /);
    expectOneLineError(keyguard(r.dir, ['scan', '--staged']), /^commit blocked, the staged changes could not be scanned: /);
  });

  it('git missing from PATH: one line inside a repository; outside one, the scan needs no git', () => {
    const env = { ...process.env, PATH: join(temp, 'no-such-bin') };
    const r = repo({ 'a.ts': `k = "${key}"\n` });
    const dir = plainDir({ 'a.ts': `k = "${key}"\n` });

    expectOneLineError(keyguard(r.dir, ['scan'], { env }), /^git was not found on PATH: install git, or scan a directory outside a repository$/);
    expectOneLineError(keyguard(r.dir, ['scan', '--staged'], { env }), /^commit blocked, the staged changes could not be scanned: git was not found on PATH/);
    expect(places(keyguard(dir, ['scan', '--format', 'json'], { env }))).toEqual(['a.ts:1:6']);
  });
});

describe('a bad config', () => {
  it.each([
    ['JSON that does not parse', '{ "ignore": [', /^keyguard\.config\.json is not valid JSON \(.+\): fix the file$/],
    ['a field of the wrong type', '{ "ignore": "dist" }', /^keyguard\.config\.json: "ignore": /],
    ['an unknown field', '{ "ignroe": ["dist"] }', /^keyguard\.config\.json: "ignroe": unknown field/],
    ['an allow pattern that is not a regex', '{ "allow": ["sk_live_(" ] }', /^keyguard\.config\.json: "allow\[0\]": /],
    ['a config that is not an object', '[1, 2]', /^keyguard\.config\.json: the config must be a JSON object/],
    ['a config of binary garbage', '\u0000\u00ff\u0001{', /^keyguard\.config\.json is not valid JSON \([^\u0000-\u001f]+\): fix the file$/],
  ])('%s: one line naming the file and field, exit 2', (_name, config, line) => {
    const r = repo({ 'a.ts': 'ok\n', 'keyguard.config.json': config });

    expectOneLineError(keyguard(r.dir, ['scan']), line);
  });

  it('a config holding a key names the field without printing the key', () => {
    const r = repo({ 'a.ts': 'ok\n', 'keyguard.config.json': `{ "allow": ["${key}("] }` });

    const out = keyguard(r.dir, ['scan']);

    expectOneLineError(out, /^keyguard\.config\.json: "allow\[0\]": /);
    expect(out.stderr).not.toContain(bodyOf(key));
  });
});
