import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// The compiled module: its worker thread runs the compiled `read-worker.js` beside it.
import { ReadPool, type PoolFile } from '../../dist/src/sources/read-pool.js';
import { KeyguardError } from '../../dist/src/errors.js';
import { tempRepos } from '../git/repo.js';
import { keyguardProcess } from '../helpers/keyguard-process.js';
import { fakeKey } from '../helpers/keys.js';

const dir = mkdtempSync(join(tmpdir(), 'keyguard-pool-'));
const { repo } = tempRepos();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): PoolFile {
  writeFileSync(join(dir, name), content);
  return { absolute: join(dir, name), path: name };
}

/** A pool whose worker is running: `offer` says no until then. */
async function runningPool(stats: { files: number; bytes: number }): Promise<ReadPool> {
  const pool = ReadPool.start(stats);
  if (!pool) throw new Error('this machine has one core: no worker to test');
  const deadline = Date.now() + 10_000;
  while (!pool.offer([])) {
    if (Date.now() > deadline) throw new Error('the worker did not start in 10 s');
    await new Promise((resume) => setTimeout(resume, 5));
  }
  await pool.settle();
  return pool;
}

describe('a read pool worker', () => {
  it('counts the text it reads, skips binaries and names the files that may hold a key', async () => {
    const plain = Array.from({ length: 200 }, (_, i) => file(`plain-${i}.ts`, `export const task_id = ${i};\n`));
    const keyed = Array.from({ length: 5 }, (_, i) => file(`keyed-${i}.ts`, `${'x\n'.repeat(i * 1000)}const k = "${fakeKey()}";\n`));
    const binary = file('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]));
    const stats = { files: 0, bytes: 0 };
    const pool = await runningPool(stats);
    try {
      const files = [...plain.slice(0, 100), ...keyed, binary, ...plain.slice(100)];
      for (let at = 0; at < files.length; at += 20) {
        // A worker takes a few batches at a time; the rest wait until it has answered.
        if (!pool.offer(files.slice(at, at + 20))) {
          await pool.settle();
          expect(pool.offer(files.slice(at, at + 20))).toBe(true);
        }
      }
      await pool.settle();
      // Files that may hold a key are left for the main thread to read and count.
      expect(pool.takeCandidates().map((candidate) => candidate.path)).toEqual(keyed.map((candidate) => candidate.path));
      expect(pool.takeCandidates()).toEqual([]);
      expect(stats).toEqual({ files: 200, bytes: plain.reduce((sum, _, i) => sum + `export const task_id = ${i};\n`.length, 0) });
    } finally {
      pool.close();
    }
  });

  it('hands a read error back to the main thread as the scan error it is', async () => {
    const pool = await runningPool({ files: 0, bytes: 0 });
    try {
      pool.offer([file('fine.ts', 'ok\n'), { absolute: join(dir, 'n'.repeat(300)), path: 'too-long.ts' }]);
      await pool.settle();
      expect(() => pool.takeCandidates()).toThrow(KeyguardError);
      expect(() => pool.takeCandidates()).toThrow(/^cannot read too-long\.ts: ENAMETOOLONG$/);
    } finally {
      pool.close();
    }
  });
});

describe('a working-tree scan shared with worker threads', () => {
  // Big enough that reading lasts past the point where a worker starts, and long after it is up.
  const FILES = 20_000;

  it('finds every key once and counts every file, whichever thread read it', () => {
    const r = repo();
    const keys = new Map<string, string>();
    for (let i = 0; i < FILES; i++) {
      const path = `src/${Math.floor(i / 500)}/file-${i}.ts`;
      if (i % 50 === 25) {
        const key = fakeKey(i % 100 === 25 ? 'live' : 'test');
        keys.set(path, key);
        r.write(path, `// module ${i}\nexport const key = "${key}";\n`);
      } else r.write(path, `// module ${i}\nexport const value = ${i};\n`);
    }
    const out = keyguardProcess(r.dir, ['scan', '--format', 'json']);
    expect(out.status, out.stderr).toBe(1);
    const report = JSON.parse(out.stdout) as { findings: Array<{ file: string; line: number; column: number }>; summary: { files: number } };
    expect(report.findings.map((finding) => `${finding.file}:${finding.line}:${finding.column}`)).toEqual(
      [...keys.keys()].sort().map((path) => `${path}:2:21`),
    );
    expect(report.summary.files).toBe(FILES);
  });

  it('stops with the one-line error of an unreadable file, whichever thread met it', () => {
    const r = repo();
    for (let i = 0; i < FILES; i++) r.write(`src/${Math.floor(i / 500)}/file-${i}.ts`, `export const value = ${i};\n`);
    // Listed last, when both threads are reading: one of them meets these first.
    mkdirSync(join(r.dir, 'zz'));
    for (let i = 0; i < 500; i++) {
      writeFileSync(join(r.dir, 'zz', `locked-${i}.ts`), 'secret\n', { mode: 0o000 });
    }
    const out = keyguardProcess(r.dir, ['scan'], { unprivileged: true });
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^keyguard: cannot read zz\/locked-\d+\.ts: permission denied \(fix its permissions, or narrow the scan with path arguments\)\n$/);
  });
});
