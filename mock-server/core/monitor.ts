import type { EventSink } from './events.js';

/** What the monitor learns from one request once it is answered. */
export interface RequestFacts {
  /** The key that authenticated, or the key a revoked/expired/inactive key was (from the 401). */
  key_id: string | null;
  /** `sk_live_abc...` of the key presented, if any. */
  key_prefix: string | null;
  status: number;
  /** `ok` or the problem code (`invalid_api_key`, `rate_limited`, …). */
  outcome: string;
  /** The rate-limit window that refused it, on a 429 of the limiter. */
  window?: 'hour' | 'minute';
  /** The address the request came from; undefined where there is none (in process, through msw). */
  source?: string;
}

/** Source addresses remembered per key; past this a key's new addresses are no longer told apart. */
const MAX_SOURCES_PER_KEY = 1_000;

/**
 * Seed 004's "Monitoring" list as events: failed authentication (`key.auth_failed`, with the
 * reason code and the prefix presented), rate-limit hits (`key.rate_limited`: the minute window),
 * quota exceeded (`key.quota_exceeded`: the hour's quota is spent), and a key used from an
 * address it has not used before (`key.new_source`). The first address a key is used from is
 * where it lives, not news: only later new addresses are events.
 */
export class RequestMonitor {
  private readonly sources = new Map<string, Set<string>>();

  constructor(private readonly events: EventSink) {}

  observe(facts: RequestFacts): void {
    const { key_id: keyId, key_prefix: prefix, status, outcome, source } = facts;
    if (status === 401) {
      this.events.emit('key.auth_failed', keyId, { reason: outcome, prefix, source: source ?? null });
      return;
    }
    if (keyId === null) return;
    if (outcome === 'rate_limited' && facts.window) {
      const type = facts.window === 'hour' ? 'key.quota_exceeded' : 'key.rate_limited';
      this.events.emit(type, keyId, { window: facts.window, prefix, source: source ?? null });
    }
    if (source !== undefined) this.noteSource(keyId, prefix, source);
  }

  clear(): void {
    this.sources.clear();
  }

  private noteSource(keyId: string, prefix: string | null, source: string): void {
    let known = this.sources.get(keyId);
    if (!known) {
      this.sources.set(keyId, new Set([source]));
      return;
    }
    if (known.has(source) || known.size >= MAX_SOURCES_PER_KEY) return;
    known.add(source);
    this.events.emit('key.new_source', keyId, { source, prefix, known_sources: known.size - 1 });
  }
}
