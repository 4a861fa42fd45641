import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detect } from '../../src/detect/index.js';

const BIN = fileURLToPath(new URL('../../bin/keyguard.js', import.meta.url));
const URL_PATTERN = /http:\/\/127\.0\.0\.1:\d+/;

export interface ServeProcess {
  /** Base URL printed at start-up, such as `http://127.0.0.1:41234`. */
  url: string;
  /** The bootstrap `admin:*` key printed at start-up. */
  adminKey: string;
  /** Everything the server printed on stdout and stderr so far. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the published bin (`keyguard serve --port 0`) in an empty temp directory and reads
 * its URL and bootstrap admin key from what it prints, as a user would.
 */
export async function startServe(args: string[] = []): Promise<ServeProcess> {
  const cwd = await mkdtemp(join(tmpdir(), 'keyguard-serve-'));
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(cwd, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    const url = URL_PATTERN.exec(output)?.[0];
    const adminKey = detect(output)[0]?.key;
    if (url && adminKey) return { url, adminKey, output: () => output, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`keyguard serve did not print its URL and admin key; it printed:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
