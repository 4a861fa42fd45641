import { z } from 'zod';
import { KeyguardError } from '../errors.js';
import { redactText } from '../findings.js';

/**
 * A key as the key API describes it. Only `id` and `name` are certain: the seed's list shows
 * `prefix` but no permissions, its details the permissions but no prefix, and fields a real
 * API leaves out stay undefined (a rule that needs one then does not judge).
 */
const apiKey = z.object({
  id: z.string().min(1),
  name: z.string(),
  prefix: z.string().optional(),
  description: z.string().nullable().optional(),
  environment: z.enum(['live', 'sandbox', 'test']).optional(),
  permissions: z.array(z.string()).optional(),
  plan: z.string().optional(),
  rate_limit: z.object({ per_hour: z.number(), per_minute: z.number() }).optional(),
  active: z.boolean().optional(),
  created_at: z.iso.datetime({ offset: true }),
  expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
  last_used: z.iso.datetime({ offset: true }).nullable().optional(),
  permissions_used: z.array(z.object({ permission: z.string(), last_used: z.iso.datetime({ offset: true }) })).optional(),
});

export type ApiKey = z.infer<typeof apiKey>;

const keyList = z.object({ data: z.array(apiKey) });
const newKey = apiKey.extend({ key: z.string().min(1) });

/** The body of `POST /v1/api-keys`, as the seed documents it. */
export interface CreateKeyBody {
  name: string;
  description?: string | null;
  permissions?: string[];
  expires_at?: string | null;
  plan?: string;
  rate_limit?: { per_hour: number; per_minute: number };
}

export interface KeyApiClientOptions {
  /** From `keyApiBase`: ends in `/`. */
  base: URL;
  /** The admin key. */
  key: string;
  /** Where the key came from, for messages: `$KEYGUARD_API_KEY`. */
  keySource: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The key API of seed 004 as keyguard's commands use it, with an `admin:*` key. Every failure
 * is a one-line `KeyguardError` that says what happened and what to do; redirects are not
 * followed, so the admin key only ever goes to the URL the user gave.
 */
export class KeyApiClient {
  constructor(private readonly options: KeyApiClientOptions) {}

  get base(): string {
    return this.options.base.href;
  }

  async listKeys(): Promise<ApiKey[]> {
    return (await this.call('GET', 'v1/api-keys', keyList)).data;
  }

  async getKey(id: string): Promise<ApiKey> {
    return this.call('GET', `v1/api-keys/${encodeURIComponent(id)}`, apiKey);
  }

  /** The new key's details and the full key, which the caller must not print. */
  async createKey(body: CreateKeyBody): Promise<ApiKey & { key: string }> {
    return this.call('POST', 'v1/api-keys', newKey, body);
  }

  /** Revokes a key; true when it was revoked now, false when it was already gone (404). */
  async revokeKey(id: string): Promise<boolean> {
    const response = await this.send('DELETE', `v1/api-keys/${encodeURIComponent(id)}`, this.options.key);
    if (response.status === 404) return false;
    await this.expectOk(response, 'DELETE', `v1/api-keys/${id}`);
    return true;
  }

  /** Whether `key` authenticates (`GET /v1/rate-limit`, which any valid key may call): the status it got. */
  async keyStatus(key: string): Promise<number> {
    const response = await this.send('GET', 'v1/rate-limit', key);
    await response.arrayBuffer();
    return response.status;
  }

  private async call<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const response = await this.send(method, path, this.options.key, body);
    const text = await this.expectOk(response, method, path);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.notKeyApi(method, path, 'an answer that is not JSON');
    }
    const checked = schema.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw this.notKeyApi(method, path, `an answer without the seed's fields (${issue?.path.join('.') || 'body'}: ${issue?.message})`);
    }
    return checked.data;
  }

  private async send(method: string, path: string, key: string, body?: unknown): Promise<Response> {
    const url = new URL(path, this.options.base);
    try {
      return await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          accept: 'application/json',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw new KeyguardError(`cannot reach the key API at ${this.base} (${networkReason(error)}): check --api and that the API is up`);
    }
  }

  /** The body of a 2xx answer; anything else is the one-line error a user can act on. */
  private async expectOk(response: Response, method: string, path: string): Promise<string> {
    const text = await response.text().catch(() => '');
    if (response.ok) return text;
    const { code, message } = problemOf(text);
    const said = message ? `: ${message}` : '';
    const where = `${method} /${path}`;
    const { keySource } = this.options;
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      throw new KeyguardError(`the key API at ${this.base} redirects ${where} (${response.status}${location ? ` to ${location}` : ''}): give --api the final URL`);
    }
    if (response.status === 401) {
      throw new KeyguardError(`the key API refused the key in ${keySource} (401${code ? ` ${code}` : ''}${said}): set it to a valid admin:* key`);
    }
    if (response.status === 403) {
      throw new KeyguardError(`the key in ${keySource} may not ${where} (403${code ? ` ${code}` : ''}${said}): use a key with admin:*`);
    }
    // A 404 for anything but a key the API says it does not have: this is not the key API's address.
    if (response.status === 404 && code !== 'key_not_found') throw this.notKeyApi(method, path, 'a 404');
    if (response.status === 429) {
      throw new KeyguardError(`the key API rate-limited ${where} (429): retry after ${response.headers.get('retry-after') ?? 'a while'} seconds`);
    }
    throw new KeyguardError(`the key API answered ${where} with ${response.status}${code ? ` ${code}` : ''}${said}`);
  }

  private notKeyApi(method: string, path: string, what: string): KeyguardError {
    return new KeyguardError(`${this.base} does not look like the key API: ${method} /${path} got ${what}; check --api`);
  }
}

function problemOf(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown };
    return {
      ...(typeof body.code === 'string' && { code: body.code }),
      ...(typeof body.message === 'string' && { message: redactText(body.message.split('\n')[0] ?? '') }),
    };
  } catch {
    return {};
  }
}

function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer in time';
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
