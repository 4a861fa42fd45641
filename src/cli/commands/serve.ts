import type { Argv } from 'yargs';
import { PLAN_NAMES, type PlanName } from '../../../mock-server/core/rate-limit.js';
import { KEY_TYPES, type KeyType } from '../../detect/index.js';
import { EXIT_OK, KeyguardError } from '../../errors.js';
import type { Command } from '../command.js';
import { result } from '../io.js';

export interface ServeArgs {
  /** As typed: `portNumber` checks it, since yargs' number type turns `abc` into NaN and `''` into 0. */
  port: string;
  host: string;
  allowHost: string[];
  control: boolean;
  env: KeyType;
  seed?: string;
  state?: string;
  plan?: PlanName;
  perHour?: number;
  perMinute?: number;
  now?: string;
  webhook: string[];
}

const ENVIRONMENTS = KEY_TYPES.map((t) => t.keyType);

function serveOptions(yargs: Argv): Argv<ServeArgs> {
  return yargs
    .option('port', { type: 'string', default: '4010', requiresArg: true, describe: 'Port to listen on, 0 to 65535; 0 picks a free one (printed)' })
    .option('host', { type: 'string', default: '127.0.0.1', requiresArg: true, describe: 'Address to bind; keep it local, the mock has test-control routes' })
    .option('allow-host', { type: 'string', array: true, default: [], requiresArg: true, describe: 'Also serve requests naming this host (repeatable); others get 421 (DNS rebinding)' })
    .option('control', { type: 'boolean', default: true, describe: 'Test-control routes under /__keyguard, behind a per-process token (--no-control: off)' })
    .option('env', { choices: ENVIRONMENTS, default: 'test' as KeyType, requiresArg: true, describe: 'The environment this server is: its keys start sk_<env>_' })
    .option('seed', { type: 'string', requiresArg: true, describe: 'Start from the keys in this JSON file instead of a bootstrap key' })
    .option('state', { type: 'string', requiresArg: true, describe: 'Keep state in this file: it survives restarts, every change is on disk before it is answered' })
    .option('plan', { choices: PLAN_NAMES, requiresArg: true, describe: 'Rate-limit plan of keys created without one (default: the seed\'s, else free)' })
    .option('per-hour', { type: 'number', requiresArg: true, describe: 'Enterprise plan: requests per hour' })
    .option('per-minute', { type: 'number', requiresArg: true, describe: 'Enterprise plan: requests per minute' })
    .option('now', { type: 'string', requiresArg: true, describe: 'Freeze the mock clock at this ISO instant (tests); move it with POST /__keyguard/clock' })
    .option('webhook', { type: 'string', array: true, default: [], requiresArg: true, describe: 'POST every event, signed, to this URL (repeatable); the signing secret is printed at start' })
    .example('$0 serve --port 4010 --env test', 'Start a test-environment mock and print its admin key')
    .example('$0 serve --port 0 --seed seed.json --state mock-state.json', 'Fixture keys, state kept across restarts') as unknown as Argv<ServeArgs>;
}

export const serveCommand: Command<ServeArgs> = {
  command: 'serve',
  describe: 'Start the mock key API (auth, scopes, rate limits, expiry) on 127.0.0.1',
  builder: serveOptions,
  async handler(args) {
    // Every option is checked before anything loads or listens.
    const port = portNumber(args.port);
    const host = hostName(args.host);
    const rateLimit = customLimits(args);
    const { startKeyApiServer } = await import('../../../mock-server/node.js');
    const server = await startKeyApiServer({
      port,
      host,
      allowHosts: args.allowHost,
      control: args.control,
      env: args.env,
      seed: args.seed,
      state: args.state,
      plan: args.plan,
      rateLimit,
      now: args.now,
      webhooks: args.webhook,
    });
    const lines = [
      `keyguard mock key API (${server.api.env} environment) listening on ${server.url}`,
      `Base URL: ${server.url}/v1`,
      `OpenAPI: ${server.url}/openapi.json`,
      `Dashboard: ${server.url}/`,
    ];
    if (server.bootstrapKey) lines.push(`Bootstrap admin key (admin:*, shown once): ${server.bootstrapKey}`);
    else if (server.api.restored) lines.push(`State restored from ${args.state}: use the keys you created before.`);
    else lines.push(`Keys loaded from ${args.seed}.`);
    const { urls, secret } = server.api.webhooks;
    if (urls.length > 0) lines.push(`Webhooks: events POSTed to ${urls.join(', ')}, signed with ${secret} (verify webhook-signature as the README shows)`);
    if (server.controlToken) {
      lines.push(`Test control (test-only; send X-Keyguard-Control-Token: ${server.controlToken}): ${server.url}/__keyguard/clock, /__keyguard/reset, /__keyguard/journal, /__keyguard/faults, /__keyguard/webhooks`);
    } else lines.push('Test control: off (--no-control)');
    // The server keeps the process alive after this returns; Ctrl-C stops it.
    return result(EXIT_OK, `${lines.join('\n')}\n`, server.warning ? `keyguard: warning: ${server.warning}\n` : '');
  },
};

function portNumber(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port <= 65535)) throw new KeyguardError(`--port ${value === '' ? "''" : value} is not a port: give a whole number from 0 to 65535 (0 picks a free one)`);
  return port;
}

function hostName(value: string): string {
  if (value.trim() === '') throw new KeyguardError('--host is empty: give the address to bind, such as 127.0.0.1');
  return value;
}

function customLimits(args: ServeArgs): { per_hour: number; per_minute: number } | undefined {
  if (args.perHour === undefined && args.perMinute === undefined) return undefined;
  if (args.plan !== 'enterprise') throw new KeyguardError('--per-hour and --per-minute set custom limits, which only the enterprise plan has: add --plan enterprise');
  if (!isQuota(args.perHour) || !isQuota(args.perMinute)) {
    throw new KeyguardError('--per-hour and --per-minute must both be whole numbers of at least 1');
  }
  return { per_hour: args.perHour, per_minute: args.perMinute };
}

function isQuota(value: number | undefined): value is number {
  return value !== undefined && Number.isInteger(value) && value >= 1;
}
