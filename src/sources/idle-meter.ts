import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

/** /proc/stat counts CPU time in these per second (USER_HZ: 100 on every Linux). */
const TICKS_PER_SECOND = 100;
/**
 * A worker thread pays when more than this much of a core was idle: a machine whose other cores
 * are busy only in bursts (other builds, tests) has some idle time too, but a worker started in a
 * gap then takes turns with the main thread.
 */
const SPARE_CORES = 0.8;
/** Where only the load average is known: cores less the last minute's load, the rule before the meter. */
const SPARE_CORES_BY_LOAD = 0.5;
/** The first line of /proc/stat, the machine's totals, fits in this many bytes. */
const HEAD_BYTES = 256;

/**
 * Whether a core sits idle for a worker thread, measured over the time since `start()`: the idle
 * time of all the machine's cores in that span (Linux: /proc/stat). The load average, used where
 * that cannot be read, is a minute's average that counts the scan itself and whatever ran just
 * before it (a benchmark's ripgrep on both cores), so on an idle machine it can still say busy.
 */
export class IdleMeter {
  private constructor(
    private readonly since: number,
    private readonly idleAtStart: number | undefined,
  ) {}

  static start(): IdleMeter {
    return new IdleMeter(performance.now(), idleTicks());
  }

  elapsedMs(): number {
    return performance.now() - this.since;
  }

  spareCore(): boolean {
    const idle = idleTicks();
    if (idle === undefined || this.idleAtStart === undefined) return availableParallelism() - (loadavg()[0] ?? 0) > SPARE_CORES_BY_LOAD;
    const seconds = this.elapsedMs() / 1000;
    return seconds > 0 && (idle - this.idleAtStart) / TICKS_PER_SECOND / seconds > SPARE_CORES;
  }
}

/** The idle and I/O-wait time of all cores since boot, in ticks; undefined without /proc/stat. */
function idleTicks(): number | undefined {
  let fd: number;
  try {
    fd = openSync('/proc/stat', 'r');
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const fields = head.toString('latin1', 0, readSync(fd, head, 0, HEAD_BYTES, 0)).split('\n', 1)[0]?.trim().split(/\s+/) ?? [];
    // cpu  user nice system idle iowait irq softirq ...
    const idle = Number(fields[4]) + Number(fields[5]);
    return fields[0] === 'cpu' && Number.isFinite(idle) ? idle : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
