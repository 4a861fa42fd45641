import type { KeyType } from '../src/detect/index.js';
import { KeyguardError } from '../src/errors.js';
import type { KeyApiApp } from './app.js';
import { VERSION } from '../src/version.js';
import { createClock, type Clock } from './core/clock.js';
import { EventLog, type EventPage, type EventQuery } from './core/events.js';
import { ExpiryWatch } from './core/expiry.js';
import { FaultRegistry, type Fault, type FaultSpec } from './core/faults.js';
import { RequestMonitor } from './core/monitor.js';
import { Scheduler } from './core/scheduler.js';
import { Journal, type JournalEntry } from './core/journal.js';
import type { KeyContext } from './core/key-admin.js';
import { cryptoRandom, hashKey, randomBase62, type RandomSource } from './core/keys.js';
import { RateLimiter, type PlanName, type RateLimit } from './core/rate-limit.js';
import { parseSeed, seededState, type Seed } from './core/seed.js';
import { MockState, type StateChange } from './core/state.js';
import type { Snapshot } from './core/store.js';
import type { Connection } from './http/app-deps.js';
import { inOptionTerms } from './option-errors.js';
import type { AppDeps } from './http/app-deps.js';
import { newSecret } from './webhooks/signature.js';
import { WebhookSender, type DeliveryAttempt } from './webhooks/sender.js';

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
  /** The test-control routes under /__keyguard (clock, reset, journal, faults, webhooks), behind `controlToken`. Default true. */
  control?: boolean;
  /** keyguard's extension: URLs every event is POSTed to, signed (see `webhookSecret`). */
  webhooks?: string[];
  /** The signing secret (`whsec_…`); default: a new random one per process, in `api.webhooks.secret`. */
  webhookSecret?: string;
  /** How many events `GET /v1/events` keeps. Default 10,000. */
  eventLimit?: number;
}

export type { Connection } from './http/app-deps.js';

export interface KeyApi {
  /** The whole API as a fetch handler: `(Request) => Promise<Response>`. */
  fetch: (request: Request, connection?: Connection) => Promise<Response>;
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
  /** Back to the seeded state: keys, resources, usage, rate limits, journal, events, faults, webhook queues and clock. */
  reset: () => void;
  /** The OpenAPI 3.1 document of the API (what `GET /openapi.json` answers). */
  openApiDocument: () => Promise<unknown>;
  /** keyguard's extension: the events `GET /v1/events` lists, newest first. */
  events: { list: (query?: Partial<EventQuery>) => EventPage };
  /** Fault injection for tests: arm, list and clear faults (the same as /__keyguard/faults). */
  faults: { add: (fault: FaultSpec) => Fault; list: () => Fault[]; clear: () => void };
  /** Signed webhook delivery: the secret receivers verify with, and the delivery log (oldest first). */
  webhooks: { urls: string[]; secret: string; deliveries: () => DeliveryAttempt[] };
}

