import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import type { CliResult } from '../../src/cli/io.js';
import { fingerprint } from '../../src/findings.js';
import { tempRepos, type TempRepo } from '../git/repo.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

const { repo } = tempRepos();

interface JsonReport {
  findings: Array<{ file: string; line: number; redacted: string; fingerprint: string }>;
  summary: { findings: number; baseline?: { file: string; hidden: number; stale: Array<{ file: string; fingerprint: string; redacted?: string }> } };
}

async function jsonScan(r: TempRepo, ...args: string[]): Promise<{ exitCode: number; report: JsonReport }> {
  const out = await r.keyguard('scan', '--format', 'json', ...args);
  expect(out.stderr).toBe('');
  return { exitCode: out.exitCode, report: JSON.parse(out.stdout) as JsonReport };
}

function baselineText(r: TempRepo, name = '.keyguard-baseline.json'): string {
  return readFileSync(join(r.dir, name), 'utf8');
}

describe('keyguard baseline: round trip on a repository', () => {
  it('acknowledges today\'s keys, fails on a new one, survives line moves, lists a removed key as stale and --update drops it', async () => {
    const r = repo();
    const old = fakeKey('live');
    r.write('src/pay.ts', `export const key = '${old}';\n`);
    r.commitUnchecked('legacy key');

    expect((await r.keyguard('scan')).exitCode).toBe(1);

    const recorded = await r.keyguard('baseline');
    expect(recorded).toMatchObject({ exitCode: 0, stderr: '' });
    expect(recorded.stdout).toContain('wrote .keyguard-baseline.json, 1 entry (1 new, 0 dropped)');

    const clean = await jsonScan(r);
    expect(clean.exitCode).toBe(0);
    expect(clean.report.findings).toEqual([]);
    expect(clean.report.summary.baseline).toEqual({ file: '.keyguard-baseline.json', hidden: 1, stale: [] });

    const fresh = fakeKey('test');
    r.write('src/other.ts', `const k = '${fresh}';\n`);
    const failing = await jsonScan(r);
    expect(failing.exitCode).toBe(1);
    expect(failing.report.findings.map((f) => f.file)).toEqual(['src/other.ts']);
    r.write('src/other.ts', '');

    r.write('src/pay.ts', `// moved down by new code\nimport x from 'y';\n\n\nexport const key = '${old}';\n`);
    const moved = await jsonScan(r);
    expect(moved.exitCode).toBe(0);
    expect(moved.report.summary.baseline?.hidden).toBe(1);

    r.write('src/pay.ts', 'export const key = process.env.PAY_KEY;\n');
    const gone = await r.keyguard('scan');
    expect(gone.exitCode).toBe(0);
    expect(gone.stdout).toContain('Baseline .keyguard-baseline.json: 0 hidden, 1 stale (no longer found; drop them with keyguard baseline --update):');
    expect(gone.stdout).toMatch(/ {2}src\/pay\.ts {2}hardcoded-key {2}sk_live_\w{4}…\w{3}/);

    const updated = await r.keyguard('baseline', '--update');
    expect(updated.stdout).toContain('0 entries (0 new, 1 dropped)');
    expect(JSON.parse(baselineText(r))).toEqual({ version: 1, findings: [] });
    expect((await jsonScan(r)).report.summary.baseline).toEqual({ file: '.keyguard-baseline.json', hidden: 0, stale: [] });
  });

  it('writes one entry per finding with fingerprint, rule, file, key type and redacted key, and never the key itself', async () => {
    const r = repo();
    const key = fakeKey('sandbox', 48);
    r.write('config/app.js', `module.exports = { key: "${key}", again: "${key}" };\n`);
    r.write('.env', 'SECRET=1\n');

    await r.keyguard('baseline');

    const text = baselineText(r);
    expect(text).not.toContain(bodyOf(key));
    expect(JSON.parse(text)).toEqual({
      version: 1,
      findings: [
        { fingerprint: fingerprint('env-not-ignored', '.env'), ruleId: 'env-not-ignored', file: '.env' },
        {
          fingerprint: fingerprint('hardcoded-key', 'config/app.js', key),
          ruleId: 'hardcoded-key',
          file: 'config/app.js',
          keyType: 'sandbox',
          redacted: `sk_sandbox_${bodyOf(key).slice(0, 4)}…${key.slice(-3)}`,
        },
      ],
    });
  });

  it('never rewrites the file on a check, and keyguard baseline with nothing new leaves it as it was', async () => {
    const r = repo();
    r.write('a.js', `x = '${fakeKey()}';\n`);
    await r.keyguard('baseline');
    const before = baselineText(r);
    const { mtimeMs } = statSync(join(r.dir, '.keyguard-baseline.json'));

    r.write('b.js', `y = '${fakeKey()}';\n`);
    await r.keyguard('scan');
    await r.keyguard('scan', '--format', 'sarif');
    const again = await r.keyguard('baseline', '--update');

    expect(again.stdout).toContain('is up to date, 1 entry (0 new, 0 dropped); not rewritten');
    expect(baselineText(r)).toBe(before);
    expect(statSync(join(r.dir, '.keyguard-baseline.json')).mtimeMs).toBe(mtimeMs);
  });

  it('--update never acknowledges a new finding: it only drops stale entries', async () => {
    const r = repo();
    r.write('a.js', `x = '${fakeKey()}';\n`);
    await r.keyguard('baseline');
    r.write('a.js', `x = '${fakeKey()}';\n`);

    const updated = await r.keyguard('baseline', '--update');

    expect(updated.stdout).toContain('0 entries (0 new, 1 dropped)');
    expect((await r.keyguard('scan')).exitCode).toBe(1);
  });

  it('matches the same key with CRLF line endings and from a subdirectory', async () => {
    const r = repo();
    const key = fakeKey();
    r.write('pkg/src/a.js', `const a = 1;\nconst k = '${key}';\n`);
    await r.keyguard('baseline');

    r.write('pkg/src/a.js', `// windows checkout\r\nconst a = 1;\r\nconst k = '${key}';\r\n`);
    expect((await r.keyguard('scan')).exitCode).toBe(0);

    mkdirSync(join(r.dir, 'pkg'), { recursive: true });
    const fromSub = await inDir(join(r.dir, 'pkg'), 'scan', '--format', 'json');
    expect(fromSub.exitCode).toBe(0);
    expect((JSON.parse(fromSub.stdout) as JsonReport).summary.baseline).toEqual({ file: '../.keyguard-baseline.json', hidden: 1, stale: [] });
  });

  it('keeps the fingerprint of a Windows path equal to its POSIX form', () => {
    const key = fakeKey();
    expect(fingerprint('hardcoded-key', 'src\\pay.ts', key)).toBe(fingerprint('hardcoded-key', 'src/pay.ts', key));
  });

  it('keyguard baseline <path> records that path and keeps the entries outside it', async () => {
    const r = repo();
    r.write('app/a.js', `a = '${fakeKey()}';\n`);
    r.write('lib/b.js', `b = '${fakeKey()}';\n`);
    await r.keyguard('baseline', 'app');
    expect(JSON.parse(baselineText(r)).findings.map((e: { file: string }) => e.file)).toEqual(['app/a.js']);

    await r.keyguard('baseline', 'lib');
    expect(JSON.parse(baselineText(r)).findings.map((e: { file: string }) => e.file)).toEqual(['app/a.js', 'lib/b.js']);

    // A scan of lib/ alone cannot tell whether app/ entries are stale.
    r.write('lib/b.js', '');
    const narrowed = await jsonScan(r, 'lib');
    expect(narrowed.report.summary.baseline?.stale.map((e) => e.file)).toEqual(['lib/b.js']);
  });

  it('hides baselined keys in --staged, --range and --history scans, and reports the new ones', async () => {
    const r = repo();
    const old = fakeKey('live');
    r.write('src/pay.ts', `export const key = '${old}';\n`);
    r.commitUnchecked('legacy key');
    const base = r.head()!;
    await r.keyguard('baseline', '--history');
    r.git('add', '.keyguard-baseline.json');
    r.git('commit', '-q', '--no-verify', '-m', 'baseline');

    // Re-indenting the line makes git show the old key as an added line.
    r.write('src/pay.ts', `\n  export const key = '${old}';\n`);
    r.git('add', 'src/pay.ts');
    const staged = await r.keyguard('scan', '--staged');
    expect(staged.exitCode).toBe(0);
    expect(staged.stdout).toContain('Baseline .keyguard-baseline.json: 1 hidden.');

    const fresh = fakeKey('live');
    r.write('src/new.ts', `export const other = '${fresh}';\n`);
    r.git('add', 'src/new.ts');
    const blocked = await r.keyguard('scan', '--staged', '--format', 'json');
    expect(blocked.exitCode).toBe(1);
    expect((JSON.parse(blocked.stdout) as JsonReport).findings.map((f) => f.file)).toEqual(['src/new.ts']);

    r.git('commit', '-q', '--no-verify', '-m', 'move and add');
    const range = await jsonScan(r, '--range', `${base}..HEAD`);
    expect(range.exitCode).toBe(1);
    expect(range.report.findings.map((f) => f.file)).toEqual(['src/new.ts']);
    expect(range.report.summary.baseline).toEqual({ file: '.keyguard-baseline.json', hidden: 1, stale: [] });

    const history = await jsonScan(r, '--history');
    expect(history.report.findings.map((f) => f.file)).toEqual(['src/new.ts']);
    expect(history.report.summary.baseline?.hidden).toBe(1);
  });

  it('--baseline names another file, for scan and baseline alike', async () => {
    const r = repo();
    r.write('a.js', `x = '${fakeKey()}';\n`);
    const written = await r.keyguard('baseline', '--baseline', 'ci/known.json');
    expect(written.exitCode).toBe(2);
    expect(written.stderr).toBe('keyguard: cannot write baseline ci/known.json: its directory does not exist (create it first)\n');

    mkdirSync(join(r.dir, 'ci'));
    expect((await r.keyguard('baseline', '--baseline', 'ci/known.json')).stdout).toContain('Scans read it with --baseline ci/known.json');
    expect((await r.keyguard('scan')).exitCode).toBe(1);
    expect((await r.keyguard('scan', '--baseline', 'ci/known.json')).exitCode).toBe(0);
  });

  it.each<[string, string | undefined, string]>([
    ['a named file that does not exist', undefined, 'keyguard: baseline missing.json does not exist (create it with keyguard baseline, or fix the path)\n'],
    ['a file that is not JSON', '{"version": 1,', 'keyguard: baseline missing.json is not valid JSON ('],
    ['an entry with an unknown rule', '{"version": 1, "findings": [{"fingerprint": "0123456789abcdef0123456789abcdef", "ruleId": "nope", "file": "a"}]}', 'keyguard: baseline missing.json: "findings[0].ruleId": Invalid option'],
    ['another version', '{"version": 2, "findings": []}', 'keyguard: baseline missing.json: "version": Invalid input: expected 1'],
  ])('a baseline that is %s is one error on stderr, exit 2', async (_case, content, message) => {
    const r = repo();
    r.write('a.js', `x = '${fakeKey()}';\n`);
    if (content !== undefined) writeFileSync(join(r.dir, 'missing.json'), content);

    const out = await r.keyguard('scan', '--baseline', 'missing.json');

    expect(out.exitCode).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.startsWith(message)).toBe(true);
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--update without a baseline says how to make one', async () => {
    const r = repo();
    const out = await r.keyguard('baseline', '--update');
    expect(out).toEqual({ exitCode: 2, stdout: '', stderr: 'keyguard: baseline .keyguard-baseline.json does not exist (create it with keyguard baseline, or fix the path)\n' });
  });

  function inDir(cwd: string, ...argv: string[]): Promise<CliResult> {
    return run(argv, { cwd, env: process.env, stdoutIsTTY: false, stderrIsTTY: false });
  }
});
