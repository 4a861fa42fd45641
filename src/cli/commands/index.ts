import type { Command } from '../command.js';
import { auditCommand } from './audit.js';
import { rotateCommand } from './rotate.js';
import { baselineCommand } from './baseline.js';
import { initCommand } from './init.js';
import { scanCommand } from './scan.js';
import { serveCommand } from './serve.js';

/** Every CLI command, in the order `--help` lists them. Each types its own arguments (yargs' `Argv<A>` is invariant, hence `any`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const COMMANDS: Array<Command<any>> = [scanCommand, baselineCommand, initCommand, serveCommand, auditCommand, rotateCommand];
