import type { KeyType } from '../../src/detect/index.js';

/**
 * What went wrong, in the domain's terms. The core knows no HTTP: the HTTP layer maps each kind
 * to a status and headers in one table (http/error-table.ts).
 */
export type DomainErrorKind =
  /** No usable key: missing, malformed, unknown, revoked, deactivated, expired, of another environment. */
  | 'unauthenticated'
  /** The key may not do this. */
  | 'forbidden'
  | 'not_found'
  /** The input breaks a rule; `details.errors` lists the fields. */
  | 'invalid'
  | 'rate_limited'
  /** A change could not be made durable, so it was not made. */
  | 'not_saved';

/**
 * A next step that lies outside the domain (a route to call, an option to start with): the core
 * says which, as data; the door the error leaves through words it (http/remedies.ts).
 */
export type Remedy =
  | { to: 'reactivate_key'; key_id: string }
  | { to: 'grant_permission'; key_id: string }
  | { to: 'use_environment'; environment: KeyType };

/**
 * An error of the key API's domain. `code` is stable for clients to branch on; `message` is one
 * sentence that says what is wrong (and what to do, when that needs no route or option: those are
 * the `remedy`), never names a route or a flag and never holds a full key.
 */
export class DomainError<Kind extends string = DomainErrorKind> extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly kind: Kind,
    readonly code: string,
    message: string,
    /** Facts that go out with the error, each a member of the problem body (`required`, `granted`, `errors`, …). */
    readonly details: Record<string, unknown> = {},
    readonly remedy?: Remedy,
  ) {
    super(message);
  }
}

export const unauthorized = (code: string, message: string, details?: Record<string, unknown>, remedy?: Remedy): DomainError =>
  new DomainError('unauthenticated', code, message, details, remedy);

export const notFound = (code: string, message: string): DomainError => new DomainError('not_found', code, message);

/** One invalid field of a request: `field` is a path such as `permissions[1]` or `rate_limit.per_hour`. */
export interface FieldError {
  field: string;
  message: string;
  remedy?: Remedy;
}

export function validationFailed(errors: FieldError[]): DomainError {
  return new DomainError('invalid', 'validation_failed', invalidSummary(errors), { errors });
}

/** The message of a validation error: its first field, and how many more there are. */
export function invalidSummary(errors: readonly FieldError[]): string {
  const first = errors[0];
  const summary = first ? `${first.field}: ${first.message}` : 'the request is invalid';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more in "errors")` : '';
  return `Invalid request: ${summary}${more}.`;
}
