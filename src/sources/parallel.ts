/** Thrown into a worker's `emit` once the consumer has stopped reading. */
class Stopped extends Error {}

export type Emit<R> = (result: R) => Promise<void>;

/**
 * Runs `work` over `items`, at most `limit` at a time, and yields what the workers emit in
 * the order they emit it. A worker that emits while `limit` results are unread waits, so
 * memory stays bounded however much a single item produces. `slot` (0 ≤ slot < limit) is
 * the worker's number: a worker may keep a buffer per slot. Leaving the loop early stops
 * the workers; the first error a worker throws ends the iteration.
 */
export async function* parallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, slot: number, emit: Emit<R>) => Promise<void>,
): AsyncGenerator<R> {
  const queue: R[] = [];
  const waitingForSpace: Array<() => void> = [];
  let wakeConsumer: (() => void) | undefined;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let next = 0;
  let running = Math.min(limit, items.length);

  const wake = (): void => {
    const resume = wakeConsumer;
    wakeConsumer = undefined;
    resume?.();
  };
  const emit: Emit<R> = async (result) => {
    if (stopped) throw new Stopped();
    queue.push(result);
    wake();
    while (queue.length >= limit && !stopped) await new Promise<void>((resolve) => waitingForSpace.push(resolve));
    if (stopped) throw new Stopped();
  };
  const worker = async (slot: number): Promise<void> => {
    try {
      while (!stopped && next < items.length) await work(items[next++] as T, slot, emit);
    } catch (error) {
      if (!(error instanceof Stopped)) failure ??= { error };
      stopped = true;
    } finally {
      running--;
      wake();
    }
  };
  const workers = Array.from({ length: running }, (_, slot) => worker(slot));
  try {
    for (;;) {
      if (failure) throw failure.error;
      if (queue.length > 0) {
        const result = queue.shift() as R;
        waitingForSpace.shift()?.();
        yield result;
      } else if (running === 0) {
        return;
      } else {
        await new Promise<void>((resolve) => (wakeConsumer = resolve));
      }
    }
  } finally {
    stopped = true;
    for (const resume of waitingForSpace.splice(0)) resume();
    await Promise.all(workers);
  }
}
