import type { Argv } from 'yargs';
import { KeyguardError } from '../errors.js';
import { keyApiBase } from '../key-api/base-url.js';
import { KeyApiClient } from '../key-api/client.js';
import type { CliIO } from './io.js';

/** The flags of the commands that manage keys through the key API: where it is, and where the admin key is. */
export interface KeyApiArgs {
  api: string;
  keyEnv: string;
}

export const DEFAULT_KEY_ENV = 'KEYGUARD_API_KEY';

export function keyApiOptions<T>(yargs: Argv<T>, describeApi: string): Argv<T & KeyApiArgs> {
  return yargs
    .option('api', { type: 'string', demandOption: true, requiresArg: true, describe: describeApi })
    .option('key-env', {
      type: 'string',
      default: DEFAULT_KEY_ENV,
      requiresArg: true,
      describe: 'The environment variable holding an admin:* key (a key is never a command-line argument: those end up in shell history and ps)',
    }) as unknown as Argv<T & KeyApiArgs>;
}

/** A client for `--api` with the admin key from `--key-env`; a missing key is one line that says which variable to set. */
export function keyApiClient(args: KeyApiArgs, io: CliIO): KeyApiClient {
  const base = keyApiBase(args.api, '--api', `put the admin key in $${args.keyEnv} instead`);
  const key = io.env[args.keyEnv]?.trim();
  if (!key) {
    throw new KeyguardError(`$${args.keyEnv} is not set: export an admin:* key of the key API in it (or name another variable with --key-env)`);
  }
  return new KeyApiClient({ base, key, keySource: `$${args.keyEnv}` });
}
