import { resolve } from 'node:path';
import { result, type CliResult } from './io.js';

/**
 * A finished report: on stdout, or with `--output` written atomically and one line on stderr
 * saying so. `warnings` (whole lines) go to stderr first either way.
 */
export async function deliverReport(
  report: string,
  findings: number,
  exitCode: number,
  output: string | undefined,
  cwd: string,
  warnings = '',
): Promise<CliResult> {
  if (output === undefined) return result(exitCode, report, warnings);
  const { writeFileAtomic } = await import('./atomic-write.js');
  writeFileAtomic(resolve(cwd, output), report, `--output ${output}`);
  return result(exitCode, '', `${warnings}keyguard: wrote ${findings} finding${findings === 1 ? '' : 's'} to ${output}\n`);
}
