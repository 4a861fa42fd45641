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
  {
    ruleId: 'published-example-key',
    severity: 'warning',
    file: 'docs/quickstart.md',
    line: 8,
    column: 9,
    endLine: 8,
    endColumn: 41,
    keyType: 'test',
    redacted: 'sk_test_4eC3…7dc',
    snippet: 'curl -u sk_test_4eC3…7dc: https://api.example.test',
    snippetColumn: 8,
    fingerprint: '4b5a69788796a5b4c3d2e1f00f1e2d3c',
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
    expect(report.summary).toEqual({ files: 1234, bytes: 5_678_901, findings: 5, durationMs: 310 });
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
    expect(driver.rules.map((rule) => rule.id)).toEqual(['hardcoded-key', 'public-env-key', 'published-example-key', 'wrong-environment', 'key-reuse', 'env-not-ignored', 'env-tracked', 'env-in-package']);
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
  it('writes one workflow command per finding, escaping what the runner would split on', () => {
    const lines = formatReport('github', findings, options).trimEnd().split('\n');

    expect(lines).toHaveLength(findings.length + 1);
    expect(lines[3]).toMatch(/^::error file=odd%2C name%3A v2\.ts,line=3,col=7,endLine=3,endColumn=47,title=keyguard hardcoded-key::Hardcoded test API key sk_test_Zq8R…6Jy\. /);
    expect(lines.at(-1)).toBe('keyguard: 5 findings in 1234 files');
  });

  it('annotates errors with ::error and warnings with ::warning', () => {
    const lines = formatReport('github', findings, options).trimEnd().split('\n').slice(0, -1);

    expect(lines.map((line) => line.slice(0, line.indexOf(' ')))).toEqual(findings.map((finding) => `::${finding.severity}`));
    expect(lines[4]).toMatch(/^::warning file=docs\/quickstart\.md,.*title=keyguard published-example-key::Published example test API key sk_test_4eC3…7dc/);
  });
});

describe('severity follows the rule in every format', () => {
  it('text: each finding shows its severity, and the summary counts the warnings', () => {
    const text = formatReport('text', findings, options);

    expect(text).toContain('docs/quickstart.md:8:9  warning  published-example-key  Published example test API key sk_test_4eC3…7dc');
    expect(text).toContain('src/pay.ts:12:18  error  hardcoded-key  Hardcoded live API key sk_live_4eC3…7dc');
    expect(text).toContain('✖ 5 findings (2 hardcoded keys, 1 published example key, 2 .env files, 1 warning) in 1,234 files');
  });

  it('text: a scan with only warnings says so', () => {
    const only = findings.filter((finding) => finding.severity === 'warning');
    const text = formatReport('text', only, { summary: { ...options.summary, findings: 1 } });

    expect(text).toContain('⚠ 1 finding (1 published example key, all warnings)');
  });

  it('json: severity per finding', () => {
    const report = JSON.parse(formatReport('json', findings, options)) as { findings: Array<{ ruleId: string; severity: string }> };

    expect(report.findings.map((finding) => [finding.ruleId, finding.severity])).toEqual(findings.map((finding) => [finding.ruleId, finding.severity]));
  });

  it('sarif: each rule\'s default level and each result\'s level are its severity', () => {
    const log = JSON.parse(formatReport('sarif', findings, options)) as SarifLog;
    const [run] = log.runs;

    expect(Object.fromEntries(run!.tool.driver.rules.map((rule) => [rule.id, rule.defaultConfiguration.level]))).toEqual({
      'hardcoded-key': 'error',
      'public-env-key': 'error',
      'published-example-key': 'warning',
      'wrong-environment': 'warning',
      'key-reuse': 'warning',
      'env-not-ignored': 'error',
      'env-tracked': 'error',
      'env-in-package': 'error',
    });
    expect(run!.results.map((result) => result.level)).toEqual(findings.map((finding) => finding.severity));
  });
});

interface SarifLog {
  runs: Array<{
    tool: {
      driver: {
        name: string;
        semanticVersion: string;
        rules: Array<{ id: string; name: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string }; defaultConfiguration: { level: string } }>;
      };
    };
    results: Array<{ ruleId: string; ruleIndex: number; level: string; locations: Array<{ physicalLocation: object }>; partialFingerprints: object }>;
  }>;
}
