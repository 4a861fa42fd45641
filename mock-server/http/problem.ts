import type { DomainError } from '../core/errors.js';
import { headersOf, statusOf, type ErrorKind } from './error-table.js';
import { redactText } from '../../src/findings.js';
import { displayPath } from './redact.js';
import { inHttpTerms } from './remedies.js';

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
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * The one shape every error takes on the wire: an RFC 9457 problem that also carries `message`
 * (what the seed's client reads) and a stable `code`, with the status and headers of its kind.
 * Messages may echo what the client sent (an id, a field value, a path): any key in the body is masked.
 */
export function problemResponse(error: DomainError<ErrorKind>, path: string, headers: Record<string, string> = {}): Response {
  const status = statusOf(error);
  const { message, details } = inHttpTerms(error);
  const body = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail: message,
    message,
    code: error.code,
    instance: displayPath(path),
    ...details,
  };
  return new Response(redactText(JSON.stringify(body)), {
    status,
    headers: { ...headers, ...headersOf(error), 'Content-Type': 'application/problem+json' },
  });
}
