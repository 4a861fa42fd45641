import { PLAN_NAMES } from '../../../mock-server/core/plan-names.js';
import { KEY_TYPES } from '../../detect/index.js';
import { EXIT_OK, KeyguardError } from '../../errors.js';
import { defineCommand, type ArgsOf, type Options } from '../command.js';
import { result } from '../io.js';

const OPTIONS = {
  // A string, checked by `portNumber`: a number type would take `1e3`, `0x10` or `1.5`.
  port: { type: 'string', default: '4010', describe: 'Port to listen on, 0 to 65535; 0 picks a free one (printed)' },
  host: { type: 'string', default: '127.0.0.1', describe: 'Address to bind; keep it local, the mock has test-control routes' },
  'allow-host': { type: 'string', repeatable: true, default: [], describe: 'Also serve requests naming this host (repeatable); others get 421 (DNS rebinding)' },
  control: { type: 'boolean', negatable: true, default: true, describe: 'Test-control routes under /__keyguard, behind a per-process token (--no-control: off)' },
  env: { type: 'string', choices: KEY_TYPES.map((t) => t.keyType), default: 'test', describe: 'The environment this server is: its keys start sk_<env>_' },
  seed: { type: 'string', describe: 'Start from the keys in this JSON file instead of a bootstrap key' },
  state: { type: 'string', describe: 'Keep state in this file: it survives restarts, every change is on disk before it is answered' },
  plan: { type: 'string', choices: PLAN_NAMES, describe: 'Rate-limit plan of keys created without one (default: the seed\'s, else free)' },
  'per-hour': { type: 'number', describe: 'Enterprise plan: requests per hour' },
  'per-minute': { type: 'number', describe: 'Enterprise plan: requests per minute' },
  now: { type: 'string', describe: 'Freeze the mock clock at this ISO instant (tests); move it with POST /__keyguard/clock' },
  webhook: { type: 'string', repeatable: true, default: [], describe: 'POST every event, signed, to this URL (repeatable); the signing secret is printed at start' },
} as const satisfies Options;

type ServeArgs = ArgsOf<typeof OPTIONS>;

export const serveCommand = defineCommand({
  name: 'serve',
  describe: 'Start the mock key API (auth, scopes, rate limits, expiry) on 127.0.0.1',
  options: OPTIONS,
  examples: [
    ['$0 serve --port 4010 --env test', 'Start a test-environment mock and print its admin key'],
    ['$0 serve --port 0 --seed seed.json --state mock-state.json', 'Fixture keys, state kept across restarts'],
  ],
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
});

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
