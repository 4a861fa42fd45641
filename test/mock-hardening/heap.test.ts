import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it, vi } from 'vitest';
import { bodyOf } from '../helpers/keys.js';

const BIN = fileURLToPath(new URL('../../bin/keyguard.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'keyguard-heap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('keyguard serve holds no plaintext key once it has been shown: not the bootstrap key, not a created one', async () => {
  // A heap snapshot on SIGUSR2, written to the working directory: what an attacker with a heap dump would see.
  const child = spawn(process.execPath, ['--heapsnapshot-signal=SIGUSR2', BIN, 'serve', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    await vi.waitFor(() => expect(stdout).toContain('Test control'), { timeout: 20_000 });
    const url = /listening on (\S+)/.exec(stdout)?.[1] as string;
    const admin = /shown once\): (sk_test_\w+)/.exec(stdout)?.[1] as string;
    const created = await fetch(`${url}/v1/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: '{"name": "shown once"}' });
    const { key } = (await created.json()) as { key: string };
    child.kill('SIGUSR2');
    await vi.waitFor(
      () => {
        const [file] = readdirSync(dir).filter((name) => name.endsWith('.heapsnapshot'));
        expect(file).toBeDefined();
        // Written whole once the snapshot's closing bracket is there.
        expect(readFileSync(join(dir, file as string), 'utf8').trimEnd().endsWith('}')).toBe(true);
      },
      { timeout: 30_000, interval: 250 },
    );
    const [file] = readdirSync(dir).filter((name) => name.endsWith('.heapsnapshot'));
    const heap = readFileSync(join(dir, file as string), 'utf8');
    expect(heap.length).toBeGreaterThan(1_000_000);
    expect(heap).not.toContain(bodyOf(admin));
    expect(heap).not.toContain(bodyOf(key));
  } finally {
    child.kill('SIGKILL');
  }
}, 60_000);
