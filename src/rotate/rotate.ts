import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { writeFileAtomicSync } from '../atomic-file.js';
import { KeyguardError } from '../errors.js';
import { redactText } from '../findings.js';
import type { ApiKey, CreateKeyBody, KeyApiClient } from '../key-api/client.js';
import { replaceValue, theAssignment } from './env-file.js';
import { journalPath, readJournal, removeJournal, writeJournal, type Journal } from './journal.js';

export interface RotateOptions {
  client: KeyApiClient;
  keyId: string;
  /** Absolute path of the env file, and as the user wrote it (for messages). */
  envFile: string;
  envFileShown: string;
  variable: string;
  /** How long the old key keeps working after the new one is verified. */
  graceMs: number;
  now: () => number;
  /** Each step as it is done, for stdout. Never given a key, only ids, names and prefixes. */
  report: (line: string) => void;
}

/** What the run left: `done` once the old key is revoked, `waiting` while its grace period lasts. */
export type RotateOutcome = 'done' | 'waiting';

const MAX_NAME = 200;

/**
 * The seed's rotation process as one command: 1. create the replacement (same description,
 * permissions, plan, expiry policy), 2. write it into the env file, 3. test it
 * (`GET /v1/rate-limit`), 4. revoke the old key, at once or after a grace period, 5. check
 * the new key still works and the old one is refused. Before each step the journal records
 * it, so a run killed anywhere is finished (from `written` on) or undone (before: the new
 * key's value was never stored, so the replacement is revoked) by the next run. The old key
 * is revoked only after the new one was verified from the env file.
 */
export async function rotate(options: RotateOptions): Promise<RotateOutcome> {
  const { client, report } = options;
  const path = journalPath(options.envFile);
  const shown = `${options.envFileShown} ${options.variable}`;
  let journal = readJournal(path);
  if (journal && (journal.old.id !== options.keyId || journal.var !== options.variable || journal.api !== client.base)) {
    throw new KeyguardError(
      `an unfinished rotation of ${journal.old.id} into ${journal.env_file} ${journal.var} (at ${journal.api}) is recorded in ${path}: finish it first with keyguard rotate ${journal.old.id} --api ${journal.api} --env-file ${journal.env_file} --var ${journal.var}`,
    );
  }
  // Checked before anything changes: a missing file or variable creates nothing.
  const envText = readEnvFile(options.envFile, options.envFileShown);
  const assignment = theAssignment(envText, options.variable, options.envFileShown);

  if (journal?.step === 'creating' || journal?.step === 'created') {
    await undo(journal, client, report);
    removeJournal(path);
    journal = undefined;
  }
  if (journal === undefined) {
    const old = await step('read the key', 'nothing changed', () => client.getKey(options.keyId));
    checkHolds(assignment.value, old, shown);
    const started = options.now();
    journal = {
      keyguard_rotation: 1,
      api: client.base,
      env_file: options.envFileShown,
      var: options.variable,
      old: ref(old),
      replacement_name: replacementName(old.name, started),
      started_at: new Date(started).toISOString(),
      step: 'creating',
    };
    report(`Rotating ${describe(journal.old)} in ${shown}`);
    writeJournal(path, journal);
    const created = await step('create the replacement', 'the old key is untouched; the next run revokes any replacement this one made and starts again', () =>
      client.createKey(replacementBody(old, journal!.replacement_name, started)),
    );
    journal = { ...journal, step: 'created', replacement: { ...ref(created), sha256: sha256(created.key) } };
    writeJournal(path, journal);
    report(`1. created ${describe(journal.replacement!)}: same description, permissions, plan and expiry policy`);
    try {
      writeEnvFile(options.envFile, replaceValue(envText, assignment, created.key));
    } catch (error) {
      throw new KeyguardError(
        `rotation stopped at write: cannot write ${options.envFileShown} (${(error as NodeJS.ErrnoException).code ?? 'error'}); it still holds the old key: the next run revokes the unwritten replacement and starts again`,
      );
    }
    journal = { ...journal, step: 'written' };
    writeJournal(path, journal);
    report(`2. wrote it to ${shown}; every other byte of the file is as it was`);
    try {
      await verify(client, created.key);
    } catch (error) {
      // Still in hand: the old value goes back, the replacement goes away, as if nothing happened.
      writeEnvFile(options.envFile, envText);
      await client.revokeKey(journal.replacement!.id).catch(() => undefined);
      removeJournal(path);
      throw new KeyguardError(`rotation stopped at verify: ${(error as Error).message}; undone: ${shown} holds the old key again and the replacement is revoked`);
    }
    report(`3. verified: GET /v1/rate-limit with the new key from ${shown} answered 200`);
    journal = { ...journal, step: 'verified', revoke_after: new Date(options.now() + options.graceMs).toISOString() };
    writeJournal(path, journal);
  } else if (journal.step === 'written') {
    const current = readEnvFile(options.envFile, options.envFileShown);
    const value = theAssignment(current, options.variable, options.envFileShown).value;
    if (journal.replacement?.sha256 !== sha256(value)) {
      throw new KeyguardError(
        `${shown} no longer holds the replacement ${journal.replacement?.id} this rotation wrote: put it back, or delete ${path} and revoke ${journal.replacement?.id} to start over`,
      );
    }
    report(`Finishing the rotation of ${describe(journal.old)} in ${shown}: the replacement ${describe(journal.replacement!)} was written`);
    await step('verify', `${shown} holds the replacement and the old key still works: run the same command again`, () => verify(client, value));
    report(`3. verified: GET /v1/rate-limit with the new key from ${shown} answered 200`);
    journal = { ...journal, step: 'verified', revoke_after: new Date(options.now() + options.graceMs).toISOString() };
    writeJournal(path, journal);
  } else {
    report(`Finishing the rotation of ${describe(journal.old)} in ${shown}: the replacement ${describe(journal.replacement!)} is written and verified`);
  }
  return revokeOld(journal, options, path);
}

