/**
 * The dashboard's only way to the server: the public key API on the same origin, with the admin
 * key as a Bearer token. Whatever the dashboard does, a script with the same key can do.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }

  /** The API's own words, as it said them, with the status and code for searching the docs. */
  describe(): string {
    const code = this.code ? ` (${this.code})` : '';
    return this.status ? `${this.status}${code}: ${this.message}` : this.message;
  }
}

/** The text shown for a failure: the API's own message when it sent one. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.describe();
  return error instanceof Error ? error.message : String(error);
}

export class ApiClient {
  constructor(private readonly adminKey: string) {}

  /**
   * Whether the key this client sends starts with a list entry's display prefix (`sk_test_abc...`):
   * how the dashboard recognises the key it is signed in with.
   */
  presents(displayPrefix: string): boolean {
    return this.adminKey.startsWith(displayPrefix.replace(/(\.\.\.|…)$/, ''));
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.adminKey}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch {
      throw new ApiError(0, `Cannot reach ${location.origin}: is keyguard serve still running?`, undefined);
    }
    const data = await readJson(response);
    if (!response.ok) throw new ApiError(response.status, errorMessage(data, response), errorCode(data));
    return data as T;
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// Problem details carry `message` (what the seed's client reads) and `detail`; prefer the former.
function errorMessage(data: unknown, response: Response): string {
  if (isRecord(data)) {
    for (const field of ['message', 'detail', 'title']) {
      const value = data[field];
      if (typeof value === 'string' && value) return value;
    }
  }
  return response.statusText || 'Request failed';
}

function errorCode(data: unknown): string | undefined {
  return isRecord(data) && typeof data.code === 'string' ? data.code : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
