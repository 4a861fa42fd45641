import type { KeyType } from '../../src/detect/index.js';
import type { Clock } from '../core/clock.js';
import type { EventLog } from '../core/events.js';
import type { FaultRegistry } from '../core/faults.js';
import type { RequestMonitor } from '../core/monitor.js';
import type { Scheduler } from '../core/scheduler.js';
import type { DeliveryAttempt } from '../webhooks/sender.js';
import type { Journal } from '../core/journal.js';
import type { KeyContext } from '../core/key-admin.js';
import type { RandomSource } from '../core/keys.js';
import type { RateLimiter } from '../core/rate-limit.js';
import type { MockState } from '../core/state.js';

/** Where a request came from, as the adapter knows it (the Node server: the socket's address). */
export interface Connection {
  source?: string;
  /** Closes the connection without an answer (an injected drop); absent in process, where msw answers a network error instead. */
  drop?: () => void;
}

/** What the app needs from the rest of the mock. The state is behind a getter because `reset()` replaces it. */
export interface AppDeps {
  environment: KeyType;
  clock: Clock;
  random: RandomSource;
  limiter: RateLimiter;
  journal: Journal;
  keyContext: KeyContext;
  state: () => MockState;
  /** Runs a change; with `--state` the change is on disk when this returns, or undone if it could not be saved. */
  write: <T>(change: () => T) => T;
  reset: () => void;
  /** SHA-256 of the token the test-control routes require; undefined: there are no such routes. */
  controlTokenHash: Buffer | undefined;
  /** keyguard's extensions: events, what requests tell the monitor, armed faults, timers on the mock's clock. */
  events: EventLog;
  monitor: RequestMonitor;
  faults: FaultRegistry;
  scheduler: Scheduler;
  /** Sends expiry notices and renews keys that are due (cheap when nothing is: one comparison). */
  settleExpiry: () => void;
  /** The webhook delivery log, oldest first. */
  deliveries: () => DeliveryAttempt[];
}
