import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { TempRepo } from './repo.js';

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  redacted: string;
  commit: string;
  author: string;
  date: string;
}

const ann = ['--author', 'Ann Author <ann@example.test>'];
const bob = ['--author', 'Bob Builder <bob@example.test>'];
const keyA = fakeKey('live');
const keyB = fakeKey('sandbox');
const keyC = fakeKey('test');
const keyD = fakeKey('live');
const keyE = fakeKey('live');
const commits: Record<string, string> = {};
let repo: TempRepo;

/** A history that adds and removes keys, on two branches. */
beforeAll(() => {
  repo = TempRepo.create();
  repo.write('a.ts', `// config\nexport const a = '${keyA}';\n`);
  commits.addA = repo.commitUnchecked('add key A', ...ann, '--date', '2020-01-02T03:04:05Z');
  repo.write('a.ts', '// config\nexport const a = process.env.A;\n');
  commits.removeA = repo.commitUnchecked('remove key A');
  repo.write('b.ts', `export const b = '${keyB}';\n`);
  commits.addB = repo.commitUnchecked('add key B', ...bob, '--date', '2021-06-07T08:09:10Z');
  repo.write('a.ts', `// config\nexport const a = '${keyA}';\n`);
  commits.readdA = repo.commitUnchecked('add key A again');
  repo.write('fixtures.ts', `export const x = 1;\n// keyguard-ignore-next-line\nexport const sample = '${keyD}';\n`);
  commits.fixture = repo.commitUnchecked('suppressed fixture');
  repo.write('fixtures.ts', `export const x = 1;\n// keyguard-ignore-next-line\nexport const sample = '${keyD}';\nexport const y = 2;\nexport const z = '${keyE}';\n`);
  commits.addE = repo.commitUnchecked('key E below the fixture');
  repo.git('checkout', '-q', '-b', 'side', commits.removeA as string);
  repo.write('c.ts', `export const c = '${keyC}';\n`);
  commits.addC = repo.commitUnchecked('add key C on a side branch');
  repo.git('checkout', '-q', 'main');
});

afterAll(() => repo.remove());

async function scanJson(...args: string[]): Promise<{ exitCode: number; findings: JsonFinding[]; stdout: string }> {
  const out = await repo.keyguard('scan', ...args, '--format', 'json');
  expect(out.stderr).toBe('');
  return { exitCode: out.exitCode, findings: (JSON.parse(out.stdout) as { findings: JsonFinding[] }).findings, stdout: out.stdout };
}

describe('keyguard scan --history', () => {
  it('finds every key any commit on any branch added, deleted later or not, each with its commit, author and date', async () => {
    const { exitCode, findings } = await scanJson('--history');

    expect(exitCode).toBe(1);
    const byFile = Object.fromEntries(findings.map((finding) => [finding.file, finding]));
    expect(Object.keys(byFile).sort()).toEqual(['a.ts', 'b.ts', 'c.ts', 'fixtures.ts']);
    expect(byFile['a.ts']).toMatchObject({ line: 2, column: 19, commit: commits.addA, author: 'Ann Author <ann@example.test>', date: '2020-01-02T03:04:05+00:00' });
    expect(byFile['b.ts']).toMatchObject({ line: 1, commit: commits.addB, author: 'Bob Builder <bob@example.test>', date: '2021-06-07T08:09:10+00:00' });
    expect(byFile['c.ts']).toMatchObject({ commit: commits.addC });
  });

  it('reports a key once per file, at the oldest commit that added it', async () => {
    const { findings } = await scanJson('--history');

    const forA = findings.filter((finding) => finding.file === 'a.ts');
    expect(forA).toHaveLength(1);
    expect(forA[0]?.commit).toBe(commits.addA);
  });

  it('honours keyguard-ignore-next-line on the line above, and gives line numbers of the file at that commit', async () => {
    const { findings } = await scanJson('--history');

    expect(findings.filter((finding) => finding.file === 'fixtures.ts')).toMatchObject([{ line: 5, column: 19, commit: commits.addE }]);
  });

  it('never prints a full key', async () => {
    const text = await repo.keyguard('scan', '--history');
    const json = await scanJson('--history');

    for (const key of [keyA, keyB, keyC, keyE]) {
      expect(text.stdout).not.toContain(bodyOf(key));
      expect(json.stdout).not.toContain(bodyOf(key));
    }
    expect(text.stdout).toContain(`added in ${commits.addB?.slice(0, 12)} by Bob Builder <bob@example.test> on 2021-06-07T08:09:10+00:00`);
  });
});

describe('keyguard scan --range', () => {
  it('scans only the commits of the range, reporting a re-added key at the commit in range that added it', async () => {
    const { findings } = await scanJson('--range', `${commits.removeA}..main`);

    expect(findings.map((finding) => [finding.file, finding.commit]).sort()).toEqual([
      ['a.ts', commits.readdA],
      ['b.ts', commits.addB],
      ['fixtures.ts', commits.addE],
    ]);
  });

  it('exits 0 for a range that adds no key', async () => {
    const { exitCode, findings } = await scanJson('--range', `${commits.addA}..${commits.removeA}`);

    expect(exitCode).toBe(0);
    expect(findings).toEqual([]);
  });

  it('explains a range git does not know, naming the flag', async () => {
    const out = await repo.keyguard('scan', '--range', 'origin/main..HEAD');

    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^keyguard: --range origin\/main\.\.HEAD: .*fetch-depth: 0\)\n$/);
  });

  it.each([
    ['a single revision', ['--range', 'main']],
    ['something git would take for an option', ['--range=--output=x..y']],
  ])('rejects %s: a range is <base>..<head>', async (_name, args) => {
    const out = await repo.keyguard('scan', ...args);

    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('--range expects <base>..<head>');
  });
});

describe('outside a git repository', () => {
  it.each([['--staged'], ['--history'], ['--range', 'a..b']])('scan %s says git is needed, in one line, and exits 2', async (...args) => {
    const dir = mkdtempSync(join(tmpdir(), 'keyguard-no-repo-'));
    try {
      const out = await run(['scan', ...args], { cwd: dir, env: process.env, stdoutIsTTY: false, stderrIsTTY: false });

      expect(out.exitCode).toBe(2);
      expect(out.stderr).toContain(`${args[0]} reads git, but ${dir} is not in a git repository: run it inside one`);
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
