import type { Command } from '../command.js';
import { auditCommand } from './audit.js';
import { baselineCommand } from './baseline.js';
import { initCommand } from './init.js';
import { rotateCommand } from './rotate.js';
import { scanCommand } from './scan.js';
import { serveCommand } from './serve.js';

/** Every CLI command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [scanCommand, baselineCommand, initCommand, serveCommand, auditCommand, rotateCommand];
