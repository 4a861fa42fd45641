import { readFile } from 'node:fs/promises';
import { KeyguardError } from './errors.js';

/** Longest parser detail kept in a message: V8 quotes the input, which may be a whole file. */
const MAX_DETAIL = 120;

/** Parses a user's JSON file; a syntax error is one line naming the file and what to do next. */
export function parseJsonText(text: string, name: string, next: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message.replace(/\s+/g, ' ');
    const short = detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL)}…` : detail;
    throw new KeyguardError(`${name} is not valid JSON (${short}): ${next}`);
  }
}

export interface JsonFileOptions {
  /** How messages name the file: `baseline .keyguard-baseline.json`, `--config x.json`. */
  name: string;
  /** What to do about a file that is not valid JSON. */
  fix: string;
  /** What to do about a file that does not exist; without it, a missing file is undefined rather than an error. */
  missing?: string;
}

/** Reads and parses a user's JSON file: anything wrong with it is one line naming it and what to do next. */
export async function readJsonFile(path: string, { name, fix, missing }: JsonFileOptions): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const absent = code === 'ENOENT' || code === 'ENOTDIR';
    if (absent && missing === undefined) return undefined;
    throw new KeyguardError(`${name} ${absent ? missing : `cannot be read (${code ?? 'error'})`}`);
  }
  return parseJsonText(text, name, fix);
}
