import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { TempRepo } from '../git/repo.js';
import { prefixOf, PUBLISHED_EXAMPLE_KEYS } from '../../src/detect/index.js';
import { fakeKey } from '../helpers/keys.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function repo(files: Record<string, string> = {}): TempRepo {
  const made = TempRepo.create();
  cleanups.push(() => made.remove());
  for (const [path, content] of Object.entries(files)) made.write(path, content);
  return made;
}

function oneLine(stderr: string): void {
  expect(stderr.split('\n')[0]).toMatch(/^keyguard: /);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('keyguard scan exit codes', () => {
  it('exits 0 and prints a summary when there is nothing to report', async () => {
    const out = await repo({ 'a.ts': 'export const a = 1;\n' }).keyguard('scan');

    expect(out).toMatchObject({ exitCode: 0, stderr: '' });
    expect(out.stdout).toMatch(/^✔ No keys or exposed \.env files in 1 file \(\d+ B\) in \d+ ms\n$/);
  });

  it('exits 1 when it finds a key, and shows where', async () => {
    const out = await repo({ 'a.ts': `export const a = '${fakeKey('test')}';\n` }).keyguard('scan');

    expect(out.exitCode).toBe(1);
    expect(out.stdout).toContain('a.ts:1:19  error  hardcoded-key  Hardcoded test API key sk_test_');
  });

  it('--fail-on live lets test and sandbox keys through but not live keys or .env files', async () => {
    const r = repo({ 'a.ts': `a = '${fakeKey('test')}'; b = '${fakeKey('sandbox')}'\n` });
    expect((await r.keyguard('scan', '--fail-on', 'live')).exitCode).toBe(0);
    expect((await r.keyguard('scan', '--fail-on', 'any')).exitCode).toBe(1);

    r.write('b.ts', `c = '${fakeKey('live')}'\n`);
    expect((await r.keyguard('scan', '--fail-on', 'live')).exitCode).toBe(1);

    r.write('b.ts', '');
    r.write('.env', 'A=1\n');
    expect((await r.keyguard('scan', '--fail-on', 'live')).exitCode).toBe(1);
  });

  it("a published example key is a warning: --fail-on live passes, any fails, every format says warning", async () => {
    const example = PUBLISHED_EXAMPLE_KEYS.map((entry) => prefixOf(entry.keyType) + entry.body)[0]!;
    const r = repo({ 'docs/quickstart.md': `curl -u ${example}: https://api.example.test\n` });

    expect((await r.keyguard('scan', '--fail-on', 'live')).exitCode).toBe(0);
    const text = await r.keyguard('scan', '--fail-on', 'any');
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain('docs/quickstart.md:1:9  warning  published-example-key  Published example test API key sk_test_4eC3…7dc');
    const json = JSON.parse((await r.keyguard('scan', '--format', 'json')).stdout) as { findings: object[] };
    expect(json.findings).toMatchObject([{ ruleId: 'published-example-key', severity: 'warning', keyType: 'test', redacted: 'sk_test_4eC3…7dc' }]);
    const sarif = JSON.parse((await r.keyguard('scan', '--format', 'sarif')).stdout) as { runs: Array<{ results: object[] }> };
    expect(sarif.runs[0]!.results).toMatchObject([{ ruleId: 'published-example-key', level: 'warning' }]);
    expect((await r.keyguard('scan', '--format', 'github')).stdout).toMatch(/^::warning file=docs\/quickstart\.md,line=1,col=9,/);
    for (const format of ['text', 'json', 'sarif', 'github']) expect((await r.keyguard('scan', '--format', format)).stdout).not.toContain(example);
  });

  it('narrows the scan to path arguments', async () => {
    const r = repo({ 'clean/a.ts': 'ok\n', 'dirty/b.ts': `k = '${fakeKey('live')}'\n` });

    expect((await r.keyguard('scan', 'clean')).exitCode).toBe(0);
    expect((await r.keyguard('scan', 'clean', 'dirty')).exitCode).toBe(1);
  });
});

describe('keyguard scan errors: one line on stderr, exit 2', () => {
  it('for a path that does not exist', async () => {
    const out = await repo().keyguard('scan', 'src/missing.ts');

    expect(out).toMatchObject({ exitCode: 2, stdout: '' });
    expect(out.stderr).toBe('keyguard: path not found: src/missing.ts (pass a file or directory that exists)\n');
  });

  it('for an unknown flag or format', async () => {
    const r = repo();
    for (const argv of [['scan', '--frobnicate'], ['scan', '--format', 'xml'], ['scan', '--format'], ['scan', '--fail-on', 'never'], ['scan', '--output']]) {
      const out = await r.keyguard(...argv);
      expect(out.exitCode, argv.join(' ')).toBe(2);
      oneLine(out.stderr);
      expect(out.stderr.split('\n')[1]).toBe("Run 'keyguard --help' for usage.");
    }
  });

  it('for a mistyped command, with the command it was probably meant to be', async () => {
    const out = await repo().keyguard('scna');

    expect(out).toMatchObject({ exitCode: 2, stdout: '' });
    expect(out.stderr).toBe("keyguard: Unknown argument: scna. Did you mean scan?\nRun 'keyguard --help' for usage.\n");
  });

  it('for a broken repository, naming the git command that failed', async () => {
    const r = repo({ 'a.ts': 'x\n' });
    writeFileSync(join(r.dir, '.git/index'), 'not an index');

    const out = await r.keyguard('scan');

    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^keyguard: git ls-files failed: .*index.*\n$/);
  });

  it('for an --output file that cannot be written', async () => {
    const out = await repo().keyguard('scan', '--output', 'no/such/dir/report.json');

    expect(out.exitCode).toBe(2);
    expect(out.stderr).toBe('keyguard: cannot write --output no/such/dir/report.json: its directory does not exist (create it first)\n');
  });
});

