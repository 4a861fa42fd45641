/** A length of time: milliseconds, or text such as `'90s'`, `'1h30m'`, `'7d'`. */
export type Duration = number | string;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;
const PART = /(\d+)(ms|s|m|h|d)/g;

/** Parses `'1h30m'` into milliseconds; throws a RangeError naming the accepted units otherwise. */
export function parseDuration(duration: Duration): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0) throw new RangeError(`duration must be a non-negative number of milliseconds, got ${duration}`);
    return duration;
  }
  const text = duration.trim();
  if (!DURATION.test(text)) {
    throw new RangeError(`duration "${duration}" is not understood: use digits with ms, s, m, h or d, such as "90s" or "1h30m"`);
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) total += Number(amount) * (UNIT_MS[unit as string] as number);
  return total;
}

