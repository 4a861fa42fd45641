import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { bodyOf, fakeKey } from '../helpers/keys.js';
import { startServe, type ServeProcess } from '../mock-server/helpers/serve-process.js';
import { HoldingProxy } from './holding-proxy.js';

const BIN = fileURLToPath(new URL('../../bin/keyguard.js', import.meta.url));
const DAY_MS = 86_400_000;
const adminKey = fakeKey('live');
let server: ServeProcess;
const dir = mkdtempSync(join(tmpdir(), 'keyguard-rotate-'));

beforeAll(async () => {
  const seed = join(dir, 'seed.json');
  writeFileSync(seed, JSON.stringify({ plan: 'professional', keys: [{ key: adminKey, name: 'Rotation admin', permissions: ['admin:*'] }] }));
  server = await startServe(['--env', 'live', '--seed', seed]);
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function api(method: string, path: string, key = adminKey, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

const status = async (key: string) => (await api('GET', '/v1/rate-limit', key)).status;

/** A key as an integration would hold it, and a project directory with an env file holding it. */
async function project(name: string, lines = (key: string) => `# ${name}\nPRODUCT_API_KEY=${key}\n`) {
  const created = await api('POST', '/v1/api-keys', adminKey, {
    name,
    description: 'Checkout backend',
    permissions: ['tasks:read', 'projects:read'],
    expires_at: new Date(Date.now() + 90 * DAY_MS).toISOString(),
  });
  expect(created.status).toBe(201);
  const cwd = mkdtempSync(join(dir, 'project-'));
  const envFile = join(cwd, '.env');
  writeFileSync(envFile, Buffer.from(lines(created.body.key), 'latin1'));
  return { id: created.body.id as string, key: created.body.key as string, cwd, envFile };
}

function rotate(cwd: string, args: string[], now?: () => number, base = server.url) {
  return run(['rotate', ...args, '--api', base, '--env-file', '.env', '--var', 'PRODUCT_API_KEY'], {
    cwd,
    env: { KEYGUARD_API_KEY: adminKey },
    stdoutIsTTY: false,
    stderrIsTTY: false,
    ...(now && { now }),
  });
}

function envValue(envFile: string): string {
  return /PRODUCT_API_KEY=(\S+)/.exec(readFileSync(envFile, 'latin1'))?.[1] as string;
}

async function keyCount(): Promise<number> {
  return (await api('GET', '/v1/api-keys')).body.data.length;
}

describe('keyguard rotate against keyguard serve over a real socket', () => {
  it('creates the replacement, writes it, verifies it, revokes the old key, and reports each step without a key', async () => {
    const old = await project('Checkout');
    const out = await rotate(old.cwd, [old.id]);
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(0);
    const fresh = envValue(old.envFile);
    expect(fresh).toMatch(/^sk_live_[A-Za-z0-9]{32}$/);
    expect(fresh).not.toBe(old.key);
    expect(await status(old.key)).toBe(401);
    expect(await status(fresh)).toBe(200);
    expect(out.stdout).toMatch(/^Rotating key_\w+ "Checkout" \(sk_live_\w{3}…\) in \.env PRODUCT_API_KEY\n1\. created key_\w+ "Checkout \(rotated \d{4}-\d\d-\d\d\)" \(sk_live_\w{3}…\): same description, permissions, plan and expiry policy\n2\. wrote it to \.env PRODUCT_API_KEY; every other byte of the file is as it was\n3\. verified: GET \/v1\/rate-limit with the new key from \.env PRODUCT_API_KEY answered 200\n4\. revoked key_\w+ "Checkout" \(sk_live_\w{3}…\)\n5\. monitor: the new key works \(200\)/);
    for (const key of [old.key, fresh]) expect(out.stdout + out.stderr).not.toContain(bodyOf(key));
    const replacement = (await api('GET', '/v1/api-keys')).body.data.find((key: { prefix: string }) => fresh.startsWith(key.prefix.replace('...', '')));
    expect(replacement).toMatchObject({ description: 'Checkout backend', permissions: ['tasks:read', 'projects:read'], plan: 'professional' });
    expect(Math.abs(Date.parse(replacement.expires_at) - (Date.now() + 90 * DAY_MS))).toBeLessThan(60_000);
    expect(existsSync(join(old.cwd, '.keyguard-rotation.json'))).toBe(false);
  });

  it('keeps comments, CRLF line ends, quotes, other variables and non-UTF-8 bytes byte for byte', async () => {
    const lines = (key: string) =>
      `# payments service\r\n# caf\xe9 cr\xe8me\r\nexport OTHER_KEY="keep-me" # not this one\r\n\r\nPRODUCT_API_KEY="${key}"   # rotated by keyguard\r\nLAST=1`;
    const old = await project('CRLF', lines);
    const before = readFileSync(old.envFile);
    const out = await rotate(old.cwd, [old.id]);
    expect(out.exitCode).toBe(0);
    const after = readFileSync(old.envFile);
    const fresh = envValue(old.envFile).replace(/"/g, '');
    expect(after.equals(Buffer.from(before.toString('latin1').replace(old.key, fresh), 'latin1'))).toBe(true);
    expect(after.length).toBe(before.length);
  });

  it('with --grace keeps the old key working until a later run after the grace period revokes it', async () => {
    const old = await project('Grace');
    let now = Date.now();
    const first = await rotate(old.cwd, [old.id, '--grace', '1h'], () => now);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/4\. key_\w+ "Grace" \(sk_live_\w{3}…\) keeps working until \S+ \(grace period\): update the other services/);
    const fresh = envValue(old.envFile);
    expect(await status(old.key)).toBe(200);
    expect(await status(fresh)).toBe(200);
    now += 30 * 60_000;
    const early = await rotate(old.cwd, [old.id, '--grace', '1h'], () => now);
    expect(early.exitCode).toBe(0);
    expect(early.stdout).toContain('keeps working until');
    expect(await status(old.key)).toBe(200);
    now += 31 * 60_000;
    const later = await rotate(old.cwd, [old.id], () => now);
    expect(later.exitCode).toBe(0);
    expect(later.stdout).toMatch(/written and verified\n4\. revoked key_\w+ "Grace"/);
    expect(await status(old.key)).toBe(401);
    expect(envValue(old.envFile)).toBe(fresh);
    expect(await status(fresh)).toBe(200);
  });

  it('stops before creating anything when the variable is missing, set twice, or holds another key', async () => {
    const old = await project('Checks');
    const count = await keyCount();
    const cases: Array<[string, RegExp]> = [
      ['# nothing here\nOTHER=1\n', /^keyguard: \.env has no PRODUCT_API_KEY= line: name the variable that holds the key with --var, or add it first\n$/],
      [`PRODUCT_API_KEY=${old.key}\nPRODUCT_API_KEY=${old.key}\n`, /^keyguard: \.env sets PRODUCT_API_KEY 2 times \(lines 1, 2\): keep one, then rotate\n$/],
      [`PRODUCT_API_KEY=${fakeKey('live')}\n`, /^keyguard: \.env PRODUCT_API_KEY does not hold key_\w+ \(sk_live_\w{3}\.\.\.\): name the variable/],
    ];
    for (const [text, message] of cases) {
      writeFileSync(old.envFile, text);
      const out = await rotate(old.cwd, [old.id]);
      expect(out.exitCode).toBe(2);
      expect(out.stderr).toMatch(message);
      expect(readFileSync(old.envFile, 'utf8')).toBe(text);
      expect(await keyCount()).toBe(count);
      expect(await status(old.key)).toBe(200);
    }
    rmSync(old.envFile);
    const missing = await rotate(old.cwd, [old.id]);
    expect(missing.stderr).toBe('keyguard: cannot read --env-file .env: it does not exist\n');
    expect(await keyCount()).toBe(count);
  });

  it('exits 2 with one line for a bad --grace, a missing admin key and an unknown key id', async () => {
    const old = await project('Usage');
    expect((await rotate(old.cwd, [old.id, '--grace', 'soon'])).stderr).toBe("keyguard: --grace takes a duration such as 90s, 1h or 7d; got 'soon'\n");
    const noKey = await run(['rotate', old.id, '--api', server.url, '--env-file', '.env', '--var', 'PRODUCT_API_KEY'], { cwd: old.cwd, env: {}, stdoutIsTTY: false, stderrIsTTY: false });
    expect(noKey).toMatchObject({ exitCode: 2, stderr: expect.stringMatching(/^keyguard: \$KEYGUARD_API_KEY is not set/) });
    const unknown = await rotate(old.cwd, ['key_doesnotexist']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/^keyguard: rotation stopped at read the key: the key API answered GET \/v1\/api-keys\/key_doesnotexist with 404 key_not_found.*; nothing changed\n$/);
  });
});

describe('keyguard rotate killed after each step, then run again', () => {
  let proxy: HoldingProxy;
  beforeAll(async () => {
    proxy = await new HoldingProxy(server.url).start();
  });
  afterAll(() => proxy.stop());

  /** Starts `keyguard rotate` as its own process through the proxy and SIGKILLs it once the held answer is on its way. */
  async function killedAt(cwd: string, id: string, method: string, path: RegExp, skip = 0): Promise<void> {
    const held = proxy.hold(method, path, skip);
    const child = spawn(process.execPath, [BIN, 'rotate', id, '--api', proxy.url, '--env-file', '.env', '--var', 'PRODUCT_API_KEY'], {
      cwd,
      env: { ...process.env, KEYGUARD_API_KEY: adminKey },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await held;
    child.kill('SIGKILL');
    await exited;
    proxy.release();
  }

  async function finishes(old: Awaited<ReturnType<typeof project>>, expected: RegExp): Promise<void> {
    const again = await rotate(old.cwd, [old.id], undefined, proxy.url);
    expect(again.stderr).toBe('');
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(expected);
    const fresh = envValue(old.envFile);
    expect(fresh).not.toBe(old.key);
    expect(await status(fresh)).toBe(200);
    expect(await status(old.key)).toBe(401);
    expect(existsSync(join(old.cwd, '.keyguard-rotation.json'))).toBe(false);
    for (const key of [old.key, fresh]) expect(again.stdout).not.toContain(bodyOf(key));
  }

  function journal(cwd: string): string {
    return readFileSync(join(cwd, '.keyguard-rotation.json'), 'utf8');
  }

  it('a replacement that fails verification is undone in the same run: old value back, replacement revoked', async () => {
    const old = await project('Refused');
    const before = readFileSync(old.envFile);
    proxy.refuseOnce('GET', /^\/v1\/rate-limit$/, 401);
    const out = await rotate(old.cwd, [old.id], undefined, proxy.url);
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toBe(
      'keyguard: rotation stopped at verify: the new key got 401 from GET /v1/rate-limit; undone: .env PRODUCT_API_KEY holds the old key again and the replacement is revoked\n',
    );
    expect(out.stdout).toMatch(/^Rotating .*\n1\. created .*\n2\. wrote it to .*\n$/);
    expect(readFileSync(old.envFile).equals(before)).toBe(true);
    expect(await status(old.key)).toBe(200);
    const replacements = (await api('GET', '/v1/api-keys')).body.data.filter((key: { name: string }) => key.name.startsWith('Refused (rotated'));
    expect(replacements).toEqual([]);
    expect(existsSync(join(old.cwd, '.keyguard-rotation.json'))).toBe(false);
  });

  it('after create: the replacement exists but was never written; the next run revokes it and rotates', async () => {
    const old = await project('Crash create');
    await killedAt(old.cwd, old.id, 'POST', /^\/v1\/api-keys$/);
    expect(envValue(old.envFile)).toBe(old.key);
    expect(await status(old.key)).toBe(200);
    expect(JSON.parse(journal(old.cwd))).toMatchObject({ step: 'creating', old: { id: old.id } });
    const orphan = (await api('GET', '/v1/api-keys')).body.data.find((key: { name: string }) => key.name.startsWith('Crash create (rotated'));
    expect(orphan).toBeDefined();
    await finishes(old, new RegExp(`^Undid an unfinished rotation of ${old.id}: revoked ${orphan.id}, whose value was never written to \\.env\\nRotating`));
    const names = (await api('GET', '/v1/api-keys')).body.data.filter((key: { name: string }) => key.name.startsWith('Crash create (rotated'));
    expect(names.map((key: { id: string }) => key.id)).not.toContain(orphan.id);
    expect(names).toHaveLength(1);
  });

  it('after writing the env file: the next run verifies the written key and finishes', async () => {
    const old = await project('Crash write');
    await killedAt(old.cwd, old.id, 'GET', /^\/v1\/rate-limit$/);
    const written = envValue(old.envFile);
    expect(written).not.toBe(old.key);
    expect(await status(old.key)).toBe(200);
    expect(JSON.parse(journal(old.cwd))).toMatchObject({ step: 'written' });
    expect(journal(old.cwd)).not.toContain(bodyOf(written));
    await finishes(old, /^Finishing the rotation of key_\w+ "Crash write" .* was written\n3\. verified: .*\n4\. revoked/);
    expect(envValue(old.envFile)).toBe(written);
  });

  it('after verifying: the next run revokes the old key', async () => {
    const old = await project('Crash verify');
    await killedAt(old.cwd, old.id, 'DELETE', new RegExp(`^/v1/api-keys/${old.id}$`));
    // The DELETE reached the server; the client never learnt it.
    expect(JSON.parse(journal(old.cwd))).toMatchObject({ step: 'verified' });
    await finishes(old, /is written and verified\n4\. already revoked: key_\w+ "Crash verify"/);
  });

  it('after revoking: nothing is left to do, the rotation is complete', async () => {
    const old = await project('Crash revoke');
    await killedAt(old.cwd, old.id, 'GET', /^\/v1\/rate-limit$/, 2);
    const fresh = envValue(old.envFile);
    expect(await status(fresh)).toBe(200);
    expect(await status(old.key)).toBe(401);
    expect(existsSync(join(old.cwd, '.keyguard-rotation.json'))).toBe(false);
  });
});
