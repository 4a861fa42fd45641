import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf } from '../helpers/keys.js';
import { serveFailure, startServe, type ServeProcess } from '../mock-server/helpers/serve-process.js';
import { boundedClient, type BoundedClient, type Reply } from './helpers/http.js';

// The admin key makes hundreds of requests a round: limits it cannot reach keep 429s out of the way.
const UNLIMITED = ['--plan', 'enterprise', '--per-hour', '1000000', '--per-minute', '1000000'];

const running: ServeProcess[] = [];
const clients: BoundedClient[] = [];
const temps: string[] = [];

async function serve(args: string[]): Promise<{ server: ServeProcess; client: BoundedClient }> {
  const server = await startServe(args);
  running.push(server);
  const client = boundedClient(server.url, 16);
  clients.push(client);
  return { server, client };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyguard-mock-faults-'));
  temps.push(dir);
  return dir;
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(running.splice(0).map((server) => server.stop('SIGKILL')));
});

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

interface NewKey {
  id: string;
  key: string;
}

/** Settles to the reply, or to undefined when the server died before answering (outcome unknown). */
const settle = (reply: Promise<Reply>): Promise<Reply | undefined> => reply.catch(() => undefined);
const acknowledged = (reply: Reply | undefined): reply is Reply => reply !== undefined && reply.status >= 200 && reply.status < 300;

