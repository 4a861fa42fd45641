import { parseDuration, type Duration } from '../../src/duration.js';
import { DomainError } from './errors.js';

export { parseDuration, type Duration };

/**
 * The mock's only source of time. Tests move it forward instead of sleeping, so expiry and
 * rate-limit windows are exercised in milliseconds (and `vi.useFakeTimers()`, which hangs
 * msw's `delay()`, is never needed).
 */
export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
  /** Moves time forward by a duration: `'1h'`, `'90s'`, `'1h30m'`, `'2d'` or milliseconds. */
  advance(duration: Duration): number;
  /** Undoes every `advance`: back to the instant (or the system time) it started from. */
  reset(): void;
  /** Calls `listener` after every `advance` (timers on the mock's clock run then); returns the unsubscribe function. */
  onAdvance(listener: () => void): () => void;
}

/**
 * The clock stays before 9999: times are printed as four-digit ISO 8601 years, and a year of
 * margin keeps every hour, day and month window printable. Past the last instant a Date can
 * hold, every response that shows a time would fail until a reset.
 */
const LATEST_MS = Date.parse('9999-01-01T00:00:00Z');

/**
 * A clock that starts at `start` (an instant: it then stands still until advanced) or follows
 * the system time (the default), plus whatever `advance` added.
 */
export function createClock(start?: Date | string | number): Clock {
  const frozenAt = start === undefined ? undefined : toEpochMs(start);
  let offset = 0;
  const listeners = new Set<() => void>();
  return {
    now: frozenAt === undefined ? () => Date.now() + offset : () => frozenAt + offset,
    advance(duration) {
      const ms = parseDuration(duration);
      if (this.now() + ms > LATEST_MS) {
        throw new RangeError(`moving the clock by ${ms} ms would take it past ${isoSeconds(LATEST_MS)}, the latest time the mock handles: advance by less`);
      }
      offset += ms;
      for (const listener of listeners) listener();
      return this.now();
    },
    reset() {
      offset = 0;
    },
    onAdvance(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function toEpochMs(value: Date | string | number): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw badStart(value, 'is not a date: use an ISO 8601 instant such as 2025-10-14T10:30:00Z');
  }
  if (ms > LATEST_MS) {
    throw badStart(value, `is after ${isoSeconds(LATEST_MS)}, the latest time the mock handles: pick an earlier instant`);
  }
  return ms;
}

/** A start the clock cannot take; whoever passed it names it (option-errors.ts: "the clock start (--now)"). */
function badStart(value: Date | string | number, problem: string): DomainError {
  return new DomainError('invalid', 'invalid_clock_start', `"${String(value)}" ${problem}`, { value: String(value) });
}

/** ISO 8601 to the second, as the seed's examples print times (`2025-10-14T10:30:00Z`). */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
