import type { Argv } from 'yargs';
import { FORMATS } from '../../report/index.js';
import type { FailOn } from '../../scan.js';
import type { Command } from '../command.js';
import { scanAndReport, type ScanReportRequest } from '../scan-report.js';
import { withSourceOptions } from '../source-options.js';

export type ScanArgs = ScanReportRequest;

const FAIL_ON: readonly FailOn[] = ['live', 'any'];

/** Every `scan` flag, in one builder: new sources and filters add their options here. */
function scanOptions(yargs: Argv): Argv<ScanArgs> {
  return withSourceOptions(yargs, 'Scan')
    // `--no-ignore` is a flag of its own (as in ripgrep and fd), not the negation of `--ignore GLOB`.
    .parserConfiguration({ 'boolean-negation': false })
    .positional('paths', {
      type: 'string',
      array: true,
      describe: 'Files or directories to scan (default: the tracked and untracked-but-not-ignored files under .). A named file is scanned even if git ignores it',
    })
    .option('no-ignore', { type: 'boolean', describe: 'Also scan the files git or .gitignore ignores under the named directories (build output, downloaded artifacts)' })
    .option('pack', {
      type: 'boolean',
      describe: 'Scan exactly the files `npm pack` would publish for the package here (npm\'s own list, ignored by git or not): for prepublishOnly',
    })
    .conflicts('pack', ['staged', 'range', 'history', 'no-ignore'])
    .option('format', { choices: FORMATS, requiresArg: true, describe: 'Report format (default: text)' })
    .option('output', { type: 'string', requiresArg: true, describe: 'Write the report to this file instead of stdout' })
    .option('hook', {
      type: 'boolean',
      describe: 'Report as the pre-commit hook does: the text report, why the commit is blocked and what to do; a scan that cannot run blocks too. `keyguard scan --staged` alone is `--staged --hook`',
    })
    .conflicts('hook', 'format')
    .option('fail-on', {
      choices: FAIL_ON,
      describe: 'Exit 1 for any finding, warnings included, or only for errors on live keys and .env files (default: the config\'s failOn, else any)',
    })
    .option('config', { type: 'string', requiresArg: true, describe: 'Read settings from this file (default: the nearest keyguard.config.json, or "keyguard" in package.json, up to the repository root)' })
    .option('baseline', { type: 'string', requiresArg: true, describe: 'Hide the findings recorded in this file (default: .keyguard-baseline.json in the project root, when it exists)' })
    .option('ignore', { type: 'string', array: true, nargs: 1, describe: 'Never scan paths matching this glob; repeatable, replaces the config\'s ignore' })
    .option('allow', { type: 'string', array: true, nargs: 1, describe: 'Keys matching this regex (RE2) are placeholders; repeatable, replaces the config\'s allow' })
    .option('verify', { type: 'string', requiresArg: true, describe: 'Check each found key against the key API at this URL (GET /v1/rate-limit): live, inactive or unknown' }) as unknown as Argv<ScanArgs>;
}

export const scanCommand: Command<ScanArgs> = {
  command: 'scan [paths..]',
  describe: 'Find hardcoded sk_live_/sk_sandbox_/sk_test_ keys and .env files git does not ignore',
  builder: scanOptions,
  handler: (args, io) => scanAndReport(args, io),
};
