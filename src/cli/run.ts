import { EXIT_ERROR } from '../errors.js';
import { redactText } from '../findings.js';
import { printable } from '../printable.js';
import { VERSION } from '../version.js';
import { failure, result, type CliIO, type CliResult } from './io.js';
import { HOOK_ENTRY, scanAndReport } from './scan-report.js';

/**
 * Parses argv, runs one command and returns what to print. Only `bin.ts` prints and
 * sets the exit code, so this is tested without spawning a process.
 */
export async function run(argv: string[], io: CliIO): Promise<CliResult> {
  // The pre-commit hook's command line is an entry point of its own (HOOK_ENTRY): no parser to load.
  if (isHookEntry(argv)) return runHook(io);
  // yargs 17's single-file build: it loads in a quarter of the time of yargs 18's ~40 ES modules.
  const { default: yargs } = await import('yargs/yargs');
  const { COMMANDS } = await import('./commands/index.js');
  let outcome: CliResult | undefined;
  const usageErrors: string[] = [];
  const parser = yargs(argv);
  parser
    .scriptName('keyguard')
    .usage('$0 <command> [options]')
    .strict()
    .demandCommand(1, 'Name a command: keyguard scan, baseline, init, serve, audit or rotate (see keyguard --help).')
    .recommendCommands()
    .exitProcess(false)
    .showHelpOnFail(false)
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, parser.terminalWidth()))
    .epilogue('Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage or runtime error.')
    .fail((message, error) => {
      // yargs reports some usage errors (a flag missing its value) as a YError, not a message.
      if (error && error.name !== 'YError') throw error;
      // One mistake can fail twice ("Did you mean scan?", then "Unknown argument: scna"): keep both, the cause first.
      usageErrors.unshift(message ?? error?.message ?? 'invalid command line');
    });
  for (const command of COMMANDS) {
    parser.command({
      command: command.command,
      describe: command.describe,
      builder: command.builder,
      handler: async (args) => {
        const repeated = repeatedFlag(args, arrayOptions(parser));
        if (repeated) usageErrors.push(repeated);
        else outcome = await command.handler(args as never, io);
      },
    });
  }
  try {
    let printed = '';
    await parser.parseAsync(argv, {}, (_error, _args, output) => {
      printed = output;
    });
    if (usageErrors.length > 0) return usage(sentences(usageErrors));
    return outcome ?? result(0, printed ? `${printed}\n` : '');
  } catch (error) {
    if (usageErrors.length > 0) return usage(sentences(usageErrors));
    return failure(error);
  }
}

/** Whether `argv` is the hook's entry (`HOOK_ENTRY`): compared whole, never parsed. */
function isHookEntry(argv: string[]): boolean {
  return argv.length === 2 && argv[0] === 'scan' && argv[1] === '--staged';
}

async function runHook(io: CliIO): Promise<CliResult> {
  try {
    return await scanAndReport(HOOK_ENTRY.request, io);
  } catch (error) {
    return failure(error);
  }
}

/**
 * yargs turns a flag given twice into a list of both values, which a command taking one value
 * would misread (`--format json --format sarif`, `--port 80 --port 81`): a usage error instead.
 */
function repeatedFlag(args: Record<string, unknown>, arrays: readonly string[]): string | undefined {
  for (const [name, value] of Object.entries(args)) {
    // yargs lists every flag under its camelCase name too: report the name the user typed.
    if (name === '_' || /[A-Z]/.test(name) || !Array.isArray(value) || arrays.includes(name)) continue;
    return `--${name} was given ${value.length === 2 ? 'twice' : `${value.length} times`} (${value.join(', ')}): give it once`;
  }
  return undefined;
}

/** The options declared as lists (`--ignore`, paths…); yargs has the method, its types lack it. */
function arrayOptions(parser: unknown): string[] {
  return (parser as { getOptions(): { array: string[] } }).getOptions().array;
}

/** yargs' messages as one text: each a sentence once there are several. */
function sentences(messages: string[]): string {
  if (messages.length === 1) return messages[0] as string;
  return messages.map((message) => (/[.?!]$/.test(message) ? message : `${message}.`)).join(' ');
}

function usage(message: string): CliResult {
  // yargs spreads some messages over lines; the contract is one line.
  const line = printable(message.replace(/\s*\n\s*/g, ' '));
  return result(EXIT_ERROR, '', `keyguard: ${redactText(line)}\nRun 'keyguard --help' for usage.\n`);
}
