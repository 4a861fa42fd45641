// For the benches: how much CPU a child process has used so far, so a table can show CPU time beside
// wall time (CPU moves less when other processes share the machine).
import { readdirSync, readFileSync } from 'node:fs';

/** Milliseconds of CPU a running process has used, all its threads (Linux /proc); NaN elsewhere. */
export function cpuOf(pid) {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    return tasks.reduce((sum, task) => sum + Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]), 0) / 1e6;
  } catch {
    return Number.NaN;
  }
}
