import { describe, expect, it } from 'vitest';
import { secretOf } from '../../src/findings.js';
import * as api from '../../src/index.js';
import { failsAt, scan } from '../../src/scan.js';
import type { Source } from '../../src/sources/source.js';
import { tempRepos } from '../git/repo.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';

const { repo } = tempRepos();

describe('scan() over a working tree', () => {
  it('reports each key with its place, type, redacted form, masked source line and a stable fingerprint', async () => {
    const r = repo();
    const key = fakeKey('sandbox', 40);
    r.write('src/pay.ts', `import x from 'y';\n\nconst client = new Client("${key}");\n`);

    const { findings, summary } = await scan({ cwd: r.dir });

    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({
      ruleId: 'hardcoded-key',
      severity: 'error',
      keyType: 'sandbox',
      file: 'src/pay.ts',
      line: 3,
      column: 28,
      endLine: 3,
      endColumn: 28 + key.length,
      redacted: `sk_sandbox_${bodyOf(key).slice(0, 4)}…${key.slice(-3)}`,
      snippet: `const client = new Client("sk_sandbox_${bodyOf(key).slice(0, 4)}…${key.slice(-3)}");`,
    });
    expect(JSON.stringify(finding)).not.toContain(bodyOf(key));
    expect(secretOf(finding!)).toBe(key);
    expect(summary).toMatchObject({ files: 1, findings: 1 });

    r.write('src/pay.ts', `// moved down\n\n\n\nconst client = new Client("${key}");\n`);
    const again = await scan({ cwd: r.dir });
    expect(again.findings[0]?.fingerprint).toBe(finding?.fingerprint);
    expect(again.findings[0]?.line).toBe(5);
  });

  it('does not report documentation placeholders or suppressed lines', async () => {
    const r = repo();
    const docs = [
      'DHMAD_API_KEY=sk_live_abc123...',
      '"key": "sk_live_xyz789..."',
      'Authorization: Bearer sk_live_YOUR_API_KEY',
      'sk_live_xxxxxxxxxxxxxxxx and sk_test_<your-key>',
      `fixture = "${fakeKey('test')}" // keyguard-ignore`,
      '# keyguard-ignore-next-line',
      `OTHER=${fakeKey('live')}`,
    ];
    r.write('README.md', `${docs.join('\n')}\n`);

    expect((await scan({ cwd: r.dir })).findings).toEqual([]);
  });

  it('sorts findings by file, line and column whatever order the files were read in', async () => {
    const r = repo();
    r.write('b.ts', `x = "${fakeKey('live')}"; y = "${fakeKey('test')}"\n`);
    r.write('a/z.ts', `\n\nz = "${fakeKey('live')}"\n`);
    r.write('a/c.ts', `c = "${fakeKey('live')}"\n`);

    const { findings } = await scan({ cwd: r.dir });

    expect(findings.map((finding) => `${finding.file}:${finding.line}:${finding.column}`)).toEqual([
      'a/c.ts:1:6',
      'a/z.ts:3:6',
      'b.ts:1:6',
      'b.ts:1:54',
    ]);
  });

  it('redacts a key that appears in a file name', async () => {
    const r = repo();
    const key = fakeKey('live');
    r.write(`backup-${key}.txt`, `k=${key}\n`);

    const { findings } = await scan({ cwd: r.dir });

    expect(findings).toHaveLength(1);
    expect(findings[0]?.file).toBe(`backup-${api.redact(key)}.txt`);
  });
});

describe('sources plug into scan()', () => {
  it('runs the detector on any source and keeps the commit of its fragments', async () => {
    const key = fakeKey('live');
    const source: Source = {
      async *read(stats) {
        stats.files++;
        yield { path: 'old/config.ts', text: `\nexport const k = '${key}';\n`, commit: { sha: 'abc123', author: 'Ann', date: '2020-01-01' } };
      },
    };

    const { findings, summary } = await scan({ cwd: '.', source });

    expect(findings).toMatchObject([{ file: 'old/config.ts', line: 2, column: 19, commit: 'abc123', author: 'Ann' }]);
    expect(summary.files).toBe(1);
  });

  it('reports progress while a long scan runs', async () => {
    const seen: number[] = [];
    const source: Source = {
      async *read(stats) {
        for (let i = 0; i < 3; i++) {
          stats.files++;
          await new Promise((resolve) => setTimeout(resolve, 200));
          yield { path: `f${i}.ts`, text: 'nothing here' };
        }
      },
    };

    await scan({ cwd: '.', source, onProgress: (stats) => seen.push(stats.files) });

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((files, i) => i === 0 || files >= seen[i - 1]!)).toBe(true);
  });
});

