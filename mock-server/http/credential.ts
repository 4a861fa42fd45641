import { unauthorized } from '../core/errors.js';
import { displayPrefix, wellFormedKeyType } from '../core/keys.js';

/** The key a request presents, and what the journal shows of it (never the key itself). */
export interface Credential {
  key: string;
  prefix: string;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The key a request presents: `Authorization: Bearer <key>` or `x-api-key: <key>`. Refused
 * (unauthenticated) when there is none or the Authorization header is not a Bearer token.
 */
export function readCredential(headers: Headers): Credential {
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const bearer = BEARER.exec(authorization);
    if (!bearer) {
      const looksLikeKey = wellFormedKeyType(authorization.trim()) !== undefined;
      throw unauthorized(
        'malformed_authorization',
        looksLikeKey
          ? 'The Authorization header holds a key without the Bearer scheme: send "Authorization: Bearer <key>".'
          : 'The Authorization header must be "Bearer <key>" (or send the key in an x-api-key header).',
      );
    }
    return credential(bearer[1] as string);
  }
  const apiKey = headers.get('x-api-key');
  if (apiKey !== null && apiKey.trim() !== '') return credential(apiKey.trim());
  throw unauthorized(
    'missing_api_key',
    'No API key was sent: add "Authorization: Bearer <key>" or "x-api-key: <key>" to the request.',
  );
}

function credential(key: string): Credential {
  return { key, prefix: displayPrefix(key) };
}
