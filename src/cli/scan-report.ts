import { EXIT_FINDINGS, EXIT_OK, KeyguardError } from '../errors.js';
import { hookFailure, hookReport } from '../report/hook.js';
import type { Format } from '../report/formats.js';
import { runScan, type ScanRequest } from '../run-scan.js';
import { failsAt } from '../scan.js';
import type { CliIO, CliResult } from './io.js';
import { deliverReport } from './report-output.js';

/** A scan and how to report it: the `scan` command's flags. */
export interface ScanReportRequest extends ScanRequest {
  format?: Format;
  output?: string;
  /**
   * Report as the pre-commit hook does (`--hook`): the text report, then why the commit is
   * blocked and what to do; a scan that fails blocks the commit and says why (fails closed).
   */
  hook?: boolean;
}

/**
 * Runs one scan and reports it: on stdout, or in `--output`, with the exit code `--fail-on` asks for.
 * What the hook runs is imported statically: the CLI bundle puts it in one chunk (scripts/bundle.mjs)
 * that `keyguard scan --staged` loads alone. The other formats load only when asked for.
 */
export async function scanAndReport(request: ScanReportRequest, io: CliIO): Promise<CliResult> {
  const scanning = (): ReturnType<typeof runScan> => runScan(request, io);
  const outcome = request.hook ? await failClosed(scanning) : await scanning();
  const blocked = failsAt(outcome.findings, outcome.failOn);
  const exitCode = blocked ? EXIT_FINDINGS : EXIT_OK;
  const format = request.hook ? 'text' : (request.format ?? 'text');
  const color = request.output === undefined && format === 'text' && io.stdoutIsTTY && !io.env.NO_COLOR;
  const options = { summary: outcome.summary, color };
  const report = request.hook
    ? hookReport(outcome.findings, { ...options, blocked, failOn: outcome.failOn })
    : (await import('../report/index.js')).formatReport(format, outcome.findings, options);
  const warned = outcome.warnings.map((line) => `${line}\n`).join('');
  return deliverReport(report, outcome.summary.findings, exitCode, request.output, io.cwd, warned);
}

/** In the pre-commit hook a scan that fails blocks the commit, and says why. */
async function failClosed<T>(scanning: () => Promise<T>): Promise<T> {
  try {
    return await scanning();
  } catch (error) {
    const reason = error instanceof KeyguardError ? error.message : `internal error: ${String(error instanceof Error ? error.message : error).split('\n')[0]}`;
    throw new KeyguardError(hookFailure(reason));
  }
}
