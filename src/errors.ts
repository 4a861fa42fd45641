/** Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage or runtime error. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

const BRAND = Symbol.for('keyguard.KeyguardError');

/**
 * An error the user can act on: its message is one line that names the flag, file or
 * field and says what to do next. The CLI prints it as it is, never with a stack.
 */
export class KeyguardError extends Error {
  override readonly name = 'KeyguardError';
  private readonly [BRAND] = true;

  /**
   * `instanceof` by brand, not by class identity: the bundled CLI (dist/cli/run.js) carries its own
   * copy of this class, while `keyguard serve`'s mock server (dist/mock-server, loaded apart) throws
   * with tsc's; without this, every start-up error of serve printed as "internal error".
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses (GitNotFound) keep the ordinary check.
    if (this !== KeyguardError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: boolean })[BRAND] === true;
  }
}
