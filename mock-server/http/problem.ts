import type { ApiError } from '../core/errors.js';
import { displayPath, redactKeyRuns } from './redact.js';

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * The one shape every error takes on the wire: an RFC 9457 problem that also carries `message`
 * (what the seed's client reads) and a stable `code`. Messages may echo what the client sent
 * (an id, a field value, a path): any key in the body is masked.
 */
export function problemResponse(error: ApiError, path: string, headers: Record<string, string> = {}): Response {
  const body = {
    type: 'about:blank',
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    message: error.message,
    code: error.code,
    instance: displayPath(path),
    ...error.extra,
  };
  const challenge = error.status === 401 ? { 'WWW-Authenticate': bearerChallenge(error.code) } : undefined;
  return new Response(redactKeyRuns(JSON.stringify(body)), {
    status: error.status,
    headers: { ...headers, ...challenge, ...error.headers, 'Content-Type': 'application/problem+json' },
  });
}

/**
 * RFC 9110 §11.6.1: a 401 names the scheme to use. RFC 6750 §3.1: without credentials, the
 * challenge alone; with a key that was refused, `error="invalid_token"`.
 */
function bearerChallenge(code: string): string {
  const refused = code === 'missing_api_key' || code === 'malformed_authorization' ? '' : ', error="invalid_token"';
  return `Bearer realm="keyguard"${refused}`;
}