describe('--state through SIGKILL in the middle of a burst of writes', () => {
  it('keeps every change that was answered with a 2xx, in a file that always loads, over three kill-and-restart rounds', async () => {
    const stateFile = join(tempDir(), 'state.json');
    let { server, client } = await serve(['--state', stateFile, ...UNLIMITED]);
    const admin = server.adminKey as string;
    const everyKey: string[] = [admin];

    for (let round = 0; round < 3; round++) {
      // Keys made (and acknowledged) before the burst; each is changed by at most one request in it.
      const made = await Promise.all(
        Array.from({ length: 60 }, (_, i) => client.send('POST', '/v1/api-keys', { key: admin, body: { name: `target ${round}.${i}` } })),
      );
      expect(made.every((reply) => reply.status === 201)).toBe(true);
      const targets = made.map((reply) => reply.json as NewKey);
      everyKey.push(...targets.map((target) => target.key));

      type Write = { kind: 'task' | 'create' | 'delete' | 'regenerate' | 'rename'; target?: NewKey; name: string; reply: Promise<Reply | undefined> };
      const writes: Write[] = [];
      let answered = 0;
      const killAfter = 30 + round * 20;
      let killed!: () => void;
      const killedNow = new Promise<void>((resolve) => (killed = resolve));
      const track = (write: Omit<Write, 'reply'>, reply: Promise<Reply>): void => {
        const settled = settle(reply).then((outcome) => {
          if (acknowledged(outcome) && ++answered === killAfter) killed();
          return outcome;
        });
        writes.push({ ...write, reply: settled });
      };
      for (let i = 0; i < 100; i++) {
        const name = `round ${round} write ${i}`;
        // Each target is changed by one request only, so an acknowledged change can be checked alone.
        const target = i % 5 >= 2 ? (targets.shift() as NewKey) : undefined;
        switch (i % 5) {
          case 0:
            track({ kind: 'task', name }, client.send('POST', '/v1/tasks', { key: admin, body: { title: name } }));
            break;
          case 1:
            track({ kind: 'create', name }, client.send('POST', '/v1/api-keys', { key: admin, body: { name } }));
            break;
          case 2:
            track({ kind: 'delete', target, name }, client.send('DELETE', `/v1/api-keys/${target?.id}`, { key: admin }));
            break;
          case 3:
            track({ kind: 'regenerate', target, name }, client.send('POST', `/v1/api-keys/${target?.id}/regenerate`, { key: admin }));
            break;
          default:
            track({ kind: 'rename', target, name }, client.send('PATCH', `/v1/api-keys/${target?.id}`, { key: admin, body: { name } }));
        }
      }
      await killedNow;
      await server.stop('SIGKILL');
      const outcomes = await Promise.all(writes.map(async (write) => ({ ...write, outcome: await write.reply })));
      const acked = outcomes.filter((write) => acknowledged(write.outcome));
      expect(acked.length).toBeGreaterThanOrEqual(killAfter);
      // The kill landed mid-burst: some writes never got an answer.
      expect(acked.length).toBeLessThan(writes.length);

      const text = readFileSync(stateFile, 'utf8');
      // A log of JSON lines: every line a kill did not cut short parses (the restart below loads it all).
      for (const line of text.split('\n').slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
      for (const write of acked) {
        if (write.kind === 'create' || write.kind === 'regenerate') everyKey.push((write.outcome?.json as NewKey).key);
      }
      // Hashes only: no key that was ever shown is in the file.
      for (const key of everyKey) expect(text).not.toContain(bodyOf(key));

      client.close();
      ({ server, client } = await serve(['--state', stateFile, ...UNLIMITED]));
      expect(server.stdout).toContain(`State restored from ${stateFile}`);
      const tasks = ((await client.send('GET', '/v1/tasks', { key: admin })).json as { data: Array<{ title: string }> }).data.map((t) => t.title);
      const status = async (key: string) => (await client.send('GET', '/v1/rate-limit', { key })).status;
      for (const write of acked) {
        const json = write.outcome?.json as NewKey & { name: string };
        switch (write.kind) {
          case 'task':
            expect(tasks).toContain(write.name);
            break;
          case 'create':
            expect(await status(json.key)).toBe(200);
            break;
          case 'delete':
            expect(await status((write.target as NewKey).key)).toBe(401);
            expect((await client.send('GET', `/v1/api-keys/${json.id}`, { key: admin })).status).toBe(404);
            break;
          case 'regenerate':
            expect(await status(json.key)).toBe(200);
            expect(await status((write.target as NewKey).key)).toBe(401);
            break;
          case 'rename':
            expect(((await client.send('GET', `/v1/api-keys/${json.id}`, { key: admin })).json as { name: string }).name).toBe(write.name);
        }
      }
    }
  });
});

describe('a --state file that is not a keyguard state file', () => {
  let pristine: string;

  beforeAll(async () => {
    const stateFile = join(tempDir(), 'state.json');
    const { server } = await serve(['--state', stateFile]);
    await server.stop();
    pristine = readFileSync(stateFile, 'utf8');
  });

  // The start of a zip file, a newline, NUL, an invalid UTF-8 byte and a terminal escape that clears the screen.
  const garbage = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x0a, 0x00, 0xff, 0x1b, 0x5b, 0x32, 0x4a, 0x0d, 0x0a, 0x22, 0x6b, 0x0a, 0xfe, 0x01]);

  it.each([
    ['empty (truncated to nothing)', () => ''],
    ['truncated in the middle', (full: string) => full.slice(0, Math.floor(full.length / 2))],
    ['binary garbage with newlines and control bytes', () => garbage],
    ['JSON of another shape', () => '{"keys": []}\n'],
    ['a state file with a damaged hash', (full: string) => full.replace(/"hash": ?"[0-9a-f]{64}"/, '"hash": "not-a-hash"')],
  ] as Array<[string, (full: string) => string | Buffer]>)(
    'is refused at start when %s: one line on stderr, exit code 2, the file left as it was',
    async (_case, damage) => {
      const stateFile = join(tempDir(), 'state.json');
      const damaged = damage(pristine);
      writeFileSync(stateFile, damaged);

      const outcome = await serveFailure(['--state', stateFile]);
      expect(outcome.code).toBe(2);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr).toMatch(new RegExp(`^keyguard: --state ${stateFile} is not .*: restore it from a backup, or delete it to start fresh\\n$`));
      expect(outcome.stderr.split('\n')).toHaveLength(2);
      expect(outcome.stderr).not.toContain('\r');
      // Not silently reset: the damaged file is still there, byte for byte.
      expect(readFileSync(stateFile)).toEqual(Buffer.from(damaged));
    },
  );

  it('a --seed file of binary garbage is refused in one line too', async () => {
    const seedFile = join(tempDir(), 'seed.json');
    writeFileSync(seedFile, garbage);
    const outcome = await serveFailure(['--seed', seedFile]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(new RegExp(`^keyguard: --seed ${seedFile} is not valid JSON \\(.*\\): fix the file\\n$`));
    expect(outcome.stderr.split('\n')).toHaveLength(2);
  });

  it('a leftover temporary file from a killed write does not stop a start', async () => {
    const stateFile = join(tempDir(), 'state.json');
    const { server: first } = await serve(['--state', stateFile]);
    await first.stop('SIGKILL');
    writeFileSync(`${stateFile}.tmp`, '{"keyguard_mock_state": 1, "env');
    const { server: second, client } = await serve(['--state', stateFile]);
    expect((await client.send('GET', '/v1/api-keys', { key: first.adminKey as string })).status).toBe(200);
    expect(second.stdout).toContain(`State restored from ${stateFile}`);
  });
});

