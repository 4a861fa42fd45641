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
