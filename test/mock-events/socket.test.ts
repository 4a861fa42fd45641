import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../mock-server/core/faults.js';
import type { JournalEntry } from '../../mock-server/core/journal.js';
import type { KeyEvent } from '../../mock-server/core/events.js';
import type { DeliveryAttempt } from '../../mock-server/webhooks/sender.js';
import { startServe, type ServeProcess } from '../mock-server/helpers/serve-process.js';
import { checkedFetch, START } from '../mock-server/helpers/world.js';
import { eventsContract, type EventsWorld } from './contract.js';
import { readmeBlocks } from '../helpers/readme.js';
import { bodyOf } from '../helpers/keys.js';
import { Receiver } from './helpers/receiver.js';

describe('events, renewal, webhooks and faults over a real socket (keyguard serve --webhook)', () => {
  const receiver = new Receiver();
  let server: ServeProcess;
  let world: EventsWorld;

  beforeAll(async () => {
    await receiver.start();
    server = await startServe(['--env', 'test', '--plan', 'professional', '--now', START, '--webhook', receiver.url]);
    const control = server.control;
    const json = { 'Content-Type': 'application/json' };
    const expectOk = async (response: Response) => {
      const body = (await response.json()) as { message?: string };
      if (!response.ok) throw new Error(body.message);
      return body;
    };
    world = {
      base: server.url,
      fetch: await checkedFetch(server.url),
      rawFetch: fetch,
      adminKey: server.adminKey as string,
      env: 'test',
      advance: async (duration) => {
        await expectOk(await control('clock', { method: 'POST', headers: json, body: JSON.stringify({ advance: duration }) }));
      },
      reset: async () => {
        await expectOk(await control('reset', { method: 'POST' }));
      },
      journal: async () => ((await expectOk(await control('journal'))) as { data: JournalEntry[] }).data,
      receiver,
      secret: /signed with (whsec_\S+)/.exec(server.stdout)?.[1] as string,
      faults: {
        add: async (spec) => (await expectOk(await control('faults', { method: 'POST', headers: json, body: JSON.stringify(spec) }))) as Fault,
        list: async () => ((await expectOk(await control('faults'))) as { data: Fault[] }).data,
        clear: async () => {
          await expectOk(await control('faults', { method: 'DELETE' }));
        },
      },
      deliveries: async () => ((await expectOk(await control('webhooks'))) as { data: DeliveryAttempt[] }).data,
    };
  });
  afterAll(async () => {
    await server?.stop();
    await receiver.close();
  });

  it('keeps /__keyguard/faults and /__keyguard/webhooks behind the control token and the Origin rule', async () => {
    const arm = (headers: Record<string, string>) =>
      fetch(`${server.url}/__keyguard/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ status: 500 }) });
    expect(((await (await arm({})).json()) as { code: string }).code).toBe('missing_control_token');
    expect((await arm({ 'X-Keyguard-Control-Token': 'kgc_wrong' })).status).toBe(403);
    const token = { 'X-Keyguard-Control-Token': server.controlToken as string };
    expect((await arm({ ...token, Origin: 'https://evil.example' })).status).toBe(403);
    expect((await fetch(`${server.url}/__keyguard/webhooks`)).status).toBe(403);
    expect(await world.faults.list()).toEqual([]);
  });

  it('prints the webhook target and its signing secret at start', () => {
    expect(server.stdout).toContain(`Webhooks: events POSTed to ${receiver.url}, signed with whsec_`);
  });

  eventsContract(() => world);

  it("verifies a real delivery with the README's verification code, and refuses a tampered one", async () => {
    const block = readmeBlocks('ts').find((code) => code.includes('function verifyKeyguardWebhook'));
    expect(block).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'keyguard-readme-'));
    try {
      const file = join(dir, 'verify.mjs');
      writeFileSync(file, `${transformSync(block as string, { loader: 'ts', format: 'esm' }).code}\nexport { verifyKeyguardWebhook };\n`);
      const { verifyKeyguardWebhook } = (await import(pathToFileURL(file).href)) as { verifyKeyguardWebhook: (secret: string, headers: Headers, body: string) => boolean };
      await world.reset();
      receiver.clear();
      const created = await fetch(`${server.url}/v1/api-keys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${world.adminKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'verified' }),
      });
      const { id, key } = (await created.json()) as { id: string; key: string };
      const [delivery] = await receiver.waitFor(id, 1);
      const headers = new Headers(delivery?.headers);
      expect(verifyKeyguardWebhook(world.secret, headers, delivery?.body as string)).toBe(true);
      expect(verifyKeyguardWebhook(world.secret, headers, (delivery?.body as string).replace('verified', 'forged'))).toBe(false);
      expect(delivery?.body).not.toContain(bodyOf(key));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tells key.new_source for a request from 127.0.0.2 after the key was used from 127.0.0.1, once', async () => {
    await world.reset();
    const from = (address: string) => new Agent({ localAddress: address });
    const [first, second] = [from('127.0.0.1'), from('127.0.0.2')];
    try {
      const get = async (dispatcher: Agent) => {
        const response = await undiciFetch(`${server.url}/v1/tasks`, { headers: { 'x-api-key': world.adminKey }, dispatcher });
        expect(response.status).toBe(200);
        await response.arrayBuffer();
      };
      await get(first);
      await get(first);
      await get(second);
      await get(second);
      await get(first);
      const response = await fetch(`${server.url}/v1/events?type=key.new_source`, { headers: { 'x-api-key': world.adminKey } });
      const { data } = (await response.json()) as { data: KeyEvent[] };
      expect(data.map((event) => event.data)).toEqual([{ source: '127.0.0.2', prefix: expect.stringMatching(/^sk_test_\w{3}\.\.\.$/), known_sources: 1 }]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
