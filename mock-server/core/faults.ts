import { z } from 'zod';
import { isoSeconds, parseDuration } from './clock.js';
import { validationFailed } from './errors.js';
import { fieldErrors } from './fields.js';
import { generateId, type RandomSource } from './keys.js';

/** Statuses a fault can answer with: server errors a client should retry, and a 429. */
export const FAULT_STATUSES = [500, 502, 503, 429] as const;

const duration = z.union([z.string(), z.int().min(0)]);

/**
 * A fault as tests arm it, in `POST /__keyguard/faults` and `api.faults.add(fault)`: which
 * requests (omitted matchers match everything), what happens to them (a status, a delay on the
 * mock's clock, a dropped connection), and for how long (the next `count` requests, or
 * `duration` of mock time; the next request when neither is given).
 */
export const faultSpecShape = {
    key_id: z.string().min(1).optional(),
    method: z.string().regex(/^[A-Za-z]+$/, 'must be an HTTP method such as GET').optional(),
    path: z.string().startsWith('/', 'must start with / (a trailing * matches any rest)').optional(),
    status: z.union(FAULT_STATUSES.map((s) => z.literal(s)) as [z.ZodLiteral<500>, z.ZodLiteral<502>, z.ZodLiteral<503>, z.ZodLiteral<429>], {
      error: `must be one of ${FAULT_STATUSES.join(', ')}`,
    }).optional(),
    delay: duration.optional(),
    drop: z.boolean().optional(),
    count: z.int().min(1).max(1_000_000).optional(),
    duration: duration.optional(),
    retry_after: z.int().min(0).max(86_400).optional(),
};

export const faultSpecSchema = z
  .strictObject(faultSpecShape)
  .refine((spec) => spec.status !== undefined || spec.delay !== undefined || spec.drop === true, {
    message: 'says nothing to do: give a status, a delay or "drop": true',
  })
  .refine((spec) => !(spec.drop === true && spec.status !== undefined), { message: 'cannot both drop the connection and answer a status: choose one' });

export type FaultSpec = z.input<typeof faultSpecSchema>;

/** An armed fault as it is listed. */
export const faultShape = {
    id: z.string(),
    key_id: z.string().nullable(),
    method: z.string().nullable(),
    path: z.string().nullable(),
    status: z.union(FAULT_STATUSES.map((s) => z.literal(s)) as [z.ZodLiteral<500>, z.ZodLiteral<502>, z.ZodLiteral<503>, z.ZodLiteral<429>]).nullable(),
    delay_ms: z.int().meta({ description: 'Milliseconds of mock time the response is held.' }),
    drop: z.boolean(),
    retry_after: z.int().nullable().meta({ description: 'Seconds a 503 or 429 asks the client to wait (Retry-After).' }),
    remaining: z.int().nullable().meta({ description: 'Requests it still applies to; null when limited by time only.' }),
    expires_at: z.string().nullable().meta({ description: "Until when (mock time) it applies; null when limited by count only." }),
    created_at: z.string(),
    hits: z.int().meta({ description: 'Requests it has applied to so far.' }),
};

const faultSchema = z.strictObject(faultShape);

export type Fault = z.infer<typeof faultSchema>;

interface Armed extends Fault {
  untilMs: number | null;
}

/** What a request is matched on. */
export interface FaultTarget {
  method: string;
  path: string;
  /** Found only when some fault names a key (see `needsKey`). */
  key_id?: string | null;
}

const DEFAULT_RETRY_AFTER_S = 1;

/**
 * Armed faults, in the order they were armed: the first that matches a request applies to it.
 * Faults are data about responses only: they never change keys, usage or resources.
 */
export class FaultRegistry {
  private faults: Armed[] = [];

  constructor(private readonly random: RandomSource) {}

  /** Checks and arms a fault; a bad one is a 422 naming the field. */
  add(spec: unknown, now: number): Fault {
    const parsed = faultSpecSchema.safeParse(spec);
    if (!parsed.success) throw validationFailed(fieldErrors(parsed.error, 'fault'));
    const value = parsed.data;
    const delayMs = value.delay === undefined ? 0 : checkedDuration('delay', value.delay);
    const windowMs = value.duration === undefined ? undefined : checkedDuration('duration', value.duration);
    const untilMs = windowMs === undefined ? null : now + windowMs;
    const status = value.status ?? null;
    const fault: Armed = {
      id: generateId('fault', this.random),
      key_id: value.key_id ?? null,
      method: value.method?.toUpperCase() ?? null,
      path: value.path ?? null,
      status,
      delay_ms: delayMs,
      drop: value.drop ?? false,
      retry_after: status === 503 || status === 429 ? (value.retry_after ?? DEFAULT_RETRY_AFTER_S) : null,
      // Neither given: the next request only.
      remaining: value.count ?? (untilMs === null ? 1 : null),
      expires_at: untilMs === null ? null : isoSeconds(untilMs),
      created_at: isoSeconds(now),
      hits: 0,
      untilMs,
    };
    this.faults.push(fault);
    return view(fault);
  }

  /** The faults still armed at `now`. */
  list(now: number): Fault[] {
    this.expire(now);
    return this.faults.map(view);
  }

  clear(): void {
    this.faults = [];
  }

  /** No fault armed: the request path skips everything else. */
  get empty(): boolean {
    return this.faults.length === 0;
  }

  /** True when some armed fault matches on the key, so the caller must find the request's key id. */
  get needsKey(): boolean {
    return this.faults.some((fault) => fault.key_id !== null);
  }

  /** The fault that applies to this request, counted as used; undefined when none does. */
  take(target: FaultTarget, now: number): Fault | undefined {
    this.expire(now);
    const fault = this.faults.find((candidate) => matches(candidate, target));
    if (!fault) return undefined;
    fault.hits++;
    if (fault.remaining !== null) {
      fault.remaining--;
      if (fault.remaining === 0) this.faults = this.faults.filter((other) => other !== fault);
    }
    return view(fault);
  }

  private expire(now: number): void {
    if (this.faults.some((fault) => fault.untilMs !== null && fault.untilMs <= now)) {
      this.faults = this.faults.filter((fault) => fault.untilMs === null || fault.untilMs > now);
    }
  }
}

function matches(fault: Armed, target: FaultTarget): boolean {
  if (fault.method !== null && fault.method !== target.method.toUpperCase()) return false;
  if (fault.key_id !== null && fault.key_id !== target.key_id) return false;
  if (fault.path === null) return true;
  return fault.path.endsWith('*') ? target.path.startsWith(fault.path.slice(0, -1)) : fault.path === target.path;
}

function checkedDuration(field: string, value: string | number): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw validationFailed([{ field, message: (error as Error).message }]);
  }
}

function view({ untilMs: _untilMs, ...fault }: Armed): Fault {
  return { ...fault };
}
