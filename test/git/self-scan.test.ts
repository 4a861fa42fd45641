import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

describe("keyguard's own repository", () => {
  it('passes its own scan: fixtures make keys at run time or carry a keyguard-ignore comment', async () => {
    const out = await run(['scan', '--format', 'json'], { cwd: root, env: {}, stdoutIsTTY: false, stderrIsTTY: false });

    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout).findings).toEqual([]);
    expect(out.exitCode).toBe(0);
  });
});
