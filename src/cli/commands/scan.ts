import { FORMATS } from '../../report/formats.js';
import type { FailOn } from '../../scan.js';
import { defineCommand, type ArgsOf, type Options } from '../command.js';
import { scanAndReport } from '../scan-report.js';
import { SOURCE_CONFLICTS, sourceOptions } from '../source-options.js';

const FAIL_ON: readonly FailOn[] = ['live', 'any'];

/** Every `scan` flag, in one table: new sources and filters add their options here. */
const OPTIONS = {
  ...sourceOptions('Scan'),
  // `--no-ignore` is a flag of its own (as in ripgrep and fd), not the negation of `--ignore GLOB`.
  'no-ignore': { type: 'boolean', describe: 'Also scan the files git or .gitignore ignores under the named directories (build output, downloaded artifacts)' },
  pack: {
    type: 'boolean',
    describe: 'Scan exactly the files `npm pack` would publish for the package here (npm\'s own list, ignored by git or not): for prepublishOnly',
  },
  format: { type: 'string', choices: FORMATS, describe: 'Report format (default: text)' },
  output: { type: 'string', describe: 'Write the report to this file instead of stdout' },
  hook: {
    type: 'boolean',
    describe: 'Report as the pre-commit hook does: the text report, why the commit is blocked and what to do; a scan that cannot run blocks too. `keyguard scan --staged` alone is `--staged --hook`',
  },
  'fail-on': {
    type: 'string',
    choices: FAIL_ON,
    describe: 'Exit 1 for any finding, warnings included, or only for errors on live keys and .env files (default: the config\'s failOn, else any)',
  },
  config: { type: 'string', describe: 'Read settings from this file (default: the nearest keyguard.config.json, or "keyguard" in package.json, up to the repository root)' },
  baseline: { type: 'string', describe: 'Hide the findings recorded in this file (default: .keyguard-baseline.json in the project root, when it exists)' },
  ignore: { type: 'string', repeatable: true, describe: 'Never scan paths matching this glob; repeatable, replaces the config\'s ignore' },
  allow: { type: 'string', repeatable: true, describe: 'Keys matching this regex (RE2) are placeholders; repeatable, replaces the config\'s allow' },
  verify: { type: 'string', describe: 'Check each found key against the key API at this URL (GET /v1/rate-limit): live, inactive or unknown' },
} as const satisfies Options;

const PATHS = {
  name: 'paths',
  list: true,
  describe: 'Files or directories to scan (default: the tracked and untracked-but-not-ignored files under .). A named file is scanned even if git ignores it',
} as const;

type ScanArgs = ArgsOf<typeof OPTIONS, typeof PATHS>;

export const scanCommand = defineCommand({
  name: 'scan',
  describe: 'Find hardcoded sk_live_/sk_sandbox_/sk_test_ keys and .env files git does not ignore',
  positional: PATHS,
  options: OPTIONS,
  conflicts: [...SOURCE_CONFLICTS, ['pack', 'staged'], ['pack', 'range'], ['pack', 'history'], ['pack', 'no-ignore'], ['hook', 'format']],
  handler: (args, io) => scanAndReport({ ...args, hook: args.hook ?? isHookEntry(args) }, io),
});

/**
 * `keyguard scan --staged` and nothing else, as `keyguard init`, pre-commit and lint-staged run it,
 * reports as the hook (`--staged --hook`); any other flag or a path makes it an ordinary scan.
 */
function isHookEntry(args: ScanArgs): boolean {
  const others = Object.entries(args).filter(([name]) => name !== 'staged');
  return args.staged === true && args.paths.length === 0 && others.every(([name, value]) => name === 'paths' || value === undefined);
}
