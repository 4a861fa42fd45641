import { EXIT_ERROR, EXIT_OK } from '../errors.js';
import { redactText } from '../findings.js';
import { printable } from '../printable.js';
import { VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';
import { failure, result, type CliIO, type CliResult } from './io.js';
import { parseArgv } from './parse-argv.js';

/**
 * Parses argv, runs one command and returns what to print. Only `bin.ts` prints and
 * sets the exit code, so this is tested without spawning a process. Every command line,
 * the hook's `scan --staged` included, goes through the one parser.
 */
export async function run(argv: string[], io: CliIO): Promise<CliResult> {
  const parsed = parseArgv(argv, COMMANDS);
  switch (parsed.kind) {
    case 'usage':
      return usage(parsed.message);
    case 'version':
      return result(EXIT_OK, `${VERSION}\n`);
    case 'help': {
      const { helpText } = await import('./help.js');
      return result(EXIT_OK, helpText(COMMANDS, parsed.command));
    }
    case 'run':
      try {
        return await parsed.command.handler(parsed.args, io);
      } catch (error) {
        return failure(error);
      }
  }
}

function usage(message: string): CliResult {
  // A word typed on the command line may hold control characters or a key: the contract is one plain line.
  const line = printable(message.replace(/\s*\n\s*/g, ' '));
  return result(EXIT_ERROR, '', `keyguard: ${redactText(line)}\nRun 'keyguard --help' for usage.\n`);
}