/** The mock key API, in process: no socket, no msw. Both adapters are built on this. */
export function createKeyApi(options: KeyApiOptions = {}): KeyApi {
  const environment = options.env ?? 'test';
  const seedSource = options.seedSource ?? 'the seed option';
  const seed = options.seed === undefined ? undefined : inOptionTerms(seedSource, () => parseSeed(options.seed));
  const clock = inOptionTerms(seedSource, () => createClock(options.now));
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
  else ({ snapshot: seeded, bootstrapKey } = inOptionTerms(seedSource, () => seededState(seed, keyContext)));
  let state = new MockState(saved?.current ?? seeded);
  const limiter = new RateLimiter();
  const journal = new Journal(options.journalLimit);
  const scheduler = new Scheduler(clock);
  clock.onAdvance(() => scheduler.run());
  const events = new EventLog(clock, random, options.eventLimit);
  const expiry = new ExpiryWatch();
  const monitor = new RequestMonitor(events);
  const faults = new FaultRegistry(random);
  // Seeding emitted nothing; from here on, key changes are events.
  keyContext.events = events;
  keyContext.expiry = expiry;
  const webhookUrls = checkedWebhookUrls(options.webhooks ?? []);
  const webhookSecret = options.webhookSecret ?? newSecret(cryptoRandom);
  const sender =
    webhookUrls.length === 0
      ? undefined
      : new WebhookSender({ urls: webhookUrls, secret: webhookSecret, clock, scheduler, userAgent: `keyguard-mock/${VERSION}` });
  if (sender) events.subscribe((event) => sender.enqueue(event));

  const save = (): void => storage?.save({ keyguard_mock_state: 1, environment, seeded, current: state.snapshot() });
  const write = <T>(change: () => T): T => {
    let result: T;
    // Events of a change are published once it is saved: none tells of a change that was undone.
    events.hold();
    try {
      result = change();
    } catch (error) {
      // The core checks before it changes anything: a refused change left nothing to save.
      state.forgetChanges();
      events.discard();
      throw error;
    }
    if (!storage) {
      state.forgetChanges();
      events.release();
      armExpiry();
      return result;
    }
    try {
      storage.append(state.takeChanges());
    } catch (error) {
      // Nothing half-done survives: a change that could not be saved is undone, back to what is on disk.
      state = new MockState(storage.saved() ?? seeded);
      events.discard();
      expiry.invalidate();
      throw error;
    }
    events.release();
    armExpiry();
    return result;
  };
  // Expiry notices and renewals (see ExpiryWatch): a timer on the mock's clock at the next due
  // instant, and a check on every request (one comparison), so none is late.
  let expiryTimer: { at: number; cancel: () => void } | undefined;
  const armExpiry = (): void => {
    const due = expiry.due();
    if (due === expiryTimer?.at) return;
    expiryTimer?.cancel();
    expiryTimer = Number.isFinite(due) ? { at: due, cancel: scheduler.at(due, settleOnTimer) } : undefined;
  };
  const settleExpiry = (): void => {
    const now = clock.now();
    const due = expiry.isDue(now) ? expiry.collect(state.keys.list(), now) : [];
    // Saved like any change.
    if (due.length > 0) {
      write(() => {
        for (const record of due) {
          expiry.settle(record, now, events);
          state.keys.touch(record);
        }
      });
    }
    armExpiry();
  };
  const settleOnTimer = (): void => {
    expiryTimer = undefined;
    try {
      settleExpiry();
    } catch {
      // A state file that cannot be written: the change was undone and is tried again with the next request.
    }
  };
  const reset = (): void => {
    // Saved first: a reset that cannot be saved leaves everything as it was.
    const next = new MockState(seeded);
    storage?.save({ keyguard_mock_state: 1, environment, seeded, current: next.snapshot() });
    state = next;
    limiter.clear();
    journal.clear();
    clock.reset();
    events.clear();
    monitor.clear();
    faults.clear();
    sender?.clear();
    scheduler.clear();
    expiryTimer = undefined;
    expiry.invalidate();
    settleOnTimer();
  };
  // A new file, or the saved log compacted into one line.
  save();
  settleOnTimer();

  const controlToken = options.control === false ? undefined : newControlToken();
  const deps: AppDeps = {
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
    events,
    monitor,
    faults,
    scheduler,
    settleExpiry,
    deliveries: () => sender?.attempts() ?? [],
  };
  // The app (Hono, the zod schemas of its routes, the OpenAPI document) is loaded and built on the
  // first request, not here: importing keyguard/mock and creating a mock cost the core alone.
  let app: KeyApiApp | undefined;
  let loading: Promise<KeyApiApp> | undefined;
  const loadApp = (): Promise<KeyApiApp> =>
    (loading ??= import('./app.js').then(({ createApp }) => (app = createApp(deps))));
  return {
    fetch: (request, connection) => (app ? app.fetch(request, connection) : loadApp().then((loaded) => loaded.fetch(request, connection))),
    env: environment,
    clock,
    bootstrapKey,
    restored: saved !== undefined,
    controlToken,
    journal: { entries: (after) => journal.entries(after), clear: () => journal.clear() },
    reset,
    openApiDocument: async () => (await loadApp()).openApiDocument(),
    events: { list: (query = {}) => events.list({ limit: 100, ...query }) },
    faults: { add: (fault) => faults.add(fault, clock.now()), list: () => faults.list(clock.now()), clear: () => faults.clear() },
    webhooks: { urls: webhookUrls, secret: webhookSecret, deliveries: () => sender?.attempts() ?? [] },
  };
}

/** Webhook targets must be http(s) URLs; anything else is refused at start with the option named. */
function checkedWebhookUrls(urls: readonly string[]): string[] {
  return urls.map((url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new KeyguardError(`--webhook ${url} is not a URL: give one such as http://127.0.0.1:8080/hooks`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new KeyguardError(`--webhook ${url} is not an http or https URL: give one such as http://127.0.0.1:8080/hooks`);
    }
    return parsed.href;
  });
}

/** Always from the system's randomness, whatever `random` a test injects for keys: the token guards the machine. */
function newControlToken(): string {
  return `kgc_${randomBase62(cryptoRandom, 32)}`;
}
