import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { AUDIT_RULE_IDS } from '../../src/audit/rules.js';
import type { Finding } from '../../src/findings.js';
import { FORMATS, formatReport, type ReportOptions } from '../../src/report/index.js';
import { VERSION } from '../../src/version.js';

const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;

/** Findings as `auditKeyApi` returns them: the key's id, name and display prefix, never the key. */
const findings: Finding[] = [
  {
    ruleId: 'key-rotation-overdue',
    severity: 'error',
    file: 'api-keys/key_123',
    line: 1,
    column: 1,
    keyType: 'live',
    redacted: 'sk_live_abc…',
    fingerprint: '5a69788796a5b4c3d2e1f00f1e2d3c4b',
    apiKey: { id: 'key_123', name: 'Production App' },
    reason: 'created on 2025-01-01 (120 days ago): live keys are rotated every 90 days',
  },
  {
    ruleId: 'key-unused-permissions',
    severity: 'warning',
    file: 'api-keys/key_456',
    line: 1,
    column: 1,
    keyType: 'live',
    redacted: 'sk_live_def…',
    fingerprint: '69788796a5b4c3d2e1f00f1e2d3c4b5a',
    apiKey: { id: 'key_456', name: 'Mobile\u001b[31m App' },
    reason: 'tasks:write granted but unused in the last 30 days: keep tasks:read',
  },
];

const options: ReportOptions = { summary: { files: 0, bytes: 0, keys: 7, findings: 2, durationMs: 41 }, rules: AUDIT_RULE_IDS };
const golden = (report: string): string => report.replaceAll(`"${VERSION}"`, '"<version>"');

describe('audit findings through the scan\'s reporters', () => {
  it.each(FORMATS)('%s matches its golden output', async (format) => {
    await expect(golden(formatReport(format, findings, options))).toMatchFileSnapshot(`golden/${format}.txt`);
  });

  it('text names the key, makes its name safe for a terminal, and counts keys', () => {
    const text = formatReport('text', findings, options);
    expect(text).toContain('api-keys/key_123  error  key-rotation-overdue  Key older than its rotation period: key_123 "Production App" (sk_live_abc…) created on');
    expect(text).toContain('"Mobile\ufffd[31m App"');
    expect(text).toContain('✖ 2 findings (1 error, 1 warning) on 2 of 7 keys audited in 41 ms');
    expect(formatReport('text', [], { ...options, summary: { ...options.summary, findings: 0 } })).toBe('✔ No findings: 7 keys audited in 41 ms\n');
  });

  it('github annotations are on the run, not on a file, at the finding\'s level', () => {
    const lines = formatReport('github', findings, options).split('\n');
    expect(lines[0]).toMatch(/^::error title=keyguard key-rotation-overdue::Key older than its rotation period: key_123/);
    expect(lines[1]).toMatch(/^::warning title=keyguard key-unused-permissions::/);
    expect(lines[2]).toBe('keyguard: 2 findings on 7 keys');
  });

  it('SARIF validates against the 2.1.0 schema, lists the audit\'s rules and names the key as a logical location', () => {
    const schema = JSON.parse(readFileSync(new URL('../report/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const log = JSON.parse(formatReport('sarif', findings, options)) as {
      runs: Array<{ tool: { driver: { rules: Array<{ id: string; defaultConfiguration: { level: string } }> } }; results: Array<Record<string, unknown>> }>;
    };
    expect(ajv.validate(schema, log), JSON.stringify(ajv.errors)).toBe(true);
    const [run] = log.runs;
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual(AUDIT_RULE_IDS);
    expect(run?.results[1]).toMatchObject({
      ruleId: 'key-unused-permissions',
      ruleIndex: AUDIT_RULE_IDS.indexOf('key-unused-permissions'),
      level: 'warning',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'api-keys/key_456' } }, logicalLocations: [{ fullyQualifiedName: 'api-keys/key_456', kind: 'resource' }] }],
    });
  });
});