async function revokeOld(journal: Journal, options: RotateOptions, path: string): Promise<RotateOutcome> {
  const { client, report } = options;
  const after = Date.parse(journal.revoke_after ?? journal.started_at);
  if (options.now() < after) {
    report(
      `4. ${describe(journal.old)} keeps working until ${journal.revoke_after} (grace period): update the other services that use it, then run this command again after that time to revoke it`,
    );
    return 'waiting';
  }
  // Days may have passed: the old key goes only while the file still holds a working replacement.
  const held = theAssignment(readEnvFile(options.envFile, options.envFileShown), options.variable, options.envFileShown).value;
  if (sha256(held) !== journal.replacement?.sha256) {
    throw new KeyguardError(
      `${options.envFileShown} ${options.variable} no longer holds the replacement ${journal.replacement?.id}, so ${journal.old.id} stays active: put the replacement back and run again, or delete ${path} to give up this rotation`,
    );
  }
  await step('check the replacement before revoking', `${journal.old.id} stays active: run the same command again`, () => verify(client, held));
  const revoked = await step('revoke the old key', 'the replacement is written and verified: run the same command again to revoke the old key', () =>
    client.revokeKey(journal.old.id),
  );
  removeJournal(path);
  report(`4. ${revoked ? 'revoked' : 'already revoked:'} ${describe(journal.old)}`);
  const status = await client.keyStatus(held).catch(() => undefined);
  report(status === 200 ? '5. monitor: the new key works (200); watch your services for 401s from anything still holding the old key' : `5. monitor: the new key answered ${status ?? 'nothing'}: check ${options.envFileShown} ${options.variable}`);
  return 'done';
}

/** A step's failure as one line that says where the rotation stopped and what the next run does. */
async function step<T>(name: string, state: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const reason = error instanceof KeyguardError ? error.message : redactText(String(error));
    throw new KeyguardError(`rotation stopped at ${name}: ${reason}; ${state}`);
  }
}

async function undo(journal: Journal, client: KeyApiClient, report: (line: string) => void): Promise<void> {
  // Its value was never stored: it can only be revoked. By id when known, else by its unique name.
  const ids = journal.replacement
    ? [journal.replacement.id]
    : (await step('undo the unfinished rotation', 'nothing changed: run the same command again', () => client.listKeys()))
        .filter((key) => key.name === journal.replacement_name)
        .map((key) => key.id);
  for (const id of ids) {
    await step('undo the unfinished rotation', 'nothing changed: run the same command again', () => client.revokeKey(id));
  }
  report(
    ids.length > 0
      ? `Undid an unfinished rotation of ${journal.old.id}: revoked ${ids.join(', ')}, whose value was never written to ${journal.env_file}`
      : `Undid an unfinished rotation of ${journal.old.id}: no replacement had been created`,
  );
}

async function verify(client: KeyApiClient, key: string): Promise<void> {
  const status = await client.keyStatus(key);
  if (status !== 200) throw new KeyguardError(`the new key got ${status} from GET /v1/rate-limit`);
}

/** The env file must hold the key being rotated: compared by the API's display prefix. */
function checkHolds(value: string, old: ApiKey, shown: string): void {
  const start = old.prefix?.replace(/(\.\.\.|…)$/, '');
  if (start && !value.startsWith(start)) {
    throw new KeyguardError(`${shown} does not hold ${old.id} (${old.prefix}): name the variable that holds this key, or the key that variable holds`);
  }
}

/** Same description, permissions, plan and expiry policy: a key that expired N days after its creation gets N days from now. */
function replacementBody(old: ApiKey, name: string, now: number): CreateKeyBody {
  const lifetime = old.expires_at ? Date.parse(old.expires_at) - Date.parse(old.created_at) : undefined;
  return {
    name,
    ...(old.description !== undefined && { description: old.description }),
    ...(old.permissions && { permissions: old.permissions }),
    ...(old.plan && { plan: old.plan }),
    ...(old.plan === 'enterprise' && old.rate_limit && { rate_limit: old.rate_limit }),
    ...(old.expires_at !== undefined && { expires_at: lifetime === undefined ? null : new Date(now + Math.max(lifetime, 60_000)).toISOString() }),
  };
}

/** `Production App (rotated 2026-12-03)`; a name rotated before gets a new date, not a second suffix. */
function replacementName(name: string, now: number): string {
  const suffix = ` (rotated ${new Date(now).toISOString().slice(0, 10)})`;
  const base = name.replace(/ \(rotated \d{4}-\d\d-\d\d\)$/, '');
  return base.slice(0, MAX_NAME - suffix.length) + suffix;
}

function readEnvFile(path: string, shown: string): string {
  try {
    return readFileSync(path, 'latin1');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new KeyguardError(`cannot read --env-file ${shown}: ${code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a directory' : code ?? 'unreadable'}`);
  }
}

/** Atomically, with the file's own permissions, byte for byte (latin1 keeps each byte a character). */
function writeEnvFile(path: string, text: string): void {
  writeFileAtomicSync(path, Buffer.from(text, 'latin1'), statSync(path).mode & 0o777);
}

function ref(key: ApiKey): { id: string; name: string; prefix?: string } {
  return { id: key.id, name: key.name, ...(key.prefix && { prefix: redactText(key.prefix) }) };
}

function describe(key: { id: string; name: string; prefix?: string }): string {
  return `${key.id} "${key.name}"${key.prefix ? ` (${key.prefix.replace(/\.\.\.$/, '…')})` : ''}`;
}

function sha256(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
