import type { Argv } from 'yargs';
import { EXIT_FINDINGS, EXIT_OK, KeyguardError } from '../../errors.js';
import { FORMATS, type Format } from '../../report/index.js';
import type { FailOn } from '../../scan.js';
import type { Command } from '../command.js';
import { redactText } from '../../findings.js';
import { printable } from '../../printable.js';
import { deliverReport } from '../report-output.js';
import { withSourceOptions, type SourceArgs } from '../source-options.js';

export interface ScanArgs extends SourceArgs {
  paths?: string[];
  format: Format;
  output?: string;
  failOn?: FailOn;
  config?: string;
  baseline?: string;
  ignore?: string[];
  allow?: string[];
  verify?: string;
  noIgnore?: boolean;
  pack?: boolean;
}

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
    .option('format', { choices: FORMATS, default: 'text' as Format, requiresArg: true, describe: 'Report format' })
    .option('output', { type: 'string', requiresArg: true, describe: 'Write the report to this file instead of stdout' })
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
  async handler(args, io) {
    const { scan, failsAt } = await import('../../scan.js');
    const { formatReport } = await import('../../report/index.js');
    const { gitSource } = await import('../../sources/git-sources.js');
    const { teamScanOptions } = await import('../../config/scan-options.js');
    let progressShown = false;
    let commits = 0;
    const warnings: string[] = [];
    if (args.pack && args.paths && args.paths.length > 0) {
      throw new KeyguardError(`--pack scans what npm would publish for the package here: drop the paths (${args.paths.join(' ')}), or scan them without --pack`);
    }
    const source = args.pack
      ? (await import('../../sources/npm-pack.js')).packSource(io.cwd, io.env)
      : gitSource(io.cwd, { ...args, onCommit: (n) => (commits = n) });
    const scanning = async (): Promise<Awaited<ReturnType<typeof scan>> & { failOn: FailOn }> => {
      const team = await teamScanOptions(io.cwd, args);
      const scanned = await scan({
        ...team.options,
        cwd: io.cwd,
        paths: args.paths ?? [],
        noIgnore: args.noIgnore === true,
        onIgnoredDirectory: (dir) =>
          warnings.push(`keyguard: warning: ${dir} is ignored by git, so files in it that git does not track were not scanned: add --no-ignore to scan them`),
        ...(source && { source }),
        onProgress:
          io.progress &&
          ((stats) => {
            progressShown = true;
            io.progress?.(`keyguard: scanned ${commits > 0 ? `${commits} commits` : `${stats.files} files`}…`);
          }),
      });
      return { ...scanned, failOn: team.failOn };
    };
    const outcome = args.staged ? await failClosed(scanning) : await scanning();
    if (progressShown) io.progress?.('');
    const toFile = args.output !== undefined;
    const color = !toFile && args.format === 'text' && io.stdoutIsTTY && !io.env.NO_COLOR;
    const reportOptions = { summary: outcome.summary, color };
    const blocked = failsAt(outcome.findings, outcome.failOn);
    const report =
      args.staged && args.format === 'text'
        ? (await import('../../report/hook.js')).hookReport(outcome.findings, { ...reportOptions, blocked, failOn: outcome.failOn })
        : formatReport(args.format, outcome.findings, reportOptions);
    const exitCode = blocked ? EXIT_FINDINGS : EXIT_OK;
    // A directory's name is outside text: it must not break the line or show a key.
    const warned = warnings.map((line) => `${redactText(printable(line))}\n`).join('');
    return deliverReport(report, outcome.summary.findings, exitCode, args.output, io.cwd, warned);
  },
};

/** In the pre-commit hook a scan that fails blocks the commit, and says why. */
async function failClosed<T>(scanning: () => Promise<T>): Promise<T> {
  const { hookFailure } = await import('../../report/hook.js');
  try {
    return await scanning();
  } catch (error) {
    const reason = error instanceof KeyguardError ? error.message : `internal error: ${String(error instanceof Error ? error.message : error).split('\n')[0]}`;
    throw new KeyguardError(hookFailure(reason));
  }
}
