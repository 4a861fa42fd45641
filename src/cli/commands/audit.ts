import type { Argv } from 'yargs';
import type { AuditPolicy } from '../../audit/rules.js';
import { EXIT_FINDINGS, EXIT_OK } from '../../errors.js';
import { FORMATS, type Format } from '../../report/index.js';
import type { Command } from '../command.js';
import { keyApiOptions, keyApiClient, type KeyApiArgs } from '../key-api-options.js';
import { deliverReport } from '../report-output.js';

export type AuditFailOn = 'any' | 'error';

export interface AuditArgs extends KeyApiArgs {
  format: Format;
  output?: string;
  failOn: AuditFailOn;
  rotationDaysLive: number;
  rotationDaysTest: number;
  unusedDays: number;
  expiringDays: number;
}

const days = (describe: string, fallback: number) => ({ type: 'number' as const, default: fallback, requiresArg: true, describe });

function auditOptions(yargs: Argv): Argv<AuditArgs> {
  return keyApiOptions(yargs, 'Audit the keys of the key API at this URL, such as https://api.example.com')
    .option('format', { choices: FORMATS, default: 'text' as Format, requiresArg: true, describe: 'Report format' })
    .option('output', { type: 'string', requiresArg: true, describe: 'Write the report to this file instead of stdout' })
    .option('fail-on', { choices: ['any', 'error'] as const, default: 'any' as AuditFailOn, describe: 'Exit 1 for any finding, or only for errors (rotation overdue)' })
    .option('rotation-days-live', days('Live keys older than this are overdue for rotation (the seed: production every 90 days)', 90))
    .option('rotation-days-test', days('Test and sandbox keys older than this are overdue (the seed: development every 180 days)', 180))
    .option('unused-days', days('A key, or a permission, not used for this long is unused', 30))
    .option('expiring-days', days('A key that expires within this many days is expiring soon', 30))
    .check((args) => {
      for (const flag of ['rotation-days-live', 'rotation-days-test', 'unused-days', 'expiring-days']) {
        const value = args[flag] as number;
        if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} takes a whole number of days, 1 or more; got ${String(value)}`);
      }
      return true;
    })
    .example('KEYGUARD_API_KEY=sk_live_… $0 audit --api https://api.example.com', 'Every key against the seeds\' hygiene rules')
    .example('$0 audit --api http://127.0.0.1:4010 --key-env MOCK_ADMIN_KEY --format sarif --output audit.sarif', 'SARIF for code scanning') as unknown as Argv<AuditArgs>;
}

export const auditCommand: Command<AuditArgs> = {
  command: 'audit',
  describe: 'Check every key of the key API against the seeds\' hygiene rules: age, use, expiry, scope, description',
  builder: auditOptions,
  async handler(args, io) {
    const started = performance.now();
    const client = keyApiClient(args, io);
    const { auditKeyApi } = await import('../../audit/audit.js');
    const { AUDIT_RULE_IDS } = await import('../../audit/rules.js');
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
};
