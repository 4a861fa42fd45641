import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT_FINDINGS, EXIT_OK } from '../../errors.js';
import { FORMATS, type Format } from '../../report/index.js';
import type { FailOn } from '../../scan.js';
import type { Command } from '../command.js';
import { result } from '../io.js';

export interface ScanArgs {
  paths?: string[];
  format: Format;
  output?: string;
  failOn: FailOn;
}

const FAIL_ON: readonly FailOn[] = ['live', 'any'];

/** Every `scan` flag, in one builder: new sources and filters add their options here. */
function scanOptions(yargs: Argv): Argv<ScanArgs> {
  return yargs
    .positional('paths', {
      type: 'string',
      array: true,
      describe: 'Files or directories to scan (default: the tracked and untracked-but-not-ignored files under .)',
    })
    .option('format', { choices: FORMATS, default: 'text' as Format, describe: 'Report format' })
    .option('output', { type: 'string', requiresArg: true, describe: 'Write the report to this file instead of stdout' })
    .option('fail-on', {
      choices: FAIL_ON,
      default: 'any' as FailOn,
      describe: 'Exit 1 for any finding, or only for live keys and .env files',
    }) as unknown as Argv<ScanArgs>;
}

export const scanCommand: Command<ScanArgs> = {
  command: 'scan [paths..]',
  describe: 'Find hardcoded sk_live_/sk_sandbox_/sk_test_ keys and .env files git does not ignore',
  builder: scanOptions,
  async handler(args, io) {
    const { scan, failsAt } = await import('../../scan.js');
    const { formatReport } = await import('../../report/index.js');
    let progressShown = false;
    const outcome = await scan({
      cwd: io.cwd,
      paths: args.paths ?? [],
      onProgress:
        io.progress &&
        ((stats) => {
          progressShown = true;
          io.progress?.(`keyguard: scanned ${stats.files} files…`);
        }),
    });
    if (progressShown) io.progress?.('');
    const toFile = args.output !== undefined;
    const color = !toFile && args.format === 'text' && io.stdoutIsTTY && !io.env.NO_COLOR;
    const report = formatReport(args.format, outcome.findings, { summary: outcome.summary, color });
    const exitCode = failsAt(outcome.findings, args.failOn) ? EXIT_FINDINGS : EXIT_OK;
    if (args.output === undefined) return result(exitCode, report);
    const { writeFileAtomic } = await import('../atomic-write.js');
    await writeFileAtomic(resolve(io.cwd, args.output), report, `--output ${args.output}`);
    const n = outcome.summary.findings;
    return result(exitCode, '', `keyguard: wrote ${n} finding${n === 1 ? '' : 's'} to ${args.output}\n`);
  },
};
