import { KeyguardError } from '../errors.js';
import { keyApiBase } from '../key-api/base-url.js';
import type { KeyApiClient } from '../key-api/client.js';
import type { Options } from './command.js';
import type { CliIO } from './io.js';

/** The flags of the commands that manage keys through the key API: where it is, and where the admin key is. */
export interface KeyApiArgs {
  api: string;
  keyEnv: string;
}

export const DEFAULT_KEY_ENV = 'KEYGUARD_API_KEY';

export function keyApiOptions(describeApi: string) {
  return {
    api: { type: 'string', required: true, describe: describeApi },
    'key-env': {
      type: 'string',
      default: DEFAULT_KEY_ENV,
      describe: 'The environment variable holding an admin:* key (a key is never a command-line argument: those end up in shell history and ps)',
    },
  } as const satisfies Options;
}

/**
 * A client for `--api` with the admin key from `--key-env`; a missing key is one line that says which
 * variable to set. The client (and the schemas it checks answers with) loads only here.
 */
export async function keyApiClient(args: KeyApiArgs, io: CliIO): Promise<KeyApiClient> {
  const base = keyApiBase(args.api, '--api', `put the admin key in $${args.keyEnv} instead`);
  const key = io.env[args.keyEnv]?.trim();
  if (!key) {
    throw new KeyguardError(`$${args.keyEnv} is not set: export an admin:* key of the key API in it (or name another variable with --key-env)`);
  }
  const { KeyApiClient } = await import('../key-api/client.js');
  return new KeyApiClient({ base, key, keySource: `$${args.keyEnv}` });
}