describe('--state as a log', () => {
  it('appends one line per change, compacts to one line at start, and removes temp files a killed compaction left', async () => {
    const dir = tempDir();
    const stateFile = join(dir, 'state.json');
    const { server, client } = await serve(['--state', stateFile]);
    const admin = server.adminKey as string;
    expect(readFileSync(stateFile, 'utf8').split('\n')).toHaveLength(2);
    for (let i = 0; i < 5; i++) expect((await client.send('POST', '/v1/tasks', { key: admin, body: { title: `t${i}` } })).status).toBe(201);
    const lines = readFileSync(stateFile, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    // Each change line holds that change only: one task, not the whole state.
    expect(JSON.parse(lines[5] as string).tasks).toEqual([expect.objectContaining({ title: 't4' })]);
    await server.stop('SIGKILL');

    const leftovers = ['.state.json.0123456789ab.tmp', '.state.json.ba9876543210.tmp'];
    for (const name of leftovers) writeFileSync(join(dir, name), '{"keyguard_mock_state": 1, "env');
    writeFileSync(join(dir, 'notes.tmp'), 'not ours');
    const { client: after } = await serve(['--state', stateFile]);
    const tasks = await after.send('GET', '/v1/tasks', { key: admin });
    expect((tasks.json as { data: Array<{ title: string }> }).data.map((t) => t.title)).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect(readFileSync(stateFile, 'utf8').split('\n')).toHaveLength(2);
    for (const name of leftovers) expect(existsSync(join(dir, name))).toBe(false);
    expect(existsSync(join(dir, 'notes.tmp'))).toBe(true);
  });

  it('drops a last line a kill cut short (never acknowledged) and keeps the rest', async () => {
    const stateFile = join(tempDir(), 'state.json');
    const { server, client } = await serve(['--state', stateFile]);
    const admin = server.adminKey as string;
    expect((await client.send('POST', '/v1/tasks', { key: admin, body: { title: 'kept' } })).status).toBe(201);
    await server.stop('SIGKILL');
    writeFileSync(stateFile, `${readFileSync(stateFile, 'utf8')}{"keys":[],"keys_del`);
    const { client: after } = await serve(['--state', stateFile]);
    const tasks = await after.send('GET', '/v1/tasks', { key: admin });
    expect((tasks.json as { data: Array<{ title: string }> }).data.map((t) => t.title)).toEqual(['kept']);
  });
});

describe('--state where the disk gives way', () => {
  it('writes through a --state symlink, which keeps pointing at its file', async () => {
    const dir = tempDir();
    const real = join(dir, 'real-state.json');
    const link = join(dir, 'state.json');
    const { server: first } = await serve(['--state', real]);
    await first.stop('SIGKILL');
    symlinkSync(real, link);
    const { client } = await serve(['--state', link]);
    const made = await client.send('POST', '/v1/api-keys', { key: first.adminKey as string, body: { name: 'through the link' } });
    expect(made.status).toBe(201);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toContain('through the link');
  });

  it('refuses a --state path in a directory that does not exist, in one line, before listening', async () => {
    const stateFile = join(tempDir(), 'missing', 'state.json');
    const outcome = await serveFailure(['--state', stateFile]);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(new RegExp(`^keyguard: --state ${stateFile} cannot be (created|written)[^\\n]*\\n$`));
  });

  it('answers 500 and keeps nothing when the state directory disappears, then saves again once it is back', async () => {
    const dir = join(tempDir(), 'state');
    mkdirSync(dir);
    const stateFile = join(dir, 'state.json');
    const { server, client } = await serve(['--state', stateFile]);
    const admin = server.adminKey as string;

    rmSync(dir, { recursive: true });
    const refused = await client.send('POST', '/v1/tasks', { key: admin, body: { title: 'nowhere to go' } });
    expect(refused.status).toBe(500);
    expect(refused.json).toMatchObject({ code: 'state_write_failed' });
    expect((refused.json as { message: string }).message).toMatch(/was not saved to the state file \(ENOENT\), so it was not made/);
    // Undone, not half-made: the running server does not have it either.
    const none = await client.send('GET', '/v1/tasks', { key: admin });
    expect((none.json as { data: unknown[] }).data).toEqual([]);

    mkdirSync(dir);
    expect((await client.send('POST', '/v1/tasks', { key: admin, body: { title: 'saved' } })).status).toBe(201);
    expect(existsSync(stateFile)).toBe(true);
    await server.stop('SIGKILL');
    const { client: after } = await serve(['--state', stateFile]);
    const tasks = await after.send('GET', '/v1/tasks', { key: admin });
    expect((tasks.json as { data: Array<{ title: string }> }).data.map((task) => task.title)).toEqual(['saved']);
  });

  it('a reset that cannot be saved is not made either: the running server keeps its state', async () => {
    const dir = join(tempDir(), 'state');
    mkdirSync(dir);
    const stateFile = join(dir, 'state.json');
    const { server, client } = await serve(['--state', stateFile]);
    const admin = server.adminKey as string;
    expect((await client.send('POST', '/v1/tasks', { key: admin, body: { title: 'kept' } })).status).toBe(201);

    rmSync(dir, { recursive: true });
    const reset = await client.send('POST', '/__keyguard/reset', { headers: { 'X-Keyguard-Control-Token': server.controlToken as string } });
    expect(reset.status).toBe(500);
    expect(reset.json).toMatchObject({ code: 'state_write_failed' });
    const tasks = await client.send('GET', '/v1/tasks', { key: admin });
    expect((tasks.json as { data: Array<{ title: string }> }).data.map((task) => task.title)).toEqual(['kept']);
  });
});
