import type { Clock } from './clock.js';

interface Timer {
  at: number;
  run: () => void;
}

/** Longest real wait Node's setTimeout accepts (about 24.8 days); longer waits are re-armed. */
const MAX_REAL_WAIT_MS = 2_147_483_647;

/**
 * Timers on the mock's clock: a callback runs once the mock's time reaches its instant, whether
 * time gets there by itself (a clock that follows the system time: a real timer, unref'd so it
 * never keeps the process alive) or is moved there (`clock.advance` calls `run`). Webhook retries,
 * injected delays and expiry notices all wait here, so tests move time instead of sleeping.
 */
export class Scheduler {
  private timers: Timer[] = [];
  private real: ReturnType<typeof setTimeout> | undefined;
  private armedFor = Number.POSITIVE_INFINITY;

  constructor(private readonly clock: Clock) {}

  /** Runs `run` at mock instant `at` (at once, on the next turn, when it is already past); returns a cancel function. */
  at(at: number, run: () => void): () => void {
    const timer: Timer = { at, run };
    this.timers.push(timer);
    this.arm();
    return () => {
      this.timers = this.timers.filter((other) => other !== timer);
    };
  }

  /** Resolves once `ms` of mock time has passed. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.at(this.clock.now() + ms, resolve));
  }

  /** Runs every timer that is due, earliest first (the clock calls this when it moves). */
  run(): void {
    const now = this.clock.now();
    const due = this.timers.filter((timer) => timer.at <= now).sort((a, b) => a.at - b.at);
    if (due.length > 0) {
      this.timers = this.timers.filter((timer) => timer.at > now);
      for (const timer of due) timer.run();
    }
    this.arm();
  }

  /** Drops every timer (a reset): nothing armed before it runs after it. */
  clear(): void {
    this.timers = [];
    this.disarm();
  }

  private arm(): void {
    const next = this.timers.reduce((earliest, timer) => Math.min(earliest, timer.at), Number.POSITIVE_INFINITY);
    if (next === this.armedFor) return;
    this.disarm();
    if (next === Number.POSITIVE_INFINITY) return;
    this.armedFor = next;
    const wait = Math.min(Math.max(next - this.clock.now(), 0), MAX_REAL_WAIT_MS);
    this.real = setTimeout(() => {
      this.armedFor = Number.POSITIVE_INFINITY;
      this.real = undefined;
      this.run();
    }, wait);
    this.real.unref?.();
  }

  private disarm(): void {
    if (this.real !== undefined) clearTimeout(this.real);
    this.real = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
  }
}
