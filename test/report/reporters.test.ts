import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings.js';
import { FORMATS, formatReport, type ReportOptions } from '../../src/report/index.js';
import { VERSION } from '../../src/version.js';

// Both are CommonJS: under ESM their export is the module's `default` property.
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;

/** Findings as scan() returns them: redacted forms only, so no key is ever in a fixture. */
const findings: Finding[] = [
  {
    ruleId: 'env-not-ignored',
    severity: 'error',
    file: 'config/.env',
    line: 1,
    column: 1,
    fingerprint: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  },
  {
    ruleId: 'env-tracked',
    severity: 'error',
    file: 'services/api/.env.production',
    line: 1,
    column: 1,
    fingerprint: '1e2d3c4b5a69788796a5b4c3d2e1f00f',
  },
  {
    ruleId: 'hardcoded-key',
    severity: 'error',
    file: 'src/pay.ts',
    line: 12,
    column: 18,
    endLine: 12,
    endColumn: 58,
    keyType: 'live',
    redacted: 'sk_live_4eC3…7dc',
    snippet: '\tconst key = "sk_live_4eC3…7dc"; // \u001b[31mred',
    snippetColumn: 14,
    fingerprint: '2d3c4b5a69788796a5b4c3d2e1f00f1e',
  },
  {
    ruleId: 'hardcoded-key',
    severity: 'error',
    file: 'odd, name: v2.ts',
    line: 3,
    column: 7,
    endLine: 3,
    endColumn: 47,
    keyType: 'test',
    redacted: 'sk_test_Zq8R…6Jy',
    snippet: 'k2 = sk_test_Zq8R…6Jy',
    snippetColumn: 5,
    fingerprint: '3c4b5a69788796a5b4c3d2e1f00f1e2d',
    commit: '9fceb02d0ae598e95dc970b74767f19372d61af8',
    author: 'Ann Author <ann@example.test>',
    date: '2020-01-02T03:04:05+00:00',
  },
];

const options: ReportOptions = { summary: { files: 1234, bytes: 5_678_901, findings: findings.length, durationMs: 310 } };
const empty: ReportOptions = { summary: { files: 3, bytes: 120, findings: 0, durationMs: 4 } };

describe('every reporter matches its golden output', () => {
  // The release version is the one part that may change without the format changing.
  const golden = (report: string): string => report.replaceAll(`"${VERSION}"`, '"<version>"');

  it.each(FORMATS)('%s', async (format) => {
    await expect(golden(formatReport(format, findings, options))).toMatchFileSnapshot(`golden/${format}.txt`);
  });

  it('text with colours', async () => {
    await expect(golden(formatReport('text', findings, { ...options, color: true }))).toMatchFileSnapshot('golden/text-color.txt');
  });

  it.each(FORMATS)('%s with nothing found', async (format) => {
    await expect(golden(formatReport(format, [], empty))).toMatchFileSnapshot(`golden/${format}-empty.txt`);
  });
});

describe('text', () => {
  const text = formatReport('text', findings, options);

  it('has no ANSI colour unless asked for', () => {
    expect(text).not.toContain('\u001b[');
    expect(formatReport('text', findings, { ...options, color: true })).toContain('\u001b[');
  });

  it('never lets file content drive the terminal: control characters are replaced', () => {
    expect(formatReport('text', findings, { ...options, color: false })).toContain('// \ufffd[31mred');
  });

  it('points at the key under the masked source line, keeping tabs so it lines up', () => {
    const lines = text.split('\n');
    const frame = lines.findIndex((line) => line.startsWith('12 |'));
    expect(lines[frame]).toBe('12 | \tconst key = "sk_live_4eC3…7dc"; // \ufffd[31mred');
    expect(lines[frame + 1]).toBe(`   | \t${' '.repeat('const key = "'.length)}${'^'.repeat('sk_live_4eC3…7dc'.length)}`);
  });
});

describe('json', () => {
  it('has the versioned DESIGN.md shape, fields in order, nothing undefined', () => {
    const report = JSON.parse(formatReport('json', findings, options)) as { version: number; findings: object[]; summary: object };

    expect(report.version).toBe(1);
    expect(Object.keys(report.findings[0]!)).toEqual(['ruleId', 'severity', 'file', 'line', 'column', 'fingerprint']);
    expect(Object.keys(report.findings[2]!)).toEqual([
      'ruleId',
      'severity',
      'keyType',
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
      'redacted',
      'fingerprint',
    ]);
    expect(report.summary).toEqual({ files: 1234, bytes: 5_678_901, findings: 4, durationMs: 310 });
  });

  it('does not carry the code frame', () => {
    expect(formatReport('json', findings, options)).not.toContain('snippet');
  });
});

describe('sarif', () => {
  const schema = JSON.parse(readFileSync(new URL('sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  it.each([
    ['with findings', findings, options],
    ['with none', [], empty],
  ] as const)('validates against the SARIF 2.1.0 schema %s', (_name, list, opts) => {
    const log = JSON.parse(formatReport('sarif', list, opts)) as unknown;

    expect(validate(log), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('describes every rule with id, name, descriptions and help, as code scanning shows them', () => {
    const log = JSON.parse(formatReport('sarif', [], empty)) as SarifLog;
    const { driver } = log.runs[0]!.tool;

    expect(driver).toMatchObject({ name: 'keyguard', semanticVersion: VERSION });
    expect(driver.rules.map((rule) => rule.id)).toEqual(['hardcoded-key', 'env-not-ignored', 'env-tracked', 'env-in-package']);
    for (const rule of driver.rules) {
      expect(rule.name).toMatch(/^[A-Z]\w+$/);
      expect(rule.shortDescription.text).not.toBe('');
      expect(rule.fullDescription.text).not.toBe('');
      expect(rule.help.text).not.toBe('');
    }
  });

  it('gives each result its rule, a physical location with an encoded relative URI, and a partial fingerprint', () => {
    const log = JSON.parse(formatReport('sarif', findings, options)) as SarifLog;
    const [run] = log.runs;
    const odd = run!.results[3]!;

    expect(run!.tool.driver.rules[odd.ruleIndex]?.id).toBe(odd.ruleId);
    expect(odd.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'odd%2C%20name%3A%20v2.ts', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 7, endLine: 3, endColumn: 47 },
    });
    expect(odd.partialFingerprints).toEqual({ 'keyguard/v1': '3c4b5a69788796a5b4c3d2e1f00f1e2d' });
  });
});

describe('github', () => {
  it('writes one ::error workflow command per finding, escaping what the runner would split on', () => {
    const lines = formatReport('github', findings, options).trimEnd().split('\n');

    expect(lines).toHaveLength(findings.length + 1);
    expect(lines[3]).toMatch(/^::error file=odd%2C name%3A v2\.ts,line=3,col=7,endLine=3,endColumn=47,title=keyguard hardcoded-key::Hardcoded test API key sk_test_Zq8R…6Jy\. /);
    expect(lines.at(-1)).toBe('keyguard: 4 findings in 1234 files');
  });
});

interface SarifLog {
  runs: Array<{
    tool: { driver: { name: string; semanticVersion: string; rules: Array<{ id: string; name: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string } }> } };
    results: Array<{ ruleId: string; ruleIndex: number; locations: Array<{ physicalLocation: object }>; partialFingerprints: object }>;
  }>;
}
