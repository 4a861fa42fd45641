import { EXIT_ERROR, KeyguardError } from '../errors.js';
import { redactText } from '../findings.js';
import { printable } from '../printable.js';

/** What a command may know of the process, given to it by the bin (or by a test). */
export interface CliIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Called with progress lines for stderr; only long scans on a TTY use it. */
  progress?: (line: string) => void;
  /** The time, epoch ms; `Date.now` unless a test moves it (audit ages, rotate's grace period). */
  now?: () => number;
}

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export function result(exitCode: number, stdout = '', stderr = ''): CliResult {
  return { exitCode, stdout, stderr };
}

/**
 * Known errors print their message; anything else is still one line, never a stack. A file
 * name or git's words in it cannot break the line or drive the terminal.
 */
export function failure(error: unknown): CliResult {
  const message = error instanceof KeyguardError ? error.message : `internal error: ${errorMessage(error)}`;
  return result(EXIT_ERROR, '', `keyguard: ${redactText(printable(message))}\n`);
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? '';
}
