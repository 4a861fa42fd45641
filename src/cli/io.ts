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
