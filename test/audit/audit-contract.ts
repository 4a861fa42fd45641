import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { bodyOf } from '../helpers/keys.js';
import { byPair, hygieneSeed, useKeys } from './hygiene-seed.js';

/** A key API seeded with `hygieneSeed(env)`: where it is, however the door offers it. */
export interface SeededApi {
  base: string;
  stop?: () => Promise<void>;
}

export type StartSeeded = (env: 'live' | 'test', seed: unknown) => Promise<SeededApi>;

export function audit(args: string[], env: Record<string, string | undefined>) {
  return run(['audit', ...args], { cwd: process.cwd(), env, stdoutIsTTY: false, stderrIsTTY: false });
}

interface JsonReport {
  findings: Array<{ ruleId: string; severity: string; keyType: string; redacted: string; apiKey: { id: string; name: string }; reason: string; file: string }>;
  summary: { keys: number; findings: number };
}

function oneLine(stderr: string): void {
  expect(stderr).toMatch(/^keyguard: [^\n]+\n$/);
}

/** The audit's promises, written once and run against each door to the mock. */
export function auditContract(start: StartSeeded): void {
  it.each(['live', 'test'] as const)('a seeded %s key set covering every rule gives exactly those findings', async (env) => {
    const scenario = hygieneSeed(env);
    const api = await start(env, scenario.seed);
    await useKeys(api.base, scenario.use);
    const out = await audit(['--api', api.base, '--format', 'json'], { KEYGUARD_API_KEY: scenario.adminKey });
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(1);
    const report = JSON.parse(out.stdout) as JsonReport;
    const found = report.findings.map((finding) => [finding.apiKey.name, finding.ruleId] as [string, string]).sort(byPair);
    expect(found).toEqual(scenario.expected);
    expect(report.summary).toMatchObject({ keys: scenario.keys.length, findings: scenario.expected.length });
    for (const finding of report.findings) {
      expect(finding.apiKey.id).toMatch(/^key_/);
      expect(finding.redacted).toMatch(new RegExp(`^sk_${env}_[A-Za-z0-9]{3}…$`));
      expect(finding.keyType).toBe(env);
      expect(finding.file).toBe(`api-keys/${finding.apiKey.id}`);
      expect(finding.reason.length).toBeGreaterThan(10);
    }
    if (env === 'live') {
      const reasons = Object.fromEntries(report.findings.map((finding) => [finding.apiKey.name, finding]));
      expect(reasons['Old live key']?.reason).toMatch(/^created on \d{4}-\d\d-\d\d \(120 days ago\): live keys are rotated every 90 days$/);
      expect(reasons['Unused permissions']?.reason).toBe('tasks:write, projects:read granted but unused in the last 30 days: keep tasks:read');
      expect(reasons['Old live key']?.severity).toBe('error');
      expect(reasons['Inactive']?.severity).toBe('warning');
    }
    await api.stop?.();
  });

  it('prints no full key in any format, and only errors fail with --fail-on error', async () => {
    const scenario = hygieneSeed('live');
    const api = await start('live', scenario.seed);
    await useKeys(api.base, scenario.use);
    const env = { KEYGUARD_API_KEY: scenario.adminKey };
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const out = await audit(['--api', api.base, '--format', format], env);
      expect(out.exitCode).toBe(1);
      for (const key of scenario.keys) expect(out.stdout + out.stderr).not.toContain(bodyOf(key));
    }
    const text = await audit(["--api", api.base], env);
    expect(text.stdout).toMatch(/key-rotation-overdue {2}Key older than its rotation period: key_\w+ "Old live key" \(sk_live_\w{3}…\) created on/);
    expect(text.stdout).toMatch(/✖ 10 findings \(1 error, 9 warnings\) on 10 of 11 keys audited in \d+ ms/);
    const github = await audit(['--api', api.base, '--format', 'github'], env);
    expect(github.stdout).toMatch(/^::error title=keyguard key-rotation-overdue::Key older than its rotation period: key_/m);
    expect(github.stdout).toMatch(/^::warning title=keyguard key-no-description::/m);
    const errorsOnly = await audit(['--api', api.base, '--fail-on', 'error', '--rotation-days-live', '365'], env);
    expect(errorsOnly.exitCode).toBe(0);
    expect(errorsOnly.stdout).toContain('key-no-expiry');
    await api.stop?.();
  });

  it('exits 2 with one line for a non-admin key, an unknown key, a missing variable and a wrong URL', async () => {
    const scenario = hygieneSeed('live');
    const api = await start('live', scenario.seed);
    const reader = scenario.use[0] as string;
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--api', api.base], { KEYGUARD_API_KEY: reader }, /^keyguard: the key in \$KEYGUARD_API_KEY may not GET \/v1\/api-keys \(403 insufficient_permissions: .*\): use a key with admin:\*\n$/],
      [['--api', api.base, '--key-env', 'OTHER'], { OTHER: `${reader}x` }, /^keyguard: the key API refused the key in \$OTHER \(401 invalid_api_key/],
      [['--api', api.base], {}, /^keyguard: \$KEYGUARD_API_KEY is not set: export an admin:\* key/],
      [['--api', `${api.base}/not-the-api`], { KEYGUARD_API_KEY: scenario.adminKey }, /does not look like the key API: GET \/v1\/api-keys got a 404; check --api\n$/],
      [['--api', 'ftp://example.com'], { KEYGUARD_API_KEY: scenario.adminKey }, /^keyguard: --api expects the key API's http\(s\) URL/],
    ];
    for (const [args, env, message] of cases) {
      const out = await audit(args, env);
      expect(out.exitCode, args.join(' ')).toBe(2);
      expect(out.stdout).toBe('');
      oneLine(out.stderr);
      expect(out.stderr).toMatch(message);
      expect(out.stderr).not.toContain(bodyOf(reader));
    }
    await api.stop?.();
  });
}

/** A port nothing listens on: bound, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
