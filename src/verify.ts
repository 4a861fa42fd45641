import { keyApiBase } from './key-api/base-url.js';
import { secretOf, type Finding, type Verification } from './findings.js';

export interface VerifyOptions {
  /** The key API's base URL (from `verifyEndpoint`): each key goes to its `/v1/rate-limit` and nowhere else. */
  endpoint: URL;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Per request; a key whose check times out is `unknown`. */
  timeoutMs?: number;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MS = 5_000;

/** The one request path: a read-only call every valid key may make, which spends no quota in the mock. */
const CHECK_PATH = 'v1/rate-limit';

/**
 * The URL `--verify` checks keys at. Only http(s), without credentials; a trailing `/v1`
 * is accepted too, since that is how the API's base URL is usually written.
 */
export function verifyEndpoint(url: string): URL {
  return new URL(CHECK_PATH, keyApiBase(url, '--verify', 'each found key is its own credential'));
}

/**
 * Marks each key finding `live` (the key authenticates), `inactive` (401: revoked, expired,
 * deactivated, unknown) or `unknown` (network error, timeout, a key of another environment,
 * any other answer). Each distinct key is sent once, as a Bearer token, only to `endpoint`;
 * redirects are not followed, so a key never goes anywhere else. Never throws.
 */
export async function verifyFindings(findings: readonly Finding[], options: VerifyOptions): Promise<void> {
  const byKey = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = secretOf(finding);
    if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), finding]);
  }
  const keys = [...byKey.keys()];
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++]!;
      const verified = await check(options.endpoint, key, timeoutMs);
      for (const finding of byKey.get(key) ?? []) finding.verified = verified;
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, keys.length));
  await Promise.all(Array.from({ length: workers }, worker));
}

async function check(endpoint: URL, key: string, timeoutMs: number): Promise<Verification> {
  try {
    const response = await fetch(endpoint, {
      headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    // 403: the key authenticated but lacks a permission; it is still a working key.
    if (response.ok || response.status === 403) return 'live';
    if (response.status !== 401) return 'unknown';
    // A key of another environment is refused here but may work on its own server.
    return errorCode(body) === 'wrong_environment' ? 'unknown' : 'inactive';
  } catch {
    return 'unknown';
  }
}

function errorCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { code?: unknown };
    return typeof parsed.code === 'string' ? parsed.code : undefined;
  } catch {
    return undefined;
  }
}
