import { z } from 'zod';
import { isoSeconds, type Clock } from '../core/clock.js';
import type { KeyEvent } from '../core/events.js';
import type { Scheduler } from '../core/scheduler.js';
import { sign } from './signature.js';

/** Waits before each retry, on the mock's clock (Stripe-like, shortened): then the event is given up. */
export const RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000];
/** Real time one attempt may take (a target that never answers times out, then is retried). */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** Attempts the delivery log keeps. */
const LOG_LIMIT = 1_000;
/** Events waiting per endpoint and key; past this new ones are logged as failed, not queued (memory stays bounded). */
const QUEUE_LIMIT = 1_000;

/** One delivery attempt, as the delivery log lists it. */
export const deliveryAttemptShape = {
  event_id: z.string(),
  event_type: z.string(),
  key_id: z.string().nullable(),
  url: z.string(),
  attempt: z.int().meta({ description: '1 for the first attempt; 0 for an event refused because too many wait.' }),
  at: z.string().meta({ description: 'Mock time of the attempt.' }),
  outcome: z.enum(['delivered', 'retrying', 'failed']).meta({
    description: 'delivered (a 2xx), retrying (failed; another attempt is scheduled at next_attempt_at) or failed (given up).',
  }),
  status: z.int().nullable().meta({ description: "The receiver's HTTP status, when it answered." }),
  error: z.string().nullable(),
  next_attempt_at: z.string().nullable(),
};

export type DeliveryAttempt = z.infer<z.ZodObject<typeof deliveryAttemptShape>>;

export interface WebhookSenderOptions {
  urls: readonly string[];
  secret: string;
  clock: Clock;
  scheduler: Scheduler;
  userAgent: string;
  /** The real clock for `webhook-timestamp` (receivers check it against theirs). */
  wallClock?: () => number;
}

interface Queue {
  url: string;
  events: KeyEvent[];
  attempt: number;
  busy: boolean;
  /** Events refused since the queue was last below its limit: only the first of a run is logged. */
  refused: number;
}

/**
 * Delivers events as signed POSTs, one queue per endpoint and key: a key's events arrive in the
 * order they happened (the next waits until the one before is delivered or given up), while a
 * slow endpoint or key holds up no other. Everything runs after the request that caused the
 * event has been answered: delivery never slows the API.
 */
export class WebhookSender {
  private readonly queues = new Map<string, Queue>();
  private log: DeliveryAttempt[] = [];
  /** Bumped by `clear`: attempts started before a reset are forgotten when they finish. */
  private generation = 0;

  constructor(private readonly options: WebhookSenderOptions) {}

  enqueue(event: KeyEvent): void {
    for (const url of this.options.urls) {
      const name = `${url} ${event.key_id ?? ''}`;
      let queue = this.queues.get(name);
      if (!queue) this.queues.set(name, (queue = { url, events: [], attempt: 0, busy: false, refused: 0 }));
      if (queue.events.length >= QUEUE_LIMIT) {
        // A flood towards a receiver that does not answer costs the request path one count, not a log entry.
        if (queue.refused++ === 0) {
          const error = `${QUEUE_LIMIT} events already wait for this endpoint and key: this and the next events are not sent until it answers`;
          this.record({ ...about(event, url), attempt: 0, at: isoSeconds(this.options.clock.now()), outcome: 'failed', status: null, error, next_attempt_at: null });
        }
        continue;
      }
      queue.refused = 0;
      queue.events.push(event);
      if (!queue.busy) {
        queue.busy = true;
        // After the current request is answered.
        setImmediate(() => void this.attempt(queue, this.generation));
      }
    }
  }

  /** The delivery log, oldest first. */
  attempts(): DeliveryAttempt[] {
    return this.log.slice();
  }

  clear(): void {
    this.generation++;
    this.queues.clear();
    this.log = [];
  }

  private async attempt(queue: Queue, generation: number): Promise<void> {
    const event = queue.events[0];
    if (!event || generation !== this.generation) return;
    queue.attempt++;
    const body = JSON.stringify(event);
    const wall = this.options.wallClock ?? Date.now;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(queue.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': this.options.userAgent,
          ...sign(this.options.secret, event.id, wall() / 1000, body),
        },
        body,
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        redirect: 'manual',
      });
      status = response.status;
      // The receiver's answer is not read beyond its status (not awaited: under msw, cancelling a
      // passed-through body can wait forever).
      response.body?.cancel().catch(() => undefined);
      if (status < 200 || status > 299) error = `the receiver answered ${status}`;
    } catch (failure) {
      error = describe(failure);
    }
    if (generation !== this.generation) return;
    const now = this.options.clock.now();
    const delay = RETRY_DELAYS_MS[queue.attempt - 1];
    const outcome = error === null ? 'delivered' : delay === undefined ? 'failed' : 'retrying';
    const nextAt = outcome === 'retrying' ? now + (delay as number) : null;
    this.record({
      ...about(event, queue.url),
      attempt: queue.attempt,
      at: isoSeconds(now),
      outcome,
      status,
      error,
      next_attempt_at: nextAt === null ? null : isoSeconds(nextAt),
    });
    if (nextAt !== null) {
      this.options.scheduler.at(nextAt, () => void this.attempt(queue, generation));
      return;
    }
    queue.events.shift();
    queue.attempt = 0;
    if (queue.events.length > 0) void this.attempt(queue, generation);
    else queue.busy = false;
  }

  private record(attempt: DeliveryAttempt): void {
    this.log.push(attempt);
    if (this.log.length > LOG_LIMIT * 1.5) this.log = this.log.slice(-LOG_LIMIT);
  }
}

function about(event: KeyEvent, url: string): Pick<DeliveryAttempt, 'event_id' | 'event_type' | 'key_id' | 'url'> {
  return { event_id: event.id, event_type: event.type, key_id: event.key_id, url };
}

function describe(failure: unknown): string {
  if (failure instanceof Error) {
    if (failure.name === 'TimeoutError') return `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
    const cause = (failure as Error & { cause?: { code?: string } }).cause;
    return cause?.code ? `${failure.message} (${cause.code})` : failure.message;
  }
  return String(failure);
}
