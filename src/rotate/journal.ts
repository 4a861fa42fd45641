import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from '../atomic-file.js';
import { KeyguardError } from '../errors.js';

/**
 * How far a rotation got, kept next to the env file so a run killed at any step can be
 * finished or undone by the next one. It holds ids, names, display prefixes and a SHA-256 of
 * the new key: never a key.
 *
 * - `creating`: the replacement may exist on the server, its value lost: undo (revoke it).
 * - `created`: the replacement exists (`replacement.id`), its value lost: undo.
 * - `written`: the env file holds the replacement: verify it, then finish.
 * - `verified`: the replacement works: revoke the old key once `revoke_after` has passed.
 */
const keyRef = z.strictObject({ id: z.string(), name: z.string(), prefix: z.string().optional() });

const journalShape = z.strictObject({
  keyguard_rotation: z.literal(1),
  api: z.string(),
  env_file: z.string(),
  var: z.string(),
  old: keyRef,
  replacement_name: z.string(),
  started_at: z.string(),
  step: z.enum(['creating', 'created', 'written', 'verified']),
  replacement: keyRef.extend({ sha256: z.string().optional() }).optional(),
  revoke_after: z.string().optional(),
});

export type Journal = z.infer<typeof journalShape>;
export type Step = Journal['step'];

/** `.keyguard-rotation.json` in the env file's directory: one unfinished rotation per directory at a time. */
export function journalPath(envFile: string): string {
  return join(dirname(envFile), '.keyguard-rotation.json');
}

export function readJournal(path: string): Journal | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new KeyguardError(`cannot read the rotation journal ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const checked = journalShape.safeParse(parsed);
  if (!checked.success) {
    throw new KeyguardError(`${path} is not a keyguard rotation journal: move it away if it is yours, then run again`);
  }
  return checked.data;
}

/** Saved atomically before the step it records is taken, so a kill never leaves a half-written journal. */
export function writeJournal(path: string, journal: Journal): void {
  try {
    writeFileAtomicSync(path, `${JSON.stringify(journal, null, 2)}\n`, 0o600);
  } catch (error) {
    throw new KeyguardError(`cannot write the rotation journal ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function removeJournal(path: string): void {
  rmSync(path, { force: true });
}
