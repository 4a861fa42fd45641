import { resolve } from 'node:path';
import { parseDuration } from '../../duration.js';
import { EXIT_ERROR, EXIT_OK, KeyguardError } from '../../errors.js';
import { redactText } from '../../findings.js';
import { printable } from '../../printable.js';
import { defineCommand, type Options } from '../command.js';
import { result } from '../io.js';
import { keyApiClient, keyApiOptions } from '../key-api-options.js';

const OPTIONS = {
  ...keyApiOptions('The key API the key belongs to, such as https://api.example.com'),
  'env-file': { type: 'string', required: true, describe: 'The env file that holds the key; only its value changes' },
  var: { type: 'string', required: true, describe: 'The variable in it that holds the key, such as PRODUCT_API_KEY' },
  grace: {
    type: 'string',
    describe: 'Keep the old key working this long after the new one is verified (90s, 1h, 7d); run the command again after it to revoke',
  },
} as const satisfies Options;

export const rotateCommand = defineCommand({
  name: 'rotate',
  describe: 'Rotate a key as the seed says: create the replacement, write it into the env file, verify it, revoke the old key',
  positional: { name: 'key-id', describe: 'The id of the key to rotate (key_…), as keyguard audit or GET /v1/api-keys shows it' },
  options: OPTIONS,
  examples: [
    ['$0 rotate key_123 --api https://api.example.com --env-file .env --var PRODUCT_API_KEY', 'Create, write, verify, revoke: the seed\'s rotation'],
    ['$0 rotate key_123 --api https://api.example.com --env-file .env --var PRODUCT_API_KEY --grace 1d', 'Revoke the old key a day later, on a second run'],
  ],
  async handler(args, io) {
    const graceMs = args.grace === undefined ? 0 : graceOf(args.grace);
    const client = await keyApiClient(args, io);
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
});

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
