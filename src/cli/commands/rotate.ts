import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { parseDuration } from '../../duration.js';
import { EXIT_ERROR, EXIT_OK, KeyguardError } from '../../errors.js';
import { redactText } from '../../findings.js';
import { printable } from '../../printable.js';
import type { Command } from '../command.js';
import { result } from '../io.js';
import { keyApiClient, keyApiOptions, type KeyApiArgs } from '../key-api-options.js';

export interface RotateArgs extends KeyApiArgs {
  keyId: string;
  envFile: string;
  var: string;
  grace?: string;
}

function rotateOptions(yargs: Argv): Argv<RotateArgs> {
  return keyApiOptions(yargs, 'The key API the key belongs to, such as https://api.example.com')
    .positional('key-id', { type: 'string', describe: 'The id of the key to rotate (key_…), as keyguard audit or GET /v1/api-keys shows it' })
    .option('env-file', { type: 'string', demandOption: true, requiresArg: true, describe: 'The env file that holds the key; only its value changes' })
    .option('var', { type: 'string', demandOption: true, requiresArg: true, describe: 'The variable in it that holds the key, such as PRODUCT_API_KEY' })
    .option('grace', {
      type: 'string',
      requiresArg: true,
      describe: 'Keep the old key working this long after the new one is verified (90s, 1h, 7d); run the command again after it to revoke',
    })
    .example('$0 rotate key_123 --api https://api.example.com --env-file .env --var PRODUCT_API_KEY', 'Create, write, verify, revoke: the seed\'s rotation')
    .example('$0 rotate key_123 --api https://api.example.com --env-file .env --var PRODUCT_API_KEY --grace 1d', 'Revoke the old key a day later, on a second run') as unknown as Argv<RotateArgs>;
}

export const rotateCommand: Command<RotateArgs> = {
  command: 'rotate <key-id>',
  describe: 'Rotate a key as the seed says: create the replacement, write it into the env file, verify it, revoke the old key',
  builder: rotateOptions,
  async handler(args, io) {
    const graceMs = args.grace === undefined ? 0 : graceOf(args.grace);
    const client = keyApiClient(args, io);
    const { rotate } = await import('../../rotate/rotate.js');
    const lines: string[] = [];
    try {
      await rotate({
        client,
        keyId: args.keyId,
        envFile: resolve(io.cwd, args.envFile),
        envFileShown: args.envFile,
        variable: args.var,
        graceMs,
        now: io.now ?? Date.now,
        report: (line) => lines.push(line),
      });
    } catch (error) {
      if (!(error instanceof KeyguardError)) throw error;
      // The steps done so far still go to stdout; why it stopped, and what the next run does, is the one stderr line.
      return result(EXIT_ERROR, text(lines), `keyguard: ${redactText(printable(error.message))}\n`);
    }
    return result(EXIT_OK, text(lines));
  },
};

function graceOf(value: string): number {
  try {
    return parseDuration(value);
  } catch {
    throw new KeyguardError(`--grace takes a duration such as 90s, 1h or 7d; got '${value}'`);
  }
}

function text(lines: readonly string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}
