import { DomainError, type DomainErrorKind } from '../core/errors.js';

/** Errors the HTTP layer finds itself, before or around the domain: the request, not the key API, is wrong. */
export type HttpErrorKind =
  /** The body is not what it claims to be (JSON that does not parse). */
  | 'malformed_body'
  | 'method_not_allowed'
  | 'too_large'
  | 'unsupported_media_type'
  /** The request named a host this server does not serve (DNS rebinding). */
  | 'misdirected'
  /** Too many request bodies held at once: retry in a moment. */
  | 'busy'
  | 'internal'
  /** Answers of a fault armed through /__keyguard/faults (test-only), one kind per status. */
  | InjectedFaultKind;

export const INJECTED_FAULT_KINDS = { 500: 'injected_error', 502: 'injected_bad_gateway', 503: 'injected_unavailable', 429: 'injected_too_many' } as const;
type InjectedFaultKind = (typeof INJECTED_FAULT_KINDS)[keyof typeof INJECTED_FAULT_KINDS];

export type ErrorKind = DomainErrorKind | HttpErrorKind;

/** An error of the HTTP layer's own, in the same shape as the domain's. */
export function httpError(kind: HttpErrorKind, code: string, message: string, details?: Record<string, unknown>): DomainError<ErrorKind> {
  return new DomainError<ErrorKind>(kind, code, message, details);
}

interface OnTheWire {
  status: number;
  /** Headers the kind carries besides the request's rate-limit headers and Content-Type. */
  headers?: (error: DomainError<ErrorKind>) => Record<string, string>;
}

/** The one table from error kinds to HTTP. */
const WIRE: Record<ErrorKind, OnTheWire> = {
  malformed_body: { status: 400 },
  unauthenticated: { status: 401, headers: (error) => ({ 'WWW-Authenticate': bearerChallenge(error.code) }) },
  forbidden: { status: 403 },
  not_found: { status: 404 },
  method_not_allowed: { status: 405, headers: (error) => ({ Allow: (error.details.allowed as string[]).join(', ') }) },
  too_large: { status: 413 },
  unsupported_media_type: { status: 415 },
  misdirected: { status: 421 },
  invalid: { status: 422 },
  // Retry-After comes with the rate-limit headers of the refused request.
  rate_limited: { status: 429 },
  not_saved: { status: 500 },
  internal: { status: 500 },
  busy: { status: 503, headers: () => ({ 'Retry-After': '1' }) },
  injected_error: { status: 500 },
  injected_bad_gateway: { status: 502 },
  injected_unavailable: { status: 503, headers: retryAfter },
  injected_too_many: { status: 429, headers: retryAfter },
};

function retryAfter(error: DomainError<ErrorKind>): Record<string, string> {
  return { 'Retry-After': String(error.details.retry_after) };
}

export function statusOf(error: DomainError<ErrorKind>): number {
  return WIRE[error.kind].status;
}

export function headersOf(error: DomainError<ErrorKind>): Record<string, string> | undefined {
  return WIRE[error.kind].headers?.(error);
}

/**
 * RFC 9110 §11.6.1: a 401 names the scheme to use. RFC 6750 §3.1: without credentials, the
 * challenge alone; with a key that was refused, `error="invalid_token"`.
 */
function bearerChallenge(code: string): string {
  const refused = code === 'missing_api_key' || code === 'malformed_authorization' ? '' : ', error="invalid_token"';
  return `Bearer realm="keyguard"${refused}`;
}
