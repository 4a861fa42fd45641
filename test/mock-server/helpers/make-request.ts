/**
 * The seed's "Complete Example" client, copied as it is written (004_*.txt, "Examples"):
 * only the key, the base URL, `fetch` and `console.warn` are passed in instead of read from
 * globals, so the same client runs through msw and over a socket.
 */
export function createMakeRequest(
  apiKey: string | undefined,
  base: string,
  fetchImpl: typeof fetch = fetch,
  warn: (...args: unknown[]) => void = console.warn,
) {
  if (!apiKey) {
    throw new Error('API key not found');
  }

  // Create client
  return async function makeRequest(endpoint: string, options: RequestInit & { headers?: Record<string, string> } = {}) {
    const response = await fetchImpl(`${base}/v1${endpoint}`, {
      ...options,
      headers: {
        Authorization: `Bearer ${apiKey}`,
        'Content-Type': 'application/json',
        ...options.headers,
      },
    });

    // Check rate limits
    const remaining = response.headers.get('X-RateLimit-Remaining');
    if ((remaining as unknown as number) < 100) {
      warn('Rate limit low:', remaining);
    }

    // Handle errors
    if (!response.ok) {
      const error = await response.json();
      throw new Error(error.message);
    }

    return response.json();
  };
}
