import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createClock, parseDuration } from '../../mock-server/core/clock.js';
import { generateKey } from '../../mock-server/core/keys.js';
import { RateLimiter } from '../../mock-server/core/rate-limit.js';
import { rateLimitHeaders } from '../../mock-server/http/rate-limit-headers.js';
import { ungrantable } from '../../mock-server/core/scopes.js';
import { detect, KEY_TYPES } from '../../src/detect/index.js';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['500ms', 500],
    [1500, 1500],
  ] as const)('%j is %d ms', (duration, ms) => {
    expect(parseDuration(duration)).toBe(ms);
  });

  it.each(['1 hour', '-1s', '', 'h', '1y'])('%j is refused with the accepted units named', (duration) => {
    expect(() => parseDuration(duration)).toThrow(/use digits with ms, s, m, h or d/);
  });
});

describe('the clock', () => {
  it('stands still at its start until advanced, and reset undoes every advance', () => {
    const clock = createClock('2025-10-14T10:30:00Z');
    const start = Date.parse('2025-10-14T10:30:00Z');
    expect(clock.now()).toBe(start);
    clock.advance('1h');
    clock.advance(1000);
    expect(clock.now()).toBe(start + 3_601_000);
    clock.reset();
    expect(clock.now()).toBe(start);
  });
});

describe('the rate limiter', () => {
  const limits = { per_hour: 5, per_minute: 2 };
  const at = (time: string) => Date.parse(`2025-10-14T${time}Z`);

  it('consumes nothing from the hour when the minute refuses (check all, then consume all)', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('k', limits, at('10:30:00')).allowed).toBe(true);
    expect(limiter.take('k', limits, at('10:30:01')).allowed).toBe(true);
    const refused = limiter.take('k', limits, at('10:30:02'));
    expect(refused).toMatchObject({ allowed: false, deniedBy: 'minute', retryAfter: 58, hour: { remaining: 3 }, minute: { remaining: 0 } });
    expect(limiter.take('k', limits, at('10:31:00')).hour.remaining).toBe(2);
  });

  it('gives a whole window back at its boundary (fixed windows), with Retry-After rounded up', () => {
    const limiter = new RateLimiter();
    limiter.take('k', limits, at('10:59:59.000'));
    limiter.take('k', limits, at('10:59:59.100'));
    expect(limiter.take('k', limits, at('10:59:59.500')).retryAfter).toBe(1);
    const next = limiter.take('k', limits, at('11:00:00.000'));
    expect(next).toMatchObject({ allowed: true, hour: { remaining: 4 }, minute: { remaining: 1 } });
  });

  it('names the hour when both windows are spent, since it frees up last', () => {
    const limiter = new RateLimiter();
    const tight = { per_hour: 1, per_minute: 1 };
    limiter.take('k', tight, at('10:30:00'));
    expect(limiter.take('k', tight, at('10:30:30'))).toMatchObject({ deniedBy: 'hour', retryAfter: 1770 });
  });

  it('keeps each key\'s quota apart, and peek consumes nothing', () => {
    const limiter = new RateLimiter();
    limiter.take('a', limits, at('10:30:00'));
    expect(limiter.peek('b', limits, at('10:30:00')).minute.remaining).toBe(2);
    expect(limiter.peek('a', limits, at('10:30:00')).minute.remaining).toBe(1);
    expect(limiter.peek('a', limits, at('10:30:00')).minute.remaining).toBe(1);
  });

  it('writes the seed\'s X-RateLimit-* for the hour and IETF fields for both windows', () => {
    const limiter = new RateLimiter();
    const decision = limiter.take('k', { per_hour: 10_000, per_minute: 500 }, at('10:45:00'));
    expect(rateLimitHeaders(decision, at('10:45:00'))).toEqual({
      'X-RateLimit-Limit': '10000',
      'X-RateLimit-Remaining': '9999',
      'X-RateLimit-Reset': String(at('11:00:00') / 1000),
      'RateLimit-Policy': '"hour";q=10000;w=3600, "minute";q=500;w=60',
      RateLimit: '"hour";r=9999;t=900, "minute";r=499;t=60',
    });
  });
});

describe('scopes', () => {
  it('a key cannot grant permissions it does not hold; admin:* holds them all', () => {
    expect(ungrantable(['tasks:read', 'tasks:write'], ['tasks:read', 'projects:read', 'admin:*'])).toEqual(['projects:read', 'admin:*']);
    expect(ungrantable(['admin:*'], ['users:write', 'admin:*'])).toEqual([]);
  });
});

describe('generated keys', () => {
  it.each(KEY_TYPES.map((t) => t.keyType))('%s keys carry the shared prefix, 32 base62 characters, and are found by the scanner', (keyType) => {
    const keys = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const key = generateKey(keyType, randomBytes);
      keys.add(key);
      expect(key).toMatch(new RegExp(`^${KEY_TYPES.find((t) => t.keyType === keyType)?.prefix}[A-Za-z0-9]{32}$`));
      expect(detect(`key = "${key}"`).map((m) => m.key)).toEqual([key]);
    }
    expect(keys.size).toBe(200);
  });

  it('are drawn again when the scanner would take the body for a placeholder', () => {
    let calls = 0;
    // First draw: all zero bytes, a body of one repeated character; then real randomness.
    const random = (size: number) => (calls++ === 0 ? new Uint8Array(size) : randomBytes(size));
    const key = generateKey('live', random);
    expect(key).not.toBe(`sk_live_${'A'.repeat(32)}`);
    expect(detect(key).map((m) => m.key)).toEqual([key]);
  });
});
