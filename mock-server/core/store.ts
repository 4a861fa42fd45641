import { timingSafeEqual } from 'node:crypto';
import type { KeyType } from '../../src/detect/index.js';
import type { PlanName, RateLimit } from './rate-limit.js';
import type { Permission } from './scopes.js';

/** A key as the store keeps it: its SHA-256 and a display prefix, never the key itself. Times are epoch ms. */
export interface KeyRecord {
  id: string;
  /** Hex SHA-256 of the full key. */
  hash: string;
  /** `sk_live_abc...`, for lists. */
  prefix: string;
  name: string;
  description: string | null;
  permissions: Permission[];
  environment: KeyType;
  plan: PlanName;
  rate_limit: RateLimit;
  active: boolean;
  created_at: number;
  expires_at: number | null;
  last_used: number | null;
  usage: Usage;
  /**
   * keyguard's least-privilege record: when each permission last let a request of this key
   * succeed. `keyguard audit` compares it with what the key was granted.
   */
  permissions_used: PermissionsUsed;
  /** keyguard's extension (Enterprise plan only): renewed a day before it would expire, one term later. */
  auto_renew?: boolean;
  /** When the current term began: `created_at` until the key is renewed or given a new `expires_at`. */
  term_start?: number;
  /** The `expires_at` each notice was sent for, so `key.expiring` and `key.expired` go out once per expiry. */
  notices?: { expiring?: number; expired?: number };
}

/** Permission → epoch ms of the last successful request that needed it. */
export type PermissionsUsed = Partial<Record<Permission, number>>;

/** Request counters; `day` and `month` say which day and month the counts belong to. */
export interface Usage {
  day: number;
  requests_today: number;
  month: number;
  requests_this_month: number;
  requests_total: number;
}

/** The hash of a key that no longer works, kept so a 401 can say why. */
export interface RevokedKey {
  hash: string;
  id: string;
  reason: 'deleted' | 'regenerated';
  at: number;
}

export interface Task {
  id: string;
  title: string;
  description: string | null;
  status: 'todo' | 'in_progress' | 'done';
  project_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface Project {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface User {
  id: string;
  name: string;
  email: string;
  role: 'member' | 'admin';
  created_at: string;
  updated_at: string;
}

/** Everything the mock remembers, as plain data: what `--state` writes and `reset()` restores. */
export interface Snapshot {
  keys: KeyRecord[];
  revoked: RevokedKey[];
  tasks: Task[];
  projects: Project[];
  users: User[];
}

export type Lookup = { key: KeyRecord; revoked?: undefined } | { key?: undefined; revoked: RevokedKey } | undefined;

interface IndexEntry {
  digest: Buffer;
  key?: KeyRecord;
  revoked?: RevokedKey;
}

/** Bytes of the digest used to find a candidate; the whole digest is then compared in constant time. */
const SELECTOR_BYTES = 8;

/**
 * Keys by id and by hash. A presented key is found by the first bytes of its SHA-256 and
 * confirmed by comparing the whole digest with `timingSafeEqual`, so response time says
 * nothing about how much of a guessed key was right.
 */
export class KeyStore {
  private readonly byId = new Map<string, KeyRecord>();
  private readonly byDigest = new Map<string, IndexEntry>();
  /** Ids of keys added, changed or deleted, and hashes revoked, since `takeChanges`: what the next save writes. */
  private readonly dirty = new Set<string>();
  private readonly newlyRevoked: RevokedKey[] = [];

  constructor(snapshot?: Pick<Snapshot, 'keys' | 'revoked'>) {
    for (const key of snapshot?.keys ?? []) this.add(key);
    for (const revoked of snapshot?.revoked ?? []) this.index({ digest: Buffer.from(revoked.hash, 'hex'), revoked });
    this.dirty.clear();
  }

  /** True when a key with this hash (live or revoked) is already known: a new key must not collide. */
  knows(digest: Buffer): boolean {
    return this.byDigest.has(selector(digest));
  }

  lookup(digest: Buffer): Lookup {
    const entry = this.byDigest.get(selector(digest));
    if (!entry || !timingSafeEqual(entry.digest, digest)) return undefined;
    return entry.key ? { key: entry.key } : entry.revoked ? { revoked: entry.revoked } : undefined;
  }

  get(id: string): KeyRecord | undefined {
    return this.byId.get(id);
  }

  list(): KeyRecord[] {
    return [...this.byId.values()];
  }

  add(key: KeyRecord): void {
    this.byId.set(key.id, key);
    this.index({ digest: Buffer.from(key.hash, 'hex'), key });
    this.dirty.add(key.id);
  }

  /** Marks a key changed in place (its fields, its usage), so the next save writes it. */
  touch(key: KeyRecord): void {
    this.dirty.add(key.id);
  }

  /** The keys changed since the last call (deleted ones as ids) and the hashes revoked meanwhile. */
  takeChanges(): { keys: KeyRecord[]; deleted: string[]; revoked: RevokedKey[] } {
    const keys: KeyRecord[] = [];
    const deleted: string[] = [];
    for (const id of this.dirty) {
      const key = this.byId.get(id);
      if (key) keys.push(key);
      else deleted.push(id);
    }
    this.dirty.clear();
    return { keys, deleted, revoked: this.newlyRevoked.splice(0) };
  }

  /** Takes a key out of service: its hash now answers "revoked" with the reason. */
  revoke(key: KeyRecord, reason: RevokedKey['reason'], at: number): void {
    const revoked: RevokedKey = { hash: key.hash, id: key.id, reason, at };
    this.index({ digest: Buffer.from(key.hash, 'hex'), revoked });
    this.newlyRevoked.push(revoked);
    this.dirty.add(key.id);
    if (reason === 'deleted') this.byId.delete(key.id);
  }

  /** The revoked hashes, for snapshots. */
  revokedKeys(): RevokedKey[] {
    const out: RevokedKey[] = [];
    for (const entry of this.byDigest.values()) if (entry.revoked) out.push(entry.revoked);
    return out;
  }

  private index(entry: IndexEntry): void {
    this.byDigest.set(selector(entry.digest), entry);
  }
}

function selector(digest: Buffer): string {
  return digest.toString('hex', 0, SELECTOR_BYTES);
}

/** An ordered set of resources by id (tasks, projects, users). */
export class Collection<T extends { id: string }> {
  private readonly items = new Map<string, T>();
  private readonly dirty = new Set<string>();

  constructor(items: readonly T[] = []) {
    for (const item of items) this.items.set(item.id, item);
  }

  /** The items set or deleted since the last call (deleted ones as ids). */
  takeChanges(): { items: T[]; deleted: string[] } {
    const items: T[] = [];
    const deleted: string[] = [];
    for (const id of this.dirty) {
      const item = this.items.get(id);
      if (item) items.push(item);
      else deleted.push(id);
    }
    this.dirty.clear();
    return { items, deleted };
  }

  list(): T[] {
    return [...this.items.values()];
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  /** Adds an item, or marks one changed in place: the next save writes it. */
  set(item: T): void {
    this.items.set(item.id, item);
    this.dirty.add(item.id);
  }

  delete(id: string): boolean {
    this.dirty.add(id);
    return this.items.delete(id);
  }
}
