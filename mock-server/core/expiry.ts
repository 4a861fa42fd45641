import { isoSeconds } from './clock.js';
import type { EventSink } from './events.js';
import type { KeyRecord } from './store.js';

const DAY_MS = 86_400_000;
/** The seed: "Notification sent 30 days before" expiry. */
const EXPIRING_NOTICE_MS = 30 * DAY_MS;
/** An auto-renewing key is renewed this long before it would expire, so no request ever meets it expired. */
const RENEWAL_LEAD_MS = DAY_MS;

/**
 * Expiry on the mock's clock: `key.expiring` once, 30 days before a key's `expires_at`;
 * `key.expired` once it passes; and for an Enterprise key with `auto_renew`, a renewal a day
 * before it would expire (`key.renewed`: the same key, `expires_at` one term later). The watch
 * knows the earliest instant anything is due, so the request path pays one comparison.
 */
export class ExpiryWatch {
  /** Earliest instant a tracked key needs a sweep; -Infinity: unknown, sweep at the next chance. */
  private nextDue = Number.NEGATIVE_INFINITY;

  /** A key was created or changed: it may be due sooner than anything known. */
  track(record: KeyRecord): void {
    this.nextDue = Math.min(this.nextDue, dueAt(record));
  }

  /** Forget what is known (a reset, a restored state): the next sweep looks at every key. */
  invalidate(): void {
    this.nextDue = Number.NEGATIVE_INFINITY;
  }

  isDue(now: number): boolean {
    return now >= this.nextDue;
  }

  /** The earliest instant anything is due (Infinity: nothing), for a timer. */
  due(): number {
    return this.nextDue;
  }

  /**
   * The keys something is due for at `now` (to `settle`, inside one saved change); the watch then
   * knows when the next of the others is due.
   */
  collect(keys: readonly KeyRecord[], now: number): KeyRecord[] {
    let next = Number.POSITIVE_INFINITY;
    const due: KeyRecord[] = [];
    for (const record of keys) {
      const at = dueAt(record);
      if (at <= now) due.push(record);
      else next = Math.min(next, at);
    }
    this.nextDue = next;
    return due;
  }

  /** Sends what is due for this key and renews it if it auto-renews. */
  settle(record: KeyRecord, now: number, events: EventSink): void {
    settle(record, now, events);
    this.track(record);
  }
}

/** The instant something next happens to this key (Infinity: nothing will). */
function dueAt(record: KeyRecord): number {
  const expiresAt = record.expires_at;
  if (expiresAt === null) return Number.POSITIVE_INFINITY;
  const notices = record.notices ?? {};
  const expiring = notices.expiring === expiresAt ? Number.POSITIVE_INFINITY : expiresAt - EXPIRING_NOTICE_MS;
  if (record.auto_renew) return Math.min(expiring, expiresAt - RENEWAL_LEAD_MS);
  return Math.min(expiring, notices.expired === expiresAt ? Number.POSITIVE_INFINITY : expiresAt);
}

/** Brings one key up to `now`. */
function settle(record: KeyRecord, now: number, events: EventSink): void {
  noticeExpiring(record, now, events);
  const expiresAt = record.expires_at;
  if (expiresAt === null) return;
  if (record.auto_renew && now >= expiresAt - RENEWAL_LEAD_MS) {
    const term = Math.max(expiresAt - (record.term_start ?? record.created_at), 1);
    // A clock moved by many terms at once renews once, by as many terms as it takes.
    const terms = Math.floor((now - (expiresAt - RENEWAL_LEAD_MS)) / term) + 1;
    record.expires_at = expiresAt + terms * term;
    record.term_start = record.expires_at - term;
    events.emit('key.renewed', record.id, {
      prefix: record.prefix,
      previous_expires_at: isoSeconds(expiresAt),
      expires_at: isoSeconds(record.expires_at),
      terms,
    });
    noticeExpiring(record, now, events);
    return;
  }
  if (!record.auto_renew && now >= expiresAt && record.notices?.expired !== expiresAt) {
    record.notices = { ...record.notices, expired: expiresAt };
    events.emit('key.expired', record.id, { prefix: record.prefix, expires_at: isoSeconds(expiresAt) });
  }
}

function noticeExpiring(record: KeyRecord, now: number, events: EventSink): void {
  const expiresAt = record.expires_at;
  if (expiresAt === null || now < expiresAt - EXPIRING_NOTICE_MS || record.notices?.expiring === expiresAt) return;
  // A key already past its expiry gets key.expired instead (below), unless it renews.
  if (now >= expiresAt && !record.auto_renew) return;
  record.notices = { ...record.notices, expiring: expiresAt };
  events.emit('key.expiring', record.id, {
    prefix: record.prefix,
    expires_at: isoSeconds(expiresAt),
    auto_renew: record.auto_renew === true,
    ...(record.auto_renew ? { renews_at: isoSeconds(expiresAt - RENEWAL_LEAD_MS) } : {}),
  });
}
