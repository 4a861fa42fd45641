/** Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or runtime error. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/**
 * An error the user can act on: its message is one line that names the flag, file or
 * field and says what to do next. The CLI prints it as it is, never with a stack.
 */
export class KeyguardError extends Error {
  override readonly name = 'KeyguardError';
}
