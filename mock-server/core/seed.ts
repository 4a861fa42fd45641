import { z } from 'zod';
import { DomainError, type FieldError } from './errors.js';
import { fieldErrors, instantField, permissionField, planField, rateLimitField } from './fields.js';
import { addKnownKey, issueKey, type KeyContext } from './key-admin.js';
import { hashKey, wellFormedKeyType } from './keys.js';
import { ADMIN } from './scopes.js';
import { MockState } from './state.js';
import type { Snapshot } from './store.js';

const seedKey = z.strictObject({
  key: z.string(),
  name: z.string().min(1).max(200),
  description: z.string().max(1000).nullable().optional(),
  permissions: z.array(permissionField).optional(),
  expires_at: instantField.nullable().optional(),
  plan: planField.optional(),
  rate_limit: rateLimitField.optional(),
  active: z.boolean().optional(),
  auto_renew: z.boolean().optional(),
  created_at: instantField.optional(),
  last_used: instantField.nullable().optional(),
});

/**
 * Fixtures to start from instead of a generated bootstrap key:
 * `{"plan": "free", "keys": [{"key": "sk_test_…", "name": "CI admin", "permissions": ["admin:*"], "expires_at": null}]}`.
 * `plan` (and `rate_limit` for enterprise) applies to keys without their own; the caller
 * folds them into the `KeyContext`.
 */
export const seedSchema = z.strictObject({
  plan: planField.optional(),
  rate_limit: rateLimitField.optional(),
  keys: z.array(seedKey),
});

export type Seed = z.input<typeof seedSchema>;

/**
 * Checks a seed's shape. Errors name the field, not the seed: whoever passed it names it
 * (option-errors.ts: the file, or "the seed option").
 */
export function parseSeed(value: unknown): Seed {
  const parsed = seedSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const [first] = fieldErrors(parsed.error, '(top level)');
  throw invalidSeed(`${first?.field}: ${first?.message}; fix the seed and start again`);
}

function invalidSeed(message: string): DomainError {
  return new DomainError('invalid', 'invalid_seed', message);
}

/**
 * The state a server starts from (and `reset()` returns to): the seed's keys, or one
 * bootstrap `admin:*` key made now, whose full value is returned so it can be shown once.
 */
export function seededState(seed: Seed | undefined, context: KeyContext): { snapshot: Snapshot; bootstrapKey?: string } {
  const state = new MockState();
  if (!seed) {
    const { key } = issueKey(
      state.keys,
      { name: 'Bootstrap admin', description: 'Created at start-up; shown once.', permissions: [ADMIN] },
      context,
    );
    return { snapshot: state.snapshot(), bootstrapKey: key };
  }
  seed.keys.forEach((entry, index) => {
    const field = `keys[${index}]`;
    const { key, ...input } = entry;
    const keyType = wellFormedKeyType(key);
    if (!keyType) {
      throw invalidSeed(`${field}.key is not a key: write sk_${context.environment}_ followed by at least 16 letters or digits`);
    }
    if (keyType !== context.environment) {
      throw new DomainError(
        'invalid',
        'seed_key_environment',
        `${field}.key is a ${keyType} key, but the server is the ${context.environment} environment: use ${context.environment} keys`,
        { field, key_environment: keyType, server_environment: context.environment },
      );
    }
    if (state.keys.knows(hashKey(key))) throw invalidSeed(`${field}.key appears twice in the seed: give each key its own value`);
    try {
      addKnownKey(state.keys, key, input, context);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const [first] = (error.details.errors as FieldError[] | undefined) ?? [];
      throw invalidSeed(`${field}.${first?.field ?? 'key'}: ${first?.message ?? error.message}`);
    }
  });
  return { snapshot: state.snapshot() };
}
