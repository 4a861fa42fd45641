import type { JournalEntry } from '../../../mock-server/core/journal.js';
import type { KeyType } from '../../../src/detect/index.js';
import { openApiChecker } from './openapi.js';

/**
 * What the contract suite needs from a door to the mock: where it is, a `fetch` that checks
 * every response against the served OpenAPI document, the bootstrap admin key, and test
 * control (time, reset, journal) however that door offers it.
 */
export interface World {
  /** Origin (plus path, for msw bases that have one): the API is at `${base}/v1`. */
  base: string;
  fetch: typeof fetch;
  adminKey: string;
  env: KeyType;
  advance: (duration: string) => Promise<void>;
  reset: () => Promise<void>;
  journal: () => Promise<JournalEntry[]>;
}

/** Both doors start their clock here, frozen, so times in responses are exact. */
export const START = '2025-10-14T10:30:00Z';

/** Wraps `fetch` so every response is checked against the OpenAPI document served at `${base}/openapi.json`. */
export async function checkedFetch(base: string): Promise<typeof fetch> {
  const document: unknown = await (await fetch(`${base}/openapi.json`)).json();
  const basePath = new URL(base).pathname.replace(/\/$/, '');
  const check = openApiChecker(document, (url) => new URL(url).pathname.slice(basePath.length));
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request.clone());
    await check(request.method, request.url, response);
    return response;
  };
}
