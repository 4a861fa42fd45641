import { DomainError } from '../core/errors.js';
import { httpError } from './error-table.js';
import { problemResponse } from './problem.js';
import { hostnameOf, originOf, pathOf } from './url-parts.js';

type FetchApp = (request: Request) => Response | Promise<Response>;

/** Methods that only read: a page on another origin cannot read their answers without CORS, which the mock never grants. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The mock runs on developers' laptops beside their browser, so every request a web page can
 * make must be one it expects:
 * - only its own host names are served (DNS rebinding: a page at `http://evil.example:PORT/`
 *   resolved to 127.0.0.1 gets 421 on every route, the dashboard included);
 * - a change (any method but GET, HEAD, OPTIONS) from a page of another origin is refused with
 *   403 before anything runs: an `Origin` that is not the server's own, or
 *   `Sec-Fetch-Site: cross-site` (a `no-cors` form post carries both).
 * `hosts` holds lower-case host names without port, IPv6 literals in brackets.
 */
export function guardSite(app: FetchApp, hosts: ReadonlySet<string>): FetchApp {
  const served = [...hosts].join(', ');
  return (request) => {
    const url = request.url;
    const hostname = hostnameOf(url);
    if (!hosts.has(hostname)) {
      return problemResponse(
        httpError(
          'misdirected',
          'host_not_allowed',
          `This mock serves only ${served}, not "${hostname}": a page that reaches it under another name (DNS rebinding) is refused. Allow a name with --allow-host (allowHosts in startKeyApiServer).`,
          { host: hostname },
        ),
        pathOf(url),
      );
    }
    if (!SAFE_METHODS.has(request.method)) {
      const own = originOf(url);
      const origin = request.headers.get('origin');
      const site = request.headers.get('sec-fetch-site');
      if ((origin !== null && origin !== own) || site === 'cross-site') {
        return problemResponse(
          new DomainError(
            'forbidden',
            'cross_origin_request',
            `A change sent from another site${origin === null ? '' : ` (${origin})`} is refused: this mock accepts changes only from its own pages (${own}) and from clients that are not browsers.`,
            { origin },
          ),
          pathOf(url),
        );
      }
    }
    return app(request);
  };
}
