import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import type { CliResult } from '../../src/cli/io.js';
import { tempRepos, type TempRepo } from '../git/repo.js';
import { fakeKey } from '../helpers/keys.js';

const { repo, onCleanup } = tempRepos();

function keyguardIn(cwd: string, ...argv: string[]): Promise<CliResult> {
  return run(argv, { cwd, env: process.env, stdoutIsTTY: false, stderrIsTTY: false });
}

interface JsonReport {
  findings: Array<{ file: string; keyType?: string }>;
  summary: { files: number };
}

async function found(r: TempRepo, ...args: string[]): Promise<{ exitCode: number; files: string[]; scanned: number }> {
  const out = await r.keyguard('scan', '--format', 'json', ...args);
  expect(out.stderr).toBe('');
  const report = JSON.parse(out.stdout) as JsonReport;
  return { exitCode: out.exitCode, files: report.findings.map((f) => f.file), scanned: report.summary.files };
}

function config(r: TempRepo, value: unknown, name = 'keyguard.config.json'): void {
  r.write(name, `${JSON.stringify(value, null, 2)}\n`);
}

describe('keyguard.config.json', () => {
  it('ignore: globs are never scanned; a directory covers its contents and a glob without / matches at any depth', async () => {
    const r = repo();
    r.write('src/app.ts', `a = '${fakeKey()}';\n`);
    r.write('fixtures/deep/keys.json', `{"k": "${fakeKey()}"}\n`);
    r.write('test/__snapshots__/x.snap', `k = '${fakeKey()}'\n`);
    r.write('vendor/lib/.env', 'A=1\n');
    config(r, { ignore: ['fixtures/**', '*.snap', 'vendor'] });

    const result = await found(r);

    expect(result.files).toEqual(['src/app.ts']);
    // Ignored files are not even read: only src/app.ts and the config itself.
    expect(result.scanned).toBe(2);
  });

  it('ignore applies to --range and --history too', async () => {
    const r = repo();
    r.write('README.md', 'hello\n');
    r.commitUnchecked('start');
    const base = r.head()!;
    r.write('fixtures/k.txt', `${fakeKey()}\n`);
    r.write('src/k.ts', `k = '${fakeKey()}';\n`);
    r.commitUnchecked('keys');
    config(r, { ignore: ['fixtures/**'] });

    expect((await found(r, '--range', `${base}..HEAD`)).files).toEqual(['src/k.ts']);
    expect((await found(r, '--history')).files).toEqual(['src/k.ts']);
  });

  it('allow: keys matching a regex are the project\'s placeholders; other keys are still found', async () => {
    const r = repo();
    const placeholder = `sk_test_KGDEMO${fakeKey('test', 24).slice('sk_test_'.length)}`;
    r.write('docs/guide.md', `Use ${placeholder} in the tutorial.\n`);
    r.write('src/pay.ts', `k = '${fakeKey('test')}';\n`);
    config(r, { allow: ['^sk_test_KGDEMO'] });

    expect((await found(r)).files).toEqual(['src/pay.ts']);
  });

  it('allow runs in linear time: a catastrophic pattern against a long key does not hang the scan', async () => {
    const r = repo();
    r.write('a.js', `k = '${fakeKey('live', 20_000)}';\n`);
    config(r, { allow: ['^(\\w+)+!$', '^(a|aa)*$'] });

    const started = performance.now();
    const result = await found(r);

    expect(result.files).toEqual(['a.js']);
    // A backtracking engine would still be running when the test times out.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('failOn and baseline: the config sets them, the command line wins', async () => {
    const r = repo();
    r.write('a.js', `k = '${fakeKey('test')}';\n`);
    config(r, { failOn: 'live' });
    expect((await found(r)).exitCode).toBe(0);
    expect((await found(r, '--fail-on', 'any')).exitCode).toBe(1);

    mkdirSync(join(r.dir, 'ci'));
    config(r, { baseline: 'ci/keyguard-baseline.json' });
    const written = await r.keyguard('baseline');
    expect(written.stdout).toContain('wrote ci/keyguard-baseline.json');
    expect((await found(r)).exitCode).toBe(0);
    writeFileSync(join(r.dir, 'empty.json'), '{"version": 1, "findings": []}\n');
    expect((await found(r, '--baseline', 'empty.json')).exitCode).toBe(1);
  });

  it('--ignore and --allow on the command line replace the config\'s lists', async () => {
    const r = repo();
    // A test key: a fixture is its place (a live key there would add a wrong-environment finding).
    r.write('fixtures/a.txt', `${fakeKey('test')}\n`);
    r.write('src/b.ts', `b = '${fakeKey()}';\n`);
    config(r, { ignore: ['fixtures/**'] });

    expect((await found(r, '--ignore', 'src/**')).files).toEqual(['fixtures/a.txt']);
    expect((await found(r, '--allow', '^sk_live_', '--allow', '^sk_test_')).files).toEqual([]);
  });

  it('"keyguard" in package.json works like keyguard.config.json', async () => {
    const r = repo();
    r.write('fixtures/a.txt', `${fakeKey()}\n`);
    r.write('package.json', JSON.stringify({ name: 'app', keyguard: { ignore: ['fixtures/**'] } }));
    expect((await found(r)).files).toEqual([]);
  });

  it('is looked up from the scanned directory up to the repository root, and never above it', async () => {
    const outer = mkdtempSync(join(tmpdir(), 'keyguard-outer-'));
    onCleanup(() => rmSync(outer, { recursive: true, force: true }));
    writeFileSync(join(outer, 'keyguard.config.json'), '{"ignore": ["**"]}\n');
    const r = repo();
    r.write('pkg/src/a.js', `a = '${fakeKey()}';\n`);
    r.write('pkg/fixtures/b.js', `b = '${fakeKey()}';\n`);
    config(r, { ignore: ['pkg/fixtures/**'] });

    const fromSub = await keyguardIn(join(r.dir, 'pkg', 'src'), 'scan', '--format', 'json', '..');
    expect((JSON.parse(fromSub.stdout) as JsonReport).findings.map((f) => f.file)).toEqual(['a.js']);

    // A project outside any repository stops at its own directory too: the outer config does not apply here.
    const inner = join(outer, 'project');
    mkdirSync(join(inner, '.git'), { recursive: true });
    writeFileSync(join(inner, 'a.js'), `a = '${fakeKey()}';\n`);
    expect((await keyguardIn(inner, 'scan', 'a.js')).exitCode).toBe(1);
    // …while --config names that file explicitly.
    expect((await keyguardIn(inner, 'scan', 'a.js', '--config', '../keyguard.config.json')).exitCode).toBe(0);
  });

  describe('mistakes are one line on stderr naming the file and the field, exit 2', () => {
    it.each<[string, unknown, string]>([
      ['an unknown field', { ignor: ['x'] }, 'keyguard: keyguard.config.json: "ignor": unknown field (keyguard reads ignore, allow, failOn, baseline, environments): remove or rename it'],
      ['a string where a list goes', { ignore: 'fixtures/**' }, 'keyguard: keyguard.config.json: "ignore": Invalid input: expected array, received string'],
      ['a number in a list', { allow: ['ok', 7] }, 'keyguard: keyguard.config.json: "allow[1]": Invalid input: expected string, received number'],
      ['a failOn that does not exist', { failOn: 'never' }, 'keyguard: keyguard.config.json: "failOn": Invalid option: expected one of "live"|"any"'],
      ['a glob with an open bracket', { ignore: ['ok/**', 'src/[abc'] }, 'keyguard: keyguard.config.json: "ignore[1]": bad glob "src/[abc": Missing closing: "]"'],
      ['a negated glob', { ignore: ['!src/**'] }, 'keyguard: keyguard.config.json: "ignore[0]": bad glob "!src/**": negations are not supported (list only what to skip)'],
      ['a glob outside the project', { ignore: ['../other/**'] }, 'keyguard: keyguard.config.json: "ignore[0]": bad glob "../other/**": globs cannot reach outside the project (remove the ../)'],
      ['a regex that does not parse', { allow: ['(demo'] }, 'keyguard: keyguard.config.json: "allow[0]": bad regular expression "(demo": missing ): (demo'],
      ['a regex with lookahead, which RE2 lacks', { allow: ['^sk_(?=test)'] }, 'keyguard: keyguard.config.json: "allow[0]": bad regular expression "^sk_(?=test)": invalid perl operator: (?= (allow patterns use RE2 syntax: no lookaround or backreferences)'],
      ['an empty regex, which would allow every key', { allow: [''] }, 'keyguard: keyguard.config.json: "allow[0]": the pattern is empty and would allow every key (remove it)'],
      ['not an object', ['fixtures/**'], 'keyguard: keyguard.config.json: the config must be a JSON object with the fields ignore, allow, failOn, baseline'],
    ])('%s', async (_case, value, message) => {
      const r = repo();
      config(r, value);
      const out = await r.keyguard('scan');
      expect(out.exitCode).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr.startsWith(message)).toBe(true);
      expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    });

    it('invalid JSON names the file', async () => {
      const r = repo();
      r.write('keyguard.config.json', '{"ignore": [}\n');
      const out = await r.keyguard('scan');
      expect(out.exitCode).toBe(2);
      expect(out.stderr).toMatch(/^keyguard: keyguard\.config\.json is not valid JSON \(.+\): fix the file\n$/);
    });

    it('a bad field in package.json is named under "keyguard"', async () => {
      const r = repo();
      r.write('package.json', JSON.stringify({ name: 'app', keyguard: { failOn: 'sometimes' } }));
      const out = await r.keyguard('scan');
      expect(out.stderr).toBe('keyguard: package.json: "keyguard.failOn": Invalid option: expected one of "live"|"any"\n');
    });

    it('both keyguard.config.json and package.json "keyguard" is an error, not a silent choice', async () => {
      const r = repo();
      config(r, {});
      r.write('package.json', JSON.stringify({ name: 'app', keyguard: {} }));
      const out = await r.keyguard('scan');
      expect(out).toEqual({ exitCode: 2, stdout: '', stderr: 'keyguard: keyguard.config.json and the "keyguard" field of package.json both configure keyguard: keep one of them\n' });
    });

    it('--config naming a missing file, and bad --ignore / --allow flags, name the flag', async () => {
      const r = repo();
      expect((await r.keyguard('scan', '--config', 'nope.json')).stderr).toBe('keyguard: --config nope.json does not exist: check the path\n');
      expect((await r.keyguard('scan', '--ignore', '[x')).stderr).toMatch(/^keyguard: --ignore: bad glob "\[x": Missing closing/);
      expect((await r.keyguard('scan', '--allow', '*')).stderr).toMatch(/^keyguard: --allow: bad regular expression "\*": no argument for repetition operator: \* \(allow patterns use RE2 syntax/);
    });

    it('the pre-commit scan fails closed on a bad config', async () => {
      const r = repo();
      config(r, { ignore: 3 });
      const out = await r.keyguard('scan', '--staged');
      expect(out.exitCode).toBe(2);
      expect(out.stderr).toContain('commit blocked, the staged changes could not be scanned: keyguard.config.json: "ignore": Invalid input');
    });
  });
});
