// msw's `http` alone: the package's main entry also loads GraphQL and WebSocket support.
import { http } from 'msw/core/http';
import type { HttpHandler } from 'msw';
import type { KeyApi } from './key-api.js';

export { createKeyApi, type KeyApi, type KeyApiOptions } from './key-api.js';

export const DEFAULT_BASE_URL = 'https://api.example.com';

export interface HandlerOptions {
  /** Where the API lives; requests under it reach the mock. Default `https://api.example.com`. */
  baseUrl?: string;
}

/**
 * msw handlers for the mock key API: one catch-all under `baseUrl` that hands the request
 * to the same fetch-style app `keyguard serve` runs. Use with `setupServer(...keyApiHandlers(api))`.
 */
export function keyApiHandlers(api: KeyApi, options: HandlerOptions = {}): HttpHandler[] {
  const base = new URL(options.baseUrl ?? DEFAULT_BASE_URL);
  const basePath = base.pathname.replace(/\/+$/, '');
  const origin = base.origin;
  return [
    http.all(`${origin}${basePath}/*`, ({ request }) => {
      if (!basePath) return api.fetch(request);
      // The app's routes start at /v1: strip the base URL's own path first.
      const url = new URL(request.url);
      url.pathname = url.pathname.slice(basePath.length);
      return api.fetch(new Request(url, request));
    }),
  ];
}
