import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeKey } from '../helpers/keys.js';
import { startServe, type ServeProcess } from '../mock-server/helpers/serve-process.js';
import { audit, auditContract, closedPort } from './audit-contract.js';

const running: ServeProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'keyguard-audit-'));
afterAll(async () => {
  await Promise.all(running.map((server) => server.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('keyguard audit against keyguard serve over a real socket on 127.0.0.1', () => {
  auditContract(async (env, seed) => {
    const file = join(dir, `seed-${running.length}.json`);
    writeFileSync(file, JSON.stringify(seed));
    const server = await startServe(['--env', env, '--seed', file]);
    running.push(server);
    return { base: server.url, stop: () => server.stop() };
  });

  it('exits 2 with one line when nothing answers at the URL', async () => {
    const out = await audit(['--api', `http://127.0.0.1:${await closedPort()}`], { KEYGUARD_API_KEY: fakeKey('live') });
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^keyguard: cannot reach the key API at http:\/\/127\.0\.0\.1:\d+\/ \(ECONNREFUSED\): check --api and that the API is up\n$/);
  });
});