describe('--fail-on', () => {
  const finding = (keyType: 'live' | 'sandbox' | 'test' | undefined, ruleId: api.RuleId = 'hardcoded-key'): api.Finding => ({
    ruleId,
    severity: ruleId === 'published-example-key' ? 'warning' : 'error',
    file: 'f',
    line: 1,
    column: 1,
    fingerprint: 'x',
    ...(keyType && { keyType }),
  });

  it('any: fails on every finding', () => {
    expect(failsAt([finding('test')], 'any')).toBe(true);
    expect(failsAt([], 'any')).toBe(false);
  });

  it('live: fails on live keys and on .env files (their contents are unknown), not on test or sandbox keys', () => {
    expect(failsAt([finding('test'), finding('sandbox')], 'live')).toBe(false);
    expect(failsAt([finding('test'), finding('live')], 'live')).toBe(true);
    expect(failsAt([finding(undefined, 'env-not-ignored')], 'live')).toBe(true);
  });

  it('live: never fails on a warning; any: does', () => {
    expect(failsAt([finding('test', 'published-example-key')], 'live')).toBe(false);
    expect(failsAt([finding('test', 'published-example-key')], 'any')).toBe(true);
  });
});

describe('the programmatic API', () => {
  it('exports scan, the reporters and the detector from the package entry', () => {
    expect(typeof api.scan).toBe('function');
    expect(typeof api.formatReport).toBe('function');
    expect(api.FORMATS).toEqual(['text', 'json', 'sarif', 'github']);
    expect(typeof api.detect).toBe('function');
  });
});

describe('the text report code frame', () => {
  /** Each finding's code frame: the code line and, under it, the marker line. */
  async function frames(text: string): Promise<Array<{ code: string; at: number; marked: string }>> {
    const r = repo();
    r.write('frame.ts', text);
    const { findings } = await scan({ cwd: r.dir });
    const report = api.formatReport('text', findings, { summary: { files: 1, bytes: 0, findings: findings.length, durationMs: 0 } });
    expect(report).not.toMatch(/[A-Za-z0-9]{20}/);
    return report
      .split('\n\n')
      .filter((block) => block.includes(' | '))
      .map((block) => {
        const [, code = '', marker = ''] = block.split('\n');
        // The gutters have the same width, so the marker's column is the key's column in the code line.
        const at = marker.indexOf('^');
        return { code, at, marked: code.slice(at, marker.lastIndexOf('^') + 1) };
      });
  }

  it('marks the second occurrence for the second finding when one key appears twice on a line', async () => {
    const key = fakeKey('live');
    const [one, two] = await frames(`pair("${key}", "${key}");\n`);
    const redacted = `sk_live_${bodyOf(key).slice(0, 4)}…${key.slice(-3)}`;
    expect(one?.marked).toBe(redacted);
    expect(two?.marked).toBe(redacted);
    expect(one?.at).toBe(one!.code.indexOf(redacted));
    expect(two?.at).toBe(two!.code.lastIndexOf(redacted));
    expect(one?.at).not.toBe(two?.at);
  });

  it('keeps the marker on its own key when a long line is cut after many keys', async () => {
    const before = Array.from({ length: 12 }, () => fakeKey('test'));
    const target = fakeKey('sandbox');
    const result = await frames(`list(${before.map((k) => `"${k}"`).join(', ')}, ${'x, '.repeat(150)}, "${target}");\n`);
    const last = result.at(-1)!;
    expect(result).toHaveLength(13);
    expect(last.marked.startsWith(`sk_sandbox_${bodyOf(target).slice(0, 4)}…`)).toBe(true);
  });
});
