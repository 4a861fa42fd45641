import type { KeyType } from '../../src/detect/index.js';
import type { Clock } from '../core/clock.js';
import type { Journal } from '../core/journal.js';
import type { KeyContext } from '../core/key-admin.js';
import type { RandomSource } from '../core/keys.js';
import type { RateLimiter } from '../core/rate-limit.js';
import type { MockState } from '../core/state.js';

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
}
