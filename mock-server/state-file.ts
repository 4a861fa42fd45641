import { accessSync, constants, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from '../src/atomic-file.js';
import { KEY_TYPES, type KeyType } from '../src/detect/index.js';
import { KeyguardError } from '../src/errors.js';
import { parseJsonText } from '../src/json-text.js';
import { ApiError } from './core/errors.js';
import { fieldErrors, permissionField, planField, rateLimitField } from './core/fields.js';
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

const snapshot = z.strictObject({
  keys: z.array(keyRecord),
  revoked: z.array(
    z.strictObject({ hash: z.string().regex(/^[0-9a-f]{64}$/), id: z.string(), reason: z.enum(['deleted', 'regenerated']), at: ms }),
  ),
  tasks: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      description: z.string().nullable(),
      status: z.enum(['todo', 'in_progress', 'done']),
      project_id: z.string().nullable(),
      created_at: iso,
      updated_at: iso,
    }),
  ),
  projects: z.array(z.strictObject({ id: z.string(), name: z.string(), description: z.string().nullable(), created_at: iso, updated_at: iso })),
  users: z.array(
    z.strictObject({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(['member', 'admin']), created_at: iso, updated_at: iso }),
  ),
});

const storedState = z.strictObject({ keyguard_mock_state: z.literal(1), environment, seeded: snapshot, current: snapshot });

/**
 * Synchronous on purpose: the change, the write and the answer happen in one turn of the
 * event loop, so two requests can never interleave their writes.
 *
 * `--state FILE`: the state as JSON, replaced atomically on every change (write a temp file,
 * fsync it, rename it over the old one, fsync the directory) before the change is answered,
 * so `kill -9` at any moment leaves either the old file or the new one, never a mix. A file
 * that is not a keyguard state file is an error at start, never silently replaced.
 */
export function fileStorage(path: string): StateStorage {
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
        return undefined;
      }
      const json = parseJsonText(text, `--state ${path}`, REMEDY);
      const parsed = storedState.safeParse(json);
      if (!parsed.success) {
        const [first] = fieldErrors(parsed.error, '(top level)');
        throw corrupt(path, `${first?.field}: ${first?.message}`);
      }
      return parsed.data as StoredState;
    },
    save(state) {
      try {
        writeFileAtomicSync(path, `${JSON.stringify(state, null, 2)}\n`, 0o600);
      } catch (error) {
        throw new ApiError(
          500,
          'state_write_failed',
          `The change was not saved to the state file (${(error as NodeJS.ErrnoException).code ?? 'write error'}), so it was not made: try again.`,
        );
      }
    },
  };
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
