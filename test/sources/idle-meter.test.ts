import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { IdleMeter } from '../../src/sources/idle-meter.js';

/** Keeps every core of the machine busy for `ms`, with one spinning thread per core. */
async function busyEveryCore(ms: number): Promise<void> {
  const spin = `const end = Date.now() + ${ms}; while (Date.now() < end);`;
  await Promise.all(
    Array.from({ length: availableParallelism() }, () => new Promise((resolve, reject) => new Worker(spin, { eval: true }).once('exit', resolve).once('error', reject))),
  );
}

describe.runIf(process.platform === 'linux')('the idle meter a scan asks before starting a worker thread', () => {
  it('finds no spare core while every core is busy, though the load average has not caught up', async () => {
    const meter = IdleMeter.start();
    await busyEveryCore(400);

    // A minute's load average barely moves in 0.4 s: only a measure of the span itself says no.
    expect(meter.spareCore()).toBe(false);
  });
});
