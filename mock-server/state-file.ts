import { accessSync, closeSync, constants, fsyncSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from '../src/atomic-file.js';
import { KEY_TYPES, type KeyType } from '../src/detect/key-types.js';
import { KeyguardError } from '../src/errors.js';
import { parseJsonText } from '../src/json-text.js';
import { DomainError } from './core/errors.js';
import { fieldErrors, permissionField, planField, rateLimitField } from './core/fields.js';
import { SnapshotMaps, type StateChange } from './core/state.js';
import type { Snapshot } from './core/store.js';
import type { StateStorage, StoredState } from './key-api.js';

const environment = z.enum(KEY_TYPES.map((t) => t.keyType) as [KeyType, ...KeyType[]]);
const ms = z.number().int();
const iso = z.string();

const keyRecord = z.strictObject({
  id: z.string(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  prefix: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  permissions: z.array(permissionField),
  environment,
  plan: planField,
  rate_limit: rateLimitField,
  active: z.boolean(),
  created_at: ms,
  expires_at: ms.nullable(),
  last_used: ms.nullable(),
  usage: z.strictObject({ day: ms, requests_today: ms, month: ms, requests_this_month: ms, requests_total: ms }),
  // State files written before keyguard recorded permission use have none.
  permissions_used: z.partialRecord(permissionField, ms).default({}),
});

const revokedKey = z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/), id: z.string(), reason: z.enum(['deleted', 'regenerated']), at: ms });
const task = z.strictObject({
      id: z.string(),
      title: z.string(),
      description: z.string().nullable(),
      status: z.enum(['todo', 'in_progress', 'done']),
      project_id: z.string().nullable(),
      created_at: iso,
      updated_at: iso,
});
const project = z.strictObject({ id: z.string(), name: z.string(), description: z.string().nullable(), created_at: iso, updated_at: iso });
const user = z.strictObject({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(['member', 'admin']), created_at: iso, updated_at: iso });

const snapshot = z.strictObject({
  keys: z.array(keyRecord),
  revoked: z.array(revokedKey),
  tasks: z.array(task),
  projects: z.array(project),
  users: z.array(user),
});

const ids = z.array(z.string());
/** One logged change (`StateChange`): records to put, ids to drop. */
const change = z.strictObject({
  keys: z.array(keyRecord),
  keys_deleted: ids,
  revoked: z.array(revokedKey),
  tasks: z.array(task),
  tasks_deleted: ids,
  projects: z.array(project),
  projects_deleted: ids,
  users: z.array(user),
  users_deleted: ids,
});

const storedState = z.strictObject({ keyguard_mock_state: z.literal(1), environment, seeded: snapshot, current: snapshot });

/** The log may grow by this much beyond the snapshot's own size before it is compacted. */
const COMPACT_SLACK_BYTES = 1024 * 1024;

/**
 * `--state FILE`: a log. Its first line is the whole state (the seeded and the current
 * snapshot); each change is one more line, appended and fsynced before the change is answered,
 * so a change costs its own size whatever the number of keys, and `kill -9` at any moment loses
 * no acknowledged change (a torn last line was never acknowledged and is dropped). The log is
 * compacted (rewritten as one line: temp file, fsync, rename, fsync of the directory) at start,
 * on reset, and once it has grown past the snapshot's size. Synchronous on purpose: the change,
 * the write and the answer happen in one turn of the event loop, so writes never interleave.
 * A file that is not a keyguard state file is an error at start, never silently replaced;
 * temporary files left by a killed compaction are removed at start.
 */
