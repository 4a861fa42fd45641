import { z, type ZodError } from 'zod';
import { fieldPath } from '../../src/field-path.js';
import type { FieldError } from './errors.js';
import { PLAN_NAMES } from './rate-limit.js';
import { PERMISSIONS } from './scopes.js';

/**
 * The field schemas shared by the API's request bodies and the seed file, with messages
 * that name what is accepted.
 */
export const permissionField = z.enum(PERMISSIONS, {
  error: (issue) => `unknown permission ${JSON.stringify(issue.input)}: use one of ${PERMISSIONS.join(', ')}`,
});

export const planField = z.enum(PLAN_NAMES, {
  error: (issue) => `unknown plan ${JSON.stringify(issue.input)}: use one of ${PLAN_NAMES.join(', ')}`,
});

const quota = z.int().min(1).max(1_000_000_000);

export const rateLimitField = z.strictObject({ per_hour: quota, per_minute: quota });

export const instantField = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time such as 2026-10-14T00:00:00Z',
});

/** Zod issues as `{field, message}` pairs, the field written as `permissions[1]` or `rate_limit.per_hour`. */
export function fieldErrors(error: ZodError, root = 'body'): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: fieldPath([...issue.path, key]) || root, message: 'is not a known field' });
    } else {
      out.push({ field: fieldPath(issue.path) || root, message: issue.message });
    }
  }
  return out;
}
