import { KeyguardError } from '../errors.js';

/**
 * The key API's base URL as a flag gives it: only http(s), without credentials (a key is sent
 * as a Bearer token, never in a URL). A trailing `/v1` is accepted, since that is how the API's
 * base URL is usually written; the result ends in `/` so `new URL('v1/…', base)` stays under it.
 */
export function keyApiBase(url: string, flag: string, credentialNote: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    throw new KeyguardError(`${flag} expects the key API's http(s) URL, such as http://127.0.0.1:4010; got '${url}'`);
  }
  if (parsed.username || parsed.password) throw new KeyguardError(`${flag} URL must not hold credentials: ${credentialNote}`);
  const base = parsed.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return new URL(`${base}/`, parsed.origin);
}
