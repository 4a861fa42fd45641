/**
 * A typed API error. The core throws these; the app turns them into RFC 9457 problem
 * details in exactly one place. `code` is stable for clients to branch on; `message` is
 * one sentence that says what is wrong and what to do next, and never holds a full key.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra top-level members of the problem body (`required`, `granted`, `errors`, …). */
    readonly extra: Record<string, unknown> = {},
    /** Extra response headers (`Retry-After`, `Allow`). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const unauthorized = (code: string, message: string, extra?: Record<string, unknown>): ApiError =>
  new ApiError(401, code, message, extra);

export const notFound = (code: string, message: string): ApiError => new ApiError(404, code, message);

/** One invalid field of a request: `field` is a path such as `permissions[1]` or `rate_limit.per_hour`. */
export interface FieldError {
  field: string;
  message: string;
}

export function validationFailed(errors: FieldError[]): ApiError {
  const first = errors[0];
  const summary = first ? `${first.field}: ${first.message}` : 'the request is invalid';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more in "errors")` : '';
  return new ApiError(422, 'validation_failed', `Invalid request: ${summary}${more}.`, { errors });
}
