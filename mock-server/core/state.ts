import { Collection, KeyStore, type Project, type Snapshot, type Task, type User } from './store.js';

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

export function emptySnapshot(): Snapshot {
  return { keys: [], revoked: [], tasks: [], projects: [], users: [] };
}
