import type { Argv } from 'yargs';
import type { CliIO, CliResult } from './io.js';

/**
 * One CLI command. `handler` returns what to print and the exit code; it never touches
 * `process`. Modules heavier than the parser load inside `handler`, so `scan --staged`
 * starts without msw or the server in memory.
 */
export interface Command<A = Record<string, unknown>> {
  command: string | string[];
  describe: string;
  builder: (yargs: Argv) => Argv<A>;
  handler: (args: A, io: CliIO) => Promise<CliResult>;
}
