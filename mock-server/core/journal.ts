/** One request as the mock saw it: who called, what was checked, what came of it. Never a full key. */
export interface JournalEntry {
  /** Increasing number of the entry since start or the last reset. */
  seq: number;
  at: string;
  method: string;
  path: string;
  /** The key's id, when it authenticated. */
  key_id: string | null;
  /** `sk_live_abc...` of the key presented, authenticated or not. */
  key_prefix: string | null;
  /** The permission the route required, when the request got that far. */
  permission: string | null;
  status: number;
  /** `ok`, or the problem code of the error response (`insufficient_permissions`, `rate_limited`, …). */
  outcome: string;
  /** Quota left after the request, when the key authenticated. */
  remaining: { hour: number; minute: number } | null;
  /** The injected fault that applied to the request (see /__keyguard/faults), when one did. */
  fault?: string;
}

export type JournalRecord = Omit<JournalEntry, 'seq' | 'at'> & { atMs: number };

/**
 * The last `limit` requests, oldest first. Entries are kept raw and formatted only when read,
 * so recording costs the request path one small object.
 */
export class Journal {
  private records: Array<JournalRecord & { seq: number }> = [];
  private next = 1;

  constructor(private readonly limit = 10_000) {}

  record(entry: JournalRecord & { seq?: number }): void {
    entry.seq = this.next++;
    this.records.push(entry as JournalRecord & { seq: number });
    // Dropping in halves keeps recording amortised O(1) however long the server runs.
    if (this.records.length > this.limit * 1.5) this.records = this.records.slice(-this.limit);
  }

  /** Entries with `seq` greater than `after` (all by default), at most `limit` of them. */
  entries(after = 0): JournalEntry[] {
    return this.kept().filter((r) => r.seq > after).map(({ seq, atMs, ...rest }) => ({ seq, at: new Date(atMs).toISOString(), ...rest }));
  }

  /** The last `limit` records as recorded (epoch-ms times), oldest first: for aggregates, with nothing to format. */
  kept(): ReadonlyArray<Readonly<JournalRecord & { seq: number }>> {
    return this.records.length > this.limit ? this.records.slice(-this.limit) : this.records;
  }

  clear(): void {
    this.records = [];
    this.next = 1;
  }
}
