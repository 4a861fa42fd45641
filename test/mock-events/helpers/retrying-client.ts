import { createMakeRequest } from '../../mock-server/helpers/make-request.js';

/**
 * The seed's complete client example (make-request.ts, unchanged) plus exponential backoff, as
 * seed 004's 429 advice says ("Implement exponential backoff"): any failure, a thrown error
 * message from an error body or a network error, is retried after 2^n × baseMs.
 */
export function createRetryingClient(apiKey: string, base: string, fetchImpl: typeof fetch, options: { retries?: number; baseMs?: number } = {}) {
  const makeRequest = createMakeRequest(apiKey, base, fetchImpl, () => undefined);
  const retries = options.retries ?? 4;
  const baseMs = options.baseMs ?? 5;
  const failures: string[] = [];
  async function request(endpoint: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await makeRequest(endpoint, init);
      } catch (error) {
        failures.push((error as Error).message);
        if (attempt >= retries) throw error;
        await new Promise((resolve) => setTimeout(resolve, baseMs * 2 ** attempt));
      }
    }
  }
  return { request, failures };
}
