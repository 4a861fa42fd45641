import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures as Standard Webhooks (standardwebhooks.com) defines them, so receivers can
 * verify with that spec's libraries or a few lines of their own:
 *   webhook-id: <event id>    webhook-timestamp: <unix seconds>
 *   webhook-signature: v1,<base64 of HMAC-SHA256(secret bytes, `${id}.${timestamp}.${body}`)>
 * The secret is `whsec_` + base64 of 24 random bytes; the HMAC key is the decoded bytes.
 */
const SECRET_PREFIX = 'whsec_';

export type SignedHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

export function newSecret(random: (size: number) => Uint8Array): string {
  return SECRET_PREFIX + Buffer.from(random(24)).toString('base64');
}

function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
}

function signature(secret: string, id: string, timestamp: string, body: string): Buffer {
  return createHmac('sha256', secretBytes(secret)).update(`${id}.${timestamp}.${body}`).digest();
}

/** The three headers of one delivery. `timestampS` is seconds since the epoch. */
export function sign(secret: string, id: string, timestampS: number, body: string): SignedHeaders {
  const timestamp = String(Math.floor(timestampS));
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature(secret, id, timestamp, body).toString('base64')}`,
  };
}

/**
 * Whether a delivery is genuine: any `v1,` signature in the (space-separated) header matches,
 * compared in constant time, and the timestamp is within `toleranceS` of `nowS` (replays of old
 * deliveries fail). Headers as fetch's `Headers` or Node's `request.headers`.
 */
export function verify(
  secret: string,
  headers: Headers | Record<string, string | string[] | undefined>,
  body: string,
  nowS = Date.now() / 1000,
  toleranceS = 300,
): boolean {
  const header = (name: keyof SignedHeaders): string =>
    (headers instanceof Headers ? headers.get(name) : [headers[name]].flat()[0]) ?? '';
  const id = header('webhook-id');
  const timestamp = header('webhook-timestamp');
  if (!/^\d+$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > toleranceS) return false;
  const expected = signature(secret, id, timestamp, body);
  return header('webhook-signature').split(' ').some((candidate) => {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || value === undefined) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
