import { isoSeconds, type Clock } from './clock.js';
import { generateId, type RandomSource } from './keys.js';

/**
 * keyguard's extension: what happened to keys, as typed facts. The core emits them; the HTTP
 * layer lists them (`GET /v1/events`) and the webhook sender pushes them. None holds a key:
 * at most its display prefix (`sk_live_abc...`).
 */
export const EVENT_TYPES = [
  'key.created',
  'key.updated',
  'key.regenerated',
  'key.revoked',
  'key.expiring',
  'key.expired',
  'key.renewed',
  'key.auth_failed',
  'key.rate_limited',
  'key.quota_exceeded',
  'key.new_source',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** One event as the API and webhooks show it: `{id, type, created_at, key_id, data}`. */
export interface KeyEvent {
  id: string;
  type: EventType;
  /** On the mock's clock. */
  created_at: string;
  /** The key it is about; null for a failed authentication with a key the mock does not know. */
  key_id: string | null;
  data: Record<string, unknown>;
}

/** What emits events: the core's functions take this, so they never depend on the log itself. */
export interface EventSink {
  emit(type: EventType, keyId: string | null, data: Record<string, unknown>): void;
}

export interface EventQuery {
  type?: EventType;
  key_id?: string;
  /** 1 to 100. */
  limit: number;
  /** An event id: only events older than it (the next page). */
  starting_after?: string;
}

export interface EventPage {
  data: KeyEvent[];
  has_more: boolean;
}

type Listener = (event: KeyEvent) => void;

/**
 * The last `limit` events, newest last. Events emitted during a change (`hold`) are kept back
 * until the change is saved (`release`) or dropped with it (`discard`), so no event tells of a
 * change that did not happen.
 */
export class EventLog implements EventSink {
  private events: Array<KeyEvent & { seq: number }> = [];
  private readonly seqById = new Map<string, number>();
  private next = 1;
  private held: KeyEvent[] | undefined;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly limit = 10_000,
  ) {}

  emit(type: EventType, keyId: string | null, data: Record<string, unknown>): void {
    const event: KeyEvent = { id: generateId('evt', this.random), type, created_at: isoSeconds(this.clock.now()), key_id: keyId, data };
    if (this.held) this.held.push(event);
    else this.publish(event);
  }

  /** Holds back what is emitted from now on, until `release` or `discard`. */
  hold(): void {
    this.held = [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const event of held) this.publish(event);
  }

  discard(): void {
    this.held = undefined;
  }

  /** Calls `listener` with every event as it is published; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Newest first, filtered, one page at a time (as Stripe's lists: `limit`, `starting_after`, `has_more`). */
  list(query: EventQuery): EventPage {
    let end = this.events.length;
    if (query.starting_after !== undefined) {
      const seq = this.seqById.get(query.starting_after);
      if (seq === undefined) return { data: [], has_more: false };
      end = this.indexOfSeq(seq);
    }
    const data: KeyEvent[] = [];
    for (let i = end - 1; i >= 0; i--) {
      const { seq: _seq, ...event } = this.events[i] as KeyEvent & { seq: number };
      if (query.type !== undefined && event.type !== query.type) continue;
      if (query.key_id !== undefined && event.key_id !== query.key_id) continue;
      if (data.length === query.limit) return { data, has_more: true };
      data.push(event);
    }
    return { data, has_more: false };
  }

  /** Every kept event, oldest first: for aggregates. */
  all(): readonly KeyEvent[] {
    return this.events;
  }

  clear(): void {
    this.events = [];
    this.seqById.clear();
    this.held = undefined;
  }

  private publish(event: KeyEvent): void {
    const seq = this.next++;
    this.events.push({ ...event, seq });
    this.seqById.set(event.id, seq);
    // Dropping in halves keeps publishing amortised O(1), as the journal does.
    if (this.events.length > this.limit * 1.5) {
      for (const old of this.events.splice(0, this.events.length - this.limit)) this.seqById.delete(old.id);
    }
    for (const listener of this.listeners) listener(event);
  }

  private indexOfSeq(seq: number): number {
    // Seqs increase along the array: binary search.
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.events[mid] as { seq: number }).seq < seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
