import { HTTPException } from 'hono/http-exception';
import { DomainError } from '../core/errors.js';
import { httpError, type ErrorKind } from './error-table.js';
import { redactText } from '../../src/findings.js';

/** Whatever a request threw, as the error its problem answer is made from. */
export function asKnownError(error: unknown): DomainError<ErrorKind> {
  if (error instanceof DomainError) return error as DomainError<ErrorKind>;
  if (error instanceof HTTPException) {
    // Raised by Hono's JSON validator and media-type gate.
    if (error.status === 400) return httpError('malformed_body', 'malformed_json', 'The request body is not valid JSON: check quotes, commas and brackets.');
    if (error.status === 415) {
      return httpError('unsupported_media_type', 'unsupported_media_type', 'Send the request body as JSON with "Content-Type: application/json".');
    }
    return httpError('internal', 'http_error', error.message);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return httpError('internal', 'internal_error', `The mock server failed: ${redactText(reason.split('\n')[0] ?? '')}`);
}
