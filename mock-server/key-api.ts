import type { KeyType } from '../src/detect/index.js';
import { KeyguardError } from '../src/errors.js';
import { createApp } from './app.js';
import { createClock, type Clock } from './core/clock.js';
import { Journal, type JournalEntry } from './core/journal.js';
import type { KeyContext } from './core/key-admin.js';
import { cryptoRandom, hashKey, randomBase62, type RandomSource } from './core/keys.js';
import { RateLimiter, type PlanName, type RateLimit } from './core/rate-limit.js';
import { parseSeed, seededState, type Seed } from './core/seed.js';
import { MockState, type StateChange } from './core/state.js';
import type { Snapshot } from './core/store.js';

/** What `--state` keeps: the seeded state (for `reset()`) and the current one. Hashes only, never a key. */
export interface StoredState {
  keyguard_mock_state: 1;
  environment: KeyType;
  seeded: Snapshot;
  current: Snapshot;
}

/** Where state lives between runs. The core knows only this interface; the Node adapter writes files. */
export interface StateStorage {
  /** The saved state, or undefined when there is none yet. */
  load(): StoredState | undefined;
  /** Saves the whole state durably; returns only once it is safe. */
  save(state: StoredState): void;
  /** Saves one change durably (the response waits for it); throws when it could not. */
  append(change: StateChange): void;
  /** The current state as last saved: what a change that could not be saved is undone to. */
  saved(): Snapshot | undefined;
}

export interface KeyApiOptions {
  /** The one environment this mock is: its keys carry `sk_<env>_`. Default `test`. */
  env?: KeyType;
  /** Plan for keys created without one (and the bootstrap key). Default: the seed's plan, else `free`. */
  plan?: PlanName;
  /** Custom limits for the enterprise plan. */
  rateLimit?: RateLimit;
  /** Fixture keys to start with instead of a generated bootstrap key (see DESIGN.md for the shape). */
  seed?: Seed;
  /** Names the seed in error messages (a file name). */
  seedSource?: string;
  /** Start the clock at this instant, standing still until advanced. Default: follow the system clock. */
  now?: Date | string | number;
  /** Randomness for keys and ids. Default `crypto.randomBytes`. */
  random?: RandomSource;
  /** How many requests the journal keeps. Default 10,000. */
  journalLimit?: number;
  /** Persistence (the Node adapter's `--state`); in-memory when absent. */
  storage?: StateStorage;
  /** The test-control routes under /__keyguard (clock, reset, journal), behind `controlToken`. Default true. */
  control?: boolean;
}

export interface KeyApi {
  /** The whole API as a fetch handler: `(Request) => Promise<Response>`. */
  fetch: (request: Request) => Promise<Response>;
  env: KeyType;
  /** The mock's time: `api.clock.advance('1h')` moves expiry and rate-limit windows. */
  clock: Clock;
  /** The `admin:*` key generated at start when there is no seed (and no saved state). */
  bootstrapKey: string | undefined;
  /** True when the state was loaded from storage (a `--state` file from an earlier run). */
  restored: boolean;
  /**
   * The per-process token the /__keyguard routes require in `X-Keyguard-Control-Token`;
   * undefined with `control: false`, where those routes do not exist.
   */
  controlToken: string | undefined;
  journal: { entries: (after?: number) => JournalEntry[]; clear: () => void };
  /** Back to the seeded state: keys, resources, usage, rate limits, journal and clock. */
  reset: () => void;
  openApiDocument: () => unknown;
}

/** The mock key API, in process: no socket, no msw. Both adapters are built on this. */
export function createKeyApi(options: KeyApiOptions = {}): KeyApi {
  const environment = options.env ?? 'test';
  const seed = options.seed === undefined ? undefined : parseSeed(options.seed, options.seedSource ?? 'the seed option');
  const clock = createClock(options.now);
  const random = options.random ?? cryptoRandom;
  const keyContext: KeyContext = {
    environment,
    plan: options.plan ?? seed?.plan ?? 'free',
    rateLimit: options.rateLimit ?? seed?.rate_limit,
    clock,
    random,
  };
  if (keyContext.plan === 'enterprise' && !keyContext.rateLimit) {
    throw new KeyguardError('the enterprise plan needs custom limits: give per_hour and per_minute (--per-hour, --per-minute)');
  }
  const storage = options.storage;
  const saved = storage?.load();
  if (saved && saved.environment !== environment) {
    throw new KeyguardError(
      `the saved state holds ${saved.environment} keys but this server runs --env ${environment}: use --env ${saved.environment} or another --state file`,
    );
  }
  let bootstrapKey: string | undefined;
  let seeded: Snapshot;
  if (saved) seeded = saved.seeded;
  else ({ snapshot: seeded, bootstrapKey } = seededState(seed, keyContext, options.seedSource ?? 'the seed option'));
  let state = new MockState(saved?.current ?? seeded);
  const limiter = new RateLimiter();
  const journal = new Journal(options.journalLimit);

  const save = (): void => storage?.save({ keyguard_mock_state: 1, environment, seeded, current: state.snapshot() });
  const write = <T>(change: () => T): T => {
    let result: T;
    try {
      result = change();
    } catch (error) {
      // The core checks before it changes anything: a refused change left nothing to save.
      state.forgetChanges();
      throw error;
    }
    if (!storage) {
      state.forgetChanges();
      return result;
    }
    try {
      storage.append(state.takeChanges());
    } catch (error) {
      // Nothing half-done survives: a change that could not be saved is undone, back to what is on disk.
      state = new MockState(storage.saved() ?? seeded);
      throw error;
    }
    return result;
  };
  const reset = (): void => {
    // Saved first: a reset that cannot be saved leaves everything as it was.
    const next = new MockState(seeded);
    storage?.save({ keyguard_mock_state: 1, environment, seeded, current: next.snapshot() });
    state = next;
    limiter.clear();
    journal.clear();
    clock.reset();
  };
  // A new file, or the saved log compacted into one line.
  save();

  const controlToken = options.control === false ? undefined : newControlToken();
  const app = createApp({
    environment,
    clock,
    random,
    limiter,
    journal,
    keyContext,
    state: () => state,
    write,
    reset,
    controlTokenHash: controlToken === undefined ? undefined : hashKey(controlToken),
  });
  return {
    fetch: app.fetch,
    env: environment,
    clock,
    bootstrapKey,
    restored: saved !== undefined,
    controlToken,
    journal: { entries: (after) => journal.entries(after), clear: () => journal.clear() },
    reset,
    openApiDocument: app.openApiDocument,
  };
}

/** Always from the system's randomness, whatever `random` a test injects for keys: the token guards the machine. */
function newControlToken(): string {
  return `kgc_${randomBase62(cryptoRandom, 32)}`;
}
