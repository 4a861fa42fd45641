import { HTTPException } from 'hono/http-exception';
import { ApiError } from '../core/errors.js';
import { redactKeyRuns } from './redact.js';

/** Whatever a request threw, as the error its problem answer is made from. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    // Raised by Hono's JSON validator and media-type gate.
    if (error.status === 400) return new ApiError(400, 'malformed_json', 'The request body is not valid JSON: check quotes, commas and brackets.');
    if (error.status === 415) {
      return new ApiError(415, 'unsupported_media_type', 'Send the request body as JSON with "Content-Type: application/json".');
    }
    return new ApiError(error.status, 'http_error', error.message);
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ApiError(500, 'internal_error', `The mock server failed: ${redactKeyRuns(reason.split('\n')[0] ?? '')}`);
}