export function fileStorage(path: string): StateStorage {
  /** What is on disk, as maps: applying a change costs the change. */
  let durable: SnapshotMaps | undefined;
  let header: Omit<StoredState, 'current'> | undefined;
  let logBytes = 0;
  let snapshotBytes = 0;

  const compact = (state: StoredState): void => {
    const text = `${JSON.stringify(state)}\n`;
    writeFileAtomicSync(path, text, 0o600);
    durable = new SnapshotMaps(state.current);
    header = { keyguard_mock_state: 1, environment: state.environment, seeded: state.seeded };
    snapshotBytes = text.length;
    logBytes = 0;
  };

  return {
    load() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw new KeyguardError(`--state ${path} cannot be read (${(error as Error).message}): check the path and its permissions`);
        }
        checkCreatable(path);
        removeLeftovers(path);
        return undefined;
      }
      const state = parseLog(path, text);
      removeLeftovers(path);
      return state;
    },
    save(state) {
      try {
        compact(state);
      } catch (error) {
        throw notSaved(error);
      }
    },
    append(next) {
      const line = `${JSON.stringify(next)}\n`;
      try {
        appendDurably(path, line);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !durable || !header) throw notSaved(error);
        // The file is gone (its directory was removed and made again): write it whole, change included.
        const current = durable.snapshot();
        const maps = new SnapshotMaps(current);
        maps.apply(next);
        this.save({ ...header, current: maps.snapshot() });
        return;
      }
      durable?.apply(next);
      logBytes += line.length;
      if (header && durable && logBytes > snapshotBytes + COMPACT_SLACK_BYTES) {
        try {
          compact({ ...header, current: durable.snapshot() });
        } catch {
          // The change is on disk in the log; compaction is tried again after the next change.
        }
      }
    },
    saved() {
      return durable?.snapshot();
    },
  };
}

/** Appends to the existing file (never creating it: a new file would hold a change without its state) and fsyncs. */
function appendDurably(path: string, line: string): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND);
  try {
    writeSync(fd, line);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function notSaved(error: unknown): DomainError {
  return new DomainError(
    'not_saved',
    'state_write_failed',
    `The change was not saved to the state file (${(error as NodeJS.ErrnoException).code ?? 'write error'}), so it was not made: try again.`,
  );
}

/**
 * The first line is the state (or, for a file written before the log, the whole file is);
 * each further line a change. Only the last line may be torn, by a kill in mid-append.
 */
function parseLog(path: string, text: string): StoredState {
  let lines: string[];
  try {
    JSON.parse(text);
    lines = [text];
  } catch {
    lines = text.split('\n');
    const last = lines.pop();
    // A last line without its newline was never acknowledged: a kill cut its append short.
    if (last !== '' && lines.length === 0) lines = [last as string];
  }
  const [first = '', ...changes] = lines;
  const parsed = storedState.safeParse(parseJsonText(first, `--state ${path}`, REMEDY));
  if (!parsed.success) {
    const [issue] = fieldErrors(parsed.error, '(top level)');
    throw corrupt(path, `${issue?.field}: ${issue?.message}`);
  }
  const maps = new SnapshotMaps(parsed.data.current as Snapshot);
  changes.forEach((line, index) => {
    const logged = change.safeParse(parseJsonText(line, `--state ${path} (line ${index + 2})`, REMEDY));
    if (!logged.success) {
      const [issue] = fieldErrors(logged.error, '(top level)');
      throw corrupt(path, `line ${index + 2}: ${issue?.field}: ${issue?.message}`);
    }
    maps.apply(logged.data as StateChange);
  });
  return { ...(parsed.data as StoredState), current: maps.snapshot() };
}

/** `.state.json.<random>.tmp`: what writeFileAtomicSync leaves when killed between write and rename. */
function removeLeftovers(path: string): void {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith(prefix) && /^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length))) rmSync(join(dir, name), { force: true });
  }
}

/** A new state file is written right after start: a place it cannot go is one clear start-up line, not an internal error. */
function checkCreatable(path: string): void {
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch (error) {
    throw new KeyguardError(
      `--state ${path} cannot be created (${(error as NodeJS.ErrnoException).code ?? 'error'}): create its directory first, or pick another path`,
    );
  }
}

const REMEDY = 'restore it from a backup, or delete it to start fresh';

function corrupt(path: string, reason: string): KeyguardError {
  return new KeyguardError(`--state ${path} is not a usable keyguard state file (${reason}): ${REMEDY}`);
}