describe('keyguard scan --output', () => {
  it('writes the report to the file, whole, and prints only a note on stderr', async () => {
    const r = repo({ 'a.ts': `k = '${fakeKey('live')}'\n` });

    const out = await r.keyguard('scan', '--format', 'json', '--output', 'report.json');

    expect(out.exitCode).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe('keyguard: wrote 1 finding to report.json\n');
    const report = JSON.parse(readFileSync(join(r.dir, 'report.json'), 'utf8')) as { findings: Array<{ file: string }> };
    expect(report.findings.map((finding) => finding.file)).toEqual(['a.ts']);
    expect(readdirSync(r.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces an existing report rather than appending to it', async () => {
    const r = repo({ 'a.ts': 'x\n' });
    r.write('report.txt', 'old report, much longer than the new one '.repeat(100));

    await r.keyguard('scan', '--output', 'report.txt');

    expect(readFileSync(join(r.dir, 'report.txt'), 'utf8')).toMatch(/^✔ No keys/);
  });
});

describe('keyguard scan colours', () => {
  const env = { PATH: process.env.PATH };
  const key = fakeKey('live');

  it('colours the text report on a terminal', async () => {
    const r = repo({ 'a.ts': `k = '${key}'\n` });
    const out = await run(['scan'], { cwd: r.dir, env, stdoutIsTTY: true, stderrIsTTY: true });
    expect(out.stdout).toContain('\u001b[');
  });

  it('does not colour when NO_COLOR is set, when stdout is not a terminal, or when writing a file', async () => {
    const r = repo({ 'a.ts': `k = '${key}'\n` });
    const noColor = await run(['scan'], { cwd: r.dir, env: { ...env, NO_COLOR: '1' }, stdoutIsTTY: true, stderrIsTTY: true });
    const piped = await run(['scan'], { cwd: r.dir, env, stdoutIsTTY: false, stderrIsTTY: false });
    await run(['scan', '--output', 'out.txt'], { cwd: r.dir, env, stdoutIsTTY: true, stderrIsTTY: true });

    expect(noColor.stdout).not.toContain('\u001b[');
    expect(piped.stdout).not.toContain('\u001b[');
    expect(readFileSync(join(r.dir, 'out.txt'), 'utf8')).not.toContain('\u001b[');
  });
});

describe('keyguard scan --help', () => {
  it('lists the flags and their choices', async () => {
    const out = await repo().keyguard('scan', '--help');

    expect(out.exitCode).toBe(0);
    for (const text of ['--format', '"text"', '"json"', '"sarif"', '"github"', '--output', '--fail-on', '"live"', '"any"']) {
      expect(out.stdout).toContain(text);
    }
  });
});
