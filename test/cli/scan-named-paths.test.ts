import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { tempRepos, type TempRepo } from '../git/repo.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

const { repo, onCleanup } = tempRepos();

/** A repository that ignores `dist/` and `.env`, with a live key in its build output. */
function builtApp(): { r: TempRepo; key: string } {
  const r = repo();
  const key = fakeKey('live');
  r.write('.gitignore', 'dist/\n.env\n');
  r.write('src/app.ts', 'export const url = process.env.API_URL;\n');
  r.commitUnchecked('app');
  r.write('dist/app.js', `const k = "${key}";\n`);
  r.write('dist/assets/chunk.js', `fetch(u, { headers: { authorization: "Bearer ${key}" } });\n`);
  return { r, key };
}

const WARNING = 'keyguard: warning: dist/ is ignored by git, so files in it that git does not track were not scanned: add --no-ignore to scan them\n';

describe('a file named on the command line is scanned whatever the ignore rules say (as in ripgrep and fd)', () => {
  it('finds the key in an ignored build file and exits 1', async () => {
    const { r, key } = builtApp();

    const out = await r.keyguard('scan', 'dist/app.js');

    expect(out.exitCode).toBe(1);
    expect(out.stdout).toContain('dist/app.js:1:12  error  hardcoded-key');
    expect(out.stdout).toContain('in 1 file');
    expect(out.stdout + out.stderr).not.toContain(bodyOf(key));
  });

  it('finds it in a file under a directory git ignores, named from a subdirectory', async () => {
    const { r } = builtApp();

    const out = await run(['scan', '../dist/assets/chunk.js'], { cwd: join(r.dir, 'src'), env: process.env, stdoutIsTTY: false, stderrIsTTY: false });

    expect(out.exitCode).toBe(1);
    expect(out.stdout).toContain('../dist/assets/chunk.js:1:');
  });

  it('scans a named file once, also when its directory is named too', async () => {
    const { r } = builtApp();

    const out = await r.keyguard('scan', '--format', 'json', '--no-ignore', 'dist', 'dist/app.js');

    const report = JSON.parse(out.stdout) as { findings: Array<{ file: string }>; summary: { files: number } };
    expect(report.findings.map((finding) => finding.file)).toEqual(['dist/app.js', 'dist/assets/chunk.js']);
    expect(report.summary.files).toBe(2);
  });

  it('does not call a named, ignored .env file exposed: ignored and untracked is where it belongs', async () => {
    const { r } = builtApp();
    r.write('.env', 'API_URL=https://example.test\n');

    const out = await r.keyguard('scan', '.env');

    expect(out).toMatchObject({ exitCode: 0, stderr: '' });
    expect(out.stdout).toContain('in 1 file');
  });

  it('still applies the config file\'s ignore globs, the team\'s own list of what is never scanned', async () => {
    const { r } = builtApp();
    r.write('keyguard.config.json', '{ "ignore": ["dist/assets/**"] }\n');

    expect((await r.keyguard('scan', 'dist/assets/chunk.js')).exitCode).toBe(0);
    expect((await r.keyguard('scan', 'dist/app.js')).exitCode).toBe(1);
  });
});

describe('--no-ignore scans the ignored files under the named directories', () => {
  it('finds the keys in an ignored build directory', async () => {
    const { r } = builtApp();

    const out = await r.keyguard('scan', '--no-ignore', 'dist');

    expect(out.exitCode).toBe(1);
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain('dist/app.js:1:12');
    expect(out.stdout).toContain('dist/assets/chunk.js:1:');
  });

  it('over the whole tree, tracked files included, each once', async () => {
    const { r } = builtApp();

    const out = await r.keyguard('scan', '--no-ignore', '--format', 'json');

    const files = (JSON.parse(out.stdout) as { findings: Array<{ file: string }> }).findings.map((finding) => finding.file);
    expect(files).toEqual(['dist/app.js', 'dist/assets/chunk.js']);
  });

  it('is a flag of its own: --ignore GLOB still works beside it', async () => {
    const { r } = builtApp();

    const out = await r.keyguard('scan', '--no-ignore', '--ignore', 'dist/assets/**', 'dist');

    expect(out.exitCode).toBe(1);
    expect(out.stdout).toContain('dist/app.js');
    expect(out.stdout).not.toContain('chunk.js');
  });

  it('is listed in scan --help', async () => {
    const { r } = builtApp();

    expect((await r.keyguard('scan', '--help')).stdout).toMatch(/--no-ignore\s+Also scan the files git or \.gitignore ignores/);
  });
});

describe('a named directory git ignores, without --no-ignore', () => {
  it('is a one-line warning on stderr naming it and how to include it, never a silent pass', async () => {
    const { r } = builtApp();

    const out = await r.keyguard('scan', 'dist');

    expect(out.exitCode).toBe(0);
    expect(out.stderr).toBe(WARNING);
    expect(out.stdout).toContain('in 0 files');
  });

  it('warns beside the other paths it scans, and for a directory inside an ignored one', async () => {
    const { r } = builtApp();

    const out = await r.keyguard('scan', 'src', 'dist/assets');

    expect(out.stderr).toBe(WARNING.replace('dist/', 'dist/assets/'));
    expect(out.stdout).toContain('in 1 file');
  });

  it('warns when the ignored directory holds a tracked file too: only that one was scanned', async () => {
    const { r } = builtApp();
    r.write('dist/keep.js', 'ok\n');
    r.git('add', '-f', 'dist/keep.js');

    const out = await r.keyguard('scan', 'dist');

    expect(out.stderr).toBe(WARNING);
    expect(out.stdout).toContain('in 1 file');
  });

  it('says nothing for directories git does not ignore, or for the whole tree', async () => {
    const { r } = builtApp();

    expect((await r.keyguard('scan', 'src')).stderr).toBe('');
    expect((await r.keyguard('scan')).stderr).toBe('');
    expect((await r.keyguard('scan', '.')).stderr).toBe('');
  });

  it('prints the warning when the report goes to a file, too', async () => {
    const { r } = builtApp();

    const out = await r.keyguard('scan', 'dist', '--output', 'report.txt');

    expect(out.stderr).toBe(`${WARNING}keyguard: wrote 0 findings to report.txt\n`);
  });
});

describe('outside a git repository, .gitignore files rule the same way', () => {
  function plainProject(): { dir: string; key: string } {
    const dir = mkdtempSync(join(tmpdir(), 'keyguard-plain-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    const key = fakeKey('live');
    const files: Record<string, string> = {
      '.gitignore': 'dist/\n.env\n',
      'src/app.js': 'ok\n',
      'dist/app.js': `const k = "${key}";\n`,
      '.env': 'API_URL=https://example.test\n',
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return { dir, key };
  }
  const at = (cwd: string, ...argv: string[]) => run(argv, { cwd, env: process.env, stdoutIsTTY: false, stderrIsTTY: false });

  it('scans a named ignored file, warns for a named ignored directory, and --no-ignore scans it', async () => {
    const { dir } = plainProject();

    expect((await at(dir, 'scan', 'dist/app.js')).exitCode).toBe(1);
    expect(await at(dir, 'scan', 'dist')).toMatchObject({ exitCode: 0, stderr: WARNING });
    const all = await at(dir, 'scan', '--no-ignore');
    expect(all.exitCode).toBe(1);
    expect(all.stdout).toContain('dist/app.js:1:12');
    // The ignored .env file is read for keys, but it is where secrets belong: no .env finding.
    expect(all.stdout).not.toContain('env-not-ignored');
  });
});
