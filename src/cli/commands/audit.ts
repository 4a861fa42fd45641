import { AUDIT_RULE_IDS, type AuditPolicy } from '../../audit/rules.js';
import { EXIT_FINDINGS, EXIT_OK } from '../../errors.js';
import { FORMATS } from '../../report/formats.js';
import { defineCommand, type Options } from '../command.js';
import { keyApiOptions, keyApiClient } from '../key-api-options.js';
import { deliverReport } from '../report-output.js';

const days = (describe: string, fallback: number) => ({ type: 'number', default: fallback, describe }) as const;

const OPTIONS = {
  ...keyApiOptions('Audit the keys of the key API at this URL, such as https://api.example.com'),
  format: { type: 'string', choices: FORMATS, default: 'text', describe: 'Report format' },
  output: { type: 'string', describe: 'Write the report to this file instead of stdout' },
  'fail-on': { type: 'string', choices: ['any', 'error'], default: 'any', describe: 'Exit 1 for any finding, or only for errors (rotation overdue)' },
  'rotation-days-live': days('Live keys older than this are overdue for rotation (the seed: production every 90 days)', 90),
  'rotation-days-test': days('Test and sandbox keys older than this are overdue (the seed: development every 180 days)', 180),
  'unused-days': days('A key, or a permission, not used for this long is unused', 30),
  'expiring-days': days('A key that expires within this many days is expiring soon', 30),
} as const satisfies Options;

export const auditCommand = defineCommand({
  name: 'audit',
  describe: 'Check every key of the key API against the seeds\' hygiene rules: age, use, expiry, scope, description',
  options: OPTIONS,
  check(args) {
    const given = [
      ['rotation-days-live', args.rotationDaysLive],
      ['rotation-days-test', args.rotationDaysTest],
      ['unused-days', args.unusedDays],
      ['expiring-days', args.expiringDays],
    ] as const;
    const bad = given.find(([, value]) => !Number.isInteger(value) || value < 1);
    return bad && `--${bad[0]} takes a whole number of days, 1 or more; got ${bad[1]}`;
  },
  examples: [
    ['KEYGUARD_API_KEY=sk_live_… $0 audit --api https://api.example.com', 'Every key against the seeds\' hygiene rules'],
    ['$0 audit --api http://127.0.0.1:4010 --key-env MOCK_ADMIN_KEY --format sarif --output audit.sarif', 'SARIF for code scanning'],
  ],
  async handler(args, io) {
    const started = performance.now();
    const client = await keyApiClient(args, io);
    const { auditKeyApi } = await import('../../audit/audit.js');
    const { formatReport } = await import('../../report/index.js');
    const policy: AuditPolicy = {
      rotationDays: { live: args.rotationDaysLive, sandbox: args.rotationDaysTest, test: args.rotationDaysTest },
      unusedDays: args.unusedDays,
      expiringDays: args.expiringDays,
    };
    const { findings, keys } = await auditKeyApi(client, { policy, now: (io.now ?? Date.now)() });
    const summary = { files: 0, bytes: 0, keys, findings: findings.length, durationMs: Math.round(performance.now() - started) };
    const toFile = args.output !== undefined;
    const color = !toFile && args.format === 'text' && io.stdoutIsTTY && !io.env.NO_COLOR;
    const report = formatReport(args.format, findings, { summary, color, rules: AUDIT_RULE_IDS });
    const fails = findings.some((finding) => args.failOn === 'any' || finding.severity === 'error');
    return deliverReport(report, findings.length, fails ? EXIT_FINDINGS : EXIT_OK, args.output, io.cwd);
  },
});
