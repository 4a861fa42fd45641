import { Collection, KeyStore, type KeyRecord, type Project, type RevokedKey, type Snapshot, type Task, type User } from './store.js';

/** Everything the mock remembers, live: keys and the three resources. */
export class MockState {
  readonly keys: KeyStore;
  readonly tasks: Collection<Task>;
  readonly projects: Collection<Project>;
  readonly users: Collection<User>;

  /** Builds live state from a snapshot; the snapshot is copied, so later changes never reach it. */
  constructor(snapshot: Snapshot = emptySnapshot()) {
    const own = structuredClone(snapshot);
    this.keys = new KeyStore(own);
    this.tasks = new Collection(own.tasks);
    this.projects = new Collection(own.projects);
    this.users = new Collection(own.users);
  }

  /**
   * What changed since the last call, as plain copies: the records to put and the ids to drop per
   * collection, and the hashes revoked. Its size is that of the change, not of the state.
   */
  takeChanges(): StateChange {
    const keys = this.keys.takeChanges();
    const tasks = this.tasks.takeChanges();
    const projects = this.projects.takeChanges();
    const users = this.users.takeChanges();
    return structuredClone({
      keys: keys.keys,
      keys_deleted: keys.deleted,
      revoked: keys.revoked,
      tasks: tasks.items,
      tasks_deleted: tasks.deleted,
      projects: projects.items,
      projects_deleted: projects.deleted,
      users: users.items,
      users_deleted: users.deleted,
    });
  }

  /** Forgets what changed (in memory there is nothing to save). */
  forgetChanges(): void {
    this.keys.takeChanges();
    this.tasks.takeChanges();
    this.projects.takeChanges();
    this.users.takeChanges();
  }

  /** A deep copy, safe to keep or serialise while the state goes on changing. */
  snapshot(): Snapshot {
    return structuredClone({
      keys: this.keys.list(),
      revoked: this.keys.revokedKeys(),
      tasks: this.tasks.list(),
      projects: this.projects.list(),
      users: this.users.list(),
    });
  }
}

/** One change to the state as `--state` logs it (see state-file.ts). */
export interface StateChange {
  keys: KeyRecord[];
  keys_deleted: string[];
  revoked: RevokedKey[];
  tasks: Task[];
  tasks_deleted: string[];
  projects: Project[];
  projects_deleted: string[];
  users: User[];
  users_deleted: string[];
}

/**
 * A snapshot kept as maps by id (revoked keys by hash), so applying a change costs the size of
 * the change: what `--state` knows to be on disk, and how a log is replayed at start.
 */
export class SnapshotMaps {
  private readonly keys: Map<string, KeyRecord>;
  private readonly revoked: Map<string, RevokedKey>;
  private readonly tasks: Map<string, Task>;
  private readonly projects: Map<string, Project>;
  private readonly users: Map<string, User>;

  constructor(snapshot: Snapshot) {
    this.keys = new Map(snapshot.keys.map((k) => [k.id, k]));
    this.revoked = new Map(snapshot.revoked.map((r) => [r.hash, r]));
    this.tasks = new Map(snapshot.tasks.map((t) => [t.id, t]));
    this.projects = new Map(snapshot.projects.map((p) => [p.id, p]));
    this.users = new Map(snapshot.users.map((u) => [u.id, u]));
  }

  apply(change: StateChange): void {
    put(this.keys, change.keys, change.keys_deleted, (k) => k.id);
    put(this.revoked, change.revoked, [], (r) => r.hash);
    put(this.tasks, change.tasks, change.tasks_deleted, (t) => t.id);
    put(this.projects, change.projects, change.projects_deleted, (p) => p.id);
    put(this.users, change.users, change.users_deleted, (u) => u.id);
  }

  snapshot(): Snapshot {
    return structuredClone({
      keys: [...this.keys.values()],
      revoked: [...this.revoked.values()],
      tasks: [...this.tasks.values()],
      projects: [...this.projects.values()],
      users: [...this.users.values()],
    });
  }
}

function put<T>(map: Map<string, T>, items: readonly T[], deleted: readonly string[], idOf: (item: T) => string): void {
  for (const id of deleted) map.delete(id);
  for (const item of items) map.set(idOf(item), item);
}

export function emptySnapshot(): Snapshot {
  return { keys: [], revoked: [], tasks: [], projects: [], users: [] };
}
